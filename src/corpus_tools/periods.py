"""Periods: one coder for every grouping of documents (calendar periods, a metadata
column, or a researcher's own mapping), one label type, one "thin" default.

Every table that reports per period uses :func:`code_periods`, names its interval
columns ``<statistic>_low`` / ``<statistic>_high`` and flags ``thin`` periods with
fewer than :data:`THIN_DOCS` documents, so tables from trends, topics and
references line up.
"""
from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

__all__ = ["TIME_UNITS", "TimeUnit", "THIN_DOCS", "PeriodCoding", "code_periods", "period_strings"]

#: Calendar units accepted as ``by=``; the pandas frequency of each.
TIME_UNITS = {"year": "Y", "quarter": "Q", "month": "M", "day": "D"}
TimeUnit = Literal["year", "quarter", "month", "day"]
#: Periods with fewer documents than this are flagged ``thin`` (their intervals
#: rest on a handful of articles).
THIN_DOCS = 10


class PeriodCoding(NamedTuple):
    """``codes``: period index per document (-1 = left out: undated, or no label);
    ``labels``: the periods in order (calendar periods as ``pd.Period``, filled
    from first to last so empty periods show); ``is_time``: calendar grouping."""
    codes: np.ndarray
    labels: pd.Index
    is_time: bool


def _time_coding(meta: pd.DataFrame, unit: str) -> PeriodCoding:
    if "published" not in meta:
        raise ValueError("grouping by time needs a 'published' column")
    per = pd.to_datetime(meta["published"]).dt.to_period(TIME_UNITS[unit])
    valid = per.notna().to_numpy()
    if not valid.any():
        raise ValueError("no document has a publication date; group by a metadata column instead")
    labels = pd.period_range(per[valid].min(), per[valid].max(), freq=TIME_UNITS[unit])
    codes = np.full(len(meta), -1, dtype=np.int64)
    codes[valid] = labels.get_indexer(per[valid])
    return PeriodCoding(codes, pd.Index(labels), True)


def code_periods(meta: pd.DataFrame, by) -> PeriodCoding:
    """Period of each row of ``meta`` for ``by``: ``None`` (one period ``"all"``),
    a calendar unit of :data:`TIME_UNITS` (needs ``published``), a column of
    ``meta`` (``"outlet"``), or a Series mapping ``doc_id`` to a label (congress
    terms, hand-made periods)."""
    if by is None:
        return PeriodCoding(np.zeros(len(meta), dtype=np.int64), pd.Index(["all"]), False)
    if isinstance(by, str) and by in TIME_UNITS:
        return _time_coding(meta, by)
    if isinstance(by, pd.Series):
        if "doc_id" not in meta:
            raise ValueError("grouping by a Series needs a 'doc_id' column")
        values = meta["doc_id"].map(by)
    elif isinstance(by, str) and by in meta.columns:
        values = meta[by]
    else:
        raise ValueError(f"by={by!r} is neither one of {', '.join(TIME_UNITS)}, a column of the frame, "
                         "nor a Series mapping doc_id to a group")
    valid = values.notna().to_numpy()
    labels = pd.Index(pd.unique(values[valid]))
    try:
        labels = labels.sort_values()
    except TypeError:
        pass
    codes = np.full(len(meta), -1, dtype=np.int64)
    codes[valid] = labels.get_indexer(values[valid])
    return PeriodCoding(codes, labels, False)


def period_strings(published: pd.Series, unit: TimeUnit) -> pd.Series:
    """The calendar period of each date as a string (``"2021"``, ``"2021Q2"``,
    ``"2021-04"``), missing where undated: the labels of :func:`code_periods`."""
    if unit not in TIME_UNITS:
        raise ValueError(f"unit must be one of {', '.join(map(repr, TIME_UNITS))}; got {unit!r}")
    pub = pd.to_datetime(published, errors="coerce")
    return pub.dt.to_period(TIME_UNITS[unit]).astype(str).where(pub.notna(), None)
