"""``TopicVectorizer``: the vocabulary policy as its own step, before any model.

It decides which terms a topic model sees (and records why each other term was
dropped), then turns documents into a count matrix over those terms. The
model (:class:`~corpus_tools.topics.TopicModel`) takes that matrix; keeping the
two apart lets ``topic_select_k``, a benchmark or a user fit many models on one
matrix, and inspect ``dropped_terms_`` before fitting anything.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator

from .._options import check_choice
from ..choices import Layer, Unit
from ..collection import frame_of, is_corpus
from ._vocab import NEWS_FURNITURE, topic_dtm, topic_vocabulary

__all__ = ["TopicVectorizer", "DOC_INDEX_COLUMNS", "align_columns", "counts_over", "doc_index",
           "fit_counts", "matrix_counts"]

#: Metadata kept per document (``doc_index_``) where the input has it.
DOC_INDEX_COLUMNS = ("doc_id", "para_id", "published", "outlet", "title")


def doc_index(frame_or_index, n_rows: int) -> pd.DataFrame:
    """The :data:`DOC_INDEX_COLUMNS` of a frame or index (row numbers if None)."""
    if frame_or_index is None:
        return pd.DataFrame({"doc_id": [str(i) for i in range(n_rows)]})
    index = pd.DataFrame(frame_or_index)
    return index[[c for c in DOC_INDEX_COLUMNS if c in index]].reset_index(drop=True)


def matrix_counts(X) -> sp.csr_matrix:
    """``X`` as CSR, refusing negative entries."""
    X = sp.csr_matrix(X)
    if X.nnz and (X.data < 0).any():
        raise ValueError("the document-term matrix must be non-negative counts")
    return X


def align_columns(X: sp.csr_matrix, columns: Sequence[str], vocabulary: Sequence[str]) -> sp.csr_matrix:
    """Re-index the columns of ``X`` (named ``columns``) to ``vocabulary``, by name;
    absent terms are zero columns."""
    columns = list(columns)
    if len(columns) != X.shape[1]:
        raise ValueError(f"vocabulary has {len(columns)} terms, the matrix {X.shape[1]} columns")
    vocabulary = list(vocabulary)
    if columns != vocabulary:
        pos = {t: i for i, t in enumerate(columns)}
        cols = np.array([pos.get(t, -1) for t in vocabulary], dtype=np.int64)
        present = np.flatnonzero(cols >= 0)
        sub = X[:, cols[present]].tocoo()
        X = sp.csr_matrix((sub.data, (sub.row, present[sub.col])), shape=(X.shape[0], len(vocabulary)))
    X.sort_indices()
    return X


class TopicVectorizer(BaseEstimator):
    """Vocabulary policy + count matrix for topic models, scikit-learn style.

    Parameters
    ----------
    unit : ``"article"`` or ``"paragraph"``: the documents taken from a ``Corpus``
        (a frame or matrix is used as given).
    layer : ``"word"`` (default) or ``"term"``: the words of a ``Corpus``, or its
        lexicon terms (one feature per term id, every span counted).
    stopwords, furniture, exclude, keep, min_df, max_df : the policy of
        :func:`topic_vocabulary` (stopword lists, news furniture, user terms,
        document-frequency bounds).
    vocabulary : fix the terms instead of learning them (still filtered by the
        stopword, furniture and user rules; no frequency bounds).

    Fitted attributes
    -----------------
    vocabulary_ : sorted list of kept terms (or ``vocabulary``'s order).
    dropped_terms_ : DataFrame ``term, df, reason`` of the terms left out.
    doc_index_ : the fitted documents (``doc_id``, ``para_id``, ``published``,
        ``outlet``, ``title`` where known).
    n_docs_ : number of fitted documents.
    """

    def __init__(self, *, unit: Unit = "article", layer: Layer = "word",
                 stopwords=("general", "domain", "time"),
                 furniture=NEWS_FURNITURE, exclude=(), keep=(), min_df="auto", max_df=0.95,
                 vocabulary: Sequence[str] | None = None):
        self.unit = unit
        self.layer = layer
        self.stopwords = stopwords
        self.furniture = furniture
        self.exclude = exclude
        self.keep = keep
        self.min_df = min_df
        self.max_df = max_df
        self.vocabulary = vocabulary

    def _policy(self) -> dict:
        check_choice("unit", self.unit, Unit)
        check_choice("layer", self.layer, Layer)
        return dict(stopwords=self.stopwords, furniture=self.furniture, exclude=self.exclude,
                    keep=self.keep, min_df=self.min_df, max_df=self.max_df)

    def _frame(self, X):
        return frame_of(X, unit=self.unit, layer=self.layer)

    def fit(self, X, y=None, *, vocabulary: Sequence[str] | None = None, index=None):
        """Learn the vocabulary of a ``Corpus``, a frame (``tokens`` column), or a
        count matrix (``vocabulary`` names its columns, ``index`` its rows)."""
        self._fit(X, vocabulary, index)
        return self

    def _fit(self, X, vocabulary, index):
        """Fit; returns the counts over ``vocabulary_`` (so fit_transform counts once)."""
        policy = self._policy()
        if is_corpus(X):  # counted by the store (its token codes), not from token lists
            M, names, rows = X.dtm(unit=self.unit, layer=self.layer)
            vocab, dropped = self._vocabulary(names, np.bincount(M.indices, minlength=M.shape[1]),
                                              M.shape[0], policy)
            counts = align_columns(M, names, vocab)
            self.doc_index_ = doc_index(rows, M.shape[0])
        elif isinstance(X, pd.DataFrame):
            n_docs = len(X)
            if self.vocabulary is not None:
                vocab, dropped = self._vocabulary(None, None, n_docs, policy)
            else:
                vocab, dropped = topic_vocabulary(X, **policy)
            counts = topic_dtm(X, vocab)
            self.doc_index_ = doc_index(X, n_docs)
        elif sp.issparse(X) or isinstance(X, np.ndarray):
            X = matrix_counts(X)
            names = list(vocabulary) if vocabulary is not None else \
                (list(self.vocabulary) if self.vocabulary is not None else
                 [f"w{j}" for j in range(X.shape[1])])
            if len(names) != X.shape[1]:
                raise ValueError(f"vocabulary has {len(names)} terms, matrix {X.shape[1]} columns")
            dfreq = np.bincount(X.indices, minlength=X.shape[1])
            vocab, dropped = topic_vocabulary(terms=names, dfreq=dfreq, n_docs=X.shape[0], **policy)
            counts = align_columns(X, names, vocab)
            self.doc_index_ = doc_index(index, X.shape[0])
        else:
            raise TypeError("X must be a Corpus, a frame with a 'tokens' column, or a sparse "
                            f"document-term matrix; got {type(X).__name__}")
        self.vocabulary_ = list(vocab)
        self.dropped_terms_ = dropped
        self.n_docs_ = counts.shape[0]
        return counts

    def _vocabulary(self, terms, dfreq, n_docs: int, policy: dict) -> tuple[list[str], pd.DataFrame]:
        """The kept terms and the dropped ones: the fixed ``vocabulary`` (in its order,
        the policy's rules but no frequency bounds) or the policy over ``terms``."""
        if self.vocabulary is not None:
            fixed = list(self.vocabulary)
            vocab, dropped = topic_vocabulary(terms=fixed, dfreq=np.full(len(fixed), 1), n_docs=n_docs,
                                              **{**policy, "min_df": 1, "max_df": 1.0})
            kept = set(vocab)
            return [t for t in fixed if t in kept], dropped
        return topic_vocabulary(terms=terms, dfreq=dfreq, n_docs=n_docs, **policy)

    def transform(self, X, *, vocabulary: Sequence[str] | None = None) -> sp.csr_matrix:
        """Counts (documents x ``vocabulary_``) of a ``Corpus``, a frame, or a
        matrix whose columns ``vocabulary`` names (realigned by name)."""
        if not hasattr(self, "vocabulary_"):
            from sklearn.exceptions import NotFittedError
            raise NotFittedError("this TopicVectorizer is not fitted yet; call fit() first")
        if is_corpus(X):  # counted by the store over the fitted terms
            M, names, _ = X.dtm(unit=self.unit, layer=self.layer)
            return counts_over(M, self.vocabulary_, names)
        return counts_over(self._frame(X), self.vocabulary_, vocabulary)

    def fit_transform(self, X, y=None, *, vocabulary: Sequence[str] | None = None, index=None):
        return self._fit(X, vocabulary, index)


def counts_over(X, terms: Sequence[str], columns: Sequence[str] | None = None) -> sp.csr_matrix:
    """Count matrix over ``terms`` of a frame (``tokens``) or of a matrix (columns
    named by ``columns``; without names it must already have ``len(terms)``)."""
    if isinstance(X, pd.DataFrame):
        return topic_dtm(X, terms)
    X = matrix_counts(X)
    if columns is not None:
        return align_columns(X, columns, terms)
    if X.shape[1] != len(terms):
        raise ValueError(f"X has {X.shape[1]} columns, the model {len(terms)} "
                         "terms; pass vocabulary= to align them")
    X.sort_indices()
    return X


def fit_counts(X, vectorizer: "TopicVectorizer | None", vocabulary: Sequence[str] | None = None,
               index=None) -> tuple[sp.csr_matrix, "TopicVectorizer | None", list[str], pd.DataFrame]:
    """(counts, fitted vectorizer or None, terms, doc index) for fitting models.

    A ``Corpus`` or frame goes through a clone of ``vectorizer`` (None = the
    defaults); a count matrix is taken as given (columns named by
    ``vocabulary``) unless a vectorizer is passed.
    """
    from sklearn.base import clone
    if vectorizer is None and not is_corpus(X) and not isinstance(X, pd.DataFrame):
        counts = matrix_counts(X)
        names = [f"w{j}" for j in range(counts.shape[1])] if vocabulary is None \
            else [str(t) for t in vocabulary]
        if len(names) != counts.shape[1]:
            raise ValueError(f"vocabulary has {len(names)} terms, matrix {counts.shape[1]} columns")
        counts.sort_indices()
        return counts, None, names, doc_index(index, counts.shape[0])
    if vectorizer is not None and not isinstance(vectorizer, TopicVectorizer):
        raise TypeError(f"vectorizer must be a TopicVectorizer or None, got {type(vectorizer).__name__}")
    vec = clone(vectorizer) if vectorizer is not None else TopicVectorizer()
    counts = vec.fit_transform(X, vocabulary=vocabulary, index=index)
    return counts, vec, list(vec.vocabulary_), vec.doc_index_
