"""Text reuse: passages, clusters, formulas, uptake (corpus_tools.reuse)."""
import gzip
import json

import numpy as np
import pandas as pd
import pytest

import corpus_tools as ct
from conftest import shared_corpus


@pytest.fixture(scope="module")
def seeds_store():
    from pathlib import Path
    path = Path(__file__).resolve().parents[1] / "data" / "processed"
    if not (path / "manifest.json").exists():
        pytest.skip("bundled corpus not ingested (make ingest)")
    return ct.open_corpus(path)


def _words(rng, n, vocab=5000):
    return [f"w{int(x)}" for x in rng.integers(0, vocab, n)]


def test_seed_passages_read_by_eye(seeds_store):
    # Read in the five sample articles: the 2020 central article cites Chỉ thị 35-CT/TW
    # (2019, for the XIII Congress) and the 2024 provincial one Chỉ thị 35-CT/TW of
    # 14/6/2024 (for the XIV Congress) in the same words but for the date and the numeral;
    # both "làm việc với Ban Thường vụ Đảng ủy Khối" of their bloc. The 2019 Hà Nội bloc
    # article shares the title of Chỉ thị 05 and the Nghị quyết Trung ương 4 formula
    # (shortened) with the 2022 district article, and "ý kiến vào Dự thảo Báo cáo chính
    # trị Đại hội lần thứ" with Thanh Xuân's.
    r = ct.find_reuse(seeds_store, min_length=8)
    got = {(p.doc_id_a, p.doc_id_b, p.text_a, p.text_b) for p in r.passages.itertuples()}
    assert got == {
        ("3362fde352b02252", "920831b56e5e4521",
         "Chỉ thị số 35-CT/TW của Bộ Chính trị về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc "
         "lần thứ XIII của Đảng",
         "Chỉ thị số 35-CT/TW, ngày 14/6/2024 của Bộ Chính trị về đại hội đảng bộ các cấp tiến tới Đại hội đại "
         "biểu toàn quốc lần thứ XIV của Đảng"),
        ("3362fde352b02252", "920831b56e5e4521", "làm việc với Ban Thường vụ Đảng ủy Khối các cơ quan",
         "làm việc với Ban Thường vụ Đảng ủy Khối Cơ quan"),
        ("07b81ea0d68e5007", "0c0f8b45a400c080",
         "Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
         "đẩy mạnh “Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
        ("07b81ea0d68e5007", "0c0f8b45a400c080",
         "gắn với thực hiện Nghị quyết Trung ương 4 (khóa XII) về xây dựng, chỉnh đốn Đảng",
         "gắn với thực hiện Nghị quyết Trung ương 4 về xây dựng Đảng"),
        ("07b81ea0d68e5007", "98b442997a3cadac",
         "ý kiến vào Dự thảo Báo cáo chính trị Đại hội lần thứ",
         "ý kiến vào dự thảo Báo cáo chính trị Đại hội lần thứ"),
    }
    # the character spans point at the passage in the article's own text
    text = seeds_store.articles.set_index("doc_id")["text"]
    for p in r.passages.itertuples():
        assert text[p.doc_id_a][p.char_start_a:p.char_end_a] == p.text_a
        assert text[p.doc_id_b][p.char_start_b:p.char_end_b] == p.text_b
    # the edits of the 35-CT/TW pair, as a reader sees them
    pid = r.passages.loc[r.passages["text_a"].str.startswith("Chỉ thị số 35"), "passage_id"].iat[0]
    d = r.diff(pid)
    edits = d[d["tag"] != "equal"][["tag", "text_a", "text_b"]].values.tolist()
    assert edits == [["insert", "", "ngày 14/6/2024"], ["replace", "XIII", "XIV"]]
    row = r.passages.set_index("passage_id").loc[pid]
    assert row["aligned_length"] == 21 and row["matched"] == 18
    assert (row["level_a"], row["level_b"]) == ("central", "provincial")
    # default min_length (15 words): only the long one is a passage; it is a cluster
    # first seen in the central article of 2020
    r15 = ct.find_reuse(seeds_store)
    assert len(r15.passages) == 1 and len(r15.clusters) == 1
    c = r15.clusters.iloc[0]
    assert (c["first_doc_id"], c["first_level"], c["n_articles"], c["kind"]) == \
        ("3362fde352b02252", "central", 2, "reuse")
    assert c["spread_days"] == (pd.Timestamp("2024-09-26") - pd.Timestamp("2020-08-07")).days
    flows = ct.reuse_flows(r15)
    assert flows[["source", "target", "n_articles"]].values.tolist() == [["central", "provincial", 1]]


def test_seed_formulas_read_by_eye(seeds_store):
    # Phrases read in two or more of the sample articles (each its own site)
    f = ct.find_formulas(seeds_store)
    table = f.table.set_index("formula")
    for phrase, n_docs in [("tự diễn biến, tự chuyển hóa", 2), ("công tác xây dựng, chỉnh đốn Đảng", 2),
                           ("Mặt trận Tổ quốc và các tổ chức chính trị - xã hội", 2),
                           ("Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", 2),
                           ("Ủy viên Trung ương Đảng, Phó Bí thư", 2), ("làm việc với Ban Thường vụ", 3)]:
        assert table.loc[phrase, "n_docs"] == n_docs, phrase
    # closed: "tự diễn biến, tự chuyển hóa" is not also listed cut short
    assert "tự diễn biến, tự" not in table.index
    # no formula opens or closes on a function word
    stops = ct.resolve_stopwords("general")
    for key in f.table["key"]:
        w = key.split()
        assert w[0] not in stops and w[-1] not in stops, key
    # a brute-force recount of the articles containing each formula's words
    fr = seeds_store.frame(include_duplicates=True)
    seqs = {d: " " + " ".join(t).casefold() + " " for d, t in zip(fr["doc_id"], fr["tokens"])}
    for key, n in zip(f.table["key"], f.table["n_docs"]):
        assert sum(f" {key} " in s for s in seqs.values()) == n, key
    spread = ct.formula_spread(f, by="level")
    assert spread.groupby("formula_id")["n_docs"].sum().tolist() == f.table["n_docs"].tolist()


def test_formulas_cross_sites_closed_and_bounded():
    rng = np.random.default_rng(1)
    phrase = ["đẩy_mạnh", "học_tập", "và", "làm", "theo", "tư_tưởng"]
    long_passage = _words(rng, 45, vocab=10 ** 6)
    rows = []
    for i in range(12):
        t = _words(rng, 80)
        if i < 6:  # the phrase, always followed by the same word, in two sites
            t[10:10] = phrase + ["Hồ_Chí_Minh"]
        if i >= 8:  # a 45-word passage: reuse, not a formula
            t[40:40] = long_passage
        site = "A" if i % 2 else "B"
        if i in (6, 7):  # a phrase used by one site only
            t[5:5] = ["ban", "thường_vụ", "quận_ủy", "chỉ_đạo", "sát_sao"]
        rows.append({"doc_id": f"d{i}", "tokens": t, "outlet": site if i not in (6, 7) else "C"})
    f = ct.find_formulas(pd.DataFrame(rows), min_docs=2, levels=None, stopwords=None)
    keys = f.table["key"].tolist()
    assert "đẩy_mạnh học_tập và làm theo tư_tưởng hồ_chí_minh" in keys
    assert "đẩy_mạnh học_tập và làm theo tư_tưởng" not in keys  # not closed
    assert not any("quận_ủy" in k for k in keys)  # one site only
    assert not any(long_passage[20].casefold() in k.split() for k in keys)  # beyond 30 words
    r = ct.find_reuse(pd.DataFrame(rows), levels=None)
    assert len(r.clusters) == 1 and r.clusters["n_articles"].iat[0] == 4
    assert r.passages["aligned_length"].min() >= 45


def test_duplicates_and_furniture_are_marked():
    rng = np.random.default_rng(2)
    notice = _words(rng, 25, vocab=10 ** 6)
    story = _words(rng, 120, vocab=10 ** 6)
    rows = []
    for i in range(5):  # site S closes every article with the same notice
        rows.append({"doc_id": f"s{i}", "tokens": _words(rng, 90) + notice, "outlet": "S"})
    rows.append({"doc_id": "orig", "tokens": story, "outlet": "X"})
    rows.append({"doc_id": "copy", "tokens": list(story), "outlet": "Y", "duplicate_of": "orig"})
    quoted = _words(rng, 60) + story[:40] + _words(rng, 60)  # a passage of the story re-used
    rows.append({"doc_id": "quote", "tokens": quoted, "outlet": "Z"})
    r = ct.find_reuse(pd.DataFrame(rows), levels=None)
    kind = {frozenset((p.doc_id_a, p.doc_id_b)): p.kind for p in r.passages.itertuples()}
    assert kind[frozenset(("orig", "copy"))] == "duplicate"
    assert all(kind[frozenset((f"s{i}", f"s{j}"))] == "furniture" for i in range(5) for j in range(i + 1, 5))
    assert kind[frozenset(("orig", "quote"))] == "reuse"
    # the quoted story is one cluster (a reuse one: it holds a reuse passage), the copy in it
    n = r.clusters.set_index("kind")["n_articles"].to_dict()
    assert n == {"furniture": 5, "reuse": 3}


def test_options_fail_at_the_call():
    f = pd.DataFrame({"doc_id": ["a"], "tokens": [["x"] * 5]})
    with pytest.raises(TypeError, match="min_length"):
        ct.find_reuse(f, min_lenght=10)
    with pytest.raises(ValueError, match="'serial', 'dask'"):
        ct.find_reuse(f, backend="spark")
    with pytest.raises(ValueError, match="ngram"):
        ct.find_reuse(f, ngram=1)
    r = ct.find_reuse(f, levels=None)  # one article: nothing shared, every table empty
    assert r.passages.empty and r.clusters.empty and r.members.empty
    assert ct.find_formulas(f, levels=None).table.empty


def test_uptake_counts_the_lower_articles_reused_words():
    rng = np.random.default_rng(3)
    central_words = _words(rng, 200, vocab=10 ** 6)
    rows = [{"doc_id": "c", "tokens": central_words, "published": "2024-06-20", "level": "central",
             "text": "Chỉ thị số 35-CT/TW ngày 14/6/2024 của Bộ Chính trị."}]
    for i, (take, lvl, day) in enumerate([(40, "provincial", "2024-07-01"), (0, "provincial", "2024-07-05"),
                                          (60, "district", "2024-08-01")]):
        t = _words(rng, 150) + central_words[:take] + _words(rng, 50)
        rows.append({"doc_id": f"l{i}", "tokens": t, "published": day, "level": lvl,
                     "text": "Thực hiện Chỉ thị số 35-CT/TW ngày 14/6/2024 của Bộ Chính trị."})
    rows.append({"doc_id": "other", "tokens": central_words[:80] + _words(rng, 10), "published": "2024-07-02",
                 "level": "provincial", "text": "Không trích dẫn văn bản nào."})
    r = ct.find_reuse(pd.DataFrame(rows))
    up = ct.reuse_uptake(r, "35-CT/TW")
    assert up.document == "35-CT/TW (XIII)"
    a = up.articles.set_index("doc_id")
    assert set(a.index) == {"l0", "l1", "l2"}  # "other" does not cite it; "c" is the top level
    assert a.loc["l0", "reused_tokens"] == 40 and a.loc["l0", "uptake"] == pytest.approx(40 / 240)
    assert a.loc["l1", "reused_tokens"] == 0
    assert a.loc["l2", "reused_tokens"] == 60 and a.loc["l2", "lag_days"] == 42
    assert a.loc["l0", "lag_days"] == 11 and a.loc["l0", "reworded"] == pytest.approx(0.0)
    by = up.by_level.set_index("level")
    assert by.loc["provincial", "n_citing"] == 2 and by.loc["provincial", "n_with_reuse"] == 1
    assert by.loc["provincial", "uptake_mean"] == pytest.approx((40 / 240 + 0) / 2)
    with pytest.raises(ValueError, match="no article cites"):
        ct.reuse_uptake(r, "99-CT/TW")


@pytest.fixture(scope="module")
def dantri_frame():
    path = shared_corpus("unc_dantri.jsonl.gz")
    arts = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            arts.append(json.loads(line))
            if len(arts) >= 260:
                break
    return pd.DataFrame({"doc_id": [str(a["id"]) for a in arts],
                         "tokens": [ct.tokenize(a["text"], lowercase=False) for a in arts],
                         "published": [a["date"] for a in arts], "outlet": [a["category"] for a in arts]})


def test_planted_passages_are_recovered(dantri_frame):
    # a slice of the benchmark (benchmarks/bench_reuse.py): 3 plants per cell
    base = ct.find_reuse(dantri_frame, levels=None)
    planted, truth = ct.plant_passages(dantri_frame, per_cell=3, random_state=5)
    found = ct.find_reuse(planted, levels=None)
    per_plant, summary = ct.score_recovery(found.passages, truth, base.passages)
    assert per_plant["found"].mean() >= 0.95
    assert summary.attrs["precision_overall"] >= 0.95
    assert per_plant["boundaries"].mean() >= 0.9


def test_dask_backend_equals_serial(dantri_frame):
    distributed = pytest.importorskip("distributed")
    planted, _ = ct.plant_passages(dantri_frame.head(120), lengths=(30,), edit_rates=(0.1,), per_cell=10,
                                   random_state=1)
    serial = ct.find_reuse(planted, levels=None)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        dask = ct.find_reuse(planted, levels=None, backend="dask", client=client)
    assert len(serial.passages) >= 10
    pd.testing.assert_frame_equal(serial.passages, dask.passages)
    pd.testing.assert_frame_equal(serial.clusters, dask.clusters)


def test_plots_show_the_passage_and_the_flow(seeds_store):
    from corpus_tools.plots import plot_formula_timeline, plot_passage_pair, plot_reuse_flow
    r = ct.find_reuse(seeds_store)
    fig = plot_passage_pair(r.diff(0), label_a="a", label_b="b")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "XIII" in texts and "XIV" in texts and "14/6/2024" in texts
    shaded = {t.get_text() for t in fig.axes[0].texts if t.get_bbox_patch() is not None}
    assert shaded == {"ngày", "14/6/2024", "XIII", "XIV"}
    fig = plot_reuse_flow(ct.reuse_flows(r))
    labels = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "central" in labels and "provincial" in labels and "1 articles" in labels
    f = ct.find_formulas(seeds_store)
    fig = plot_formula_timeline(ct.formula_spread(f, by="year", n=3))
    assert len(fig.axes[0].get_lines()) == 3


def test_site_of_a_file_without_outlet_or_url_is_its_name_not_its_path():
    from corpus_tools.reuse._docs import _site
    meta = pd.DataFrame({"outlet": [None, "Nhân Dân", None], "url": [None, None, "https://baochinhphu.vn/a"],
                         "source_path": ["/home/me/raw/seeds/004.txt", "/x/1.txt", "/x/2.txt"]})
    assert list(_site(meta)) == ["004.txt", "Nhân Dân", "baochinhphu.vn"]
