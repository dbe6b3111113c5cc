"""A fitted topic model as LDAvis data (Sievert & Shirley 2014, *LDAvis: A method for
visualizing and interpreting topics*), the JSON that R's ``LDAvis::serVis`` and
pyLDAvis's page read.

Written here, following pyLDAvis's ``prepare`` step by step, because pyLDAvis
pulls in gensim and its own pinned stack for what is a few array operations.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .._options import renamed_options

__all__ = ["topic_ldavis", "write_ldavis"]


def _jensen_shannon(P: np.ndarray) -> np.ndarray:
    """Pairwise Jensen-Shannon divergences of the rows of ``P`` (natural log), as
    pyLDAvis's ``js_PCoA`` uses them (scipy gives the distance, its square root)."""
    from scipy.spatial.distance import jensenshannon, pdist, squareform
    return squareform(pdist(P, metric=jensenshannon)) ** 2


def _pcoa(D: np.ndarray, k: int = 2) -> np.ndarray:
    """Classical multidimensional scaling (principal coordinates, Gower 1966) of
    the distance matrix ``D``: LDAvis's default inter-topic map. Signs are fixed
    (largest coordinate of each axis positive) so the map is the same every run."""
    n = D.shape[0]
    if n < 3:
        return np.column_stack([np.arange(n, dtype=float) - (n - 1) / 2, np.zeros(n)])[:, :k]
    J = np.eye(n) - np.ones((n, n)) / n
    B = -0.5 * J @ (D ** 2) @ J
    vals, vecs = np.linalg.eigh(B)
    order = np.argsort(vals)[::-1][:k]
    X = vecs[:, order] * np.sqrt(np.maximum(vals[order], 0.0))
    flip = np.sign(X[np.argmax(np.abs(X), axis=0), np.arange(X.shape[1])])
    return X * np.where(flip == 0, 1.0, flip)


@renamed_options(R="n")
def topic_ldavis(model, *, n: int = 30, lambda_step: float = 0.01) -> dict:
    """LDAvis data of a fitted :class:`TopicModel`: ``mdsDat`` (inter-topic map:
    principal coordinates of the topics' Jensen-Shannon divergences, topic sizes in %
    of tokens), ``tinfo`` (the ``n`` most salient terms overall — Chuang, Manning &
    Heer 2012 — and, per topic, the top ``n`` terms by relevance for every λ on a
    ``lambda_step`` grid), ``token.table`` (p(topic | term)), ``R`` (= ``n``), ``lambda.step``,
    ``plot.opts`` and ``topic.order``. Topics are numbered from 1 by size, as LDAvis
    does; ``topic.order`` gives the model's topic (1-based) behind each.
    """
    model._check_fitted()
    phi = np.asarray(model.topic_word_, dtype=float)
    theta = np.asarray(model.doc_topic_, dtype=float)
    lengths = np.asarray(model.doc_lengths_, dtype=float)
    vocab = np.asarray(model.vocabulary_, dtype=object)
    topic_freq = (theta * lengths[:, None]).sum(axis=0)
    order = np.argsort(-topic_freq, kind="stable")
    phi, topic_freq = phi[order], topic_freq[order]
    K = len(order)
    proportion = topic_freq / max(topic_freq.sum(), 1e-300)
    term_topic = phi * topic_freq[:, None]
    term_freq = term_topic.sum(axis=0)  # as pyLDAvis: from the model, so bars add up
    pw = term_freq / max(term_freq.sum(), 1e-300)
    keep = term_freq > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        p_topic_given_w = np.where(keep, term_topic / np.where(keep, term_freq, 1.0), 0.0)
        dist = np.nansum(np.where(p_topic_given_w > 0,
                                  p_topic_given_w * np.log(p_topic_given_w / proportion[:, None]), 0.0), axis=0)
        logphi = np.log(phi)
        loglift = logphi - np.log(np.where(pw > 0, pw, 1.0))[None, :]
    saliency = pw * dist
    R = int(min(n, keep.sum()))  # LDAvis's name for it
    default = np.argsort(-saliency, kind="stable")[:R]
    rows = {"Term": [], "Freq": [], "Total": [], "Category": [], "logprob": [], "loglift": []}
    for rank, w in enumerate(default):
        for col, v in (("Term", vocab[w]), ("Freq", term_freq[w]), ("Total", term_freq[w]),
                       ("Category", "Default"), ("logprob", float(R - rank)), ("loglift", float(R - rank))):
            rows[col].append(v)
    lambdas = np.round(np.arange(0.0, 1.0 + lambda_step / 2, lambda_step), 10)
    shown = set(default.tolist())
    for k in range(K):
        terms: list[int] = []
        for lam in lambdas:
            with np.errstate(invalid="ignore"):  # 0 * -inf where a term is absent from the topic
                rel = lam * logphi[k] + (1 - lam) * loglift[k]
            rel = np.where(keep & np.isfinite(rel), rel, -np.inf)
            for w in np.argsort(-rel, kind="stable")[:R]:
                if w not in terms:
                    terms.append(int(w))
        for w in terms:
            shown.add(w)
            for col, v in (("Term", vocab[w]), ("Freq", term_topic[k, w]), ("Total", term_freq[w]),
                           ("Category", f"Topic{k + 1}"), ("logprob", logphi[k, w]), ("loglift", loglift[k, w])):
                rows[col].append(v)
    table = {"TermID": [], "Topic": [], "Freq": [], "Term": []}
    for w in sorted(shown):
        for k in range(K):
            if p_topic_given_w[k, w] > 0:
                table["TermID"].append(int(w) + 1)
                table["Topic"].append(k + 1)
                table["Freq"].append(float(p_topic_given_w[k, w]))
                table["Term"].append(str(vocab[w]))
    xy = _pcoa(_jensen_shannon(phi)) if K > 1 else np.zeros((K, 2))  # pyLDAvis's js_PCoA
    return {
        "mdsDat": {"x": xy[:, 0].tolist(), "y": xy[:, 1].tolist(), "topics": list(range(1, K + 1)),
                   "cluster": [1] * K, "Freq": (100 * proportion).tolist()},
        "tinfo": {c: [str(v) if c in ("Term", "Category") else float(v) for v in vals]
                  for c, vals in rows.items()},
        "token.table": table,
        "R": R,
        "lambda.step": lambda_step,
        "plot.opts": {"xlab": "PC1", "ylab": "PC2"},
        "topic.order": (order + 1).tolist(),
    }


def write_ldavis(model, path, **kwargs) -> Path:
    """Write :func:`topic_ldavis` as JSON (R: ``LDAvis::serVis(paste(readLines(path), collapse = ""))``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(topic_ldavis(model, **kwargs), fh, ensure_ascii=False)
    return path
