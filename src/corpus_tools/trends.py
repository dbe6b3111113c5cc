"""Term rates over time with document-level bootstrap intervals, keyness, trend tests
and source composition.

Everything here works on the analysis frame (``doc_id``, ``published``, ``outlet``,
``tokens``; see ``docs/architecture.md``) or on a :class:`corpus_tools.Corpus`.
Query terms are phrases as a user writes them; they go through
``tokens.query_tokens`` so that they are segmented exactly like the documents.

Counting modes (the ``match`` column of every output):

``"token"`` (default)
    the term's tokens occur as whole tokens, in sequence: ``chính trị`` counts the
    token ``chính_trị`` but not ``Bộ_Chính_trị`` (the Politburo, another referent).
    This respects the word boundaries of the segmenter and its domain lexicon and
    counts the same units as keyness tables and the document-term matrix, so the
    numbers are comparable across functions. Case-insensitive unless
    ``case_sensitive=True`` (as ``Corpus.kwic``).
``"anywhere"``
    the term's syllables occur in sequence anywhere in the syllable stream, case
    folded, starting and ending at syllable boundaries: inside longer compounds
    (``Bộ_Chính_trị``) and across token boundaries however the segmenter grouped
    the syllables. It is the robustness check against segmentation choices and is
    always >= the token count.
"""
from __future__ import annotations

import functools
import math
import weakref
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd
from scipy import sparse, stats

from .periods import THIN_DOCS, code_periods

__all__ = [
    "term_counts",
    "term_rates",
    "term_keyness",
    "trend_tests",
    "corpus_composition",
]


_MATCH_MODES = ("token", "anywhere")
_KEYNESS_MEASURES = ("log_likelihood", "log_ratio", "chi2")
_BOOT_CHUNK_CELLS = 4_000_000  # bootstrap weights are drawn in chunks of this many cells


# --------------------------------------------------------------------------- inputs
def _check_choice(name: str, value, choices) -> None:
    if value not in choices:
        raise ValueError(f"{name}={value!r} is not one of {', '.join(map(repr, choices))}")


