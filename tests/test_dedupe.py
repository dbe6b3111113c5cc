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
