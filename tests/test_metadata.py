"""Tests for corpus_tools.metadata: dates, bylines, outlets and line roles against gold.json."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_tools.clean import clean_text, find_furniture
from corpus_tools.metadata import ROLES, extract_article


def _read(seeds_dir, name):
    return (seeds_dir / name).read_text(encoding="utf-8").splitlines()


def _lines_with(roles, *wanted):
    return sorted(i + 1 for i, r in enumerate(roles) if r in wanted)


# --------------------------------------------------------------------------- gold


@pytest.fixture(scope="module")
def extracted(gold, seeds_dir):
    return {name: (extract_article(_read(seeds_dir, name)), _read(seeds_dir, name)) for name in gold}


def _gold_names():
    return ["000_f23101a21aae722f.txt", "001_264fb15b8dfde1df.txt", "002_b547aa169f91efc9.txt",
            "003_6c8da969f6df74a9.txt", "004_90ddfd1562c07cf7.txt"]


@pytest.mark.parametrize("name", _gold_names())
def test_gold_metadata(name, gold, extracted):
    g = gold[name]
    r, _ = extracted[name]
    assert r["title"] == g["title"]
    assert r["author"] == g["author"]
    assert r["outlet"] == g["outlet"]
    assert r["date_source"] == g["date_source"]
    want = pd.Timestamp(g["published"])
    assert r["published"] == want
    assert r["date_precision"] == ("minute" if "T" in g["published"] else "day")


@pytest.mark.parametrize("name", _gold_names())
def test_gold_line_roles(name, gold, extracted):
    g = gold[name]
    r, lines = extracted[name]
    roles = r["roles"]
    assert len(roles) == len(lines)
    assert set(roles) <= set(ROLES)
    assert _lines_with(roles, "body", "heading") == sorted(g["body"])
    assert _lines_with(roles, "heading") == sorted(g["headings"])
    assert _lines_with(roles, "caption") == sorted(g["captions"])
    # gold.json marks blank line 30 of sample 001 as boilerplate but leaves the blank lines
    # inside the related-articles block of sample 004 unmarked; blank lines carry no text,
    # so compare the non-blank ones
    blank = {i + 1 for i, ln in enumerate(lines) if not ln.strip()}
    assert _lines_with(roles, "boilerplate") == sorted(set(g["boilerplate"]) - blank)
    if g.get("title_line"):
        assert roles[g["title_line"] - 1] == "title"
    if g.get("author_line"):
        assert roles[g["author_line"] - 1] in ("author", "meta")
    for ln in g.get("meta_lines", []):
        assert roles[ln - 1] == "meta"
    for ln in g.get("outlet_lines", []):
        assert roles[ln - 1] == "outlet"


@pytest.mark.parametrize("name", _gold_names())
def test_gold_paragraphs_and_audit(name, gold, extracted):
    g = gold[name]
    r, lines = extracted[name]
    assert len(r["paragraphs"]) == len(g["body"])
    assert len(r["captions"]) == len(g["captions"])
    for ln, prefix in g.get("body_prefix_drop", {}).items():
        raw = lines[int(ln) - 1]
        assert raw.startswith(prefix)
        para = r["paragraphs"][sorted(g["body"]).index(int(ln))]
        assert para == raw[len(prefix):].strip()
        assert {"line": int(ln), "text": prefix, "reason": "outlet-prefix"} in r["removed"]
    # every non-blank line that is not kept is in the audit trail, with a reason
    removed_lines = {d["line"] for d in r["removed"] if d["reason"] not in ("outlet-prefix",)}
    kept = set(g["body"]) | set(g["captions"])
    nonblank = {i + 1 for i, ln in enumerate(lines) if ln.strip()}
    assert removed_lines == nonblank - kept
    assert all(d["reason"] for d in r["removed"])


def test_gold_reasons_readable(extracted):
    r, _ = extracted["001_264fb15b8dfde1df.txt"]
    reasons = {d["line"]: d["reason"] for d in r["removed"]}
    assert reasons[1] == "title"
    assert reasons[3] == "date-line"
    assert reasons[13] == "image-file"
    assert reasons[25] == "byline"
    assert reasons[27] == "related-articles"
    r, _ = extracted["000_f23101a21aae722f.txt"]
    reasons = {d["line"]: d["reason"] for d in r["removed"]}
    assert reasons[20] == "unaccented-slug"
    assert reasons[43] == "outlet-signature"
    assert reasons[44] == "mobile-link"


# --------------------------------------------------------------------------- bylines, outlets


def _article(*body, head=("Tiêu đề bài viết về Đại hội Đảng bộ tỉnh", "", "12/03/2021 08:30", "")):
    para = ("Sáng 12/3, Đại hội đại biểu Đảng bộ tỉnh lần thứ XX đã khai mạc trọng thể với sự tham dự "
            "của 350 đại biểu đại diện cho hơn 50 nghìn đảng viên trong toàn Đảng bộ tỉnh.")
    return list(head) + [para, ""] + list(body)


@pytest.mark.parametrize("line, author", [
    ("NGỌC DIỆP", "Ngọc Diệp"),
    ("A.H", "A.H"),
    ("Nguyễn Hợp", "Nguyễn Hợp"),
    ("TRẦN VĂN AN - LÊ HÀ", "Trần Văn An - Lê Hà"),
])
def test_byline_at_end(line, author):
    r = extract_article(_article(line))
    assert r["author"] == author
    assert r["roles"][-1] == "author"


def test_byline_before_date_and_not_a_sentence():
    r = extract_article(["Tiêu đề bài viết", "", "Hồng Thái 26-04-2020 10:11",
                         "Nội dung bài viết dài hơn mười hai chữ để là một đoạn văn bình thường của bài báo."])
    assert r["author"] == "Hồng Thái" and r["published"] == pd.Timestamp("2020-04-26 10:11")
    r = extract_article(_article("Đại hội kết thúc tốt đẹp."))
    assert r["author"] is None


def test_related_block_ends_article_but_not_a_menu_above_it():
    lines = ["Tiêu điểm", "Tin mới nhất", "", "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12", "",
             "Sáng 12/3/2021, Ban Chấp hành Đảng bộ tỉnh tổ chức hội nghị lần thứ 12 để đánh giá kết quả "
             "thực hiện nhiệm vụ quý I và triển khai nhiệm vụ trọng tâm quý II năm 2021 với nhiều nội dung.",
             "Hội nghị thống nhất các giải pháp trọng tâm.", "", "Tin liên quan",
             "Một bài báo khác về hội nghị cán bộ", "Thêm một bài báo khác nữa"]
    r = extract_article(lines)
    assert r["title"] == "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12"
    assert len(r["paragraphs"]) == 2
    assert r["roles"][:2] == ["boilerplate", "boilerplate"]
    assert r["roles"][-3:] == ["boilerplate"] * 3
    assert {d["reason"] for d in r["removed"] if d["line"] >= 10} == {"after-related-articles"}


def test_outlet_signature_and_prefix():
    r = extract_article(_article("Tuổi trẻ Thủ đô"))
    assert r["outlet"] == "Tuổi trẻ Thủ đô" and r["roles"][-1] == "outlet"
    r = extract_article(_article("(Theo TTXVN)"))
    assert r["outlet"] == "TTXVN"
    lines = _article()
    lines[4] = "Kinhtedothi - " + lines[4]
    r = extract_article(lines)
    assert r["outlet"] == "Kinh tế & Đô thị"
    assert r["paragraphs"][0].startswith("Sáng 12/3")


@pytest.mark.parametrize("line, author, outlet", [
    ("Nhật LinhTheo Reuters", "Nhật Linh", "Reuters"),  # a lost line break, as dantri scrapes have
    ("Theo Ngọc HàVietNamNet", "Ngọc Hà", "VietNamNet"),
    ("Theo VnExpress", None, "VnExpress"),
    ("(Nguồn: TTXVN)", None, "TTXVN"),
])
def test_glued_signatures(line, author, outlet):
    r = extract_article(_article(line))
    assert (r["author"], r["outlet"]) == (author, outlet)
    assert r["roles"][-1] == "outlet"


@pytest.mark.parametrize("line", ["Ông Nguyễn Văn Hoà.", "Theo dõi chúng tôi trên Zalo để nhận tin",
                                  "Phó Đô đốc Nguyễn Văn Tình", "Đại hội kết thúc tốt đẹp."])
def test_not_a_byline(line):
    r = extract_article(_article(line))
    assert r["author"] is None and r["outlet"] is None


def test_known_fields_win():
    lines = ["Tiêu đề bài viết về Đại hội", "", "Nội dung: Sáng 12/3/2021, Đại hội đã khai mạc trọng thể."]
    r = extract_article(lines, known={"title": "Tiêu đề bài viết về Đại hội", "published": "2021-03-13",
                                      "url": "http://x.vn/a", "outlet": "Nhân Dân"})
    assert r["title"] == "Tiêu đề bài viết về Đại hội"
    assert r["roles"][0] == "title" and r["removed"][0]["reason"] == "title-repeat"
    assert r["published"] == pd.Timestamp("2021-03-13") and r["date_source"] == "field"
    assert r["outlet"] == "Nhân Dân" and r["url"] == "http://x.vn/a"
    assert r["paragraphs"] == ["Nội dung: Sáng 12/3/2021, Đại hội đã khai mạc trọng thể."]


@pytest.mark.parametrize("value, expected, precision", [
    ("2013-10-23", "2013-10-23", "day"),
    ("2021-04-05T10:00:00+00:00", "2021-04-05 17:00", "minute"),  # UTC -> Vietnam local time
    ("26/09/2024, 09:59", "2024-09-26 09:59", "minute"),
    (1700000000, "2023-11-15 05:13:20", "minute"),  # Unix seconds
    (1700000000000, "2023-11-15 05:13:20", "minute"),  # Unix milliseconds
    ("2020-05", "2020-05-01", "month"),  # ISO at its precision
    ("không rõ", None, None),
    (float("nan"), None, None),
    (True, None, None),
    (-9223372036854775809, None, None),
    (5, None, None),  # not a plausible Unix time
])
def test_known_published_values(value, expected, precision):
    r = extract_article(["Tiêu đề", "Nội dung bài viết."], known={"published": value})
    if expected is None:
        assert r["published"] is None and r["date_source"] is None
    else:
        assert r["published"] == pd.Timestamp(expected)
        assert (r["date_precision"], r["date_source"]) == (precision, "field")


def test_furniture_from_unseen_site(fixtures_dir):
    """Six fake articles of a site no rule knows: its chrome is learnt from repetition."""
    paths = sorted((fixtures_dir / "clean" / "unseen_site").glob("*.txt"))
    docs = [p.read_text(encoding="utf-8").splitlines() for p in paths]
    fur = find_furniture(docs)
    r = extract_article(docs[2], furniture=fur)
    assert r["title"] == "Kiểm tra công tác phát triển đảng viên tại cơ sở"
    assert r["published"] == pd.Timestamp("2021-04-21 09:05") and r["date_source"] == "header"
    assert r["author"] == "Quang Huy"  # a recurring byline position, still a byline
    assert r["paragraphs"] == [
        "Ngày 21/4, đoàn kiểm tra của Ủy ban Kiểm tra Tỉnh ủy làm việc với Đảng ủy xã về công tác phát triển đảng viên.",
        "Đoàn đề nghị Đảng ủy xã tiếp tục quan tâm bồi dưỡng quần chúng ưu tú, nhất là đoàn viên thanh niên.",
    ]
    reasons = {d["line"]: d["reason"] for d in r["removed"]}
    assert reasons[1] == "furniture"  # site name
    assert reasons[14] == "counter"  # "Lượt xem: 1428", by rule
    assert reasons[15] == "furniture"  # "Theo dõi ... trên Zalo"
    assert {"line": 8, "text": "SHO - ", "reason": "furniture-prefix"} in r["removed"]
    # without the learnt furniture the site name is mistaken for the title
    assert extract_article(docs[2])["title"] != r["title"]


# --------------------------------------------------------------------------- robustness


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(), max_size=30))
def test_extract_article_never_raises(lines):
    r = extract_article(lines)
    assert len(r["roles"]) == len(lines)
    assert set(r["roles"]) <= set(ROLES)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_extract_article_never_raises_on_text(text):
    lines = text.splitlines()
    r = extract_article(lines)
    assert len(r["roles"]) == len(lines)
    # what comes out is clean: cleaning it again changes nothing
    for p in r["paragraphs"] + r["captions"]:
        assert clean_text(p) == p


def test_paragraphs_are_clean_text(extracted):
    for r, _ in extracted.values():
        assert r["paragraphs"] and all(clean_text(p) == p and p == p.strip() for p in r["paragraphs"])


def test_extract_article_empty():
    r = extract_article([])
    assert r["paragraphs"] == [] and r["title"] is None and r["published"] is None and r["roles"] == []