class _Index:
    """Flat token (and, lazily, syllable) id streams of a corpus with inverted indexes.

    A term lookup is then a slice of postings plus a few vectorised comparisons, no
    Python loop over tokens.
    """

    def __init__(self, codes: np.ndarray, lengths: np.ndarray, vocab: np.ndarray):
        self.n_docs = len(lengths)
        self.lengths = np.asarray(lengths, dtype=np.int64)
        self.vocab = np.asarray(vocab, dtype=object)
        self.codes = np.asarray(codes, dtype=np.int32)
        self.offsets = _offsets(self.lengths)
        self.streams: dict[str, tuple[np.ndarray, np.ndarray]] = {"token_cs": (self.codes, self.offsets)}
        self.ids: dict[str, dict[str, int]] = {"token_cs": {t: i for i, t in enumerate(self.vocab)}}
        self._inverted: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    @classmethod
    def from_tokens(cls, tokens: Sequence) -> "_Index":
        lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
        flat = np.fromiter(chain.from_iterable(tokens), dtype=object, count=int(lengths.sum()))
        if len(flat):
            codes, vocab = pd.factorize(flat, use_na_sentinel=False)
        else:
            codes, vocab = np.zeros(0, dtype=np.int64), np.array([], dtype=object)
        return cls(codes, lengths, np.asarray(vocab, dtype=object))

    def _build_token_ci(self) -> None:
        low_codes, low_vocab = pd.factorize(pd.Index([str(v).casefold() for v in self.vocab], dtype=object))
        self.streams["token"] = (low_codes.astype(np.int32)[self.codes], self.offsets)
        self.ids["token"] = {t: i for i, t in enumerate(low_vocab)}

    # syllable stream: every token split at "_" and case folded
    def _build_syllables(self) -> None:
        syl_lists = [[x for x in str(v).casefold().split("_") if x] for v in self.vocab]
        nsyl = np.fromiter((len(x) for x in syl_lists), dtype=np.int64, count=len(syl_lists))
        flat = np.fromiter(chain.from_iterable(syl_lists), dtype=object, count=int(nsyl.sum()))
        if len(flat):
            syl_codes, syl_vocab = pd.factorize(flat)
        else:
            syl_codes, syl_vocab = np.zeros(0, dtype=np.int64), np.array([], dtype=object)
        type_off = _offsets(nsyl)
        tok_nsyl = nsyl[self.codes]
        tok_start = _offsets(tok_nsyl)
        total = int(tok_start[-1])
        gather = np.repeat(type_off[self.codes] - tok_start[:-1], tok_nsyl) + np.arange(total)
        self.streams["anywhere"] = (syl_codes[gather].astype(np.int32), tok_start[self.offsets])
        self.ids["anywhere"] = {x: i for i, x in enumerate(syl_vocab)}

    def stream(self, mode: str) -> tuple[np.ndarray, np.ndarray]:
        """(ids, document offsets) of the stream for ``mode``: ``token_cs`` (exact
        tokens), ``token`` (case-folded tokens) or ``anywhere`` (case-folded syllables)."""
        if mode not in self.streams:
            (self._build_token_ci if mode == "token" else self._build_syllables)()
        return self.streams[mode]

    def pattern(self, tokens: Sequence[str], mode: str) -> np.ndarray | None:
        """Ids of a token sequence in the stream of ``mode``; None if absent."""
        self.stream(mode)
        if mode == "token_cs":
            keys = list(tokens)
        elif mode == "token":
            keys = [t.casefold() for t in tokens]
        else:
            keys = [x for t in tokens for x in t.casefold().split("_") if x]
        ids = [self.ids[mode].get(k) for k in keys]
        if not ids or any(i is None for i in ids):
            return None
        return np.asarray(ids, dtype=np.int32)

    def warm(self, mode: str) -> "_Index":
        """Build the stream and inverted index of ``mode`` now (they are lazy)."""
        self._postings(mode, 0)
        return self

    def _postings(self, match: str, first: int) -> np.ndarray:
        if match not in self._inverted:
            stream = self.stream(match)[0]
            order = np.argsort(stream, kind="stable")
            bounds = _offsets(np.bincount(stream, minlength=1))
            self._inverted[match] = (order, bounds)
        order, bounds = self._inverted[match]
        if first + 1 >= len(bounds):
            return np.zeros(0, dtype=np.int64)
        return order[bounds[first]:bounds[first + 1]]

    def find(self, ids: np.ndarray, match: str) -> tuple[np.ndarray, np.ndarray]:
        """Start positions and document rows of every match of ``ids``."""
        stream, offsets = self.stream(match)
        cand = self._postings(match, int(ids[0]))
        k = len(ids)
        if k > 1:
            cand = cand[cand + k - 1 < len(stream)]
            for j in range(1, k):
                cand = cand[stream[cand + j] == ids[j]]
        doc = np.searchsorted(offsets, cand, side="right") - 1
        if k > 1:  # a match may not run from one document into the next
            keep = cand + k <= offsets[doc + 1]
            cand, doc = cand[keep], doc[keep]
        return cand, doc


def _offsets(lengths: np.ndarray) -> np.ndarray:
    out = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=out[1:])
    return out


_CORPUS_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _from_store(corpus) -> tuple[pd.DataFrame, _Index] | None:
    """Token ids straight from the store's dictionary-coded token index
    (``Corpus.token_ids``), without Python token lists (10x faster on large
    stores); None for an object without it (the caller uses ``frame()``)."""
    if not callable(getattr(corpus, "token_ids", None)):
        return None
    meta, codes, lengths, vocab = corpus.token_ids()
    return meta.reset_index(drop=True), _Index(codes, lengths, vocab)


