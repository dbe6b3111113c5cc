"""Term rates per period with document-level bootstrap intervals, and exact-family
intervals where the bootstrap has too few articles to resample."""
from __future__ import annotations


import numpy as np
import pandas as pd
from scipy import sparse

from ..intervals import jeffreys_intervals
from ..periods import THIN_DOCS, By, code_periods

from ..index import offsets as _offsets
from .._options import check_choice, check_ci
from ._common import _BOOT_CHUNK_CELLS, Match, _count_matrix, _mode, _prepare, _resolve_terms

#: Below this many articles with the term in a period, the article bootstrap
#: cannot show the variation (no articles with the term: the interval [0, 0]); the
#: interval is then the Jeffreys one (see :func:`jeffreys_intervals`).
MIN_BOOT_DOCS = 5


# --------------------------------------------------------------------------- rates
def _bootstrap_period(rng, counts: sparse.csr_matrix, lengths: np.ndarray, n_boot: int, q: tuple[float, float]):
    """Percentile intervals (2 x terms) of rate and document share for one period.

    Documents are resampled with replacement: multinomial weights (how many times
    each document is drawn) from uniform draws, the same draws for every term, so
    a term's interval does not depend on the other terms. Terms absent from the
    period have the degenerate interval [0, 0] and cost nothing.
    """
    n, n_terms = counts.shape
    csc = counts.tocsc()
    active = np.flatnonzero(np.diff(csc.indptr) > 0)
    rate_q = np.zeros((2, n_terms))
    share_q = np.zeros((2, n_terms))
    counts_t = csc[:, active].T.tocsr().astype(np.float64)  # active terms x documents
    present_t = counts_t.copy()
    present_t.data = (present_t.data > 0).astype(np.float64)
    rates = np.empty((len(active), n_boot))
    shares = np.empty((len(active), n_boot))
    valid = np.empty(n_boot, dtype=bool)
    chunk = max(1, min(n_boot, _BOOT_CHUNK_CELLS // max(n, 1)))
    done = 0
    while done < n_boot:
        b = min(chunk, n_boot - done)
        draws = rng.integers(0, n, size=(b, n), dtype=np.int64)
        draws += (np.arange(b, dtype=np.int64) * n)[:, None]
        weights = np.bincount(draws.ravel(), minlength=b * n)
        weights = weights.reshape(b, n).T.astype(np.float64)  # documents x replicates
        boot_tokens = lengths @ weights
        ok = boot_tokens > 0  # a replicate drawing only empty documents has no rate
        valid[done:done + b] = ok
        with np.errstate(invalid="ignore", divide="ignore"):
            rates[:, done:done + b] = 1e4 * (counts_t @ weights) / boot_tokens
        shares[:, done:done + b] = (present_t @ weights) / n
        done += b
    if not valid.any():
        rate_q[:] = np.nan
    elif len(active):
        # rows are contiguous: np.quantile partitions each once
        rate_q[:, active] = np.quantile(rates[:, valid] if not valid.all() else rates, q, axis=1)
    if len(active):
        share_q[:, active] = np.quantile(shares, q, axis=1)
    return rate_q, share_q


def _collapse_rows(meta: pd.DataFrame, counts: sparse.csr_matrix, lengths: np.ndarray):
    """Sum the rows (e.g. paragraphs) of each article; metadata of its first row."""
    codes, uniq = pd.factorize(meta["doc_id"])
    member = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))),
                               shape=(len(uniq), len(codes)))
    first = np.unique(codes, return_index=True)[1]
    return (meta.iloc[first].reset_index(drop=True), (member @ counts).tocsr(),
            np.bincount(codes, weights=lengths, minlength=len(uniq)))


def _article_counts(corpus, specs, mode):
    """Metadata, term counts and token counts per article; a paragraph frame is
    summed per article, so the bootstrap unit stays the article."""
    meta, index = _prepare(corpus)
    counts = _count_matrix(index, specs, mode, corpus).tocsr()
    lengths = index.lengths.astype(np.float64)
    if "doc_id" in meta and meta["doc_id"].duplicated().any():
        meta, counts, lengths = _collapse_rows(meta, counts, lengths)
    return meta, counts, lengths


def _period_totals(codes, docs, counts, lengths, n_per: int):
    """Per period x term: counts and documents with the term; per period:
    documents and tokens. One sparse product over a period x document indicator."""
    n_terms = counts.shape[1]
    member = sparse.csr_matrix((np.ones(len(docs)), (codes[docs], docs)), shape=(n_per, counts.shape[0]))
    present = counts.copy()
    present.data = (present.data > 0).astype(np.float64)
    count = np.asarray((member @ counts).todense(), dtype=np.float64).reshape(n_per, n_terms)
    ndocs_with = np.asarray((member @ present).todense(), dtype=np.float64).reshape(n_per, n_terms)
    n_docs = np.bincount(codes[docs], minlength=n_per)
    n_tokens = np.bincount(codes[docs], weights=lengths[docs], minlength=n_per)
    return count, ndocs_with, n_docs, n_tokens


