"""Phrase discovery: adjacent n-grams ranked by association, to find the genre's
multiword terms for the lexicon.

Written here rather than taken from a library: NLTK's collocation finders would
count across the punctuation tokens that end Vietnamese phrases and know nothing of
the ``_``-joined words of the segmenter; the measures themselves are the textbook ones.
"""
from __future__ import annotations

import math
from collections import Counter
from typing import Iterable, Literal, Sequence

import pandas as pd

from ._options import check_choice
from .stopwords import Stopwords, resolve_stopwords
from .syllables import is_number, is_punct

__all__ = ["term_collocations"]

Measure = Literal["pmi", "log_likelihood", "t_score"]


def _xlogx_ratio(o: float, e: float) -> float:
    return o * math.log(o / e) if o > 0 else 0.0


def _count_ngrams(docs: Iterable[Sequence[str]], ngram: int) -> Counter:
    """n-gram counts within runs of non-punctuation tokens."""
    grams: Counter = Counter()
    for doc in docs:
        run: list[str] = []
        for tok in list(doc) + [","]:
            if is_punct(tok):
                for i in range(len(run) - ngram + 1):
                    grams[tuple(run[i:i + ngram])] += 1
                run = []
            else:
                run.append(tok)
    return grams


def _marginals(grams: Counter, ngram: int) -> tuple[list[Counter], dict[tuple[int, int], Counter]]:
    slot = [Counter() for _ in range(ngram)]
    pair: dict[tuple[int, int], Counter] = {}
    if ngram == 3:
        pair = {(0, 1): Counter(), (0, 2): Counter(), (1, 2): Counter()}
    for g, c in grams.items():
        for i in range(ngram):
            slot[i][g[i]] += c
        for (a, b), cnt in pair.items():
            cnt[(g[a], g[b])] += c
    return slot, pair


def _cells(g: tuple, o: int, m: list[int], pair: dict, N: float) -> list[tuple[float, float]]:
    """(observed, expected) of every cell of the 2^n table of the slots."""
    if len(g) == 2:
        n11, n1p, np1 = o, m[0], m[1]
        return [(n11, n1p * np1 / N), (n1p - n11, n1p * (N - np1) / N),
                (np1 - n11, (N - n1p) * np1 / N),
                (N - n1p - np1 + n11, (N - n1p) * (N - np1) / N)]
    a, b, c_ = m
    ab, ac, bc = pair[(0, 1)][(g[0], g[1])], pair[(0, 2)][(g[0], g[2])], pair[(1, 2)][(g[1], g[2])]
    obs = {
        (1, 1, 1): o, (1, 1, 0): ab - o, (1, 0, 1): ac - o, (0, 1, 1): bc - o,
        (1, 0, 0): a - ab - ac + o, (0, 1, 0): b - ab - bc + o, (0, 0, 1): c_ - ac - bc + o,
    }
    obs[(0, 0, 0)] = N - sum(obs.values())
    p = [a / N, b / N, c_ / N]
    cells = []
    for cell, ob in obs.items():
        ex = N
        for i, bit in enumerate(cell):
            ex *= p[i] if bit else 1 - p[i]
        cells.append((ob, ex))
    return cells


def term_collocations(docs: Iterable[Sequence[str]], *, measure: Measure = "pmi", min_count: int = 5,
                      ngram: int = 2, n: int | None = 100,
                      stopwords: Stopwords = None) -> pd.DataFrame:
    """Rank adjacent n-grams (2 or 3 tokens) as candidate multiword terms.

    ``docs`` are token lists (e.g. ``tokenize(text, keep_punct=True)`` or the
    sentences of ``segment``); n-grams never cross punctuation tokens or a
    list boundary, and those with a number or, if ``stopwords`` is given, a
    stopword at either edge are skipped. Counts come from the n-gram positions
    (N = number of n-gram positions; marginals = how often a word fills each slot).
    ``n`` keeps the ``n`` best rows (``None``: all).

    Measures (all on the contingency table of the slots):

    - ``"pmi"``: pointwise mutual information, log2 O/E (Church & Hanks 1990,
      *Word association norms, mutual information, and lexicography*); high for
      rare exclusive pairs, hence ``min_count``.
    - ``"log_likelihood"``: G² = 2 Σ O ln(O/E) over the 2^n table of the slots
      under independence (Dunning 1993, *Accurate methods for the statistics of
      surprise and coincidence*); favours frequent, reliable pairs.
    - ``"t_score"``: (O - E) / sqrt(O) (Church et al. 1991).

    Returns a DataFrame sorted by score (ties by n-gram) with columns ``ngram``
    (words joined by a space), ``term`` (joined by ``_``, as the lexicon token),
    ``count``, ``expected``, ``score``, ``pmi``, ``log_likelihood``, ``t_score``
    and the slot counts ``count_1`` .. ``count_n``.
    """
    check_choice("measure", measure, Measure)
    if ngram not in (2, 3):
        raise ValueError(f"ngram must be 2 or 3, got {ngram!r}")
    stop = resolve_stopwords(stopwords)
    grams = _count_ngrams(docs, ngram)
    n_total = sum(grams.values())
    cols = ["ngram", "term", "count", "expected", "score", "pmi", "log_likelihood", "t_score"] + \
        [f"count_{i + 1}" for i in range(ngram)]
    if n_total == 0:
        return pd.DataFrame(columns=cols)
    slot, pair = _marginals(grams, ngram)
    rows = []
    N = float(n_total)
    for g, o in grams.items():
        if o < min_count or any(is_number(t) for t in g):
            continue
        if stop and (g[0].lower() in stop or g[-1].lower() in stop):
            continue
        m = [slot[i][g[i]] for i in range(ngram)]
        e = math.prod(m) / N ** (ngram - 1)
        pmi = math.log2(o / e)
        t = (o - e) / math.sqrt(o)
        g2 = 2 * sum(_xlogx_ratio(ob, ex) for ob, ex in _cells(g, o, m, pair, N) if ex > 0)
        score = {"pmi": pmi, "log_likelihood": g2, "t_score": t}[measure]
        rows.append([" ".join(g), "_".join(g), o, e, score, pmi, g2, t] + m)
    df = pd.DataFrame(rows, columns=cols)
    df = df.sort_values(["score", "ngram"], ascending=[False, True], kind="mergesort")
    if n is not None:
        df = df.head(n)
    return df.reset_index(drop=True)
