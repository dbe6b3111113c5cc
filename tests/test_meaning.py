"""Meaning change across periods (corpus_tools.meaning)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import ortho_group

import corpus_tools as ct
from corpus_tools.meaning import _embed as E

from conftest import shared_corpus


def planted_frame(n_docs=400, seed=0):
    """Documents from four context families; the word ``moved`` keeps family A's
    company before 2020 and family C's after; ``steady`` keeps B's throughout."""
    rng = np.random.default_rng(seed)
    fams = {f: [f"{f}{j}" for j in range(30)] for f in "ABCD"}
    docs, dates = [], []
    for d in range(n_docs):
        after = d >= n_docs // 2
        toks = []
        for _ in range(12):  # sentences of one family, with its marker word
            f = "ABCD"[rng.integers(4)]
            sent = list(rng.choice(fams[f], 8))
            if f == ("C" if after else "A"):
                sent.insert(4, "moved")
            if f == "B":
                sent.insert(4, "steady")
            toks += sent + ["."]
        docs.append(toks)
        dates.append(pd.Timestamp("2021-06-01" if after else "2019-06-01"))
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(n_docs)], "published": dates, "tokens": docs})


@pytest.fixture(scope="module")
def planted():
    return ct.meaning_change(planted_frame(), by="year", n=None, vocabulary_size=200, min_count=10, dim=20,
                             n_perm=30, n_boot=10, random_state=0)


def test_the_planted_word_moves_most_and_a_steady_one_does_not(planted):
    t = planted.table.set_index("word")
    assert t["change"].idxmax() == "moved"
    assert t.loc["moved", "change_low"] > 0 and t.loc["moved", "p_value"] <= 1 / 31 + 1e-12
    assert t.loc["steady", "change_low"] <= 0 <= t.loc["steady", "change_high"]
    assert list(planted.periods["period"]) == ["2019", "2020", "2021"]
    assert planted.periods.set_index("period").loc["2020", "n_docs"] == 0


def test_neighbours_show_the_new_company(planted):
    nb = planted.neighbours("moved", n=5)
    before = set(nb[nb["period"] == "2019"]["neighbour"])
    after = set(nb[nb["period"] == "2021"]["neighbour"])
    assert all(w.startswith("a") for w in before) and all(w.startswith("c") for w in after)
    with pytest.raises(ValueError, match="not among the words"):
        planted.neighbours("nowhere")


def test_unplanted_words_cover_no_change(planted):
    t = planted.table[planted.table["word"] != "moved"]
    inside = ((t["change_low"] <= 0) & (t["change_high"] >= 0)).mean()
    assert inside >= 0.85


def test_same_seed_same_table():
    f = planted_frame(n_docs=120, seed=3)
    a = ct.meaning_change(f, by="year", n=5, vocabulary_size=150, min_count=5, dim=10, n_perm=10, n_boot=3,
                          random_state=9)
    b = ct.meaning_change(f, by="year", n=5, vocabulary_size=150, min_count=5, dim=10, n_perm=10, n_boot=3,
                          random_state=9)
    pd.testing.assert_frame_equal(a.table, b.table)


def test_procrustes_undoes_a_rotation_and_ppmi_matches_its_formula():
    rng = np.random.default_rng(0)
    base = rng.normal(size=(50, 8))
    q = ortho_group.rvs(8, random_state=1)
    assert np.allclose(E.align(base, base @ q, np.arange(50)), base)
    c = rng.poisson(3, (6, 6)).astype(float) + 1.0
    c = c + c.T
    total, rows = c.sum(), c.sum(axis=1)
    ctx = c.sum(axis=0) ** 0.75 / (c.sum(axis=0) ** 0.75).sum()
    want = np.maximum(np.log((c / total) / (rows[:, None] / total * ctx[None, :])), 0)
    assert np.allclose(E.ppmi(c), want, atol=1e-5)


def test_what_five_articles_cannot_show_is_said(seed_store_corpus):
    mc = ct.meaning_change(seed_store_corpus, by="term", n_perm=10, n_boot=0)
    assert mc.table.empty
    text = " ".join(mc.notes)
    assert "thin periods" in text and "too few for 100-dimensional embeddings" in text
    mc = ct.meaning_change(seed_store_corpus, by="year", n_perm=10, n_boot=0)
    assert any("fewer than two documents" in n for n in mc.notes)


def test_bad_options_fail_at_the_call():
    f = planted_frame(n_docs=20)
    with pytest.raises(ValueError, match="n_perm"):
        ct.meaning_change(f, n_perm=2)
    with pytest.raises(ValueError, match="by="):
        ct.meaning_change(f, by="decade")


def test_a_real_corpus_slice_keeps_its_words_and_notes():
    path = shared_corpus("unc_dantri.jsonl.gz")
    import gzip
    import json
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if len(rows) == 600:
                break
    # the texts as syllables: enough to see the machinery hold on real text, without segmenting
    frame = pd.DataFrame({"doc_id": [str(r["id"]) for r in rows],
                          "published": pd.to_datetime([r["date"] for r in rows], errors="coerce"),
                          "tokens": [r["text"].lower().split() for r in rows]})
    by = pd.Series(np.where(np.arange(len(frame)) % 2, "b", "a"), index=frame["doc_id"])
    mc = ct.meaning_change(frame, by=by, n=None, vocabulary_size=1000, min_count=20, dim=50, n_perm=10,
                           n_boot=0, random_state=0)
    t = mc.table
    assert len(t) > 200
    # an arbitrary split: few words beyond chance
    assert (t["change_low"] > 0).mean() < 0.2
    # rare words move by chance: raw displacement falls with frequency, the corrected change hardly
    logf = np.log(t["count_from"] + t["count_to"])
    raw, corrected = (t[c].corr(logf, method="spearman") for c in ("displacement", "change"))
    assert raw < -0.3 and abs(corrected) < 0.2


def test_figures_show_the_neighbours_and_the_intervals(planted):
    import matplotlib.pyplot as plt
    from corpus_tools.plots import plot_displacement, plot_neighbours
    fig = plot_neighbours(planted.neighbours(["moved", "steady"], n=3))
    texts = [c.get_text().get_text() for c in fig.axes[0].tables[0].get_celld().values()]
    assert "2019" in texts and "2021" in texts and "moved" in texts
    fig = plot_displacement(planted.table, n=5)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0].startswith("moved")  # the most changed first (on top)
    assert len(ax.collections) == 2  # change intervals and bootstrap intervals
    plt.close("all")
    with pytest.raises(ValueError, match="no word was compared"):
        plot_displacement(planted.table.iloc[:0])
