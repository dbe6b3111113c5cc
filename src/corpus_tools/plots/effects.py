"""Covariate effects (input: :meth:`corpus_tools.Effects.expected` / ``contrast``), in the
style of stm's ``plot.estimateEffect``: ``method="continuous"`` and ``"difference"``."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ._common import event_marker

__all__ = ["plot_effects", "plot_effect_difference"]

_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f"]


def plot_effects(expected: pd.DataFrame, *, title: str | None = None, ylabel: str | None = None,
                 events: dict | None = None) -> Figure:
    """Expected outcome against one covariate, with its interval: a line and band for
    a numeric covariate (one per ``group`` when the table has them), points and
    bars for a categorical one; one panel per outcome. ``events`` (``{value:
    label}``) draws vertical markers, e.g. congresses on a time axis."""
    if expected.empty:
        raise ValueError("no rows to plot")
    outcomes = list(dict.fromkeys(expected["outcome"]))
    fig, axes = plt.subplots(1, len(outcomes), figsize=(min(4.2 * len(outcomes), 12), 3.8), squeeze=False)
    numeric = pd.api.types.is_numeric_dtype(expected["value"])
    groups = list(dict.fromkeys(expected["group"])) if "group" in expected else [None]
    for ax, outcome in zip(axes[0], outcomes):
        sub = expected[expected["outcome"] == outcome]
        for gi, g in enumerate(groups):
            part = sub if g is None else sub[sub["group"] == g]
            c = _COLOURS[gi % len(_COLOURS)]
            label = None if g is None else str(g)
            if numeric:
                ax.plot(part["value"], part["estimate"], color=c, label=label)
                ax.fill_between(part["value"], part["ci_low"], part["ci_high"], color=c, alpha=0.2, lw=0)
            else:
                x = np.arange(len(part)) + (gi - (len(groups) - 1) / 2) * 0.15
                ax.errorbar(x, part["estimate"], yerr=[part["estimate"] - part["ci_low"],
                                                       part["ci_high"] - part["estimate"]],
                            fmt="o", color=c, capsize=3, label=label)
                ax.set_xticks(np.arange(len(part)), [str(v) for v in part["value"]], rotation=30, ha="right")
        for v, lab in (events or {}).items():
            event_marker(ax, v, lab)
        ax.set_title(str(outcome), fontsize=10)
        ax.set_xlabel(str(sub["covariate"].iloc[0]))
        if groups != [None]:
            ax.legend(fontsize=7, title=str(sub["by"].iloc[0]), title_fontsize=7)
    axes[0][0].set_ylabel(ylabel or "expected value (95% interval)")
    fig.suptitle(title or "Expected outcome by covariate", fontsize=11)
    fig.tight_layout()
    return fig


def plot_effect_difference(contrasts: pd.DataFrame, *, title: str | None = None,
                           xlabel: str | None = None) -> Figure:
    """Each contrast (a - b) of each outcome as a point with its interval, around zero."""
    if contrasts.empty:
        raise ValueError("no rows to plot")
    c = contrasts.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7, max(2.2, 0.45 * len(c) + 1)))
    y = np.arange(len(c))
    ax.errorbar(c["estimate"], y, xerr=[c["estimate"] - c["ci_low"], c["ci_high"] - c["estimate"]],
                fmt="o", color="#1f77b4", capsize=3)
    ax.axvline(0, color="#555555", lw=0.8)
    ax.set_yticks(y, [f"{o} · {k}" for o, k in zip(c["outcome"], c["contrast"])], fontsize=8)
    ax.set_xlabel(xlabel or "difference in expected value (95% interval)")
    ax.set_title(title or "Contrasts", fontsize=11)
    fig.tight_layout()
    return fig
