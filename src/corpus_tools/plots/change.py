"""Meaning and attention over time: neighbours by period, displacement with its
interval, series with their change points, a topic's words by period."""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ._common import draw_events

__all__ = ["plot_neighbours", "plot_displacement", "plot_change_points", "plot_topic_wording"]


def _table_figure(cells: list[list[str]], columns: list[str], rows: list[str], title: str,
                  col_width: float = 2.1) -> Figure:
    width = 1.4 + col_width * len(columns)
    fig, ax = plt.subplots(figsize=(width, 0.7 + 0.24 * (len(rows) + 1)))
    ax.axis("off")
    # the table fills the axes (no blank band above and below it); 1.2 in for the row labels
    left = 1.2 / width
    tab = ax.table(cellText=cells, colLabels=columns, rowLabels=rows, cellLoc="left", bbox=[left, 0, 1 - left, 1])
    tab.auto_set_font_size(False)
    tab.set_fontsize(8)
    for (r, _c), cell in tab.get_celld().items():
        if r == 0:
            cell.set_text_props(weight="bold")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def plot_neighbours(neighbours: pd.DataFrame, *, title: str | None = None, n: int = 8) -> Figure:
    """A table of each word's nearest neighbours in each period (a
    :meth:`MeaningChange.neighbours` table): one column per period, one block of
    rows per word, the neighbour and its cosine similarity in each cell."""
    if neighbours.empty:
        raise ValueError("no neighbours to show (the words are below min_count in every period)")
    periods = list(dict.fromkeys(neighbours["period"]))
    words = list(dict.fromkeys(neighbours["word"]))
    cells, rows = [], []
    for w in words:
        g = neighbours[(neighbours["word"] == w) & (neighbours["rank"] <= n)]
        for r in range(1, int(g["rank"].max()) + 1 if len(g) else 1):
            row = []
            for p in periods:
                hit = g[(g["period"] == p) & (g["rank"] == r)]
                row.append(f"{hit['neighbour'].iat[0].replace('_', ' ')} ({hit['similarity'].iat[0]:.2f})"
                           if len(hit) else "–")
            cells.append(row)
            rows.append(w.replace("_", " ") if r == 1 else "")
    return _table_figure(cells, [str(p) for p in periods], rows,
                         title or "Nearest neighbours by period (cosine similarity)")


def plot_displacement(table: pd.DataFrame, *, n: int = 20, title: str | None = None) -> Figure:
    """The ``n`` most changed words of a :class:`MeaningChange` table: each word's
    change (its displacement beyond chance at its frequency) with its interval
    from the document shuffles, and the raw displacement with its bootstrap
    interval, one panel per pair of periods."""
    if table.empty:
        raise ValueError("no word was compared (too few periods, or every word below min_count)")
    pairs = list(dict.fromkeys(zip(table["period_from"], table["period_to"])))
    fig, axes = plt.subplots(1, len(pairs), figsize=(4.6 * len(pairs) + 1, 0.28 * n + 1.6), squeeze=False)
    for ax, (a, b) in zip(axes[0], pairs):
        t = table[(table["period_from"] == a) & (table["period_to"] == b)].nlargest(n, "change")
        y = np.arange(len(t))[::-1]
        # intervals as lines: a bootstrap percentile interval may not hold its estimate
        ax.hlines(y + 0.15, t["change_low"], t["change_high"], color="#d62728", lw=1.2)
        ax.plot(t["change"], y + 0.15, "o", color="#d62728", ms=4, label="change (beyond chance)")
        if t["displacement_low"].notna().any():
            ax.hlines(y - 0.15, t["displacement_low"], t["displacement_high"], color="#7f7f7f", lw=1.2)
        ax.plot(t["displacement"], y - 0.15, "s", color="#7f7f7f", ms=3,
                label="displacement (bootstrap)" if t["displacement_low"].notna().any() else "displacement")
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks(y, [f"{w.replace('_', ' ')} ({f}/{g})" for w, f, g in
                          zip(t["word"], t["count_from"], t["count_to"])], fontsize=8)
        ax.set_xlabel("cosine distance")
        ax.set_title(f"{a} → {b}", fontsize=10)
        ax.legend(fontsize=7, loc="lower right")
    fig.suptitle(title or "Most changed words (counts in each period)", fontsize=11)
    fig.tight_layout()
    return fig


