"""Tests for corpus_tools.clean: text steps, boilerplate rules, furniture, duplicates."""
from __future__ import annotations

import gzip
import itertools
import json
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import shared_corpus
from corpus_tools.clean import (
    BLOCK_REASONS,
    DEFAULT_STEPS,
    classify_line,
    clean_spaced_punctuation,
    clean_text,
    clean_tone_marks,
    clean_unicode,
    clean_whitespace,
    strip_diacritics,
)

ALL_STEPS = DEFAULT_STEPS + (clean_spaced_punctuation,)


def _jsonl(path, n):
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in itertools.islice(f, n):
            out.append(json.loads(line))
    return out


# --------------------------------------------------------------------------- unicode, whitespace


def test_clean_unicode():
    decomposed = unicodedata.normalize("NFD", "Đảng ủy")
    assert decomposed != "Đảng ủy"
    assert clean_unicode(decomposed) == "Đảng ủy"
    assert clean_unicode("Bí\u200bthư\ufeff") == "Bíthư"
    assert clean_unicode("Hà\u00a0Nội\r\nngày\rnay") == "Hà Nội\nngày\nnay"
    assert clean_unicode("a\x00b\x07c\td") == "abc\td"


def test_clean_whitespace():
    assert clean_whitespace("  Hà   Nội \t ngày \n\n   Đại  hội  ") == "Hà Nội ngày\n\nĐại hội"
    assert clean_whitespace("") == ""


# --------------------------------------------------------------------------- tone marks

OLD_NEW = [
    ("hoà", "hòa"), ("hoá", "hóa"), ("hoả", "hỏa"), ("hoạ", "họa"), ("toà", "tòa"), ("khoá", "khóa"),
    ("uỷ", "ủy"), ("Uỷ", "Ủy"), ("UỶ", "ỦY"), ("thuỷ", "thủy"), ("Thuỷ", "Thủy"), ("tuỳ", "tùy"),
    ("huỷ", "hủy"), ("luỹ", "lũy"), ("nguỵ", "ngụy"), ("khoẻ", "khỏe"), ("xoè", "xòe"),
    ("Hoà", "Hòa"), ("HOÀ", "HÒA"), ("hoà bình", "hòa bình"),
    ("Uỷ ban nhân dân, Thanh Thuỷ", "Ủy ban nhân dân, Thanh Thủy"),
]
UNCHANGED = ["hoàng", "Hoàng", "hoàn", "toàn", "ngoài", "xoáy", "quý", "quỹ", "Quý", "quà", "quả",
             "giữa", "thuyết", "khuya", "khuỷu", "Nguyễn", "hòa", "thủy", "của", "mùa", "lúa"]


@pytest.mark.parametrize("old, new", OLD_NEW)
def test_tone_marks_old_to_new(old, new):
    assert clean_tone_marks(old) == new


@pytest.mark.parametrize("word", UNCHANGED)
def test_tone_marks_leave_alone(word):
    assert clean_tone_marks(word) == word


def test_tone_marks_agree_with_underthesea():
    """On every word of a vietnews slice, tone placement agrees with underthesea.text_normalize."""
    from underthesea import text_normalize

    path = shared_corpus("vietnews_party.jsonl.gz")
    words = set()
    for rec in _jsonl(path, 150):
        words.update(re.findall(r"[^\W\d_]+", rec["content"]))
    changed = 0
    for w in sorted(words):
        ours, theirs = clean_tone_marks(w), text_normalize(w)
        changed += ours != w
        if ours != w or theirs != w:
            # underthesea also respells i/y ("qui" -> "quy"); that is not tone placement
            if strip_diacritics(theirs) == strip_diacritics(w):
                assert ours == theirs, w
    assert changed >= 10  # the slice does contain old-style spellings


# --------------------------------------------------------------------------- spaced punctuation


@pytest.mark.parametrize("spaced, joined", [
    ("Hà Nội , ngày 5/6", "Hà Nội, ngày 5/6"),
    ("( TTXVN )", "(TTXVN)"),
    ("Vũ “ nhôm ” : Thể hiện sự nghiêm minh !", "Vũ “nhôm”: Thể hiện sự nghiêm minh!"),
    ('theo " cơ chế " mới .', 'theo "cơ chế" mới.'),
    ("Chỉ thị số 35 - CT / TW", "Chỉ thị số 35-CT/TW"),
    ("Quyết định 123 / QĐ - TTg", "Quyết định 123/QĐ-TTg"),
    ("Chương trình số 01 - CTr / TU", "Chương trình số 01-CTr/TU"),
    ("dịch COVID - 19", "dịch COVID-19"),
    ("lúc 10 : 30 sáng", "lúc 10:30 sáng"),
    ("tăng 50 % so với", "tăng 50% so với"),
    ("các tổ chức chính trị - xã hội", "các tổ chức chính trị - xã hội"),
    ("nhiệm kỳ 2020 - 2025", "nhiệm kỳ 2020 - 2025"),
    ("năm 2019 : 30 người", "năm 2019: 30 người"),
])
def test_spaced_punctuation(spaced, joined):
    assert clean_spaced_punctuation(spaced) == joined


