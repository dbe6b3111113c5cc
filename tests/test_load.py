"""load_articles end to end: seeds against gold, encodings, accounting, shared corpora."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import shared_corpus
import corpus_tools as ct
from corpus_tools.fields import COLUMN_PRESETS
from corpus_tools.load import ARTICLE_COLUMNS, IngestReport, load_articles

FIX = Path(__file__).resolve().parent / "fixtures" / "load"


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    return load_articles(seeds_dir, progress=False)


# -- the bundled seeds against gold.json ---------------------------------------------------------

def test_every_seed_loads(seeds, seeds_dir):
    report = seeds.attrs["report"]
    assert report.inputs == 5 and report.loaded == 5 and report.skipped == 0
    assert list(seeds.columns) == list(ARTICLE_COLUMNS)
    assert [Path(p).name for p in seeds["source_path"]] == sorted(p.name for p in seeds_dir.glob("*.txt"))


def test_seed_metadata_matches_gold(seeds, gold):
    for _, row in seeds.iterrows():
        g = gold[Path(row.source_path).name]
        assert (None if pd.isna(row.title) else row.title) == g["title"], row.source_path
        assert row.published == pd.Timestamp(g["published"]), row.source_path
        assert row.date_source == g["date_source"], row.source_path
        assert (None if pd.isna(row.author) else row.author) == g["author"], row.source_path
        assert (None if pd.isna(row.outlet) else row.outlet) == g["outlet"], row.source_path
        assert row.date_precision == ("minute" if "T" in g["published"] else "day")


def test_seed_text_has_body_not_captions_or_boilerplate(seeds, seeds_dir, gold):
    for _, row in seeds.iterrows():
        name = Path(row.source_path).name
        g = gold[name]
        raw = (seeds_dir / name).read_text(encoding="utf-8").splitlines()
        paras = set(row.text.split("\n"))
        assert row.text == "\n".join(row.paragraphs)
        assert len(row.paragraphs) == len(g["body"]), name
        for n in g["captions"]:
            cap = " ".join(raw[n - 1].split())
            assert cap not in paras, (name, n)
            assert cap in row.captions, (name, n)
        for n in g["boilerplate"]:
            line = " ".join(raw[n - 1].split())
            assert line not in paras, (name, n)
        # every non-blank boilerplate line is recorded as removed, with a reason
        removed_lines = {r["line"] for r in row.removed}
        assert {n for n in g["boilerplate"] if raw[n - 1].strip()} <= removed_lines, name
        for n in g.get("body_prefix_drop", {}):
            assert not any(p.startswith("Kinhtedothi") for p in row.paragraphs)
        # every removal says why
        assert all(r["reason"] for r in row.removed)


def test_doc_ids_are_stable_hex_and_unique(seeds, seeds_dir):
    again = load_articles(seeds_dir, progress=False)
    assert seeds["doc_id"].tolist() == again["doc_id"].tolist()
    assert seeds["doc_id"].str.fullmatch(r"[0-9a-f]{16}").all()
    assert seeds["doc_id"].is_unique


# -- encodings ----------------------------------------------------------------------------------

def test_same_article_in_every_encoding_loads_to_the_same_text():
    df = load_articles(FIX / "encodings", progress=False)
    report = df.attrs["report"]
    assert report.loaded == 5
    by_enc = {u["encoding"] for u in report.units}
    assert by_enc == {"utf-8", "utf-8-bom", "utf-16-le", "windows-1258"}
    assert df["text"].nunique() == 1 and df["title"].nunique() == 1
    assert df.loc[0, "title"] == "Hội nghị Ban Chấp hành Đảng bộ huyện Đông Anh lần thứ 12"
    assert "“nói đi đôi với làm”" in df.loc[0, "text"]
    # identical content: distinct ids (downstream keys), one kept, the rest flagged
    assert df["doc_id"].is_unique
    assert df["is_duplicate"].tolist() == [False, True, True, True, True]
    assert set(df.loc[df.is_duplicate, "duplicate_of"]) == {df.loc[0, "doc_id"]}


def test_random_bytes_are_skipped_with_a_reason(tmp_path):
    (tmp_path / "noise.txt").write_bytes(bytes(range(128, 256)) * 3)
    df, report = ct.load_with_report(tmp_path, progress=False)
    assert isinstance(df, pd.DataFrame) and report is df.attrs["report"]
    assert len(df) == 0 and list(df.columns)[:15] == list(ARTICLE_COLUMNS)
    assert ct.load_articles(tmp_path, progress=False).attrs["report"] == report
    (unit,) = report.units
    assert unit["status"] == "skipped" and unit["reason"].startswith("undecodable")


# -- accounting ---------------------------------------------------------------------------------

def _check_accounting(report: IngestReport, df: pd.DataFrame) -> None:
    assert report.inputs == report.loaded + report.skipped == len(report.units)
    assert report.loaded == len(df)
    loaded_ids = [u["doc_id"] for u in report.units if u["status"] == "loaded"]
    assert sorted(loaded_ids) == sorted(df["doc_id"])
    for u in report.units:
        if u["status"] == "skipped":
            assert isinstance(u["reason"], str) and u["reason"], u


def test_mixed_folder_accounts_for_every_unit():
    df = load_articles(FIX / "mixed", progress=False)
    report = df.attrs["report"]
    _check_accounting(report, df)
    units = {Path(u["unit"].split("#")[0]).name + ("#" + u["unit"].split("#")[1] if "#" in u["unit"] else ""): u
             for u in report.units}
    # 11 files; feed.jsonl has 6 records, feed2 2, table.csv 4 data rows, truncated.jsonl.gz 39 + the cut
    assert report.inputs == 60
    assert report.loaded == 47 and report.skipped == 13

    def reason(key):
        assert units[key]["status"] == "skipped", key
        return units[key]["reason"]

    assert reason("empty.txt") == "empty file"
    assert "whitespace" in reason("blank.txt")
    assert "binary" in reason("binary.txt")
    assert "undecodable" in reason("noise.txt")
    assert "unknown format" in reason("notes.xyz")
    assert "no body text" in reason("only_boilerplate.txt")
    assert "malformed JSON" in reason("feed.jsonl#2")
    assert "not an object" in reason("feed.jsonl#3")
    assert "no text field" in reason("feed.jsonl#4")
    assert "malformed JSON" in reason("feed2.jsonl.gz#2")
    assert reason("table.csv#2") == "bad CSV row: 4 fields, header has 3"
    assert reason("table.csv#3") == "bad CSV row: 1 fields, header has 3"
    assert reason("truncated.jsonl.gz#40").startswith("file truncated")
    # missing or unreadable dates still load, with a note
    assert units["feed.jsonl#6"]["status"] == "loaded" and "no date found" in units["feed.jsonl#6"]["notes"]
    assert any(n.startswith("unparsed date field") for n in units["feed.jsonl#5"]["notes"])
    row = df[df.source_path.str.endswith("feed.jsonl#6")].iloc[0]
    assert pd.isna(row.published) and pd.isna(row.date_source)
    # the gz copy of feed.jsonl#1 is an exact duplicate
    assert "duplicate of" in " ".join(units["feed2.jsonl.gz#1"]["notes"])
    assert report["skip_reasons"]["bad CSV row"] == 2


def test_dedupe_drop_reports_copies_as_skipped():
    df = load_articles(FIX / "mixed", progress=False, dedupe="drop")
    report = df.attrs["report"]
    _check_accounting(report, df)
    assert report.inputs == 60 and report.loaded == 46 and report.skipped == 14
    dropped = [u for u in report.units if u["status"] == "skipped" and u["reason"].startswith("duplicate of")]
    assert len(dropped) == 1 and dropped[0]["unit"].endswith("feed2.jsonl.gz#1")
    assert not df["is_duplicate"].any()
    none = load_articles(FIX / "mixed", progress=False, dedupe="none")
    assert not none["is_duplicate"].any() and len(none) == 47


def test_report_is_written_and_serialisable(tmp_path):
    df = load_articles(FIX / "mixed", progress=False, report_dir=tmp_path / "processed")
    report = df.attrs["report"]
    data = json.loads((tmp_path / "processed" / "ingest_report.json").read_text(encoding="utf-8"))
    assert data["inputs"] == 60 and data["loaded"] + data["skipped"] == 60
    assert len(data["units"]) == 60
    table = pd.read_csv(tmp_path / "processed" / "ingest_report.csv")
    assert len(table) == 60 and set(table["status"]) == {"loaded", "skipped"}
    assert "60 input units: 47 loaded, 13 skipped" in report.summary()
    # df.to_parquet stores df.attrs as JSON: the report must not break it
    df.drop(columns=["removed"]).to_parquet(tmp_path / "a.parquet")
    # frames derived from the loaded one share the report rather than copying it
    assert df[df.is_duplicate].attrs["report"] is report


_EXTS = st.sampled_from([".txt", ".jsonl", ".csv", ".html", ".json", ".jsonl.gz", ""])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), ext=_EXTS)
def test_never_raises_on_arbitrary_bytes(tmp_path_factory, data, ext):
    d = tmp_path_factory.mktemp("bytes")
    (d / f"input{ext}").write_bytes(data)
    _load_or_no_text_error(d)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=2000), ext=_EXTS)
def test_never_raises_on_arbitrary_text(tmp_path_factory, text, ext):
    d = tmp_path_factory.mktemp("text")
    (d / f"input{ext}").write_text(text, encoding="utf-8", errors="surrogatepass")
    _load_or_no_text_error(d)


def _load_or_no_text_error(d):
    """Loads and accounts for every input, or raises the one documented error: the
    input is records (JSON objects, CSV rows) and none of them has a text field."""
    try:
        df = load_articles(d, progress=False)
    except ValueError as exc:
        assert "no text field" in str(exc) and "columns=" in str(exc), exc
        return
    _check_accounting(df.attrs["report"], df)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.dictionaries(
    st.sampled_from(["title", "text", "content", "date", "url", "author", "x"]),
    st.one_of(st.text(max_size=200), st.integers(), st.floats(), st.none(), st.lists(st.text(max_size=20), max_size=3)),
), max_size=8))
def test_never_raises_on_arbitrary_json_records(tmp_path_factory, rows):
    d = tmp_path_factory.mktemp("json")
    (d / "f.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    try:
        df = load_articles(d, progress=False)
    except ValueError as exc:  # the one documented error: no record has a text field
        assert "no text field" in str(exc) and "columns=" in str(exc)
        assert not any(k in r for r in rows for k in ("text", "content"))
        return
    _check_accounting(df.attrs["report"], df)
    assert df.attrs["report"].inputs == max(len(rows), 1)  # an empty file is one skipped unit


# -- structured inputs --------------------------------------------------------------------------

def test_csv_with_column_mapping(tmp_path):
    p = tmp_path / "export.csv"
    p.write_text(
        "ma;tieu_de_bai;ngay_dang;noi_dung_bai;chuyen_muc\n"
        "7;Tỉnh ủy họp phiên thường kỳ;26/09/2024 09:59;Sáng 26/9, Tỉnh ủy họp phiên thường kỳ tháng 9.\\nHội nghị bàn công tác cán bộ.;Chính trị\n",
        encoding="utf-8")
    p.write_text(p.read_text(encoding="utf-8").replace("\\n", " "), encoding="utf-8")
    df = load_articles(p, progress=False,
                       columns={"text": "noi_dung_bai", "title": "tieu_de_bai", "published": "ngay_dang"})
    row = df.iloc[0]
    assert row.title == "Tỉnh ủy họp phiên thường kỳ"
    assert row.published == pd.Timestamp("2024-09-26 09:59") and row.date_source == "field"
    assert row.text.startswith("Sáng 26/9, Tỉnh ủy họp")
    assert list(df.columns) == list(ARTICLE_COLUMNS) + ["ma", "chuyen_muc"]
    assert row.chuyen_muc == "Chính trị"


def test_bad_options_raise_clear_errors():
    with pytest.raises(ValueError, match="dedupe"):
        load_articles(FIX / "encodings", dedupe="maybe")
    with pytest.raises(ValueError, match="preset"):
        load_articles(FIX / "encodings", columns="nytimes")
    with pytest.raises(ValueError, match="unknown names"):
        load_articles(FIX / "encodings", columns={"body": "content"})
    with pytest.raises(ValueError, match="format"):
        load_articles(FIX / "encodings", format="pdf")
    with pytest.raises(FileNotFoundError):
        load_articles(FIX / "no-such-folder")


def test_html_page_through_trafilatura():
    df = load_articles(FIX / "article.html", progress=False)
    row = df.iloc[0]
    assert row.title == "Đảng bộ phường Phúc Xá tổ chức Đại hội lần thứ XIV"
    assert row.author == "Thanh Hà" and row.outlet == "Hà Nội mới"  # the name of outlets.tsv
    assert row.published == pd.Timestamp("2020-05-20 09:15") and row.date_source == "field"
    assert row.text.startswith("Ngày 20/5, Đảng bộ phường Phúc Xá")
    assert len(row.paragraphs) == 3
    for junk in ("Trang chủ", "Tin liên quan", "Bản quyền", "Quận Ba Đình hoàn thành"):
        assert junk not in row.text


def test_glob_and_limit():
    df = load_articles(str(FIX / "mixed" / "*.jsonl"), progress=False)
    assert df.attrs["report"].inputs == 6
    df = load_articles(FIX / "mixed" / "truncated.jsonl.gz", progress=False, limit=5)
    assert df.attrs["report"].inputs == 5 and len(df) == 5


# -- the shared corpora: one call each, on a slice ----------------------------------------------

@pytest.mark.shared
@pytest.mark.parametrize("name, preset, dated, extras", [
    ("vietnews_party.jsonl.gz", "vietnews", False, ["id", "summary"]),
    ("unc_dantri.jsonl.gz", "unc_dantri", True, ["id", "category"]),
    ("baomoi_2013.jsonl.gz", "baomoi", True, ["id", "cluster", "category", "summary"]),
])
def test_shared_corpus_loads_with_one_call(name, preset, dated, extras):
    path = shared_corpus(name)
    df = load_articles(path, progress=False, limit=300)
    report = df.attrs["report"]
    assert report.inputs == 300 and report.loaded + report.skipped == 300
    assert report.loaded >= 295
    assert list(df.columns) == list(ARTICLE_COLUMNS) + extras
    assert df["title"].notna().all() and (df["text"].str.len() > 100).mean() > 0.95
    if dated:
        assert df["published"].notna().all()
        assert (df["date_source"] == "field").all()
        assert df["published"].dt.year.between(2012, 2021).all()
        assert df["outlet"].notna().all()  # from the URL (baomoi: the original outlet)
    # pre-tokenised spacing ("Hà Nội , ngày") is restored where the corpus has it
    assert df["text"].str.count(r"\w , ").sum() < 0.01 * df["text"].str.count(",").sum()
    assert not df["title"].str.contains(r"\w :", regex=True).any()
    # old-style tone marks are normalised
    assert not df["text"].str.contains(r"\b(?:hoà|uỷ|thuỷ)\b", regex=True).any()
    # the preset and auto-detection agree
    same = load_articles(path, progress=False, limit=50, columns=preset)
    pd.testing.assert_frame_equal(same, load_articles(path, progress=False, limit=50))


@pytest.mark.shared
def test_baomoi_outlet_comes_from_the_aggregated_url():
    df = load_articles(shared_corpus("baomoi_2013.jsonl.gz"), progress=False, limit=100)
    for url, outlet in zip(df["url"], df["outlet"]):
        m = re.search(r"/Home/[^/]+/(?:www\.)?([a-z0-9.-]+\.[a-z]+)/", url)
        # the original outlet when the URL names it, else the aggregator itself
        assert outlet == ct.outlet_name(m.group(1) if m else "baomoi.com"), url
    assert (df["outlet"] != "Báo Mới").mean() > 0.7  # 78 of the first 100


def test_presets_are_documented():
    assert set(COLUMN_PRESETS) == {"vietnews", "unc_dantri", "baomoi"}
    for preset in COLUMN_PRESETS.values():
        assert "text" in preset


def _odd_folder(root: Path) -> Path:
    """A folder as real scrapes come: a file name that is not UTF-8, a link loop, a
    dangling link and a CSV with one stray NUL byte."""
    import os
    text = ("Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12 đã bế mạc sau hai ngày làm việc "
            "khẩn trương, nghiêm túc, thảo luận các báo cáo của Ban Thường vụ. ")
    d = root / "odd"
    d.mkdir()
    (d / "ok.txt").write_text("Bài thứ nhất về hội nghị\n\n" + text * 4, encoding="utf-8")
    with open(os.path.join(os.fsencode(d), b"b\xe0i_vi\xeat.txt"), "wb") as fh:
        fh.write(("Bài thứ hai về hội nghị tỉnh\n\n" + text * 3 + "Khác. " * 9).encode("utf-8"))
    os.symlink(d / "loop", d / "loop")
    os.symlink(d / "missing.txt", d / "dangling.txt")
    rows = "title,content\n" + "".join(f'"Tiêu đề {i}","{text * (i + 2)} Bài {i}."\n' for i in range(3))
    (d / "export.csv").write_bytes(rows.replace("Tiêu đề 1", "Tiêu đề\x00 1").encode("utf-8"))
    return d


def test_odd_names_links_and_a_nul_byte_are_all_accounted_for(tmp_path):
    d = _odd_folder(tmp_path)
    df, report = ct.load_with_report(d, progress=False)
    _check_accounting(report, df)
    units = {u["unit"].rsplit("/", 1)[-1]: u for u in report.units}
    assert units["loop"]["reason"] == "symbolic link loop"
    assert units["dangling.txt"]["reason"] == "broken symbolic link"
    odd = units["b\\xe0i_vi\\xeat.txt"]  # printable, so every table can hold it
    assert odd["status"] == "loaded" and any("not valid UTF-8" in n for n in odd["notes"])
    rows = [u for k, u in units.items() if k.startswith("export.csv#")]
    assert len(rows) == 3 and all(u["status"] == "loaded" for u in rows)  # no row lost to the NUL
    assert all(any("NUL" in n for n in u["notes"]) for u in rows)
    assert report.inputs == 7 and report.loaded == 5 and report.skipped == 2
    df.to_parquet(tmp_path / "ok.parquet")  # the printable names survive Arrow


def test_odd_folder_through_the_store_is_accounted_for_too(tmp_path):
    d = _odd_folder(tmp_path)
    res = ct.ingest(d, tmp_path / "store", backend="serial", progress=False)
    assert res.articles == 5 and res.skipped == 2
    report = json.loads((tmp_path / "store" / "ingest_report.json").read_text(encoding="utf-8"))
    bad = report["sources"]["(unreadable inputs)"]["units"]
    assert sorted(u["reason"] for u in bad) == ["broken symbolic link", "symbolic link loop"]
    again = ct.ingest(d, tmp_path / "store", backend="serial", progress=False)
    assert again.unchanged == 5 and again.skipped == 2


def test_nothing_silent_at_the_door(tmp_path):
    """An empty folder and a columns= mapping that names no field are errors that say why."""
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="no input files"):
        load_articles(empty, progress=False)
    csv = tmp_path / "export.csv"
    csv.write_text("title,content.text,source.name\nA,Đảng bộ tỉnh họp bàn công tác nhân sự.,RSS\n",
                   encoding="utf-8")
    with pytest.raises(ValueError, match=r"'outlet': 'source_name'.*'source.name'"):
        load_articles(csv, columns={"outlet": "source_name"}, progress=False)
    assert load_articles(csv, columns={"outlet": "source.name"}, progress=False)["outlet"].tolist() == ["RSS"]


def test_a_record_over_the_size_cap_is_skipped_with_its_reason(tmp_path):
    import corpus_tools.load as L
    p = tmp_path / "dump.jsonl"
    big = "Đảng bộ tỉnh họp bàn công tác cán bộ. " * (L.MAX_RECORD_CHARS // 30)
    p.write_text(json.dumps({"title": "A", "text": big}, ensure_ascii=False) + "\n"
                 + json.dumps({"title": "B", "text": "Tỉnh ủy họp phiên thường kỳ."}, ensure_ascii=False) + "\n",
                 encoding="utf-8")
    df, report = ct.load_with_report(p, progress=False)
    assert df["title"].tolist() == ["B"] and report.skipped == 1
    reason = [u["reason"] for u in report.units if u["status"] == "skipped"][0]
    assert "over the cap" in reason and "MAX_RECORD_CHARS" in reason


# -- load_records: the loader over records already read --------------------------------------------

def test_load_records_over_read_records_equals_load_articles():
    from corpus_tools.readers import read_records
    mixed = FIX / "mixed"
    want = ct.load_with_report(mixed, progress=False)
    got = ct.load_records(read_records(mixed), source=str(mixed))
    pd.testing.assert_frame_equal(got.articles, want.articles)
    assert got.report["units"] == want.report["units"]
    assert (got.report.loaded, got.report.skipped) == (want.report.loaded, want.report.skipped)


def test_load_records_takes_a_scrapers_own_records_and_accounts_for_each():
    from corpus_tools.readers import RawRecord
    body = "HÀ NỘI - Sáng nay, Ban Chấp hành Trung ương họp phiên bế mạc.\nHội nghị thông qua nghị quyết."
    recs = [RawRecord("scrape#1", "scrape", "jsonl", fields={"title": "Bế mạc hội nghị", "content": body,
                                                            "date": "2021-05-04"}),
            RawRecord("scrape#2", "scrape", "jsonl", fields={"title": "Trống"}),
            RawRecord("scrape#3", "scrape", "jsonl", error="timeout")]
    df, report = ct.load_records(recs, source="my scraper")
    assert report.inputs == 3 and report.loaded == 1 and report.skipped == 2
    assert df["title"].tolist() == ["Bế mạc hội nghị"]
    assert str(df["published"].iloc[0].date()) == "2021-05-04"
    reasons = {u["unit"]: u["reason"] for u in report.units}
    assert reasons["scrape#3"] == "timeout" and "no text field" in reasons["scrape#2"]
    with pytest.raises(ValueError, match="no input records in my scraper"):
        ct.load_records([], source="my scraper")
    with pytest.raises(TypeError, match="valid:"):
        ct.load_records(recs, format="jsonl")


def test_report_merge_equals_one_report_of_the_whole():
    whole = ct.load_with_report(FIX / "mixed", progress=False, dedupe="none").report
    units = whole["units"]
    parts = [IngestReport(units[:4], source="a", fields=whole.get("fields"), sources=whole.get("sources")),
             IngestReport(units[4:], source="b")]
    merged = IngestReport.merge(parts, source=whole["source"])
    assert dict(merged) == dict(whole)
    assert merged.inputs == merged.loaded + merged.skipped == len(units)
