"""Sources (corpus_tools.sources): learnt once per source over the whole input, so
the store does not depend on chunks, processes, the door or the order of runs."""
from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from corpus_tools import load_articles, load_with_report
from corpus_tools.cli import main
from corpus_tools.sources import source_base, source_key
from corpus_tools.store import ingest, open_corpus

from test_furniture import NOTICE, _clean, _site, _write_folder
from test_store import assert_same_store, toy_segment


def test_source_key():
    assert source_key("/a/site/1.txt", "txt") == "/a/site"
    assert source_key("/a/export.jsonl", "jsonl") == "/a/export.jsonl"
    assert source_key("/a/export.jsonl", "jsonl", {"outlet": "Báo A"}) == "/a/export.jsonl | Báo A"
    assert source_key("/a/x.csv", "csv", {"url": "https://www.dangcongsan.vn/a/b.html"}) \
        == "/a/x.csv | dangcongsan.vn"
    assert source_base("/a/export.jsonl | Báo A") == "/a/export.jsonl"


def _export(path: Path, n: int, seed: int = 0, outlet_of=None, docs=None) -> Path:
    """A news-API export mixing two outlets (or ``outlet_of(i)``); only Báo A glues a
    notice to its texts."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i, (title, paras) in enumerate(_site(n, seed=seed) if docs is None else docs):
            outlet = outlet_of(i) if outlet_of else "Báo A" if i % 2 == 0 else "Báo B"
            text = "\n".join(paras)
            if outlet == "Báo A":
                text = NOTICE + text
            fh.write(json.dumps({"id": i, "title": title, "source.name": outlet,
                                 "published_at": f"2026-05-{1 + rng.randrange(28):02d}",
                                 "content.text": text}, ensure_ascii=False) + "\n")
    return path


def test_export_furniture_is_learnt_per_outlet(tmp_path):
    path = _export(tmp_path / "export.jsonl", 60)
    df, report = load_with_report(path, progress=False)
    learnt = report["sources"]
    assert learnt[f"{path} | Báo A"]["furniture"]["prefixes"] == [NOTICE.casefold()]
    assert learnt[f"{path} | Báo B"]["furniture"]["prefixes"] == []
    want = ["\n".join(p) for _, p in _site(60)]
    assert ["\n".join(p) for p in df["paragraphs"]] == [_clean(w) for w in want]
    assert set(df["outlet"]) == {"Báo A", "Báo B"}


@pytest.fixture(scope="module")
def mixed_input(tmp_path_factory) -> Path:
    """An export (two outlets) and a folder of a site with a glued notice."""
    root = tmp_path_factory.mktemp("mixed")
    _export(root / "export.jsonl", 40, seed=4)
    docs = _site(24, seed=5)
    _write_folder(root / "site", [(t, [NOTICE + p[0]] + p[1:]) for t, p in docs])
    return root


def test_store_is_the_same_through_every_door_and_chunking(mixed_input, tmp_path):
    """Python ingest (chunks of 250, one process), in chunks of 7 on two processes,
    on a local Dask cluster, and the CLI (chunks of 200): equal tables; and equal
    to what load_articles gives."""
    a, b, c, d = tmp_path / "a", tmp_path / "b", tmp_path / "c", tmp_path / "d"
    ingest(mixed_input, a, n_jobs=1, backend="serial", progress=False)
    ingest(mixed_input, b, n_jobs=2, chunk_size=7, progress=False)
    assert main(["ingest", str(mixed_input), "--out", str(c), "--jobs", "1", "--no-progress"]) == 0
    ingest(mixed_input, d, n_jobs=2, chunk_size=11, backend="dask", progress=False)
    assert_same_store(a, b)
    assert_same_store(a, c)
    assert_same_store(a, d)
    arts = open_corpus(a).read_table("articles")
    loaded = load_articles(mixed_input, progress=False)
    assert sorted(arts["text"]) == sorted(loaded["text"])
    assert not any(NOTICE in t for t in arts["text"])
    report = json.loads((a / "ingest_report.json").read_text(encoding="utf-8"))["sources"]
    learnt = {k: v for r in report.values() for k, v in r.get("sources", {}).items()}
    assert learnt[str((mixed_input / "site").resolve())]["furniture"]["prefixes"] == [NOTICE.casefold()]


def test_incremental_run_equals_a_fresh_one_when_new_files_reveal_furniture(tmp_path):
    """Two articles carry a notice, too few to learn it; ten new ones with it
    arrive: the incremental run re-extracts the old two, as a fresh run would."""
    docs = _site(40, seed=6)
    site = tmp_path / "in" / "site"
    with_notice = {0, 1} | set(range(30, 40))
    dirty = [(t, [NOTICE + " " + p[0]] + p[1:]) if i in with_notice else (t, p)
             for i, (t, p) in enumerate(docs)]
    _write_folder(site, dirty[:30])
    inc, fresh = tmp_path / "inc", tmp_path / "fresh"
    kw = dict(segmenter=toy_segment, backend="serial", chunk_size=8, progress=False)
    ingest(site, inc, **kw)
    before = open_corpus(inc).read_table("articles")
    assert sum(NOTICE in t for t in before["text"]) == 2  # not learnt yet
    _write_folder(site, dirty)  # the same 30 files again, and 10 new ones
    res = ingest(site, inc, **kw)
    assert res.files_new == 10 and res.files_unchanged == 30
    ingest(site, fresh, **kw)
    assert_same_store(inc, fresh)
    after = open_corpus(inc).read_table("articles")
    assert not any(NOTICE in t for t in after["text"]) and len(after) == 40


def test_grown_export_equals_a_fresh_ingest(tmp_path):
    """Ingest 20 records, then the file grown to 60: the same store as ingesting 60."""
    full = _export(tmp_path / "full.jsonl", 60, seed=7)
    lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    src = tmp_path / "in" / "export.jsonl"
    src.parent.mkdir()
    src.write_text("".join(lines[:20]), encoding="utf-8")
    inc, fresh = tmp_path / "inc", tmp_path / "fresh"
    kw = dict(segmenter=toy_segment, backend="serial", chunk_size=9, progress=False)
    ingest(src, inc, **kw)
    shutil.copy(full, src)
    ingest(src, inc, **kw)
    ingest(src, fresh, **kw)
    assert_same_store(inc, fresh)


def test_forty_tiny_groups_of_real_articles_lose_no_sentence(tmp_path):
    """An export whose source field holds bylines (40 groups of 4 articles): each
    reporter opens a paragraph the same way ("Trong khi đó, ..."), as real
    reporters do. No group is big enough to learn from, and an ordinary opening is
    never furniture: every sentence of every article is loaded whole."""
    import csv
    import gzip

    from conftest import shared_corpus
    path = shared_corpus("unc_dantri.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        arts = [json.loads(next(fh)) for _ in range(160)]
    openers = ["Trong khi đó,", "Theo thông tin từ", "Bên cạnh đó,", "Ngoài ra,", "Tuy nhiên,", "Cũng theo"]
    rows = []
    for i, a in enumerate(arts):
        paras = [p for p in a["text"].split("\n") if p.strip()]
        k = min(2, len(paras) - 1)
        opener = openers[(i // 4) % len(openers)]
        paras[k] = f"{opener} {paras[k][0].lower()}{paras[k][1:]}"
        rows.append({"title": a["title"], "content.text": "\n".join(paras), "url": a["url"],
                     "published_at": a["date"], "source.name": f"Phóng viên {i // 4:02d}"})
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    df, report = load_with_report(export, progress=False)
    assert len(df) == 160
    learnt = [s["furniture"] for s in report["sources"].values()]
    assert not any(f["prefixes"] for f in learnt), [f["prefixes"] for f in learnt if f["prefixes"]]
    import unicodedata
    from collections import Counter

    def flat(s):  # the loader normalises spelling (hoá -> hóa) and entities: compare letters only
        s = unicodedata.normalize("NFD", s.replace("&nbsp", " ").casefold())
        s = "".join(c if c.isalnum() else " " for c in s if not unicodedata.combining(c))
        return " ".join(s.split())
    by_url = {u: (x, list(rm) + [{"text": c, "reason": "caption"} for c in cap])
              for u, x, rm, cap in zip(df["url"], df["text"], df["removed"], df["captions"])}
    reasons = Counter()
    for r in rows:
        text, removed = by_url[r["url"]]
        loaded = flat(text)
        gone = {flat(x["text"])[:30]: x["reason"] for x in removed}
        for para in r["content.text"].split("\n"):
            first = flat(para)[:30]
            if first not in loaded:  # only the shipped rules' chrome may go, never a learnt fragment
                why = [v for g, v in gone.items() if g and (first.startswith(g) or g.startswith(first))]
                assert why and not any(v.startswith("furniture") for v in why), (r["title"], first)
                reasons[why[0]] += 1
    assert set(reasons) <= {"byline", "caption", "outlet-signature", "credit"}, reasons  # the shipped rules' kinds
    assert all("learnt_from" in s for k, s in report["sources"].items() if " | " in k)


def test_learning_in_a_pool_equals_learning_in_order(tmp_path):
    """The per-article part of furniture learning computed in forked processes gives
    the profiles of the serial pass: big outlets with a glued notice (decided after 200
    articles or at the end), small outlets pooled, copies counted once."""
    from corpus_tools.load import learn_records
    from corpus_tools.readers import read_records
    docs = _site(420, seed=3)
    path = _export(tmp_path / "export.jsonl", 0, seed=7, docs=docs + docs[:30],  # 30 copies at the end
                   outlet_of=lambda i: "Báo A" if i % 3 == 0 else "Báo B" if i % 3 == 1 and i < 120
                   else f"Báo nhỏ {i % 25}")
    serial = learn_records(read_records(path), n_jobs=1)
    pooled = learn_records(read_records(path), n_jobs=2)
    assert serial == pooled
    assert [p.fingerprint() for p in serial.values()] == [p.fingerprint() for p in pooled.values()]
    assert serial[f"{path} | Báo A"].furniture.describe()["prefixes"] == [NOTICE.casefold()]
    assert sum("together" in p.learnt_from for p in serial.values()) == 25  # the small outlets, pooled
