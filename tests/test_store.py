"""Corpus store: ingest (incremental, atomic), Corpus.frame / dtm / kwic."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from corpus_tools.store import _ingest as store_mod  # the ingest phase whose writes are interrupted
from corpus_tools import tokens
from corpus_tools.load import load_articles
from corpus_tools.store import STORE_TABLES, Corpus, ingest, open_corpus

SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw" / "seeds"


def toy_segment(text: str) -> list[list[str]]:
    """Fast stand-in for tokens.segment: sentences at . ! ?, tokens at spaces,
    punctuation split off. Module-level so worker processes can unpickle it."""
    out = []
    for sent in re.split(r"(?<=[.!?])\s+", text.strip()):
        toks = re.findall(r"\w+(?:[-/]\w+)*|[^\w\s]", sent)
        if toks:
            out.append(toks)
    return out


def _seed_paragraphs() -> list[str]:
    paras = []
    for f in sorted(SEEDS.glob("*.txt")):
        paras += [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines()
                  if len(ln.split()) > 12]
    return paras


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def make_records(n: int, start: int = 0) -> list[dict]:
    paras = _seed_paragraphs()
    recs = []
    for i in range(start, start + n):
        body = "\n".join(paras[(i * 3 + k) % len(paras)] for k in range(3))
        recs.append({"id": i, "title": f"Bài số {i}: hội nghị",
                     "date": f"2021-{1 + i % 12:02d}-{1 + i % 27:02d}", "text": body})
    return recs


def tables(path: Path) -> dict[str, pd.DataFrame]:
    c = open_corpus(path)
    return {t: c.read_table(t) for t in STORE_TABLES}


def assert_same_store(a: Path, b: Path) -> None:
    ta, tb = tables(a), tables(b)
    for t in STORE_TABLES:
        pdt.assert_frame_equal(ta[t], tb[t], obj=t)


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    """The five bundled seeds through the real pipeline (loader + segmenter)."""
    out = tmp_path_factory.mktemp("seedstore") / "store"
    ingest(SEEDS, out, backend="serial", progress=False)
    return out


# ------------------------------------------------------------------ real pipeline

def test_seed_store_articles_are_the_loader_output(seed_store):
    corpus = open_corpus(seed_store)
    got = corpus.articles
    want = load_articles(SEEDS, progress=False)
    assert len(got) == 5 and list(got.columns) == list(want.columns)
    assert got["doc_id"].tolist() == want["doc_id"].tolist()
    assert got["source_path"].tolist() == [str(p.resolve()) for p in sorted(SEEDS.glob("*.txt"))]
    for col in ("title", "outlet", "author", "text"):
        assert got[col].fillna("").tolist() == want[col].fillna("").tolist(), col
    assert got["published"].tolist() == want["published"].tolist()
    # list columns come back as Python lists, dicts included
    assert got["paragraphs"].tolist() == want["paragraphs"].map(list).tolist()
    assert got["removed"].tolist() == want["removed"].map(list).tolist()
    assert any(got["removed"].map(len)) and isinstance(got["removed"].iloc[0], list)


def test_frame_tokens_equal_the_tokens_pipeline(seed_store):
    corpus = open_corpus(seed_store)
    frame = corpus.frame()
    assert list(frame.columns) == ["doc_id", "published", "outlet", "title", "tokens"]
    arts = corpus.articles.set_index("doc_id")
    for row in frame.itertuples():
        sents = [s for p in arts.loc[row.doc_id, "paragraphs"] for s in tokens.segment(p)]
        assert row.tokens == tokens.tokens_from_segments(sents)
    alltoks = Counter(t for ts in frame["tokens"] for t in ts)
    for term in ("Bộ_Chính_trị", "35-CT/TW", "Hà_Nội", "dân_vận_khéo"):
        assert alltoks[term] > 0, term
    assert not any(tokens.is_punct(t) for t in alltoks)
    # stopwords kept by default, dropped on request
    general = tokens.load_stopwords("general")
    assert any(t.lower() in general for t in alltoks)
    sw = corpus.frame(stopwords="general")
    assert not any(t.lower() in general for ts in sw["tokens"] for t in ts)


def test_paragraph_frame_splits_article_tokens(seed_store):
    corpus = open_corpus(seed_store)
    art = corpus.frame()
    par = corpus.frame("paragraph")
    assert list(par.columns) == ["doc_id", "published", "outlet", "title", "para_id", "tokens"]
    assert len(par) == corpus.info()["paragraphs"]
    for doc_id, grp in par.groupby("doc_id", sort=False):
        assert grp["para_id"].tolist() == list(range(len(grp)))
        joined = [t for ts in grp["tokens"] for t in ts]
        assert joined == art.set_index("doc_id").loc[doc_id, "tokens"]


def test_frame_selection_by_date_and_where(seed_store):
    corpus = open_corpus(seed_store)
    meta = corpus.articles
    cut = meta["published"].sort_values().iloc[2]
    early = corpus.frame(end=cut)
    assert len(early) == 2 and (early["published"] < cut).all()
    late = corpus.frame(start=cut)
    assert len(late) == 3
    one = corpus.frame(where=meta["doc_id"] == meta["doc_id"].iloc[1])
    assert one["doc_id"].tolist() == [meta["doc_id"].iloc[1]]
    q = corpus.frame(where=f"doc_id == '{meta['doc_id'].iloc[0]}'")
    assert len(q) == 1
    with pytest.raises(ValueError):
        corpus.frame(where=[True, False])
    with pytest.raises(ValueError):
        corpus.frame(unit="sentence")


def test_dtm_counts_match_frame(seed_store):
    corpus = open_corpus(seed_store)
    frame = corpus.frame()
    X, vocab, index = corpus.dtm()
    assert X.shape == (5, len(vocab)) and vocab == sorted(vocab)
    assert index["doc_id"].tolist() == frame["doc_id"].tolist()
    col = {v: i for i, v in enumerate(vocab)}
    for i, toks in enumerate(frame["tokens"]):
        for term, n in Counter(toks).items():
            assert X[i, col[term]] == n
        assert X[i].sum() == len(toks)
    X2, vocab2, _ = corpus.dtm(min_df=2)
    df = np.asarray((X > 0).sum(axis=0)).ravel()
    assert vocab2 == [v for v, d in zip(vocab, df) if d >= 2]
    X3, vocab3, _ = corpus.dtm(max_df=0.5)
    assert all(d <= 2 for v, d in zip(vocab, df) if v in set(vocab3))
    Xv, vv, _ = corpus.dtm(vocabulary=["Bộ_Chính_trị", "không_có_từ_này", "Hà_Nội"])
    assert vv == ["Bộ_Chính_trị", "không_có_từ_này", "Hà_Nội"]
    assert Xv[:, 0].sum() == X[:, col["Bộ_Chính_trị"]].sum() and Xv[:, 1].sum() == 0
    Xp, _, ip = corpus.dtm("paragraph")
    assert Xp.shape[0] == len(ip) == corpus.info()["paragraphs"] and Xp.sum() == X.sum()


def test_token_ids_are_the_frame_tokens_with_all_metadata(seed_store):
    corpus = open_corpus(seed_store)
    for unit in ("article", "paragraph"):
        frame = corpus.frame(unit, stopwords="general")
        index, codes, lengths, vocab = corpus.token_ids(unit, stopwords="general")
        assert codes.dtype == np.int32 and len(codes) == lengths.sum()
        assert index["doc_id"].tolist() == frame["doc_id"].tolist()
        ends = np.cumsum(lengths)
        assert [vocab[codes[e - n:e]].tolist() for n, e in zip(lengths, ends)] \
            == frame["tokens"].tolist()
    # the index carries metadata beyond the frame's columns (trends groups by them)
    index, *_ = corpus.token_ids()
    assert {"author", "source_path", "is_duplicate"} <= set(index.columns)
    assert "text" not in index.columns and "paragraphs" not in index.columns
    one, codes, lengths, _ = corpus.token_ids(where=f"doc_id == '{index['doc_id'].iloc[2]}'")
    assert len(one) == 1 and lengths.tolist() == [len(codes)]


def test_kwic_phrase_and_context(seed_store):
    corpus = open_corpus(seed_store)
    hits = corpus.kwic("Bộ Chính trị", window=5)
    frame = corpus.frame()
    n = sum(ts.count("Bộ_Chính_trị") for ts in frame["tokens"])
    assert len(hits) == n > 0
    assert set(hits["keyword"]) == {"Bộ Chính trị"}
    assert {"left", "keyword", "right", "doc_id", "published", "outlet", "title"} <= set(hits)
    assert hits["left"].str.len().gt(0).all()
    # lexicon query: typed with spaces, found as one token
    cds = corpus.kwic("chuyển đổi số")
    assert len(cds) == sum(ts.count("chuyển_đổi_số") for ts in frame["tokens"])
    # a multi-token phrase matches as a sequence
    phrase = corpus.kwic(["thực_hiện", "Chỉ_thị"])
    assert len(phrase) > 0 and phrase["keyword"].str.lower().eq("thực hiện chỉ thị").all()
    assert len(corpus.kwic("Bộ Chính trị", n=2)) == 2
    assert corpus.kwic("từkhôngcó").empty
    first = hits["doc_id"].iloc[0]
    only = corpus.kwic("Bộ Chính trị", where=corpus.articles["doc_id"] == first)
    assert set(only["doc_id"]) == {first}
    # case-sensitive: the exact norm only ("Hà_Nội" is a name and keeps its case)
    exact = corpus.kwic(["Hà_Nội"], match="word", case_sensitive=True)
    assert len(exact) == sum(ts.count("Hà_Nội") for ts in frame["tokens"]) > 0
    assert corpus.kwic(["hà_nội"], match="word", case_sensitive=True).empty
    with pytest.raises(ValueError, match="match='word'"):
        corpus.kwic("Hà Nội", case_sensitive=True)
    # match="term" (default): the syllables as a span of whole words however they are
    # split, the count of term_rates; "word": the query's words only
    import corpus_tools as ct
    for q in ("Bộ Chính trị", "chỉnh đốn Đảng", "cấp ủy", "đại hội"):
        n_term = int(ct.term_counts(corpus, [q]).iloc[:, 2].sum())
        assert len(corpus.kwic(q)) == n_term, q
        assert len(corpus.kwic(q, match="word")) <= n_term
    spans = corpus.kwic(["Ban", "Chấp_hành"])  # however the words split "Ban Chấp hành"
    assert len(spans) == len(corpus.kwic("Ban Chấp hành")) > 0


def test_kwic_lines_are_the_surface_tokens_around_each_hit(seed_store):
    """The vectorised lines equal a per-hit rebuild from the stored tokens table: window
    tokens each side (punctuation included) within the document, made readable."""
    from corpus_tools.store._layout import _detok
    corpus = open_corpus(seed_store)
    toks = tables(seed_store)["tokens"]
    by_doc = {d: g.sort_values("position")["token"].tolist() for d, g in toks.groupby("doc_id")}
    for q, window in (("Đảng", 3), ("Bộ Chính trị", 0), ("cán bộ", 8), ("xây dựng", 40)):
        hits = corpus.kwic(q, window=window, match="anywhere")
        assert len(hits) > 0, q
        for row in hits.itertuples():
            doc = by_doc[row.doc_id]
            n_kw = len(row.keyword.split())  # the keyword's surface tokens
            start = row.position
            end = next(e for e in range(start + 1, len(doc) + 1)
                       if len(_detok(doc[start:e]).split()) >= n_kw)
            assert row.keyword == _detok(doc[start:end]), (q, row)
            assert row.left == _detok(doc[max(0, start - window):start]), (q, row)
            assert row.right == _detok(doc[end:end + window]), (q, row)


def test_compact_index_equals_per_token_document_codes(seed_store):
    """Documents stored as runs are indexed by their starts; the general path
    (a document code per token, used when runs are broken) gives the same
    frames, matrices and concordances."""
    compact = open_corpus(seed_store)
    idx = compact._index()
    assert idx["doc"] is None and idx["doc_starts"] is not None and idx["pos"].dtype == np.int16
    general = open_corpus(seed_store)
    g = general._index()
    g["doc"] = np.repeat(np.arange(len(g["doc_vocab"]), dtype=np.int32), np.diff(g["doc_starts"]))
    g["doc_starts"] = None
    pdt.assert_frame_equal(compact.frame("paragraph"), general.frame("paragraph"))
    pdt.assert_frame_equal(compact.frame(stopwords="general"), general.frame(stopwords="general"))
    a, b = compact.dtm(min_df=2)[0], general.dtm(min_df=2)[0]
    assert (a != b).nnz == 0
    for q in ("Bộ Chính trị", ["thực_hiện", "Chỉ_thị"], "Đảng"):
        ka, kb = compact.kwic(q, window=6), general.kwic(q, window=6)
        pdt.assert_frame_equal(ka, kb)
        assert ka["position"].dtype == np.int32


def test_info_and_manifest(seed_store):
    corpus = open_corpus(seed_store)
    info = corpus.info()
    assert info["articles"] == 5 and info["files"] == 5 and info["tokens"] > 3000
    assert info["pipeline_version"].startswith(tokens.PIPELINE_VERSION)
    man = json.loads((seed_store / "manifest.json").read_text(encoding="utf-8"))
    files = {f for s in man["sources"].values() for f in s["files"]}
    assert files == {p.resolve().as_posix() for p in SEEDS.glob("*.txt")}
    rep = json.loads((seed_store / "ingest_report.json").read_text(encoding="utf-8"))
    assert sum(r["loaded"] for r in rep["sources"].values()) == 5
    assert "5 articles" in repr(corpus)


# ------------------------------------------------------------------ incremental / atomic

def _toy_ingest(src, out, **kw):
    kw.setdefault("backend", "serial")
    kw.setdefault("chunk_size", 4)
    return ingest(src, out, segmenter=toy_segment, progress=False, **kw)


def test_rerun_skips_unchanged_inputs_without_touching_the_store(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl", make_records(10))
    write_jsonl(src / "b.jsonl", make_records(6, 100))
    out = tmp_path / "store"
    first = _toy_ingest(src, out)
    assert (first.new, first.files_new, first.articles, first.segmented) == (16, 2, 16, 16)
    stamp = (out / "manifest.json").stat().st_mtime_ns
    again = _toy_ingest(src, out)
    assert (again.new, again.unchanged, again.files_unchanged, again.segmented) == (0, 16, 2, 0)
    assert "up to date" in str(again)
    assert (out / "manifest.json").stat().st_mtime_ns == stamp


def test_changed_file_resegments_only_changed_articles(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    recs = make_records(10)
    write_jsonl(src / "a.jsonl", recs)
    write_jsonl(src / "b.jsonl", make_records(6, 100))
    out = tmp_path / "store"
    _toy_ingest(src, out)
    recs[3]["text"] += "\nMột đoạn mới được thêm vào bài này để kiểm tra việc cập nhật từng phần."
    recs.append(make_records(1, 50)[0])
    write_jsonl(src / "a.jsonl", recs)
    res = _toy_ingest(src, out)
    assert (res.new, res.changed, res.unchanged, res.removed) == (1, 1, 15, 0)
    assert (res.files_changed, res.files_unchanged) == (1, 1)
    assert res.segmented == 2
    fresh = tmp_path / "fresh"
    _toy_ingest(src, fresh)
    assert_same_store(out, fresh)
    (src / "b.jsonl").unlink()
    res = _toy_ingest(src, out)
    assert (res.removed, res.files_removed, res.articles) == (6, 1, 11)
    fresh2 = tmp_path / "fresh2"
    _toy_ingest(src, fresh2)
    assert_same_store(out, fresh2)


def test_pipeline_version_change_rebuilds_everything(tmp_path, monkeypatch):
    src = write_jsonl(tmp_path / "a.jsonl", make_records(5))
    out = tmp_path / "store"
    _toy_ingest(src, out)
    monkeypatch.setattr(tokens, "PIPELINE_VERSION", tokens.PIPELINE_VERSION + "-changed")
    res = _toy_ingest(src, out)
    assert res.full_rebuild and res.segmented == 5
    assert open_corpus(out).manifest["pipeline_version"].startswith(tokens.PIPELINE_VERSION)


def test_interrupted_ingest_keeps_previous_store_and_rerun_matches(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl", make_records(12))
    out = tmp_path / "store"
    _toy_ingest(src, out)
    before = tables(out)
    before_manifest = (out / "manifest.json").read_text(encoding="utf-8")
    # the corpus grows; the next ingest dies after writing two parts
    write_jsonl(src / "a.jsonl", make_records(20))
    write_jsonl(src / "b.jsonl", make_records(9, 200))
    real = store_mod._write_chunk
    calls = {"n": 0}

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 2:
            raise KeyboardInterrupt("simulated interruption")
        return real(*args, **kwargs)

    monkeypatch.setattr(store_mod, "_write_chunk", dying)
    with pytest.raises(KeyboardInterrupt):
        _toy_ingest(src, out)
    monkeypatch.setattr(store_mod, "_write_chunk", real)
    assert calls["n"] == 3
    assert (out / "manifest.json").read_text(encoding="utf-8") == before_manifest
    after = tables(out)
    for t in STORE_TABLES:
        pdt.assert_frame_equal(after[t], before[t], obj=t)
    assert not list(tmp_path.glob(".store.*"))  # temp dir removed
    res = _toy_ingest(src, out)
    assert res.articles == 29
    fresh = tmp_path / "fresh"
    _toy_ingest(src, fresh)
    assert_same_store(out, fresh)


def test_killed_run_leftovers_are_cleaned_and_half_swap_recovered(tmp_path):
    src = write_jsonl(tmp_path / "a.jsonl", make_records(5))
    out = tmp_path / "store"
    _toy_ingest(src, out)
    before = tables(out)
    # a run killed mid-way leaves its temp dir; one killed between the two
    # renames of the swap leaves the old store under its .old name
    (tmp_path / ".store.tmp-999-deadbeef" / "tokens").mkdir(parents=True)
    (out).rename(tmp_path / ".store.old-999-deadbeef")
    corpus = open_corpus(out)
    assert len(corpus.articles) == 5
    _toy_ingest(src, out)
    assert not list(tmp_path.glob(".store.*"))
    pdt.assert_frame_equal(tables(out)["tokens"], before["tokens"])


def test_refuses_to_overwrite_a_foreign_directory(tmp_path):
    src = write_jsonl(tmp_path / "a.jsonl", make_records(2))
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("precious", encoding="utf-8")
    with pytest.raises(ValueError, match="not a corpus store"):
        _toy_ingest(src, foreign)
    assert (foreign / "thesis.docx").read_text(encoding="utf-8") == "precious"
    with pytest.raises(ValueError, match="backend"):
        ingest(src, tmp_path / "x", backend="threads")
    with pytest.raises(ValueError, match="chunk_size"):
        ingest(src, tmp_path / "x", chunk_size=0)
    # a misspelt option fails at the call, naming the valid ones, before any work
    with pytest.raises(TypeError, match=r"\['jobs'\].*n_jobs.*columns"):
        ingest(src, tmp_path / "x", jobs=2)
    assert not (tmp_path / "x").exists()
    with pytest.raises(FileNotFoundError):
        open_corpus(tmp_path / "nothing")


def test_duplicates_kept_in_articles_but_out_of_frames(tmp_path):
    recs = make_records(4)
    recs.append(dict(recs[1], id=99))  # exact copy in the same file
    a = write_jsonl(tmp_path / "a.jsonl", recs)
    b = write_jsonl(tmp_path / "b.jsonl", [dict(recs[2], id=77)])  # copy in another file
    out = tmp_path / "store"
    _toy_ingest([a, b], out, chunk_size=50)
    corpus = open_corpus(out)
    arts = corpus.articles
    assert len(arts) == 6 and arts["is_duplicate"].sum() == 2
    frame = corpus.frame()
    assert len(frame) == 4 and not frame["doc_id"].duplicated().any()
    everything = corpus.frame(include_duplicates=True)
    assert len(everything) == 6
    # each copy carries the same tokens as its original
    by_title = everything.groupby("title")["tokens"].apply(lambda s: len({tuple(t) for t in s}))
    assert (by_title == 1).all()


def test_limit_counts_records_over_inputs(tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", make_records(5))
    b = write_jsonl(tmp_path / "b.jsonl", make_records(5, 10))
    res = _toy_ingest([a, b], tmp_path / "store", limit=7)
    assert res.articles == 7
    paths = open_corpus(tmp_path / "store").articles["source_path"].tolist()
    assert paths[-1] == f"{b.resolve().as_posix()}#2"


def test_corpus_is_exported():
    import corpus_tools
    assert corpus_tools.ingest is ingest and corpus_tools.open_corpus is open_corpus
    assert corpus_tools.Corpus is Corpus


_SLOW_SEGMENTER = '''
import re, time
def slow_segment(text):
    time.sleep(0.02)
    return [re.findall(r"\\w+|[^\\w\\s]", s) for s in re.split(r"(?<=[.!?])\\s+", text) if s.strip()]
'''


def test_killed_process_leaves_previous_store_intact(tmp_path, monkeypatch):
    """SIGKILL in the middle of an ingest: the old store is untouched and the
    next run produces the same store as an uninterrupted one."""
    import os
    import signal
    import subprocess
    import sys
    import time

    (tmp_path / "slowseg.py").write_text(_SLOW_SEGMENTER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import slowseg

    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl", make_records(6))
    out = tmp_path / "store"
    kw = dict(segmenter=slowseg.slow_segment, backend="serial", chunk_size=2, progress=False)
    ingest(src, out, **kw)
    before = tables(out)
    write_jsonl(src / "a.jsonl", make_records(30))
    script = (f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import slowseg\n"
              f"from corpus_tools.store import ingest\n"
              f"ingest({str(src)!r}, {str(out)!r}, segmenter=slowseg.slow_segment, "
              f"backend='serial', chunk_size=2, progress=False)\n")
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.time() + 240
        while time.time() < deadline and proc.poll() is None:
            if any(tmp_path.glob(".store.tmp-*/tokens/part-*-00002.parquet")):
                break
            time.sleep(0.1)
        assert proc.poll() is None, "ingest finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert list(tmp_path.glob(".store.tmp-*"))  # the killed run's half-written store
    after = tables(out)
    for t in STORE_TABLES:
        pdt.assert_frame_equal(after[t], before[t], obj=t)
    ingest(src, out, **kw)
    assert not list(tmp_path.glob(".store.*"))
    fresh = tmp_path / "fresh"
    ingest(src, fresh, **kw)
    assert_same_store(out, fresh)


# ------------------------------------------------------------------ corpus-wide duplicates

def _near_copy(rec: dict, new_id: int) -> dict:
    """The same story syndicated: one sentence appended and the title changed,
    so it is not an exact copy but a near-duplicate (Jaccard of shingles >= 0.8)."""
    return dict(rec, id=new_id, title=f"{rec['title']} (đăng lại)",
                text=rec["text"] + " Nguồn: Báo điện tử Đảng Cộng sản Việt Nam.")


def _dup_records() -> list[dict]:
    recs = make_records(12)
    recs.insert(9, _near_copy(recs[1], 101))   # chunk 3 with chunk_size=4; original in chunk 1
    recs.append(dict(recs[2], id=102))         # exact copy, last chunk
    return recs


def test_near_duplicates_across_chunks_are_flagged_like_a_single_chunk(tmp_path):
    from corpus_tools.dedupe import shingle_jaccard
    recs = _dup_records()
    assert 0.8 <= shingle_jaccard(recs[1]["text"], recs[9]["text"]) < 1.0
    src = write_jsonl(tmp_path / "a.jsonl", recs)
    res = _toy_ingest(src, tmp_path / "chunked", chunk_size=4)
    _toy_ingest(src, tmp_path / "whole", chunk_size=1000)
    chunked = open_corpus(tmp_path / "chunked").articles
    whole = open_corpus(tmp_path / "whole").articles
    assert len(open_corpus(tmp_path / "chunked").manifest["sources"][src.resolve().as_posix()]["parts"]) == 4
    ids = chunked["doc_id"].tolist()
    assert chunked["doc_id"].is_unique
    assert chunked["is_duplicate"].tolist() == [i in (9, 13) for i in range(14)]
    assert chunked["duplicate_of"].tolist()[9] == ids[1]
    assert chunked["duplicate_of"].tolist()[13] == ids[2]
    assert res.duplicates == 2
    # the same ids and flags as one chunk, and as load_articles on the whole file
    loaded = load_articles(src, progress=False)
    for col in ("doc_id", "is_duplicate", "duplicate_of"):
        got = [[v if not pd.isna(v) else None for v in df[col]] for df in (chunked, whole, loaded)]
        assert got[0] == got[1] == got[2], col
    # each copy has its own token rows under its own id
    toks = open_corpus(tmp_path / "chunked").read_table("tokens")
    assert set(toks["doc_id"]) == set(ids)
    assert open_corpus(tmp_path / "chunked").info()["duplicates"] == 2


def test_incremental_duplicate_flags_equal_a_fresh_ingest(tmp_path):
    recs = make_records(10)
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "b.jsonl", recs)
    out = tmp_path / "store"
    _toy_ingest(src, out)
    assert not open_corpus(out).articles["is_duplicate"].any()
    # a new file sorted first holds the originals: b's copies must now be the duplicates
    write_jsonl(src / "a.jsonl", [_near_copy(recs[6], 50), dict(recs[3], id=51),
                                  dict(make_records(1, 40)[0], id=52)])
    res = _toy_ingest(src, out)
    assert res.files_new == 1 and res.files_unchanged == 1
    fresh = tmp_path / "fresh"
    _toy_ingest(src, fresh)
    assert_same_store(out, fresh)
    arts = open_corpus(out).articles
    assert arts["is_duplicate"].sum() == 2 and arts["doc_id"].is_unique
    # and back: removing a.jsonl clears the flags and restores b's first ids
    (src / "a.jsonl").unlink()
    _toy_ingest(src, out)
    again = tmp_path / "again"
    _toy_ingest(src, again)
    assert_same_store(out, again)
    assert not open_corpus(out).articles["is_duplicate"].any()


_SLOW_INGEST = '''
import sys, time
sys.path.insert(0, {tests!r})
from test_store import toy_segment
from corpus_tools.store import ingest

def slow_segment(text):
    time.sleep(0.05)
    return toy_segment(text)

print("started", flush=True)
res = ingest({src!r}, {out!r}, segmenter=slow_segment, backend="serial", chunk_size=4,
             progress=False)
print("done", res.articles, flush=True)
'''


def _start_slow_ingest(tmp_path):
    """An ingest of 40 records in another process, returned once it holds the lock:
    (source, store, lock file, process)."""
    import subprocess
    import sys
    import time
    src = write_jsonl(tmp_path / "a.jsonl", make_records(40))
    out = tmp_path / "store"
    script = tmp_path / "slow.py"
    script.write_text(_SLOW_INGEST.format(tests=str(Path(__file__).parent), src=str(src),
                                          out=str(out)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "started"
    lock = tmp_path / ".store.lock"
    for _ in range(200):  # until it holds the lock
        if lock.exists() and lock.read_text(encoding="utf-8").strip():
            break
        time.sleep(0.05)
    return src, out, lock, proc


def test_a_second_ingest_into_a_store_being_written_fails_at_once(tmp_path):
    """Two real processes: the second run is refused, naming the first; the first
    run's store is intact; afterwards the lock is free again."""
    src, out, lock, first = _start_slow_ingest(tmp_path)
    with pytest.raises(RuntimeError, match=rf"being written by another ingest \(process {first.pid}\)"):
        _toy_ingest(src, out)
    rest = first.communicate(timeout=300)[0]
    assert first.returncode == 0 and "done 40" in rest
    assert open_corpus(out).info()["articles"] == 40  # the first run's result is intact
    assert _toy_ingest(src, out).articles == 40  # the lock is free again
    assert not lock.exists()


