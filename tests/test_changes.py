"""Change points, bursts and the calendar test (corpus_tools.changes)."""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import corpus_tools as ct
from corpus_tools import changes as C


def _series(n=24, rate=5e-4, mult=1.0, at=None, seed=0, name="x", start="2015-01"):
    rng = np.random.default_rng(seed)
    tok = rng.integers(20_000, 120_000, n)
    lam = rate * tok * np.where(np.arange(n) >= (at if at is not None else n), mult, 1.0)
    return pd.DataFrame({"term": name, "period": [str(p) for p in pd.period_range(start, periods=n, freq="M")],
                         "count": rng.poisson(lam), "n_tokens": tok})


def test_a_planted_level_change_is_found_at_its_period_with_its_size():
    cp = ct.change_points(_series(mult=2.5, at=10, seed=1))
    assert len(cp.table) == 1
    row = cp.table.iloc[0]
    assert abs(int(row["position"]) - 10) <= 1
    assert row["period"] in {"2015-10", "2015-11", "2015-12"}
    assert 2.0 < row["ratio"] < 3.1  # after / before, per 10k tokens
    assert row["before"] == pytest.approx(5.0, rel=0.25)
    assert row["gain"] > 1
    assert pd.Timestamp(row["date"]) == pd.Period(row["period"], "M").start_time


def test_false_changes_on_unplanted_series_keep_near_alpha():
    # 200 Poisson series with no change: the permutation-calibrated penalty gives a change
    # in about alpha of them (binomial 99.9% bound for 200 draws at 0.05: 0.10)
    hits = sum(len(ct.change_points(_series(seed=s), n_perm=200, random_state=s).table) > 0 for s in range(200))
    assert hits / 200 <= 0.10


def test_pelt_equals_brute_force_optimal_partitioning():
    # every segmentation of a short series with segments >= min_size, scored with the same
    # cost and penalty: PELT's answer is the cheapest
    t = _series(n=11, mult=3.0, at=5, seed=4)
    y = t["count"].to_numpy() / t["n_tokens"].to_numpy()
    w = t["n_tokens"].to_numpy(dtype=float)
    bkps, var, pen = C._one_series(y, w, "counts", True, 2, 0.05, 200, np.random.default_rng(0))
    z = C._stabilise(y, w, "counts", True)
    cs = C._cumsums(z, 1.0 / var)

    def cost(breaks):
        edges = [0, *breaks, len(z)]
        return sum(float(C._seg_cost(cs, a, b)) for a, b in zip(edges, edges[1:])) + pen * len(breaks)

    best = min((b for k in range(0, 5) for b in itertools.combinations(range(2, 10), k)
                if all(j - i >= 2 for i, j in zip((0, *b), (*b, 11)))), key=cost)
    assert list(best) == list(bkps)


def test_same_seed_same_answer_and_tables_of_every_shape():
    rates = pd.concat([_series(mult=2.5, at=12, seed=2, name="a"), _series(seed=3, name="b")])
    a, b = ct.change_points(rates, random_state=5), ct.change_points(rates, random_state=5)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert set(a.series["series"]) == {"a", "b"}
    # topic_prevalence's shape: shares per n_docs
    prev = pd.DataFrame({"topic": 0, "period": [str(p) for p in range(2000, 2020)],
                         "share": np.r_[np.full(10, 0.1), np.full(10, 0.3)]
                         + np.random.default_rng(0).normal(0, 0.02, 20),
                         "n_docs": 50})
    cp = ct.change_points(prev)
    assert cp.params["kind"] == "shares" and list(cp.table["position"]) == [10]
    # formula_spread's shape: counts without exposure, period column named by the unit
    spread = pd.DataFrame({"formula": "f", "year": [str(y) for y in range(2000, 2016)],
                           "n_docs": [3, 4, 2, 3, 5, 3, 4, 3, 30, 28, 33, 31, 29, 30, 27, 32]})
    cp = ct.change_points(spread, period="year")
    assert list(cp.table["period"]) == ["2008"]


def test_bad_options_fail_at_the_call():
    t = _series()
    with pytest.raises(ValueError, match="'counts', 'shares'"):
        ct.change_points(t, kind="poisson")
    with pytest.raises(ValueError, match="alpha"):
        ct.change_points(t, alpha=1.5)
    with pytest.raises(ValueError, match="pass value="):
        ct.change_points(pd.DataFrame({"period": ["a"], "x": [1]}))
    with pytest.raises(ValueError, match="no 'period' column"):
        ct.change_points(t.rename(columns={"period": "month"}))


def test_empty_periods_are_skipped_and_said():
    t = _series(mult=3, at=12, seed=6)
    t.loc[[3, 4], ["count", "n_tokens"]] = 0
    cp = ct.change_points(t)
    assert any("2 of 24 periods have no articles" in n for n in cp.notes)
    assert "2015-04" not in set(cp.grid["period"])


