"""formulaicness: each measure against a planted truth or a recount."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.stats as st

import corpus_tools as ct


def _background(rng, n_docs, n_words):
    return [[f"từ{int(i)}" for i in rng.integers(0, 20000, n_words)] for _ in range(n_docs)]


def test_formula_share_follows_a_planted_template_share():
    rng = np.random.default_rng(0)
    phrases = [[f"mẫu{i}_{j}" for j in range(8)] for i in range(12)]
    shares = rng.uniform(0, 0.9, 120)
    docs = []
    for body, s in zip(_background(rng, 120, 150), shares):
        for _ in range(int(round(s * len(body) / (1 - s) / 8))):  # phrases scattered, any order
            at = int(rng.integers(0, len(body) + 1))
            body[at:at] = phrases[int(rng.integers(12))]
        docs.append(body)
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(120)], "tokens": docs,
                          "published": pd.Timestamp("2021-01-01") + pd.to_timedelta(np.arange(120), "D"),
                          "outlet": [f"site{i % 6}" for i in range(120)]})
    fm = ct.formulaicness(frame, levels=None)
    planted = [sum(w.startswith("mẫu") for w in t) / len(t) for t in docs]
    assert st.spearmanr(planted, fm["formula_share"]).statistic >= 0.95
    assert list(fm.columns) == ct.FORMULAIC_COLUMNS and fm["doc_id"].tolist() == frame["doc_id"].tolist()


def test_reprint_stickiness_and_specificity_against_a_recount():
    rng = np.random.default_rng(1)
    a, b, c = _background(rng, 3, 100)
    script = [f"kịch_bản{i}" for i in range(40)]
    special = ["Ngày", "15/3/2021", "ông", "Nguyễn_Văn_A", "nói", "đến", "năm", "2030", "đạt", "7,5", "%"]
    day = pd.Timestamp("2021-03-01")
    frame = pd.DataFrame({
        "doc_id": ["a", "b", "c", "d"],
        "tokens": [script + a, b[:60] + script, c, list(c[:90]) + special],
        "published": [day, day + pd.Timedelta(days=1), day, day + pd.Timedelta(days=3)],
        "outlet": ["x.vn", "y.vn", "z.vn", "z.vn"]})
    fm = ct.formulaicness(frame, levels=None).set_index("doc_id")
    assert fm.loc["a", "reprint_share"] == pytest.approx(40 / 140)  # the script, shared with another site
    assert fm.loc["b", "reprint_share"] == pytest.approx(40 / 100)
    assert fm.loc["c", "reprint_share"] == 0 and fm.loc["d", "reprint_share"] == 0
    # d follows c on site z (same level): cosine of their word counts, recounted
    from collections import Counter
    u, v = Counter(frame["tokens"][2]), Counter(frame["tokens"][3])
    cos = sum(u[w] * v[w] for w in u) / (np.sqrt(sum(x * x for x in u.values())) * np.sqrt(sum(x * x for x in v.values())))
    assert fm.loc["d", "stickiness"] == pytest.approx(cos)
    assert np.isnan(fm.loc["a", "stickiness"]) and np.isnan(fm.loc["c", "stickiness"])
    d = fm.loc["d"]
    assert (d["numbers"], d["dates"], d["targets"]) == (2, 1, 1)  # 2030 and 7,5; 15/3/2021; đến năm 2030
    assert d["names"] == 2  # Ngày, Nguyễn_Văn_A (a frame's tokens as given)
    assert d["specificity"] == pytest.approx(100 * 6 / 101)
    with pytest.raises(TypeError, match="unknown option"):
        ct.formulaicness(frame, window=3)


def test_a_store_is_measured_like_its_texts_and_a_duplicate_is_not_sticky(seed_store_corpus):
    store = ct.formulaicness(seed_store_corpus, levels=None).set_index("doc_id")
    arts = seed_store_corpus.articles[["doc_id", "published", "outlet", "text"]]
    texts = ct.formulaicness(arts, levels=None).set_index("doc_id")  # tokens made from the texts
    cols = ["n_tokens", "numbers", "dates", "targets", "names", "specificity"]  # sites may differ: no url here
    pd.testing.assert_frame_equal(store[cols], texts.loc[store.index, cols])
    assert (store["names"] > 0).all()
    # a copy of an article in its own site: no stickiness of 1 with its original
    day = pd.Timestamp("2021-01-01")
    words = [f"từ{i}" for i in range(60)]
    frame = pd.DataFrame({"doc_id": ["a", "b"], "tokens": [words, list(words)], "published": [day, day],
                          "outlet": ["x.vn", "x.vn"], "duplicate_of": [None, "a"]})
    fm = ct.formulaicness(frame, levels=None).set_index("doc_id")
    assert fm["stickiness"].isna().all()
