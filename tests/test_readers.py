"""readers: one record per input unit, from files, folders and globs (decoding: test_encodings)."""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_tools.readers import (
    FileDigests,
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


sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "load"))
from make_fixtures import to_cp1258  # noqa: E402


# -- random folder trees ---------------------------------------------------------------------------
_ARTICLE = ("Hội nghị Ban Chấp hành Đảng bộ tỉnh đã thảo luận và thông qua báo cáo chính trị "
            "trình Đại hội đại biểu Đảng bộ tỉnh lần thứ XX, nhiệm kỳ 2025 - 2030. ") * 3

_ENTRY = st.one_of(
    st.tuples(st.just("txt"), st.sampled_from(["utf-8", "utf-16", "cp1258", "empty", "binary"])),
    st.tuples(st.just("csv"), st.sampled_from(["ok", "nul", "ragged", "header-only"])),
    st.tuples(st.just("jsonl"), st.sampled_from(["ok", "bad-row", "truncated-gz"])),
    st.tuples(st.just("link"), st.sampled_from(["file", "dangling", "loop", "dir"])),
)


def _build_tree(root: Path, entries, odd_names: bool) -> None:
    import gzip
    import os
    sub = root / "a" / "b"
    sub.mkdir(parents=True)
    for i, (kind, variant) in enumerate(entries):
        folder = root if i % 3 == 0 else (root / "a" if i % 3 == 1 else sub)
        stem = f"f{i}" + ("_\udcff" if odd_names and i % 2 else "")
        if kind == "txt":
            data = {"utf-8": ("Tiêu đề\n\n" + _ARTICLE).encode("utf-8"),
                    "utf-16": ("Tiêu đề\n\n" + _ARTICLE).encode("utf-16"),
                    "cp1258": to_cp1258("Tiêu đề\n\n" + _ARTICLE), "empty": b"",
                    "binary": bytes(range(256)) * 4}[variant]
            (folder / f"{stem}.txt").write_bytes(data)
        elif kind == "csv":
            rows = {"ok": f'title,text\n"T{i}","{_ARTICLE}"\n',
                    "nul": f'title,text\n"T\x00{i}","{_ARTICLE}"\n"U{i}","{_ARTICLE} B."\n',
                    "ragged": f'title,text\n"T{i}","{_ARTICLE}",extra\n"U{i}","{_ARTICLE}"\n',
                    "header-only": "title,text\n"}[variant]
            (folder / f"{stem}.csv").write_bytes(rows.encode("utf-8"))
        elif kind == "jsonl":
            good = json.dumps({"title": f"T{i}", "text": _ARTICLE}, ensure_ascii=False)
            if variant == "truncated-gz":
                blob = gzip.compress((good + "\n" + good + "\n").encode("utf-8"))
                (folder / f"{stem}.jsonl.gz").write_bytes(blob[: len(blob) // 2])
            else:
                body = good + "\n" + ("{not json\n" if variant == "bad-row" else "") + good + "\n"
                (folder / f"{stem}.jsonl").write_text(body, encoding="utf-8")
        else:
            target = {"file": root / "target.txt", "dangling": folder / "nowhere.txt",
                      "loop": folder / f"{stem}.lnk", "dir": root / "a"}[variant]
            if variant == "file" and not target.exists():
                target.write_text("Tiêu đề\n\n" + _ARTICLE, encoding="utf-8")
            os.symlink(target, folder / f"{stem}.lnk")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(_ENTRY, min_size=1, max_size=8), odd_names=st.booleans())
def test_random_folder_trees_never_stop_the_batch(tmp_path_factory, entries, odd_names):
    """Odd names, links, empty and binary files, mixed encodings, bad rows: no
    exception, and every input is loaded or skipped with a reason."""
    import corpus_tools as ct
    root = tmp_path_factory.mktemp("tree")
    _build_tree(root, entries, odd_names)
    try:
        df, report = ct.load_with_report(root, progress=False)
    except ValueError as exc:  # every structured record lacks a text field: cannot happen here
        raise AssertionError(exc) from None
    assert report.inputs == report.loaded + report.skipped == len(report.units) >= 1
    assert report.loaded == len(df)
    assert all(u["reason"] for u in report.units if u["status"] == "skipped")
    df.to_parquet(root.parent / f"{root.name}.parquet")  # every name is printable


# -- one read: records and the file's digest from the same bytes -----------------------------------

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "load"


@pytest.mark.parametrize("limit", [None, 1, 5, 40])
def test_digests_of_the_read_equal_hashing_each_file_apart(limit):
    import hashlib
    d = FileDigests()
    with_digests = [(r.unit, r.text, r.fields, r.error) for r in read_records(FIXTURES, digests=d, limit=limit)]
    plain = [(r.unit, r.text, r.fields, r.error) for r in read_records(FIXTURES, limit=limit)]
    assert with_digests == plain
    assert d.digests  # every file the read reached, the one it stopped in included
    for name, digest in d.digests.items():
        assert digest == hashlib.sha256(Path(name).read_bytes()).hexdigest(), name
    reached = {r[0].split("#")[0] for r in plain}
    assert reached - {"%s" % p for p in d.digests} <= {str(p.as_posix()) for p in list_input_files(FIXTURES)
                                                        if detect_format(p) is None}


def test_digest_of_a_gzip_file_is_of_its_compressed_bytes(tmp_path):
    import hashlib
    p = tmp_path / "a.jsonl.gz"
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        for i in range(50):
            fh.write(json.dumps({"text": f"bài {i} " * 50}) + "\n")
    d = FileDigests()
    assert len(list(read_records(p, digests=d, limit=3))) == 3  # stops early; the digest is whole
    assert d.digests[p.as_posix()] == hashlib.sha256(p.read_bytes()).hexdigest()
