"""Options with fixed choices fail at the call and name the valid values, at every
public entry point (one rule: corpus_tools._options.check_choice)."""
from __future__ import annotations

import pandas as pd
import pytest

import corpus_tools as ct

FRAME = pd.DataFrame({"doc_id": ["a", "b"], "published": pd.to_datetime(["2020-01-01", "2021-01-01"]),
                      "outlet": ["x", "y"], "tokens": [["Đảng", "bộ"], ["chi_bộ", "Đảng"]]})
REFS = pd.DataFrame({"doc_id": ["a"], "canonical": ["35-CT/TW"], "doc_type": ["Chỉ thị"],
                     "published": pd.to_datetime(["2020-01-01"])})


@pytest.mark.parametrize("call, valid", [
    (lambda: ct.term_rates(FRAME, ["Đảng"], match="fuzzy", n_boot=0), ["'term'", "'word'", "'anywhere'"]),
    (lambda: ct.term_counts(FRAME, ["Đảng"], match="fuzzy"), ["'term'", "'word'", "'anywhere'"]),
    (lambda: ct.term_keyness(FRAME.iloc[:1], FRAME.iloc[1:], measure="tfidf"), ["'log_likelihood'", "'chi2'"]),
    (lambda: ct.term_collocations(FRAME, measure="dice"), ["'pmi'", "'t_score'"]),
    (lambda: ct.citation_counts(REFS, by="fortnight"), ["'year'", "'week'", "column of the frame"]),
    (lambda: ct.citation_counts(REFS, count="pages"), ["'articles'", "'mentions'"]),
    (lambda: ct.plots.plot_articles_per_period(FRAME, by="fortnight"), ["'year'", "'month'"]),
    (lambda: list(ct.parallel.map_chunks(len, [[1]], backend="threads")), ["'process'", "'dask'"]),
    (lambda: ct.load_articles(".", format="docx"), ["'txt'", "'html'"]),
    (lambda: ct.load_articles(".", dedupe="yes"), ["'flag'", "'none'"]),
    (lambda: ct.TopicModel(method="plsa").fit(FRAME), ["'consensus'", "'lda'"]),
    (lambda: ct.TopicVectorizer(unit="sentence").fit(FRAME), ["'article'", "'paragraph'"]),
    (lambda: ct.period_strings(FRAME["published"], "fortnight"), ["'year'", "'day'"]),
])
def test_unknown_choice_names_the_valid_ones(call, valid):
    with pytest.raises(ValueError) as info:
        call()
    for v in valid:
        assert v in str(info.value)


def test_store_options_name_the_valid_ones(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text('{"title": "T", "content": "Đảng bộ tỉnh họp."}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="'process', 'serial', 'dask'"):
        ct.ingest(src, tmp_path / "s", backend="threads")
    with pytest.raises(TypeError, match="valid: n_jobs"):
        ct.ingest(src, tmp_path / "s", n_job=2)


def test_unknown_load_options_name_the_valid_ones(tmp_path):
    with pytest.raises(TypeError, match=r"unknown option\(s\) \['colums'\]; valid: path, format, columns"):
        ct.load_articles(tmp_path, colums={"text": "x"})
    with pytest.raises(TypeError, match=r"\['jobs'\].*dedupe"):
        ct.load_with_report(tmp_path, jobs=2)
    import inspect
    assert "columns" in inspect.signature(ct.load_articles).parameters  # help() still shows them


def test_renamed_options_keep_the_old_name_for_a_release_with_a_warning():
    import warnings
    import pandas as pd
    import pytest
    from corpus_tools._options import renamed_options

    @renamed_options(top="n", seed="random_state")
    def pick(xs, *, n=2, random_state=0):
        return xs[:n], random_state
    assert pick([1, 2, 3], n=1) == ([1], 0)
    with pytest.warns(FutureWarning) as got:
        assert pick([1, 2, 3], top=1, seed=5) == ([1], 5)
    assert [str(w.message).split(";")[0] for w in got] == [
        "pick(top=...) is now pick(n=...)", "pick(seed=...) is now pick(random_state=...)"]
    with pytest.raises(TypeError, match="pass 'n' only"):
        pick([1], top=1, n=1)
    # the public functions renamed so that "how many" is n and a seed is random_state
    from corpus_tools.plots import plot_cooccurrence_network
    edges = pd.DataFrame({"term_a": ["a", "a"], "term_b": ["b", "c"], "count": [3, 2], "score": [1.0, 0.5]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plot_cooccurrence_network(edges, n=1, random_state=1)
    with pytest.warns(FutureWarning, match="n_edges"):
        plot_cooccurrence_network(edges, n_edges=1)


def test_unit_means_the_document_unit_only():
    import warnings
    refs = ct.references_table(pd.DataFrame({"doc_id": ["a"], "published": [pd.Timestamp("2024-06-20")],
                                             "text": ["Thực hiện Chỉ thị số 35-CT/TW ngày 14/6/2024 của Bộ Chính trị."]}))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = ct.citation_counts(refs, by=None, unit="mentions")
    assert any("citation_counts(unit=...) is now citation_counts(count=...)" in str(w.message) for w in caught)
    pd.testing.assert_frame_equal(old, ct.citation_counts(refs, by=None, count="mentions"))
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        assert ct.period_strings(pd.Series(pd.to_datetime(["2021-05-02"])), unit="month").tolist() == ["2021-05"]