def _period_intervals(codes, docs, counts, lengths, n_docs, *, n_boot: int, ci: float, random_state):
    """Bootstrap intervals (periods x 2 x terms) of rate and document share; NaN
    without replicates. Periods are resampled independently, in period order."""
    n_per, n_terms = len(n_docs), counts.shape[1]
    rate_ci = np.full((n_per, 2, n_terms), np.nan)
    share_ci = np.full((n_per, 2, n_terms), np.nan)
    if not n_boot:
        return rate_ci, share_ci
    alpha = 1 - ci
    q = (alpha / 2, 1 - alpha / 2)
    rng = np.random.default_rng(random_state)
    rows = docs[np.argsort(codes[docs], kind="stable")]
    bounds = _offsets(n_docs)
    counts_sorted = counts[rows]
    lengths_sorted = lengths[rows]
    for p in np.flatnonzero(n_docs):
        lo, hi = bounds[p], bounds[p + 1]
        rate_ci[p], share_ci[p] = _bootstrap_period(rng, counts_sorted[lo:hi], lengths_sorted[lo:hi], n_boot, q)
    return rate_ci, share_ci


def _rates_table(specs, labels, match, count, ndocs_with, n_docs, n_tokens, rate_ci, share_ci,
                 min_docs, ci: float, n_boot: int) -> pd.DataFrame:
    """One row per term x period (term-major), the columns of :func:`term_rates`."""
    n_terms, n_per = len(specs), len(labels)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = 1e4 * count / n_tokens[:, None]
        share = ndocs_with / n_docs[:, None]
    rate[n_tokens == 0] = np.nan
    share[n_docs == 0] = np.nan
    # few articles with the term: the bootstrap is degenerate, take Jeffreys intervals
    small = (ndocs_with < MIN_BOOT_DOCS) & (n_docs[:, None] > 0) & (n_boot > 0)
    if small.any():
        tok = np.broadcast_to(n_tokens[:, None], count.shape)
        nd = np.broadcast_to(n_docs[:, None], count.shape)
        r_lo, r_hi, s_lo, s_hi = jeffreys_intervals(count, tok, ndocs_with, nd, ci)
        rate_ci = rate_ci.copy()
        share_ci = share_ci.copy()
        rate_ci[:, 0, :] = np.where(small, r_lo, rate_ci[:, 0, :])
        rate_ci[:, 1, :] = np.where(small, r_hi, rate_ci[:, 1, :])
        share_ci[:, 0, :] = np.where(small, s_lo, share_ci[:, 0, :])
        share_ci[:, 1, :] = np.where(small, s_hi, share_ci[:, 1, :])
    method = np.where(small, "jeffreys", "bootstrap" if n_boot else "none").astype(object)
    method[np.broadcast_to((n_docs == 0)[:, None], small.shape)] = "none"
    return pd.DataFrame({
        "term": np.repeat([s.label for s in specs], n_per),
        "label": np.repeat([s.display or s.label for s in specs], n_per),
        "kind": np.repeat([s.kind for s in specs], n_per),
        "query": np.repeat([s.query for s in specs], n_per),
        "match": match,
        "period": labels.take(np.tile(np.arange(n_per), n_terms)),
        "n_docs": np.tile(n_docs, n_terms).astype(np.int64),
        "n_tokens": np.tile(n_tokens, n_terms).astype(np.int64),
        "count": count.T.ravel().astype(np.int64),
        "n_docs_with_term": ndocs_with.T.ravel().astype(np.int64),
        "doc_share": share.T.ravel(),
        "rate_per_10k": rate.T.ravel(),
        "rate_low": rate_ci[:, 0, :].T.ravel(),
        "rate_high": rate_ci[:, 1, :].T.ravel(),
        "share_low": share_ci[:, 0, :].T.ravel(),
        "share_high": share_ci[:, 1, :].T.ravel(),
        "ci_method": method.T.ravel(),
        "thin": np.tile(n_docs < min_docs, n_terms),
    })


