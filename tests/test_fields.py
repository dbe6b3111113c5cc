"""fields: how a structured record's fields become the article's columns (exports in
one call: dotted and nested names, the fullest text field, entities, outlet hosts)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import corpus_tools as ct
from corpus_tools.fields import field_text

FIX = Path(__file__).resolve().parent / "fixtures" / "load"


def test_a_news_api_export_loads_in_one_call():
    """Columns id, title, published_at, source.name, url, …, content.text: no mapping needed;
    entities and tags decoded, capital bylines as names, hosts as outlet names."""
    df, report = ct.load_with_report(FIX / "export" / "news_api.csv", progress=False)
    assert len(df) == 4 and report.skipped == 0
    (mapping,) = report["fields"].values()
    assert mapping["text"] == "content.text" and mapping["published"] == "published_at"
    assert mapping["outlet"] == "source.name"
    assert df["outlet"].tolist() == ["VnExpress", "Dân trí", "Tuổi Trẻ", "Nhân Dân"]
    assert df["author"].tolist() == ["Quốc Nam", "Minh Hải", "Thanh Hà", "Phương Nga"]
    assert df["published"].iloc[0] == pd.Timestamp("2025-01-10 08:30")  # +07:00: Vietnam time
    assert (df["date_source"] == "field").all()
    assert not df["text"].str.contains("<p>|&amp;|&#", regex=True).any()
    assert "chỉnh đốn Đảng & hệ thống" in df["text"].iloc[0]
    assert "category.primary" in df.columns  # other fields are kept
    assert "fields" in report.summary()


def test_nested_json_and_the_fullest_text_field(tmp_path):
    body = "Hội nghị Tỉnh ủy lần thứ mười hai bàn công tác cán bộ, xây dựng Đảng và chính quyền. " * 4
    recs = [{"id": 1, "title": "Tin một", "pubDate": "2024-05-06",
             "content": {"text": body}, "source": {"name": "thanhnien.vn"}},
            {"id": 2, "title": "Tin hai", "pubDate": "2024-05-07", "content": "Ngắn.",
             "description": body + " Thêm câu nữa."}]
    f = tmp_path / "api.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    df = ct.load_articles(f, progress=False)
    assert df["outlet"].iloc[0] == "Thanh Niên" and df["published"].iloc[0] == pd.Timestamp("2024-05-06")
    assert df["text"].iloc[1].endswith("Thêm câu nữa.")  # the fullest of content / description


def test_no_text_field_is_one_clear_error_naming_the_columns_and_the_fix(tmp_path):
    f = tmp_path / "odd.csv"
    f.write_text("ma,tieu,noi\n1,Tin một,Hội nghị Tỉnh ủy bàn công tác cán bộ và xây dựng Đảng.\n",
                 encoding="utf-8")
    with pytest.raises(ValueError, match=r"columns are 'ma', 'tieu', 'noi'.*columns=\{'text': 'noi'\}"):
        ct.load_articles(f, progress=False)
    df = ct.load_articles(f, columns={"text": "noi", "title": "tieu"}, progress=False)
    assert df["title"].tolist() == ["Tin một"]


@pytest.mark.parametrize("given, name", [
    ("vnexpress.net", "VnExpress"), ("www.vnexpress.net", "VnExpress"), ("m.dantri.com.vn", "Dân trí"),
    ("TTXVN", "TTXVN"), ("Thông tấn xã Việt Nam", "TTXVN"), ("báo của tôi", "báo của tôi"), (None, None),
])
def test_outlet_names_from_aliases_and_hosts(given, name):
    assert ct.outlet_name(given) == name


def test_field_text_decodes_entities_and_strips_tags():
    assert field_text("QU&#7888;C NAM") == "QUỐC NAM"
    # block tags become line breaks (paragraphs for the loader), inline tags go
    assert field_text("<p>Một</p><p>Hai &amp; ba</p>").split() == ["Một", "Hai", "&", "ba"]
    assert field_text("<p>Một</p><p>Hai</p>").splitlines()[-1] == "Hai"
    assert field_text("<div class='x'>Một <b>hai</b></div>").split() == ["Một", "hai"]
    assert ct.flatten_fields({"a": {"b": 1, "c": {"d": 2}}, "e": 3}) == {"a.b": 1, "a.c.d": 2, "e": 3}


def _feed_export(path, n=40):
    """A news-API export as a real one came: the source field holds a feed label in
    most rows and reporters' names in the rest; the site is only in the URL."""
    import csv
    sites = ["https://dantri.com.vn/", "https://vnexpress.net/", "https://tuoitre.vn/", "https://baohatinh.vn/"]
    names = ["NGỌC DIỆP", "Minh Anh - Bảo Kỳ", "Trần Văn Hùng", "Quốc Nam"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "title", "published_at", "source.name", "url", "content.text"])
        w.writeheader()
        for i in range(n):
            w.writerow({"id": i, "title": f"Tỉnh ủy họp phiên thứ {i}", "published_at": "2026-01-20T08:00:00",
                        "source.name": "RSS_Feed" if i % 3 else names[i % 4], "url": f"{sites[i % 4]}bai-{i}.htm",
                        "content.text": f"Sáng 20/1, Tỉnh ủy họp phiên thường kỳ lần thứ {i}. Hội nghị bàn công tác cán bộ."})
    return path