def test_a_killed_ingest_leaves_a_stale_lock_that_the_next_run_takes_over(tmp_path):
    import signal
    src, out, lock, first = _start_slow_ingest(tmp_path)
    first.send_signal(signal.SIGKILL)  # no cleanup runs: the lock file stays behind
    first.wait(timeout=60)
    assert lock.exists()
    res = _toy_ingest(src, out)  # the OS released the dead run's lock
    assert res.articles == 40 and open_corpus(out).info()["articles"] == 40
    assert not lock.exists()


def test_read_table_of_some_articles(seed_store):
    c = open_corpus(seed_store)
    tok = c.read_table("tokens", ["doc_id", "token"])
    some = sorted(tok["doc_id"].unique())[:2]
    part = c.read_table("tokens", ["doc_id", "token"], doc_ids=some)
    assert sorted(part["doc_id"].unique()) == some
    assert len(part) == int(tok["doc_id"].isin(some).sum())
    none = c.read_table("tokens", ["doc_id", "token"], doc_ids=[])
    assert none.empty and list(none.columns) == ["doc_id", "token"]


# ------------------------------------------------------------------ one read per input

def test_each_input_is_read_once_and_hashed_in_that_read(tmp_path, monkeypatch):
    from corpus_tools.readers import read_records
    from corpus_tools.store import _layout, _profiles
    src = tmp_path / "in"
    (src / "site").mkdir(parents=True)
    write_jsonl(src / "a.jsonl", make_records(9))
    write_jsonl(src / "b.jsonl", make_records(6, 20))
    for i, seed in enumerate(sorted(SEEDS.glob("*.txt"))[:3]):
        (src / "site" / f"{i}.txt").write_bytes(seed.read_bytes())
    reads: Counter = Counter()
    hashed: Counter = Counter()

    def counting_read(path, **kw):
        reads[Path(path).name] += 1
        return read_records(path, **kw)

    def counting_sha(path):
        hashed[Path(path).name] += 1
        return real_sha(path)
    real_sha = _layout._file_sha256
    monkeypatch.setattr(_profiles, "read_records", counting_read)
    monkeypatch.setattr(_layout, "_file_sha256", counting_sha)
    monkeypatch.setattr(store_mod, "_file_sha256", counting_sha)
    out = tmp_path / "store"
    first = _toy_ingest(src, out, chunk_size=2)  # several chunks per file: still one read
    assert first.articles == 18
    assert reads == Counter({"a.jsonl": 1, "b.jsonl": 1, "0.txt": 1, "1.txt": 1, "2.txt": 1})
    assert not hashed  # a fresh build takes every digest from its one read
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    import hashlib
    for entry in manifest["sources"].values():
        for f, digest in entry["files"].items():
            assert digest == hashlib.sha256(Path(f).read_bytes()).hexdigest()
    # a change: every file hashed ahead to compare, only the changed source read again
    reads.clear()
    write_jsonl(src / "b.jsonl", make_records(7, 20))
    again = _toy_ingest(src, out, chunk_size=2)
    assert (again.new, again.unchanged, again.files_changed) == (1, 18, 1)
    assert reads == Counter({"b.jsonl": 1})
    assert hashed == Counter({"a.jsonl": 1, "b.jsonl": 1, "0.txt": 1, "1.txt": 1, "2.txt": 1})
    fresh = tmp_path / "fresh"
    _toy_ingest(src, fresh, chunk_size=2)
    assert_same_store(out, fresh)


