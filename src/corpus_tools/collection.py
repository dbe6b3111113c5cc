"""The one place where "a Corpus or a frame" becomes what an analysis reads.

Every analysis takes a :class:`~corpus_tools.Corpus` (a store) or an article frame
(``Corpus.frame()``, or your own with a ``tokens`` column). They all come here for
what they count, so the same input means the same documents everywhere:

- :func:`is_corpus`: is it a store (counted on its token codes) or in-memory data?
- :func:`token_index`: metadata and the :class:`~corpus_tools.index.TokenIndex`
  that term counts, rates, keyness and KWIC match on;
- :func:`token_lists`: the documents' words as lists (the in-memory counters);
- :func:`frame_of`: the frame of a Corpus (a frame is returned as it is);
- :func:`dtm`: the labelled document-term matrix (:class:`~corpus_tools.DTM`) of
  either, or of a fitted ``TopicVectorizer``'s terms.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["is_corpus", "token_index", "token_lists", "frame_of", "dtm"]


def is_corpus(x) -> bool:
    """A :class:`~corpus_tools.Corpus` (or anything with its ``frame`` and ``dtm``)."""
    return hasattr(x, "frame") and hasattr(x, "dtm") and not isinstance(x, pd.DataFrame)


def token_index(corpus):
    """``(metadata frame without tokens, TokenIndex)`` of a frame or Corpus. A
    Corpus builds its index once (``Corpus.token_index``, saved by ingest) and keeps it."""
    from .index import TokenIndex
    if isinstance(corpus, pd.DataFrame):
        if "tokens" not in corpus.columns:
            raise ValueError("the frame has no 'tokens' column; pass the analysis frame (Corpus.frame())")
        return (corpus.drop(columns=["tokens"]).reset_index(drop=True),
                TokenIndex.from_tokens(corpus["tokens"].tolist()))
    if callable(getattr(corpus, "token_index", None)):
        return corpus.token_index()
    if not (hasattr(corpus, "frame") and callable(corpus.frame)):
        raise TypeError(f"expected an analysis frame (DataFrame) or a Corpus, got {type(corpus).__name__}")
    return token_index(corpus.frame())


def token_lists(corpus) -> list[list[str]]:
    """The words of each document: of a Corpus's frame, a frame's ``tokens``, or token lists."""
    if hasattr(corpus, "frame") and not isinstance(corpus, pd.DataFrame):
        corpus = corpus.frame()
    if isinstance(corpus, pd.DataFrame):
        if "tokens" not in corpus:
            raise ValueError("a frame needs a 'tokens' column (Corpus.frame())")
        return [list(t) for t in corpus["tokens"]]
    return [list(t) for t in corpus]


def frame_of(x, *, unit: str = "article", layer: str = "word"):
    """A Corpus's frame of ``unit`` rows and ``layer`` tokens; anything else as it is."""
    return x.frame(unit=unit, layer=layer) if is_corpus(x) else x


def dtm(corpus, *, vectorizer=None, unit: str = "article", layer: str = "word", min_df=1, max_df=1.0,
        vocabulary=None, stopwords=None):
    """The labelled document-term matrix (:class:`~corpus_tools.DTM`: counts,
    vocabulary, documents, ``dropped_terms_``) of a Corpus or an article frame.

    With a fitted ``TopicVectorizer``: its terms, in its order, and its
    ``dropped_terms_`` (why the others went). Without: every word (punctuation
    left out), columns sorted, ``min_df``/``max_df`` as scikit-learn's
    ``CountVectorizer`` (an int is a number of documents, a float a share),
    ``stopwords`` as :func:`corpus_tools.resolve_stopwords`. A Corpus counts on
    its token codes (``Corpus.dtm``); a frame on its ``tokens``, the same way.
    """
    from .docterm import DTM
    if vectorizer is not None:
        if not hasattr(vectorizer, "vocabulary_"):
            raise ValueError("the vectorizer is not fitted: call vectorizer.fit(corpus) first")
        if is_corpus(corpus):
            m = corpus.dtm(vectorizer.unit, layer=vectorizer.layer, vocabulary=vectorizer.vocabulary_)
            return DTM(m.matrix, m.vocabulary, m.documents, vectorizer.dropped_terms_)
        frame = frame_of(corpus)
        return DTM(vectorizer.transform(frame), vectorizer.vocabulary_,
                   frame.drop(columns=["tokens"], errors="ignore"), vectorizer.dropped_terms_)
    if is_corpus(corpus):
        return corpus.dtm(unit, layer=layer, min_df=min_df, max_df=max_df, vocabulary=vocabulary,
                          stopwords=stopwords)
    return _frame_dtm(corpus, min_df, max_df, vocabulary, stopwords)


def _frame_dtm(frame, min_df, max_df, vocabulary, stopwords):
    """A frame's DTM counted as ``Corpus.dtm`` counts a store."""
    import numpy as np
    import scipy.sparse as sp

    from .docterm import labelled_dtm
    from .index import TokenIndex
    if not isinstance(frame, pd.DataFrame) or "tokens" not in frame:
        raise TypeError("expected a Corpus or a frame with a 'tokens' column")
    tokens = frame["tokens"].tolist()
    if stopwords is not None:
        from .stopwords import resolve_stopwords
        stop = resolve_stopwords(stopwords)
        tokens = [[t for t in toks if t.lower() not in stop] for toks in tokens]
    index = TokenIndex.from_tokens(tokens)  # punctuation left out, as the store does
    rows = np.repeat(np.arange(index.n_docs), index.lengths)
    X = sp.csr_matrix((np.ones(len(index.codes), dtype=np.int64), (rows, index.codes)),
                      shape=(index.n_docs, len(index.vocab)))
    X.sum_duplicates()
    return labelled_dtm(X, index.vocab, frame.drop(columns=["tokens"]).reset_index(drop=True),
                        min_df=min_df, max_df=max_df, vocabulary=vocabulary)
