"""Figures for cited documents, Party levels and officials (input: ``corpus_tools.references`` tables)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
import pandas as pd
from matplotlib.figure import Figure

from .._options import renamed_options

from ..references import LEVELS, citation_counts, split_by_id_status

__all__ = ["plot_most_cited", "plot_citations_over_time", "plot_levels", "plot_officials"]


def _not_shown(left: dict) -> str | None:
    parts = [f"{n} mention{'s' * (n != 1)} {label}" for k, label in
             (("unresolved", "without a full id"), ("term_guessed", "with a guessed term")) if (n := left.get(k, 0))]
    return "Not shown: " + ", ".join(parts) + " (id_status)." if parts else None


def _foot(fig: Figure, note: str | None) -> None:
    if note:
        fig.text(0.01, 0.005, note, fontsize=7, color="#555555", ha="left", va="bottom")
        fig.tight_layout(rect=(0, 0.04, 1, 1))


@renamed_options(unit="count")
def plot_most_cited(refs: pd.DataFrame, *, n: int = 15, count: str = "articles") -> Figure:
    """Horizontal bars: the ``n`` documents cited by most articles (or mentions), coloured by
    level. Only ids that are resolved are ranked; the others are counted in the foot
    (:func:`corpus_tools.references.split_by_id_status`)."""
    refs, left = split_by_id_status(refs)
    note = _not_shown(left)
    counts = citation_counts(refs, by=None, count=count, n=n)
    level = refs.groupby("canonical")["level"].agg(lambda s: s.mode().iloc[0] if len(s.mode()) else "unknown")
    colours = {"central": "#b2182b", "commission": "#ef8a62", "provincial": "#2166ac", "district": "#67a9cf",
               "grassroots": "#1b7837", "local": "#999999", "unknown": "#bbbbbb"}
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(counts) + 1)))
    if counts.empty:  # every mention left out (or none): say so rather than draw empty axes
        ax.text(0.5, 0.5, "no document with a resolved id" if left else "no cited documents",
                ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        _foot(fig, note)
        return fig
    c = counts.iloc[::-1]
    ax.barh(c["canonical"], c["n"], color=[colours.get(level.get(k), "#bbbbbb") for k in c["canonical"]])
    ax.set_xlabel("articles citing" if count == "articles" else "mentions")
    ax.set_title(f"Most-cited documents (top {len(counts)})")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    shown = [lv for lv in colours if lv in set(level.reindex(c["canonical"]).fillna("unknown"))]
    if shown:
        ax.legend(handles=[Patch(color=colours[lv], label=lv) for lv in shown], title="issuer level",
                  loc="lower right", fontsize=8)
    fig.tight_layout()
    _foot(fig, note)
    return fig


def plot_citations_over_time(refs: pd.DataFrame, *, n: int = 8, by="year") -> Figure:
    """Heat map: articles citing each of the ``n`` documents per period (``by`` year/quarter/month);
    resolved ids only, the others counted in the foot (:func:`corpus_tools.references.split_by_id_status`)."""
    refs, left = split_by_id_status(refs)
    note = _not_shown(left)
    counts = citation_counts(refs, by=by, count="articles", n=n)
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.4 * max(1, counts["canonical"].nunique()) + 1.2)))
    if counts.empty:
        ax.text(0.5, 0.5, "no dated citation with a resolved id" if left else "no dated citations",
                ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        _foot(fig, note)
        return fig
    order = list(dict.fromkeys(counts["canonical"]))
    table = counts.pivot_table(index="canonical", columns="period", values="n", aggfunc="sum", fill_value=0)
    periods = sorted(table.columns)
    if isinstance(by, str) and by == "year":  # show the years nobody cited these documents too
        periods = [str(y) for y in range(int(periods[0]), int(periods[-1]) + 1)]
    table = table.reindex(index=order, columns=periods, fill_value=0)
    im = ax.imshow(table.to_numpy(), aspect="auto", cmap="Reds")
    ax.set_yticks(range(len(table.index)), labels=table.index)
    ax.set_xticks(range(len(table.columns)), labels=table.columns, rotation=45 if len(table.columns) > 6 else 0)
    vmax = table.to_numpy().max()
    for (i, j), v in np.ndenumerate(table.to_numpy()):
        if v:
            ax.text(j, i, int(v), ha="center", va="center", fontsize=8,
                    color="white" if v > 0.6 * vmax else "black")
    ax.grid(False)
    fig.colorbar(im, ax=ax, label="articles citing")
    ax.set_title(f"Citation of the most-cited documents by {by}")
    fig.tight_layout()
    _foot(fig, note)
    return fig


def plot_levels(levels: pd.DataFrame) -> Figure:
    """Bars: number of articles at each Party level (``levels_table`` output)."""
    order = list(LEVELS) + ["unknown"]
    counts = levels["level"].value_counts().reindex(order, fill_value=0)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.bar(counts.index, counts.to_numpy(), color=["#b2182b", "#2166ac", "#67a9cf", "#1b7837", "#bbbbbb"])
    for i, v in enumerate(counts.to_numpy()):
        ax.text(i, v, str(int(v)), ha="center", va="bottom", fontsize=9)
    ax.set_ylabel("articles")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Articles by Party level")
    fig.tight_layout()
    return fig


def plot_officials(top: pd.DataFrame, *, max_titles: int = 2) -> Figure:
    """Horizontal bars: officials named in most articles, labelled with their commonest titles."""
    fig, ax = plt.subplots(figsize=(9, max(2.5, 0.4 * len(top) + 1)))
    if top.empty:
        ax.text(0.5, 0.5, "no officials", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    t = top.iloc[::-1]
    labels = [f"{r.person_id} — {', '.join(r.titles[:max_titles])}" if len(r.titles) else r.person_id
              for r in t.itertuples()]
    ax.barh(labels, t["n_articles"], color="#4d4d4d")
    ax.set_xlabel("articles naming the person")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Officials most mentioned (with their commonest titles)")
    ax.tick_params(axis="y", labelsize=8)
    fig.tight_layout()
    return fig
