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
    with pytest.raises(ValueError, match="year, quarter, month, day"):
        code_periods(_meta(), "week")
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
