"""readers: one record per input unit, from files, folders and globs (decoding: test_encodings)."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from corpus_tools.readers import (
    detect_format,
    list_input_files,
    read_records,
)


# -- files and records ------------------------------------------------------------------------

def test_list_input_files_is_sorted_recursive_and_skips_hidden(tmp_path):
    for name in ["b/2.txt", "a/1.txt", "c.txt", ".hidden/x.txt", "a/.DS_Store"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    names = [p.relative_to(tmp_path).as_posix() for p in list_input_files(tmp_path)]
    assert names == ["a/1.txt", "b/2.txt", "c.txt"]
    assert [p.name for p in list_input_files(tmp_path / "a" / "*.txt")] == ["1.txt"]
    assert [p.name for p in list_input_files(str(tmp_path / "**" / "*.txt"))] == ["1.txt", "2.txt", "c.txt"]
    with pytest.raises(FileNotFoundError):
        list_input_files(tmp_path / "missing")


def test_detect_format(tmp_path):
    assert detect_format("x/a.txt") == "txt"
    assert detect_format("a.jsonl.gz") == "jsonl"
    assert detect_format("a.JSON") == "jsonl"
    assert detect_format("a.tsv") == "csv"
    assert detect_format("a.htm") == "html"
    assert detect_format("a.pdf") is None
    (tmp_path / "page").write_text("<!DOCTYPE html><html><body>x</body></html>", encoding="utf-8")
    (tmp_path / "scrape").write_text("Tiêu đề\n\nNội dung", encoding="utf-8")
    assert detect_format(tmp_path / "page") == "html"
    assert detect_format(tmp_path / "scrape") == "txt"


def test_jsonl_rows_are_units_with_line_numbers(tmp_path):
    p = tmp_path / "f.jsonl"
    p.write_text('{"text": "một"}\n\nnot json\n["list"]\n{"text": "hai"}\n', encoding="utf-8")
    recs = list(read_records(p))
    assert [r.unit.rsplit("#", 1)[1] for r in recs] == ["1", "3", "4", "5"]  # blank line 2 is no record
    assert [r.error is None for r in recs] == [True, False, False, True]
    assert "malformed JSON" in recs[1].error and "not an object" in recs[2].error
    assert recs[3].fields == {"text": "hai"}


def test_gzipped_jsonl_truncated_keeps_complete_lines(tmp_path):
    rows = [json.dumps({"text": f"bài số {i} " + "nội dung " * (i % 7)}, ensure_ascii=False) for i in range(500)]
    blob = gzip.compress(("\n".join(rows) + "\n").encode("utf-8"))
    p = tmp_path / "cut.jsonl.gz"
    p.write_bytes(blob[:-30])
    recs = list(read_records(p))
    good = [r for r in recs if r.error is None]
    assert len(good) >= 490 and recs[-1].error.startswith("file truncated")
    assert [r.fields["text"] for r in good] == [json.loads(x)["text"] for x in rows[: len(good)]]


def test_jsonl_array_and_utf16_file(tmp_path):
    p = tmp_path / "arr.json"
    p.write_text(json.dumps([{"text": "một"}, 3], ensure_ascii=False), encoding="utf-16")
    recs = list(read_records(p))
    assert recs[0].fields == {"text": "một"} and recs[0].encoding == "utf-16-le"
    assert "not an object" in recs[1].error


def test_pretty_printed_json_object_is_one_record(tmp_path):
    p = tmp_path / "one.json"
    p.write_text(json.dumps({"title": "Tiêu đề", "content": "Nội dung"}, ensure_ascii=False, indent=2), encoding="utf-8")
    (rec,) = read_records(p)
    assert rec.fields == {"title": "Tiêu đề", "content": "Nội dung"} and rec.unit == str(p)
    q = tmp_path / "lines.json"  # JSON Lines under a .json name still works
    q.write_text('{"text": "a"}\n{"text": "b"}\n', encoding="utf-8")
    assert [r.fields["text"] for r in read_records(q)] == ["a", "b"]


def test_csv_bad_rows_are_reported_and_big_fields_pass(tmp_path):
    big = "Đảng " * 60000  # beyond csv's default 128 kB field limit
    p = tmp_path / "t.csv"
    p.write_text(f'title,text\nA,"{big}"\nB,x,y\nC\n"D","dòng\nhai"\n', encoding="utf-8")
    recs = list(read_records(p))
    assert [r.error is None for r in recs] == [True, False, False, True]
    assert recs[0].fields["text"] == big
    assert recs[1].error == "bad CSV row: 3 fields, header has 2"
    assert recs[3].fields == {"title": "D", "text": "dòng\nhai"}
    assert recs[3].unit.endswith("#4")


def test_limit_counts_units(tmp_path):
    p = tmp_path / "f.jsonl"
    p.write_text("".join(json.dumps({"text": str(i)}) + "\n" for i in range(10)), encoding="utf-8")
    assert len(list(read_records(p, limit=3))) == 3
    assert list(read_records(p, limit=0)) == []
    with pytest.raises(ValueError):
        list(read_records(p, format="pdf"))


def test_html_through_trafilatura():
    (rec,) = read_records(Path(__file__).resolve().parent / "fixtures" / "load" / "article.html")
    assert rec.error is None
    f = rec.fields
    assert f["title"] == "Đảng bộ phường Phúc Xá tổ chức Đại hội lần thứ XIV"
    assert f["author"] == "Thanh Hà"
    assert f["outlet"] == "Hà Nội Mới"
    assert f["published"].startswith("2020-05-20")
    assert "Đại hội đã bầu 15 đồng chí" in f["text"]
    # navigation, related links and the footer are not main text
    for junk in ("Trang chủ", "Tin liên quan", "Bản quyền"):
        assert junk not in f["text"]


def test_html_declared_charset_is_a_fallback(tmp_path):
    page = ('<html><head><meta charset="{cs}"><title>T</title></head><body><article>'
            + "<p>Le comité central s'est réuni à Paris pour préparer le congrès du parti. " * 3
            + "</p></article></body></html>")
    p = tmp_path / "fr.html"
    p.write_bytes(page.format(cs="windows-1252").encode("cp1252"))  # not UTF-8, not Vietnamese
    (rec,) = read_records(p)
    assert rec.encoding == "windows-1252" and "comité" in rec.fields["text"]
    q = tmp_path / "stale.html"
    q.write_bytes(page.format(cs="iso-8859-1").encode("utf-8"))  # valid UTF-8 wins over a stale meta
    (rec,) = read_records(q)
    assert rec.encoding == "utf-8" and "comité" in rec.fields["text"]
