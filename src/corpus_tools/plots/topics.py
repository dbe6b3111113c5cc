"""Figures for topic models: choosing K, topic prevalence over time, topic x period heat map, top terms."""
from __future__ import annotations

import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from ._common import apply_style, draw_events

__all__ = ["plot_k_selection", "plot_topic_prevalence", "plot_topic_heatmap", "plot_topic_terms"]


def plot_k_selection(scores: pd.DataFrame, *, chosen: int | None = None,
                     stability_threshold: float = 0.8, title: str | None = None) -> Figure:
    """Three aligned panels over K (output of :func:`corpus_tools.topic_select_k`):
    NPMI coherence (± one sd over seeds), topic diversity, and stability across
    seeds with a dashed line at ``stability_threshold``. Look for a K where
    coherence and stability are high and diversity has not collapsed;
    ``chosen`` marks one K on every panel."""
    apply_style()
    s = scores.sort_values("k")
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), sharex=True)
    panels = [("coherence_npmi", "NPMI coherence (higher = words co-occur)"),
              ("topic_diversity", "topic diversity (unique top-25 words)"),
              ("topic_stability", "stability across seeds (Jaccard)")]
    for ax, (col, label) in zip(axes, panels):
        ax.plot(s["k"], s[col], marker="o", color="#1f77b4")
        if col == "coherence_npmi" and "coherence_npmi_sd" in s:
            sd = s["coherence_npmi_sd"].fillna(0)
            ax.fill_between(s["k"], s[col] - sd, s[col] + sd, alpha=0.2, color="#1f77b4")
        if col == "topic_stability":
            ax.axhline(stability_threshold, ls="--", color="grey", lw=1)
            ax.set_ylim(0, 1.02)
        if col == "topic_diversity":
            ax.set_ylim(0, 1.02)
        if chosen is not None:
            ax.axvline(chosen, color="#d62728", lw=1, alpha=0.7)
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("number of topics K")
        ax.set_xticks(s["k"].tolist())
    method = scores.attrs.get("method")
    fig.suptitle(title or f"Choosing K ({method})" if method else (title or "Choosing K"),
                 fontsize=11)
    fig.tight_layout()
    return fig


