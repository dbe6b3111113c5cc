"""split_sentences gives underthesea's sent_tokenize sentences exactly, faster."""
from __future__ import annotations

import gzip
import itertools
import json

import pytest
from hypothesis import given, settings, strategies as st
from underthesea import sent_tokenize

from corpus_tools.sentences import split_sentences

from conftest import shared_corpus


@pytest.mark.parametrize("name,field", [("vietnews_party.jsonl.gz", "content"), ("unc_dantri.jsonl.gz", "text"),
                                        ("baomoi_2013.jsonl.gz", "text"), ("vietnews_40k.jsonl.gz", "content")])
def test_same_sentences_on_the_shared_corpora(name, field):
    n = 0
    with gzip.open(shared_corpus(name), "rt", encoding="utf-8") as fh:
        for line in itertools.islice(fh, 300):
            text = json.loads(line).get(field) or ""
            for para in [text] + text.split("\n"):
                got = split_sentences(para)
                assert got == sent_tokenize(para)
                n += len(got)
    assert n > 5000  # sentences compared


PIECES = ["...", "..", ".", "?", "!", "?!", "…", " ", "  ", "\t", "\n", "\r", "TP.", "Th.S", "e.g.", "1.500.000",
          "15.12.2025", "3.", "a.", "Ông", "nói", "Hà Nội", "X", "x", "ĐẢNG", "(", ")", "“", "”", "—", "5"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=30))
def test_same_sentences_on_fuzzed_text(parts):
    text = "".join(parts)
    assert split_sentences(text) == sent_tokenize(text)
