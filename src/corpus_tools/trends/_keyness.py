"""Keyness: which words distinguish two corpora (G², log ratio, chi-square)."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats


from .._options import check_choice
from ._common import KeynessMeasure, _prepare

# --------------------------------------------------------------------------- keyness
def _frequency_list(obj) -> pd.Series:
    if isinstance(obj, pd.Series):
        return obj.astype(np.float64)
    if isinstance(obj, Mapping):
        return pd.Series(dict(obj), dtype=np.float64)
    _, index = _prepare(obj)
    freq = np.bincount(index.codes, minlength=len(index.vocab))
    if not len(freq):
        return pd.Series(dtype=np.float64)
    return pd.Series(freq, index=pd.Index(index.vocab, dtype=object), dtype=np.float64)


def _keyness_table(vocab, ca, cb, ta: float, tb: float, labels, yates: bool) -> pd.DataFrame:
    """G², chi-square and log ratio of every term from its 2x2 table (counts in
    a and b against the corpus totals)."""
    obs = np.stack([ca, cb, ta - ca, tb - cb])  # cells of the 2x2 table
    total = ta + tb
    row1, row2 = ca + cb, total - (ca + cb)
    exp = np.stack([row1 * ta / total, row1 * tb / total, row2 * ta / total, row2 * tb / total])
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * np.where(obs > 0, obs * np.log(obs / exp), 0.0).sum(axis=0)
        diff = np.abs(obs - exp)
        if yates:
            diff = np.maximum(diff - 0.5, 0.0)
        chi2 = (diff ** 2 / exp).sum(axis=0)
        ra, rb = np.where(ca > 0, ca, 0.5) / ta, np.where(cb > 0, cb, 0.5) / tb
        log_ratio = np.log2(ra / rb)
    g2 = np.maximum(g2, 0.0)
    rel_a, rel_b = ca / ta, cb / tb
    direction = np.where(rel_a > rel_b, labels[0], np.where(rel_a < rel_b, labels[1], "="))
    return pd.DataFrame({
        "term": np.asarray(vocab, dtype=object),
        "count_a": ca.astype(np.int64), "count_b": cb.astype(np.int64),
        "total_a": int(ta), "total_b": int(tb),
        "per_10k_a": 1e4 * rel_a, "per_10k_b": 1e4 * rel_b,
        "g2": g2, "p_g2": stats.chi2.sf(g2, 1),
        "log_ratio": log_ratio,
        "chi2": chi2, "p_chi2": stats.chi2.sf(chi2, 1),
        "direction": direction,
    })


def term_keyness(
    a,
    b,
    *,
    measure: KeynessMeasure = "log_likelihood",
    n: int | None = 50,
    min_count: int = 5,
    labels: tuple[str, str] = ("a", "b"),
    totals: tuple[float, float] | None = None,
    yates: bool = False,
    p_max: float | None = None,
    stopwords=None,
) -> pd.DataFrame:
    """Which tokens are over-used in ``a`` compared with ``b`` (and vice versa).

    ``a`` and ``b`` are analysis frames / Corpora (all tokens are counted) or
    frequency lists (Series or mapping token -> count; the total is their sum unless
    ``totals`` is given). Per token, from the 2x2 table [[count_a, count_b],
    [total_a - count_a, total_b - count_b]]:

    - ``g2``, ``p_g2``: log-likelihood ratio G² over the four cells (Dunning 1993),
      p from chi-square with 1 df; equals ``scipy.stats.chi2_contingency(table,
      correction=False, lambda_="log-likelihood")``.
    - ``chi2``, ``p_chi2``: Pearson's chi-square, without Yates' continuity
      correction unless ``yates=True`` (then equals scipy's ``correction=True``).
    - ``log_ratio``: binary log of the ratio of relative frequencies (Hardie 2014),
      an effect size: +1 means twice as frequent in ``a``. A zero count is replaced
      by 0.5 before taking the ratio (Hardie's zero-frequency adjustment), so a word
      absent from one side gets a finite, conservative value.
    - ``direction``: the label of the side where the token is relatively more frequent.

    ``min_count`` filters on count_a + count_b; ``p_max`` keeps only tokens with
    ``p_g2 < p_max`` (thousands of tests: use a strict threshold such as 1e-4, or
    read G² as a ranking). ``n`` keeps the ``n`` strongest tokens of *each*
    direction ranked by ``measure`` (None keeps all).

    ``attrs["notes"]``: where the two sides are mostly different outlets or input
    files (:func:`corpus_tools.source_confounds`), a sentence saying so: the words
    may then tell the sources apart, not the periods or groups.
    """
    check_choice("measure", measure, KeynessMeasure)
    fa, fb = _frequency_list(a), _frequency_list(b)
    ta, tb = (float(fa.sum()), float(fb.sum())) if totals is None else map(float, totals)
    vocab = fa.index.union(fb.index)
    ca = fa.reindex(vocab, fill_value=0).to_numpy(np.float64)
    cb = fb.reindex(vocab, fill_value=0).to_numpy(np.float64)
    keep = (ca + cb) >= max(min_count, 1)
    if stopwords is not None:
        from ..stopwords import resolve_stopwords
        stop = resolve_stopwords(stopwords)
        keep &= ~np.array([str(v).lower() in stop for v in vocab], dtype=bool)
    vocab, ca, cb = vocab[keep], ca[keep], cb[keep]
    if (ca > ta).any() or (cb > tb).any():
        raise ValueError("a count exceeds its corpus total; pass totals=(total_a, total_b)")
    out = _keyness_table(vocab, ca, cb, ta, tb, labels, yates)
    if p_max is not None:
        out = out[out["p_g2"] < p_max]
    key = {"log_likelihood": "g2", "chi2": "chi2", "log_ratio": "log_ratio"}[measure]
    out = out.assign(_rank=out[key].abs()).sort_values(["_rank", "term"], ascending=[False, True])
    if n is not None:
        out = out.groupby("direction", sort=False, group_keys=False).head(n)
    side = out["direction"].map({labels[0]: 0, labels[1]: 1}).fillna(2)
    out = out.assign(_side=side).sort_values(["_side", "_rank", "term"], ascending=[True, False, True])
    out = out.drop(columns=["_rank", "_side"]).reset_index(drop=True)
    out.attrs.update({"labels": tuple(labels), "measure": measure, "yates": yates,
                      "notes": _side_confounds(a, b, labels)})
    return out


def _side_confounds(a, b, labels) -> list[str]:
    """Notes where the two sides are mostly different sources (both given as frames
    or Corpora with an ``outlet`` or ``source_path`` column)."""
    from ..confounds import source_confounds
    metas = []
    for side in (a, b):
        if isinstance(side, (pd.Series, Mapping)):
            return []
        metas.append(side.drop(columns=["tokens"], errors="ignore") if isinstance(side, pd.DataFrame)
                     else _prepare(side)[0])
    meta = pd.concat(metas, ignore_index=True)
    sides = np.repeat(np.asarray(labels, dtype=object), [len(metas[0]), len(metas[1])])
    return source_confounds(sides, meta, what="the two sides")


