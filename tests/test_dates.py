"""dates: the genre's date forms, structured-field dates, and what is not a date."""
from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pandas as pd
import pytest

from corpus_tools.dates import date_candidates, parse_date, parse_field_date


@pytest.mark.parametrize("text, expected, precision", [
    ("26/09/2024, 09:59", "2024-09-26 09:59", "minute"),
    ("26-04-2020 10:11", "2020-04-26 10:11", "minute"),
    ("07/08/2020 | 236", "2020-08-07", "day"),
    ("09:59 26/09/2024", "2024-09-26 09:59", "minute"),
    ("Thứ năm, 26/09/2024 - 09:59 GMT+7", "2024-09-26 09:59", "minute"),
    ("10h30, ngày 26/9/2024", "2024-09-26 10:30", "minute"),
    ("26.09.2024", "2024-09-26", "day"),
    ("2024-09-26T09:59:00", "2024-09-26 09:59", "minute"),
    ("2013-10-23", "2013-10-23", "day"),
    ("Sáng 9/5/2022, đoàn kiểm tra số 2", "2022-05-09", "day"),
    ("ngày 14 tháng 6 năm 2024", "2024-06-14", "day"),
    ("Chiều 14/11, hội nghị đánh giá kết quả 10 tháng năm 2019", "2019-11-14", "day"),
    ("diễn ra hôm nay (12/8) tại Hà Nội, năm 2020", "2020-08-12", "day"),
    ("tháng 6/2024", "2024-06-01", "month"),
    ("trong năm 2019", "2019-01-01", "year"),
])
def test_parse_date_formats(text, expected, precision):
    assert parse_date(text) == (pd.Timestamp(expected), precision)


def test_parse_date_context_year_and_rejects():
    assert parse_date("Chiều 14/11, hội nghị") is None  # no year anywhere
    assert parse_date("Chiều 14/11, hội nghị", context_year=2019) == (pd.Timestamp("2019-11-14"), "day")
    assert parse_date("đạt 4/7 chỉ tiêu, 26/61 đảng bộ") is None  # ratios, not dates
    assert parse_date("31/02/2020") is None
    assert parse_date("Chỉ thị số 35-CT/TW") is None
    assert parse_date("") is None


@pytest.mark.parametrize("value, expected, precision", [
    (1569834000, "2019-09-30 16:00", "minute"),            # Unix seconds, UTC -> Vietnam time
    (1569834000000, "2019-09-30 16:00", "minute"),         # ... and milliseconds
    (np.int64(1569834000), "2019-09-30 16:00", "minute"),
    ("2019-09-30T09:00:00Z", "2019-09-30 16:00", "minute"),
    ("2019-09-30T16:00:00+07:00", "2019-09-30 16:00", "minute"),
    ("2019-09-30", "2019-09-30", "day"),
    ("2019-09-30T00:00:00", "2019-09-30", "day"),          # midnight filled in by feeds
    ("2019-09", "2019-09-01", "month"),
    ("2019", "2019-01-01", "year"),
    ("Thứ hai, 30/09/2019 - 16:00", "2019-09-30 16:00", "minute"),
    (datetime(2019, 9, 30, 9, 0, tzinfo=timezone.utc), "2019-09-30 16:00", "minute"),
    (pd.Timestamp("2019-09-30"), "2019-09-30", "day"),
])
def test_parse_field_date_reads_structured_values(value, expected, precision):
    assert parse_field_date(value) == (pd.Timestamp(expected), precision)


@pytest.mark.parametrize("value", [None, True, 42, float("nan"), "", "không rõ", pd.NaT, 1e20])
def test_parse_field_date_returns_none_for_what_is_not_a_date(value):
    assert parse_field_date(value) is None


def test_date_candidates_lists_every_date_with_its_offset():
    text = "Ngày 14/11/2019, hội nghị tổng kết năm 2019; tháng 3/2020 sẽ họp tiếp."
    found = [(s, ts, prec) for s, _, ts, prec, _ in date_candidates(text, None)]
    assert (text.index("14/11"), pd.Timestamp("2019-11-14"), "day") in found
    assert (text.index("tháng 3"), pd.Timestamp("2020-03-01"), "month") in found
    assert all(text[s].isalnum() for s, _, _ in found)
    fine = {prec for _, _, _, prec, _ in date_candidates(text, None, coarse=False)}
    assert fine <= {"minute", "day"}
