"""Count-based word embeddings per period, and their alignment.

PPMI with context-distribution smoothing (alpha = 0.75) factorised by truncated SVD,
eigenvalue weight 0.5 (Levy, Goldberg & Dagan, TACL 2015): deterministic for a
seed, trained on the corpus alone. Periods are aligned by orthogonal Procrustes
over the words both know (Hamilton, Leskovec & Jurafsky, ACL 2016).
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.linalg import orthogonal_procrustes
from sklearn.utils.extmath import randomized_svd


class Pairs:
    """Co-occurring word pairs of a corpus within ``window`` words, counted once per
    document: a sparse documents x (size * size) matrix, so the co-occurrences of
    any weighting of the documents (a period, a shuffle, a bootstrap resample) are
    one sparse product, and resampling documents never re-reads the text."""

    def __init__(self, codes: np.ndarray, doc: np.ndarray, sentence: np.ndarray | None, window: int, size: int,
                 n_docs: int | None = None):
        keys, docs = [], []
        for k in range(1, window + 1):
            a, b = codes[:-k], codes[k:]
            same = (doc[:-k] == doc[k:]) & (a >= 0) & (b >= 0)
            if sentence is not None:
                same &= sentence[:-k] == sentence[k:]
            keys.append(a[same].astype(np.int64) * size + b[same])
            docs.append(doc[:-k][same])
        self.size = size
        n_docs = int(doc.max()) + 1 if n_docs is None and len(doc) else (n_docs or 0)
        key = np.concatenate(keys) if keys else np.zeros(0, np.int64)
        where = np.concatenate(docs) if docs else np.zeros(0, np.int64)
        self.by_doc = sp.csr_matrix((np.ones(len(key), dtype=np.float64), (where, key)),
                                    shape=(n_docs, size * size))
        self.by_doc.sum_duplicates()

    def counts(self, doc_weight: np.ndarray) -> np.ndarray:
        """The symmetric co-occurrence matrix with each document counted ``doc_weight`` times."""
        c = np.asarray(self.by_doc.T @ doc_weight).reshape(self.size, self.size)
        return c + c.T


def ppmi(counts: np.ndarray, cds: float = 0.75) -> np.ndarray:
    """Positive PMI (float32) of a co-occurrence matrix, contexts smoothed by ``cds``."""
    total = counts.sum()
    if total <= 0:
        return np.zeros(counts.shape, dtype=np.float32)
    rows = counts.sum(axis=1)
    ctx = counts.sum(axis=0) ** cds
    ctx = ctx / ctx.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = (np.log(rows / total)[:, None] + np.log(ctx)[None, :] + np.log(total)).astype(np.float32)
        pmi = np.log(counts.astype(np.float32))
        pmi -= shift
    pmi[~np.isfinite(pmi)] = 0.0
    return np.maximum(pmi, 0.0, out=pmi)


def embed(counts: np.ndarray, dim: int, random_state: int) -> np.ndarray:
    """Unit-length word vectors (rows) from a co-occurrence matrix; a word never
    seen gets a zero row."""
    m = ppmi(counts)
    k = max(1, min(dim, m.shape[0] - 1))
    u, s, _ = randomized_svd(m, k, n_iter=4, random_state=random_state)
    vec = (u * np.sqrt(s)[None, :]).astype(np.float64)
    norm = np.linalg.norm(vec, axis=1, keepdims=True)
    return np.divide(vec, norm, out=np.zeros_like(vec), where=norm > 0)


def align(base: np.ndarray, other: np.ndarray, shared: np.ndarray) -> np.ndarray:
    """``other`` rotated onto ``base`` by the orthogonal map that best matches the
    ``shared`` words (a rotation keeps each period's own geometry)."""
    r, _ = orthogonal_procrustes(other[shared], base[shared])
    return other @ r


def displacement(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine distance of each word's aligned vectors (rows are unit length)."""
    return 1.0 - np.clip(np.einsum("ij,ij->i", a, b), -1.0, 1.0)


def neighbours(vec: np.ndarray, word: int, known: np.ndarray, n: int) -> list[tuple[int, float]]:
    """The ``n`` words (among ``known``) nearest ``word`` by cosine, nearest first."""
    sims = vec @ vec[word]
    sims[~known] = -np.inf
    sims[word] = -np.inf
    order = np.argsort(-sims, kind="stable")[:n]
    return [(int(i), float(sims[i])) for i in order if np.isfinite(sims[i])]
