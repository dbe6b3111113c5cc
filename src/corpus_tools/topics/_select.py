"""Choosing the number of topics: a grid over K scored by coherence, diversity
and stability across seeds, fitted in parallel."""
from __future__ import annotations

import time
from typing import Sequence

import numpy as np
import pandas as pd

from ._metrics import coherence_npmi, topic_diversity, topic_stability
from ._model import TopicModel
from ._vectorizer import TopicVectorizer, fit_counts

__all__ = ["topic_choose_k", "topic_select_k"]


def _fit_one(params: dict, k: int, seed: int, X, vocabulary, inner_jobs):
    t0 = time.perf_counter()
    m = TopicModel(**{**params, "n_topics": k, "random_state": seed, "n_jobs": inner_jobs,
                      "progress": False})
    m.fit(X, vocabulary=vocabulary)
    return k, seed, m.topic_word_, time.perf_counter() - t0


def topic_select_k(X, ks: Sequence[int] = (5, 10, 15, 20, 25, 30), *,
                   vectorizer: TopicVectorizer | None = None,
                   vocabulary: Sequence[str] | None = None, seeds: Sequence[int] = (0, 1, 2),
                   n: int = 10, diversity_n: int = 25, n_jobs: int | None = None,
                   progress: bool = True, **params) -> pd.DataFrame:
    """Fit a ``TopicModel`` for every K in ``ks`` and every seed, and score each K.

    ``X`` is anything ``TopicModel.fit`` takes; the vocabulary policy
    (``vectorizer``, as in ``TopicModel``) runs once and every fit sees the same
    count matrix. ``params`` go to ``TopicModel`` (``method``, ``weighting`` …). Fits run in parallel (joblib
    processes, ``n_jobs``; results do not depend on it).

    Returns one row per K: ``coherence_npmi`` (mean over seeds of the mean NPMI
    of the top ``n`` words, over document co-occurrence; Bouma 2009, Röder
    et al. 2015) and its standard deviation over seeds ``coherence_npmi_sd``;
    ``topic_diversity`` (unique share of top-``diversity_n`` words, Dieng et al.
    2020; mean over seeds); ``topic_stability`` (mean matched Jaccard of top
    words between the seeds' fits, Greene et al. 2014); ``fit_seconds`` (mean).
    Prefer a K where coherence and stability are high before diversity drops.
    """
    from joblib import Parallel, delayed

    ks = [int(k) for k in ks]
    seeds = [int(s) for s in seeds]
    if not ks or min(ks) < 1:
        raise ValueError("ks must be a non-empty list of positive ints")
    if len(seeds) < 2:
        raise ValueError("topic_stability needs at least two seeds")
    TopicModel(**params)._validate()  # fail on a bad option before any work
    counts, _, vocab, _ = fit_counts(X, vectorizer, vocabulary)
    params = {**TopicModel(**params).get_params(deep=False), "vectorizer": None}
    tasks = [(k, s) for k in ks for s in seeds]
    if progress:
        from tqdm.auto import tqdm
        tasks = tqdm(tasks, desc="topic_select_k")
    # Fits one at a time (n_jobs None or 1): each uses every core for its ensemble
    # threads; fits in parallel processes: one thread each. Same result either way.
    inner = None if n_jobs in (None, 1) else 1
    results = Parallel(n_jobs=n_jobs)(delayed(_fit_one)(params, k, s, counts, vocab, inner)
                                      for k, s in tasks)
    rows = []
    for k in ks:
        runs = [r for r in results if r[0] == k]
        runs.sort(key=lambda r: seeds.index(r[1]))
        npmi = [coherence_npmi(r[2], counts, n=n) for r in runs]
        rows.append({
            "k": k,
            "coherence_npmi": float(np.mean(npmi)),
            "coherence_npmi_sd": float(np.std(npmi, ddof=1)) if len(npmi) > 1 else np.nan,
            "topic_diversity": float(np.mean([topic_diversity(r[2], n=diversity_n)
                                              for r in runs])),
            "topic_stability": topic_stability([r[2] for r in runs], n=n),
            "fit_seconds": float(np.mean([r[3] for r in runs])),
        })
    out = pd.DataFrame(rows)
    out.attrs.update(method=params["method"], seeds=seeds, n=n, n_docs=counts.shape[0],
                     n_terms=counts.shape[1])
    return out


def topic_choose_k(scores: pd.DataFrame, *, stability_threshold: float = 0.8) -> int:
    """The K that :func:`topic_select_k`'s scores prefer: among the K whose topics
    are stable across seeds (``topic_stability >= stability_threshold``; all K if
    none is), the one of highest NPMI coherence, the smaller K on a tie. Notebook 03
    fits this K unless told otherwise (the grid's middle is only a starting guess)."""
    if scores.empty:
        raise ValueError("no scores: run topic_select_k on at least one K")
    s = scores.sort_values("k")
    stable = s[s["topic_stability"] >= stability_threshold]
    pool = stable if len(stable) else s
    best = pool["coherence_npmi"].max()
    return int(pool.loc[pool["coherence_npmi"] == best, "k"].min())
