"""Dates as the genre writes them: ``26/09/2024, 09:59``, ``Sáng 9/5/2022``, ``ngày 14
tháng 11 năm 2019``, ``tháng 3/2021``, ISO and Unix time in structured fields; all as
naive Vietnam local time with their precision (minute, day, month, year).

Written here: dateparser and htmldate know neither the Vietnamese verbal forms nor the
genre's cue words ("Chiều 14/11" is a date, "4/7 chỉ tiêu" a ratio)."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["parse_date", "parse_field_date", "date_candidates"]


_TIME = r"(?P<H>[01]?\d|2[0-3])\s*(?::|h|giờ)\s*(?P<M>[0-5]\d)(?:\s*:\s*[0-5]\d)?(?:\s*(?:AM|PM|SA|CH))?"
_DMY = r"(?P<d>[0-3]?\d)\s*(?P<sep>[/.\-])\s*(?P<m>[01]?\d)\s*(?P=sep)\s*(?P<y>(?:19|20)\d\d)(?!\d)"
# Patterns start with a digit or a literal (no look-behind), so re can scan fast; what
# must not precede a match is checked in date_candidates.
_RE_DMY_TIME = re.compile(
    rf"{_DMY}(?:\s*(?:[,|\-–]|lúc|,\s*lúc)?\s*{_TIME}(?!\d))?", re.I)
_RE_TIME_DMY = re.compile(
    rf"{_TIME}\s*(?:[,|\-–]|ngày)?\s*(?:(?:thứ\s+\w+|chủ\s+nhật)\s*[,\-–]?\s*)?(?:ngày\s+)?{_DMY}", re.I)
_RE_ISO = re.compile(
    r"(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[T ](?P<H>[0-2]\d):(?P<M>[0-5]\d))?(?!\d)")
_RE_VERBAL = re.compile(
    r"ngày\s+(?P<d>[0-3]?\d)\s+tháng\s+(?P<m>[01]?\d)\s+năm\s+(?P<y>(?:19|20)\d\d)(?!\d)", re.I)
_RE_MONTH = re.compile(
    r"tháng\s+(?P<m>[01]?\d)\s*(?:/|-|năm|,\s*năm)\s*(?P<y>(?:19|20)\d\d)(?!\d)", re.I)
_RE_YEAR = re.compile(r"năm\s+(?P<y>(?:19|20)\d\d)(?!\d)", re.I)
# day/month without a year only after a cue word ("Chiều 14/11", "hôm nay (12/8)", "Ngày 23-10"):
# bare "4/7" is as often a ratio ("4/7 chỉ tiêu") as a date
_RE_DM = re.compile(r"(?P<d>[0-3]?\d)\s*[/\-]\s*(?P<m>[01]?\d)(?![\d/\-])")
_RE_DM_CUE = re.compile(
    r"(?:^|[^\w])(?:sáng|chiều|tối|trưa|đêm|khuya|ngày|hôm|nay|qua|mai|rạng sáng)\s*(?:nay|qua|mai)?\s*\(?\s*$",
    re.I)
_RE_ANY_YEAR = re.compile(r"(?:19|20)\d\d(?![\d/])")
_RE_HAS_DIGIT = re.compile(r"\d")
_RE_NUM_SEP = re.compile(r"\d\s*[/.\-]\s*\d")
_NUMCHARS = frozenset("0123456789/.-")


def _ts(y: int, m: int, d: int = 1, H: int = 0, M: int = 0) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(datetime(y, m, d, H, M))
    except ValueError:
        return None


def _free_start(text: str, start: int) -> bool:
    return start == 0 or text[start - 1] not in _NUMCHARS


def date_candidates(text: str, context_year: int | None, coarse: bool = True):
    """Yield ``(start, rank, timestamp, precision, match)`` for every date expression
    (months and years too when ``coarse``)."""
    if _RE_HAS_DIGIT.search(text) is None:
        return
    has_sep = _RE_NUM_SEP.search(text) is not None
    for rx in (_RE_TIME_DMY, _RE_DMY_TIME, _RE_ISO) if has_sep else ():
        for m in rx.finditer(text):
            if not _free_start(text, m.start()):
                continue
            g = m.groupdict()
            has_time = g.get("H") is not None
            ts = _ts(int(g["y"]), int(g["m"]), int(g["d"]),
                     int(g["H"]) if has_time else 0, int(g["M"]) if has_time else 0)
            if ts is not None:
                yield m.start(), 0 if has_time else 1, ts, "minute" if has_time else "day", m
    if "ngày" in text or "Ngày" in text or "NGÀY" in text:
        for m in _RE_VERBAL.finditer(text):
            ts = _ts(int(m["y"]), int(m["m"]), int(m["d"]))
            if ts is not None:
                yield m.start(), 1, ts, "day", m
    if not has_sep:
        if coarse:
            yield from _coarse(text)
        return
    dm = [m for m in _RE_DM.finditer(text)
          if _free_start(text, m.start()) and _RE_DM_CUE.search(text, max(0, m.start() - 24), m.start())]
    if dm:
        year = context_year
        if year is None:
            found = _RE_YEAR.search(text)
            if found is not None:
                year = int(found["y"])
            else:
                for found in _RE_ANY_YEAR.finditer(text):
                    if _free_start(text, found.start()):
                        year = int(found.group())
                        break
        if year is not None:
            for m in dm:
                ts = _ts(year, int(m["m"]), int(m["d"]))
                if ts is not None:
                    yield m.start("d"), 1, ts, "day", m
    if coarse:
        yield from _coarse(text)


def _coarse(text: str):
    tl = text.lower()
    if "tháng" in tl:
        for m in _RE_MONTH.finditer(text):
            ts = _ts(int(m["y"]), int(m["m"]))
            if ts is not None:
                yield m.start(), 2, ts, "month", m
    if "năm" not in tl:
        return
    for m in _RE_YEAR.finditer(text):
        if m.start() == 0 or not text[m.start() - 1].isalnum():
            yield m.start(), 3, pd.Timestamp(int(m["y"]), 1, 1), "year", m


def _first_date(text: str, context_year: int | None = None):
    best = None
    for cand in date_candidates(text, context_year):
        if best is None or cand[:2] < best[:2]:
            best = cand
    return best


def parse_date(text: str, *, context_year: int | None = None) -> tuple[pd.Timestamp, str] | None:
    """First date in ``text`` as ``(timestamp, precision)``, precision ``minute|day|month|year``.

    Reads ``26/09/2024, 09:59``, ``26-04-2020 10:11``, ``09:59 26/09/2024``, ``07/08/2020 | 236``
    (the number after the bar is a view counter, not a time), ISO ``2024-09-26T09:59``,
    ``ngày 14 tháng 6 năm 2024``, ``tháng 6/2024`` (month), ``năm 2019`` (year), and a
    day/month after a cue word (``Chiều 14/11``, ``hôm nay (12/8)``) with the year from
    ``context_year`` or, failing that, from a year named in the same text. Returns None
    when there is no date. Timestamps are naive local time.
    """
    if not isinstance(text, str) or not text:
        return None
    best = _first_date(text, context_year)
    return None if best is None else (best[2], best[3])



def _precision_of(ts: pd.Timestamp) -> str:
    return "minute" if (ts.hour or ts.minute) else "day"


_ISO_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$")


def _to_local(ts: pd.Timestamp) -> pd.Timestamp:
    """Time-zone-aware values to naive Vietnam local time, as in the schema."""
    return ts.tz_convert("Asia/Ho_Chi_Minh").tz_localize(None) if ts.tzinfo is not None else ts


def parse_field_date(value: Any) -> tuple[pd.Timestamp, str] | None:
    """A date from a structured field (JSON/CSV column, ``known``): Unix time in
    seconds or milliseconds, ISO 8601 (at its precision: year, month, day or
    minute), then the Vietnamese forms of :func:`parse_date`. A time of exactly
    00:00 counts as day precision (feeds and htmldate fill midnight when only
    the day is known). None when nothing plausible is found."""
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, (int, float, np.integer, np.floating)):
            v = float(value)
            # Unix time in seconds or milliseconds, within 1973..2096
            if np.isfinite(v) and 1e8 <= v <= 4e9:
                return _to_local(pd.Timestamp(v, unit="s", tz="UTC")), "minute"
            if np.isfinite(v) and 1e11 <= v <= 4e12:
                return _to_local(pd.Timestamp(v, unit="ms", tz="UTC")), "minute"
            return None
        if isinstance(value, (pd.Timestamp, datetime)):
            ts = pd.Timestamp(value)
            return None if pd.isna(ts) else (_to_local(ts), _precision_of(_to_local(ts)))
        s = " ".join(str(value).split())
        if _ISO_RE.match(s):
            ts = _to_local(pd.Timestamp(s))
            n = len(s)
            prec = ("year" if n == 4 else "month" if n == 7 else
                    "day" if n == 10 or (ts.hour == 0 and ts.minute == 0 and ts.second == 0)
                    else "minute")
            return ts, prec
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return None
    try:
        return parse_date(s) if s else None
    except Exception:  # a malformed date must not crash the batch
        return None


