"""Whether the data can support a model: levels of a categorical covariate with too
few documents, and outcomes that never vary in a level (complete separation), found
before fitting, so an estimate is refused by name (or its documents left out, said)
instead of printed with a p-value of 1e-295.

Written here: statsmodels fits whatever it is given; separation shows only as a huge
coefficient with a small reported error.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["MIN_GROUP_DOCS", "check_support", "drop_unsupported", "support_message"]

#: A level of a categorical covariate needs this many documents (clusters, with
#: ``cluster=``) to be estimated: below it, robust errors and the normal
#: approximation lose their coverage (benchmarks/bench_effects.py).
MIN_GROUP_DOCS = 10


def check_support(y: pd.DataFrame, data: pd.DataFrame, rhs: str, kind: str, tokens=None, groups=None,
                  min_docs: int = MIN_GROUP_DOCS, ci: float = 0.95) -> pd.DataFrame:
    """The levels of the categorical covariates of ``rhs`` that a model cannot
    estimate: ``thin`` (fewer than ``min_docs`` documents, or clusters) or
    ``separated`` (an outcome that never varies in the level: a term never used,
    a share always 0). One row per problem: ``outcome`` (None for thin),
    ``covariate``, ``level``, ``n_docs``, ``problem``, and for counts the
    level's own rate with its exact interval (``rate_per_10k``, ``rate_low``,
    ``rate_high``): the number that can be given."""
    from .intervals import exact_poisson_interval
    cats = [c for c in data.columns if not pd.api.types.is_numeric_dtype(data[c])
            or re.search(rf"\bC\(\s*{re.escape(c)}\b", rhs)]
    rows = []
    units = pd.Series(groups if groups is not None else np.arange(len(data)), index=data.index)
    for c in cats:
        for level, idx in data.groupby(c, sort=True).groups.items():
            n = int(units.loc[idx].nunique())
            if n < min_docs:
                rows.append({"outcome": None, "covariate": c, "level": level, "n_docs": n, "problem": "thin"})
                continue
            for outcome in y.columns:
                v = y.loc[idx, outcome].to_numpy(dtype=float)
                if (v == 0).all() or (kind == "share" and (v == 1).all()):
                    row = {"outcome": outcome, "covariate": c, "level": level, "n_docs": n,
                           "problem": "separated"}
                    if kind == "count" and tokens is not None:
                        t = float(tokens.loc[idx].sum())
                        lo, hi = exact_poisson_interval(0.0, t, ci)
                        row.update(rate_per_10k=0.0, rate_low=float(lo), rate_high=float(hi))
                    rows.append(row)
    return pd.DataFrame(rows, columns=["outcome", "covariate", "level", "n_docs", "problem", "rate_per_10k",
                                       "rate_low", "rate_high"])


def drop_unsupported(y, data, rhs, kind, tokens, groups, min_docs, ci, on_thin, formula, notes):
    """The documents a model can be fitted on: :func:`check_support`'s levels
    refused (an error that names them) or left out (said in ``notes``)."""
    bad = check_support(y, data, rhs, kind, tokens, groups, min_docs, ci)
    if not len(bad):
        return data, y, tokens, groups
    if on_thin == "refuse":
        raise ValueError(f"cannot estimate {formula!r}: {support_message(bad, min_docs)}. Fix: merge rare "
                         "levels (suggest_formula merges levels under min_docs into 'other'), drop the "
                         "covariate, or pass on_thin='drop' to leave those documents out")
    drop = np.zeros(len(data), dtype=bool)
    for r in bad.itertuples():
        drop |= (data[r.covariate] == r.level).to_numpy()
    notes.append(f"left out {int(drop.sum())} documents of levels that cannot be estimated: "
                 f"{support_message(bad, min_docs)}")
    keep = ~drop
    return (data[keep], y[keep], tokens[keep] if tokens is not None else None,
            groups[keep] if groups is not None else None)


def support_message(bad: pd.DataFrame, min_docs: int) -> str:
    parts = []
    for r in bad.itertuples():
        if r.problem == "thin":
            parts.append(f"{r.covariate}={r.level!r} has {r.n_docs} document(s), fewer than {min_docs}")
        else:
            extra = (f"; its own rate is 0 per 10,000 tokens, interval "
                     f"[0, {r.rate_high:.3g}] (exact Poisson)" if pd.notna(r.rate_high) else "")
            parts.append(f"{r.outcome!r} never varies in {r.covariate}={r.level!r} ({r.n_docs} documents): "
                         f"complete separation, its coefficient would be infinite{extra}")
    return "; ".join(parts)
