"""When attention jumped: change points and bursts in a series per period, and
whether they fall nearer the Party's calendar than chance.

- :func:`change_points` finds level changes by PELT (Killick, Fearnhead & Eckley,
  JASA 2012; the ``ruptures`` search) on a variance-stabilised series, with a
  penalty calibrated by permuting the series' periods so that a series with no
  change shows one in ``alpha`` of cases (the false-change rate is a parameter,
  not a by-product; Antoch & Hušková 2001 for permutation change-point tests).
- :func:`bursts` marks periods of raised intensity with Kleinberg's two-state
  automaton (KDD 2002), for counts with an exposure.
- :func:`calendar_test` asks whether changes fall nearer to congresses or plenums
  than the same changes shifted in time (circular shifts keep their spacing).

Each takes the tables the package makes per period: :func:`term_rates`
(``count`` per ``n_tokens``), :func:`topic_prevalence` (``share`` per ``n_docs``),
:func:`formula_spread` (``n_docs``), or any long table with a period column.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from ._options import check_choice
from .periods import period_starts

__all__ = ["change_points", "ChangePoints", "bursts", "calendar_test", "CalendarTest"]

#: What a table's columns mean, by the function that made it: (series key, value,
#: exposure, kind). ``counts``: a count per exposure (Poisson-like noise);
#: ``shares``: a mean of document shares over ``n_docs`` documents.
_SHAPES = (
    ("term", "count", "n_tokens", "counts"),      # term_rates
    ("topic", "share", "n_docs", "shares"),       # topic_prevalence
    ("formula", "n_docs", None, "counts"),        # formula_spread
)
Kind = Literal["counts", "shares"]


@dataclass
class ChangePoints:
    """Change points of one or more series.

    ``table``: one row per change: ``series``, ``period`` (the first period at the
    new level), ``date`` (its start), ``before``/``after`` (the levels of the
    segments either side, in the table's units), ``ratio`` (after / before) and
    ``gain`` (how much the change improves the fit, in units of the penalty: > 1).
    ``series``: one row per series: periods used, the noise ``noise_sd`` (median sd of the square-rooted level), the
    penalty, the number of changes. ``grid``: each series' periods in order (the
    time axis :func:`calendar_test` shifts along). ``notes``: what the numbers rest on.
    """
    table: pd.DataFrame
    series: pd.DataFrame
    grid: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    params: dict = field(default_factory=dict)


def _shape(table: pd.DataFrame, series, value, exposure, kind):
    """Columns of a known table, or the caller's; raises naming what is missing."""
    for key, val, exp, knd in _SHAPES:
        if value is None and val in table.columns and (key in table.columns or series is not None):
            if exp is not None and exp not in table.columns:
                continue
            series = key if series is None else series
            value, exposure = val, exposure if exposure is not None else exp
            kind = kind or knd
            break
    if value is None:
        raise ValueError("cannot tell which column to follow: pass value= (and exposure=, series=); "
                         f"the table has {list(table.columns)}")
    for name, col in (("value", value), ("exposure", exposure), ("series", series)):
        if col is not None and col not in table.columns:
            raise ValueError(f"{name}={col!r} is not a column of the table ({list(table.columns)})")
    return series, value, exposure, kind or "counts"