def test_a_truncated_gzip_export_is_ingested_up_to_the_cut_and_the_rest_reported(tmp_path):
    import gzip
    src = tmp_path / "in"
    src.mkdir()
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in make_records(12)).encode("utf-8")
    whole = gzip.compress(data)
    (src / "feed.jsonl.gz").write_bytes(whole[: len(whole) - 40])  # a cut-off download
    res = _toy_ingest(src, tmp_path / "store", chunk_size=5)
    report = json.loads((tmp_path / "store" / "ingest_report.json").read_text(encoding="utf-8"))
    units = [u for r in report["sources"].values() for u in r["units"]]
    loaded = [u for u in units if u["status"] == "loaded"]
    assert res.articles == len(loaded) >= 10
    assert [u["reason"] for u in units if u["status"] == "skipped"] == [
        f"file truncated or corrupt after line {len(loaded)}: "
        "compressed file ended before the end-of-stream marker"]


# ------------------------------------------------------------------ token arrays on disk

def test_ingest_writes_the_token_arrays_that_analysis_memory_maps(seed_store, tmp_path):
    import shutil
    from corpus_tools.store._arrays import ARRAYS_DIR, build_token_arrays, read_token_arrays
    c = open_corpus(seed_store)
    mapped = read_token_arrays(c.path, c._parts)
    assert mapped is not None and isinstance(mapped["norm"], np.memmap)
    built = build_token_arrays(c.path, c._parts)
    for key, want in built.items():
        got = mapped[key]
        if isinstance(want, np.ndarray) and want.dtype != object:
            assert np.array_equal(np.asarray(got), want), key
        elif isinstance(want, np.ndarray):
            assert got.tolist() == want.tolist(), key
        else:
            assert got == want, key
    # a store without them (older, or copied without the folder) answers the same, from memory
    bare = tmp_path / "bare"
    shutil.copytree(seed_store, bare)
    shutil.rmtree(bare / ARRAYS_DIR)
    a, b = open_corpus(seed_store), open_corpus(bare)
    Xa, va, ra = a.dtm(min_df=2)
    Xb, vb, rb = b.dtm(min_df=2)
    assert va == vb and (Xa != Xb).nnz == 0 and ra.equals(rb)
    pdt.assert_frame_equal(a.kwic("Đảng"), b.kwic("Đảng"))
    pdt.assert_frame_equal(a.frame(unit="paragraph"), b.frame(unit="paragraph"))