def term_rates(
    corpus,
    terms=None,
    *,
    by: By = "year",
    match: Match = "term",
    concepts=None,
    case_sensitive: bool = False,
    n_boot: int = 1000,
    ci: float = 0.95,
    min_docs: int = THIN_DOCS,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """Rate of each term per period, with document-level bootstrap intervals.

    Parameters
    ----------
    corpus : analysis frame (DataFrame with ``tokens``) or ``Corpus``
    terms : phrase, token list, or list of them. Phrases are mapped with
        ``tokens.query_tokens``; a multi-token query matches as a contiguous
        sequence. A name of a concept family is trended as the family.
    by : ``"year"``, ``"quarter"``, ``"month"``, ``"day"`` (from ``published``;
        undated documents are left out and counted in ``attrs["n_excluded"]``), any
        metadata column such as ``"outlet"``, a Series mapping ``doc_id`` to a group
        (e.g. congress terms, or ``pd.Period`` values of your own), or None for the
        whole corpus. Time groupings list every period between the first and the
        last, also empty ones.
    match : ``"term"`` (default), ``"word"`` or ``"anywhere"``; see the module docstring.
    concepts : None: family names among ``terms`` are looked up in the shipped
        lexicon (``load_concepts()``); True: also trend every shipped family;
        a ``{family: [phrases]}`` mapping: use it as the lexicon and trend all its
        families; False: never treat a term as a family. A family's count is the
        number of places where any variant occurs; overlapping variants
        (``tham nhũng`` inside ``phòng, chống tham nhũng``) count once.
    case_sensitive : compare tokens exactly (``Đảng`` is not ``đảng``). Off by
        default, like ``Corpus.kwic``: the case policy already keeps proper names
        apart from common words in most places, and case-folding protects counts
        from capitals left in headings.
    n_boot, ci, random_state : bootstrap replicates, interval level, seed. The same
        seed gives the same intervals; a term's interval does not depend on which
        other terms are asked for. ``n_boot=0`` skips the intervals (bootstrap and Jeffreys).
    min_docs : periods with fewer documents are flagged ``thin``.

    Returns
    -------
    DataFrame, one row per term x period: ``term`` (as given, or the family id),
    ``label`` (the family's human label from ``concepts.txt``), ``kind`` (term/concept),
    ``query`` (the tokens searched), ``match``, ``period``, ``n_docs``, ``n_tokens``,
    ``count``, ``n_docs_with_term``, ``doc_share``, ``rate_per_10k``, ``rate_low``,
    ``rate_high``, ``share_low``, ``share_high``, ``ci_method`` (``"bootstrap"``,
    ``"jeffreys"`` or ``"none"``), ``thin``. ``attrs["notes"]``: where the periods
    are mostly different outlets or input files (:func:`corpus_tools.source_confounds`),
    a sentence saying so: a change of rate may then be a change of source.

    Notes
    -----
    Intervals are percentile intervals of the nonparametric bootstrap (Efron &
    Tibshirani 1993, ch. 6 and 13) resampling *articles* within each period, so a
    rate carried by one long article gets a wide interval. A paragraph frame
    (several rows per ``doc_id``) is summed per article first: matches are found
    within paragraphs, resampling is by article. Periods are resampled
    independently. Where fewer than :data:`MIN_BOOT_DOCS` articles of a period
    contain the term (none at all, most often), the bootstrap cannot show the
    variation it has no data for ([0, 0] for a term never seen); those cells take
    the Jeffreys intervals of :func:`jeffreys_intervals` instead (``ci_method``),
    whose coverage stays near nominal for expected counts of 0.5-5 per period
    (``benchmarks/bench_trends.py``). Read every interval with ``n_docs`` and
    ``thin``.
    """
    check_choice("match", match, Match)
    check_ci(ci)
    if n_boot < 0:
        raise ValueError("n_boot must be >= 0")
    specs = _resolve_terms(terms, concepts)
    meta, counts, lengths = _article_counts(corpus, specs, _mode(match, case_sensitive))
    codes, labels, _ = code_periods(meta, by)
    docs = np.flatnonzero(codes >= 0)
    count, ndocs_with, n_docs, n_tokens = _period_totals(codes, docs, counts, lengths, len(labels))
    rate_ci, share_ci = _period_intervals(codes, docs, counts, lengths, n_docs, n_boot=n_boot,
                                          ci=ci, random_state=random_state)
    out = _rates_table(specs, labels, match, count, ndocs_with, n_docs, n_tokens, rate_ci,
                       share_ci, min_docs, ci, n_boot)
    out.attrs.update({"by": by if not isinstance(by, pd.Series) else (by.name or "custom"),
                      "match": match, "ci": ci, "n_boot": n_boot, "min_docs": min_docs,
                      "n_excluded": len(codes) - len(docs), "notes": _period_confounds(meta, codes, labels, by)})
    return out


def _period_confounds(meta: pd.DataFrame, codes: np.ndarray, labels, by) -> list[str]:
    """Notes where the periods (groups) are mostly different sources."""
    from ..confounds import SOURCE_COLUMNS, source_confounds
    names = np.array([str(x) for x in labels], dtype=object)
    groups = np.where(codes >= 0, names[np.maximum(codes, 0)] if len(names) else None, None)
    cols = [c for c in SOURCE_COLUMNS if not (isinstance(by, str) and by == c)]
    return source_confounds(groups, meta, columns=cols, what="the periods" if by is not None else "groups")