def _cumsums(z: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Cumulative sums of w, w z, w z^2 along the last axis (a leading 0)."""
    pad = [(0, 0)] * (np.ndim(z) - 1) + [(1, 0)]
    return np.stack([np.pad(np.cumsum(a, axis=-1), pad) for a in (w * np.ones_like(z), w * z, w * z * z)])


def _seg_cost(cs: np.ndarray, s, e):
    """Weighted sum of squares about the weighted mean of z[s:e] (vectorised over s, e)."""
    sw, swz, swz2 = (cs[i][..., e] - cs[i][..., s] for i in range(3))
    return swz2 - swz * swz / np.where(sw > 0, sw, 1.0)


def _scale(z: np.ndarray, c: np.ndarray) -> np.ndarray:
    """sigma^2 where var z_t = sigma^2 c_t, from successive differences: the mean
    square of the smallest 80% (a few level changes make the largest ones; the
    difference-based noise estimate of change-point practice, e.g. Fryzlewicz,
    Ann. Stat. 2014), scaled to be unbiased for Gaussian noise. Vectorised over
    the rows of ``z``."""
    d2 = np.sort(np.diff(z, axis=-1) ** 2 / (c[..., 1:] + c[..., :-1]), axis=-1)
    keep = max(1, int(np.ceil(0.8 * d2.shape[-1])))
    # the trimmed mean of a normal square is this share of its variance
    return d2[..., :keep].mean(axis=-1) / _TRIM80


#: E[Z^2 | |Z| <= z_0.9] for a standard normal Z (0.8 of the mass kept).
_TRIM80 = 0.4377


def _max_gain(cs: np.ndarray, n: int, min_size: int, max_changes: int = 4) -> np.ndarray:
    """The smallest penalty per change at which no segmentation beats none:
    max over k of (cost of no change - best cost with k changes) / k, by dynamic
    programming over k <= ``max_changes`` (PELT's optimum has a change exactly
    when the penalty is below this). Vectorised over the leading axes of ``cs``."""
    lead = cs.shape[1:-1]
    idx = np.arange(n + 1)
    seg = _seg_cost(cs, idx[:, None], idx[None, :])            # (..., start, end)
    span = idx[None, :] - idx[:, None]
    seg = np.where(span >= min_size, seg, np.inf)
    total = seg[..., 0, n]
    best = seg[..., 0, :]                                       # one segment: (..., end)
    out = np.zeros(lead)
    for k in range(1, min(max_changes, n // min_size - 1) + 1):
        best = np.min(best[..., :, None] + seg, axis=-2)        # k + 1 segments ending at each end
        out = np.maximum(out, (total - best[..., n]) / k)
    return out


def _penalty(z: np.ndarray, c: np.ndarray, floor: float, min_size: int, alpha: float, n_perm: int, rng) -> float:
    """The (1 - alpha) Monte Carlo quantile of the gain per change, in units of
    the estimated sigma^2, of the series with its standardised residuals permuted
    across periods: with no change the periods are exchangeable, so this is the
    statistic's null distribution with the data's own tails (documents that repeat
    a word make them heavy), the noise estimate's own noise included (a
    permutation test for change points: Antoch & Hušková 2001)."""
    w = 1.0 / c
    level = float(np.sum(w * z) / np.sum(w))
    resid = (z - level) / np.sqrt(c)
    order = np.argsort(rng.random((n_perm, len(z))), axis=1)
    sims = level + resid[order] * np.sqrt(c)
    gains = np.concatenate([_max_gain(_cumsums(sims[i:i + 64], w), len(c), min_size)
                            for i in range(0, n_perm, 64)]) / np.maximum(_scale(sims, c), floor)
    # the Monte Carlo test's order statistic: exceeded with probability <= alpha
    # under the null whatever the number of simulations (Davison & Hinkley 1997, 4.2.5)
    k = int(np.ceil((1 - alpha) * (n_perm + 1)))
    return float(np.sort(gains)[min(k, n_perm) - 1])


class _WeightedL2:
    """ruptures cost: squared error about the segment's mean, weighted by 1/variance."""
    model = "weighted_l2"

    def __init__(self, weights: np.ndarray, min_size: int):
        self.w, self.min_size = weights, min_size

    def fit(self, signal):
        self.signal = np.asarray(signal, dtype=float).reshape(-1, 1)
        self.cs = _cumsums(self.signal.ravel(), self.w)
        return self

    def error(self, start, end):
        return float(_seg_cost(self.cs, start, end))


def _stabilise(y, w, kind, counted):
    """sqrt of the level; for counts, Anscombe's (c + 3/8) (Biometrika 1948), whose
    mean bias is far smaller at low counts, so exposures of different size do not
    shift the level by themselves."""
    if kind == "counts" and counted:
        return np.sqrt((np.clip(y * w, 0, None) + 0.375) / w)
    return np.sqrt(np.clip(y, 0, None))


