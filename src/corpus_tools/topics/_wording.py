"""How a topic's wording changes between periods: its top words per period, a
divergence between consecutive periods corrected for chance, and per-document
word counts within a topic for the effects machinery (period as a *content*
covariate, as stm's ``content=`` does: Roberts, Stewart & Airoldi, JASA 2016).

Each document's tokens are shared among topics in proportion to theta_dk phi_kw
(the expected topic assignment of a token of word w in document d), so a topic's
wording in a period is the words its share of that period's tokens uses; BERTopic's
``topics_over_time`` recomputes the same per time slice from its own weights.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..periods import THIN_DOCS, By, code_periods

__all__ = ["topic_wording", "TopicWording"]


@dataclass
class TopicWording:
    """What :func:`topic_wording` found.

    ``terms``: ``topic, label, period, rank, term, probability`` (each topic's top
    ``n`` words in each period). ``change``: one row per topic and consecutive pair
    of periods: ``jsd`` (Jensen-Shannon divergence, base 2, between its word
    distributions), ``expected`` (the mean over shuffles of the two periods'
    documents: what sampling alone gives at that topic's size), ``excess`` (jsd -
    expected), ``p_value``, ``tokens_from/to`` (the topic's tokens), ``gained`` and
    ``lost`` (the words whose share rose or fell most). ``notes``.
    """
    terms: pd.DataFrame
    change: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    params: dict = field(default_factory=dict)
    attributed: sp.csr_matrix | None = field(default=None, repr=False)
    index: pd.DataFrame | None = field(default=None, repr=False)
    vocabulary: np.ndarray | None = field(default=None, repr=False)
    topic_tokens: np.ndarray | None = field(default=None, repr=False)

    def word_counts(self, topic: int, words: Sequence[str]) -> pd.DataFrame:
        """Per document: ``doc_id``, ``n_tokens`` (the tokens attributed to
        ``topic``) and, per word, its tokens attributed to the topic: pass it to
        :func:`corpus_tools.estimate_effects` with ``"~ period"`` to model how the
        topic's use of each word changes (a Poisson rate model, exposure = the
        topic's tokens in the document)."""
        pos = {w: i for i, w in enumerate(self.vocabulary)}
        missing = [w for w in words if w not in pos]
        if missing:
            raise ValueError(f"not in the model's vocabulary: {missing}")
        k = int(topic)
        if not 0 <= k < self.topic_tokens.shape[1]:
            raise ValueError(f"topic must be in 0..{self.topic_tokens.shape[1] - 1}; got {topic}")
        V = len(self.vocabulary)
        cols = {w: np.asarray(self.attributed[:, k * V + pos[w]].todense()).ravel() for w in words}
        out = pd.DataFrame({"doc_id": self.index["doc_id"].to_numpy(), "n_tokens": self.topic_tokens[:, k], **cols})
        return out


def _attribute(X: sp.csr_matrix, theta: np.ndarray, phi: np.ndarray) -> sp.csr_matrix:
    """Expected tokens of each word per topic in each document: a documents x
    (topics * words) sparse matrix (column k * V + w)."""
    X = X.tocoo()
    d, w, x = X.row, X.col, X.data.astype(np.float64)
    resp = theta[d] * phi[:, w].T                      # (nnz, K)
    tot = resp.sum(axis=1, keepdims=True)
    resp = np.divide(resp, tot, out=np.zeros_like(resp), where=tot > 0) * x[:, None]
    K, V = phi.shape
    rows = np.repeat(d, K)
    cols = (np.arange(K)[None, :] * V + w[:, None]).ravel()
    return sp.csr_matrix((resp.ravel(), (rows, cols)), shape=(X.shape[0], K * V))


def _jsd(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Jensen-Shannon divergence (bits) between rows of two count matrices."""
    p = p / np.maximum(p.sum(axis=-1, keepdims=True), 1e-300)
    q = q / np.maximum(q.sum(axis=-1, keepdims=True), 1e-300)
    m = (p + q) / 2

    def kl(a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(a > 0, a * np.log2(a / b), 0.0)
        return t.sum(axis=-1)
    return (kl(p, m) + kl(q, m)) / 2


def topic_wording(model, corpus, *, by: By = "year", n: int = 10, n_perm: int = 200,
                  random_state: int = 0) -> TopicWording:
    """Each topic's top ``n`` words per period of ``by`` and how much its wording
    changes between consecutive periods (see :class:`TopicWording`).

    ``corpus``: the documents (a Corpus or an article frame with ``tokens``), with
    ``by`` any grouping of :func:`corpus_tools.code_periods`. Divergence between
    two word distributions grows when either rests on few tokens, so each is
    compared with ``n_perm`` shuffles of the two periods' documents (keeping
    their numbers): ``excess`` is the change beyond what sampling gives, ``p_value``
    the share of shuffles at least as divergent. Deterministic for a ``random_state``.
    """
    from ..collection import frame_of
    from ._vocab import topic_dtm
    if n < 1 or n_perm < 10:
        raise ValueError("n must be >= 1 and n_perm >= 10")
    frame = frame_of(corpus).reset_index(drop=True)
    X = topic_dtm(frame, model.vocabulary_)
    theta = model.transform(X)
    phi = model.topic_word_
    K, V = phi.shape
    A = _attribute(X, theta, phi)
    topic_tokens = np.asarray(A.reshape(-1, V).sum(axis=1)).reshape(len(frame), K) if len(frame) else np.zeros((0, K))
    coding = code_periods(frame.drop(columns=["tokens"], errors="ignore"), by)
    labels = [str(x) for x in coding.labels]
    members = [np.flatnonzero(coding.codes == i) for i in range(len(labels))]
    per = np.stack([np.asarray(A[m].sum(axis=0)).reshape(K, V) if len(m) else np.zeros((K, V))
                    for m in members]) if labels else np.zeros((0, K, V))
    rows = []
    for pi, lab in enumerate(labels):
        for k in range(K):
            tot = per[pi, k].sum()
            if tot <= 0:
                continue
            order = np.argsort(-per[pi, k], kind="stable")[:n]
            for r, j in enumerate(order, start=1):
                rows.append((k, model.labels_[k], lab, r, model.vocabulary_[j], float(per[pi, k, j] / tot)))
    terms = pd.DataFrame(rows, columns=["topic", "label", "period", "rank", "term", "probability"])
    rng = np.random.default_rng(random_state)
    used = [i for i, m in enumerate(members) if len(m)]
    changes = []
    for a, b in zip(used, used[1:]):
        pool = np.concatenate([members[a], members[b]])
        sub = A[pool]
        obs = _jsd(per[a], per[b])
        null = np.empty((n_perm, K))
        total = per[a] + per[b]
        for i in range(n_perm):
            pick = np.zeros(len(pool), dtype=bool)
            pick[rng.permutation(len(pool))[:len(members[a])]] = True
            first = np.asarray(sub[pick].sum(axis=0)).reshape(K, V)
            null[i] = _jsd(first, total - first)
        pa = per[a] / np.maximum(per[a].sum(axis=1, keepdims=True), 1e-300)
        pb = per[b] / np.maximum(per[b].sum(axis=1, keepdims=True), 1e-300)
        diff = pb - pa
        for k in range(K):
            changes.append({"topic": k, "label": model.labels_[k], "period_from": labels[a], "period_to": labels[b],
                            "tokens_from": float(per[a, k].sum()), "tokens_to": float(per[b, k].sum()),
                            "jsd": float(obs[k]), "expected": float(null[:, k].mean()),
                            "excess": float(obs[k] - null[:, k].mean()),
                            "p_value": float((1 + (null[:, k] >= obs[k]).sum()) / (1 + n_perm)),
                            "gained": ", ".join(model.vocabulary_[j] for j in np.argsort(-diff[k], kind="stable")[:5]),
                            "lost": ", ".join(model.vocabulary_[j] for j in np.argsort(diff[k], kind="stable")[:5])})
    change = pd.DataFrame(changes, columns=["topic", "label", "period_from", "period_to", "tokens_from", "tokens_to",
                                            "jsd", "expected", "excess", "p_value", "gained", "lost"])
    notes = []
    thin = [f"{labels[i]} ({len(members[i])})" for i in used if len(members[i]) < THIN_DOCS]
    if thin:
        notes.append(f"thin periods (fewer than {THIN_DOCS} documents): {', '.join(thin)}: their word lists "
                     "rest on a few documents")
    if len(used) < 2:
        notes.append(f"{len(used)} period(s) with documents: no change to measure")
    left = int((coding.codes < 0).sum())
    if left:
        notes.append(f"{left} documents have no period (undated, or no label) and are left out")
    return TopicWording(terms, change, notes, dict(by=by if isinstance(by, str) or by is None else "custom", n=n,
                                                   n_perm=n_perm, random_state=random_state),
                        A, frame.drop(columns=["tokens"], errors="ignore"), np.asarray(model.vocabulary_, dtype=object),
                        topic_tokens)