def test_dtm_counted_block_by_block_equals_one_block_and_a_recount(seed_store, monkeypatch):
    c = open_corpus(seed_store)
    X1, v1, r1 = c.dtm(stopwords="general")
    monkeypatch.setattr(Corpus, "BLOCK_TOKENS", 50)  # many blocks, some of one document
    c2 = open_corpus(seed_store)
    X2, v2, r2 = c2.dtm(stopwords="general")
    assert v1 == v2 and (X1 != X2).nnz == 0 and r1.equals(r2)
    f = c2.frame(stopwords="general")
    col = {w: i for i, w in enumerate(v2)}
    for i, toks in enumerate(f["tokens"]):
        want = Counter(toks)
        row = X2.getrow(i)
        assert {v2[j]: n for j, n in zip(row.indices, row.data)} == dict(want)
        assert set(want) <= set(col)


def test_saved_token_index_equals_the_one_built_in_memory(seed_store):
    import corpus_tools as ct
    from corpus_tools.store._arrays import ARRAYS_DIR
    saved = open_corpus(seed_store)
    assert (seed_store / ARRAYS_DIR / "index" / "word_order.npy").exists()
    meta, ti = saved.token_index()
    assert isinstance(ti.positions, np.memmap)  # read from the store, not built
    built = open_corpus(seed_store)
    built._saved_token_index = lambda: None
    meta2, ti2 = built.token_index()
    pdt.assert_frame_equal(meta, meta2)
    for name in ("codes", "lengths", "offsets", "sentences", "positions"):
        assert np.array_equal(np.asarray(getattr(ti, name)), np.asarray(getattr(ti2, name))), name
    for q in ("Bộ Chính trị", "Đảng", "phòng, chống tham nhũng", ["thực_hiện", "Chỉ_thị"]):
        for match in ("term", "word", "anywhere"):
            pdt.assert_frame_equal(saved.kwic(q, match=match), built.kwic(q, match=match))
    terms = ["Đảng", "cán bộ", "Bộ Chính trị"]
    pdt.assert_frame_equal(ct.term_rates(saved, terms, by="year", n_boot=50),
                           ct.term_rates(built, terms, by="year", n_boot=50))
    # another selection (duplicates kept) is built in memory, as before
    assert not isinstance(saved.token_index(include_duplicates=True)[1].positions, np.memmap)
    # the article metadata: one saved file, the same frame as read from every part
    assert (seed_store / ARRAYS_DIR / "articles.parquet").exists()
    built._arrays_match = lambda: False
    built._cache.clear()
    pdt.assert_frame_equal(saved._meta(), built._meta())
    pdt.assert_frame_equal(saved.articles, built.articles)


