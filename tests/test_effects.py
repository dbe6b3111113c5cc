"""Covariate effects (corpus_tools.effects): equal to a direct statsmodels fit, and
intervals that cover planted effects at about the nominal rate."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

import corpus_tools as ct
from corpus_tools.plots import plot_effect_difference, plot_effects, save_figure


def _frame(n: int, seed: int) -> pd.DataFrame:
    """Documents with real-looking covariates and planted term occurrences."""
    rng = np.random.default_rng(seed)
    pub = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 3 * 365, n), unit="D")
    outlet = rng.choice(["Nhân Dân", "Tỉnh A"], n)
    after = (pub >= pd.Timestamp("2021-01-01")).astype(int)
    lengths = rng.integers(150, 900, n)
    rate = 2e-3 * np.exp(0.7 * after * (outlet == "Tỉnh A"))  # planted: x2.0 after 2021 in Tỉnh A
    counts = rng.poisson(rate * lengths)
    tokens = [["từ"] * (L - k) + ["chuyển_đổi_số"] * k for L, k in zip(lengths, counts)]
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "published": pub, "outlet": outlet,
                         "after": after, "tokens": tokens})


def test_estimates_equal_a_direct_statsmodels_fit():
    f = _frame(400, 0)
    e = ct.estimate_effects("chuyển đổi số", f, "~ after * outlet")
    y = np.array([t.count("chuyển_đổi_số") for t in f["tokens"]])
    direct = smf.glm("y ~ after * outlet", f.assign(y=y), family=sm.families.Poisson(),
                     offset=np.log(f["tokens"].map(len))).fit(cov_type="HC0")
    got = e.table.set_index("term")
    np.testing.assert_allclose(got["estimate"], direct.params[got.index], rtol=1e-8)
    # HC3 (statsmodels' GLM computes HC0 whatever cov_type says): the sandwich with
    # statsmodels' own hat values, summed document by document
    h = direct.get_influence().hat_matrix_diag
    X, r = direct.model.exog, direct.model.endog - direct.fittedvalues
    bread = np.linalg.inv(X.T @ (X * direct.fittedvalues.to_numpy()[:, None]))
    meat = sum(np.outer(X[i], X[i]) * (r[i] / (1 - h[i])) ** 2 for i in range(len(X)))
    hc3 = np.sqrt(np.diag(bread @ meat @ bread))
    np.testing.assert_allclose(got["std_error"], pd.Series(hc3, index=direct.params.index)[got.index], rtol=1e-8)
    assert (got["std_error"] >= direct.bse[got.index] * 0.999).all()  # HC3 >= HC0 here
    shares = pd.DataFrame({"s": np.clip(y / f["tokens"].map(len) * 50, 0, 1)})
    es = ct.estimate_effects(shares, f, "~ after + outlet")
    d2 = smf.glm("s ~ after + outlet", f.assign(s=shares["s"]), family=sm.families.Binomial()).fit(cov_type="HC0")
    np.testing.assert_allclose(es.table.set_index("term")["estimate"], d2.params[es.table["term"]], rtol=1e-8)


def test_planted_rate_ratio_is_covered_at_the_nominal_rate():
    """100 simulations (the benchmark runs 200+ on real articles): the 95% interval of
    the interaction covers the planted log rate ratio in 88-99% of them."""
    hits = []
    for seed in range(100):
        f = _frame(300, seed)
        t = ct.estimate_effects("chuyển đổi số", f, "~ after * outlet").table.set_index("term")
        row = t.loc["after:outlet[T.Tỉnh A]"]
        hits.append(row["ci_low"] <= 0.7 <= row["ci_high"])
    assert 0.88 <= np.mean(hits) <= 0.99


def test_expected_values_contrasts_and_bootstrap():
    f = _frame(500, 1)
    e = ct.estimate_effects("chuyển đổi số", f, "~ after * outlet")
    ex = e.expected("after", [0, 1], by="outlet")
    # the expected rate per 10,000 tokens recounts as the model's mean prediction
    fit = e.fits["chuyển đổi số"]
    d = f[["after", "outlet"]].assign(after=1, outlet="Tỉnh A")
    want = np.mean(np.exp(np.asarray(e._design("chuyển đổi số", d)) @ fit.params.to_numpy())) * 1e4
    got = ex[(ex["value"] == 1) & (ex["group"] == "Tỉnh A")]["estimate"].iloc[0]
    assert got == pytest.approx(want)
    assert (ex["ci_low"] <= ex["estimate"]).all() and (ex["estimate"] <= ex["ci_high"]).all()
    c = e.contrast("after", 1, 0)
    assert c["ci_low"].iloc[0] < c["estimate"].iloc[0] < c["ci_high"].iloc[0]
    b = ct.estimate_effects("chuyển đổi số", f, "~ after * outlet", uncertainty="bootstrap", n_boot=200)
    bt, rt = b.table.set_index("term"), e.table.set_index("term")
    np.testing.assert_allclose(bt["estimate"], rt["estimate"])  # same point estimates
    width_b = (bt["ci_high"] - bt["ci_low"]) / (rt["ci_high"] - rt["ci_low"])
    assert width_b.between(0.6, 1.6).all()  # bootstrap and robust intervals agree in width


def test_options_fail_at_the_call():
    f = _frame(50, 2)
    with pytest.raises(ValueError, match="robust"):
        ct.estimate_effects("chuyển đổi số", f, "~ after", uncertainty="sandwich")
    with pytest.raises(ValueError, match="add_covariates"):
        ct.estimate_effects("chuyển đổi số", f, "~ period + level")
    with pytest.raises(ValueError, match="cluster="):
        ct.estimate_effects("chuyển đổi số", f, "~ after", uncertainty="cluster")
    with pytest.raises(ValueError, match="for counts"):
        ct.estimate_effects(pd.DataFrame({"s": np.full(50, 0.2)}), f, "~ after", model="poisson")


def test_add_covariates_and_plots(tmp_path):
    f = ct.add_covariates(_frame(200, 3))
    assert set(f["period"]) == {"2019", "2020", "2021"}
    assert ct.decimal_year(pd.to_datetime(["2021-07-02 12:00", "2020-01-01 00:00"])).round(4).tolist() == [2021.5, 2020.0]
    assert (f["time"].astype(int) == f["published"].dt.year).all()
    e = ct.estimate_effects("chuyển đổi số", f, "~ period + outlet")
    fig = plot_effects(e.expected("period"))
    a = save_figure(fig, "effects", tmp_path / "a")
    b = save_figure(plot_effects(e.expected("period")), "effects", tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    save_figure(plot_effect_difference(e.contrast("outlet", "Tỉnh A", "Nhân Dân")), "diff", tmp_path)


def test_event_window_recovers_a_planted_level_change():
    """A rate that jumps x1.5 at an event and keeps its slope: the interval of the level
    change covers log(1.5) in most simulations, the slope change covers 0."""
    hits_level, hits_slope = [], []
    for seed in range(60):
        rng = np.random.default_rng(seed)
        n = 400
        pub = pd.Timestamp("2020-01-25") + pd.to_timedelta(rng.integers(0, 2 * 365, n), unit="D")
        after = (pub >= pd.Timestamp("2021-01-25")).astype(int)
        lengths = rng.integers(200, 800, n)
        counts = rng.poisson(3e-3 * lengths * np.exp(np.log(1.5) * after))
        f = pd.DataFrame({"published": pub, "tokens": [["từ"] * (L - k) + ["đại_hội"] * k
                                                       for L, k in zip(lengths, counts)]})
        t = ct.estimate_event("đại hội", f, "Đại hội XIII").table.set_index("term")
        hits_level.append(t.loc["after", "ci_low"] <= np.log(1.5) <= t.loc["after", "ci_high"])
        hits_slope.append(t.loc["t:after", "ci_low"] <= 0 <= t.loc["t:after", "ci_high"])
    assert np.mean(hits_level) >= 0.85 and np.mean(hits_slope) >= 0.85
    with pytest.raises(ValueError, match="unknown event"):
        ct.estimate_event("đại hội", f, "Đại hội XX")


def test_suggest_formula_keeps_two_units_per_coefficient():
    f = ct.add_covariates(_frame(200, 4))
    f["level"] = np.where(np.arange(200) < 5, "central", "provincial")  # 5 articles: too rare
    out, formula = ct.suggest_formula(f)
    assert formula == "~ time + C(level) + C(outlet)" and set(out["level"]) == {"other", "provincial"}
    few = f.iloc[:5]
    assert ct.suggest_formula(few)[1] == "~ time"  # 5 documents: room for one slope only
    assert ct.suggest_formula(few.assign(published=few["published"].iloc[0], time=2019.0))[1] is None


def _groups_frame(sizes, rates, seed=1):
    rng = np.random.default_rng(seed)
    rows = []
    for g, n in sizes.items():
        for i in range(n):
            length = int(rng.integers(200, 800))
            toks = ["x"] * length
            for p in rng.choice(length, size=rng.poisson(rates[g] * length), replace=False):
                toks[p] = "lạm_phát"
            rows.append({"doc_id": f"{g}{i}", "outlet": g, "tokens": toks})
    return pd.DataFrame(rows)


def test_thin_and_separated_groups_are_refused_by_name_or_dropped_with_a_note():
    f = _groups_frame({"a": 300, "b": 30, "c": 1, "z": 5}, {"a": 0.002, "b": 0.003, "c": 0.002, "z": 0.0})
    with pytest.raises(ValueError, match=r"outlet='c' has 1 document\(s\).*outlet='z' has 5.*on_thin='drop'"):
        ct.estimate_effects(("lạm_phát",), f, "~ C(outlet)")
    fx = ct.estimate_effects(("lạm_phát",), f, "~ C(outlet)", on_thin="drop")
    assert list(fx.table["term"]) == ["Intercept", "C(outlet)[T.b]"] and "left out 6 documents" in fx.notes[0]
    assert np.isfinite(fx.table["std_error"]).all() and fx.table["p_value"].iloc[1] > 1e-50
    # a zero group large enough to count: refused as separation, with its own exact-family interval
    g = _groups_frame({"a": 300, "z": 40}, {"a": 0.002, "z": 0.0})
    with pytest.raises(ValueError, match=r"never varies in outlet='z' \(40 documents\).*interval \[0, "):
        ct.estimate_effects(("lạm_phát",), g, "~ C(outlet)")
    bad = ct.check_support(pd.DataFrame({"y": [1.0] * 300 + [0.0] * 40}), g[["outlet"]].set_axis(range(340)),
                           "C(outlet)", "count", pd.Series([500.0] * 340))
    assert bad["problem"].tolist() == ["separated"] and bad["rate_high"].iloc[0] > 0


def test_negative_binomial_dispersion_is_estimated_as_statsmodels_does():
    import statsmodels.formula.api as smf
    f = _groups_frame({"a": 200, "b": 60}, {"a": 0.002, "b": 0.004}, seed=3)
    fx = ct.estimate_effects(("lạm_phát",), f, "~ C(outlet)", model="negative_binomial")
    counts = ct.term_counts(f, [("lạm_phát",)])
    d = f[["outlet"]].assign(y=counts.iloc[:, 2].to_numpy())
    ref = smf.negativebinomial("y ~ C(outlet)", d, offset=np.log(counts["n_tokens"].to_numpy(float)),
                               loglike_method="nb2").fit(disp=0)
    alpha = fx.fits["lạm_phát"].nb_alpha
    assert alpha == pytest.approx(float(ref.params["alpha"]), rel=1e-6) and alpha != 1.0
    assert fx.table["estimate"].to_numpy() == pytest.approx(ref.params.to_numpy()[:2], rel=1e-4)
    assert any("dispersion alpha" in n for n in fx.notes)


def test_robust_errors_stay_right_on_a_few_weeks_of_decimal_years():
    """A corpus of 19 days: time runs 2021.27-2021.32, the design is ill-conditioned
    (condition number ~1e8), and inverting X'WX directly gave standard errors of
    ~0 and p ~ 0. The HC3 errors must stay near statsmodels' HC0 ones."""
    import statsmodels.api as sm
    rng = np.random.default_rng(2)
    n = 400
    time = 2021.27 + rng.uniform(0, 0.05, n)
    toks = []
    for t in time:
        length = int(rng.integers(200, 600))
        k = rng.poisson(0.003 * length)
        x = ["x"] * length
        for p in rng.choice(length, size=k, replace=False):
            x[p] = "lạm_phát"
        toks.append(x)
    f = pd.DataFrame({"doc_id": [str(i) for i in range(n)], "time": time, "tokens": toks})
    fx = ct.estimate_effects(("lạm_phát",), f, "~ time")
    fit = fx.fits["lạm_phát"]
    hc0 = np.sqrt(np.diag(np.asarray(fit.cov_params())))  # statsmodels' own robust (HC0) errors
    se = fx.table.set_index("term")["std_error"].to_numpy()
    assert np.all(se >= 0.95 * hc0) and np.all(se <= 1.3 * hc0), (se, hc0)
    assert fx.table.set_index("term").loc["time", "p_value"] > 1e-6  # no planted trend, no p ~ 0


def test_a_contrast_with_a_level_left_out_says_so():
    f = _groups_frame({"a": 200, "b": 40, "c": 2}, {"a": 0.002, "b": 0.003, "c": 0.002})
    fx = ct.estimate_effects(("lạm_phát",), f, "~ C(outlet)", on_thin="drop")
    assert len(fx.contrast("outlet", "b", "a")) == 1
    with pytest.raises(ValueError, match=r"outlet=\['c'\] is not among the levels"):
        fx.contrast("outlet", "c", "a")


def test_too_few_documents_for_the_model_is_said_plainly():
    import pandas as pd
    import pytest
    import corpus_tools as ct
    frame = pd.DataFrame({"level": ["central", "provincial", "district"], "time": [2020.0, 2021.0, 2022.0],
                          "a": [1.0, 0.0, 2.0], "b": [0.5, 1.5, 0.0]})
    y = pd.DataFrame({"share": [0.1, 0.2, 0.3]})
    with pytest.raises(ValueError, match="4 coefficients on 3 documents: too few documents"):
        ct.estimate_effects(y, frame, "~ time + a + b")
    with pytest.raises(ValueError, match="no documents left to fit"):
        ct.estimate_effects(y, frame, "~ C(level)", on_thin="drop")
