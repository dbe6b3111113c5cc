"""Reprint cascades and amplification: how much of the news is the centre's script.

A *reprint* is an article of one outlet that reuses most of an earlier article of
another outlet within a few days: the "scripted propaganda" of Waight, Yuan, Roberts
& Stewart (PNAS 2025), the same government article reprinted, lightly adapted,
across papers. Built on :func:`find_reuse`: its aligned passages (not furniture),
between articles of different sites, give each pair's shares and edit rate. Copies
within one outlet are duplicates (:mod:`corpus_tools.dedupe`), not reprints.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._options import check_ci, named_options
from ..dedupe import union_find
from ._find import Reuse, find_reuse

__all__ = ["find_reprints", "Reprints", "amplification", "REPRINT_COLUMNS", "CASCADE_COLUMNS"]

#: The order of Party levels when two copies are published at the same time: the centre first.
LEVEL_ORDER = ("central", "provincial", "district", "grassroots")

REPRINT_COLUMNS = ["cascade_id", "origin", "copy", "lag", "lag_unit", "share_of_origin", "share_of_copy",
                   "edit_rate", "origin_site", "copy_site", "origin_level", "copy_level",
                   "origin_published", "copy_published", "via"]
CASCADE_COLUMNS = ["cascade_id", "origin", "origin_site", "origin_level", "origin_published", "n_copies",
                   "n_sites", "median_lag", "max_lag", "copy_levels"]


@dataclass
class Reprints:
    """What :func:`find_reprints` found. ``pairs``: one row per (origin, copy) of a
    cascade; ``cascades``: one row per cascade; ``articles``: every article of the
    corpus (duplicates within an outlet left out) with its ``site``, ``level``,
    ``published`` and its ``cascade_id`` and role (``origin``, ``copy`` or none),
    the denominators of :func:`amplification`; ``reuse``: the passages it rests on;
    ``notes``: what the counts leave out (undated articles cannot be dated against an origin)."""
    pairs: pd.DataFrame
    cascades: pd.DataFrame
    articles: pd.DataFrame
    params: dict
    reuse: Reuse
    notes: list


def _level_rank(levels: pd.Series) -> np.ndarray:
    order = {lv: i for i, lv in enumerate(LEVEL_ORDER)}
    return levels.map(order).fillna(len(LEVEL_ORDER)).to_numpy(np.int64)


def _covered(starts: np.ndarray, ends: np.ndarray, keys: np.ndarray) -> dict:
    """Tokens covered by the union of the spans of each key (spans may overlap)."""
    out: dict = {}
    order = np.lexsort((starts, keys))
    cur_key, cur_end, total = None, -1, 0
    for k, s, e in zip(keys[order].tolist(), starts[order].tolist(), ends[order].tolist()):
        if k != cur_key:
            if cur_key is not None:
                out[cur_key] = total
            cur_key, cur_end, total = k, -1, 0
        if e > cur_end:
            total += e - max(s, cur_end)
            cur_end = e
    if cur_key is not None:
        out[cur_key] = total
    return out


def _pair_table(reuse: Reuse) -> pd.DataFrame:
    """Per article pair of different sites sharing passages (furniture left out): the
    share of each side covered, the edit rate over the aligned passages, the lag."""
    meta = reuse.docs.meta
    p = reuse.passages
    p = p[(p["kind"] != "furniture") & (p["site_a"] != p["site_b"])]
    if not len(p):
        return pd.DataFrame(columns=["a", "b", "cov_a", "cov_b", "matched", "aligned"])
    row = pd.Series(np.arange(len(meta)), index=pd.Index(meta["doc_id"]))
    a, b = row.reindex(p["doc_id_a"]).to_numpy(), row.reindex(p["doc_id_b"]).to_numpy()
    key = a.astype(np.int64) * len(meta) + b
    cov_a = _covered(p["start_a"].to_numpy(), p["end_a"].to_numpy(), key)
    cov_b = _covered(p["start_b"].to_numpy(), p["end_b"].to_numpy(), key)
    g = pd.DataFrame({"key": key, "matched": p["matched"].to_numpy(), "aligned": p["aligned_length"].to_numpy()}
                     ).groupby("key", sort=True).sum()
    keys = g.index.to_numpy()
    return pd.DataFrame({"a": keys // len(meta), "b": keys % len(meta),
                         "cov_a": [cov_a[k] for k in keys], "cov_b": [cov_b[k] for k in keys],
                         "matched": g["matched"].to_numpy(), "aligned": g["aligned"].to_numpy()})


def find_reprints(corpus=None, *, window_days: float = 3, min_share: float = 0.5, reuse: Reuse | None = None,
                  **reuse_options: Any) -> Reprints:
    """Reprint cascades: an origin article, its reprints in other outlets, and each
    reprint's lag, shares, edit rate and level.

    A pair of articles of different sites is a reprint when the passages they share
    (:func:`find_reuse`, furniture left out) cover at least ``min_share`` of the
    earlier article's words and the later one appeared within ``window_days`` of it
    (both dated). Cascades are the connected groups of such pairs; the **origin** is
    the earliest published member, ties broken by Party level (centre first), then
    corpus order. Every other member is a copy: ``lag`` counts from the origin, in
    days (``lag_unit`` ``"hours"`` and the lag in hours where both times of day are
    known); ``share_of_origin`` (of the origin's words, reused in the copy),
    ``share_of_copy`` (of the copy's words, reused from the origin: a lower one means
    text of its own around the script), ``edit_rate`` (1 - matched / aligned words
    of the shared passages) are measured on the copy's direct pair with the origin,
    or, when it only reprints another copy, with that copy (``via``).

    ``corpus``: a Corpus or a frame (``doc_id``, ``tokens``, ``published``,
    ``outlet``, optional ``level``), or pass ``reuse=`` (a :class:`Reuse` already
    found on it); ``reuse_options`` go to :func:`find_reuse`.
    """
    import inspect
    valid = [k for k in inspect.signature(find_reuse).parameters if k != "corpus"]
    unknown = sorted(set(reuse_options) - set(valid))
    if unknown:
        raise TypeError(f"find_reprints() got unknown option(s) {unknown}; valid: window_days, min_share, "
                        f"reuse, and find_reuse's {', '.join(valid)}")
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must be in (0, 1]; got {min_share!r}")
    if not (isinstance(window_days, (int, float)) and window_days >= 0):
        raise ValueError(f"window_days must be a number >= 0; got {window_days!r}")
    if reuse is None:
        if corpus is None:
            raise ValueError("give a corpus (or reuse=, a Reuse found on it)")
        reuse = find_reuse(corpus, **reuse_options)
    elif reuse_options:
        raise ValueError(f"reuse= was found already: {sorted(reuse_options)} cannot apply")
    meta = reuse.docs.meta
    pub = pd.to_datetime(meta["published"]).to_numpy()
    lvl = _level_rank(meta["level"])
    n_tok = meta["n_tokens"].to_numpy()
    # a copy of an article of its own site is a duplicate, not a reprint (a copy in
    # another site is flagged a duplicate too, by dedupe, and is a reprint)
    site_of = dict(zip(meta["doc_id"], meta["site"]))
    own_dup = np.array([g != d and site_of.get(g) == s
                        for g, d, s in zip(meta["group"], meta["doc_id"], meta["site"])], dtype=bool)
    p = reuse.passages  # ... or a later copy covering 80% of an article of its own site (find_reuse's rule)
    later = p.loc[(p["kind"] == "duplicate") & (p["site_a"] == p["site_b"]), "doc_id_b"]
    own_dup |= meta["doc_id"].isin(set(later)).to_numpy()
    pairs = _pair_table(reuse)
    pairs = pairs[~own_dup[pairs["a"].to_numpy(np.int64)] & ~own_dup[pairs["b"].to_numpy(np.int64)]]
    day = pub.astype("datetime64[D]").astype(pub.dtype)
    timed = ~np.isnat(pub) & (pub != day)  # a time of day is known (not a bare date at midnight)
    # orient each pair: the earlier first. Within one day, times decide only when both are
    # known; else, and at the same time, the higher Party level first, then corpus order
    a, b = pairs["a"].to_numpy(np.int64), pairs["b"].to_numpy(np.int64)
    both = timed[a] & timed[b]
    rank_first = (lvl[b] < lvl[a]) | ((lvl[b] == lvl[a]) & (b < a))
    swap = (day[b] < day[a]) | ((day[b] == day[a]) & np.where(
        both, (pub[b] < pub[a]) | ((pub[b] == pub[a]) & rank_first), rank_first))
    cov_a, cov_b = pairs["cov_a"].to_numpy(), pairs["cov_b"].to_numpy()
    a, b, cov_a, cov_b = np.where(swap, b, a), np.where(swap, a, b), np.where(swap, cov_b, cov_a), \
        np.where(swap, cov_a, cov_b)
    lag_days = _lag_days(pub, day, timed, a, b)
    share_a = cov_a / np.maximum(n_tok[a], 1)
    ok = (~np.isnan(lag_days)) & (lag_days <= window_days) & (share_a >= min_share)
    edges = pd.DataFrame({"a": a[ok], "b": b[ok], "lag": lag_days[ok], "share_a": share_a[ok],
                          "share_b": (cov_b / np.maximum(n_tok[b], 1))[ok],
                          "edit": 1 - pairs["matched"].to_numpy()[ok] / np.maximum(pairs["aligned"].to_numpy()[ok], 1)})
    pairs_out, cascades, role = _cascades(edges, meta, pub, day, timed, lvl)
    params = {"window_days": window_days, "min_share": min_share, **reuse.params}
    arts = meta[["doc_id", "site", "level", "published"]].copy()
    arts["cascade_id"] = pd.array([role.get(i, (None, None))[0] for i in range(len(meta))], dtype="Int64")
    arts["role"] = [role.get(i, (None, None))[1] for i in range(len(meta))]
    arts = arts[~own_dup].reset_index(drop=True)
    notes = []
    undated = int(arts["published"].isna().sum())
    if undated:
        notes.append(f"{undated} of {len(arts)} articles have no date: they are in no cascade, "
                     "neither as origin nor as copy")
    if arts["site"].nunique() < 2:
        notes.append("one site only: no reprint across outlets can be found")
    return Reprints(pairs=pairs_out, cascades=cascades, articles=arts, params=params, reuse=reuse, notes=notes)


def _lag_days(pub, day, timed, a, b) -> np.ndarray:
    """Days from ``a`` to ``b``: exact where both times of day are known, else whole days."""
    if not len(a):
        return np.zeros(0)
    exact = (pub[b] - pub[a]) / np.timedelta64(1, "D")
    whole = (day[b] - day[a]) / np.timedelta64(1, "D")
    return np.where(timed[a] & timed[b], exact, whole)


def _cascades(edges: pd.DataFrame, meta: pd.DataFrame, pub: np.ndarray, day: np.ndarray, timed: np.ndarray,
              lvl: np.ndarray):
    """Connected groups of reprint pairs, their origins, and one row per copy."""
    n = len(meta)
    find, union = union_find(n)
    for x, y in zip(edges["a"].tolist(), edges["b"].tolist()):
        union(x, y)
    members: dict[int, list[int]] = {}
    for node in sorted(set(edges["a"].tolist()) | set(edges["b"].tolist())):
        members.setdefault(find(node), []).append(node)
    def order(group: list[int]) -> list[int]:
        """Earliest day first; within a day by time where every member of that day has
        one, else by Party level (centre first) and then time; then corpus order."""
        untimed_days = {day[i] for i in group if not timed[i]}

        def key(i):
            if day[i] in untimed_days:
                return (day[i], 0, int(lvl[i]), pub[i], i)
            return (day[i], 0, pub[i], int(lvl[i]), i)
        return sorted(group, key=key)
    direct = {(x, y): r for r, x, y in zip(range(len(edges)), edges["a"].tolist(), edges["b"].tolist())}
    groups = sorted((order(m) for m in members.values()), key=lambda g: (day[g[0]], pub[g[0]], g[0]))
    ids, rows, crow, role = meta["doc_id"].to_numpy(), [], [], {}
    ev = edges.to_numpy()
    for cid, group in enumerate(groups):
        origin = group[0]
        role[origin] = (cid, "origin")
        lags = []
        for m in group[1:]:
            role[m] = (cid, "copy")
            via = origin
            r = direct.get((origin, m))
            if r is None:  # reprints another copy: its earliest linked member
                linked = [x for x in group if (x, m) in direct]
                via = linked[0] if linked else origin
                r = direct.get((via, m))
            lag = float(_lag_days(pub, day, timed, np.array([origin]), np.array([m]))[0])
            hours = bool(timed[origin] and timed[m])
            lags.append(lag)
            share_a, share_b, edit = (ev[r][3], ev[r][4], ev[r][5]) if r is not None else (np.nan,) * 3
            rows.append((cid, ids[origin], ids[m], lag * 24 if hours else lag, "hours" if hours else "days",
                         share_a, share_b, edit, meta["site"].iat[origin], meta["site"].iat[m],
                         meta["level"].iat[origin], meta["level"].iat[m], meta["published"].iat[origin],
                         meta["published"].iat[m], ids[via]))
        copy_levels = pd.Series([meta["level"].iat[m] for m in group[1:]]).value_counts()
        crow.append((cid, ids[origin], meta["site"].iat[origin], meta["level"].iat[origin],
                     meta["published"].iat[origin], len(group) - 1,
                     len({meta["site"].iat[m] for m in group}), float(np.median(lags)), float(np.max(lags)),
                     "; ".join(f"{k} {v}" for k, v in copy_levels.items())))
    return (pd.DataFrame(rows, columns=REPRINT_COLUMNS), pd.DataFrame(crow, columns=CASCADE_COLUMNS), role)


@named_options
def amplification(reprints: Reprints, *, by: Any = "level", n_boot: int = 1000, ci: float = 0.95,
                  random_state: int | None = 0) -> pd.DataFrame:
    """How each group amplifies the centre (PropagandaScope's amplification ratio and lag).

    ``by``: ``"level"``, ``"outlet"`` (the site) or a Series ``doc_id -> group``. Per
    group of the copies: ``centre_reprinted`` (share of the centre's articles that it
    reprints), ``median_lag`` (days, over its copies), ``reprint_share`` (share of its
    own articles that are reprints), with ``n_centre``, ``n_articles``, ``n_copies``,
    and percentile intervals (``*_lo``, ``*_hi``) from a bootstrap over cascades (an
    article in no cascade is a cascade of one), so the dependence of copies of one
    origin is kept.
    """
    check_ci(ci)
    arts = reprints.articles
    if isinstance(by, pd.Series):
        group = arts["doc_id"].map(by)
    elif by in ("level", "outlet", "site"):
        group = arts["level" if by == "level" else "site"]
    else:
        raise ValueError(f"by must be 'level', 'outlet' or a Series doc_id -> group; got {by!r}")
    group = group.fillna("(unknown)").astype(str).to_numpy()
    lag_of = dict(zip(reprints.pairs["copy"], reprints.pairs["lag"]
                      / np.where(reprints.pairs["lag_unit"] == "hours", 24, 1)))
    unit = arts["cascade_id"].astype("float").to_numpy()
    singles = np.isnan(unit)
    unit = np.where(singles, -1 - np.arange(len(arts)), unit).astype(np.int64)  # a cascade of one
    units, inv = np.unique(unit, return_inverse=True)
    centre_origin = (arts["level"].to_numpy() == "central") & (arts["role"].to_numpy() != "copy")
    is_copy = arts["role"].to_numpy() == "copy"
    names = sorted(set(group), key=lambda g: (LEVEL_ORDER.index(g) if g in LEVEL_ORDER else len(LEVEL_ORDER), g))
    n_u = len(units)
    # per unit: one central origin or not; per unit x group: reprinted by the group, articles, copies
    central_u = np.bincount(inv, weights=centre_origin, minlength=n_u)
    cols = {}
    doc_ids = arts["doc_id"].to_numpy()
    for g in names:
        in_g = group == g
        lags: dict[int, list[float]] = {}  # per cascade with copies in the group: their lags
        for i in np.flatnonzero(in_g & is_copy).tolist():
            lags.setdefault(int(inv[i]), []).append(lag_of[doc_ids[i]])
        cols[g] = (np.bincount(inv, weights=in_g, minlength=n_u),
                   np.bincount(inv, weights=in_g & is_copy, minlength=n_u),
                   {u: np.array(v) for u, v in sorted(lags.items())})
    def stats(w, g):
        n_art, n_cop, lags = cols[g]
        c, a = (w * central_u).sum(), (w * n_art).sum()
        lag = np.concatenate([np.repeat(v, int(w[u])) for u, v in lags.items() if w[u]] or [np.zeros(0)])
        return ((w * ((central_u > 0) & (n_cop > 0))).sum() / c if c else np.nan,
                float(np.median(lag)) if len(lag) else np.nan, (w * n_cop).sum() / a if a else np.nan)

    # one resample of the cascades at a time, for every group (memory: one weight per cascade)
    rng = np.random.default_rng(random_state)
    boot = {g: np.full((n_boot, 3), np.nan) for g in names}
    for k in range(n_boot if n_u else 0):
        w = rng.multinomial(n_u, np.full(n_u, 1 / n_u))
        for g in names:
            boot[g][k] = stats(w, g)
    lo_q, hi_q = (1 - ci) / 2, 1 - (1 - ci) / 2
    rows = []
    for g in names:
        n_art, n_cop, _ = cols[g]
        est = stats(np.ones(n_u), g)
        with warnings.catch_warnings():  # a measure with no value in any resample stays NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            q = np.nanquantile(boot[g], [lo_q, hi_q], axis=0) if n_boot else np.full((2, 3), np.nan)
        rows.append((g, int(central_u.sum()), int(n_art.sum()), int(n_cop.sum()), est[0], q[0, 0], q[1, 0],
                     est[1], q[0, 1], q[1, 1], est[2], q[0, 2], q[1, 2]))
    out = pd.DataFrame(rows, columns=["group", "n_centre", "n_articles", "n_copies", "centre_reprinted",
                                      "centre_reprinted_lo", "centre_reprinted_hi", "median_lag", "median_lag_lo",
                                      "median_lag_hi", "reprint_share", "reprint_share_lo", "reprint_share_hi"])
    out.attrs["notes"] = list(reprints.notes)
    if not central_u.any():
        out.attrs["notes"].append("no central-level article: centre_reprinted is undefined (NaN)")
    return out