def test_the_outlet_is_the_site_not_a_feed_label_or_a_byline(tmp_path):
    import corpus_tools as ct
    p = _feed_export(tmp_path / "export.csv")
    df, report = ct.load_with_report(p, progress=False)
    want = {"dantri": "Dân trí", "vnexpress": "VnExpress", "tuoitre": "Tuổi Trẻ", "baohatinh": "baohatinh.vn"}
    got = [want[u.split("//")[1].split(".")[0]] for u in df["url"]]
    assert df["outlet"].tolist() == got  # every row its site
    bylined = df[df["title"].str.extract(r"(\d+)$")[0].astype(int) % 3 == 0]
    assert set(bylined["author"]) <= {"Ngọc Diệp", "Minh Anh - Bảo Kỳ", "Trần Văn Hùng", "Quốc Nam"}
    notes = [n for u in report.units for n in u["notes"]]
    assert any("'RSS_Feed' is a feed label" in n for n in notes) and any("is a byline" in n for n in notes)
    assert all(" | RSS_Feed" not in k for k in report["sources"])  # sources are sites
    # forced: the URL's site, or the field as the user named it
    assert ct.load_articles(p, columns={"outlet": "url"}, progress=False)["outlet"].tolist() == got
    assert set(ct.load_articles(p, columns={"outlet": "source.name"}, progress=False)["outlet"]) >= {"RSS_Feed"}


@pytest.mark.parametrize("value,url,outlet,byline", [
    ("RSS_Feed", "https://dantri.com.vn/a.htm", "Dân trí", None),
    ("NGỌC DIỆP", "https://vnexpress.net/x", "VnExpress", "Ngọc Diệp"),
    ("Dân trí", "https://vnexpress.net/x", "Dân trí", None),       # a known outlet stays (syndication)
    ("Báo Quảng Ninh", "https://baoquangninh.vn/x", "Báo Quảng Ninh", None),
    ("Hà Tĩnh", "https://baohatinh.vn/x", "Hà Tĩnh", None),        # the site's own name, in its host
    ("Trần Văn Hùng", None, None, "Trần Văn Hùng"),                # a byline and no URL: outlet unknown
])
def test_source_field_role(value, url, outlet, byline):
    from corpus_tools.fields import source_field_role
    o, b, why = source_field_role(value, url)
    assert (o, b) == (outlet, byline) and (why is None) == (b is None and value != "RSS_Feed")


def _shapes(tmp_path):
    """Three exports whose field names say little or mislead: the JSON array of a
    news API (headline in ``text``, body in ``meta.description``, link in
    ``meta.uri``), JSON Lines with odd names, a CSV with odd names."""
    import csv
    body = ("Sáng 12/1, Ban Thường vụ Tỉnh ủy tổ chức hội nghị quán triệt Nghị quyết Đại hội XIII của Đảng. "
            "Hội nghị thống nhất các giải pháp trọng tâm để đưa nghị quyết vào cuộc sống.")
    heads = [f"Quán triệt Nghị quyết Đại hội XIII tại tỉnh số {i}" for i in range(6)]
    urls = [f"https://baomoi.vn/bai-{i}.htm" for i in range(6)]
    arr = tmp_path / "api.json"
    arr.write_text(json.dumps([{"uri": str(i), "text": h, "meta": {"description": f"{body} Lần {i}.", "uri": u,
                                                                      "dateTime": f"2026-01-1{i}T08:00:00"}}
                               for i, (h, u) in enumerate(zip(heads, urls))], ensure_ascii=False), encoding="utf-8")
    jl = tmp_path / "odd.jsonl"
    jl.write_text("\n".join(json.dumps({"k": i, "headline_vi": h, "full": f"{body} Số {i}.", "link": u,
                                        "ts": f"2026-01-1{i}T08:00:00"}, ensure_ascii=False)
                            for i, (h, u) in enumerate(zip(heads, urls))), encoding="utf-8")
    cs = tmp_path / "odd.csv"
    with open(cs, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["ma", "tieu_de_bai_viet", "duong_dan", "ngay", "than_bai"])
        for i, (h, u) in enumerate(zip(heads, urls)):
            w.writerow([i, h, u, f"1{i}/01/2026", f"{body} Bài {i}."])
    return arr, jl, cs, heads, urls


def test_field_roles_by_their_values(tmp_path):
    import corpus_tools as ct
    for path in _shapes(tmp_path)[:3]:
        df, report = ct.load_with_report(path, progress=False)
        heads, urls = _shapes(tmp_path)[3:]
        assert report.loaded == 6, (path.name, report.summary())
        assert df["title"].tolist() == heads and df["url"].tolist() == urls, path.name
        assert df["text"].str.startswith("Sáng 12/1").all() and df["published"].dt.day.tolist() == list(range(10, 16))
        if path.name == "api.json":  # the report says which field became the text, and why
            assert report["notes"].get("text from 'meta.description', the field with the most prose") == 6
            assert report["notes"].get("title from 'text', one short line, not prose") == 6