def test_iter_table_is_read_table_part_by_part_and_levels_are_read_that_way(seed_store):
    from corpus_tools.reuse._docs import _levels, _store_levels
    c = open_corpus(seed_store)
    parts = list(c.iter_table("articles", ["doc_id", "title", "text", "paragraphs"]))
    assert len(parts) == len(c._parts) >= 1
    whole = c.read_table("articles", ["doc_id", "title", "text", "paragraphs"])
    pdt.assert_frame_equal(pd.concat(parts, ignore_index=True), whole)
    rows = c.token_ids("article", include_duplicates=True)[0].reset_index(drop=True)
    texts = rows["doc_id"].map(dict(zip(whole["doc_id"], whole["text"])))
    assert _store_levels(c, rows).tolist() == _levels("auto", rows, texts).tolist()
    with pytest.raises(ValueError, match="table must be one of"):
        next(c.iter_table("words"))


def test_iter_table_goes_part_by_part(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", make_records(9))
    _toy_ingest(tmp_path / "a.jsonl", tmp_path / "store", chunk_size=2)
    c = open_corpus(tmp_path / "store")
    parts = list(c.iter_table("tokens", ["doc_id", "token"]))
    assert len(parts) == len(c._parts) == 5
    pdt.assert_frame_equal(pd.concat(parts, ignore_index=True), c.read_table("tokens", ["doc_id", "token"]))


def test_out_of_core_paths_equal_the_in_memory_ones_on_a_shared_corpus(tmp_path, monkeypatch):
    """On a slice of each shared corpus: the memory-mapped arrays, the saved index,
    the block-by-block DTM and the code-based counting give what the in-memory build
    and the frames give."""
    import corpus_tools as ct
    from conftest import shared_corpus
    from corpus_tools.topics import TopicVectorizer
    for name in ("unc_dantri.jsonl.gz", "vietnews_party.jsonl.gz"):
        out = tmp_path / name.split(".")[0]
        ingest(shared_corpus(name), out, limit=150, progress=False)
        mapped = open_corpus(out)
        assert isinstance(mapped._index()["norm"], np.memmap)
        memory = open_corpus(out)  # everything built in memory from the parts, as before
        memory._arrays_match = lambda: False
        memory._saved_token_index = lambda: None
        import corpus_tools.store._corpus as cmod
        monkeypatch.setattr(cmod, "read_token_arrays", lambda *a: None)
        assert not isinstance(memory._index()["norm"], np.memmap)
        monkeypatch.undo()
        Xa, va, ra = mapped.dtm(min_df=2)
        Xb, vb, rb = memory.dtm(min_df=2)
        assert va == vb and (Xa != Xb).nnz == 0
        pdt.assert_frame_equal(ra, rb)
        for q in ("Đảng", "chính phủ", "Bộ Chính trị"):
            pdt.assert_frame_equal(mapped.kwic(q), memory.kwic(q))
        terms = ["Đảng", "nhân dân", "phát triển"]
        pdt.assert_frame_equal(ct.term_rates(mapped, terms, by="month", n_boot=50),
                               ct.term_rates(memory, terms, by="month", n_boot=50))
        frame = memory.frame()
        pdt.assert_frame_equal(ct.term_cooccurrence(mapped), ct.term_cooccurrence(frame))
        a, b = TopicVectorizer(), TopicVectorizer()
        assert (a.fit_transform(mapped) != b.fit_transform(frame)).nnz == 0
        assert a.vocabulary_ == b.vocabulary_


def test_kwic_lines_keep_their_order_when_a_token_holds_a_newline():
    """The lines are made readable in one pass over newline-joined pieces; a token with a
    newline of its own (a custom segmenter may keep one) must not shift them."""
    import numpy as np
    from corpus_tools.store._kwic import kwic_lines
    vocab = np.array(["Bộ_Chính_trị", "họp", "a\\nb", ",", "hôm_nay"], dtype=object)
    idx = {"surf": np.array([0, 1, 2, 3, 4, 1, 0], dtype=np.int32),
           "pos": np.arange(7, dtype=np.int32), "surf_vocab": vocab}
    left, kw, right = kwic_lines(idx, np.array([0, 6]), np.array([1, 7]), np.array([7, 7]), 2)
    assert kw == ["Bộ Chính trị", "Bộ Chính trị"]
    assert right == ["họp a\\nb", ""] and left == ["", "hôm nay họp"]
