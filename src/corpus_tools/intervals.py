"""Intervals for small and zero counts, where a bootstrap has nothing to resample:
one home for trends (rates and shares per period) and effects (a group's rate
when its coefficient cannot be estimated)."""
from __future__ import annotations

import numpy as np

__all__ = ["exact_poisson_interval", "jeffreys_intervals"]


def jeffreys_intervals(count, n_tokens, ndocs_with, n_docs, ci: float):
    """Jeffreys intervals (Brown, Cai & DasGupta 2001, *Stat. Sci.* 16(2)) of a rate
    per 10,000 tokens (a Poisson count: Gamma(x + 1/2) quantiles over the tokens)
    and of a document share (Beta(x + 1/2, n - x + 1/2) quantiles); the lower bound
    is 0 when nothing was seen and the share's upper bound 1 when everything was,
    as they recommend. Coverage is near nominal at small counts (averaged over the
    true rate; ``benchmarks/bench_trends.py``); a count carried by one article is
    more variable than a Poisson count, which the ``method`` column makes visible."""
    from scipy.stats import beta, gamma
    a = (1 - ci) / 2
    x, t = np.asarray(count, dtype=float), np.asarray(n_tokens, dtype=float)
    d, n = np.asarray(ndocs_with, dtype=float), np.asarray(n_docs, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        r_lo = np.where(x > 0, gamma.ppf(a, x + 0.5), 0.0) * 1e4 / t
        r_hi = gamma.ppf(1 - a, x + 0.5) * 1e4 / t
        s_lo = np.where(d > 0, beta.ppf(a, d + 0.5, n - d + 0.5), 0.0)
        s_hi = np.where(d < n, beta.ppf(1 - a, d + 0.5, n - d + 0.5), 1.0)
    bad = t <= 0
    r_lo, r_hi = np.where(bad, np.nan, r_lo), np.where(bad, np.nan, r_hi)
    s_lo, s_hi = np.where(n <= 0, np.nan, s_lo), np.where(n <= 0, np.nan, s_hi)
    return r_lo, r_hi, s_lo, s_hi


def exact_poisson_interval(count, n_tokens, ci: float):
    """The exact (Garwood 1936, *Biometrika* 28) interval of a rate per 10,000
    tokens: Gamma(x) and Gamma(x + 1) quantiles, coverage at least nominal for
    every true rate. Where a group's coefficient cannot be estimated (a term never
    used in it), this is the interval given for its own rate: never narrower than
    exact."""
    from scipy.stats import gamma
    a = (1 - ci) / 2
    x, t = np.asarray(count, dtype=float), np.asarray(n_tokens, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        lo = np.where(x > 0, gamma.ppf(a, np.maximum(x, 1e-12)), 0.0) * 1e4 / t
        hi = gamma.ppf(1 - a, x + 1) * 1e4 / t
    return lo, hi
