"""Numerical pieces of the topic models: TF-IDF weighting, LDA's E-step and NMF's
document shares with fixed topics, an NNLS start, and the fingerprint that ties a model to its matrix."""
from __future__ import annotations

import hashlib
import warnings
from typing import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.special import digamma

__all__ = ["corpus_fingerprint", "dirichlet_expectation", "idf", "lda_e_step", "nmf_shares", "nnls_init",
           "package_versions", "tfidf"]


def corpus_fingerprint(X, vocabulary: Sequence[str]) -> str:
    """SHA-256 of a count matrix (CSR, canonical order) and its vocabulary: two
    fits on the same documents and terms share it."""
    X = sp.csr_matrix(X, dtype=np.int64, copy=True)
    X.sum_duplicates()
    X.sort_indices()
    h = hashlib.sha256()
    h.update(np.asarray(X.shape, dtype=np.int64).tobytes())
    for a in (X.indptr, X.indices, X.data):
        h.update(np.ascontiguousarray(a, dtype=np.int64).tobytes())
    h.update("\n".join(vocabulary).encode("utf-8"))
    return h.hexdigest()


def tfidf(X: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear TF (1 + log count) x IDF, rows scaled to unit L2 norm: long
    reports do not dominate, and words in every document weigh little."""
    A = sp.csr_matrix(X, dtype=np.float64, copy=True)
    A.data = 1.0 + np.log(A.data)
    A = A @ sp.diags(idf)
    norms = np.sqrt(np.asarray(A.multiply(A).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ A)


def idf(X: sp.csr_matrix) -> np.ndarray:
    n = X.shape[0]
    dfreq = np.bincount(X.indices, minlength=X.shape[1]) if sp.isspmatrix_csr(X) else \
        np.asarray((X > 0).sum(axis=0)).ravel()
    return np.log((1.0 + n) / (1.0 + dfreq)) + 1.0


def dirichlet_expectation(a: np.ndarray) -> np.ndarray:
    return digamma(a) - digamma(a.sum(axis=1, keepdims=True))


def lda_e_step(X: sp.csr_matrix, components: np.ndarray, alpha: float,
                max_iter: int = 100, tol: float = 1e-3, chunk: int = 1024) -> np.ndarray:
    """Variational E-step of LDA with fixed topics (Hoffman, Blei & Bach 2010),
    vectorised over documents. Deterministic: gamma starts at 1 as in
    scikit-learn's ``transform``. Returns gamma (documents x topics)."""
    exp_tw = np.exp(dirichlet_expectation(components))  # K x V
    n, k = X.shape[0], components.shape[0]
    gamma_all = np.ones((n, k))
    for start in range(0, n, chunk):
        Xc = X[start:start + chunk]
        rows = np.repeat(np.arange(Xc.shape[0]), np.diff(Xc.indptr))
        cols = Xc.indices
        cnt = Xc.data.astype(np.float64)
        tw_nz = exp_tw[:, cols].T  # nnz x K
        gamma = np.ones((Xc.shape[0], k))
        exp_doc = np.exp(dirichlet_expectation(gamma))
        active = np.ones(Xc.shape[0], dtype=bool)
        for _ in range(max_iter):
            norm_phi = np.einsum("ij,ij->i", exp_doc[rows], tw_nz) + 1e-100
            S = sp.csr_matrix((cnt / norm_phi, cols, Xc.indptr), shape=Xc.shape) @ exp_tw.T
            new = exp_doc * S + alpha
            change = np.abs(new - gamma).mean(axis=1)
            gamma[active] = new[active]
            exp_doc[active] = np.exp(dirichlet_expectation(gamma[active]))
            active &= change >= tol
            if not active.any():
                break
        gamma_all[start:start + chunk] = gamma
    return gamma_all


def nmf_shares(A: sp.csr_matrix, H: np.ndarray) -> np.ndarray:
    """Documents' topic shares under fixed topics: NMF weight x topic size, rows
    summing to 1 (zero rows stay zero)."""
    from sklearn.decomposition import non_negative_factorization
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        W, _, _ = non_negative_factorization(
            A, H=np.ascontiguousarray(H), n_components=H.shape[0], init="custom",
            update_H=False, solver="cd", beta_loss="frobenius", tol=1e-6, max_iter=1000)
    mass = W * H.sum(axis=1)[None, :]
    tot = mass.sum(axis=1, keepdims=True)
    return np.divide(mass, tot, out=np.zeros_like(mass), where=tot > 0)


def nnls_init(A: sp.csr_matrix, H: np.ndarray) -> np.ndarray:
    """Least-squares W for fixed H, clipped at zero: a start for coordinate descent."""
    G = H @ H.T + 1e-9 * np.eye(H.shape[0])
    W = np.asarray(A @ H.T) @ np.linalg.inv(G)
    return np.maximum(W, 0.0)


def package_versions() -> dict[str, str]:
    import sklearn
    import scipy
    try:
        from .. import __version__ as ct_version
    except ImportError:  # pragma: no cover
        ct_version = "unknown"
    return {"numpy": np.__version__, "scipy": scipy.__version__,
            "scikit-learn": sklearn.__version__, "pandas": pd.__version__,
            "corpus_tools": ct_version}
