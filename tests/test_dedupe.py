"""Tests for corpus_tools.dedupe: exact and near copies, LSH against brute force, ids."""
from __future__ import annotations

import gzip
import itertools
import json

import numpy as np
import pandas as pd
import pytest

from conftest import shared_corpus
from corpus_tools.dedupe import content_key, doc_id, flag_duplicates, minhash_signatures, shingle_jaccard


def _jsonl(path, n):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in itertools.islice(fh, n)]


def test_flag_duplicates_exact_and_near():
    base = ("Chiều 14/11, Ban Chấp hành Đảng bộ Khối các cơ quan thành phố tổ chức Hội nghị lần thứ 21 "
            "để họp bàn dự thảo báo cáo chính trị Đại hội, đánh giá kết quả công tác 10 tháng năm 2019, "
            "triển khai nhiệm vụ 2 tháng cuối năm. Hội nghị thống nhất các giải pháp trọng tâm.")
    df = pd.DataFrame({
        "doc_id": ["a", "b", "c", "d", "e", "f"],
        "text": [base, base.upper(), base.replace("trọng tâm.", "trọng tâm. Theo TTXVN"),
                 "Một bài hoàn toàn khác về công tác cán bộ của thành phố.", "", ""],
    })
    before = df.copy()
    out = flag_duplicates(df)
    pd.testing.assert_frame_equal(df, before)  # input untouched
    assert out["is_duplicate"].tolist() == [False, True, True, False, False, False]
    assert out["duplicate_of"].tolist() == [None, "a", "a", None, None, None]
    longest = flag_duplicates(df, keep="longest")
    assert longest["is_duplicate"].tolist() == [True, True, False, False, False, False]
    assert longest["duplicate_of"].tolist()[:2] == ["c", "c"]
    with pytest.raises(ValueError):
        flag_duplicates(df, keep="last")
    with pytest.raises(ValueError):
        flag_duplicates(df, text_col="body")


def test_flag_duplicates_syndicated_copies_on_baomoi():
    """Edited copies of real articles (a word changed, a signature added) are found."""
    rows = _jsonl(shared_corpus("baomoi_2013.jsonl.gz"), 300)
    df = pd.DataFrame({"doc_id": [r["id"] for r in rows], "text": [r["text"] for r in rows]})
    copies = []
    for k in range(0, 300, 30):
        text = df["text"][k]
        if len(text.split()) > 200 and " và " in text:
            copies.append({"doc_id": f"copy-{k}", "text": text.replace(" và ", " cùng ", 1) + " (Theo TTXVN)"})
    assert len(copies) >= 5
    both = pd.concat([df, pd.DataFrame(copies)], ignore_index=True)
    out = flag_duplicates(both)
    flagged = out[out["is_duplicate"]]
    assert sorted(flagged["doc_id"]) == sorted(c["doc_id"] for c in copies)
    assert all(flagged["duplicate_of"] == [f"{d[5:]}" and df["doc_id"][int(d[5:])] for d in flagged["doc_id"]])
    # same seed, same answer
    pd.testing.assert_frame_equal(out, flag_duplicates(both))


def test_flag_duplicates_within_clusters_on_baomoi():
    """At a loose threshold, flagged pairs are same-event stories (same cluster), and LSH finds
    exactly the pairs that a brute-force Jaccard over all pairs finds."""
    rows = _jsonl(shared_corpus("baomoi_2013.jsonl.gz"), 300)
    df = pd.DataFrame({"doc_id": [r["id"] for r in rows], "text": [r["text"] for r in rows],
                       "cluster": [r["cluster"] for r in rows]})
    thr = 0.3
    out = flag_duplicates(df, threshold=thr, num_perm=128)
    dups = out[out["is_duplicate"]]
    assert len(dups) >= 5
    cluster = dict(zip(df["doc_id"], df["cluster"]))
    assert all(cluster[d] == cluster[k] for d, k in zip(dups["doc_id"], dups["duplicate_of"]))

    def shingles(t):
        w = t.casefold().split()
        return set(zip(w, w[1:], w[2:]))

    sets = [shingles(t) for t in df["text"]]
    brute = set()
    for i, j in itertools.combinations(range(len(sets)), 2):
        a, b = sets[i], sets[j]
        if a and b and len(a & b) / len(a | b) >= thr:
            brute.update((i, j))
    flagged_or_kept = set(np.flatnonzero(out["is_duplicate"])) | {
        int(np.flatnonzero(df["doc_id"] == k)[0]) for k in dups["duplicate_of"]}
    assert flagged_or_kept == brute


def test_ids_and_signatures_agree_with_the_jaccard():
    a = "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 15 đã thảo luận và thông qua nghị quyết"
    b = a + " về công tác cán bộ"
    assert doc_id(content_key("T", a)) != doc_id(content_key("T", a), 2)
    assert len(doc_id(content_key(None, a))) == 16
    sig, exact = minhash_signatures([a, b, a, ""])
    assert exact[0] == exact[2] != exact[1] and exact[3] == 0
    est = (sig[0] == sig[1]).mean()  # MinHash estimate of the Jaccard
    assert abs(est - shingle_jaccard(a, b)) < 0.2
    flags = flag_duplicates(pd.DataFrame({"doc_id": list("wxyz"), "text": [a, b, a, ""]}))
    assert flags["is_duplicate"].tolist() == [False, False, True, False]
    assert flags["duplicate_of"].tolist()[2] == "w"


