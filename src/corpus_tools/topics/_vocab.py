"""Vocabulary policy and document-term matrices for topic models.

Why not a plain ``max_df`` cut: in a corpus that is all about the Party, the
genre's core words (``đảng``, ``bí_thư``, ``lãnh_đạo``) sit in most documents and
a ``max_df=0.5`` removes them, while news furniture (``ảnh``, ``TP``, ``TTXVN``,
``Reuters``) is rarer and slips through. The policy here drops terms for stated
reasons, in this order: punctuation, number, stopword (general / domain / time
lists of :mod:`corpus_tools.stopwords`), news furniture, user-listed, then document
frequency (``min_df``, and ``max_df`` only for near-universal terms). Core words
stay in; the TF-IDF weighting of the NMF models down-weights them instead.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._resources import read_resource_lines
from ..stopwords import resolve_stopword_lists

__all__ = ["NEWS_FURNITURE", "topic_vocabulary", "topic_dtm"]

def _load_furniture() -> frozenset[str]:
    """``resources/news_furniture.txt``: one token per line, ``#`` comments."""
    return frozenset(w.lower() for w in read_resource_lines("news_furniture.txt"))


#: News furniture: credits, agencies, page furniture and reporting verbs of Vietnamese
#: online news that say nothing about the topic of a report. Compared lowercase; read
#: from the editable ``resources/news_furniture.txt``.
NEWS_FURNITURE = _load_furniture()

_HAS_LETTER = re.compile(r"[^\W\d_]")
_NUMBER = re.compile(r"^[\d.,:/%+\-–_]+$")
_DIGIT = re.compile(r"\d")


def _resolve_stop(stopwords) -> dict[str, frozenset[str]]:
    """``stopwords`` -> {reason: words}, by the rule of :mod:`corpus_tools.stopwords`."""
    return {f"stopword:{k}": v for k, v in resolve_stopword_lists(stopwords).items()}


def _doc_tokens(docs) -> list[Sequence[str]]:
    if isinstance(docs, pd.DataFrame):
        if "tokens" not in docs:
            raise ValueError("a frame needs a 'tokens' column (list of str per row)")
        return list(docs["tokens"])
    return list(docs)


def _df_threshold(v, n_docs: int, name: str) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or v < 0 \
            or (isinstance(v, (float, np.floating)) and v > 1.0):
        raise ValueError(f"{name} must be an int >= 0 or a float in [0, 1], got {v!r}")
    if isinstance(v, (int, np.integer)):
        return int(v)
    return int(np.ceil(v * n_docs)) if name == "min_df" else int(np.floor(v * n_docs))


def resolve_min_df(min_df, n_docs: int):
    """``"auto"``: 2 below 1,000 documents (small corpora, paragraphs of a few
    reports), else 5."""
    if isinstance(min_df, str):
        if min_df != "auto":
            raise ValueError(f"min_df must be 'auto', an int or a float, got {min_df!r}")
        return 2 if n_docs < 1000 else 5
    return min_df


def topic_vocabulary(docs=None, *, dfreq: Sequence[int] | None = None,
                     terms: Sequence[str] | None = None,
                     stopwords=("general", "domain", "time"),
                     furniture: Iterable[str] | None = NEWS_FURNITURE,
                     exclude: Iterable[str] = (), keep: Iterable[str] = (),
                     min_df="auto", max_df=0.95, drop_numbers: bool = True,
                     n_docs: int | None = None) -> tuple[list[str], pd.DataFrame]:
    """Choose the terms a topic model sees, and say why each other term is dropped.

    Parameters
    ----------
    docs : frame with a ``tokens`` column, or an iterable of token lists. Instead,
        give ``terms`` with their document frequencies ``dfreq`` and ``n_docs``
        (e.g. the columns of a ready document-term matrix).
    stopwords : as everywhere (:mod:`corpus_tools.stopwords`): a list name, an
        iterable of list names and words, or None. Compared lowercase.
    furniture : news furniture (:data:`NEWS_FURNITURE`), compared lowercase.
    exclude : further terms to drop (reason ``"user"``); ``keep`` rescues terms
        from every rule except punctuation.
    min_df, max_df : document-frequency bounds as in scikit-learn (int = rows,
        float = share). ``max_df`` defaults to 0.95: only near-universal terms go.
        ``min_df="auto"``: 2 below 1,000 documents, else 5.

    Returns
    -------
    (vocabulary, dropped) : sorted list of kept terms, and a DataFrame
        ``term, df, reason`` of dropped terms (most frequent first).
    """
    if docs is not None:
        toks = _doc_tokens(docs)
        n_docs = len(toks)
        counter: Counter = Counter()
        for t in toks:
            counter.update(set(t))
        terms = list(counter)
        dfreq = np.array([counter[t] for t in terms], dtype=np.int64)
    elif terms is None or dfreq is None or n_docs is None:
        raise ValueError("give docs, or terms + dfreq + n_docs")
    terms = [str(t) for t in terms]
    dfreq = np.asarray(dfreq, dtype=np.int64)
    lo = max(_df_threshold(resolve_min_df(min_df, n_docs), n_docs, "min_df"), 1)
    hi = _df_threshold(max_df, n_docs, "max_df")
    stops = _resolve_stop(stopwords)
    furn = frozenset(w.lower() for w in (furniture or ()))
    excl = frozenset(w.lower() for w in exclude)
    keep_set = frozenset(keep)
    reasons: list[str | None] = []
    for term, d in zip(terms, dfreq):
        low = term.lower()
        reason = None
        if not _HAS_LETTER.search(term):
            reason = "number" if _NUMBER.match(term) and _DIGIT.search(term) else "punctuation"
            if reason == "number" and not drop_numbers:
                reason = None
        if reason is None and term not in keep_set:
            for name, words in stops.items():
                if low in words:
                    reason = name
                    break
            if reason is None and low in furn:
                reason = "furniture"
            elif reason is None and low in excl:
                reason = "user"
            elif reason is None and d < lo:
                reason = "min_df"
            elif reason is None and d > hi:
                reason = "max_df"
        reasons.append(reason)
    reasons_arr = np.array(reasons, dtype=object)
    kept = np.array([r is None for r in reasons], dtype=bool)
    vocab = sorted(t for t, k in zip(terms, kept) if k)
    dropped = pd.DataFrame({"term": np.array(terms, dtype=object)[~kept],
                            "df": dfreq[~kept], "reason": reasons_arr[~kept]})
    dropped = dropped.sort_values(["df", "term"], ascending=[False, True], kind="stable")
    return vocab, dropped.reset_index(drop=True)


def topic_dtm(docs, vocabulary: Sequence[str]) -> sp.csr_matrix:
    """Count matrix (documents x ``vocabulary``, in its order) of token lists or a
    frame's ``tokens``; tokens outside the vocabulary are ignored."""
    lookup = {t: i for i, t in enumerate(vocabulary)}
    indptr = [0]
    indices: list[int] = []
    for toks in _doc_tokens(docs):
        ids = [lookup[t] for t in toks if t in lookup]
        indices.extend(ids)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.int64)
    X = sp.csr_matrix((data, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
                      shape=(len(indptr) - 1, len(vocabulary)))
    X.sum_duplicates()
    X.sort_indices()
    return X