def _short(label: str, width: int = 38) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def plot_topic_prevalence(prev: pd.DataFrame, *, topics=None, ncols: int = 3,
                          title: str | None = None, events: dict | None = None) -> Figure:
    """Small multiples, one per topic: share per period (output of
    :func:`corpus_tools.topic_prevalence`) with its bootstrap band. Thin periods
    are hollow markers; the x axis lists every period, empty ones included.
    Groups that are not periods (outlets, levels) are points with their intervals,
    no line joining them, and each tick says its number of documents.
    ``events`` (``{date: label}``) are marked where a period holds them."""
    apply_style()
    topics = sorted(prev["topic"].unique()) if topics is None else list(topics)
    periods = list(dict.fromkeys(prev["period"].tolist()))
    is_time = "period_start" in prev
    x = {p: i for i, p in enumerate(periods)}
    nrows = int(np.ceil(len(topics) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 2.4 * nrows + 0.6),
                             sharex=True, sharey=True, squeeze=False)
    for ax in axes.ravel()[len(topics):]:
        ax.set_visible(False)
    for ax, k in zip(axes.ravel(), topics):
        d = prev[prev["topic"] == k]
        xs = d["period"].map(x).to_numpy()
        if is_time:  # a band and a line through time; categories are not joined
            ax.fill_between(xs, d["share_low"], d["share_high"], alpha=0.25, color="#1f77b4", lw=0)
            ax.plot(xs, d["share"], color="#1f77b4", lw=1.2)
        # whiskers too: a period between two gaps has no band to show
        ax.vlines(xs, d["share_low"], d["share_high"], color="#1f77b4", lw=1, alpha=0.6)
        full = ~d["thin"].to_numpy()
        ax.plot(xs[full], d["share"].to_numpy()[full], "o", ms=3.5, color="#1f77b4")
        ax.plot(xs[~full], d["share"].to_numpy()[~full], "o", ms=3.5, mfc="white",
                color="#1f77b4")
        ax.set_title(_short(f"{k}: {d['label'].iloc[0]}"), fontsize=9)
        draw_events(ax, events, periods)
    step = max(1, len(periods) // 8) if is_time else 1
    ticks = periods
    if not is_time:  # each group says how many documents stand behind it (* thin)
        nd = prev.drop_duplicates("period").set_index("period")
        ticks = [f"{p} (n={nd.loc[p, 'n_docs']}{'*' if nd.loc[p, 'thin'] else ''})" for p in periods]
    for ax in axes[-1]:
        ax.set_xticks(range(0, len(periods), step))
        ax.set_xticklabels(ticks[::step], rotation=45, ha="right", fontsize=8)
    for ax in axes[:, 0]:
        ax.set_ylabel("topic share")
    by = prev.attrs.get("by", "period")
    fig.suptitle(title or (f"Topic share by {by} (bands: bootstrap CI; hollow: thin)" if is_time
                           else f"Topic share by {by} (bars: bootstrap CI; hollow and *: thin)"), fontsize=11)
    fig.tight_layout()
    return fig


def plot_topic_heatmap(prev: pd.DataFrame, *, title: str | None = None,
                       annotate: bool = True) -> Figure:
    """Topic x period heat map of shares (output of
    :func:`corpus_tools.topic_prevalence`); columns are labelled with their number
    of documents, thin ones marked with ``*``."""
    apply_style()
    periods = list(dict.fromkeys(prev["period"].tolist()))
    tab = prev.pivot(index="topic", columns="period", values="share")[periods]
    labels = prev.drop_duplicates("topic").set_index("topic")["label"].reindex(tab.index)
    nd = prev.drop_duplicates("period").set_index("period")
    fig, ax = plt.subplots(figsize=(max(5, 0.9 * len(periods) + 4), 0.38 * len(tab) + 1.8))
    im = ax.imshow(tab.to_numpy(dtype=float), aspect="auto", cmap="Blues", vmin=0)
    ax.set_yticks(range(len(tab)))
    ax.set_yticklabels([_short(f"{k}: {labels[k]}", 44) for k in tab.index], fontsize=8)
    ax.set_xticks(range(len(periods)))
    ax.set_xticklabels([f"{p}\nn={nd.loc[p, 'n_docs']}{'*' if nd.loc[p, 'thin'] else ''}"
                        for p in periods], fontsize=8, rotation=0 if len(periods) < 8 else 45)
    ax.grid(False)
    if annotate and tab.size <= 400:
        vmax = np.nanmax(tab.to_numpy(dtype=float)) if tab.notna().any().any() else 1
        for i in range(tab.shape[0]):
            for j in range(tab.shape[1]):
                v = tab.iat[i, j]
                if np.isfinite(v):
                    ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7,
                            color="white" if v > 0.6 * vmax else "black")
    fig.colorbar(im, ax=ax, label="mean topic share", shrink=0.8)
    ax.set_title(title or "Topic share by period (* = thin)", fontsize=11)
    fig.tight_layout()
    return fig


def plot_topic_terms(model, topics=None, *, n: int = 10, lambda_: float = 0.6,
                     ncols: int = 4) -> Figure:
    """Top terms of each topic by relevance at ``lambda_`` (bars: probability
    in the topic; grey: the term's overall corpus probability, as in LDAvis)."""
    apply_style()
    K = model.components_.shape[0]
    topics = range(K) if topics is None else list(topics)
    topics = list(topics)
    phi = model.topic_word_
    pw = model.term_frequency_ / max(model.term_frequency_.sum(), 1)
    R = model.relevance(lambda_)
    nrows = int(np.ceil(len(topics) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 0.22 * n * nrows + 0.9 * nrows),
                             squeeze=False)
    for ax in axes.ravel()[len(topics):]:
        ax.set_visible(False)
    for ax, k in zip(axes.ravel(), topics):
        cols = np.argsort(-R[k], kind="stable")[:n][::-1]
        y = np.arange(len(cols))
        ax.barh(y, pw[cols], color="#cccccc", height=0.8)
        ax.barh(y, phi[k, cols], color="#1f77b4", height=0.5)
        ax.set_yticks(y)
        ax.set_yticklabels([model.vocabulary_[j].replace("_", " ") for j in cols], fontsize=8)
        ax.set_title(_short(f"{k}: {model.labels_[k]}", 34), fontsize=9)
        ax.tick_params(axis="x", labelsize=7)
    fig.tight_layout()
    return fig
