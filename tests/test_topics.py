"""Tests for corpus_tools.topics: determinism, persistence, metrics, prevalence,
planted-topic recovery. Small synthetic matrices keep them fast."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import corpus_tools as ct
from corpus_tools.topics._reduce import consensus_topics, merge_smallest
from corpus_tools.topics import (TopicModel, coherence_npmi, topic_diversity, topic_prevalence,
                                 topic_representatives, topic_stability, topic_table,
                                 topic_vocabulary, topic_match_seeds)

def _params(m) -> dict:
    """Parameters, nested vectorizer included, comparable by value."""
    return {k: v for k, v in m.get_params(deep=True).items() if k != "vectorizer"}


NO_POLICY = dict(vectorizer=ct.TopicVectorizer(stopwords=None, furniture=None, min_df=1, max_df=1.0))


def planted_corpus(n_docs=240, n_topics=4, words_per_topic=12, doc_len=60, seed=0):
    """Documents drawn from disjoint planted topics (+ a few shared words)."""
    rng = np.random.default_rng(seed)
    vocab = [f"t{k}_w{j}" for k in range(n_topics) for j in range(words_per_topic)]
    vocab += [f"shared{j}" for j in range(6)]
    docs, truth = [], []
    for d in range(n_docs):
        k = d % n_topics
        main = rng.choice(words_per_topic, size=int(doc_len * 0.85)) + k * words_per_topic
        other = rng.choice(len(vocab), size=doc_len - len(main))
        docs.append([vocab[i] for i in np.concatenate([main, other])])
        truth.append(k)
    years = np.where(np.arange(n_docs) < n_docs // 2, 2018, 2019)
    frame = pd.DataFrame({
        "doc_id": [f"d{i:03d}" for i in range(n_docs)],
        "published": pd.to_datetime([f"{y}-0{1 + i % 9}-15" for i, y in enumerate(years)]),
        "outlet": np.where(np.arange(n_docs) % 3 == 0, "A", "B"),
        "title": [f"doc {i}" for i in range(n_docs)],
        "tokens": docs,
    })
    return frame, np.array(truth), n_topics, words_per_topic


@pytest.fixture(scope="module")
def planted():
    return planted_corpus()


@pytest.fixture(scope="module", params=["consensus", "nmf", "lda"])
def fitted(request, planted):
    frame, truth, K, _ = planted
    m = TopicModel(K, method=request.param, n_restarts=3, random_state=0, **NO_POLICY)
    return m.fit(frame)


# ---------------------------------------------------------------- estimator
def test_fit_returns_self_and_sklearn_conventions(planted):
    frame, _, K, _ = planted
    m = TopicModel(K, n_restarts=2, **NO_POLICY)
    assert not hasattr(m, "components_")  # no work in __init__
    assert m.fit(frame) is m
    assert m.components_.shape == (K, len(m.vocabulary_))
    assert m.get_params()["n_topics"] == K
    from sklearn.base import clone
    c = clone(m)
    assert _params(c) == _params(m) and not hasattr(c, "components_")
    with pytest.raises(ValueError, match="method"):
        TopicModel(method="plsa").fit(frame)
    with pytest.raises(ValueError, match="unit"):
        TopicModel(vectorizer=ct.TopicVectorizer(unit="sentence")).fit(frame)


@pytest.mark.parametrize("method", ["consensus", "nmf", "lda"])
def test_same_seed_identical(planted, method):
    frame, _, K, _ = planted
    a = TopicModel(K, method=method, n_restarts=3, random_state=7, **NO_POLICY).fit(frame)
    b = TopicModel(K, method=method, n_restarts=3, random_state=7, **NO_POLICY).fit(frame)
    assert a.top_terms(10) == b.top_terms(10)
    assert np.array_equal(a.doc_topic_, b.doc_topic_)
    assert np.array_equal(a.components_, b.components_)


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_seeds_change_initialisation(planted, method):
    """Different seeds must start from different points (NNDSVD would not)."""
    frame, _, K, _ = planted
    # One iteration: the result is essentially the initialisation.
    kw = dict(n_restarts=1, max_iter=1, **NO_POLICY)
    a = TopicModel(K, method=method, random_state=0, **kw).fit(frame)
    b = TopicModel(K, method=method, random_state=1, **kw).fit(frame)
    assert not np.allclose(a.components_, b.components_)


def test_consensus_runs_use_distinct_seeds():
    m = TopicModel(3, n_restarts=5, random_state=0)
    s0 = m._run_seeds()
    assert len(set(s0)) == 5
    assert s0 != TopicModel(3, n_restarts=5, random_state=1)._run_seeds()


def test_consensus_keeps_recurring_topics_drops_one_offs():
    # Six runs of K=3 over 12 words: topics on words 0-2 and 3-5 are in every
    # run, words 6-8 in four; the other two runs have a one-off topic (a
    # different one each) instead. The consensus must keep the recurring three.
    rng = np.random.default_rng(0)
    V, K = 12, 3

    def topic(cols):
        h = rng.uniform(0, 0.05, V)
        h[list(cols)] += 1.0
        return h

    recurring = [(0, 1, 2), (3, 4, 5), (6, 7, 8)]
    one_offs = [(9,), (10, 11)]
    runs = []
    for r in range(4):
        tops = recurring[:2] + ([one_offs[r]] if r < 2 else [recurring[2]])
        runs.append((0.0, None, np.vstack([topic(c) for c in tops])))
    runs += [(0.0, None, np.vstack([topic(c) for c in recurring])) for _ in range(2)]
    H = consensus_topics(runs, K)
    assert {frozenset(np.argsort(-h)[:3].tolist()) for h in H} == {frozenset(c) for c in recurring}
    # Same stack, same consensus.
    assert np.array_equal(H, consensus_topics(runs, K))


def test_merge_smallest_folds_small_topics_into_their_nearest():
    # four topics: 1 is close to 0, 3 close to 2; 1 and 3 are small
    H = np.array([[1.0, 0.2, 0, 0, 0], [0.8, 0.6, 0, 0, 0.1], [0, 0, 1.0, 0.3, 0], [0, 0.1, 0.5, 1.0, 0]])
    assert merge_smallest(H, np.array([10.0, 1.0, 8.0, 2.0]), 2) == [[0, 1], [2, 3]]
    # the smallest joins its nearest, not the largest: topic 2 (mass 1) goes to 3
    assert merge_smallest(H, np.array([50.0, 9.0, 1.0, 2.0]), 3) == [[0], [1], [2, 3]]
    assert merge_smallest(H, np.ones(4), 4) == [[0], [1], [2], [3]]


def test_oversplit_is_checked_auto_by_default_and_reduces_to_k(fitted):
    with pytest.raises(ValueError, match="oversplit must be 'auto' or a number in \\[1, 5\\]"):
        TopicModel(3, oversplit=0.5).fit(sp.csr_matrix(np.eye(4)))
    assert fitted.oversplit == "auto" and fitted.oversplit_ == 1.0  # too few documents for 2K topics
    frame = pd.DataFrame({"tokens": [["a", "b", "c"] * 3, ["a", "b", "d"] * 3, ["e", "f", "g"] * 3,
                                     ["e", "f", "h"] * 3, ["i", "j", "k"] * 3, ["i", "j", "l"] * 3]})
    m = TopicModel(2, oversplit=2.0, n_restarts=4, random_state=0, **NO_POLICY).fit(frame)
    assert m.oversplit_ == 2.0
    assert m.components_.shape == (2, len(m.vocabulary_))
    assert np.allclose(m.doc_topic_.sum(axis=1), 1.0)


def test_oversplit_auto_reduces_with_50_documents_per_topic_of_the_2k_fit():
    rng = np.random.default_rng(0)
    X = sp.csr_matrix(rng.poisson(0.5, size=(200, 30)) + np.repeat(np.eye(4, 30) * 5, 50, axis=0))
    kw = dict(n_restarts=3, random_state=0)
    assert TopicModel(2, **kw).fit(X).oversplit_ == 2.0      # 200 >= 50 * 4
    assert TopicModel(2, **kw).fit(X[:199]).oversplit_ == 1.0


def test_ensemble_does_not_depend_on_n_jobs():
    rng = np.random.default_rng(1)
    X = sp.csr_matrix(rng.poisson(1.0, size=(60, 25)))
    a = TopicModel(3, n_restarts=4, n_jobs=1, random_state=0).fit(X)
    b = TopicModel(3, n_restarts=4, n_jobs=2, random_state=0).fit(X)
    assert np.array_equal(a.components_, b.components_)


def test_threaded_ensemble_keeps_its_convergence_warnings_quiet():
    # The short ensemble runs stop before convergence on purpose; in threads their
    # warnings once leaked into a notebook's stderr (nbval failed on it).
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    X = sp.csr_matrix(np.random.default_rng(2).poisson(1.0, size=(80, 40)))
    for _ in range(3):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            TopicModel(4, n_restarts=8, n_jobs=2, random_state=0).fit(X)
        assert not [w for w in caught if issubclass(w.category, ConvergenceWarning)]


def test_doc_topic_rows_are_shares(fitted):
    th = fitted.doc_topic_
    assert th.shape[1] == fitted.n_topics
    assert np.all(th >= 0)
    assert np.allclose(th.sum(axis=1), 1.0)
    assert np.allclose(fitted.topic_word_.sum(axis=1), 1.0)


def test_planted_topics_recovered(fitted, planted):
    frame, truth, K, wpt = planted
    # every topic's top words come from one planted topic
    for terms in fitted.top_terms(8):
        groups = {t.split("_")[0] for t in terms if t.startswith("t")}
        assert len(groups) == 1, terms
    # every planted topic found by exactly one topic; documents assigned right
    pred = fitted.doc_topic_.argmax(axis=1)
    mapping = {k: np.bincount(pred[truth == k], minlength=K).argmax() for k in range(K)}
    assert sorted(mapping.values()) == list(range(K))
    acc = np.mean([mapping[t] == p for t, p in zip(truth, pred)])
    assert acc > 0.95


def test_transform_matches_doc_topic(fitted, planted):
    frame = planted[0]
    assert np.array_equal(fitted.transform(frame), fitted.doc_topic_)
    empty = pd.DataFrame({"tokens": [["nothing", "known"]]})
    assert np.array_equal(fitted.transform(empty), np.zeros((1, fitted.n_topics)))


def test_matrix_input_and_vocabulary_alignment(planted):
    frame, _, K, _ = planted
    m = TopicModel(K, n_restarts=2, **NO_POLICY).fit(frame)
    X = ct.topic_dtm(frame, m.vocabulary_)
    m2 = TopicModel(K, n_restarts=2, **NO_POLICY).fit(X, vocabulary=m.vocabulary_)
    assert m2.top_terms(5) == m.top_terms(5)
    assert m2.corpus_fingerprint_ == m.corpus_fingerprint_
    # columns in another order are realigned by name
    rev = list(reversed(m.vocabulary_))
    Xr = X[:, ::-1]
    assert np.allclose(m.transform(Xr, vocabulary=rev), m.doc_topic_)
    with pytest.raises(ValueError, match="columns"):
        m.transform(X[:, :-1])


def test_save_load_round_trip(fitted, planted, tmp_path):
    frame = planted[0]
    fitted.set_label(1, "my own label")
    path = fitted.save(tmp_path / "model")
    assert path.suffix == ".npz"
    with np.load(path, allow_pickle=False) as z:  # no pickle needed
        assert "meta" in z
    m = TopicModel.load(path)
    assert _params(m) == _params(fitted)
    d = TopicModel.load(TopicModel(3, n_restarts=1).fit(frame).save(tmp_path / "d.npz"))
    assert _params(d) == _params(TopicModel(3, n_restarts=1))
    assert m.vocabulary_ == fitted.vocabulary_
    assert m.labels_ == fitted.labels_ and m.labels_[1] == "my own label"
    assert m.corpus_fingerprint_ == fitted.corpus_fingerprint_
    assert np.array_equal(m.transform(frame), fitted.transform(frame))
    assert np.array_equal(m.doc_topic_, fitted.doc_topic_)
    assert m.doc_index_["doc_id"].tolist() == frame["doc_id"].tolist()
    assert set(m.versions_) >= {"numpy", "scikit-learn", "corpus_tools"}
    fitted.set_label(1, None)
    assert fitted.labels_[1] != "my own label"


# ---------------------------------------------------------------- vocabulary
def test_news_furniture_is_the_editable_resource_file():
    import unicodedata
    from importlib import resources
    from corpus_tools.topics import NEWS_FURNITURE
    text = resources.files("corpus_tools.resources").joinpath("news_furniture.txt") \
        .read_text(encoding="utf-8")
    entries = [ln.split("#", 1)[0].strip() for ln in text.splitlines()]
    entries = [e for e in entries if e]
    assert frozenset(entries) == NEWS_FURNITURE and len(entries) == len(set(entries))
    # compared lowercase and NFC: an entry in another form would never match
    assert all(e == e.lower() == unicodedata.normalize("NFC", e) and " " not in e for e in entries)
    assert {"ttxvn", "ảnh", "phóng_viên"} <= NEWS_FURNITURE


def test_vocabulary_policy_keeps_core_drops_furniture():
    # core words in 90 % of documents (a max_df=0.5 cut would remove them)
    docs = [["Đảng", "ảnh", "TTXVN", "và", "2019", "30/7", ",", f"rare{i}",
             "tham_nhũng" if i % 2 else "kinh_tế"] + (["bí_thư", "lãnh_đạo"] if i % 10 else [])
            for i in range(20)]
    vocab, dropped = topic_vocabulary(docs, stopwords=("general",), min_df=2, max_df=0.95)
    reasons = dict(zip(dropped["term"], dropped["reason"]))
    assert {"bí_thư", "lãnh_đạo", "tham_nhũng", "kinh_tế"} <= set(vocab)
    assert reasons["ảnh"] == "furniture" and reasons["TTXVN"] == "furniture"
    assert reasons["2019"] == "number" and reasons["30/7"] == "number"
    assert reasons[","] == "punctuation"
    assert reasons["rare3"] == "min_df"
    # "Đảng" is in every document: only max_df=1.0 keeps it, so 0.95 reports it
    assert reasons["Đảng"] == "max_df"
    assert reasons.get("và") == "stopword:general" or "và" not in vocab
    vocab2, _ = topic_vocabulary(docs, stopwords=None, min_df=2, max_df=1.0, keep=["ảnh"])
    assert "Đảng" in vocab2 and "ảnh" in vocab2


def test_bad_option_values():
    with pytest.raises(ValueError):
        topic_vocabulary([["a"]], min_df="often")
    with pytest.raises(ValueError, match="by"):
        topic_prevalence(None, pd.DataFrame(), by="fortnight")


# ---------------------------------------------------------------- metrics
def test_npmi_hand_computed():
    # 4 documents over words a, b, c:  a,b together in docs 0,1; c alone in 2,3
    X = sp.csr_matrix(np.array([[1, 1, 0], [2, 1, 0], [0, 0, 1], [0, 0, 3]]))
    # topic (a, b): p(a)=p(b)=p(ab)=0.5 -> NPMI = log(0.5/0.25)/-log(0.5) = 1
    assert coherence_npmi([[0, 1]], X, n=2) == pytest.approx(1.0)
    # topic (a, c): never together -> -1
    assert coherence_npmi([[0, 2]], X, n=2) == pytest.approx(-1.0)
    # a in docs 0,1,2; b in 0: p(a)=.75, p(b)=.25, p(ab)=.25
    Y = sp.csr_matrix(np.array([[1, 1], [1, 0], [1, 0], [0, 0]]))
    expected = np.log(0.25 / (0.75 * 0.25)) / -np.log(0.25)
    assert coherence_npmi([[0, 1]], Y, n=2) == pytest.approx(expected)
    per = coherence_npmi([[0, 1], [0, 2]], X, n=2, per_topic=True)
    assert per.tolist() == pytest.approx([1.0, -1.0])
    assert coherence_npmi([["a", "b"]], X, n=2, vocabulary=["a", "b", "c"]) == pytest.approx(1.0)


def test_stability_and_diversity_bounds():
    a = [[0, 1, 2], [3, 4, 5]]
    assert topic_stability([a, a, a], n=3) == 1.0
    assert topic_stability([a, [a[1], a[0]]], n=3) == 1.0  # order of topics is irrelevant
    assert topic_stability([a, [[6, 7, 8], [9, 10, 11]]], n=3) == 0.0
    half = [[0, 1, 6], [3, 4, 7]]  # 2 of 4 words shared -> 0.5
    assert topic_stability([a, half], n=3) == pytest.approx(0.5)
    assert topic_diversity(a, n=3) == 1.0
    assert topic_diversity([[0, 1], [0, 1]], n=2) == 0.5


def test_relevance_lambda_one_is_probability(fitted):
    prob_order = [[fitted.vocabulary_[j] for j in np.argsort(-row, kind="stable")[:10]]
                  for row in fitted.topic_word_]
    assert fitted.top_terms(10, lambda_=1.0) == prob_order
    assert fitted.top_terms(10, lambda_=0.2) != prob_order or fitted.n_topics == 1
    tab = topic_table(fitted)
    assert list(tab.columns) == ["topic", "label", "share", "top_terms", "relevant_terms"]
    assert tab["share"].sum() == pytest.approx(1.0, abs=0.01)


# ---------------------------------------------------------------- evidence
def test_prevalence_ci_contains_estimate(fitted, planted):
    prev = topic_prevalence(fitted, by="year", n_boot=200, random_state=0)
    assert set(prev["period"]) == {"2018", "2019"}
    assert len(prev) == 2 * fitted.n_topics
    assert (prev["share_low"] <= prev["share"] + 1e-12).all()
    assert (prev["share"] <= prev["share_high"] + 1e-12).all()
    assert (prev["share_high"] - prev["share_low"] > 0).all()
    assert prev.groupby("period")["share"].sum().round(6).eq(1.0).all()
    assert not prev["thin"].any() and (prev["n_docs"] == 120).all()
    again = topic_prevalence(fitted, by="year", n_boot=200, random_state=0)
    pd.testing.assert_frame_equal(prev, again)
    # months: the empty months between are present and flagged thin
    monthly = topic_prevalence(fitted, by="month", n_boot=50, min_docs=20)
    assert monthly["period"].nunique() == 21  # 2018-01 .. 2019-09
    gap = monthly[monthly["n_docs"] == 0]
    assert len(gap) and gap["share"].isna().all() and gap["thin"].all()
    outlets = topic_prevalence(fitted, by="outlet", n_boot=50)
    assert set(outlets["period"]) == {"A", "B"}


def test_representatives(fitted, planted):
    frame = planted[0]
    reps = topic_representatives(fitted, frame, n=3)
    assert len(reps) == 3 * fitted.n_topics
    for k, g in reps.groupby("topic"):
        assert g["share"].is_monotonic_decreasing
        words = " ".join(g["text"])
        top = fitted.top_terms(1)[k][0].replace("_", " ")
        assert top.split(" ")[0] in words


def test_seeded_topics_anchor_and_match(planted):
    frame, truth, K, _ = planted
    seeds = {"first": ["t0_w0", "t0_w1", "t0_w2"], "third": ["t2_w0", "t2_w1"]}
    m = TopicModel(K, seed_topics=seeds, n_restarts=2, **NO_POLICY).fit(frame)
    assert sorted(m.seed_topics_.values()) == ["first", "third"]
    match = topic_match_seeds(m)
    best = match[match["matched"]].set_index("family")["topic"]
    for fam, k in best.items():
        assert m.seed_topics_[k] == fam
        top = m.top_terms(12)[k]
        assert all(t.startswith("t0" if fam == "first" else "t2") for t in top)
    assert m.labels_[best["first"]].startswith("[first]")
    with pytest.raises(ValueError, match="seed_topics"):
        TopicModel(K, method="lda", seed_topics=seeds).fit(frame)


def test_select_k_on_planted(planted):
    frame = planted[0]
    scores = ct.topic_select_k(frame, ks=[2, 4, 6], seeds=[0, 1], n_jobs=1, progress=False,
                               n_restarts=2, **NO_POLICY)
    assert scores["k"].tolist() == [2, 4, 6]
    assert set(scores.columns) >= {"coherence_npmi", "topic_diversity", "topic_stability"}
    best = scores.set_index("k")
    assert best.loc[4, "topic_stability"] == pytest.approx(1.0)
    assert best.loc[4, "coherence_npmi"] > best.loc[6, "coherence_npmi"] - 0.05
    fig = ct.plots.plot_k_selection(scores, chosen=4)
    assert len(fig.axes) == 3


def test_vectorizer_is_the_models_vocabulary_step(planted):
    frame = planted[0].copy()
    frame["tokens"] = [list(t) + ["và", "infographic", "2024"] for t in frame["tokens"]]
    vec = ct.TopicVectorizer().fit(frame)
    assert not hasattr(ct.TopicVectorizer(), "vocabulary_")  # no work in __init__
    reasons = dict(zip(vec.dropped_terms_["term"], vec.dropped_terms_["reason"]))
    assert reasons["và"] == "stopword:general" and reasons["infographic"] == "furniture"
    assert reasons["2024"] == "number"
    X = vec.transform(frame)
    assert X.shape == (len(frame), len(vec.vocabulary_))
    assert (X != ct.topic_dtm(frame, vec.vocabulary_)).nnz == 0
    m = TopicModel(planted[2], n_restarts=1, vectorizer=vec).fit(frame)
    assert m.vocabulary_ == vec.vocabulary_
    assert m.dropped_terms_.equals(vec.dropped_terms_)
    assert m.vectorizer_ is not vec  # fit works on a clone
    # a matrix is taken as given: every column stays, in its order
    cols = ["và"] + vec.vocabulary_
    Xg = sp.hstack([sp.csr_matrix(np.ones((len(frame), 1), dtype=np.int64)), X]).tocsr()
    g = TopicModel(planted[2], n_restarts=1).fit(Xg, vocabulary=cols)
    assert g.vocabulary_ == cols and g.vectorizer_ is None and g.dropped_terms_.empty
    # ... unless a vectorizer is passed, which applies its policy to the named columns
    p = TopicModel(planted[2], n_restarts=1, vectorizer=ct.TopicVectorizer()).fit(Xg, vocabulary=cols)
    assert "và" not in p.vocabulary_ and "và" in set(p.dropped_terms_["term"])
    with pytest.raises(TypeError, match="TopicVectorizer"):
        TopicModel(2, vectorizer="default").fit(frame)


def test_saved_model_keeps_its_vectorizer(planted, tmp_path):
    frame = planted[0]
    vec = ct.TopicVectorizer(unit="paragraph", stopwords=None, furniture=None, min_df=1, max_df=1.0)
    m = TopicModel(planted[2], n_restarts=1, vectorizer=vec).fit(frame)
    back = TopicModel.load(m.save(tmp_path / "m.npz"))
    assert back.vectorizer_.unit == "paragraph" and back.vectorizer_.vocabulary_ == m.vocabulary_
    assert np.array_equal(back.transform(frame), m.transform(frame))


def test_topic_choose_k_prefers_the_most_coherent_stable_k():
    scores = pd.DataFrame({"k": [3, 4, 5, 6, 8], "coherence_npmi": [0.20, 0.31, 0.28, 0.35, 0.33],
                           "topic_stability": [0.95, 0.90, 0.85, 0.70, 0.60]})
    assert ct.topic_choose_k(scores) == 4  # 6 is more coherent but not stable across seeds
    assert ct.topic_choose_k(scores, stability_threshold=0.99) == 6  # none stable: the most coherent


@pytest.mark.parametrize("kw", [{}, {"unit": "paragraph", "min_df": 1}, {"layer": "term", "min_df": 1},
                                {"vocabulary": ["Đảng", "cán_bộ", "đại_hội", "không_có"]}])
def test_vectorizer_counts_a_store_as_it_counts_its_frame(seed_store_corpus, kw):
    import pandas.testing as pdt
    from corpus_tools.topics import TopicVectorizer
    frame = seed_store_corpus.frame(unit=kw.get("unit", "article"), layer=kw.get("layer", "word"))
    a, b = TopicVectorizer(**kw), TopicVectorizer(**kw)
    Xa, Xb = a.fit_transform(seed_store_corpus), b.fit_transform(frame)
    assert a.vocabulary_ == b.vocabulary_ and len(a.vocabulary_) > 0
    pdt.assert_frame_equal(a.dropped_terms_, b.dropped_terms_)
    pdt.assert_frame_equal(a.doc_index_, b.doc_index_)
    assert Xa.dtype == Xb.dtype and Xa.shape == Xb.shape and (Xa != Xb).nnz == 0 and Xa.nnz > 0
    assert (a.transform(seed_store_corpus) != b.transform(frame)).nnz == 0


def test_topic_wording_finds_a_planted_word_swap_and_feeds_the_effects(planted):
    frame, truth, K, _ = planted
    frame = frame.copy()
    later = (frame["published"].dt.year == 2019).to_numpy() & (truth == 0)
    frame["tokens"] = [["novum" if (w == "t0_w0" and swap) else w for w in toks]
                       for toks, swap in zip(frame["tokens"], later)]
    model = TopicModel(K, method="nmf", random_state=0, **NO_POLICY).fit(frame)
    tw = ct.topic_wording(model, frame, by="year", n=8, n_perm=100, random_state=0)
    moved = tw.change.sort_values("excess", ascending=False).iloc[0]
    k = int(moved["topic"])
    assert "t0_w1" in model.top_terms(12)[k]  # the planted topic
    assert moved["p_value"] <= 0.02 and moved["excess"] > 0
    assert moved["gained"].split(", ")[0] == "novum" and moved["lost"].split(", ")[0] == "t0_w0"
    others = tw.change[tw.change["topic"] != k]
    assert (others["p_value"] > 0.01).all()
    top = tw.terms[(tw.terms["topic"] == k)]
    assert "t0_w0" in set(top[top["period"] == "2018"]["term"]) and "novum" in set(top[top["period"] == "2019"]["term"])
    # the same seed, the same tables
    again = ct.topic_wording(model, frame, by="year", n=8, n_perm=100, random_state=0)
    pd.testing.assert_frame_equal(tw.change, again.change)
    # period as a content covariate: the topic's rate of "novum" jumps in 2019 (Poisson, exposure = its tokens)
    counts = tw.word_counts(k, ["t0_w0", "novum"])
    cov = ct.add_covariates(frame.drop(columns=["tokens"]), by="year")
    eff = ct.estimate_effects(counts.drop(columns=["novum"]), cov, "~ period")
    t = eff.table.set_index(["outcome", "term"])
    assert t.loc[("t0_w0", "period[T.2019]"), "ci_high"] < 0
    assert eff.kind == "count"
    assert abs(counts["n_tokens"].sum() - tw.topic_tokens[:, k].sum()) < 1e-6
    with pytest.raises(ValueError, match="'novum' never varies in period='2018'"):
        ct.estimate_effects(counts, cov, "~ period")  # a word new in 2019: separation, said