def plot_change_points(series: pd.DataFrame, changes, *, value: str | None = None, n: int = 4,
                       events: dict | None = None, title: str | None = None) -> Figure:
    """Up to ``n`` series of a per-period table with the levels
    :func:`corpus_tools.change_points` found: the observed values, each segment's
    level as a step, and ``events`` (``{date: label}``) on the time axis."""
    params = changes.params
    key, val = params["series"], value or params["value"]
    exposure, kind = params["exposure"], params["kind"]
    names = list(dict.fromkeys(series[key])) if key in series else ["all"]
    with_changes = [s for s in names if s in set(changes.table["series"])]
    names = (with_changes + [s for s in names if s not in with_changes])[:n]
    scale = 1e4 if (kind == "counts" and exposure == "n_tokens") else 1.0
    fig, axes = plt.subplots(len(names), 1, figsize=(8, 2.1 * len(names) + 0.6), squeeze=False, sharex=True)
    for ax, name in zip(axes[:, 0], names):
        g = series[series[key] == name] if key in series else series
        periods = list(pd.unique(g["period"]))
        g = g.set_index("period").loc[periods]
        y = g[val].to_numpy(dtype=float)
        if kind == "counts" and exposure is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                y = y / g[exposure].to_numpy(dtype=float) * scale
        x = np.arange(len(periods))
        ax.plot(x, y, "o-", ms=3, lw=0.8, color="#1f77b4")
        grid = changes.grid[changes.grid["series"] == name]
        cps = changes.table[changes.table["series"] == name].sort_values("position")
        pos = {p: i for i, p in enumerate(map(str, periods))}
        bounds = [pos[p] for p in cps["period"]]
        levels = list(cps["before"]) + ([cps["after"].iat[-1]] if len(cps) else [])
        if len(grid):
            edges = [pos[grid["period"].iat[0]]] + bounds + [pos[grid["period"].iat[-1]] + 1]
            if not len(cps):
                w = g[exposure].to_numpy(dtype=float) if exposure is not None else np.ones(len(g))
                ok = np.isfinite(y) & (w > 0)
                levels = [float(np.sum((y * w)[ok]) / np.sum(w[ok]))] if ok.any() else []
            for (s, e), lv in zip(zip(edges, edges[1:]), levels):
                ax.hlines(lv, s - 0.5, e - 0.5, color="#d62728", lw=2)
        for b in bounds:
            ax.axvline(b - 0.5, color="#d62728", ls=":", lw=1)
        draw_events(ax, events, [str(p) for p in periods])
        ax.set_ylabel("per 10k tokens" if scale != 1 else val, fontsize=8)
        ax.set_title(textwrap.shorten(str(name), 60), fontsize=9, loc="left")
        step = max(1, len(periods) // 12)
        ax.set_xticks(x[::step], [str(p) for p in periods][::step], rotation=45, ha="right", fontsize=7)
    fig.suptitle(title or "Levels and change points (red: segment levels; dotted: changes)", fontsize=11)
    fig.tight_layout()
    return fig


def plot_topic_wording(wording, topic: int, *, n: int = 10, title: str | None = None) -> Figure:
    """One topic's top ``n`` words in each period (a :class:`TopicWording`), words
    new to a period's list in bold, with the divergence to the period before."""
    terms = wording.terms[(wording.terms["topic"] == topic) & (wording.terms["rank"] <= n)]
    if terms.empty:
        raise ValueError(f"topic {topic} has no tokens in any period")
    periods = list(dict.fromkeys(terms["period"]))
    cells = []
    for r in range(1, n + 1):
        row = []
        for p in periods:
            hit = terms[(terms["period"] == p) & (terms["rank"] == r)]
            row.append(f"{hit['term'].iat[0].replace('_', ' ')} ({hit['probability'].iat[0]:.3f})" if len(hit) else "–")
        cells.append(row)
    ch = wording.change[wording.change["topic"] == topic].set_index("period_to")
    cols = [p if p not in ch.index else f"{p}\nJSD {ch.loc[p, 'jsd']:.3f} (chance {ch.loc[p, 'expected']:.3f})"
            for p in periods]
    fig = _table_figure(cells, cols, [str(i) for i in range(1, n + 1)],
                        title or f"Topic {topic} · {terms['label'].iat[0]}: top words by period (bold: new to the list)")
    new = {p: set(terms[terms["period"] == p]["term"]) - set(terms[terms["period"] == q]["term"])
           for q, p in zip(periods, periods[1:])}
    tab = fig.axes[0].tables[0]
    for (r, c), cell in tab.get_celld().items():
        if r >= 1 and 0 <= c < len(periods) and periods[c] in new:
            word = cells[r - 1][c].split(" (")[0].replace(" ", "_")
            if word in new[periods[c]]:
                cell.set_text_props(weight="bold")
    return fig
