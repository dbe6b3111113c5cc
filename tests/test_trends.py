"""Tests for corpus_tools.trends: counting modes, rates and bootstrap intervals,
keyness against scipy, Mann-Kendall, change points, composition, plots."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from corpus_tools import trends
from corpus_tools.trends import (
    corpus_composition,
    term_counts,
    term_keyness,
    term_rates,
    trend_tests,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _frame(tokens, published=None, outlet=None):
    n = len(tokens)
    return pd.DataFrame({
        "doc_id": [f"d{i}" for i in range(n)],
        "published": pd.to_datetime(published if published is not None else ["2020-01-15"] * n),
        "outlet": outlet if outlet is not None else ["A"] * n,
        "title": [""] * n,
        "tokens": tokens,
    })


@pytest.fixture()
def small():
    return _frame(
        [
            ["Bộ_Chính_trị", "họp", "về", "chính_trị"],
            ["chính", "trị", "và", "tham_nhũng"],
            ["phòng", "chống", "tham_nhũng", "phòng", "chống"],
            ["chính_trị"],
            [],
            ["tham_nhũng", "chính_trị", "chính_trị"],
        ],
        published=["2019-01-03", "2019-06-01", "2021-02-01", None, "2021-03-01", "2022-01-01"],
        outlet=["Nhân Dân", "Nhân Dân", "Dân trí", "Dân trí", None, "Nhân Dân"],
    )


# ---------------------------------------------------------------- counting modes
def test_term_word_and_anywhere_modes(small):
    terms = [("chính_trị",), ("phòng", "chống", "tham_nhũng")]
    tok = term_counts(small, terms, match="word")
    term = term_counts(small, terms, match="term")
    anyw = term_counts(small, terms, match="anywhere")
    # word: the query's words only; the split "chính trị" and Bộ_Chính_trị do not count
    assert tok["chính_trị"].tolist() == [1, 0, 0, 1, 0, 2]
    # term (the default): a span of whole words however they split it, so "chính trị"
    # counts, but not inside the word Bộ_Chính_trị
    assert term["chính_trị"].tolist() == [1, 1, 0, 1, 0, 2]
    assert term_counts(small, terms)["chính_trị"].tolist() == [1, 1, 0, 1, 0, 2]
    # anywhere: inside the compound too (case folded)
    assert anyw["chính_trị"].tolist() == [2, 1, 0, 1, 0, 2]
    assert tok["phòng chống tham_nhũng"].tolist() == [0, 0, 1, 0, 0, 0]
    assert (anyw.iloc[:, 2:].to_numpy() >= term.iloc[:, 2:].to_numpy()).all()
    assert (term.iloc[:, 2:].to_numpy() >= tok.iloc[:, 2:].to_numpy()).all()
    assert tok["n_tokens"].tolist() == [4, 4, 5, 1, 0, 3]


def test_phrase_does_not_cross_documents():
    df = _frame([["a", "phòng"], ["chống", "b"]])
    assert term_counts(df, [("phòng", "chống")])["phòng chống"].sum() == 0
    assert term_counts(df, [("phòng", "chống")], match="anywhere")["phòng chống"].sum() == 0


def test_anywhere_respects_syllable_boundaries():
    # "trị" must not match inside a longer syllable, "chính_trị" not inside "chính_trịx"
    df = _frame([["chính_trịx", "xchính_trị", "chính_trị_học"]])
    c = term_counts(df, [("chính_trị",)], match="anywhere")["chính_trị"].tolist()
    assert c == [1]


def test_concept_family_no_double_counting(small):
    # variants given as token tuples (phrases would go through query_tokens)
    lexicon = {"anti_corruption": [("phòng", "chống", "tham_nhũng"), ("tham_nhũng",)]}
    c = term_counts(small, None, concepts=lexicon)
    # doc 2 "phòng chống tham_nhũng": one occurrence, not two
    assert c["anti_corruption"].tolist() == [0, 1, 1, 0, 0, 1]
    r = term_rates(small, ["anti_corruption"], concepts=lexicon, by=None, n_boot=0)
    assert r[["term", "kind", "count"]].values.tolist() == [["anti_corruption", "concept", 3]]


def test_unknown_terms_count_zero(small):
    c = term_counts(small, [("không_có",), ("chính_trị", "không_có")])
    assert c.iloc[:, 2:].to_numpy().sum() == 0


# ---------------------------------------------------------------- rates
def test_rates_periods_and_totals(small):
    r = term_rates(small, [("chính_trị",)], by="year", n_boot=50, match="word")
    assert [str(p) for p in r["period"]] == ["2019", "2020", "2021", "2022"]
    assert r["n_docs"].tolist() == [2, 0, 2, 1]  # the undated document is excluded
    assert r.attrs["n_excluded"] == 1
    assert r["n_tokens"].tolist() == [8, 0, 5, 3]
    assert r["count"].tolist() == [1, 0, 0, 2]
    assert r["rate_per_10k"].iloc[0] == pytest.approx(1e4 * 1 / 8)
    assert np.isnan(r["rate_per_10k"].iloc[1])
    assert r["doc_share"].tolist()[::2] == [0.5, 0.0]
    assert r["thin"].all()


def test_rates_by_metadata_column(small):
    r = term_rates(small, [("tham_nhũng",)], by="outlet", n_boot=0)
    assert r["period"].tolist() == ["Dân trí", "Nhân Dân"]
    assert r["count"].tolist() == [1, 2]
    assert r["rate_low"].isna().all()  # n_boot=0: no intervals


def test_invalid_options(small):
    with pytest.raises(ValueError, match="match"):
        term_rates(small, [("a",)], match="fuzzy")
    with pytest.raises(ValueError, match="by="):
        term_rates(small, [("a",)], by="decade")
    with pytest.raises(ValueError, match="measure"):
        term_keyness({"a": 5}, {"a": 6}, measure="tfidf")


def _synthetic(n_docs, rng, giant=False):
    tokens = []
    for i in range(n_docs):
        k = int(rng.integers(1, 4))
        tokens.append(["x"] * k + ["w"] * 97)
    if giant:
        tokens.append(["x"] * 3000 + ["w"] * 7000)
    return _frame(tokens)


def test_bootstrap_contains_estimate_and_is_deterministic():
    df = _synthetic(60, np.random.default_rng(1))
    r1 = term_rates(df, [("x",)], by="month", random_state=7)
    r2 = term_rates(df, [("x",)], by="month", random_state=7)
    r3 = term_rates(df, [("x",)], by="month", random_state=8)
    row = r1.iloc[0]
    assert row["rate_low"] < row["rate_per_10k"] < row["rate_high"]
    assert row["share_low"] <= row["doc_share"] <= row["share_high"]
    pd.testing.assert_frame_equal(r1, r2)
    assert r1["rate_low"].iloc[0] != r3["rate_low"].iloc[0]
    # a term's interval does not depend on the other terms asked for
    r4 = term_rates(df, [("w",), ("x",)], by="month", random_state=7)
    assert r4.loc[r4["term"] == "x", "rate_low"].iloc[0] == row["rate_low"]


def test_bootstrap_shrinks_with_more_documents():
    rng = np.random.default_rng(2)
    small_df = _synthetic(30, rng)
    big_df = pd.concat([small_df] * 10, ignore_index=True)
    big_df["doc_id"] = [f"d{i}" for i in range(len(big_df))]  # 300 distinct articles
    w_small = term_rates(small_df, [("x",)], by="month").eval("rate_high - rate_low").iloc[0]
    w_big = term_rates(big_df, [("x",)], by="month").eval("rate_high - rate_low").iloc[0]
    assert w_big < w_small / 2.5  # ~ 1/sqrt(10)


def test_one_giant_article_gives_a_wide_interval():
    rng = np.random.default_rng(3)
    even = _synthetic(40, rng)
    giant = _synthetic(40, np.random.default_rng(3), giant=True)
    r_even = term_rates(even, [("x",)], by="month").iloc[0]
    r_giant = term_rates(giant, [("x",)], by="month").iloc[0]
    # the giant article makes the point estimate jump and the interval very wide
    assert r_giant["rate_per_10k"] > 5 * r_even["rate_per_10k"]
    assert (r_giant["rate_high"] - r_giant["rate_low"]) > 20 * (r_even["rate_high"] - r_even["rate_low"])
    assert r_giant["rate_low"] < 3 * r_even["rate_per_10k"]  # the interval reaches back to "no giant"


# ---------------------------------------------------------------- keyness vs scipy
@pytest.mark.parametrize("ca,cb,ta,tb", [(10, 3, 1000, 1200), (0, 7, 500, 800), (25, 25, 300, 900), (1, 40, 5000, 700)])
def test_keyness_equals_scipy(ca, cb, ta, tb):
    a = pd.Series({"t": ca, "other": ta - ca})
    b = pd.Series({"t": cb, "other": tb - cb})
    k = term_keyness(a, b, min_count=0, n=None).set_index("term").loc["t"]
    table = np.array([[ca, cb], [ta - ca, tb - cb]])
    g2, p_g2, _, _ = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")
    chi2, p_chi2, _, _ = stats.chi2_contingency(table, correction=False)
    assert k["g2"] == pytest.approx(g2, abs=1e-9, rel=1e-9)
    assert k["p_g2"] == pytest.approx(p_g2, abs=1e-9, rel=1e-9)
    assert k["chi2"] == pytest.approx(chi2, abs=1e-9, rel=1e-9)
    assert k["p_chi2"] == pytest.approx(p_chi2, abs=1e-9, rel=1e-9)
    ky = term_keyness(a, b, min_count=0, n=None, yates=True).set_index("term").loc["t"]
    chi2y, p_chi2y, _, _ = stats.chi2_contingency(table, correction=True)
    assert ky["chi2"] == pytest.approx(chi2y, abs=1e-9, rel=1e-9)
    assert ky["p_chi2"] == pytest.approx(p_chi2y, abs=1e-9, rel=1e-9)
    assert (k["count_a"], k["count_b"], k["total_a"], k["total_b"]) == (ca, cb, ta, tb)
    expected_lr = np.log2((max(ca, 0.5) / ta) / (max(cb, 0.5) / tb))
    assert k["log_ratio"] == pytest.approx(expected_lr, abs=1e-12)
    assert k["direction"] == ("a" if ca / ta > cb / tb else "b")


def test_keyness_from_frames_ranks_and_labels():
    a = _frame([["đại_hội", "đảng"] * 20 + ["chung"] * 40])
    b = _frame([["chuyển_đổi_số"] * 15 + ["chung"] * 45])
    k = term_keyness(a, b, labels=("2019", "2024"), min_count=5, n=2)
    assert set(k["direction"]) == {"2019", "2024"}
    assert k.loc[k["direction"] == "2024", "term"].tolist() == ["chuyển_đổi_số", "chung"]  # ranked by G²
    assert k.loc[k["direction"] == "2019"].shape[0] == 2
    assert (k["total_a"] == 80).all() and (k["total_b"] == 60).all()
    assert k.loc[k["term"] == "chuyển_đổi_số", "count_a"].item() == 0


# ---------------------------------------------------------------- trend tests
def _series(values, thin=None):
    n = len(values)
    return pd.DataFrame({
        "term": "t", "match": "word",
        "period": pd.period_range("2001", periods=n, freq="Y"),
        "rate_per_10k": values, "n_docs": 50, "thin": thin if thin is not None else [False] * n,
    })


def test_mann_kendall_monotone_and_flat():
    up = trend_tests(_series(np.arange(12) * 1.5 + 3)).iloc[0]
    assert up["mk_s"] == 66 and up["mk_tau"] == 1 and up["trend"] == "increasing" and up["mk_p"] < 0.001
    assert up["sen_slope"] == pytest.approx(1.5)
    down = trend_tests(_series(-np.arange(12.0))).iloc[0]
    assert down["trend"] == "decreasing" and down["mk_s"] == -66
    flat = trend_tests(_series(np.full(12, 4.0))).iloc[0]
    assert flat["mk_s"] == 0 and flat["mk_p"] == 1 and flat["trend"] == "no trend"


def test_mann_kendall_matches_kendalltau_and_ties_variance():
    rng = np.random.default_rng(5)
    x = rng.normal(size=15) + np.linspace(0, 1, 15)
    mk = trends._trend_tests._mann_kendall(x, continuity=False)
    tau, p = stats.kendalltau(np.arange(15), x, method="asymptotic")
    assert mk["mk_tau"] == pytest.approx(tau, abs=1e-12)
    assert mk["mk_p"] == pytest.approx(p, abs=1e-12)
    # ties: Var(S) = [n(n-1)(2n+5) - sum t(t-1)(2t+5)] / 18
    xt = np.array([1, 2, 2, 3, 3, 3, 4.0])
    assert trends._trend_tests._mann_kendall(xt)["mk_var_s"] == pytest.approx((7 * 6 * 19 - (2 * 1 * 9 + 3 * 2 * 11)) / 18)


def test_mann_kendall_matches_pymannkendall():
    pmk = pytest.importorskip("pymannkendall")
    x = np.array([3.1, 2.9, 3.5, 3.5, 4.0, 3.8, 4.4, 4.1, 4.1, 5.0, 4.7])
    ours = trends._trend_tests._mann_kendall(x)
    ref = pmk.original_test(x)
    assert ours["mk_s"] == ref.s
    assert ours["mk_var_s"] == pytest.approx(ref.var_s)
    assert ours["mk_z"] == pytest.approx(ref.z)
    assert ours["mk_p"] == pytest.approx(ref.p)
    assert trends._trend_tests._sen_slope(x, np.arange(len(x), dtype=float)) == pytest.approx(ref.slope)


def test_change_point_and_caveats():
    rng = np.random.default_rng(0)
    x = np.r_[rng.normal(2, 0.3, 10), rng.normal(6, 0.3, 8)]
    res = trend_tests(_series(x)).iloc[0]
    assert str(res["change_point"]) == "2011"  # the 11th period starts the new level
    assert res["cp_p"] < 0.01
    assert res["mean_after"] - res["mean_before"] == pytest.approx(4, abs=0.5)
    assert [str(p) for p in res["change_points"]] == ["2011"]
    noise = trend_tests(_series(rng.normal(2, 0.3, 18))).iloc[0]
    assert noise["cp_p"] > 0.05 and noise["change_points"] == []
    # two shifts (up at the 7th period, down at the 15th): binary segmentation finds both
    two = np.r_[rng.normal(2, 0.2, 6), rng.normal(6, 0.2, 8), rng.normal(3, 0.2, 7)]
    res2 = trend_tests(_series(two), max_change_points=3).iloc[0]
    assert [str(p) for p in res2["change_points"]] == ["2007", "2015"]
    # a term's p-values do not depend on the other terms in the table
    both = pd.concat([_series(x).assign(term="a"), _series(two).assign(term="b")])
    assert trend_tests(both).set_index("term").loc["a", "cp_p"] == trend_tests(_series(x).assign(term="a")).iloc[0]["cp_p"]
    short = trend_tests(_series([1.0, 2.0, 4.0, 3.0], thin=[True, False, True, False])).iloc[0]
    assert "little power" in short["caveat"] and "2 thin" in short["caveat"]
    assert trend_tests(_series([1.0, 2.0])).iloc[0]["caveat"].startswith("only 2 period")


# ---------------------------------------------------------------- composition and plots
def test_composition_shares(small):
    comp = corpus_composition(small, by="year", group="outlet")
    assert comp.groupby("period")["doc_share"].sum().round(12).eq(1).all()
    row = comp[(comp["period"].astype(str) == "2021") & (comp["outlet"] == "(unknown)")].iloc[0]
    assert (row["n_docs"], row["n_tokens"]) == (1, 0)
    assert comp["n_docs"].sum() == 5


def test_plots_return_figures(small, tmp_path):
    from matplotlib.figure import Figure

    from corpus_tools.plots import plot_composition, plot_keyness, plot_term_rates, save_figure

    r = term_rates(small, [("chính_trị",), ("tham_nhũng",)], by="year", n_boot=100, min_docs=2)
    k = term_keyness(small.iloc[:3], small.iloc[3:], min_count=1, labels=("trước", "sau"))
    figs = [plot_term_rates(r), plot_keyness(k), plot_composition(corpus_composition(small))]
    assert all(isinstance(f, Figure) for f in figs)
    ax = figs[0].axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == ["chính trị", "tham nhũng"]
    paths = save_figure(figs[0], "rates", tmp_path)
    assert all(p.stat().st_size > 0 for p in paths)
    # unordered groups: every group is labelled, no line joins one outlet to the next
    fo = plot_term_rates(term_rates(small, [("tham_nhũng",)], by="outlet", n_boot=50))
    assert [t.get_text() for t in fo.axes[1].get_xticklabels()] == ["Dân trí", "Nhân Dân"]
    assert all(len(line.get_xdata()) <= 2 and line.get_linestyle() in ("None", "") for line in fo.axes[0].lines
               if len(line.get_xdata()))


# ---------------------------------------------------------------- real corpus, real pipeline
@pytest.fixture(scope="module")
def dantri_store(tmp_path_factory):
    path = SHARED / "corpora" / "unc_dantri.jsonl.gz"
    if not path.exists():
        pytest.skip("../shared/corpora/unc_dantri.jsonl.gz not present")
    import corpus_tools as ct

    out = tmp_path_factory.mktemp("dantri") / "store"
    ct.ingest(path, out, progress=False, limit=150)
    return ct.open_corpus(out)


def _brute_count(tokens, query, match):
    """Occurrences of a token sequence, by plain Python over one document."""
    if match == "word":
        seq, q = [t.casefold() for t in tokens], [t.casefold() for t in query]
        return sum(seq[i:i + len(q)] == q for i in range(len(seq) - len(q) + 1))
    seq = [s for t in tokens for s in t.casefold().split("_")]
    starts = [k == 0 for t in tokens for k, _ in enumerate(t.split("_"))] + [True]
    q = [s for t in query for s in t.casefold().split("_")]
    hits = [i for i in range(len(seq) - len(q) + 1) if seq[i:i + len(q)] == q]
    if match == "term":  # a span of whole words
        hits = [i for i in hits if starts[i] and starts[i + len(q)]]
    return len(hits)


DANTRI_TERMS = ["doanh nghiệp", "chứng khoán", "kinh tế", "Việt Nam", "tăng trưởng kinh tế", "giá vàng",
                "nhà đầu tư nước ngoài"]


@pytest.mark.shared
@pytest.mark.parametrize("match", ["term", "word", "anywhere"])
def test_monthly_counts_equal_brute_force_recount(dantri_store, match):
    from corpus_tools.tokens import query_tokens

    frame = dantri_store.frame()
    assert len(frame) >= 120 and frame["published"].notna().sum() >= 120
    queries = {t: query_tokens(t) for t in DANTRI_TERMS}
    assert any(len(q) > 1 for q in queries.values())  # multi-token phrases are covered
    rates = term_rates(dantri_store, DANTRI_TERMS, by="month", match=match, n_boot=20)
    month = frame["published"].dt.to_period("M")
    for term, q in queries.items():
        per_doc = frame["tokens"].map(lambda toks: _brute_count(toks, q, match))
        expected = per_doc.groupby(month).sum()
        got = rates[rates["term"] == term].set_index("period")
        got = got[got["n_docs"] > 0]
        assert got["count"].to_dict() == expected.to_dict(), term
        assert got["n_docs_with_term"].to_dict() == (per_doc > 0).groupby(month).sum().to_dict()
    lengths = frame["tokens"].map(len).groupby(month).sum()
    got = rates[(rates["term"] == DANTRI_TERMS[0]) & (rates["n_docs"] > 0)].set_index("period")
    assert got["n_tokens"].to_dict() == lengths.to_dict()
    assert rates["count"].sum() > 100  # the terms really occur


@pytest.mark.shared
def test_store_path_equals_frame_path_and_concepts(dantri_store):
    from corpus_tools.concepts import load_concepts
    from corpus_tools.tokens import query_tokens

    frame = dantri_store.frame()
    for match in ("term", "word", "anywhere"):
        a = term_counts(dantri_store, DANTRI_TERMS, match=match)
        b = term_counts(frame, DANTRI_TERMS, match=match)
        pd.testing.assert_frame_equal(a, b)
    # a concept family counts places where any variant occurs, overlaps once
    lexicon = {"market": ["chứng khoán", "thị trường chứng khoán", "cổ phiếu", "sàn chứng khoán"]}
    fam = term_counts(dantri_store, None, concepts=lexicon, match="anywhere")["market"]
    variants = [[s for t in query_tokens(p) for s in t.casefold().split("_")] for p in lexicon["market"]]
    expected = []
    for toks in frame["tokens"]:
        syl = [s for t in toks for s in t.casefold().split("_")]
        spans = sorted((i, i + len(v)) for v in variants for i in range(len(syl) - len(v) + 1)
                       if syl[i:i + len(v)] == v)
        n, reach = 0, -1
        for s, e in spans:
            if s >= reach:
                n += 1
            reach = max(reach, e)
        expected.append(n)
    assert fam.tolist() == expected
    assert sum(expected) > 0
    singles = term_counts(dantri_store, lexicon["market"], match="anywhere").iloc[:, 2:].sum(axis=1)
    assert (fam <= singles).all() and (fam < singles).any()  # overlaps were not double counted
    assert "anti_corruption" in load_concepts()


def test_keyness_stopwords_hidden_but_counted():
    a = pd.Series({"và": 50, "đại_hội": 30, "x": 20})
    b = pd.Series({"và": 10, "đại_hội": 2, "x": 88})
    k = term_keyness(a, b, stopwords=["và"], min_count=1)
    assert "và" not in set(k["term"]) and (k["total_a"] == 100).all()
    full = term_keyness(a, b, min_count=1).set_index("term")
    assert k.set_index("term").loc["đại_hội", "g2"] == full.loc["đại_hội", "g2"]


def test_rates_by_custom_series(small):
    # e.g. congress terms, or synthetic months for an undated corpus
    groups = pd.Series({"d0": "XII", "d1": "XII", "d2": "XIII", "d5": "XIII"})
    r = term_rates(small, [("chính_trị",)], by=groups, n_boot=0, match="word")
    assert r["period"].tolist() == ["XII", "XIII"]
    assert r["count"].tolist() == [1, 2] and r.attrs["n_excluded"] == 2


def test_paragraph_frame_is_resampled_by_article(small):
    # the same text as two paragraphs per article: same counts, same intervals
    rows = []
    for _, r in small.iterrows():
        half = len(r["tokens"]) // 2
        for k, part in enumerate([r["tokens"][:half], r["tokens"][half:]]):
            rows.append({**r.to_dict(), "para_id": k, "tokens": part})
    paras = pd.DataFrame(rows)
    a = term_rates(small, [("chính_trị",)], by="year", n_boot=200)
    b = term_rates(paras, [("chính_trị",)], by="year", n_boot=200)
    pd.testing.assert_frame_equal(a, b)


def test_term_mode_counts_every_tone_placement_of_a_word():
    # old-style tone placement (uỷ) and new (ủy) are the same word to the terms layer
    df = _frame([["Uỷ_ban", "kiểm_tra", "và", "ủy_ban", "kiểm_tra"], ["uỷ", "ban", "kiểm_tra"]])
    assert term_counts(df, ["ủy ban kiểm tra"])["ủy ban kiểm tra"].tolist() == [2, 1]
    # "word" compares words by their match keys too; case_sensitive is the exact mode
    assert term_counts(df, [("ủy_ban", "kiểm_tra")], match="word").iloc[:, 2].tolist() == [2, 0]
    assert term_counts(df, [("ủy_ban", "kiểm_tra")], match="word",
                       case_sensitive=True).iloc[:, 2].tolist() == [1, 0]


def test_every_count_equals_its_concordance_lines(dantri_store):
    """One matcher: for every lexicon term and 300 random word n-grams of a real
    corpus, in each match mode, the count is the number of KWIC lines, and no line
    runs over a sentence end."""
    import random

    import corpus_tools as ct
    from corpus_tools.lexicon import load_lexicon
    lex = load_lexicon()
    queries = sorted({canon.replace("_", " ") for canon, _ in lex.entries.values() if "_" in canon})
    frame = dantri_store.frame()
    rng = random.Random(0)
    for _ in range(300):
        toks = rng.choice([t for t in frame["tokens"] if len(t) > 5])
        k = rng.randint(1, 4)
        i = rng.randrange(len(toks) - k)
        queries.append(" ".join(toks[i:i + k]).replace("_", " "))
    kwic_total = {}
    for match in ("term", "word", "anywhere"):
        counts = ct.term_counts(dantri_store, queries, match=match, concepts=False)
        for q in queries:
            lines = dantri_store.kwic(q, match=match, window=2)
            assert int(counts[q].sum()) == len(lines), (match, q)
            # a lowercase word closing a sentence inside the keyword ("TP. Hồ Chí Minh" may stay)
            assert not lines["keyword"].str.contains(r"\w\w[a-zà-ỹ][.!?] ", regex=True).any(), (match, q)
            kwic_total[match] = kwic_total.get(match, 0) + len(lines)
    assert kwic_total["term"] > 1000  # the sample did find things


def test_dash_and_i_y_variants_are_one_term(dantri_store):
    import corpus_tools as ct
    for a, b in (("kinh tế - xã hội", "kinh tế–xã hội"), ("kinh tế - xã hội", "kinh tế-xã hội"),
                 ("kỷ luật", "kỉ luật"), ("lý do", "lí do")):
        ca = ct.term_counts(dantri_store, [a], concepts=False)[a].sum()
        cb = ct.term_counts(dantri_store, [b], concepts=False)[b].sum()
        assert ca == cb > 0, (a, b)


def test_a_match_stops_at_a_sentence_end():
    """In a frame that keeps its punctuation, "bộ máy. Những" is no "máy những"."""
    import pandas as pd
    df = pd.DataFrame({"doc_id": ["a"], "tokens": [["bộ_máy", ".", "Những", "người", ",", "bộ_máy", "những"]]})
    assert term_counts(df, ["bộ máy những"], concepts=False).iloc[0, 2] == 1
    assert term_counts(df, ["máy những"], match="anywhere", concepts=False).iloc[0, 2] == 1


def test_the_notebooks_automatic_terms_never_count_zero(dantri_store, tmp_path):
    import corpus_tools as ct
    from conftest import SEEDS_DIR
    ct.ingest(SEEDS_DIR, tmp_path / "seeds", backend="serial", progress=False)
    for corpus in (dantri_store, ct.open_corpus(tmp_path / "seeds")):
        terms = ct.corpus_defaults(corpus).terms
        assert terms
        counts = ct.term_counts(corpus, terms, concepts=False)
        assert all(counts[t].sum() > 0 for t in terms), terms


def test_a_misspelt_concept_family_is_an_error_naming_the_families():
    df = _frame([["phòng_chống", "tham_nhũng"]])
    with pytest.raises(ValueError, match="'anti_corruptoin' is not a concept family.*anti_corruption"):
        term_counts(df, ["anti_corruptoin"])
    assert term_counts(df, ["anti_corruptoin"], concepts=False).iloc[0, 2] == 0  # asked for as text
