"""Tests for corpus_tools.periods: one coder for calendar units, columns and mappings."""
from __future__ import annotations

import pandas as pd
import pytest

from corpus_tools.periods import THIN_DOCS, code_periods, period_strings


def _meta():
    return pd.DataFrame({"doc_id": list("abcd"),
                         "published": pd.to_datetime(["2020-01-05", None, "2020-03-31", "2021-02-01"]),
                         "outlet": ["X", "Y", None, "X"]})


def test_calendar_periods_are_filled_and_undated_left_out():
    c = code_periods(_meta(), "month")
    assert c.is_time and len(c.labels) == 14  # 2020-01 .. 2021-02, empty months included
    assert c.codes.tolist() == [0, -1, 2, 13]
    assert [str(p) for p in c.labels[:3]] == ["2020-01", "2020-02", "2020-03"]
    y = code_periods(_meta(), "year")
    assert [str(p) for p in y.labels] == ["2020", "2021"] and y.codes.tolist() == [0, -1, 0, 1]


def test_columns_mappings_and_errors():
    c = code_periods(_meta(), "outlet")
    assert not c.is_time and list(c.labels) == ["X", "Y"] and c.codes.tolist() == [0, 1, -1, 0]
    m = code_periods(_meta(), pd.Series({"a": "XIII", "d": "XIV"}))
    assert list(m.labels) == ["XIII", "XIV"] and m.codes.tolist() == [0, -1, -1, 1]
    assert code_periods(_meta(), None).codes.tolist() == [0, 0, 0, 0]
    with pytest.raises(ValueError, match="'year', 'quarter', 'month', 'week', 'day'"):
        code_periods(_meta(), "fortnight")
    with pytest.raises(ValueError, match="no document has a publication date"):
        code_periods(_meta().assign(published=pd.NaT), "year")
    q = period_strings(_meta()["published"], "quarter")
    assert q.isna().tolist() == [False, True, False, False]
    assert q.dropna().tolist() == ["2020Q1", "2020Q1", "2021Q1"]
    assert THIN_DOCS == 10


def test_every_analysis_uses_the_same_thin_default():
    import inspect

    import corpus_tools as ct
    for fn in (ct.term_rates, ct.topic_prevalence):
        assert inspect.signature(fn).parameters["min_docs"].default == THIN_DOCS, fn.__name__


# ---------------------------------------------------------------- one coder behind every by=
@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    import corpus_tools as ct
    from conftest import SEEDS_DIR
    out = tmp_path_factory.mktemp("periods") / "store"
    ct.ingest(SEEDS_DIR, out, backend="serial", progress=False)
    corpus = ct.open_corpus(out)
    frame = corpus.frame(unit="paragraph")
    model = ct.TopicModel(2, method="nmf", n_restarts=1, random_state=0).fit(frame)
    return corpus, frame, model


def _by_values(corpus):
    arts = corpus.articles
    term = pd.Series(["A" if i % 2 else "B" for i in range(len(arts))], index=arts["doc_id"])
    return {"year": "year", "quarter": "quarter", "month": "month", "week": "week", "day": "day",
            "column": "outlet", "series": term, "callable": lambda m: m["doc_id"].str[:1], "none": None}


BY_KINDS = ["year", "quarter", "month", "week", "day", "column", "series", "callable", "none"]


@pytest.mark.parametrize("kind", BY_KINDS)
def test_every_by_takes_the_same_groupings(seeds, kind):
    """term_rates, topic_prevalence, citation_counts, formula_spread,
    corpus_composition and add_covariates all take each grouping, through
    code_periods, and agree on the labels."""
    import corpus_tools as ct
    corpus, frame, model = seeds
    by = _by_values(corpus)[kind]
    arts = corpus.articles.drop_duplicates("doc_id")
    want = set(ct.periods.period_labels(arts, by).dropna())
    rates = ct.term_rates(corpus, ["Đảng"], by=by, n_boot=20)
    got = set(rates.loc[rates["n_docs"] > 0, "period"].astype(str))
    assert got == want
    prev = ct.topic_prevalence(model, frame, by=by, n_boot=20)
    assert set(prev.loc[prev["n_docs"] > 0, "period"]) == want
    comp = ct.corpus_composition(corpus, by=by)
    assert set(comp["period"].astype(str)) == want
    refs = ct.references_table(arts).merge(arts[["doc_id", "outlet"]], on="doc_id")  # a column to group by
    cites = ct.citation_counts(refs, by=by)
    if by is not None:
        assert set(cites["period"]) <= want and len(cites)
    formulas = ct.find_formulas(corpus, min_sites=1)
    if kind == "column":  # a formula's occurrences carry the site, not the outlet
        assert set(ct.formula_spread(formulas, by="site")["site"]) <= set(formulas.occurrences["site"])
    elif by is not None:
        assert set(ct.formula_spread(formulas, by=by).iloc[:, 2].astype(str)) <= want
    cov = ct.add_covariates(arts[["doc_id", "published", "outlet"]], by=by) if by is not None else None
    assert cov is None or set(cov["period"].dropna()) == want


def test_an_unknown_by_names_the_valid_ones(seeds):
    import corpus_tools as ct
    corpus, frame, model = seeds
    for call in (lambda: ct.term_rates(corpus, ["Đảng"], by="fortnight"),
                 lambda: ct.topic_prevalence(model, frame, by="fortnight")):
        with pytest.raises(ValueError, match="'week'.*column of the frame"):
            call()


def test_the_automatic_unit_of_a_short_corpus_is_one_every_function_takes():
    from corpus_tools.defaults import choose_time_unit
    dates = pd.Series(pd.date_range("2026-01-20", "2026-02-07", freq="D"))  # 19 days
    unit, _ = choose_time_unit(dates)
    assert unit == "week"
    meta = pd.DataFrame({"doc_id": [str(i) for i in range(len(dates))], "published": dates})
    assert len(code_periods(meta, unit).labels) == 3


def test_party_terms_and_plenum_periods_come_in_time_order():
    import corpus_tools as ct
    meta = pd.DataFrame({"doc_id": list("abcde"),
                         "published": pd.to_datetime(["2021-06-01", "2012-03-01", "2016-05-01", None, "2011-01-10"])})
    coding = code_periods(meta, "term")
    # khóa X ran to the close of the XI congress (19/1/2011): 10/1/2011 is khóa X, not XI
    assert list(coding.labels) == ["X", "XI", "XII", "XIII"]  # Roman numerals in time order, not alphabetical
    assert list(coding.codes) == [3, 1, 2, -1, 0]
    starts = ct.period_starts(coding.labels)
    assert starts["XIII"] == pd.Timestamp("2021-02-01")  # the close of the XIII congress
    plen = code_periods(meta.iloc[:3], "plenum")
    assert plen.labels[0] == "HNTW 4 (XI)"  # 4th plenum 26/12/2011, 5th 7/5/2012: and plen.labels[-1].endswith("(XIII)")
    assert list(plen.labels).index("Đại hội XII") < list(plen.labels).index("HNTW 2 (XII)")
    with pytest.raises(ValueError, match="no document falls in a period"):
        code_periods(meta.iloc[[3]], "term")
    assert ct.period_starts(pd.period_range("2020-01", periods=2, freq="M")).iloc[1] == pd.Timestamp("2020-02-01")
