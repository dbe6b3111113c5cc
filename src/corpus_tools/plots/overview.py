"""Figures a researcher checks first: how many articles when, and what cleaning removed."""
from __future__ import annotations

from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .._options import check_choice
from ..periods import TimeUnit, code_periods
from ._common import apply_style, draw_events

__all__ = ["plot_articles_per_period", "plot_removed_reasons", "plot_article_lengths"]

#: Accepted values of ``by`` in :func:`plot_articles_per_period`: the calendar units.
Period = TimeUnit


def plot_articles_per_period(
    df: pd.DataFrame,
    by: Period = "year",
    *,
    date_col: str = "published",
    group: str | None = None,
    title: str | None = None,
    events: dict | None = None,
) -> Figure:
    """Bar chart of articles per year, quarter, month, ISO week or day; ``events``
    (``{date: label}``, e.g. ``calendar_events()``) marked where a period holds them.

    Every period between the first and the last is drawn, empty ones included,
    so gaps in collection are visible. Undated articles cannot be placed and are
    counted in the subtitle instead of silently dropped. With ``group`` (e.g.
    ``"outlet"``), bars are stacked by that column (top 8, the rest as "other").
    """
    check_choice("by", by, Period)
    if date_col not in df.columns:
        raise ValueError(f"column {date_col!r} not in DataFrame")
    apply_style()
    dates = pd.to_datetime(df[date_col], errors="coerce")
    dated = dates.notna()
    n_undated = int((~dated).sum())
    fig, ax = plt.subplots()
    if dated.any():
        coding = code_periods(pd.DataFrame({"published": dates}), by)
        full = pd.PeriodIndex(coding.labels)
        periods = pd.Series(full[coding.codes[dated.to_numpy()]], index=dates[dated].index)
        x = np.arange(len(full))
        if group is None:
            counts = periods.value_counts().reindex(full, fill_value=0)
            ax.bar(x, counts.to_numpy(), color="#4c72b0", width=0.8)
            for xi, c in zip(x, counts.to_numpy()):
                if c and len(full) <= 30:
                    ax.annotate(str(c), (xi, c), ha="center", va="bottom", fontsize=8,
                                xytext=(0, 2), textcoords="offset points")
        else:
            keys = df.loc[dated, group].fillna("(unknown)").astype(str)
            top = keys.value_counts().index[:8]
            keys = keys.where(keys.isin(top), "other")
            table = pd.crosstab(periods, keys).reindex(full, fill_value=0)
            order = [k for k in top if k in table.columns] + (["other"] if "other" in table.columns else [])
            bottom = np.zeros(len(full))
            cmap = plt.get_cmap("tab10")
            for k, key in enumerate(order):
                vals = table[key].to_numpy()
                ax.bar(x, vals, bottom=bottom, width=0.8, color=cmap(k % 10), label=key)
                bottom += vals
            ax.legend(fontsize=8, frameon=False, ncols=2)
        draw_events(ax, events, list(full))
        step = max(1, int(np.ceil(len(full) / 16)))
        ax.set_xticks(x[::step])
        ax.set_xticklabels([str(p) for p in full[::step]], rotation=0 if by == "year" else 45,
                           ha="center" if by == "year" else "right")
    else:
        ax.text(0.5, 0.5, "no dated articles", ha="center", va="center", transform=ax.transAxes)
    ax.grid(axis="x", visible=False)
    ax.margins(y=0.12)
    ax.set_ylabel("articles")
    ax.set_xlabel(by)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title or f"Articles per {by}")
    note = f"{int(dated.sum())} dated articles"
    if n_undated:
        note += f"; {n_undated} undated not shown"
    ax.text(0, 1.01, note, transform=ax.transAxes, fontsize=8, color="0.35", va="bottom")
    fig.tight_layout()
    return fig


def plot_removed_reasons(df: pd.DataFrame, *, col: str = "removed", n: int = 15,
                         title: str | None = None) -> Figure:
    """Horizontal bars: how many lines cleaning removed, by reason, most frequent first.

    Reads the ``removed`` column of :func:`corpus_tools.load_articles` (a list of
    ``{"line", "text", "reason"}`` per article); the number of articles each reason
    touched is printed beside its bar.
    """
    if col not in df.columns:
        raise ValueError(f"column {col!r} not in DataFrame")
    apply_style()
    lines: Counter = Counter()
    docs: Counter = Counter()
    for removed in df[col]:
        if not isinstance(removed, (list, tuple, np.ndarray)):
            continue
        reasons = [r.get("reason", "?") for r in removed if isinstance(r, dict)]
        lines.update(reasons)
        docs.update(set(reasons))
    items = sorted(lines.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(items) + 1)))
    if items:
        names = [k for k, _ in items][::-1]
        vals = [v for _, v in items][::-1]
        y = np.arange(len(names))
        ax.barh(y, vals, color="#c44e52", height=0.7)
        ax.set_yticks(y)
        ax.set_yticklabels(names)
        for yi, v, name in zip(y, vals, names):
            label = f"{v} line{'s' if v != 1 else ''}, {docs[name]} article{'s' if docs[name] != 1 else ''}"
            ax.annotate(label, (v, yi), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=8)
        ax.set_xlim(0, max(vals) * 1.4)
        ax.grid(axis="y", visible=False)
    else:
        ax.text(0.5, 0.5, "nothing removed", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("lines removed")
    ax.set_title(title or "What cleaning removed, by reason")
    fig.tight_layout()
    return fig


def plot_article_lengths(df: pd.DataFrame, *, col: str = "text", bins: int = 30,
                         title: str | None = None) -> Figure:
    """Histogram of clean article length in characters (log scale), median marked.

    Very short articles are often scraping failures (a caption page, a teaser);
    very long ones are often several articles glued together.
    """
    if col not in df.columns:
        raise ValueError(f"column {col!r} not in DataFrame")
    apply_style()
    n = df[col].fillna("").astype(str).str.len().to_numpy()
    n = n[n > 0]
    fig, ax = plt.subplots()
    if len(n):
        edges = np.logspace(np.log10(max(n.min(), 1)), np.log10(n.max() + 1), bins + 1)
        ax.hist(n, bins=edges, color="#55a868")
        ax.set_xscale("log")
        med = float(np.median(n))
        ax.axvline(med, color="0.2", ls="--", lw=1)
        ax.annotate(f"median {med:,.0f}", (med, ax.get_ylim()[1] * 0.95), xytext=(4, 0),
                    textcoords="offset points", fontsize=8, va="top")
    ax.set_xlabel("characters of clean text")
    ax.set_ylabel("articles")
    ax.set_title(title or "Article length")
    fig.tight_layout()
    return fig
