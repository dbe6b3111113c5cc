"""Parameters derived from the corpus (corpus_tools.defaults)."""
from __future__ import annotations

import pandas as pd
import pytest

import corpus_tools as ct
from corpus_tools.defaults import _split, _topic_grid

from conftest import SEEDS_DIR


@pytest.fixture(scope="module")
def seed_corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("defaults") / "store"
    ct.ingest(SEEDS_DIR, out, backend="serial", progress=False)
    return ct.open_corpus(out)


def _dates(*values) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values)))


@pytest.mark.parametrize("dates,unit", [
    (["2019-01-05", "2020-03-01", "2023-07-09"], "year"),
    (["2021-01-05", "2021-05-01", "2021-11-09"], "quarter"),
    (["2021-04-01", "2021-05-01", "2021-06-09", "2021-06-10"], "month"),  # one quarter
    (["2021-04-01", "2021-04-20", "2021-05-09", "2021-05-10"], "week"),  # 2 months, 3 ISO weeks
    (["2021-04-05", "2021-04-06", "2021-04-07"], "day"),  # one week, 3 days
    (["2021-04-01 08:00", "2021-04-02 09:00"], "day"),  # only two days
    (["2021-04-01 08:00", "2021-04-01 17:00"], None),   # one day
    ([None, None], None),
])
def test_choose_time_unit(dates, unit):
    got, why = ct.choose_time_unit(_dates(*dates))
    assert got == unit and why
    if unit is not None:  # recount: the chosen unit gives at least two periods
        freq = ct.TIME_UNITS[unit]
        assert _dates(*dates).dropna().dt.to_period(freq).nunique() >= 2


def test_split_median_date_then_outlets():
    pub = _dates("2021-01-01", "2021-01-01", "2021-02-01", "2021-03-01")
    split, _ = _split(pub, pd.Series(["A", "B", "A", "A"]))
    cut = pd.Timestamp(split["date"])
    assert split["kind"] == "date" and (pub < cut).sum() >= 1 and (pub >= cut).sum() >= 1
    one_day = _dates("2021-01-01", "2021-01-01", "2021-01-01")
    split, why = _split(one_day, pd.Series(["A", "B", "B"]))
    assert split == {"kind": "outlet", "a": "B", "b": "A"} and "outlets" in why
    assert _split(one_day, pd.Series(["A", "A", "A"]))[0] == {"kind": None}


def test_topic_grid():
    assert _topic_grid(67)[:2] == ([3, 4, 5, 6, 8], 5)
    ks, k, _ = _topic_grid(1000)
    assert max(ks) == 20 and k in ks and len(ks) == 5
    assert _topic_grid(9)[:2] == ([], None)


def test_corpus_defaults_on_the_seed_store(seed_corpus):
    d = ct.corpus_defaults(seed_corpus)
    arts = seed_corpus.articles
    assert d.n_articles == len(arts) == 5 and d.n_dated == int(arts["published"].notna().sum())
    assert d.by == "year" and d.unit == "paragraph" and d.ks == [3, 4, 5, 6, 8] and d.n_topics == 5
    assert d.split["kind"] == "date"
    # the proposed terms are the lexicon terms found in the most articles: recount
    terms = seed_corpus.read_table("terms")
    df = terms.drop_duplicates(["doc_id", "term"])["term"].value_counts()
    assert df[d.terms[0].replace(" ", "_")] == df[df.index.str.contains("_")].max()
    assert d.kwic_term == d.terms[0] and d.concepts and set(d.reasons) >= {"by", "split", "unit", "ks"}
