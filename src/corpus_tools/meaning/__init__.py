"""How meaning changes: one embedding space per period, aligned, and each word's
displacement between consecutive periods, corrected for frequency.

Method (:func:`meaning_change`):

- Embeddings per period are PPMI + truncated SVD over the corpus's own co-occurrences
  (Levy, Goldberg & Dagan 2015), aligned by orthogonal Procrustes over the words
  both periods know; a word's displacement is the cosine distance of its aligned
  vectors (Hamilton, Leskovec & Jurafsky, ACL 2016).
- Rare words move by chance: a word seen 30 times gets a noisier vector than one
  seen 3,000 times, so raw displacement ranks rare words first (Dubossarsky,
  Weinshall & Grossman, EMNLP 2017). The correction: the documents of the two
  periods are shuffled between them ``n_perm`` times (each keeps its size), and
  each word's displacement in those shuffles, where nothing changed, is what
  chance gives at its frequencies. ``change`` is the observed displacement minus
  that mean, its interval the observed minus the shuffles' central 95%, and
  ``p_value`` the share of shuffles that move it as far (a permutation test).
- ``displacement_low/high``: a bootstrap over documents (each period's documents
  resampled, ``n_boot`` times; Rodman, Political Analysis 2020), how much the raw
  displacement rests on which documents were sampled.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from .._options import check_ci
from ..periods import THIN_DOCS, By, code_periods
from ._embed import Pairs, align, displacement, embed, neighbours

__all__ = ["meaning_change", "MeaningChange"]


@dataclass
class MeaningChange:
    """What :func:`meaning_change` found.

    ``table``: one row per word and consecutive pair of periods, most changed
    first: ``word, period_from, period_to, count_from, count_to, displacement,
    displacement_low, displacement_high, expected, change, change_low,
    change_high, z, p_value`` (``z``: change over the shuffles' standard deviation). ``frequencies``: each word's count per period (rows:
    words, columns: periods). ``periods``: the periods compared with their
    documents and tokens. ``notes``: what the numbers cannot show.
    """
    table: pd.DataFrame
    frequencies: pd.DataFrame
    periods: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    params: dict = field(default_factory=dict)
    vectors: dict = field(default_factory=dict, repr=False)
    vocabulary: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object), repr=False)

    def neighbours(self, words: str | Sequence[str], n: int = 10) -> pd.DataFrame:
        """The ``n`` nearest words of each of ``words`` in each period (a word too
        rare in a period, below ``min_count``, has none there): ``word, period,
        rank, neighbour, similarity``."""
        words = [words] if isinstance(words, str) else list(words)
        pos = {w: i for i, w in enumerate(self.vocabulary)}
        unknown = [w for w in words if w not in pos]
        if unknown:
            raise ValueError(f"not among the words compared (the {len(pos)} most frequent): {unknown}")
        rows = []
        counts = self.frequencies
        for w in words:
            for per, vec in self.vectors.items():
                known = counts[per].to_numpy() >= self.params["min_count"]
                if not known[pos[w]]:
                    continue
                for r, (j, sim) in enumerate(neighbours(vec, pos[w], known, n), start=1):
                    rows.append({"word": w, "period": per, "rank": r, "neighbour": self.vocabulary[j],
                                 "similarity": sim})
        return pd.DataFrame(rows, columns=["word", "period", "rank", "neighbour", "similarity"])


def _tokens(corpus):
    """Metadata, the word-code stream (case-folded words), the document and the
    sentence of each token, and the words."""
    from ..collection import token_index
    meta, index = token_index(corpus)
    codes, _ = index.stream("word")
    vocab = np.array(list(index.ids["word"]), dtype=object)
    doc = np.repeat(np.arange(index.n_docs), index.lengths)
    return meta, np.asarray(codes), doc, index.sentences, vocab


def _indicator(docs: np.ndarray, n_docs: int) -> np.ndarray:
    """Document weights counting ``docs`` once and the rest not at all."""
    w = np.zeros(n_docs)
    w[docs] = 1.0
    return w


def meaning_change(corpus, *, by: By = "year", n: int | None = 50, words: Sequence[str] | None = None,
                   vocabulary_size: int = 5000, min_count: int = 20, window: int = 4, dim: int = 100,
                   n_perm: int = 50, n_boot: int = 50, ci: float = 0.95,
                   random_state: int = 0, progress: bool = False) -> MeaningChange:
    """Which words change meaning between consecutive periods of ``by``.

    Parameters
    ----------
    corpus : a :class:`~corpus_tools.Corpus` or an article frame with ``tokens``.
    by : any grouping of :func:`corpus_tools.code_periods`: a calendar unit
        (``"year"``), a period of the Party's calendar (``"term"``, ``"plenum"``),
        a column, a ``doc_id -> label`` Series or a callable. Periods are compared
        in order, each with the next.
    n : the most changed words kept per pair of periods (by ``change``); None: all.
        Words named in ``words`` are always kept.
    vocabulary_size : the most frequent words (case-folded) embedded and compared
        (those seen at least ``min_count`` times in the corpus).
    min_count : a word is compared between two periods only where it occurs at
        least this often in both.
    window, dim : co-occurrence window (words each side, within a sentence) and
        dimensions of the embeddings.
    n_perm, n_boot : shuffles of documents between the two periods (the frequency
        correction and its interval) and bootstrap resamples (the raw
        displacement's interval).
    progress : show progress bars (an embedding per period, per shuffle and per
        resample: minutes on a large corpus).

    See the module docstring for the method and its sources. Deterministic for
    a ``random_state``.
    """
    check_ci(ci)
    for name, v, low in (("n_perm", n_perm, 10), ("n_boot", n_boot, 0), ("window", window, 1), ("dim", dim, 2),
                         ("vocabulary_size", vocabulary_size, 10), ("min_count", min_count, 1)):
        if int(v) < low:
            raise ValueError(f"{name} must be >= {low}; got {v}")
    if n is not None and n < 1:
        raise ValueError(f"n must be >= 1 or None; got {n}")
    meta, codes, doc, sentence, words_all = _tokens(corpus)
    coding = code_periods(meta, by)
    wcodes, vocab = _top_words(codes, words_all, vocabulary_size, min_count)
    V = len(vocab)
    pairs = Pairs(wcodes, doc, sentence, window, V, len(meta))
    labels, per_docs, counts_by, periods = _periods(coding, doc, wcodes, V, len(meta))
    notes, used = _period_notes(coding, labels, per_docs)
    freqs = pd.DataFrame(counts_by, index=pd.Index(vocab, name="word"), columns=labels).astype(np.int64)
    params = dict(by=by if isinstance(by, str) or by is None else "custom", n=n, vocabulary_size=vocabulary_size,
                  min_count=min_count, window=window, dim=dim, n_perm=n_perm, n_boot=n_boot, ci=ci,
                  random_state=random_state, method="ppmi_svd")
    empty = MeaningChange(pd.DataFrame(columns=_COLUMNS), freqs, periods, notes, params, {}, vocab)
    if len(used) < 2:
        notes.append("meaning change needs two periods with documents; there are "
                     f"{len(used)}: nothing to compare")
        return empty
    if V <= dim:
        notes.append(f"only {V} words occur {min_count} times in the corpus: too few for {dim}-dimensional "
                     "embeddings (lower dim or min_count, or add documents)")
        return empty
    rng = np.random.default_rng(random_state)
    seed = lambda: int(rng.integers(2**31 - 1))  # noqa: E731 - one stream of seeds for every SVD
    vectors = {labels[i]: embed(pairs.counts(_indicator(per_docs[i], len(meta))), dim, seed())
               for i in tqdm(used, desc="embeddings", leave=False, disable=not progress)}
    rows = []
    for a, b in zip(used, used[1:]):
        rows.append(_compare(pairs, per_docs[a], per_docs[b], labels[a], labels[b], vectors, counts_by[:, a],
                             counts_by[:, b], vocab, len(meta), min_count, dim, n_perm, n_boot, ci, rng, seed,
                             notes, progress))
    table = pd.concat([r for r in rows if len(r)], ignore_index=True) if any(len(r) for r in rows) \
        else pd.DataFrame(columns=_COLUMNS)
    if not len(table):
        notes.append(f"no word occurs {min_count} times in two consecutive periods: lower min_count, "
                     "or use longer periods")
    table = _select(table, n, words, vocab, n_boot, n_perm, notes)
    return MeaningChange(table, freqs, periods, notes, params, vectors, vocab)


def _top_words(codes: np.ndarray, words: np.ndarray, size: int, min_count: int) -> tuple[np.ndarray, np.ndarray]:
    """Each token's position among the ``size`` most frequent words seen ``min_count``
    times (-1 outside), and those words: rarer words could not be compared in any
    period, and as contexts they add little but cost (the matrices are size x size).
    Tokens without a letter are left out."""
    freq = np.bincount(codes, minlength=len(words))
    # words only: numbers and symbols ("10", "%", keys left empty) have no meaning to track
    freq[[i for i, w in enumerate(words) if not any(ch.isalpha() for ch in str(w))]] = 0
    top = np.argsort(-freq, kind="stable")[:size]
    top = top[freq[top] >= min_count]
    local = np.full(len(words), -1, dtype=np.int64)
    local[top] = np.arange(len(top))
    return local[codes], words[top]


def _periods(coding, doc, wcodes, V, n_docs):
    """Labels, documents of each period, word counts per period, and the periods table."""
    labels = [str(x) for x in coding.labels]
    per_docs = [np.flatnonzero(coding.codes == i) for i in range(len(labels))]
    tok_doc = np.bincount(doc[wcodes >= 0], minlength=n_docs)
    counts = np.zeros((V, len(labels)))
    period_of = np.full(n_docs, -1)
    period_of[coding.codes >= 0] = coding.codes[coding.codes >= 0]
    tok_period = period_of[doc]
    ok = (wcodes >= 0) & (tok_period >= 0)
    np.add.at(counts, (wcodes[ok], tok_period[ok]), 1)
    periods = pd.DataFrame({"period": labels, "n_docs": [len(m) for m in per_docs],
                            "n_tokens": [int(tok_doc[m].sum()) for m in per_docs]})
    return labels, per_docs, counts, periods


def _period_notes(coding, labels, per_docs) -> tuple[list[str], list[int]]:
    """The periods compared (two documents at least) and what the others cannot show."""
    notes = []
    used = [i for i, m in enumerate(per_docs) if len(m) >= 2]
    thin = [f"{labels[i]} ({len(per_docs[i])})" for i in used if len(per_docs[i]) < THIN_DOCS]
    if thin:
        notes.append(f"thin periods (fewer than {THIN_DOCS} documents): {', '.join(thin)}; an embedding "
                     "rests on the documents of its period, so these say little (hundreds are needed)")
    if len(used) < len(labels):
        notes.append(f"periods with fewer than two documents are left out: "
                     f"{[labels[i] for i in range(len(labels)) if i not in used]}")
    left_out = int((coding.codes < 0).sum())
    if left_out:
        notes.append(f"{left_out} documents have no period (undated, or no label) and are not used")
    return notes, used


def _select(table, n, words, vocab, n_boot, n_perm, notes) -> pd.DataFrame:
    """The ``n`` most changed words per pair (and the named ones), most changed first
    within each pair, pairs in time order; notes on what the numbers rest on."""
    keep = set(words or [])
    missing = [w for w in keep if w not in set(vocab)]
    if missing:
        notes.append(f"not among the {len(vocab)} most frequent words, so not compared: {missing}")
    if n is not None and len(table):
        rank = table.groupby(["period_from", "period_to"], sort=False)["change"].rank(ascending=False, method="first")
        table = table[(rank <= n) | table["word"].isin(keep)]
    if n_boot and len(table):
        off = (table["displacement"] < table["displacement_low"]) | (table["displacement"] > table["displacement_high"])
        if off.any():
            notes.append(f"{int(off.sum())} of {len(table)} displacements lie outside their own bootstrap interval: "
                         "resampling documents (some twice) moves the vectors by itself, so read that interval "
                         "as the spread over samples, and change_low/high for what is beyond chance")
    pair = pd.factorize(table["period_from"].astype(str) + "\x00" + table["period_to"].astype(str))[0]
    order = np.lexsort((-table["change"].to_numpy(dtype=float), pair))
    notes.append(f"change = displacement minus what {n_perm} shuffles of the documents between the two periods "
                 "give at the word's frequencies (0: no more than chance)")
    return table.iloc[order].reset_index(drop=True)


_COLUMNS = ["word", "period_from", "period_to", "count_from", "count_to", "displacement", "displacement_low",
            "displacement_high", "expected", "change", "change_low", "change_high", "z", "p_value"]


def _pair_displacement(c1, c2, shared, dim, seed):
    e1, e2 = embed(c1, dim, seed()), embed(c2, dim, seed())
    return displacement(e1, align(e1, e2, shared))


def _compare(pairs, docs_a, docs_b, lab_a, lab_b, vectors, cnt_a, cnt_b, vocab, n_docs, min_count, dim,
             n_perm, n_boot, ci, rng, seed, notes: list[str], progress: bool) -> pd.DataFrame:
    """One consecutive pair: observed displacement, its bootstrap interval, and the
    permutation null that corrects it for frequency."""
    shared = np.flatnonzero((cnt_a >= min_count) & (cnt_b >= min_count))
    if len(shared) < dim:
        notes.append(f"{lab_a} → {lab_b}: only {len(shared)} words occur {min_count} times in both periods, "
                     f"too few to align {dim}-dimensional spaces (need {dim}): not compared")
        return pd.DataFrame(columns=_COLUMNS)
    va = vectors[lab_a]
    vb = align(va, vectors[lab_b], shared)
    obs = displacement(va, vb)[shared]
    pool = np.concatenate([docs_a, docs_b])
    splits = math.comb(len(pool), len(docs_a))
    if splits < 20 * n_perm:
        notes.append(f"{lab_a} → {lab_b}: {len(docs_a)} and {len(docs_b)} documents can be split only {splits} ways: "
                     "the shuffles repeat one another, so p-values and intervals say little")
    c_union = pairs.counts(_indicator(pool, n_docs))
    null = np.empty((n_perm, len(shared)))
    for i in tqdm(range(n_perm), desc=f"shuffles {lab_a}→{lab_b}", leave=False, disable=not progress):
        c1 = pairs.counts(_indicator(rng.permutation(pool)[:len(docs_a)], n_docs))
        null[i] = _pair_displacement(c1, c_union - c1, shared, dim, seed)[shared]
    boot = np.empty((n_boot, len(shared)))
    for i in tqdm(range(n_boot), desc=f"bootstrap {lab_a}→{lab_b}", leave=False, disable=not progress):
        wa = np.zeros(n_docs)
        wb = np.zeros(n_docs)
        np.add.at(wa, rng.choice(docs_a, len(docs_a)), 1.0)
        np.add.at(wb, rng.choice(docs_b, len(docs_b)), 1.0)
        boot[i] = _pair_displacement(pairs.counts(wa), pairs.counts(wb), shared, dim, seed)[shared]
    q = ((1 - ci) / 2, 1 - (1 - ci) / 2)
    # Monte Carlo order statistics: the observed value, exchangeable with the shuffles
    # when nothing changed, falls outside [k_lo, k_hi] with probability <= 1 - ci
    srt = np.sort(null, axis=0)
    k_lo = max(int(np.floor(q[0] * (n_perm + 1))), 1)
    k_hi = min(int(np.ceil(q[1] * (n_perm + 1))), n_perm)
    nlo, nhi = srt[k_lo - 1], srt[k_hi - 1]
    expected = null.mean(axis=0)
    blo, bhi = (np.quantile(boot, q, axis=0) if n_boot else (np.full(len(shared), np.nan),) * 2)
    return pd.DataFrame({
        "word": vocab[shared], "period_from": lab_a, "period_to": lab_b,
        "count_from": cnt_a[shared].astype(np.int64), "count_to": cnt_b[shared].astype(np.int64),
        "displacement": obs, "displacement_low": blo, "displacement_high": bhi, "expected": expected,
        "change": obs - expected, "change_low": obs - nhi, "change_high": obs - nlo,
        "z": (obs - expected) / np.maximum(null.std(axis=0, ddof=1), 1e-12),
        "p_value": (1 + (null >= obs[None, :]).sum(axis=0)) / (1 + n_perm)})