def _one_series(y, w, kind, counted, min_size, alpha, n_perm, rng):
    """Breaks of one series, the variance of each period, the penalty. The variance
    of sqrt(level) is sigma^2 / exposure (quasi-Poisson for counts: at least
    Poisson's 1/4; for shares, the mean of n_docs documents' shares), sigma^2
    estimated from the series."""
    import ruptures as rpt
    from ruptures.base import BaseCost
    n = len(y)
    z = _stabilise(y, w, kind, counted)
    c = 1.0 / w
    if n < 2 * min_size or np.all(z == z[0]):
        return [], np.full(n, np.nan), np.nan
    # Poisson noise at least for counts: var sqrt(count / w) = 1 / 4w
    floor = 0.25 if (kind == "counts" and counted) else 1e-300
    sigma2 = max(float(_scale(z, c)), floor)
    v = sigma2 * c
    pen = _penalty(z, c, floor, min_size, alpha, n_perm, rng)
    cost = type("_Cost", (_WeightedL2, BaseCost), {})(1.0 / v, min_size)
    algo = rpt.Pelt(custom_cost=cost, min_size=min_size, jump=1).fit(z)
    return algo.predict(pen=pen)[:-1], v, pen


def _check(kind, alpha, min_size, n_perm) -> None:
    if kind is not None:
        check_choice("kind", kind, Kind)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1); got {alpha}")
    if min_size < 1 or n_perm < 20:
        raise ValueError("min_size must be >= 1 and n_perm >= 20")


def _starts(labels: pd.Index) -> pd.Series:
    """The date each period begins (calendar periods, Party terms, plenums; labels
    that parse as dates; NaT otherwise)."""
    starts = period_starts(labels)
    if starts.isna().any():
        parsed = pd.to_datetime(pd.Series(labels.astype(str)), errors="coerce")
        starts = pd.Series(np.where(starts.isna(), parsed, starts), index=labels)
    return starts


def _levels(y, w, var, bkps, pen, z) -> list[dict]:
    """Per break: the exposure-weighted levels of the segments either side, their
    ratio, and the break's gain in units of the penalty."""
    edges = [0, *bkps, len(y)]
    cs = _cumsums(z, 1.0 / var)
    out = []
    for j, b in enumerate(bkps):
        s, e = edges[j], edges[j + 2]
        before = float(np.sum(w[s:b] * y[s:b]) / np.sum(w[s:b]))
        after = float(np.sum(w[b:e] * y[b:e]) / np.sum(w[b:e]))
        gain = float(_seg_cost(cs, s, e) - _seg_cost(cs, s, b) - _seg_cost(cs, b, e))
        out.append({"position": int(b), "before": before, "after": after,
                    "ratio": after / before if before > 0 else np.inf, "gain": gain / pen})
    return out


