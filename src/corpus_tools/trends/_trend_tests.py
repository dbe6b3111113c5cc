"""Trend tests over a rate series: Mann-Kendall, Sen's slope, CUSUM change points."""
from __future__ import annotations

import math
import zlib

import numpy as np
import pandas as pd
from scipy import stats



# --------------------------------------------------------------------------- trend tests
def _mann_kendall(x: np.ndarray, continuity: bool = True) -> dict:
    """Mann-Kendall test (Mann 1945; Kendall 1975): S, Var(S) corrected for ties,
    Z (with continuity correction), two-sided normal p, and Kendall's tau-a."""
    x = np.asarray(x, dtype=np.float64)
    n = len(x)
    i, j = np.triu_indices(n, k=1)
    s = float(np.sign(x[j] - x[i]).sum())
    _, ties = np.unique(x, return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - np.sum(ties * (ties - 1) * (2 * ties + 5))) / 18.0
    if var <= 0:
        z = 0.0
    elif continuity:
        z = (s - np.sign(s)) / math.sqrt(var)
    else:
        z = s / math.sqrt(var)
    p = float(2 * stats.norm.sf(abs(z))) if var > 0 else 1.0
    return {"mk_s": s, "mk_var_s": var, "mk_z": z, "mk_p": p,
            "mk_tau": s / (n * (n - 1) / 2) if n > 1 else np.nan}


def _sen_slope(x: np.ndarray, t: np.ndarray) -> float:
    """Median of pairwise slopes (Sen 1968; Theil 1950)."""
    i, j = np.triu_indices(len(x), k=1)
    if not len(i):
        return np.nan
    return float(np.median((x[j] - x[i]) / (t[j] - t[i])))


def _cusum_change_point(x: np.ndarray, rng, n_perm: int) -> tuple[int, float]:
    """Single mean shift: location maximising |CUSUM| of deviations from the mean
    (Page 1954), p-value from random permutations of the series (Taylor 2000)."""
    dev = np.cumsum(x - x.mean())[:-1]
    k = int(np.argmax(np.abs(dev)))
    stat = abs(dev[k])
    if n_perm <= 0 or np.allclose(x, x[0]):
        return k + 1, (np.nan if n_perm <= 0 else 1.0)
    perms = rng.permuted(np.tile(x, (n_perm, 1)), axis=1)
    pstat = np.abs(np.cumsum(perms - x.mean(), axis=1)[:, :-1]).max(axis=1)
    p = (1 + np.sum(pstat >= stat - 1e-12)) / (n_perm + 1)
    return k + 1, float(p)


def _binary_segmentation(x: np.ndarray, rng, n_perm: int, alpha: float, max_cp: int,
                         first: tuple[int, float], min_size: int = 2) -> list[int]:
    """Change points by binary segmentation (Scott & Knott 1974; Vostrikova 1981):
    split at the CUSUM maximum while the permutation test rejects at ``alpha``,
    then look inside the parts, widest first; segments shorter than
    ``2 * min_size`` are not split. ``first`` is the whole series' test,
    already computed by the caller."""
    found: list[int] = []
    segments = [(0, len(x))]
    while segments and len(found) < max_cp:
        segments.sort(key=lambda ab: (-(ab[1] - ab[0]), ab[0]))
        a, b = segments.pop(0)
        if b - a < 2 * min_size:
            continue
        k, p = first if (a, b) == (0, len(x)) else _cusum_change_point(x[a:b], rng, n_perm)
        if p < alpha and min_size <= k <= (b - a) - min_size:
            found.append(a + k)
            segments += [(a, a + k), (a + k, b)]
    return sorted(found)