def test_spaced_punctuation_on_vietnews():
    path = shared_corpus("vietnews_party.jsonl.gz")
    lines = [ln for rec in _jsonl(path, 200) for ln in rec["content"].split("\n") if ln.strip()]
    assert len(lines) > 1000
    for ln in lines:
        out = clean_spaced_punctuation(ln)
        # it only ever removes spaces
        assert out.replace(" ", "") == ln.replace(" ", "")
        assert not re.search(r"\w [,.;:!?%)]", out), out
        assert "( " not in out and "“ " not in out
    sample = next(ln for ln in lines if "Vũ “ nhôm ”" in ln)
    assert "Vũ “nhôm”" in clean_spaced_punctuation(sample)


# --------------------------------------------------------------------------- idempotence

_viet = st.text(alphabet=st.sampled_from(list("aàáảãạoòóỏõọuùúủũụyỳýỷỹỵeèéẻẽẹhqtkOUYAH "
                                              ",.;:!?()“”\"/-–%0123456789\n\t\u00a0\u200bĐđ")))
_texts = st.one_of(st.text(), _viet)


@pytest.mark.parametrize("step", ALL_STEPS + (clean_text,), ids=lambda f: f.__name__)
@settings(max_examples=300, deadline=None)
@given(text=_texts)
def test_steps_idempotent(step, text):
    if step is clean_spaced_punctuation or step is clean_tone_marks:
        text = clean_unicode(text)  # these steps expect NFC input, as in clean_text
    once = step(text)
    assert step(once) == once


@settings(max_examples=300, deadline=None)
@given(text=_texts)
def test_clean_text_all_steps_idempotent(text):
    once = clean_text(text, steps=ALL_STEPS)
    assert clean_text(once, steps=ALL_STEPS) == once


def test_clean_text_validates_steps():
    with pytest.raises(ValueError):
        clean_text("x", steps=["not a function"])
    assert clean_text("  Uỷ  ban ") == "Ủy ban"
    assert clean_text(" a , b ", steps=ALL_STEPS) == "a, b"


# --------------------------------------------------------------------------- line rules


@pytest.mark.parametrize("line, reason", [
    ("Trang chủ / Thời sự / Tin tức", "breadcrumb"),
    ("Trang nhất | Chính trị | Xây dựng Đảng", "breadcrumb"),
    ("Tin khác", "related-articles"),
    ("Các bài viết khác", "related-articles"),
    ("Related articles", "related-articles"),
    ("Tin liên quan:", "related-articles"),
    ("Bài viết liên quan", "related-articles"),
    ("(0) Comments", "comment-widget"),
    ("Gửi bình luận", "comment-widget"),
    ("Mã xác thực không đúng.", "comment-widget"),
    ("Đánh giá:", "rating-widget"),
    ("lượt đánh giá: , trung bình: Bình luận", "rating-widget"),
    ("498 người đã bình chọn", "rating-widget"),
    ("Thống kê: 3.137.287", "counter"),
    ("Online: 54", "counter"),
    ("Xem phiên bản mobile", "mobile-link"),
    ("POWERED BY ONECMS - A PRODUCT OF NEKO", "powered-by"),
    ("TAG: Hà Nội quận Thanh Xuân Đại hội đảng", "tag-line"),
    ("Từ khóa: đại hội, Đảng bộ", "tag-line"),
    ("z5868466591461_cb0ac391548a8c786e6d83082e1607a6.jpg", "image-file"),
    ("chi dao sau sat kip thoi cac don vi con vuong mac", "unaccented-slug"),
    ("18 ngày trước", "relative-time"),
    ("1 tháng trước", "relative-time"),
    ("• Hội nghị Ban Thường vụ Đảng ủy Khối các cơ quan Trung ương (1 tháng trước)", "headline-list"),
    ("© 2021 Báo Sông Hồng Online. Ghi rõ nguồn khi phát hành lại.", "copyright"),
])
def test_classify_line(line, reason):
    assert classify_line(line) == reason


@pytest.mark.parametrize("line", [
    "Đảng bộ Khối đã tích cực triển khai công tác dân vận chính quyền.",
    "Kinh nghiệm từ Đại hội điểm cấp cơ sở",
    "NGỌC DIỆP",
    "26/09/2024, 09:59",
    "Nội dung: Sáng 12/3/2021, Đại hội đã khai mạc.",
    "Đánh giá cao những kết quả đạt được trong thời gian qua",
    "Chỉ thị số 35-CT/TW của Bộ Chính trị",
    "",
])
def test_classify_line_keeps_text(line):
    assert classify_line(line) is None


def test_block_reasons():
    assert "related-articles" in BLOCK_REASONS
    assert "breadcrumb" not in BLOCK_REASONS


# --------------------------------------------------------------------------- furniture


# --------------------------------------------------------------------------- duplicates


