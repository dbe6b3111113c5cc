"""Term co-occurrence: which of the genre's words keep company, as quanteda's
``fcm`` (feature co-occurrence matrix) and ``textplot_network``.

Written here rather than taken from a library: the counting runs over the
segmenter's ``_``-joined words of the store's frames, with the project's stopword
rule, and the measures are the textbook ones.
"""
from __future__ import annotations

import math
from collections import Counter
from typing import Literal

import pandas as pd

from ._options import check_choice
from .collection import token_lists
from .stopwords import Stopwords, resolve_stopwords
from .syllables import is_number, is_punct

__all__ = ["term_cooccurrence"]

Measure = Literal["ppmi", "count", "dice"]


def _nodes(docs, terms, n: int, stop: frozenset[str]) -> list[str]:
    if terms is not None:
        out = []
        for t in [terms] if isinstance(terms, str) else list(terms):
            tok = "_".join(str(t).split())
            if tok not in out:
                out.append(tok)
        return out
    df: Counter = Counter()
    for doc in docs:
        df.update({t for t in doc if not is_punct(t) and not is_number(t) and len(t) > 1
                   and t.casefold() not in stop and t not in stop})
    return [t for t, _ in sorted(df.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def term_cooccurrence(corpus, terms=None, *, window: int | None = 5, measure: Measure = "ppmi",
                      n: int = 30, min_count: int = 2, stopwords: Stopwords = "general") -> pd.DataFrame:
    """Co-occurrence of terms, one row per pair, strongest first.

    Parameters
    ----------
    corpus : a ``Corpus``, a frame with ``tokens`` (``Corpus.frame()``), or token lists.
    terms : the nodes: words as the frame has them (``"đại hội"`` is looked up as
        ``đại_hội``); None: the ``n`` words found in the most documents, leaving
        out ``stopwords``, numbers, punctuation and one-letter tokens.
    window : two nodes co-occur when at most ``window`` tokens apart in a document
        (every such pair of positions counts, as quanteda's ``fcm(context="window")``);
        None: when in the same document (each document counts once,
        ``context="document"``).
    measure : the score of the ``score`` column and the order:

        - ``"ppmi"``: positive pointwise mutual information,
          ``max(0, log2(c(a,b) N / (c(a) c(b))))`` with ``N`` the number of tokens
          (window) or of documents (document co-occurrence) and ``c(a)`` their
          counts (Church & Hanks 1990; positive part as in Bullinaria & Levy 2007);
        - ``"count"``: ``c(a,b)``;
        - ``"dice"``: ``2 c(a,b) / (c(a) + c(b))`` (Dice 1945; Smadja 1993).
    min_count : pairs seen fewer times are left out.

    Returns columns ``term_a``, ``term_b`` (in node order), ``count``, ``count_a``,
    ``count_b``, ``ppmi``, ``dice``, ``score``; ``attrs["nodes"]`` holds every
    node with its count, ``attrs["N"]`` the total.
    """
    check_choice("measure", measure, Measure)
    if window is not None and (isinstance(window, bool) or not isinstance(window, int) or window < 1):
        raise ValueError(f"window must be a positive int or None, got {window!r}")
    stop = resolve_stopwords(stopwords)
    if callable(getattr(corpus, "token_ids", None)):  # a Corpus: counted on its token codes
        nodes, pairs, marg, total = _count_codes(corpus, terms, n, stop, window)
    else:
        nodes, pairs, marg, total = _count_lists(token_lists(corpus), terms, n, stop, window)
    rows = []
    for (a, b), c in pairs.items():
        if c < min_count:
            continue
        ca, cb = marg[a], marg[b]
        pmi = math.log2(c * total / (ca * cb))
        rows.append((nodes[a], nodes[b], c, ca, cb, max(0.0, pmi), 2 * c / (ca + cb)))
    out = pd.DataFrame(rows, columns=["term_a", "term_b", "count", "count_a", "count_b", "ppmi", "dice"])
    out["score"] = out["count"].astype(float) if measure == "count" else out[measure]
    out = out.sort_values(["score", "count", "term_a", "term_b"], ascending=[False, False, True, True],
                          kind="mergesort").reset_index(drop=True)
    out.attrs["nodes"] = {t: int(marg[i]) for i, t in enumerate(nodes)}
    out.attrs["N"] = total
    out.attrs["window"] = window
    out.attrs["measure"] = measure
    return out


def _count_codes(corpus, terms, n: int, stop: frozenset[str], window: int | None):
    """:func:`_count_lists` on a Corpus's token codes (no token strings per document,
    the store's stream memory-mapped): the same nodes, pairs, margins and total."""
    import numpy as np
    rows, codes, lengths, vocab = corpus.token_ids()
    word = np.fromiter((not is_punct(v) for v in vocab), dtype=bool, count=len(vocab))
    if not word.all():  # the frame's tokens that are punctuation all the same
        doc = np.repeat(np.arange(len(lengths)), lengths)
        ok = word[codes]
        codes, lengths = codes[ok], np.bincount(doc[ok], minlength=len(lengths))
    if terms is None:  # the n words in the most documents
        X, names, _ = corpus.dtm()
        df = np.bincount(X.indices, minlength=X.shape[1])
        cand = [(int(df[j]), t) for j, t in enumerate(names)
                if df[j] and not is_punct(t) and not is_number(t) and len(t) > 1
                and t.casefold() not in stop and t not in stop]
        nodes = [t for _, t in sorted(cand, key=lambda kv: (-kv[0], kv[1]))[:n]]
    else:
        nodes = _nodes([], terms, n, stop)
    node_of = np.full(len(vocab), -1, dtype=np.int64)
    lookup = {v: i for i, v in enumerate(vocab)}
    for k, t in enumerate(nodes):
        if t in lookup:
            node_of[lookup[t]] = k
    starts = np.concatenate(([0], np.cumsum(lengths)))
    at = np.flatnonzero(node_of[codes] >= 0)  # every node occurrence, in stream order
    node = node_of[codes[at]]
    doc = np.searchsorted(starts, at, side="right") - 1
    pairs: Counter = Counter()
    if window is None:
        present = np.unique(doc * len(nodes) + node)  # (document, node), each once, in order
        d, a = present // max(len(nodes), 1), present % max(len(nodes), 1)
        marg = Counter({i: c for i, c in enumerate(np.bincount(a, minlength=len(nodes)).tolist()) if c})
        for lag in range(1, len(nodes)):
            same = d[lag:] == d[:-lag]
            if not same.any():
                break
            pairs.update(zip(a[:-lag][same].tolist(), a[lag:][same].tolist()))
        return nodes, pairs, marg, len(lengths)
    marg = Counter({i: c for i, c in enumerate(np.bincount(node, minlength=len(nodes)).tolist()) if c})
    for lag in range(1, window + 1):  # positions are distinct: a pair is at most `window` hits apart
        near = (doc[lag:] == doc[:-lag]) & (at[lag:] - at[:-lag] <= window)
        if not near.any():
            break
        a, b = node[:-lag][near], node[lag:][near]
        diff = a != b
        pairs.update(zip(np.minimum(a, b)[diff].tolist(), np.maximum(a, b)[diff].tolist()))
    return nodes, pairs, marg, int(lengths.sum())


def _count_lists(docs, terms, n: int, stop: frozenset[str], window: int | None):
    """Nodes, pair counts, node counts and the total (tokens, or documents when
    ``window`` is None) over token lists."""
    nodes = _nodes(docs, terms, n, stop)
    index = {t: i for i, t in enumerate(nodes)}
    pairs: Counter = Counter()
    marg: Counter = Counter()
    total = 0
    for doc in docs:
        toks = [t for t in doc if not is_punct(t)]
        hits = [(p, index[t]) for p, t in enumerate(toks) if t in index]
        if window is None:
            total += 1
            present = sorted({i for _, i in hits})
            marg.update(present)
            pairs.update((a, b) for k, a in enumerate(present) for b in present[k + 1:])
            continue
        total += len(toks)
        marg.update(i for _, i in hits)
        for k, (p, a) in enumerate(hits):
            for q, b in hits[k + 1:]:
                if q - p > window:
                    break
                if a != b:
                    pairs[(min(a, b), max(a, b))] += 1
    return nodes, pairs, marg, total
