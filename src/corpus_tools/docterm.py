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

__all__ = ["DTM"]

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
