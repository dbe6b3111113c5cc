"""The one place where "a Corpus or a frame" becomes what an analysis reads.

Every analysis takes a :class:`~corpus_tools.Corpus` (a store) or an article frame
(``Corpus.frame()``, or your own with a ``tokens`` column). They all come here for
what they count, so the same input means the same documents everywhere:

- :func:`is_corpus`: is it a store (counted on its token codes) or in-memory data?
- :func:`token_index`: metadata and the :class:`~corpus_tools.index.TokenIndex`
  that term counts, rates, keyness and KWIC match on;
- :func:`token_lists`: the documents' words as lists (the in-memory counters);
- :func:`frame_of`: the frame of a Corpus (a frame is returned as it is).
"""
from __future__ import annotations

import pandas as pd

__all__ = ["is_corpus", "token_index", "token_lists", "frame_of"]


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