def _series_tests(grp: pd.DataFrame, value: str, rng, *, alpha, n_perm, min_periods,
                  max_change_points) -> dict:
    """The tests of :func:`trend_tests` on one term's rows, and their caveat."""
    g = grp[(grp["n_docs"] > 0) & grp[value].notna()]
    periods = g["period"].tolist()
    is_time = bool(periods) and all(isinstance(p, pd.Period) for p in periods)
    x = g[value].to_numpy(np.float64)
    t = np.array([p.ordinal for p in periods], dtype=np.float64) if is_time else np.arange(len(x), dtype=np.float64)
    n = len(x)
    row = {"n_periods": n, "n_thin": int(g["thin"].sum()) if "thin" in g else 0,
           "first_period": periods[0] if n else None, "last_period": periods[-1] if n else None}
    if n >= 3:
        row.update(_mann_kendall(x))
        row["sen_slope"] = _sen_slope(x, t)
        k, p = _cusum_change_point(x, rng, n_perm)
        row.update({"change_point": periods[k], "mean_before": float(x[:k].mean()),
                    "mean_after": float(x[k:].mean()), "cp_p": p})
        if max_change_points == 1:
            row["change_points"] = [periods[k]] if p < alpha else []
        else:
            row["change_points"] = [periods[i] for i in _binary_segmentation(
                x, rng, n_perm, alpha, max_change_points, first=(k, p))]
    else:
        row.update({"mk_s": np.nan, "mk_var_s": np.nan, "mk_z": np.nan, "mk_p": np.nan, "mk_tau": np.nan,
                    "sen_slope": np.nan, "change_point": None, "mean_before": np.nan,
                    "mean_after": np.nan, "cp_p": np.nan, "change_points": []})
    if n >= 3 and row["mk_p"] < alpha:
        row["trend"] = "increasing" if row["mk_s"] > 0 else "decreasing"
    else:
        row["trend"] = "no trend"
    notes = []
    if n < 3:
        notes.append(f"only {n} period(s): no test")
    elif n < min_periods:
        notes.append(f"only {n} periods (< {min_periods}): tests have little power")
    n_empty = int((grp["n_docs"] == 0).sum())
    if n_empty:
        notes.append(f"{n_empty} empty period(s) skipped")
    if row["n_thin"]:
        notes.append(f"{row['n_thin']} thin period(s) (few documents)")
    if n and not is_time:
        notes.append("grouping is not time: order is arbitrary")
    row["caveat"] = "; ".join(notes)
    return row


def trend_tests(
    rates: pd.DataFrame,
    *,
    value: str = "rate_per_10k",
    alpha: float = 0.05,
    n_perm: int = 999,
    min_periods: int = 8,
    max_change_points: int = 1,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """Monotonic trend and change point of each term's series from :func:`term_rates`.

    Per term (and ``match``): Mann-Kendall S, Var(S) with the tie correction, Z with
    continuity correction and two-sided p (Mann 1945; Kendall 1975); Kendall's tau;
    Sen's slope in ``value`` units per period step (Sen 1968); a single mean-shift
    change point by CUSUM with a permutation p-value (Page 1954; Taylor 2000).
    Empty periods (no documents) are skipped; the slope uses the periods' real
    spacing. ``caveat`` explains when the result should not be trusted: fewer than
    ``min_periods`` periods (the normal approximation and the change-point test
    have little power), thin periods, or a grouping that is not time.

    ``change_point``/``cp_p`` describe the strongest single shift whatever its p;
    ``change_points`` lists the shifts significant at ``alpha``, up to
    ``max_change_points`` of them by binary segmentation. Each term gets its own
    random stream (seeded by ``random_state`` and the term), so its p-values do
    not depend on the other terms in the table.
    """
    required = {"term", "period", value, "n_docs"}
    missing = required - set(rates.columns)
    if missing:
        raise ValueError(f"rates lacks columns {sorted(missing)}; pass the output of term_rates")
    if max_change_points < 1:
        raise ValueError("max_change_points must be >= 1")
    keys = ["term", "match"] if "match" in rates.columns else ["term"]
    rows = []
    for key, grp in rates.groupby(keys, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        rng = np.random.default_rng(None if random_state is None else
                                    [int(random_state), zlib.crc32(repr(key).encode("utf-8"))])
        row = dict(zip(keys, key))
        row.update(_series_tests(grp, value, rng, alpha=alpha, n_perm=n_perm,
                                 min_periods=min_periods, max_change_points=max_change_points))
        rows.append(row)
    cols = keys + ["n_periods", "n_thin", "first_period", "last_period", "mk_s", "mk_var_s", "mk_z",
                   "mk_p", "mk_tau", "trend", "sen_slope", "change_point", "mean_before", "mean_after",
                   "cp_p", "change_points", "caveat"]
    return pd.DataFrame(rows, columns=cols)


