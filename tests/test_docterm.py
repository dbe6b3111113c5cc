"""The labelled document-term matrix (corpus_tools.docterm.DTM, ct.dtm)."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

import corpus_tools as ct


def test_a_store_and_its_frame_give_one_labelled_matrix(seed_store_corpus):
    d = ct.dtm(seed_store_corpus, min_df=2)
    X, vocab, docs = d  # unpacks as Corpus.dtm always returned
    assert X is d.matrix and vocab == d.vocabulary and list(d.doc_ids) == list(docs["doc_id"])
    f = ct.dtm(seed_store_corpus.frame(), min_df=2)
    assert f.vocabulary == d.vocabulary and (f.matrix != d.matrix).nnz == 0
    # a brute-force recount of the frame's tokens (punctuation is not a word)
    frame = seed_store_corpus.frame()
    first = Counter(t for t in frame["tokens"].iloc[0] if not ct.is_punct(t))
    row = dict(zip(d.vocabulary, d.matrix[0].toarray().ravel()))
    assert all(row[t] == n for t, n in first.items() if t in row)
    # dropped terms: each with its document frequency, below min_df
    df = Counter(t for toks in frame["tokens"] for t in set(toks) if not ct.is_punct(t))
    gone = d.dropped_terms_.set_index("term")
    assert set(gone["reason"]) == {"min_df"} and all(df[t] == n < 2 for t, n in gone["df"].items())
    assert set(gone.index).isdisjoint(d.vocabulary) and len(gone) + len(d.vocabulary) == len(df)


def test_a_vectorizer_gives_its_terms_and_why_the_others_went(seed_store_corpus):
    vec = ct.TopicVectorizer().fit(seed_store_corpus)
    d = ct.dtm(seed_store_corpus, vectorizer=vec)
    assert d.vocabulary == vec.vocabulary_ and (d.matrix != vec.transform(seed_store_corpus)).nnz == 0
    assert d.dropped_terms_.equals(vec.dropped_terms_.reset_index(drop=True))
    with pytest.raises(ValueError, match="not fitted"):
        ct.dtm(seed_store_corpus, vectorizer=ct.TopicVectorizer())


def test_counts_and_shape_checks():
    frame = pd.DataFrame({"doc_id": ["a", "b"], "tokens": [["Đảng", "bộ", "Đảng", "."], ["bộ"]]})
    d = ct.dtm(frame)
    assert d.counts(["Đảng", "bộ"]).to_dict("list") == {"doc_id": ["a", "b"], "Đảng": [2, 0], "bộ": [1, 1]}
    with pytest.raises(ValueError, match="not in the vocabulary"):
        d.counts("Bộ")
    with pytest.raises(ValueError, match="matrix for 2 documents"):
        ct.DTM(np.zeros((3, 2)), ["x", "y"], frame.drop(columns="tokens"))
    v = ct.dtm(frame, vocabulary=["bộ", "nhà"])
    assert v.vocabulary == ["bộ", "nhà"] and list(v.dropped_terms_["term"]) == ["nhà"]
