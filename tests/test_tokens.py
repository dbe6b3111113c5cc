"""Tests for corpus_tools.tokens: the words layer, document codes, case policy, filters."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus_tools.lexicon import Lexicon, load_lexicon, load_words
from corpus_tools.syllables import is_punct, split_syllables
from corpus_tools.tokens import (
    PIPELINE_VERSION,
    normalize_token,
    query_tokens,
    segment,
    tokenize,
    tokens_from_segments,
)
from underthesea import sent_tokenize

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# Words of each seed that the words layer must produce (document codes as written;
# compound titles, Party committees and the closed list of central organs).
SEED_WORDS = {
    "000": ["05-CT/TƯ", "Bộ_Chính_trị", "Phó_Bí_thư", "Thành_ủy", "Đảng_ủy", "Ngô_Thị_Thanh_Hằng"],
    "001": ["35-CT/TW", "Tỉnh_ủy", "Đảng_ủy", "chuyển_đổi_số", "Tổng_Bí_thư", "Bộ_Chính_trị"],
    "002": ["01-CTr/TU", "55-QĐ/TW", "37-QĐ/TW", "Bộ_Chính_trị", "Phó_Bí_thư", "Quận_ủy",
            "Trưởng_ban"],
    "003": ["Quận_ủy", "Tổng_Bí_thư", "Bộ_Chính_trị"],
    "004": ["35-CT/TW", "26-HD/BTCTW", "05-CT/TW", "Bộ_Chính_trị", "Ban_Bí_thư", "Phó_Trưởng_ban",
            "Đảng_ủy"],
}


def _seed_text(seeds_dir: Path, prefix: str) -> str:
    (path,) = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_segments(seeds_dir):
    return {p: segment(_seed_text(seeds_dir, p)) for p in SEED_WORDS}


# --------------------------------------------------------------------------- seeds
@pytest.mark.parametrize("prefix", sorted(SEED_WORDS))
def test_seed_words(seed_segments, prefix):
    words = {t for sent in seed_segments[prefix] for t in sent}
    missing = [t for t in SEED_WORDS[prefix] if t not in words]
    assert not missing, f"seed {prefix}: not one word: {missing}"


@pytest.mark.parametrize("prefix", sorted(SEED_WORDS))
def test_segment_keeps_every_syllable_of_the_samples(seeds_dir, prefix):
    """The words layer never deletes, adds or rewrites a syllable: the syllables of
    the words, in order, are those of the input, sentence by sentence."""
    text = _seed_text(seeds_dir, prefix)
    want = [split_syllables(sent)[0] for para in text.split("\n") if para.strip()
            for sent in sent_tokenize(para.strip()) if split_syllables(sent)[0]]
    got = ["_".join(sent) for sent in segment(text)]
    assert got == ["_".join(s) for s in want]


def test_document_codes_never_split(seed_segments):
    for sents in seed_segments.values():
        flat = [t for s in sents for t in s]
        for a, b, c in zip(flat, flat[1:], flat[2:]):
            assert not (a.isdigit() and b == "-" and c in {"CT", "QĐ", "CTr", "HD"}), (a, b, c)


def test_segment_structure(seeds_dir):
    sents = segment(_seed_text(seeds_dir, "000"))
    assert sents[0][0] == "Chỉ_đạo"  # case as written
    assert all(isinstance(s, list) and s for s in sents)
    assert any(t == "." for s in sents for t in s)  # punctuation kept
    assert not any(" " in t for s in sents for t in s)
    # paragraphs never share a sentence
    text = "Hội nghị bế mạc\nTập trung thảo luận"
    assert len(segment(text)) == 2


@pytest.mark.parametrize("text, words", [
    # compound titles (the CRF writes Phó | Thủ_tướng)
    ("Phó Thủ tướng Lê Minh Khái phát biểu", ["Phó_Thủ_tướng", "Lê_Minh_Khái", "phát_biểu"]),
    ("Phó Bí thư Thường trực Thành ủy", ["Phó_Bí_thư", "Thường_trực", "Thành_ủy"]),
    ("Trưởng ban Tuyên giáo Trung ương", ["Trưởng_ban", "Tuyên_giáo", "Trung_ương"]),
    # an organ is not glued to the title before it, nor cut in two
    ("Chủ nhiệm Ủy ban Kiểm tra Trung ương", ["Chủ_nhiệm", "Ủy_ban", "Kiểm_tra", "Trung_ương"]),
    ("Ủy viên Bộ Chính trị", ["Ủy_viên", "Bộ_Chính_trị"]),
    ("Cả hệ thống chính trị vào cuộc", ["Cả", "hệ_thống", "chính_trị", "vào_cuộc"]),
    # a person's name glued to the next verb, a number glued to its noun
    ("Bộ trưởng Tô Lâm trao quyết định", ["Bộ_trưởng", "Tô_Lâm", "trao", "quyết_định"]),
    ("có 5.458 lượt người dân", ["có", "5.458", "lượt", "người_dân"]),
    # a capital after a lowercase syllable starts a word; continents are one word
    ("Đảng ủy Khối đã họp ở châu Á", ["Đảng_ủy", "Khối", "đã", "họp", "ở", "châu_Á"]),
    # Roman numerals stay apart from the noun they number
    ("Ban Chấp hành khóa XII họp lần thứ XIII",
     ["Ban_Chấp_hành", "khóa", "XII", "họp", "lần", "thứ", "XIII"]),
    # a lexicon word is not glued when the CRF continues it into a lowercase word
    ("công tác xây dựng Đảng bộ", ["công_tác", "xây_dựng", "Đảng_bộ"]),
])
def test_words_layer_rules(text, words):
    assert [w for s in segment(text) for w in s] == words


def test_words_never_cross_punctuation_and_terms_stay_words():
    flat = [t for s in segment("xây dựng, chỉnh đốn Đảng; phòng, chống tham nhũng, lãng phí")
            for t in s]
    assert flat == ["xây_dựng", ",", "chỉnh_đốn", "Đảng", ";", "phòng", ",", "chống", "tham_nhũng",
                    ",", "lãng_phí"]
    # the words of "các tổ chức chính trị - xã hội" keep "các" (a term never deletes a word)
    assert [t for s in segment("Mặt trận và các tổ chức chính trị - xã hội") for t in s][2:4] == \
        ["các", "tổ_chức"]


def test_segment_without_the_words_lexicon_still_protects_codes():
    text = "Thực hiện Chỉ thị số 35-CT/TW, nâng cao năng lực"
    flat = [t for s in segment(text, words=False) for t in s]
    assert "35-CT/TW" in flat and "nâng_cao" not in flat  # the bare CRF splits it
    assert "nâng_cao" in [t for s in segment(text) for t in s]


# --------------------------------------------------------------------------- codes
@pytest.mark.parametrize("raw, code, norm", [
    ("Chỉ thị số 05-CT/TƯ", "05-CT/TƯ", "05-CT/TW"),
    ("Quy định số 55-QÐ/TW", "55-QĐ/TW", "55-QĐ/TW"),  # Icelandic Ð
    ("Hướng dẫn số 26-HD/BTCTW", "26-HD/BTCTW", "26-HD/BTCTW"),
    ("Chỉ thị 35 - CT / TW của", "35-CT/TW", "35-CT/TW"),  # pre-tokenised corpora
    ("Nghị định 15/2020/NĐ-CP của", "15/2020/NĐ-CP", "15/2020/NĐ-CP"),
    ("Quyết định 1234/QĐ-UBND", "1234/QĐ-UBND", "1234/QĐ-UBND"),
])
def test_document_code_variants(raw, code, norm):
    words = [t for s in segment(raw) for t in s]
    assert code in words  # as written (spaces dropped)
    assert norm in tokenize(raw)  # canonical in the analysis tokens


def test_dates_are_not_codes():
    flat = [t for s in segment("Ngày 14/11/2019, nhiệm kỳ 2020-2025, tỷ lệ 1/3.") for t in s]
    assert "14/11/2019" in flat and "1/3" in flat
    assert not any("-CT" in t for t in flat)


def test_spelling_variants_do_not_touch_words():
    assert tokenize("tự chuyển hoá") == tokenize("tự chuyển hóa")  # tone placement (underthesea)
    assert normalize_token("COVID-19") == "COVID-19"  # a variant maps only the term id
    assert tokenize("TP.HCM") == ["TP.HCM"]
    assert tokenize("Chủ tịch Hồ Chí Minh") == ["chủ_tịch", "Hồ_Chí_Minh"]
    assert normalize_token("TP.") == "TP"


# --------------------------------------------------------------------------- case policy
@pytest.mark.parametrize("tok, initial, expected", [
    ("Hà_Nội", False, "Hà_Nội"),
    ("Hà_Nội", True, "Hà_Nội"),
    ("Tập_trung", True, "tập_trung"),
    ("Tập_trung", False, "tập_trung"),
    ("Thành_ủy", True, "Thành_ủy"),  # canonical case of words.txt
    ("bộ_chính_trị", False, "Bộ_Chính_trị"),
    ("Chuyển_đổi_số", True, "chuyển_đổi_số"),
    ("HĐND", True, "HĐND"),
    ("TP", False, "TP"),
    ("35-CT/TW", False, "35-CT/TW"),
    ("05-CT/TƯ", False, "05-CT/TW"),
    ("Ngô_Thị_Thanh_Hằng", False, "Ngô_Thị_Thanh_Hằng"),
    ("CHỈ_ĐẠO", True, "chỉ_đạo"),  # headline capitals are not an acronym
    ("Mỹ", True, "Mỹ"),  # listed capitalised in terms_names.txt
    ("Hôm", True, "hôm"),
    ("Khối", False, "Khối"),  # capital inside a sentence: part of a name
    ("đảng", False, "Đảng"),
    (",", False, ","),
])
def test_case_policy(tok, initial, expected):
    assert normalize_token(tok, sentence_initial=initial) == expected


def test_tokenize_case_and_punct():
    toks = tokenize("Tập trung đẩy mạnh chuyển đổi số tại Hà Nội. Mỹ và HĐND TP Hà Nội.")
    assert toks == ["tập_trung", "đẩy_mạnh", "chuyển_đổi_số", "tại", "Hà_Nội",
                    "Mỹ", "và", "HĐND", "TP", "Hà_Nội"]
    assert "." in tokenize("Hà Nội.", keep_punct=True)
    assert tokenize("Hà Nội.", lowercase=False) == ["Hà_Nội"]


def test_query_tokens_match_documents():
    assert query_tokens("chuyển đổi số") == ["chuyển_đổi_số"]
    assert query_tokens("Chuyển đổi số") == ["chuyển_đổi_số"]
    assert query_tokens("chuyển_đổi_số") == ["chuyển_đổi_số"]
    assert query_tokens("Chỉ thị 35-CT/TƯ") == ["chỉ_thị", "35-CT/TW"]
    assert query_tokens("Bộ Chính trị") == ["Bộ_Chính_trị"]
    doc = tokenize("Bộ Chính trị ban hành Chỉ thị số 35-CT/TW về chuyển đổi số.")
    for q in ["chuyển đổi số", "Chỉ thị số 35-CT/TƯ", "bộ chính trị"]:
        qt = query_tokens(q)
        assert any(doc[i:i + len(qt)] == qt for i in range(len(doc))), q


# --------------------------------------------------------------------------- filters
def test_stopword_options():
    text = "Đồng chí Bí thư nhấn mạnh công tác phòng, chống tham nhũng của các cấp ủy."
    plain = tokenize(text)
    assert {"của", "các", "đồng_chí", "nhấn_mạnh"} <= set(plain)
    general = tokenize(text, stopwords="general")
    assert "của" not in general and "các" not in general and "đồng_chí" in general
    domain = tokenize(text, stopwords="domain")
    assert "đồng_chí" not in domain and "nhấn_mạnh" not in domain and "của" in domain
    both = tokenize(text, stopwords="all")
    assert "tham_nhũng" in both and "của" not in both and "đồng_chí" not in both
    custom = tokenize(text, stopwords=["cấp ủy"])
    assert "cấp_ủy" not in custom and "của" in custom


def test_numbers_and_time_words_are_an_option():
    text = "Ngày 14/11/2019, Đại hội lần thứ XIII có 97,8% đại biểu và 5 năm."
    default = tokenize(text)
    for t in ["14/11/2019", "XIII", "97,8", "5", "ngày", "năm"]:
        assert t in default
    no_num = tokenize(text, keep_numbers=False)
    assert not {"14/11/2019", "XIII", "97,8", "5"} & set(no_num)
    assert "ngày" in no_num and "đại_hội" in no_num
    no_time = tokenize(text, keep_time_words=False)
    assert "ngày" not in no_time and "năm" not in no_time and "2019" not in no_time
    assert "14/11/2019" in no_time


def test_tokens_from_segments_equals_tokenize():
    text = "Tập trung xây dựng, chỉnh đốn Đảng.\nBí thư Tỉnh ủy chỉ đạo thực hiện Chỉ thị 35-CT/TW."
    sents = segment(text)
    assert tokens_from_segments(sents, stopwords="all") == tokenize(text, stopwords="all")
    assert tokens_from_segments(sents, keep_punct=True) == tokenize(text, keep_punct=True)


def test_is_punct():
    assert all(is_punct(t) for t in [",", ".", "“", "...", "-", "(", "/"])
    assert not any(is_punct(t) for t in ["Hà_Nội", "2019", "35-CT/TW"])


# --------------------------------------------------------------------------- resources
def test_lexicon_user_file_and_variants(tmp_path):
    user = tmp_path / "my_terms.txt"
    user.write_text("# my terms\nkinh tế tuần hoàn\nKTTH => kinh tế tuần hoàn\n", encoding="utf-8")
    lex = load_lexicon(user)
    assert isinstance(lex, Lexicon) and len(lex) > len(load_lexicon())
    assert "kinh tế tuần hoàn" in lex
    assert lex.digest != load_lexicon().digest
    only_user = load_lexicon(user, shipped=False)
    assert "Bộ Chính trị" not in only_user and len(only_user) == 2
    words = tmp_path / "my_words.txt"
    words.write_text("kinh tế tuần hoàn\n", encoding="utf-8")
    flat = [t for s in segment("Phát triển kinh tế tuần hoàn bền vững", words=load_words(words))
            for t in s]
    assert "kinh_tế_tuần_hoàn" in flat
    bad = tmp_path / "bad_words.txt"
    bad.write_text("TP HCM => TP Hồ Chí Minh\n", encoding="utf-8")
    with pytest.raises(ValueError, match="never rewritten"):
        load_words(bad)


def test_lexicon_size_and_format():
    lex = load_lexicon()
    assert 200 <= len(lex) <= 2000
    for term in ["chỉnh đốn Đảng", "tự diễn biến", "Bộ Chính trị", "Ban Bí thư",
                 "Bí thư Tỉnh ủy", "Phó Bí thư Thường trực", "chuyển đổi số", "tập trung dân chủ"]:
        assert term in lex, term
    assert "Phó Thủ tướng" in load_words() and "chỉnh đốn Đảng" not in load_words()
    with pytest.raises(ValueError):
        segment("x", words="yes")


def test_pipeline_version():
    import underthesea

    assert underthesea.__version__ in PIPELINE_VERSION
    assert len(PIPELINE_VERSION.rsplit("-", 1)[-1]) == 12


def test_determinism(seeds_dir):
    text = _seed_text(seeds_dir, "001")
    assert tokenize(text) == tokenize(text)
    assert segment(text) == segment(text)


# --------------------------------------------------------------------------- collocations
# --------------------------------------------------------------------------- robustness
hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợ" \
    "ùúủũụừứửữựỳýỷỹỵAĂÂĐÊÔƠƯBCTQ0123456789 .,;:-/()“”\"'\n"


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(st.text(alphabet=_ALPHABET, max_size=120))
def test_segment_never_loses_words(text):
    toks = [t for s in segment(text) for t in s]
    assert all(t and " " not in t and "\n" not in t for t in toks)
    # every letter or digit of the input survives, modulo case and tone placement
    toks = [t for s in segment(text) for t in s]
    def letters(s):
        return sorted(c for c in s.lower() if c.isalnum())
    got = letters("".join(toks).replace("_", ""))
    assert len(got) == len(letters(text))
    assert tokenize(text) == tokenize(text)
