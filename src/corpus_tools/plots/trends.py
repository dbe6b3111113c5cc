"""Figures for term trends: rates with bootstrap bands, keyness bars, source composition."""
from __future__ import annotations

import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ._common import apply_style, draw_events

__all__ = ["plot_term_rates", "plot_keyness", "plot_composition"]


def _label(term) -> str:
    return str(term).replace("_", " ")


def _x_positions(periods: pd.Series) -> tuple[np.ndarray, list[str], list]:
    """Numeric x (period ordinals or group positions) and tick labels, in order."""
    uniq = list(dict.fromkeys(periods.tolist()))
    if uniq and all(isinstance(p, pd.Period) for p in uniq):
        uniq = sorted(uniq)
    return np.arange(len(uniq)), [str(p) for p in uniq], uniq


def plot_term_rates(
    rates: pd.DataFrame,
    *,
    terms=None,
    value: str = "rate",
    title: str | None = None,
    max_ticks: int = 16,
    events: dict | None = None,
) -> Figure:
    """Lines of each term's rate per 10,000 tokens (or document share, ``value="share"``)
    with its bootstrap band; below, the number of articles behind every period.
    ``events`` (``{date: label}``, e.g. ``calendar_events()``) are marked where a
    period holds them.

    Thin periods (``thin`` in :func:`corpus_tools.term_rates`) are drawn as hollow
    markers and shaded in the article panel, so a jump resting on a handful of
    articles is visible at a glance.
    """
    if value not in ("rate", "share"):
        raise ValueError("value must be 'rate' or 'share'")
    apply_style()
    col, lo, hi, ylab = (("rate_per_10k", "rate_low", "rate_high", "per 10,000 tokens") if value == "rate"
                         else ("doc_share", "share_low", "share_high", "share of articles"))
    if terms is not None:
        rates = rates[rates["term"].isin(list(terms))]
    if rates.empty:
        raise ValueError("no rows to plot")
    x_all, ticks, uniq = _x_positions(rates["period"])
    pos = {p: i for i, p in enumerate(uniq)}
    fig, (ax, axn) = plt.subplots(2, 1, sharex=True, figsize=(9, 5.5),
                                  gridspec_kw={"height_ratios": [3, 1]})
    term_order = list(dict.fromkeys(rates["term"]))
    colors = plt.get_cmap("tab10")
    is_time = all(isinstance(p, pd.Period) for p in uniq)
    for k, term in enumerate(term_order):
        g = rates[rates["term"] == term]
        x = g["period"].map(pos).to_numpy(np.float64)
        y = g[col].to_numpy(np.float64)
        c = colors(k % 10)
        name = g["label"].iloc[0] if "label" in g else term
        has_ci = lo in g and g[lo].notna().any()
        if is_time:  # a line through time, with the band
            ax.plot(x, y, color=c, lw=1.6, label=_label(name))
            if has_ci:
                ax.fill_between(x, g[lo].to_numpy(np.float64), g[hi].to_numpy(np.float64),
                                color=c, alpha=0.18, lw=0)
        else:  # unordered groups (outlets): points side by side, no line between groups
            x = x + (k - (len(term_order) - 1) / 2) * min(0.8 / max(len(term_order), 1), 0.2)
            ax.plot([], [], color=c, lw=1.6, label=_label(name))
        if has_ci:
            # whiskers too, so an isolated period (neighbours empty) still shows its interval
            ax.vlines(x, g[lo].to_numpy(np.float64), g[hi].to_numpy(np.float64), color=c, alpha=0.6, lw=1.2)
        thin = g["thin"].to_numpy(bool) if "thin" in g else np.zeros(len(g), bool)
        ax.plot(x[~thin], y[~thin], "o", color=c, ms=4)
        ax.plot(x[thin], y[thin], "o", mfc="white", mec=c, ms=5)
    first = rates[rates["term"] == term_order[0]]
    nx = first["period"].map(pos).to_numpy()
    nd = first["n_docs"].to_numpy()
    thin = first["thin"].to_numpy(bool) if "thin" in first else np.zeros(len(first), bool)
    axn.bar(nx, nd, color=np.where(thin, "#d9a0a0", "#8c8c8c"), width=0.8)
    axn.set_ylabel("articles")
    handles, labels = ax.get_legend_handles_labels()
    handles.append(Line2D([], [], marker="o", ls="", mfc="white", mec="0.3"))
    min_docs = rates.attrs.get("min_docs")
    labels.append(f"thin period (< {min_docs} articles)" if min_docs else "thin period")
    ax.legend(handles, labels, fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_ylabel(ylab)
    ax.set_ylim(bottom=0)
    draw_events(ax, events if is_time else None, uniq)
    ax.set_title(title or _rates_title(rates, value), fontsize=10)
    step = max(1, int(np.ceil(len(ticks) / max_ticks))) if is_time else 1
    axn.set_xticks(x_all[::step])
    axn.set_xticklabels(ticks[::step], rotation=45 if len(ticks) > 8 else 0, ha="right" if len(ticks) > 8 else "center")
    fig.align_ylabels([ax, axn])
    fig.tight_layout()
    return fig


def _rates_title(rates: pd.DataFrame, value: str) -> str:
    """The default title: what is drawn, and how its intervals were computed."""
    jeffreys = "ci_method" in rates and (rates["ci_method"] == "jeffreys").any()
    how = "bootstrap over articles" + ("; Jeffreys where < 5 articles hold the term" if jeffreys else "")
    ci = rates.attrs.get("ci")
    match = rates["match"].iloc[0] if "match" in rates else ""
    return (f"Term {'rates' if value == 'rate' else 'article shares'}"
            + (f" ({int(round(ci * 100))}% CI: {how}" if ci else " (") + (f", match={match})" if match else ")"))


def plot_keyness(keyness: pd.DataFrame, *, n: int = 15, title: str | None = None) -> Figure:
    """Diverging bars of log ratio (Hardie 2014) for the strongest tokens of each side
    of :func:`corpus_tools.term_keyness`; each bar is annotated with its G²."""
    apply_style()
    labels = keyness.attrs.get("labels", ("a", "b"))
    parts = [keyness[keyness["direction"] == lab].head(n) for lab in labels]
    data = pd.concat(parts)
    if data.empty:
        raise ValueError("no rows to plot")
    data = data.sort_values("log_ratio")
    fig, ax = plt.subplots(figsize=(8, max(3.0, 0.28 * len(data) + 1.2)))
    y = np.arange(len(data))
    colors = np.where(data["log_ratio"] > 0, "#c0392b", "#2c7fb8")
    ax.barh(y, data["log_ratio"], color=colors, height=0.7)
    ax.set_yticks(y)
    ax.set_yticklabels([_label(t) for t in data["term"]], fontsize=8)
    ax.axvline(0, color="0.2", lw=0.8)
    span = float(np.nanmax(np.abs(data["log_ratio"]))) or 1.0
    for yi, (lr, g2) in enumerate(zip(data["log_ratio"], data["g2"])):
        ax.text(lr + (0.02 * span if lr >= 0 else -0.02 * span), yi, f"G²={g2:.1f}",
                va="center", ha="left" if lr >= 0 else "right", fontsize=7, color="0.3")
    ax.set_xlim(-1.35 * span, 1.35 * span)
    ax.set_xlabel(f"log₂ ratio of relative frequencies (> 0: more in {labels[0]}; < 0: more in {labels[1]})")
    ax.grid(axis="y", visible=False)
    ax.set_title(title or f"Keyness: {labels[0]} vs {labels[1]}", fontsize=10)
    fig.tight_layout()
    return fig


def plot_composition(
    composition: pd.DataFrame,
    *,
    value: str = "n_docs",
    share: bool = False,
    max_groups: int = 10,
    title: str | None = None,
) -> Figure:
    """Stacked bars of the sources (or any group) behind each period, from
    :func:`corpus_tools.corpus_composition`; groups beyond ``max_groups``
    are pooled as "other"."""
    if value not in ("n_docs", "n_tokens"):
        raise ValueError("value must be 'n_docs' or 'n_tokens'")
    apply_style()
    group = composition.attrs.get("group") or [c for c in composition.columns
                                               if c not in ("period", "n_docs", "n_tokens", "doc_share",
                                                            "token_share")][0]
    table = composition.pivot_table(index="period", columns=group, values=value, aggfunc="sum",
                                    fill_value=0, sort=True)
    if len(table) and isinstance(table.index, pd.PeriodIndex):  # show empty periods as gaps
        table = table.reindex(pd.period_range(table.index.min(), table.index.max(), freq=table.index.freq),
                              fill_value=0)
    order = table.sum().sort_values(ascending=False, kind="stable").index
    table = table[order]
    if table.shape[1] > max_groups:
        keep = list(order[: max_groups - 1])
        table = pd.concat([table[keep], table.drop(columns=keep).sum(axis=1).rename("other")], axis=1)
    if share:
        table = table.div(table.sum(axis=1).where(lambda s: s > 0), axis=0)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    x = np.arange(len(table))
    bottom = np.zeros(len(table))
    cmap = plt.get_cmap("tab10")
    for k, col in enumerate(table.columns):
        vals = table[col].to_numpy(np.float64)
        ax.bar(x, vals, bottom=bottom, color=cmap(k % 10), label=str(col), width=0.8)
        bottom += vals
    ticks = [str(p) for p in table.index]
    step = max(1, int(np.ceil(len(ticks) / 16)))
    ax.set_xticks(x[::step])
    ax.set_xticklabels(ticks[::step], rotation=45 if len(ticks) > 8 else 0, ha="right" if len(ticks) > 8 else "center")
    ax.set_ylabel(("share of " if share else "") + ("articles" if value == "n_docs" else "tokens"))
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0), title=str(group))
    ax.grid(axis="x", visible=False)
    ax.set_title(title or f"Sources per period ({'articles' if value == 'n_docs' else 'tokens'})", fontsize=10)
    fig.tight_layout()
    return fig