def _prepare(corpus) -> tuple[pd.DataFrame, _Index]:
    """Metadata frame (without tokens) and token index of a frame or Corpus.

    For a Corpus the index is built once and kept for the life of the object."""
    if isinstance(corpus, pd.DataFrame):
        if "tokens" not in corpus.columns:
            raise ValueError("the frame has no 'tokens' column; pass the analysis frame (Corpus.frame())")
        return corpus.drop(columns=["tokens"]).reset_index(drop=True), _Index.from_tokens(corpus["tokens"].tolist())
    if not (hasattr(corpus, "frame") and callable(corpus.frame)):
        raise TypeError(f"expected an analysis frame (DataFrame) or a Corpus, got {type(corpus).__name__}")
    try:
        cached = _CORPUS_CACHE.get(corpus)
    except TypeError:
        cached = None
    if cached is not None:
        return cached
    prepared = _from_store(corpus)
    if prepared is None:
        frame = corpus.frame()
        prepared = _prepare(frame)
    try:
        _CORPUS_CACHE[corpus] = prepared
    except TypeError:
        pass
    return prepared


@dataclass(frozen=True)
class _Term:
    label: str
    kind: str  # "term" or "concept"
    variants: tuple[tuple[str, ...], ...]
    display: str = ""

    @property
    def query(self) -> str:
        return " | ".join(" ".join(v) for v in self.variants)


def _query_tokens(phrase: str) -> list[str]:
    return list(_cached_query_tokens(phrase))


@functools.lru_cache(maxsize=8192)
def _cached_query_tokens(phrase: str) -> tuple[str, ...]:
    # segmenting a query runs the CRF model (~1 ms); repeated calls reuse the result
    from . import tokens as _tokens  # the same pipeline as the documents

    return tuple(_tokens.query_tokens(phrase))


def _shipped_concepts() -> dict[str, list[str]]:
    from .concepts import load_concepts
    return dict(load_concepts())


def _shipped_labels() -> dict[str, str]:
    from .concepts import load_concept_labels
    return dict(load_concept_labels())


def _resolve_terms(terms, concepts) -> list[_Term]:
    if isinstance(terms, (str, tuple)):
        terms = [terms]
    terms = list(terms or [])
    labels: dict[str, str] = {}
    if concepts is None:
        lexicon = _shipped_concepts() if any(isinstance(t, str) for t in terms) else {}
        labels = _shipped_labels() if lexicon else {}
        extra = []
    elif concepts is True:
        lexicon = _shipped_concepts()
        labels = _shipped_labels()
        extra = list(lexicon)
    elif concepts is False:
        lexicon, extra = {}, []
    elif isinstance(concepts, Mapping):
        lexicon = {str(k): list(v) for k, v in concepts.items()}
        extra = list(lexicon)
    else:
        raise ValueError("concepts must be None, True, False or a {family: [phrases]} mapping")
    out: list[_Term] = []
    seen: set[str] = set()
    for term in terms + [t for t in extra if t not in terms]:
        if isinstance(term, str) and term in lexicon:
            variants = tuple(dict.fromkeys(
                tuple(_query_tokens(p)) if isinstance(p, str) else tuple(p)  # str: a phrase; else tokens
                for p in lexicon[term]))
            variants = tuple(v for v in variants if v)
            spec = _Term(term, "concept", variants, labels.get(term, term))
        elif isinstance(term, str):
            toks = tuple(_query_tokens(term))
            spec = _Term(term, "term", (toks,), term)
        elif isinstance(term, (list, tuple)) and all(isinstance(t, str) for t in term):
            toks = tuple(term)  # already tokenised: used as given
            spec = _Term(" ".join(toks), "term", (toks,), " ".join(toks).replace("_", " "))
        else:
            raise ValueError(f"a term is a phrase (str) or a sequence of tokens, got {term!r}")
        if not spec.variants or not all(spec.variants):
            raise ValueError(f"term {term!r} has no tokens after query processing")
        if spec.label not in seen:
            seen.add(spec.label)
            out.append(spec)
    if not out:
        raise ValueError("no terms given (pass terms, or concepts=True / a concept mapping)")
    return out


