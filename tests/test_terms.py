"""The terms layer: lexicon terms as spans over words, nested kept, variants mapped to
one id; the store's terms table; a term's count equals the number of its spans."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import corpus_tools as ct
from corpus_tools.lexicon import _build, load_lexicon, load_words
from corpus_tools.syllables import is_punct, split_syllables
from corpus_tools.terms import find_terms
from corpus_tools._resources import read_resource_lines, resource_files

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "raw" / "seeds"
SHARED = ROOT.parent / "shared" / "corpora"


def _words(text: str) -> list[str]:
    return [w for s in ct.segment(text) for w in s]


def test_nested_terms_are_kept():
    spans = find_terms(_words("Đồng chí là Ủy viên Bộ Chính trị, Bí thư Thành ủy"))
    ids = [t for _, _, t in spans]
    assert "Ủy_viên_Bộ_Chính_trị" in ids and "Bộ_Chính_trị" in ids  # the Politburo inside the title
    assert "Bí_thư_Thành_ủy" in ids and "Thành_ủy" in ids
    outer = next(s for s in spans if s[2] == "Ủy_viên_Bộ_Chính_trị")
    inner = next(s for s in spans if s[2] == "Bộ_Chính_trị")
    assert outer[0] < inner[0] and inner[1] == outer[1]


def test_terms_span_whole_words_only():
    user = load_lexicon(["/dev/null"], shipped=False)
    assert find_terms(["Bộ_Chính_trị"], user) == []
    lex = _build((str(_tmp_terms("chính trị\nhệ thống chính trị\n")),), "terms")
    # not inside the word Bộ_Chính_trị, but as a word and inside a longer term
    assert [t for _, _, t in find_terms(["Bộ_Chính_trị", "và", "hệ_thống", "chính_trị"], lex)] == \
        ["hệ_thống_chính_trị", "chính_trị"]
    # however the words split the syllables
    assert find_terms(["hệ", "thống_chính", "trị"], lex) == [(0, 3, "hệ_thống_chính_trị")]


def _tmp_terms(text: str) -> Path:
    import tempfile
    f = Path(tempfile.mkdtemp()) / "terms_test.txt"
    f.write_text(text, encoding="utf-8")
    return f


def test_variants_map_to_one_id_without_touching_words():
    a = _words("Phòng, chống tham nhũng là nhiệm vụ")
    b = _words("phòng chống tham nhũng là nhiệm vụ")
    assert a[:3] == ["Phòng", ",", "chống"]  # the comma is kept, nothing is fused across it
    assert [t for *_, t in find_terms(a)] == [t for *_, t in find_terms(b)]
    city = {t for *_, t in find_terms(_words("TP.HCM và Thành phố Hồ Chí Minh"))}
    assert "TP_Hồ_Chí_Minh" in city
    assert _words("TP.HCM") == ["TP.HCM"]  # the word stays as written
    c = _words("kiểm tra giám sát và kiểm tra, giám sát")
    ids = Counter(t for *_, t in find_terms(c))
    assert ids["kiểm_tra_giám_sát"] == 2


@pytest.mark.parametrize("name", [p.name for p in resource_files("terms_")] + ["words.txt"])
def test_no_lexicon_entry_deletes_or_rewrites_words(name):
    """Every entry of every lexicon file, segmented as text: its syllables survive in
    order, and a term of two or more syllables is found as one span of its own text."""
    lex = load_lexicon()
    for line in read_resource_lines(name):
        for phrase in (p.strip() for p in line.split("=>")):
            words = _words(phrase)
            assert "_".join(words) == "_".join(split_syllables(phrase)[0]), phrase
            if name == "words.txt":
                assert len(words) == 1, f"{phrase!r} is not one word: {words}"
                continue
            keys = [s for s in split_syllables(phrase)[0] if not is_punct(s)]
            if len(keys) >= 2:
                whole = [t for s, e, t in find_terms(words, lex) if s == 0 and e == len(words)]
                assert whole, f"{phrase!r} not found as a term of itself: {words}"
    assert not any("=>" in ln for ln in read_resource_lines("words.txt"))
    assert len(load_words()) >= 40


@pytest.fixture(scope="module")
def seed_corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("terms") / "store"
    ct.ingest(SEEDS, out, backend="serial", progress=False)
    return ct.open_corpus(out)


def test_store_terms_table_is_find_terms_over_the_tokens(seed_corpus):
    terms = seed_corpus.read_table("terms")
    tokens = seed_corpus.read_table("tokens")
    assert list(terms.columns) == list(ct.TERM_COLUMNS) and len(terms) > 100
    for doc_id, toks in tokens.groupby("doc_id", sort=False):
        want = find_terms(toks["token"].tolist(), sentences=toks["sent_id"].tolist())
        got = terms[terms["doc_id"] == doc_id]
        assert list(zip(got["position"], got["position"] + got["length"], got["term"])) == want
        # para and sentence of a span are those of its first token
        first = toks.set_index("position").loc[got["position"]]
        assert got["para_id"].tolist() == first["para_id"].tolist()
        assert got["sent_id"].tolist() == first["sent_id"].tolist()


def test_term_frames_and_dtm(seed_corpus):
    f = seed_corpus.frame(layer="term")
    words = seed_corpus.frame()
    assert f["doc_id"].tolist() == words["doc_id"].tolist()
    terms = seed_corpus.read_table("terms")
    for doc_id, toks in zip(f["doc_id"], f["tokens"]):
        assert toks == terms.loc[terms["doc_id"] == doc_id, "term"].tolist()
    p = seed_corpus.frame("paragraph", layer="term")
    assert sum(map(len, p["tokens"])) == sum(map(len, f["tokens"]))
    X, vocab, _ = seed_corpus.dtm(layer="term")
    counts = Counter(t for toks in f["tokens"] for t in toks)
    assert dict(zip(vocab, np.asarray(X.sum(axis=0)).ravel().tolist())) == dict(counts)
    with pytest.raises(ValueError, match="'word', 'term'"):
        seed_corpus.frame(layer="phrase")


def _forms_by_id() -> dict[str, list[str]]:
    """Every written form (term lines and both sides of variants) of each term id."""
    lex = load_lexicon()
    forms: dict[str, list[str]] = {}
    for key, (canon, _) in lex.entries.items():
        if len(key) >= 2:
            forms.setdefault(canon, []).append(" ".join(key))
    return forms


def _check_counts_equal_spans(corpus) -> int:
    """term_counts(match="term") of every form of every lexicon term, summed per id,
    equals the number of spans of that id in the store's terms table."""
    forms = _forms_by_id()
    flat = [(tid, f) for tid, fs in forms.items() for f in fs]
    counts = ct.term_counts(corpus, [tuple(f.split()) for _, f in flat], concepts=False)
    per_id: Counter = Counter()
    for (tid, _), col in zip(flat, counts.columns[2:]):
        per_id[tid] += int(counts[col].sum())
    spans = Counter(corpus.frame(layer="term")["tokens"].explode().dropna())
    assert {k: v for k, v in per_id.items() if v} == dict(spans)
    return sum(spans.values())


def test_term_counts_equal_span_counts_on_the_samples(seed_corpus):
    assert _check_counts_equal_spans(seed_corpus) > 100


@pytest.mark.shared
def test_term_counts_equal_span_counts_on_a_shared_slice(tmp_path_factory):
    path = SHARED / "vietnews_party.jsonl.gz"
    if not path.exists():
        pytest.skip("../shared/corpora/vietnews_party.jsonl.gz not present")
    out = tmp_path_factory.mktemp("terms_party") / "store"
    ct.ingest(path, out, columns="vietnews", progress=False, limit=150)
    assert _check_counts_equal_spans(ct.open_corpus(out)) > 500
