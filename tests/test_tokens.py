"""Tests for corpus_tools.tokens: segmentation, lexicon, case policy, filters, collocations."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus_tools.tokens import (
    PIPELINE_VERSION,
    Lexicon,
    is_punct,
    load_lexicon,
    normalize_token,
    query_tokens,
    segment,
    tokenize,
    tokens_from_segments,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# Every lexicon term and document code of each seed, as the single token a
# researcher expects (surface case; TƯ is normalised to TW).
SEED_TOKENS = {
    "000": [
        "05-CT/TW", "Bộ_Chính_trị", "chỉnh_đốn_Đảng", "dân_vận_khéo", "Dân_vận_khéo", "nêu_gương",
        "cải_cách_hành_chính", "hệ_thống_chính_trị", "Phó_Bí_thư_Thường_trực",
        "Phó_Bí_thư_Thường_trực_Thành_ủy", "Mặt_trận_Tổ_quốc", "tổ_chức_cơ_sở_đảng",
        "Đảng_ủy_Khối", "Ban_Chấp_hành", "Ban_Cán_sự_đảng", "kiểm_tra_giám_sát",
        "phòng_chống_tham_nhũng", "tổ_chức_chính_trị-xã_hội", "dân_vận_chính_quyền",
        "học_tập_và_làm_theo_tư_tưởng_đạo_đức_phong_cách_Hồ_Chí_Minh", "Ủy_viên_Trung_ương_Đảng",
        "Nghị_quyết_Trung_ương_4", "chỉ_số_PAPI", "người_đứng_đầu",
    ],
    "001": [
        "35-CT/TW", "Ban_Thường_vụ", "Bí_thư_Tỉnh_ủy", "tự_diễn_biến", "tự_chuyển_hóa",
        "chuyển_đổi_số", "Tổng_Bí_thư", "phòng_chống_tham_nhũng", "sinh_hoạt_chi_bộ",
        "tổ_chức_cơ_sở_đảng", "Ban_Chấp_hành_Trung_ương_Đảng", "suy_thoái_tư_tưởng_chính_trị",
        "hệ_thống_chính_trị", "Đảng_ủy_Khối", "bảo_vệ_chính_trị_nội_bộ", "Bộ_Chính_trị",
        "Đại_hội_đại_biểu_toàn_quốc", "nhân_sự_đại_hội", "sinh_hoạt_chính_trị", "Tỉnh_ủy_viên",
    ],
    "002": [
        "01-CTr/TU", "55-QĐ/TW", "37-QĐ/TW", "Bộ_Chính_trị", "Ban_Chấp_hành_Trung_ương",
        "nêu_gương", "chỉnh_đốn_Đảng", "cải_cách_hành_chính", "Mặt_trận_Tổ_quốc", "Điều_lệ_Đảng",
        "Phó_Bí_thư_Thường_trực", "Phó_Bí_thư_Thành_ủy", "Ban_Thường_vụ", "Ủy_viên_Ban_Thường_vụ",
        "hệ_thống_chính_trị", "kiểm_tra_giám_sát", "phòng_chống_dịch", "Bí_thư_chi_bộ",
        "luân_chuyển_cán_bộ", "xây_dựng_Đảng", "Quận_ủy", "Thành_ủy",
    ],
    "003": [
        "nguyên_tắc", "tập_trung_dân_chủ", "cải_cách_hành_chính", "Covid-19", "phòng_chống_dịch",
        "Ban_Thường_vụ", "Ban_Chấp_hành", "hệ_thống_chính_trị", "Đại_hội_điểm", "Quận_ủy",
        "Bí_thư_Quận_ủy", "cấp_ủy_viên", "công_tác_cán_bộ", "công_tác_nhân_sự", "cán_bộ_chủ_chốt",
        "Ủy_viên_Bộ_Chính_trị", "Tổng_Bí_thư",
    ],
    "004": [
        "35-CT/TW", "26-HD/BTCTW", "05-CT/TW", "Bộ_Chính_trị", "Ban_Bí_thư", "Ban_Tổ_chức_Trung_ương",
        "Ủy_ban_Kiểm_tra_Trung_ương", "Ban_Thường_vụ", "Ủy_viên_Bộ_Chính_trị", "Đảng_ủy_Khối",
        "Đảng_ủy_Khối_các_cơ_quan_Trung_ương", "tự_diễn_biến", "tự_chuyển_hóa", "Văn_phòng_Trung_ương_Đảng",
        "Điều_lệ_Đảng", "sức_chiến_đấu", "kiểm_tra_giám_sát",
    ],
}


def _seed_text(seeds_dir: Path, prefix: str) -> str:
    (path,) = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_segments(seeds_dir):
    return {p: segment(_seed_text(seeds_dir, p)) for p in SEED_TOKENS}


# --------------------------------------------------------------------------- seeds
@pytest.mark.parametrize("prefix", sorted(SEED_TOKENS))
def test_seed_terms_are_single_tokens(seed_segments, prefix):
    tokens = {t for sent in seed_segments[prefix] for t in sent}
    missing = [t for t in SEED_TOKENS[prefix] if t not in tokens]
    assert not missing, f"seed {prefix}: not one token: {missing}"


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


def test_segment_without_lexicon_still_protects_codes():
    text = "Thực hiện Chỉ thị số 35-CT/TW, chống tự diễn biến, đẩy mạnh chuyển đổi số"
    flat = [t for s in segment(text, lexicon=False) for t in s]
    assert "35-CT/TW" in flat
    assert "tự_diễn_biến" not in flat and "chuyển_đổi_số" not in flat  # the bare CRF splits them
    flat = [t for s in segment(text) for t in s]
    assert "tự_diễn_biến" in flat and "chuyển_đổi_số" in flat


def test_lexicon_merge_rules():
    # a term is not glued when the CRF joins its last syllable to a lowercase word
    assert segment("công tác xây dựng Đảng bộ")[0][-2:] == ["xây_dựng", "Đảng_bộ"]
    assert "xây_dựng_Đảng" in segment("công tác xây dựng Đảng trong sạch")[0]
    # overlapping terms: the cover with most lexicon syllables wins (organ over title)
    assert segment("Phó Trưởng Ban Tổ chức Trung ương Nguyễn Thanh Bình")[0][-2:] == \
        ["Ban_Tổ_chức_Trung_ương", "Nguyễn_Thanh_Bình"]
    # Roman numerals stay apart from the noun they number
    assert segment("Ban Chấp hành khóa XII họp lần thứ XIII")[0] == \
        ["Ban_Chấp_hành", "khóa", "XII", "họp", "lần", "thứ", "XIII"]


# --------------------------------------------------------------------------- codes & variants
@pytest.mark.parametrize("raw, code", [
    ("Chỉ thị số 05-CT/TƯ", "05-CT/TW"),
    ("Quy định số 55-QÐ/TW", "55-QĐ/TW"),  # Icelandic Ð
    ("Hướng dẫn số 26-HD/BTCTW", "26-HD/BTCTW"),
    ("Chỉ thị 35 - CT / TW của", "35-CT/TW"),  # pre-tokenised corpora
    ("Nghị định 15/2020/NĐ-CP của", "15/2020/NĐ-CP"),
    ("Quyết định 1234/QĐ-UBND", "1234/QĐ-UBND"),
])
def test_document_code_variants(raw, code):
    assert code in [t for s in segment(raw) for t in s]


def test_dates_are_not_codes():
    flat = [t for s in segment("Ngày 14/11/2019, nhiệm kỳ 2020-2025, tỷ lệ 1/3.") for t in s]
    assert "14/11/2019" in flat and "1/3" in flat
    assert not any("-CT" in t for t in flat)


def test_variants_map_to_one_form():
    a = tokenize("Phòng, chống tham nhũng là nhiệm vụ")
    b = tokenize("phòng chống tham nhũng là nhiệm vụ")
    assert a == b and a[0] == "phòng_chống_tham_nhũng"
    assert tokenize("tự chuyển hoá")[0] == tokenize("tự chuyển hóa")[0] == "tự_chuyển_hóa"
    assert normalize_token("COVID-19") == normalize_token("covid-19") == "Covid-19"
    assert tokenize("Uỷ ban Kiểm tra")[0] == "Ủy_ban_Kiểm_tra"
    city = ["TP_Hồ_Chí_Minh"]
    assert tokenize("TP.HCM") == tokenize("TP. Hồ Chí Minh") == tokenize("Thành phố Hồ Chí Minh") == city
    assert tokenize("Chủ tịch Hồ Chí Minh") == ["chủ_tịch", "Hồ_Chí_Minh"]  # the person, not the city
    assert normalize_token("TP.") == "TP"


# --------------------------------------------------------------------------- case policy
@pytest.mark.parametrize("tok, initial, expected", [
    ("Hà_Nội", False, "Hà_Nội"),
    ("Hà_Nội", True, "Hà_Nội"),
    ("Tập_trung", True, "tập_trung"),
    ("Tập_trung", False, "tập_trung"),
    ("Thành_ủy", True, "Thành_ủy"),  # lexicon canonical form
    ("bộ_chính_trị", False, "Bộ_Chính_trị"),
    ("Chuyển_đổi_số", True, "chuyển_đổi_số"),
    ("HĐND", True, "HĐND"),
    ("TP", False, "TP"),
    ("35-CT/TW", False, "35-CT/TW"),
    ("05-CT/TƯ", False, "05-CT/TW"),
    ("Ngô_Thị_Thanh_Hằng", False, "Ngô_Thị_Thanh_Hằng"),
    ("CHỈ_ĐẠO", True, "chỉ_đạo"),  # headline capitals are not an acronym
    ("Mỹ", True, "Mỹ"),  # listed capitalised in lexicon_names.txt
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
    assert "phòng_chống_tham_nhũng" in both and "của" not in both and "đồng_chí" not in both
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
    assert not any(is_punct(t) for t in ["Hà_Nội", "2019", "35-CT/TW", "_", "chính_trị-xã_hội"][:3])


# --------------------------------------------------------------------------- resources
def test_lexicon_user_file_and_variants(tmp_path):
    user = tmp_path / "my_terms.txt"
    user.write_text("# my terms\nkinh tế tuần hoàn\nKTTH => kinh tế tuần hoàn\n", encoding="utf-8")
    lex = load_lexicon(user)
    assert isinstance(lex, Lexicon) and len(lex) > len(load_lexicon())
    assert "kinh tế tuần hoàn" in lex
    flat = [t for s in segment("Phát triển kinh tế tuần hoàn bền vững", lexicon=lex) for t in s]
    assert "kinh_tế_tuần_hoàn" in flat
    assert lex.digest != load_lexicon().digest
    only_user = load_lexicon(user, shipped=False)
    assert "Bộ Chính trị" not in only_user and len(only_user) == 2


def test_lexicon_size_and_format():
    lex = load_lexicon()
    assert 200 <= len(lex) <= 2000
    for term in ["chỉnh đốn Đảng", "tự diễn biến", "Bộ Chính trị", "Ban Bí thư",
                 "Bí thư Tỉnh ủy", "Phó Bí thư Thường trực", "chuyển đổi số", "tập trung dân chủ"]:
        assert term in lex, term
    with pytest.raises(ValueError):
        segment("x", lexicon="yes")


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
    # without lexicon variants (which may rewrite a phrase), every letter or digit
    # of the input survives, modulo case and tone placement
    toks = [t for s in segment(text, lexicon=False) for t in s]
    def letters(s):
        return sorted(c for c in s.lower() if c.isalnum())
    got = letters("".join(toks).replace("_", ""))
    assert len(got) == len(letters(text))
    assert tokenize(text) == tokenize(text)
