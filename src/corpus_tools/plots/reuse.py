"""Text reuse: formula timelines, flows between Party levels, one aligned passage pair."""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ..periods import TIME_UNITS
from ._common import draw_events

__all__ = ["plot_formula_timeline", "plot_reuse_flow", "plot_passage_pair", "plot_amplification"]

_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f"]
_LEVEL_ORDER = ["central", "provincial", "district", "grassroots", "unknown"]


def plot_formula_timeline(spread: pd.DataFrame, *, title: str | None = None, events: dict | None = None,
                          width: int = 48) -> Figure:
    """Articles using each formula per period (a :func:`corpus_tools.formula_spread`
    table by a time unit), one line per formula, legend in the formulas' order.
    ``events`` (``{date: label}``) marks the calendar on the time axis."""
    if spread.empty:
        raise ValueError("no rows to plot")
    by = next((c for c in TIME_UNITS if c in spread.columns), None)
    if by is None:
        raise ValueError("spread has no time column: use formula_spread(..., by=) with one of "
                         + ", ".join(map(repr, TIME_UNITS)))
    periods = sorted(spread[by].unique())
    fig, ax = plt.subplots(figsize=(8, 4.5))
    x = np.arange(len(periods))
    for i, (fid, g) in enumerate(spread.groupby("formula_id", sort=True)):
        y = g.set_index(by)["n_docs"].reindex(periods, fill_value=0).to_numpy()
        label = textwrap.shorten(str(g["formula"].iat[0]), width=width, placeholder="…")
        ax.plot(x, y, marker="o", ms=3, color=_COLOURS[i % len(_COLOURS)], label=label)
    ax.set_xticks(x, [str(p) for p in periods], rotation=45 if len(periods) > 8 else 0, ha="right"
                  if len(periods) > 8 else "center")
    draw_events(ax, events, [str(p) for p in periods])
    ax.set_ylabel("articles using the formula")
    ax.set_xlabel(by)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(title or "Formulas over time", fontsize=11)
    fig.tight_layout()
    return fig


