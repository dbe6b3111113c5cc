"""Tests for corpus_tools.stopwords: one rule, and every entry point reads ``stopwords=`` by it."""
from __future__ import annotations

from pathlib import Path

import pytest

import corpus_tools as ct
from corpus_tools.stopwords import STOPWORD_LISTS, load_stopwords, resolve_stopword_lists, resolve_stopwords

SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw" / "seeds"

# the same argument in every shape a user may write it
SPECS = ["general", ("general", "domain"), ["all"], ["general", "đồng chí"], {"cấp ủy"}, None]


def test_lists_and_rule():
    assert load_stopwords("all") == load_stopwords("general") | load_stopwords("domain")
    assert all(w == w.lower() and " " not in w for w in load_stopwords("all"))
    assert resolve_stopwords(("general", "domain")) == load_stopwords("all")
    assert resolve_stopwords(["general", "đồng chí"]) == load_stopwords("general") | {"đồng_chí"}
    assert resolve_stopwords({"Cấp ủy"}) == {"cấp_ủy"}
    assert resolve_stopwords(None) == frozenset()
    assert set(resolve_stopword_lists(["all", "x"])) == {"general", "domain", "user"}
    for bad in ("english", "General"):
        with pytest.raises(ValueError, match="valid lists: general, domain, time, all"):
            resolve_stopwords(bad)
    assert STOPWORD_LISTS == ("general", "domain", "time", "all")


@pytest.fixture(scope="module")
def seed_corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("stop") / "store"
    ct.ingest(SEEDS, out, backend="serial", progress=False)
    return ct.open_corpus(out)


@pytest.mark.parametrize("spec", SPECS, ids=repr)
def test_every_entry_point_removes_the_same_words(seed_corpus, spec):
    stop = resolve_stopwords(spec)
    plain = seed_corpus.frame()
    text = seed_corpus.articles["text"].iloc[0]
    # tokenize and tokens_from_segments
    expected = [t for t in ct.tokenize(text) if t.lower() not in stop]
    assert ct.tokenize(text, stopwords=spec) == expected
    assert ct.tokens_from_segments(ct.segment(ct.clean_text(text)), stopwords=spec) == expected
    # Corpus.frame and Corpus.dtm
    framed = seed_corpus.frame(stopwords=spec)
    for a, b in zip(plain["tokens"], framed["tokens"]):
        assert b == [t for t in a if t.lower() not in stop]
    X, vocab, _ = seed_corpus.dtm(stopwords=spec)
    words = {t for toks in framed["tokens"] for t in toks}
    assert set(vocab) == words
    # term_keyness: stopwords never appear, other words do
    k = ct.term_keyness(plain.iloc[:2], plain.iloc[2:], n=None, min_count=1, stopwords=spec)
    k_all = ct.term_keyness(plain.iloc[:2], plain.iloc[2:], n=None, min_count=1)
    assert set(k["term"]) == {t for t in k_all["term"] if t.lower() not in stop}
    # term_collocations: no n-gram starts or ends with a stopword
    docs = [ct.tokenize(t, keep_punct=True) for t in seed_corpus.articles["text"]]
    c = ct.term_collocations(docs, min_count=1, n=None, stopwords=spec)
    c_all = ct.term_collocations(docs, min_count=1, n=None)
    # a gram is skipped when either edge *token* is a stopword: compare on the token tuples
    grams = {tuple(x.split(" ")) for x in c["ngram"]}
    grams_all = {tuple(x.split(" ")) for x in c_all["ngram"]}
    assert grams == {g for g in grams_all if not stop or (g[0].lower() not in stop and g[-1].lower() not in stop)}
    # topic vocabulary: exactly these words are dropped as stopwords
    vocab_t, dropped = ct.topic_vocabulary(plain, stopwords=spec, furniture=(), min_df=1, max_df=1.0,
                                           drop_numbers=False)
    as_stop = set(dropped.loc[dropped["reason"].str.startswith("stopword"), "term"])
    terms = {t for toks in plain["tokens"] for t in toks}
    assert as_stop == {t for t in terms if t.lower() in stop and any(ch.isalpha() for ch in t)}
