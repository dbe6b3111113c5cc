"""The fast segmentation engine (corpus_tools._crf) gives underthesea's CRF labels exactly:
on every sentence of samples of the shared corpora, on fuzzed sequences built from the
featurizer's quirks, and through segment() with either engine."""
from __future__ import annotations

import gzip
import json
import warnings

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import corpus_tools
from corpus_tools import _crf
from corpus_tools.syllables import split_syllables
from corpus_tools.tokens import _crf as reference_crf, segment

from conftest import shared_corpus


def reference(tokens: list[str]) -> list[str]:
    crf = reference_crf()
    return crf.estimator.tag(crf.featurizer.process([[[t] for t in tokens]])[0])


@pytest.fixture(scope="module")
def fast():
    engine = _crf.load_fast_crf()
    assert engine is not None, "the installed underthesea is not the pinned one"
    return engine


def _corpus_tokens(name: str, field: str, n: int) -> list[list[str]]:
    from underthesea import sent_tokenize
    out = []
    with gzip.open(shared_corpus(name), "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= n:
                break
            r = json.loads(line)
            toks = []
            for para in (r.get(field) or "").split("\n"):
                if para.strip():
                    for sent in sent_tokenize(para):
                        toks += split_syllables(sent)[0]
            if toks:
                out.append(toks)
    return out


@pytest.mark.parametrize("name,field,n", [
    ("vietnews_party.jsonl.gz", "content", 120), ("vietnews_40k.jsonl.gz", "content", 120),
    ("unc_dantri.jsonl.gz", "text", 120), ("baomoi_2013.jsonl.gz", "text", 120),
])
def test_identical_labels_on_the_shared_corpora(fast, name, field, n):
    seqs = _corpus_tokens(name, field, n)
    assert sum(map(len, seqs)) > 20_000
    checked = 0
    for toks in seqs:
        if fast.can_tag(toks):
            assert fast.tag(toks) == reference(toks)
            checked += 1
    assert checked >= 0.95 * len(seqs)


# the featurizer's quirks: Rust's i32 parse (signs, overflow, other scripts' digits), title
# case of digits and punctuation, abbreviations with dots, case-mapping corners of Latin
QUIRKS = ["5", "+5", "-7", "2147483647", "2147483648", "-2147483648", "-2147483649", "007", "٣", "1.000",
          "Th.S", "TP.", "T.Ư", "v.v", "35-CT/TW", "ß", "ŉ", "ǅ", "İ", "ﬁ", "Ǆ", "É", "đ", "Đ", "XIII", "khóa",
          "HĐND", "Hà", "Nội", ",", ".", "…", "“", "(", "%", "+", "-", "/", "中国", "한국", "x"]
SYLLABLES = ["bộ", "chính", "trị", "Bộ", "Chính", "trị", "đảng", "Đảng", "ủy", "Thành", "xây", "dựng", "cán",
             "viên", "nghị", "quyết", "Trung", "ương", "tỉnh", "Hà", "Nội", "học", "tập", "và", "làm", "theo"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(QUIRKS + SYLLABLES) | st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1,
    max_size=6).filter(lambda s: s.strip() == s and " " not in s), min_size=1, max_size=40))
def test_identical_labels_on_fuzzed_sequences(fast, tokens):
    if fast.can_tag(tokens):
        assert fast.tag(tokens) == reference(tokens)
    else:  # outside what the engine vouches for, segment() uses underthesea itself
        assert not all(_crf._SAFE.fullmatch(t) for t in tokens)


@pytest.mark.parametrize("tokens", [["x"], ["Hà", "Nội"], ["bộ", "chính", "trị"], QUIRKS, SYLLABLES * 3])
def test_short_and_edge_sequences(fast, tokens):
    """Sequences shorter than the templates' reach (BOS and EOS on both sides)."""
    assert fast.tag(tokens) == reference(tokens)


def test_segment_engines_agree_and_the_option_is_checked(seeds_dir):
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert segment(text) == segment(text, engine="underthesea")
    mixed = "Ông Nguyễn Văn A 👍 nói: Bộ Chính trị ban hành Nghị quyết 57 ᏣᎳᎩ ở Hà Nội."
    assert segment(mixed) == segment(mixed, engine="underthesea")  # emoji and Cherokee: underthesea's path
    with pytest.raises(ValueError, match="underthesea"):
        segment("Hà Nội", engine="crf")


def test_other_files_switch_the_engine_off_with_a_warning(monkeypatch):
    monkeypatch.setitem(_crf.PINNED, "underthesea", "0.0.0")
    _crf.load_fast_crf.cache_clear()
    try:
        with pytest.warns(RuntimeWarning, match="underthesea"):
            assert _crf.load_fast_crf() is None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            assert segment("Bộ Chính trị họp.") == segment("Bộ Chính trị họp.", engine="underthesea")
    finally:
        monkeypatch.undo()
        _crf.load_fast_crf.cache_clear()
    assert _crf.load_fast_crf() is not None
    assert corpus_tools.PIPELINE_VERSION  # the words did not change, so neither does the version


def test_the_compiled_kernel_is_built_and_used(fast):
    """`make setup` compiles corpus_tools.crf_kernel (setup.py); without it segmentation is
    about 3 x slower, so a clean install that lost it must not pass silently."""
    from corpus_tools import crf_kernel  # noqa: F401
    assert fast.compiled


def test_the_numpy_path_gives_the_same_labels(monkeypatch):
    """Without a C compiler the engine runs on numpy: the same labels, and a warning says why."""
    d = _crf.model_dir()
    import joblib
    monkeypatch.setattr(_crf, "_kernel", lambda: None)
    engine = _crf.FastCRF(d / "models.bin", list(joblib.load(d / "features.bin")),
                          set(joblib.load(d / "dictionary.bin")))
    assert not engine.compiled
    seqs = _corpus_tokens("unc_dantri.jsonl.gz", "text", 40)
    for toks in seqs + [["x"], ["Hà", "Nội"], QUIRKS, SYLLABLES * 3]:
        if engine.can_tag(toks):
            assert engine.tag(toks) == reference(toks)