def plot_reuse_flow(flows: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Reused passages travelling between Party levels (a :func:`corpus_tools.reuse_flows`
    table): one box per level from the centre down, arrows from the level where a
    passage first appeared to the levels of the articles that later share it, their
    width and label the number of articles; flows within a level are written in its box."""
    if flows.empty:
        raise ValueError("no flows to plot")
    levels = [lv for lv in _LEVEL_ORDER if lv in set(flows["source"]) | set(flows["target"])]
    levels += sorted((set(flows["source"]) | set(flows["target"])) - set(levels))
    fig, ax = plt.subplots(figsize=(8, 1.4 + 1.3 * len(levels)))
    y = {lv: len(levels) - 1 - i for i, lv in enumerate(levels)}
    top = max(flows["n_articles"].max(), 1)
    for lv in levels:
        inside = flows[(flows["source"] == lv) & (flows["target"] == lv)]["n_articles"].sum()
        ax.add_patch(FancyBboxPatch((0.05, y[lv] - 0.25), 0.3, 0.5, boxstyle="round,pad=0.02",
                                    fc="#eef3fa", ec="#1f77b4"))
        label = lv if not inside else f"{lv}\n(within: {inside} articles)"
        ax.text(0.2, y[lv], label, ha="center", va="center", fontsize=9)
    across = flows[flows["source"] != flows["target"]].reset_index(drop=True)
    for i, f in across.iterrows():
        y0, y1 = y[f["source"]], y[f["target"]]
        bend = 0.25 + 0.12 * (i % 3)
        arrow = FancyArrowPatch((0.35, y0), (0.35, y1), connectionstyle=f"arc3,rad={-bend if y1 < y0 else bend}",
                                arrowstyle="-|>", mutation_scale=12, lw=1 + 5 * f["n_articles"] / top,
                                color="#d62728" if y1 < y0 else "#7f7f7f", alpha=0.8)
        ax.add_patch(arrow)
        ax.text(0.37 + 0.1 * bend * abs(y1 - y0), (y0 + y1) / 2, f"{f['n_articles']} articles, "
                f"{f['n_clusters']} passages", fontsize=8, va="center")
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.6, len(levels) - 0.4)
    ax.axis("off")
    ax.set_title(title or "Where reused passages go: from the level of first appearance", fontsize=11)
    fig.tight_layout()
    return fig


_FONT = 8
_TAG_COLOUR = {"replace": "#ffd8a8", "delete": "#ffc9c9", "insert": "#c3fae8"}


def _wrapped(words: list[tuple[str, str]], width_pt: float) -> list[list[tuple[str, str, float]]]:
    """Words with their tags and x offsets (points), wrapped into lines of at most
    ``width_pt``: widths measured from the font's outlines, so no renderer is needed
    and the layout is the same on every machine."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath
    ttp, prop = TextToPath(), FontProperties(family="DejaVu Sans", size=_FONT)
    space = ttp.get_text_width_height_descent("a a", prop, ismath=False)[0] - \
        ttp.get_text_width_height_descent("aa", prop, ismath=False)[0]
    lines, cur, x = [], [], 0.0
    for w, tag in words:
        wd = ttp.get_text_width_height_descent(w, prop, ismath=False)[0]
        if cur and x + wd > width_pt:
            lines.append(cur)
            cur, x = [], 0.0
        cur.append((w, tag, x))
        x += wd + space
    if cur:
        lines.append(cur)
    return lines


def plot_passage_pair(diff: pd.DataFrame, *, label_a: str = "a", label_b: str = "b", title: str | None = None,
                      width: float = 330.0, max_lines: int = 24) -> Figure:
    """One aligned passage pair side by side (a :meth:`corpus_tools.Reuse.diff` table),
    the words that differ shaded: replaced (orange), only in ``a`` (red), only in ``b``
    (green). ``width``: each column's width in points."""
    if diff.empty:
        raise ValueError("no alignment to plot")
    sides = []
    for col, missing in (("text_a", "insert"), ("text_b", "delete")):
        words = [(w, t) for t, txt in zip(diff["tag"], diff[col]) if t != missing for w in str(txt).split()]
        sides.append(_wrapped(words, width)[:max_lines])
    n_lines = max(len(s) for s in sides)
    gap = 24.0
    total = 2 * width + gap
    height = 0.9 + 0.2 * n_lines
    fig = plt.figure(figsize=(total / 72 / 0.96, height))
    ax = fig.add_axes((0.02, 0.02, 0.96, 1 - 0.6 / height))
    ax.set_xlim(0, total)
    ax.set_ylim(n_lines + 0.5, -1.2)
    ax.axis("off")
    for k, (lines, head) in enumerate(zip(sides, (label_a, label_b))):
        x0 = k * (width + gap)
        ax.text(x0, -0.8, head, fontsize=9, fontweight="bold")
        for li, line in enumerate(lines):
            for w, tag, x in line:
                bbox = {"boxstyle": "square,pad=0.05", "fc": _TAG_COLOUR[tag], "ec": "none"} if tag in _TAG_COLOUR else None
                ax.text(x0 + x, li, w, fontsize=_FONT, va="center", bbox=bbox)
    fig.suptitle(title or "One reused passage, aligned", fontsize=11)
    return fig


def plot_amplification(pairs: pd.DataFrame, amplification: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Reprint cascades (:func:`corpus_tools.find_reprints`) in two panels: the lags of
    the copies by their Party level (days; counts per whole day), and per group of an
    :func:`corpus_tools.amplification` table the share of the centre's articles it
    reprints and the share of its own articles that are reprints, with their intervals."""
    if pairs.empty or amplification.empty:
        raise ValueError("no reprints to plot: no cascade was found (one site only, or no copies in the window)")
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4.2))
    lag = pairs["lag"] / np.where(pairs["lag_unit"] == "hours", 24, 1)
    days = np.floor(lag.to_numpy()).astype(int)
    span = np.arange(max(days.min(), 0), days.max() + 1)
    levels = [lv for lv in _LEVEL_ORDER if lv in set(pairs["copy_level"])]
    levels += sorted(set(pairs["copy_level"].astype(str)) - set(levels))
    width = 0.8 / max(len(levels), 1)
    for i, lv in enumerate(levels):
        d = days[(pairs["copy_level"].astype(str) == lv).to_numpy()]
        ax1.bar(span + (i - (len(levels) - 1) / 2) * width, [int((d == k).sum()) for k in span], width=width,
                color=_COLOURS[i % len(_COLOURS)], label=f"{lv} ({len(d)})")
    ax1.set_xticks(span, [str(k) for k in span])
    ax1.set_xlabel("days after the origin")
    ax1.set_ylabel("copies")
    ax1.legend(fontsize=8, title="copy level", title_fontsize=8)
    ax1.set_title("Lag of reprints", fontsize=10)
    amp = amplification.reset_index(drop=True)
    y = np.arange(len(amp))[::-1]
    for k, (col, label, colour) in enumerate((("centre_reprinted", "of the centre's articles reprinted", "#d62728"),
                                              ("reprint_share", "of its own articles that are reprints",
                                               "#1f77b4"))):
        est = amp[col].to_numpy(dtype=float)
        lo = est - amp[f"{col}_lo"].to_numpy(dtype=float)
        hi = amp[f"{col}_hi"].to_numpy(dtype=float) - est
        ax2.errorbar(est, y + (0.15 if k == 0 else -0.15), xerr=[np.nan_to_num(lo), np.nan_to_num(hi)],
                     fmt="o", color=colour, capsize=3, label=label)
    ax2.set_yticks(y, [f"{g} ({n})" for g, n in zip(amp["group"], amp["n_articles"])])
    ax2.set_xlim(0, 1)
    ax2.set_xlabel("share (95% bootstrap interval over cascades)")
    ax2.legend(fontsize=8, loc="lower right")
    ax2.set_title("Amplification of the centre", fontsize=10)
    fig.suptitle(title or "Reprint cascades", fontsize=11)
    fig.tight_layout()
    return fig
