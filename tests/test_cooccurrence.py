"""Term co-occurrence (corpus_tools.cooccurrence) and its network figure."""
from __future__ import annotations

import itertools
import math
import random

import pandas as pd
import pytest

import corpus_tools as ct
from corpus_tools.plots import plot_cooccurrence_network, save_figure

VOCAB = ["Đảng", "đại_hội", "cán_bộ", "nhiệm_vụ", "chỉ_đạo", "cơ_sở", "kiểm_tra", "giám_sát", ",", "."]


def _docs(seed: int = 0, n: int = 30) -> list[list[str]]:
    rng = random.Random(seed)
    return [[rng.choice(VOCAB) for _ in range(rng.randint(5, 40))] for _ in range(n)]


def _brute(docs, nodes, window):
    """Every pair of positions (punctuation removed first) at most ``window`` apart."""
    pairs, marg, total = {}, {}, 0
    for doc in docs:
        toks = [t for t in doc if t not in (",", ".")]
        total += len(toks) if window else 1
        seen = set()
        for p, t in enumerate(toks):
            if t in nodes:
                if window:
                    marg[t] = marg.get(t, 0) + 1
                seen.add(t)
        if window is None:
            for t in seen:
                marg[t] = marg.get(t, 0) + 1
            for a, b in itertools.combinations(sorted(seen, key=nodes.index), 2):
                pairs[(a, b)] = pairs.get((a, b), 0) + 1
            continue
        for p, q in itertools.combinations(range(len(toks)), 2):
            a, b = toks[p], toks[q]
            if q - p <= window and a in nodes and b in nodes and a != b:
                key = tuple(sorted((a, b), key=nodes.index))
                pairs[key] = pairs.get(key, 0) + 1
    return pairs, marg, total


@pytest.mark.parametrize("window", [1, 3, 8, None])
def test_counts_and_measures_equal_a_brute_force_recount(window):
    docs = _docs()
    nodes = VOCAB[:8]
    got = ct.term_cooccurrence(docs, terms=nodes, window=window, min_count=1, stopwords=None)
    pairs, marg, total = _brute(docs, nodes, window)
    assert got.attrs["N"] == total
    assert {(a, b): c for a, b, c in zip(got["term_a"], got["term_b"], got["count"])} == pairs
    for r in got.itertuples():
        assert (r.count_a, r.count_b) == (marg[r.term_a], marg[r.term_b])
        assert r.ppmi == pytest.approx(max(0.0, math.log2(r.count * total / (marg[r.term_a] * marg[r.term_b]))))
        assert r.dice == pytest.approx(2 * r.count / (marg[r.term_a] + marg[r.term_b]))
    assert got["score"].is_monotonic_decreasing


def test_planted_association_ranks_first():
    """Two words planted side by side in a third of the documents are the top pair."""
    rng = random.Random(1)
    docs = _docs(1, 60)
    for d in docs[::3]:
        k = rng.randrange(len(d))
        d[k:k] = ["tự_diễn_biến", "tự_chuyển_hóa"]
    got = ct.term_cooccurrence(docs, window=2, stopwords=None, n=12)
    assert {got["term_a"][0], got["term_b"][0]} == {"tự_diễn_biến", "tự_chuyển_hóa"}


def test_terms_as_phrases_and_options(seed_store_corpus):
    got = ct.term_cooccurrence(seed_store_corpus, terms=["đại hội", "Đảng bộ", "cán bộ"], window=10, min_count=1)
    assert set(got["term_a"]) | set(got["term_b"]) <= {"đại_hội", "Đảng_bộ", "cán_bộ"}
    with pytest.raises(ValueError, match="ppmi"):
        ct.term_cooccurrence(seed_store_corpus, measure="pmi")
    with pytest.raises(ValueError, match="window"):
        ct.term_cooccurrence(seed_store_corpus, window=0)


def test_network_figure_is_byte_identical(seed_store_corpus, tmp_path):
    edges = ct.term_cooccurrence(seed_store_corpus, window=5)
    a = save_figure(plot_cooccurrence_network(edges), "net", tmp_path / "a")
    b = save_figure(plot_cooccurrence_network(edges), "net", tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    with pytest.raises(ValueError, match="no pairs"):
        plot_cooccurrence_network(pd.DataFrame(columns=edges.columns))


@pytest.mark.parametrize("kw", [{}, {"window": None}, {"window": 2, "measure": "dice", "n": 50},
                                {"terms": ["Đảng", "nhân dân", "cán bộ"], "window": 12, "min_count": 1},
                                {"terms": ["Đảng", "nhân dân", "cán bộ"], "window": None, "min_count": 1}])
def test_a_corpus_is_counted_on_its_codes_as_its_frame_would_be(seed_store_corpus, kw):
    import pandas.testing as pdt
    from corpus_tools.cooccurrence import term_cooccurrence
    on_codes = term_cooccurrence(seed_store_corpus, **kw)
    on_lists = term_cooccurrence(seed_store_corpus.frame(), **kw)
    assert len(on_codes) > 0
    pdt.assert_frame_equal(on_codes, on_lists)
    assert on_codes.attrs == on_lists.attrs