def _mode(match: str, case_sensitive: bool) -> str:
    if case_sensitive and match == "anywhere":
        raise ValueError("case_sensitive=True is only available with match='token'")
    return "token_cs" if (match == "token" and case_sensitive) else match


def _count_matrix(index: _Index, specs: list[_Term], mode: str) -> sparse.csc_matrix:
    """Documents x terms counts. Overlapping matches (of variants of one concept,
    or of one term with itself) count once: each maximal run of overlapping
    matches is one occurrence."""
    indptr = [0]
    rows: list[np.ndarray] = []
    data: list[np.ndarray] = []
    for spec in specs:
        starts, ends = [], []
        for variant in spec.variants:
            ids = index.pattern(variant, mode)
            if ids is None:
                continue
            pos, _ = index.find(ids, mode)
            starts.append(pos)
            ends.append(pos + len(ids))
        if starts:
            start = np.concatenate(starts)
            end = np.concatenate(ends)
            order = np.lexsort((-end, start))
            start, end = start[order], end[order]
            if len(start) > 1:
                reach = np.maximum.accumulate(end)
                new = np.ones(len(start), dtype=bool)
                new[1:] = start[1:] >= reach[:-1]
                start = start[new]
            offsets = index.stream(mode)[1]
            doc = np.searchsorted(offsets, start, side="right") - 1
            d, c = np.unique(doc, return_counts=True)
        else:
            d = c = np.zeros(0, dtype=np.int64)
        rows.append(d)
        data.append(c)
        indptr.append(indptr[-1] + len(d))
    return sparse.csc_matrix(
        (np.concatenate(data) if data else [], np.concatenate(rows) if rows else [], indptr),
        shape=(index.n_docs, len(specs)), dtype=np.int64)


def term_counts(corpus, terms=None, *, match: str = "token", concepts=None,
                case_sensitive: bool = False) -> pd.DataFrame:
    """Occurrences of each term in each document.

    Returns a frame with ``doc_id``, ``n_tokens`` and one integer column per term
    (concept families included, see :func:`term_rates`). Useful to check a rate by
    hand or to feed per-article counts into a model.
    """
    _check_choice("match", match, _MATCH_MODES)
    specs = _resolve_terms(terms, concepts)
    meta, index = _prepare(corpus)
    counts = _count_matrix(index, specs, _mode(match, case_sensitive)).toarray()
    out = pd.DataFrame({"doc_id": meta["doc_id"].to_numpy() if "doc_id" in meta else np.arange(index.n_docs),
                        "n_tokens": index.lengths})
    for j, spec in enumerate(specs):
        out[spec.label] = counts[:, j]
    out.attrs["match"] = match
    return out


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


