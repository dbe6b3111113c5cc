"""The Party's calendar (corpus_tools.calendar)."""
from __future__ import annotations

import pandas as pd
import pytest

import corpus_tools as ct


def test_every_row_has_dates_in_order_and_a_source():
    cal = ct.load_calendar()
    congresses = cal[cal["kind"] == "congress"]
    assert congresses["term"].tolist() == ["VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV"]
    assert congresses["start"].is_monotonic_increasing and (cal["end"] >= cal["start"]).all()
    assert cal["source"].str.len().gt(10).all()  # where each date was checked
    assert set(cal.loc[cal["kind"] == "directive", "code"]) >= {"35-CT/TW"}


@pytest.mark.parametrize("date,term", [
    ("2016-01-27", "XI"),   # during the XII Congress: the XI Committee is still in office
    ("2016-01-28", "XII"),  # from its close
    ("2019-05-30", "XII"), ("2021-01-31", "XII"), ("2021-02-01", "XIII"), ("2024-06-14", "XIII"),
    ("2026-01-23", "XIV"), ("2000-01-01", "VIII"), ("1990-01-01", None), (None, None),
])
def test_party_term(date, term):
    assert ct.party_term(date) == term


def test_document_term():
    assert ct.document_term("35-CT/TW", issued="2024-06-14") == ("XIII", "date")
    # undated, mentioned in 2022: the table's latest 35-CT/TW before then is khóa XII's
    assert ct.document_term("35-CT/TW", mentioned="2022-03-01") == ("XII", "table")
    assert ct.document_term("35-CT/TW", mentioned="2025-01-01") == ("XIII", "table")
    assert ct.document_term("21-KL/TW", mentioned="2022-03-01") == ("XIII", "table")
    assert ct.document_term("99-KL/TW", mentioned="2022-03-01") == ("XIII", "article")  # not in the table: a guess
    assert ct.document_term("21-KL/TW") == (None, "none")


def test_events_and_a_calendar_of_your_own(tmp_path):
    ev = ct.calendar_events(start="2015-01-01", end="2022-12-31")
    assert ev == {pd.Timestamp("2016-01-20"): "Đại hội XII", pd.Timestamp("2021-01-25"): "Đại hội XIII"}
    own = tmp_path / "cal.tsv"
    own.write_text("kind\tterm\tname\tstart\tend\tcode\tsource\n"
                   "congress\tI\tĐại hội I\t2000-01-02\t2000-01-01\t\tx\n", encoding="utf-8")
    with pytest.raises(ValueError, match="end before start"):
        ct.load_calendar(str(own))


def test_plenums_lie_in_their_term_and_are_numbered_once():
    cal = ct.load_calendar()
    pl = cal[cal["kind"] == "plenum"]
    assert len(pl) >= 45 and set(pl["term"]) == {"XI", "XII", "XIII"}
    first = pl["name"].str.contains("lần thứ 1 ")
    # each plenum meets while its own Central Committee is in office, the first during
    # the congress that elected it
    assert all(ct.party_term(d) == t for d, t in zip(pl["start"][~first], pl["term"][~first]))
    cong = cal[cal["kind"] == "congress"].set_index("term")
    assert first.sum() == 3 and all(cong.at[t, "start"] <= d <= cong.at[t, "end"]
                                    for d, t in zip(pl["start"][first], pl["term"][first]))
    names = pl["name"][pl["name"].str.contains("lần thứ")]
    assert not names.duplicated().any()
    # numbers rise with the dates within each term
    num = pl.assign(n=pl["name"].str.extract(r"lần thứ (\d+)")[0].astype(float)).dropna(subset=["n"])
    for _, g in num.groupby("term"):
        assert g.sort_values("start")["n"].is_monotonic_increasing


@pytest.mark.parametrize("date,period", [
    ("2011-08-01", "HNTW 2 (XI)"),       # between the 2nd (4-10/7/2011) and 3rd plenums of khóa XI
    ("2016-02-01", "Đại hội XII"),       # from the congress to the 2nd plenum of khóa XII
    ("2021-01-31", "Đại hội XIII"),      # the 1st plenum of khóa XIII, held during its congress
    ("2021-01-20", "HNTW 15 (XII)"),     # between the last plenum of khóa XII and the congress
    ("2016-01-15", "HNTW 14 (XI)"),
    ("2026-01-05", "HNTW 15 (XIII)"),
    ("2026-03-01", None),                # khóa XIV: its plenums are not listed
    ("2018-12-01", "HNTW 8 (XII)"),
    ("2016-03-15", "HNTW 2 (XII)"),
    ("2016-07-05", "HNTW 3 (XII)"),      # a period opens with its plenum (4-7/7/2016)
    ("2022-05-09", "HNTW 5 (XIII)"),
    ("2024-08-10", "HNTW (XIII, 03/08/2024)"),  # the unnumbered plenum that elected Tô Lâm
    ("2010-01-01", None),                # khóa X: its plenums are not listed
    (None, None),
])
def test_calendar_period(date, period):
    assert ct.calendar_period(date) == period


def test_calendar_period_by_congress_and_in_the_covariates():
    assert ct.calendar_period("2022-05-09", kind="congress") == "Đại hội XIII"
    with pytest.raises(ValueError, match="'plenum', 'congress'"):
        ct.calendar_period("2022-05-09", kind="year")
    frame = pd.DataFrame({"doc_id": ["a", "b"], "published": pd.to_datetime(["2022-05-09", "2026-03-01"]),
                          "tokens": [["x"], ["y"]]})
    out = ct.add_covariates(frame)
    assert out["plenum"].iat[0] == "HNTW 5 (XIII)" and pd.isna(out["plenum"].iat[1])
    assert ct.calendar_events(("plenum",), start="2024-09-01", end="2024-12-31") == {
        pd.Timestamp("2024-09-18"): "HNTW 10 (XIII)"}
