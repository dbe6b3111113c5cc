"""The Party's calendar (corpus_tools.calendar)."""
from __future__ import annotations

import pandas as pd
import pytest

import corpus_tools as ct


def test_every_row_has_dates_in_order_and_a_source():
    cal = ct.load_calendar()
    congresses = cal[cal["kind"] == "congress"]
    assert congresses["term"].tolist() == ["IX", "X", "XI", "XII", "XIII", "XIV"]
    assert congresses["start"].is_monotonic_increasing and (cal["end"] >= cal["start"]).all()
    assert cal["source"].str.len().gt(10).all()  # where each date was checked
    assert set(cal.loc[cal["kind"] == "directive", "code"]) >= {"35-CT/TW"}


@pytest.mark.parametrize("date,term", [
    ("2016-01-27", "XI"),   # during the XII Congress: the XI Committee is still in office
    ("2016-01-28", "XII"),  # from its close
    ("2019-05-30", "XII"), ("2021-01-31", "XII"), ("2021-02-01", "XIII"), ("2024-06-14", "XIII"),
    ("2026-01-23", "XIV"), ("2000-01-01", None), (None, None),
])
def test_party_term(date, term):
    assert ct.party_term(date) == term


def test_document_term():
    assert ct.document_term("35-CT/TW", issued="2024-06-14") == ("XIII", "date")
    # undated, mentioned in 2022: the calendar's latest 35-CT/TW before then is khóa XII's
    assert ct.document_term("35-CT/TW", mentioned="2022-03-01") == ("XII", "calendar")
    assert ct.document_term("35-CT/TW", mentioned="2025-01-01") == ("XIII", "calendar")
    assert ct.document_term("21-KL/TW", mentioned="2022-03-01") == ("XIII", "article")
    assert ct.document_term("21-KL/TW") == (None, "none")


def test_events_and_a_calendar_of_your_own(tmp_path):
    ev = ct.calendar_events(start="2015-01-01", end="2022-12-31")
    assert ev == {pd.Timestamp("2016-01-20"): "Đại hội XII", pd.Timestamp("2021-01-25"): "Đại hội XIII"}
    own = tmp_path / "cal.tsv"
    own.write_text("kind\tterm\tname\tstart\tend\tcode\tsource\n"
                   "congress\tI\tĐại hội I\t2000-01-02\t2000-01-01\t\tx\n", encoding="utf-8")
    with pytest.raises(ValueError, match="end before start"):
        ct.load_calendar(str(own))