def change_points(table, *, series: str | None = None, period: str = "period", value: str | None = None,
                  exposure: str | None = None, kind: Kind | None = None, min_size: int = 2,
                  alpha: float = 0.05, n_perm: int = 1000, random_state: int = 0) -> ChangePoints:
    """Level changes in each series of a table per period.

    Parameters
    ----------
    table : a long table with a ``period`` column in time order
        (:func:`term_rates`, :func:`topic_prevalence`, :func:`formula_spread`, any
        ``by``), or a Series of values indexed by period (one series).
    series, value, exposure : the columns of the series key, the level and its
        exposure (how many tokens or documents stand behind it); found for the
        package's own tables.
    kind : ``"counts"`` (a count per exposure: its noise is at least Poisson) or
        ``"shares"``.
    min_size : the fewest periods a level must last (a one-period spike is a burst:
        :func:`bursts`).
    alpha : the chance that a series with no change shows one: the penalty is the
        ``1 - alpha`` quantile of the best segmentation's gain per change over
        ``n_perm`` permutations of the series' periods (which, with no change,
        are exchangeable).

    The level is square-rooted (Anscombe's transform for counts) with variance
    sigma^2 / exposure (quasi-Poisson: documents that repeat a word widen it; at
    least Poisson for counts), sigma^2 estimated from differences between
    neighbouring periods; PELT (Killick et al. 2012) finds the breaks that pay
    for the penalty. Periods with no exposure are skipped and said so.
    Deterministic for a ``random_state``.
    """
    _check(kind, alpha, min_size, n_perm)
    if isinstance(table, pd.Series):
        table = pd.DataFrame({period: table.index, "value": table.to_numpy()})
        value = value or "value"
    if period not in table.columns:
        raise ValueError(f"the table has no {period!r} column; pass period= (one of {list(table.columns)})")
    series, value, exposure, kind = _shape(table, series, value, exposure, kind)
    rng = np.random.default_rng(random_state)
    rows, summ, grids, notes = [], [], [], []
    groups = table.groupby(series, sort=False) if series is not None else [("all", table)]
    for key, g in groups:
        labels = pd.Index(pd.unique(g[period]))
        g = g.set_index(period).loc[labels]
        v = g[value].to_numpy(dtype=float)
        w = g[exposure].to_numpy(dtype=float) if exposure is not None else np.ones(len(g))
        ok = np.isfinite(v) & np.isfinite(w) & (w > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            y = v / w if (kind == "counts" and exposure is not None) else v
        if (~ok).any():
            what = {"n_tokens": "articles (no tokens)", "n_docs": "documents"}.get(exposure, "value")
            notes.append(f"{key}: {int((~ok).sum())} of {len(ok)} periods have no {what} and are left "
                         "out of its segmentation")
        used = np.flatnonzero(ok)
        starts = _starts(labels).to_numpy()[used]
        counted = exposure is None or kind == "counts"
        bkps, var, pen = _one_series(y[used], w[used], kind, counted, min_size, alpha, n_perm, rng)
        grids.append(pd.DataFrame({"series": key, "period": labels[used].astype(str), "date": starts,
                                   "position": np.arange(len(used))}))
        scale = 1e4 if (kind == "counts" and exposure == "n_tokens") else 1.0
        for rec in _levels(y[used], w[used], var, bkps, pen, _stabilise(y[used], w[used], kind, counted)):
            b = rec["position"]
            rows.append({"series": key, "period": str(labels[used[b]]), "date": starts[b], "position": b,
                         "before": rec["before"] * scale, "after": rec["after"] * scale, "ratio": rec["ratio"],
                         "gain": rec["gain"]})
        summ.append({"series": key, "n_periods": len(used), "penalty": pen, "n_changes": len(bkps),
                     "noise_sd": float(np.sqrt(np.median(var))) if len(var) and np.isfinite(var).all() else np.nan})
        if len(used) < 2 * min_size:
            notes.append(f"{key}: only {len(used)} period(s) with data, too few for a change lasting {min_size}")
    cols = ["series", "period", "date", "position", "before", "after", "ratio", "gain"]
    out = pd.DataFrame(rows, columns=cols)
    if exposure == "n_tokens" and kind == "counts":
        notes.append("before/after are rates per 10,000 tokens")
    if len(out) and np.isinf(out["ratio"]).any():
        notes.append("ratio is infinite where the level before the change was 0 (not used at all before)")
    notes.append(f"penalty: a series with no change shows one with probability {alpha} (calibrated on "
                 f"{n_perm} permutations of each series' periods)")
    return ChangePoints(out, pd.DataFrame(summ), pd.concat(grids, ignore_index=True) if grids else pd.DataFrame(),
                        notes, dict(alpha=alpha, min_size=min_size, kind=kind, value=value, exposure=exposure,
                                    series=series, n_perm=n_perm, random_state=random_state))


def bursts(table, *, series: str | None = None, period: str = "period", value: str | None = None,
           exposure: str | None = None, s: float = 2.0, gamma: float = 1.0) -> pd.DataFrame:
    """Bursts: runs of periods where a count runs at ``s`` times its usual share of
    the exposure, by Kleinberg's two-state automaton for batched counts (KDD 2002,
    section 4): each period is in the base state (share p0 = all counts / all
    exposure) or the burst state (s * p0), scored by the binomial likelihood, and
    entering a burst costs ``gamma * ln(periods)``. The most likely state sequence
    (Viterbi) gives the bursts. Descriptive: no false-positive rate is promised
    (that is :func:`change_points`'s job).

    Returns one row per burst: ``series, start, end`` (periods), ``start_date``,
    ``n_periods``, ``ratio`` (the burst's observed share over p0)."""
    if s <= 1 or gamma <= 0:
        raise ValueError("s must be > 1 and gamma > 0")
    if isinstance(table, pd.Series):
        table = pd.DataFrame({period: table.index, "value": table.to_numpy()})
        value = value or "value"
    series, value, exposure, kind = _shape(table, series, value, exposure, None)
    if exposure is None or kind != "counts":
        raise ValueError("bursts need a count and its exposure (term_rates: count per n_tokens; "
                         "or pass value= and exposure=)")
    rows = []
    groups = table.groupby(series, sort=False) if series is not None else [("all", table)]
    for key, g in groups:
        labels = pd.Index(pd.unique(g[period]))
        g = g.set_index(period).loc[labels]
        r = g[value].to_numpy(dtype=float)
        d = g[exposure].to_numpy(dtype=float)
        ok = np.isfinite(r) & (d > 0)
        if ok.sum() < 2 or r[ok].sum() == 0:
            continue
        r, d, lab = r[ok], d[ok], labels[ok]
        p0 = r.sum() / d.sum()
        p1 = min(s * p0, 1 - 1e-12)
        # -log likelihood per state, the binomial coefficient dropped (the same in both)
        cost = np.stack([-(r * np.log(p) + (d - r) * np.log1p(-p)) for p in (p0, p1)], axis=1)
        up = gamma * np.log(len(r))
        state = _viterbi(cost, up)
        starts = period_starts(lab)
        i = 0
        while i < len(state):
            if state[i] == 1:
                j = i
                while j + 1 < len(state) and state[j + 1] == 1:
                    j += 1
                ratio = (r[i:j + 1].sum() / d[i:j + 1].sum()) / p0
                rows.append({"series": key, "start": str(lab[i]), "end": str(lab[j]),
                             "start_date": starts.iloc[i], "n_periods": j - i + 1, "ratio": ratio})
                i = j + 1
            else:
                i += 1
    return pd.DataFrame(rows, columns=["series", "start", "end", "start_date", "n_periods", "ratio"])


def _viterbi(cost: np.ndarray, up: float) -> np.ndarray:
    """The cheapest 0/1 state path: ``cost`` per period and state, ``up`` to enter
    state 1 (leaving it is free), starting in state 0."""
    n = len(cost)
    best = np.array([cost[0, 0], cost[0, 1] + up])
    back = np.zeros((n, 2), dtype=np.int64)
    for t in range(1, n):
        stay0, from1 = best[0], best[1]
        to0 = (0, stay0) if stay0 <= from1 else (1, from1)
        to1 = (1, best[1]) if best[1] <= best[0] + up else (0, best[0] + up)
        back[t] = [to0[0], to1[0]]
        best = np.array([to0[1] + cost[t, 0], to1[1] + cost[t, 1]])
    state = np.zeros(n, dtype=np.int64)
    state[-1] = int(np.argmin(best))
    for t in range(n - 1, 0, -1):
        state[t - 1] = back[t, state[t]]
    return state


@dataclass
class CalendarTest:
    """Are changes nearer the calendar's events than chance? ``mean_days``: the
    mean distance from a change to its nearest event; ``expected_days``: the same
    over every circular shift of the changes; ``p_value``: the share of shifts at
    least as near (ties broken at random). ``table``: each change with its nearest
    event. ``notes``: what the test rests on."""
    mean_days: float
    expected_days: float
    p_value: float
    n_changes: int
    n_shifts: int
    table: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def _event_dates(events, path):
    if isinstance(events, (str, tuple, list)) and all(isinstance(e, str) and not e[:1].isdigit() for e in
                                                     ([events] if isinstance(events, str) else events)):
        from .calendar import load_calendar
        kinds = [events] if isinstance(events, str) else list(events)
        cal = load_calendar(path)
        unknown = sorted(set(kinds) - set(cal["kind"]))
        if unknown:
            raise ValueError(f"events={unknown} are not kinds of the calendar ({sorted(set(cal['kind']))})")
        cal = cal[cal["kind"].isin(kinds)]
        return pd.Series(pd.to_datetime(cal["start"]).to_numpy(), index=cal["name"].to_numpy())
    if isinstance(events, dict):
        return pd.Series(pd.to_datetime(list(events)), index=list(events.values()))
    dates = pd.to_datetime(pd.Series(list(events)))
    return pd.Series(dates.to_numpy(), index=[str(d.date()) for d in dates])


def _nearest(dates: np.ndarray, events: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days from each date to the nearest event, and that event's position."""
    pos = np.searchsorted(events, dates)
    lo = np.clip(pos - 1, 0, len(events) - 1)
    hi = np.clip(pos, 0, len(events) - 1)
    dlo = np.abs((dates - events[lo]).astype("timedelta64[s]").astype(np.float64)) / 86400
    dhi = np.abs((dates - events[hi]).astype("timedelta64[s]").astype(np.float64)) / 86400
    return np.minimum(dlo, dhi), np.where(dlo <= dhi, lo, hi)


def calendar_test(changes: ChangePoints, *, events=("congress", "plenum"), random_state: int = 0,
                  path: str | None = None) -> CalendarTest:
    """Do the changes fall nearer to the Party's meetings than chance?

    ``events``: kinds of ``calendar.tsv`` (``"congress"``, ``"plenum"``,
    ``"directive"``), or your own dates (a list, or ``{date: label}``). The
    statistic is the mean distance in days from each change to the nearest event.
    Its baseline shifts every change by the same number of periods along its
    series, circularly (the changes keep their spacing and count; the calendar
    stays put), once for each shift the series allow; ``p_value`` is the share of
    shifts whose changes lie at least as near (ties broken at random, so it is
    uniform when changes are unrelated to the calendar). A change's date is the
    start of its period, so monthly periods place it within a month.
    """
    if not isinstance(changes, ChangePoints):
        raise TypeError("calendar_test takes the ChangePoints of change_points(...)")
    ev = _event_dates(events, path).sort_values()
    ev_dates = ev.to_numpy("datetime64[ns]")
    tab = changes.table.dropna(subset=["date"])
    notes = []
    if len(tab) < len(changes.table):
        notes.append(f"{len(changes.table) - len(tab)} changes have no date (their period is not a date) "
                     "and are left out")
    if not len(tab) or not len(ev_dates):
        notes.append("no change point to test" if not len(changes.table) else
                     "no change has a date" if not len(tab) else "no event to compare with")
        return CalendarTest(np.nan, np.nan, np.nan, len(tab), 0, pd.DataFrame(), notes)
    grid = {k: g.sort_values("position")["date"].to_numpy("datetime64[ns]") for k, g in changes.grid.groupby("series", sort=False)}
    n_shifts = max(len(grid[k]) for k in tab["series"].unique())
    shifted = np.empty((n_shifts, len(tab)))
    for j, (key, pos) in enumerate(zip(tab["series"], tab["position"].astype(int))):
        dates = grid[key]
        shifted[:, j] = _nearest(dates[(pos + np.arange(n_shifts)) % len(dates)], ev_dates)[0]
    stat = shifted.mean(axis=1)
    obs = stat[0]
    u = np.random.default_rng(random_state).random()
    p = (np.sum(stat < obs) + u * np.sum(stat == obs)) / n_shifts
    days, where = _nearest(tab["date"].to_numpy("datetime64[ns]"), ev_dates)
    table = tab[["series", "period", "date"]].assign(event=ev.index.to_numpy()[where],
                                                    event_date=ev_dates[where], days=days).reset_index(drop=True)
    if n_shifts < 20:
        notes.append(f"only {n_shifts} shifts: the p-value cannot go below {1 / n_shifts:.2f}")
    return CalendarTest(float(obs), float(stat.mean()), float(p), len(tab), n_shifts, table, notes)
