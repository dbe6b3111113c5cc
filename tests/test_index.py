"""Tests for corpus_tools.index: term lookups equal a brute-force scan of the token lists."""
from __future__ import annotations

import numpy as np
import pytest

from corpus_tools.index import TokenIndex, offsets

DOCS = [["Bộ_Chính_trị", "họp", "về", "chính_trị"], [], ["chính_trị", "và", "Chính_trị", "họp"],
        ["về", "chính", "trị"]]


def test_offsets_and_streams():
    idx = TokenIndex.from_tokens(DOCS)
    assert offsets(np.array([4, 0, 4, 3])).tolist() == [0, 4, 4, 8, 11]
    assert idx.n_docs == 4 and idx.lengths.tolist() == [4, 0, 4, 3]
    codes, off = idx.stream("word_cs")
    assert [idx.vocab[c] for c in codes[off[2]:off[3]]] == DOCS[2]
    # case-folded stream: Chính_trị and chính_trị are one id
    low, _ = idx.stream("word")
    assert low[off[2]] == low[off[2] + 2]


def test_pattern_ids_match_a_brute_force_scan():
    idx = TokenIndex.from_tokens(DOCS)
    for mode, key in (("word_cs", lambda t: t), ("word", str.casefold)):
        for q in (["chính_trị"], ["họp"], ["về", "chính_trị"], ["Chính_trị", "họp"]):
            pat = idx.pattern(q, mode)
            ids, off = idx.stream(mode)
            found = 0
            if pat is not None:
                for d in range(idx.n_docs):
                    s = ids[off[d]:off[d + 1]]
                    found += sum(np.array_equal(s[i:i + len(pat)], pat) for i in range(len(s) - len(pat) + 1))
            brute = sum(sum([key(t) for t in doc[i:i + len(q)]] == [key(t) for t in q]
                            for i in range(len(doc) - len(q) + 1)) for doc in DOCS)
            assert found == brute, (mode, q)
    # the syllable stream finds chính trị inside Bộ_Chính_trị and across tokens
    pat = idx.pattern(["chính_trị"], "anywhere")
    syl, off = idx.stream("anywhere")
    hits = sum(np.array_equal(syl[i:i + 2], pat) for i in range(len(syl) - 1))
    assert hits == 5  # Bộ_Chính_trị, chính_trị (doc 0), two in doc 2, "chính trị" in doc 3


@pytest.mark.parametrize("n,n_ids,bucket", [(0, 1, 4), (1, 1, 4), (1000, 7, 50), (20000, 3000, 700),
                                            (5000, 5000, 1)])
def test_bucketed_postings_equal_a_stable_argsort(n, n_ids, bucket):
    from corpus_tools.index import offsets, stable_order
    stream = np.random.default_rng(n).integers(0, n_ids, n).astype(np.int32)
    bounds = offsets(np.bincount(stream, minlength=1))
    order = stable_order(stream, bounds, bucket=bucket)
    assert order.dtype == np.int32
    assert np.array_equal(order, np.argsort(stream, kind="stable"))
    into = np.empty(n, dtype=np.int32)  # written into a given array (a store's memory-mapped file)
    assert stable_order(stream, bounds, bucket=bucket, out=into) is into
    assert np.array_equal(into, order)


def test_vocab_ids_is_the_position_of_each_term():
    from corpus_tools.index import VocabIds
    terms = np.array(["đảng", "bộ_chính_trị", "Hà_Nội", "5"], dtype=object)
    ids = VocabIds(terms)
    assert dict(ids) == {t: i for i, t in enumerate(terms)}
    assert ids.get("không_có") is None and ids.get(["unhashable"]) is None
    assert list(ids) == list(terms) and len(ids) == 4 and "Hà_Nội" in ids


def test_vocab_ids_over_arrow_scans_then_hashes_with_the_same_answers():
    import pyarrow as pa
    from corpus_tools.index import VocabIds
    terms = [f"từ_{i}" for i in range(500)] + ["đảng", "Hà_Nội"]
    ids = VocabIds(pa.chunked_array([terms[:300], terms[300:]]))
    want = {t: i for i, t in enumerate(terms)}
    for k, t in enumerate(terms[::-7] + ["không_có", "", "ĐẢNG"]):  # past SCANS: hashed
        assert ids.get(t) == want.get(t), (k, t)
    assert ids._index is not None and ids.get(3) is None
    assert list(ids) == terms and len(ids) == len(terms)
