"""find_reprints and amplification: cascades planted in hand-made and real articles."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import corpus_tools as ct


def _words(rng, n):
    return [f"từ{int(i)}" for i in rng.integers(0, 5000, n)]


def _edited(words, rng, rate):
    out = []
    for w in words:
        out.append(f"sửa{int(rng.integers(10**6))}" if rng.random() < rate else w)
    return out


@pytest.fixture(scope="module")
def hand_made():
    rng = np.random.default_rng(0)
    script = _words(rng, 200)
    day = pd.Timestamp("2021-03-01")
    rows = [
        # the centre's article and, the same day, a provincial copy: the centre is the origin
        ("tw", script, day, "nhandan.vn", "central"),
        ("tinh_a", _words(rng, 60) + _edited(script, rng, 0.1) + _words(rng, 40), day, "baoa.vn", "provincial"),
        ("tinh_b", _edited(script, rng, 0.05), day + pd.Timedelta(days=2), "baob.vn", "provincial"),
        # the same copy twice in one outlet: a duplicate, not a second reprint
        ("tinh_b2", _edited(script, rng, 0.05), day + pd.Timedelta(days=2), "baob.vn", "provincial"),
        # too late for the window
        ("tinh_c", list(script), day + pd.Timedelta(days=9), "baoc.vn", "provincial"),
        ("khac", _words(rng, 300), day, "baoc.vn", "provincial"),
    ]
    frame = pd.DataFrame(rows, columns=["doc_id", "tokens", "published", "outlet", "level"])
    return frame, ct.find_reprints(frame, window_days=3, levels=dict(zip(frame["doc_id"], frame["level"])))


def test_a_cascade_has_its_origin_its_copies_and_their_measures(hand_made):
    _, rp = hand_made
    pairs = rp.pairs.set_index("copy")
    assert rp.cascades["origin"].tolist() == ["tw"]  # earliest, and the centre on a tie
    assert set(pairs.index) == {"tinh_a", "tinh_b"}  # not the duplicate, not the late one
    assert (pairs["origin"] == "tw").all() and pairs.loc["tinh_b", "lag"] == 2 and pairs.loc["tinh_a", "lag"] == 0
    assert (pairs["lag_unit"] == "days").all()
    a = pairs.loc["tinh_a"]
    assert a["share_of_origin"] > 0.9 and 0.5 < a["share_of_copy"] < 0.8  # its own text around the script
    assert 0.05 < a["edit_rate"] < 0.25 and pairs.loc["tinh_b", "edit_rate"] < a["edit_rate"]
    c = rp.cascades.iloc[0]
    assert (c["n_copies"], c["n_sites"], c["median_lag"], c["max_lag"]) == (2, 3, 1.0, 2.0)
    roles = rp.articles.set_index("doc_id")["role"]
    assert roles["tw"] == "origin" and roles["tinh_a"] == "copy" and "tinh_b2" not in roles.index
    assert pd.isna(roles["tinh_c"])


def test_lags_are_in_hours_where_times_of_day_are_known(hand_made):
    frame, _ = hand_made
    timed = frame.copy()
    timed.loc[timed["doc_id"] == "tinh_b", "published"] = pd.Timestamp("2021-03-01 09:30")
    timed.loc[timed["doc_id"] == "tw", "published"] = pd.Timestamp("2021-03-01 07:00")
    rp = ct.find_reprints(timed, levels=dict(zip(timed["doc_id"], timed["level"])))
    b = rp.pairs.set_index("copy").loc["tinh_b"]
    assert b["lag_unit"] == "hours" and b["lag"] == pytest.approx(2.5)


def test_amplification_equals_a_recount_and_its_intervals_hold_it(hand_made):
    _, rp = hand_made
    amp = ct.amplification(rp, by="level", n_boot=200).set_index("group")
    arts = rp.articles
    prov = arts[arts["level"] == "provincial"]
    assert amp.loc["provincial", "n_articles"] == len(prov) == 4
    assert amp.loc["provincial", "n_copies"] == 2 and amp.loc["provincial", "reprint_share"] == 0.5
    assert amp.loc["provincial", "centre_reprinted"] == 1.0 and amp.loc["central", "centre_reprinted"] == 0.0
    assert amp.loc["provincial", "median_lag"] == 1.0
    for col in ("reprint_share", "median_lag"):
        assert amp.loc["provincial", f"{col}_lo"] <= amp.loc["provincial", col] <= amp.loc["provincial", f"{col}_hi"]
    by_site = ct.amplification(rp, by="outlet", n_boot=50).set_index("group")
    assert by_site.loc["baob.vn", "n_copies"] == 1 and by_site.loc["nhandan.vn", "n_copies"] == 0
    with pytest.raises(ValueError, match="by must be"):
        ct.amplification(rp, by="year")


def test_options_are_checked_at_the_call(hand_made):
    frame, rp = hand_made
    with pytest.raises(TypeError, match="valid: window_days"):
        ct.find_reprints(frame, window=3)
    with pytest.raises(ValueError, match="min_share"):
        ct.find_reprints(frame, min_share=0)
    again = ct.find_reprints(reuse=rp.reuse)
    pd.testing.assert_frame_equal(again.pairs, rp.pairs)


def test_planted_cascades_in_real_articles_are_recovered():
    from conftest import shared_corpus
    from corpus_tools.store import ingest, open_corpus
    import tempfile
    path = shared_corpus("unc_dantri.jsonl.gz")
    with tempfile.TemporaryDirectory() as d:
        ingest(path, d + "/s", limit=400, progress=False)
        frame = open_corpus(d + "/s").frame()
    frame = frame[frame["published"].notna()].reset_index(drop=True)
    rng = np.random.default_rng(3)
    frame["outlet"] = [f"site{k}" for k in rng.integers(0, 8, len(frame))]
    frame["level"] = "provincial"
    base = ct.find_reprints(frame)
    planted, truth = ct.plant_cascades(frame, n_cascades=25, random_state=1)
    assert set(planted["doc_id"]) >= set(truth["copy"]) and truth["lag"].between(0, 3).all()
    found = ct.find_reprints(planted)
    cascade = {}
    for r in found.pairs.itertuples():
        cascade[r.origin] = cascade[r.copy] = r.cascade_id
    hits = [cascade.get(c) is not None and cascade.get(c) == cascade.get(o)
            for o, c in zip(truth["origin"], truth["copy"])]
    assert np.mean(hits) >= 0.95
    new = len(found.pairs) - len(base.pairs)
    assert new <= 1.05 * len(truth)  # hardly any pair that is neither planted nor already there


def test_the_amplification_figure_is_drawn_the_same_twice(hand_made, tmp_path):
    from corpus_tools.plots import plot_amplification, save_figure
    _, rp = hand_made
    amp = ct.amplification(rp, by="level", n_boot=100)
    a = save_figure(plot_amplification(rp.pairs, amp, title="Tái bản"), "amp", tmp_path / "a")
    b = save_figure(plot_amplification(rp.pairs, amp, title="Tái bản"), "amp", tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b] and len(a) == 2
    with pytest.raises(ValueError, match="no reprints to plot"):
        plot_amplification(rp.pairs.iloc[:0], amp)


def test_a_frame_of_texts_is_tokenised_as_a_store_frame(seed_store_corpus):
    from corpus_tools.reuse._docs import read_docs
    arts = seed_store_corpus.articles[["doc_id", "published", "outlet", "text"]]
    with_tokens = arts.merge(seed_store_corpus.frame()[["doc_id", "tokens"]], on="doc_id")
    a, b = read_docs(arts, levels=None), read_docs(with_tokens, levels=None)
    assert a.vocab[a.codes].tolist() == b.vocab[b.codes].tolist() and len(a.codes) > 1000
    rp = ct.find_reprints(arts)  # texts only: tokens are made
    assert list(rp.pairs.columns) == ct.REPRINT_COLUMNS


def test_what_the_counts_leave_out_is_said(hand_made):
    frame, _ = hand_made
    undated = frame.copy()
    undated.loc[undated["doc_id"] == "tinh_c", "published"] = pd.NaT
    no_centre = dict(zip(undated["doc_id"], ["provincial"] * len(undated)))
    rp = ct.find_reprints(undated, levels=no_centre)
    assert any(n.startswith("1 of 5 articles have no date") for n in rp.notes)
    amp = ct.amplification(rp, n_boot=20)
    assert np.isnan(amp["centre_reprinted"]).all()
    assert "no central-level article: centre_reprinted is undefined (NaN)" in amp.attrs["notes"]