BODY = ("Sáng 12/1, Ban Thường vụ Tỉnh ủy tổ chức hội nghị quán triệt Nghị quyết Đại hội XIII của Đảng "
        "đến cán bộ chủ chốt toàn tỉnh. Hội nghị thống nhất các giải pháp trọng tâm để đưa nghị quyết "
        "vào cuộc sống, gắn với công tác xây dựng, chỉnh đốn Đảng và hệ thống chính trị trong sạch, vững mạnh.")


def test_the_earliest_published_copy_is_kept_not_the_first_listed():
    df = pd.DataFrame({"doc_id": ["repub", "orig", "undated", "other"],
                       "published": pd.to_datetime(["2026-01-14", "2026-01-12", None, "2026-01-10"]),
                       "text": [BODY + " (Theo Báo Nhân Dân)", BODY, BODY, "Một bài khác hẳn về giao thông."]})
    out = flag_duplicates(df)
    assert out["is_duplicate"].tolist() == [True, False, True, False]
    assert out["duplicate_of"].tolist() == ["orig", None, "orig", None]
    assert flag_duplicates(df, keep="first")["duplicate_of"].tolist() == [None, "repub", "repub", None]
    with pytest.raises(ValueError, match="'earliest', 'first', 'longest'"):
        flag_duplicates(df, keep="latest")


def _republished_folder(root):
    """A site that republished an article two days later, the republication listed first."""
    root.mkdir()
    rows = [{"id": "r", "title": "Quán triệt Nghị quyết", "date": "2026-01-14T08:00:00", "text": BODY},
            {"id": "o", "title": "Quán triệt Nghị quyết", "date": "2026-01-12T08:00:00", "text": BODY},
            {"id": "x", "title": "Giao thông", "date": "2026-01-13T08:00:00",
             "text": "Tỉnh khởi công tuyến đường mới nối hai huyện miền núi. Công trình dài 20 km."}]
    (root / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return root


def test_load_store_and_incremental_ingest_keep_the_original(tmp_path):
    import corpus_tools as ct
    folder = _republished_folder(tmp_path / "raw")
    df = ct.load_articles(folder, progress=False)
    kept = df[~df["is_duplicate"]]
    assert sorted(kept["published"].dt.day) == [12, 13]  # the original, not the later copy
    ct.ingest(folder, tmp_path / "store", backend="serial", progress=False)
    arts = ct.open_corpus(tmp_path / "store").articles
    assert sorted(arts.loc[~arts["is_duplicate"], "published"].dt.day) == [12, 13]
    dup = arts[arts["is_duplicate"]].iloc[0]
    assert dup["published"].day == 14 and dup["duplicate_of"] in set(arts.loc[~arts["is_duplicate"], "doc_id"])
    assert set(zip(arts["doc_id"], arts["duplicate_of"].fillna(""))) == \
        set(zip(df["doc_id"], df["duplicate_of"].fillna("")))
    # a later, earlier-dated copy in a new file takes over as the original, as a fresh ingest would
    (folder / "b.jsonl").write_text(json.dumps({"id": "e", "title": "Quán triệt Nghị quyết",
                                                "date": "2026-01-11T08:00:00", "text": BODY},
                                               ensure_ascii=False), encoding="utf-8")
    ct.ingest(folder, tmp_path / "store", backend="serial", progress=False)
    ct.ingest(folder, tmp_path / "fresh", backend="serial", progress=False)
    inc = ct.open_corpus(tmp_path / "store").articles.sort_values("doc_id").reset_index(drop=True)
    fresh = ct.open_corpus(tmp_path / "fresh").articles.sort_values("doc_id").reset_index(drop=True)
    cols = ["doc_id", "published", "is_duplicate", "duplicate_of"]
    pd.testing.assert_frame_equal(inc[cols], fresh[cols])
    assert inc.loc[~inc["is_duplicate"] & (inc["title"] == "Quán triệt Nghị quyết"), "published"].dt.day.tolist() == [11]


def test_article_ids_number_identical_copies_in_corpus_order():
    from corpus_tools.dedupe import article_id, copy_numbers
    import hashlib
    arts = [("Tiêu đề", "Nội dung một."), ("Tiêu đề", "Nội dung hai."), ("Tiêu đề", "Nội dung một."),
            (None, "Nội dung một."), ("Tiêu đề", "Nội dung một.")]
    copies = copy_numbers(arts)
    assert copies == [1, 1, 2, 1, 3]
    ids = [article_id(t, x, c) for (t, x), c in zip(arts, copies)]
    assert len(set(ids)) == 5
    assert ids[0] == hashlib.sha1("Tiêu đề\n\nNội dung một.".encode()).hexdigest()[:16]
    assert ids[2] == hashlib.sha1("Tiêu đề\n\nNội dung một.#2".encode()).hexdigest()[:16]
    assert article_id(float("nan"), "Nội dung một.") == ids[3]  # a missing title (NaN) is none