def test_bursts_match_brute_force_viterbi():
    rng = np.random.default_rng(0)
    cost = rng.random((8, 2)) * 5
    up = 1.7
    path = C._viterbi(cost, up)

    def total(states):
        return sum(cost[t, s] for t, s in enumerate(states)) + up * sum(
            1 for prev, s in zip((0, *states), states) if s == 1 and prev == 0)
    best = min(itertools.product([0, 1], repeat=8), key=total)
    assert total(path) == pytest.approx(total(best))


def test_a_planted_burst_is_found():
    t = _series(n=30, seed=7)
    t.loc[12:14, "count"] *= 4
    b = ct.bursts(t)
    assert len(b) == 1
    assert (b["start"].iat[0], b["end"].iat[0]) == ("2016-01", "2016-03")
    assert b["ratio"].iat[0] > 2.5
    with pytest.raises(ValueError, match="exposure"):
        ct.bursts(pd.DataFrame({"topic": 0, "period": ["a", "b"], "share": [0.1, 0.2], "n_docs": [5, 5]}))


def _planted_changes(months, positions):
    table = pd.DataFrame({"series": "s", "period": [str(months[p]) for p in positions],
                          "date": [months[p].start_time for p in positions], "position": positions})
    grid = pd.DataFrame({"series": "s", "period": [str(m) for m in months],
                         "date": [m.start_time for m in months], "position": np.arange(len(months))})
    return C.ChangePoints(table, pd.DataFrame(), grid)


def test_calendar_test_statistic_is_a_brute_force_recount():
    months = pd.period_range("2011-01", "2020-12", freq="M")
    cp = _planted_changes(months, [20, 70])
    res = ct.calendar_test(cp, events=("congress",))
    ends = ct.load_calendar().query("kind == 'congress'")["start"]
    want = np.mean([min(abs((months[p].start_time - e).days) for e in ends) for p in (20, 70)])
    assert res.mean_days == pytest.approx(want)
    assert res.n_shifts == len(months)
    assert set(res.table.columns) >= {"event", "event_date", "days"}


def test_calendar_test_is_uniform_at_random_dates_and_small_at_meetings():
    months = pd.period_range("2011-01", "2020-12", freq="M")
    rng = np.random.default_rng(0)
    ps = [ct.calendar_test(_planted_changes(months, sorted(rng.choice(len(months), 3, replace=False))),
                           random_state=i).p_value for i in range(150)]
    assert stats.kstest(ps, "uniform").pvalue > 0.01
    cal = ct.load_calendar()
    at = sorted({months.get_loc(pd.Period(d, "M")) for d in cal.query("kind == 'congress'")["start"]
                 if months[0] <= pd.Period(d, "M") <= months[-1]})
    assert ct.calendar_test(_planted_changes(months, at), events=("congress",)).p_value < 0.05


def test_calendar_test_says_when_there_is_nothing_to_test():
    res = ct.calendar_test(ct.change_points(_series(seed=1)))
    assert np.isnan(res.p_value) and res.notes == ["no change point to test"]
    with pytest.raises(ValueError, match="not kinds of the calendar"):
        ct.calendar_test(_planted_changes(pd.period_range("2015-01", periods=5, freq="M"), [2]), events=("party",))


def test_change_points_on_term_rates_by_party_term(seed_store_corpus):
    rates = ct.term_rates(seed_store_corpus, ["đại hội"], by="term")
    assert list(rates["period"]) == ["XII", "XIII"]
    cp = ct.change_points(rates)
    assert cp.table.empty and any("too few" in n for n in cp.notes)


def test_change_point_figure_marks_the_change_and_is_byte_identical(tmp_path):
    import matplotlib.pyplot as plt
    from corpus_tools.plots import plot_change_points, save_figure
    rates = pd.concat([_series(mult=2.5, at=10, seed=1, name="đại hội"), _series(seed=2, name="chỉnh đốn")])
    cp = ct.change_points(rates)
    fig = plot_change_points(rates, cp, events={pd.Timestamp("2015-06-10"): "Hội nghị"})
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "đại hội"  # series with a change first
    dotted = [ln for ln in ax.get_lines() if ln.get_linestyle() == ":"]
    assert len(dotted) == 1 and dotted[0].get_xdata()[0] == pytest.approx(int(cp.table["position"].iat[0]) - 0.5)
    a = save_figure(fig, "cp", tmp_path / "a")
    b = save_figure(plot_change_points(rates, cp, events={pd.Timestamp("2015-06-10"): "Hội nghị"}), "cp", tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    plt.close("all")