def term_rates(
    corpus,
    terms=None,
    *,
    by: str | None = "year",
    match: str = "token",
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
    match : ``"token"`` (default) or ``"anywhere"``; see the module docstring.
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
        other terms are asked for. ``n_boot=0`` skips the bootstrap.
    min_docs : periods with fewer documents are flagged ``thin``.

    Returns
    -------
    DataFrame, one row per term x period: ``term`` (as given, or the family id),
    ``label`` (the family's human label from ``concepts.txt``), ``kind`` (term/concept),
    ``query`` (the tokens searched), ``match``, ``period``, ``n_docs``, ``n_tokens``,
    ``count``, ``n_docs_with_term``, ``doc_share``, ``rate_per_10k``, ``rate_low``,
    ``rate_high``, ``share_low``, ``share_high``, ``thin``.

    Notes
    -----
    Intervals are percentile intervals of the nonparametric bootstrap (Efron &
    Tibshirani 1993, ch. 6 and 13) resampling *articles* within each period, so a
    rate carried by one long article gets a wide interval. A paragraph frame
    (several rows per ``doc_id``) is summed per article first: matches are found
    within paragraphs, resampling is by article. Periods are resampled
    independently. A period where the term never occurs gets the degenerate
    interval [0, 0], and a period of one article a zero-width interval: the
    bootstrap cannot show variation it has no data for, so read every interval
    together with ``n_docs`` and ``thin``.
    """
    _check_choice("match", match, _MATCH_MODES)
    if not 0 < ci < 1:
        raise ValueError("ci must be between 0 and 1")
    if n_boot < 0:
        raise ValueError("n_boot must be >= 0")
    specs = _resolve_terms(terms, concepts)
    meta, index = _prepare(corpus)
    counts = _count_matrix(index, specs, _mode(match, case_sensitive)).tocsr()
    lengths = index.lengths.astype(np.float64)
    if "doc_id" in meta and meta["doc_id"].duplicated().any():
        # a paragraph frame: the bootstrap unit stays the article
        meta, counts, lengths = _collapse_rows(meta, counts, lengths)
    codes, labels, _ = code_periods(meta, by)

    n_terms, n_per = len(specs), len(labels)
    keep = codes >= 0
    docs = np.flatnonzero(keep)
    # period x document indicator: every period's totals in one sparse product
    member = sparse.csr_matrix((np.ones(len(docs)), (codes[docs], docs)), shape=(n_per, counts.shape[0]))
    present = counts.copy()
    present.data = (present.data > 0).astype(np.float64)
    count = np.asarray((member @ counts).todense(), dtype=np.float64).reshape(n_per, n_terms)
    ndocs_with = np.asarray((member @ present).todense(), dtype=np.float64).reshape(n_per, n_terms)
    n_docs = np.bincount(codes[docs], minlength=n_per)
    n_tokens = np.bincount(codes[docs], weights=lengths[docs], minlength=n_per)
    rate_ci = np.full((n_per, 2, n_terms), np.nan)
    share_ci = np.full((n_per, 2, n_terms), np.nan)
    if n_boot:
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

    with np.errstate(invalid="ignore", divide="ignore"):
        rate = 1e4 * count / n_tokens[:, None]
        share = ndocs_with / n_docs[:, None]
    rate[n_tokens == 0] = np.nan
    share[n_docs == 0] = np.nan
    out = pd.DataFrame({
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
        "thin": np.tile(n_docs < min_docs, n_terms),
    })
    out.attrs.update({"by": by if not isinstance(by, pd.Series) else (by.name or "custom"), "match": match, "ci": ci, "n_boot": n_boot, "min_docs": min_docs,
                      "n_excluded": int((~keep).sum())})
    return out


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


def term_keyness(
    a,
    b,
    *,
    measure: str = "log_likelihood",
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
    """
    _check_choice("measure", measure, _KEYNESS_MEASURES)
    fa, fb = _frequency_list(a), _frequency_list(b)
    ta, tb = (float(fa.sum()), float(fb.sum())) if totals is None else map(float, totals)
    vocab = fa.index.union(fb.index)
    ca = fa.reindex(vocab, fill_value=0).to_numpy(np.float64)
    cb = fb.reindex(vocab, fill_value=0).to_numpy(np.float64)
    keep = (ca + cb) >= max(min_count, 1)
    if stopwords is not None:
        from .stopwords import resolve_stopwords
        stop = resolve_stopwords(stopwords)
        keep &= ~np.array([str(v).lower() in stop for v in vocab], dtype=bool)
    vocab, ca, cb = vocab[keep], ca[keep], cb[keep]
    if (ca > ta).any() or (cb > tb).any():
        raise ValueError("a count exceeds its corpus total; pass totals=(total_a, total_b)")
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
    out = pd.DataFrame({
        "term": np.asarray(vocab, dtype=object),
        "count_a": ca.astype(np.int64), "count_b": cb.astype(np.int64),
        "total_a": int(ta), "total_b": int(tb),
        "per_10k_a": 1e4 * rel_a, "per_10k_b": 1e4 * rel_b,
        "g2": g2, "p_g2": stats.chi2.sf(g2, 1),
        "log_ratio": log_ratio,
        "chi2": chi2, "p_chi2": stats.chi2.sf(chi2, 1),
        "direction": direction,
    })
    if p_max is not None:
        out = out[out["p_g2"] < p_max]
    key = {"log_likelihood": "g2", "chi2": "chi2", "log_ratio": "log_ratio"}[measure]
    out = out.assign(_rank=out[key].abs()).sort_values(["_rank", "term"], ascending=[False, True])
    if n is not None:
        out = out.groupby("direction", sort=False, group_keys=False).head(n)
    side = out["direction"].map({labels[0]: 0, labels[1]: 1}).fillna(2)
    out = out.assign(_side=side).sort_values(["_side", "_rank", "term"], ascending=[True, False, True])
    out = out.drop(columns=["_rank", "_side"]).reset_index(drop=True)
    out.attrs.update({"labels": tuple(labels), "measure": measure, "yates": yates})
    return out


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
        g = grp[(grp["n_docs"] > 0) & grp[value].notna()]
        periods = g["period"].tolist()
        is_time = bool(periods) and all(isinstance(p, pd.Period) for p in periods)
        x = g[value].to_numpy(np.float64)
        t = np.array([p.ordinal for p in periods], dtype=np.float64) if is_time else np.arange(len(x), dtype=np.float64)
        n = len(x)
        row = dict(zip(keys, key))
        row.update({"n_periods": n, "n_thin": int(g["thin"].sum()) if "thin" in g else 0,
                    "first_period": periods[0] if n else None, "last_period": periods[-1] if n else None})
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
        rows.append(row)
    cols = keys + ["n_periods", "n_thin", "first_period", "last_period", "mk_s", "mk_var_s", "mk_z",
                   "mk_p", "mk_tau", "trend", "sen_slope", "change_point", "mean_before", "mean_after",
                   "cp_p", "change_points", "caveat"]
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------- composition
def corpus_composition(corpus, by: str | None = "year", group: str = "outlet") -> pd.DataFrame:
    """Articles and tokens per period x group (e.g. outlet), with shares of the period.

    A rise in a term's rate that coincides with a change in the mix of sources may
    be a change of sources, not of language. Missing group values are shown as
    ``"(unknown)"``.
    """
    if isinstance(corpus, pd.DataFrame):
        meta = corpus.drop(columns=["tokens"]) if "tokens" in corpus else corpus
        lengths = (corpus["tokens"].map(len).to_numpy() if "tokens" in corpus
                   else np.zeros(len(corpus), dtype=np.int64))
    else:
        meta, index = _prepare(corpus)
        lengths = index.lengths
    meta = meta.reset_index(drop=True)
    if group not in meta.columns:
        raise ValueError(f"group={group!r} is not a column of the frame")
    codes, labels, _ = code_periods(meta, by)
    keep = codes >= 0
    g = meta[group].astype(object).where(meta[group].notna(), "(unknown)")
    df = pd.DataFrame({"period": codes[keep], group: g[keep].to_numpy(), "n_tokens": lengths[keep]})
    out = (df.groupby(["period", group], sort=True)
             .agg(n_docs=("n_tokens", "size"), n_tokens=("n_tokens", "sum")).reset_index())
    tot = out.groupby("period")[["n_docs", "n_tokens"]].transform("sum")
    out["doc_share"] = out["n_docs"] / tot["n_docs"]
    out["token_share"] = out["n_tokens"] / tot["n_tokens"].where(tot["n_tokens"] > 0)
    out["period"] = np.asarray(labels, dtype=object)[out["period"].to_numpy()]
    if isinstance(labels, pd.PeriodIndex):
        out["period"] = pd.PeriodIndex(out["period"].tolist(), freq=labels.freq)
    out.attrs.update({"by": by if not isinstance(by, pd.Series) else (by.name or "custom"), "group": group, "n_excluded": int((~keep).sum())})
    return out
