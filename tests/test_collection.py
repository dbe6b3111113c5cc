"""collection: the one coercion of "a Corpus or a frame" for every analysis."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from corpus_tools.collection import frame_of, is_corpus, token_index, token_lists


def test_a_corpus_and_its_frame_give_the_same_documents(seed_store_corpus):
    frame = seed_store_corpus.frame()
    assert is_corpus(seed_store_corpus) and not is_corpus(frame) and not is_corpus([["a"]])
    pdt.assert_frame_equal(frame_of(seed_store_corpus), frame)
    assert frame_of(frame) is frame
    assert token_lists(seed_store_corpus) == [list(t) for t in frame["tokens"]] == token_lists(frame)
    assert token_lists([("a", "b"), ["c"]]) == [["a", "b"], ["c"]]
    meta_c, ti_c = token_index(seed_store_corpus)
    meta_f, ti_f = token_index(frame)
    assert meta_c["doc_id"].tolist() == meta_f["doc_id"].tolist()
    assert np.array_equal(ti_c.lengths, ti_f.lengths)
    assert ti_c.vocab[ti_c.codes].tolist() == ti_f.vocab[ti_f.codes].tolist()


def test_what_is_not_a_corpus_or_frame_is_refused_with_what_to_pass():
    with pytest.raises(ValueError, match="no 'tokens' column"):
        token_index(pd.DataFrame({"doc_id": ["a"]}))
    with pytest.raises(ValueError, match="needs a 'tokens' column"):
        token_lists(pd.DataFrame({"doc_id": ["a"]}))
    with pytest.raises(TypeError, match="expected an analysis frame"):
        token_index(42)
