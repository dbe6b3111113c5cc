"""One labelled document-term matrix for every analysis.

A :class:`DTM` keeps together what a bare sparse matrix loses: the vocabulary of its
columns, the documents of its rows (ids and metadata) and the terms that were
dropped, with why. It unpacks as ``X, vocabulary, documents`` (what
``Corpus.dtm`` returned before), so existing code keeps working.

:func:`corpus_tools.dtm` (in :mod:`corpus_tools.collection`, the one coercion point)
makes one from a Corpus, a frame or a fitted ``TopicVectorizer``.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["DTM", "labelled_dtm", "check_df_bounds"]

_DROPPED = ["term", "reason"]


class _Labelled(NamedTuple):
    matrix: sp.csr_matrix
    vocabulary: list
    documents: pd.DataFrame


class DTM(_Labelled):
    """Counts (``matrix``: documents x terms, CSR), the ``vocabulary`` of its
    columns, the ``documents`` of its rows (``doc_id`` and metadata, one row each)
    and ``dropped_terms_`` (the terms left out and why: document frequency,
    stopwords, furniture). Unpacks as ``X, vocabulary, documents``."""

    def __new__(cls, matrix, vocabulary, documents, dropped_terms: pd.DataFrame | None = None):
        matrix = sp.csr_matrix(matrix)
        vocabulary = list(vocabulary)
        if matrix.shape != (len(documents), len(vocabulary)):
            raise ValueError(f"a {matrix.shape} matrix for {len(documents)} documents and "
                             f"{len(vocabulary)} terms")
        self = super().__new__(cls, matrix, vocabulary, documents.reset_index(drop=True))
        self.dropped_terms_ = (dropped_terms.reset_index(drop=True) if dropped_terms is not None
                               else pd.DataFrame(columns=_DROPPED))
        return self

    @property
    def shape(self) -> tuple[int, int]:
        return self.matrix.shape

    @property
    def doc_ids(self) -> np.ndarray:
        """The ``doc_id`` of each row (row numbers where the documents have none)."""
        if "doc_id" in self.documents:
            return self.documents["doc_id"].to_numpy()
        return np.arange(self.matrix.shape[0]).astype(str)

    def counts(self, terms) -> pd.DataFrame:
        """Per document (``doc_id``), the count of each of ``terms`` (a column each;
        a term outside the vocabulary raises, naming it)."""
        terms = [terms] if isinstance(terms, str) else list(terms)
        pos = {t: i for i, t in enumerate(self.vocabulary)}
        missing = [t for t in terms if t not in pos]
        if missing:
            raise ValueError(f"not in the vocabulary: {missing}")
        cols = self.matrix[:, [pos[t] for t in terms]].toarray()
        return pd.DataFrame({"doc_id": self.doc_ids, **{t: cols[:, j] for j, t in enumerate(terms)}})

    def __repr__(self) -> str:
        return (f"DTM({self.matrix.shape[0]} documents x {self.matrix.shape[1]} terms, "
                f"{self.matrix.nnz} entries, {len(self.dropped_terms_)} terms dropped)")


def check_df_bounds(min_df, max_df) -> None:
    """``min_df``/``max_df``: an int >= 0 (documents) or a float in [0, 1] (a share)."""
    for name, v in (("min_df", min_df), ("max_df", max_df)):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or v < 0 \
                or (isinstance(v, float) and v > 1.0):
            raise ValueError(f"{name} must be an int >= 0 or a float in [0, 1], got {v!r}")


def labelled_dtm(X, names, documents: pd.DataFrame, *, min_df=1, max_df=1.0, vocabulary=None) -> DTM:
    """The DTM of counts ``X`` (columns named ``names``): over ``vocabulary`` in its
    order (absent terms as zero columns, listed as dropped), or over the terms
    ``min_df``/``max_df`` keep (scikit-learn's ``CountVectorizer`` rule: an int is a
    number of documents, a float a share), sorted, the others dropped with their
    document frequency. The one rule of ``Corpus.dtm`` and of a frame's DTM."""
    check_df_bounds(min_df, max_df)
    X = sp.csr_matrix(X)
    names = np.asarray(names, dtype=object).astype(str)
    n_rows = X.shape[0]
    if vocabulary is not None:
        vocabulary = list(vocabulary)
        lookup = {v: i for i, v in enumerate(names)}
        cols = np.array([lookup.get(v, -1) for v in vocabulary], dtype=np.int64)
        present = np.flatnonzero(cols >= 0)
        sub = X[:, cols[present]].tocoo()
        Xv = sp.csr_matrix((sub.data.astype(np.int64), (sub.row, present[sub.col])),
                           shape=(n_rows, len(vocabulary)), dtype=np.int64)
        missing = [v for v, c in zip(vocabulary, cols) if c < 0]
        return DTM(Xv, vocabulary, documents, pd.DataFrame({"term": missing, "reason": "not in the corpus"}))
    dfreq = np.bincount(X.indices, minlength=X.shape[1])  # entries are unique per row
    lo = int(min_df) if isinstance(min_df, (int, np.integer)) else int(np.ceil(min_df * n_rows))
    hi = int(max_df) if isinstance(max_df, (int, np.integer)) else int(np.floor(max_df * n_rows))
    keep = (dfreq >= max(lo, 1)) & (dfreq <= hi)
    cols = np.flatnonzero(keep)
    cols = cols[np.argsort(names[cols], kind="stable")]
    X = X[:, cols]
    X = sp.csr_matrix((X.data.astype(np.int64), X.indices, X.indptr), shape=X.shape)
    gone = np.flatnonzero(~keep & (dfreq > 0))
    dropped = pd.DataFrame({"term": names[gone], "reason": np.where(dfreq[gone] < max(lo, 1), "min_df", "max_df"),
                            "df": dfreq[gone]})
    return DTM(X, names[cols].tolist(), documents, dropped)
