"""Periods: one coder for every grouping of documents (calendar periods, a metadata
column, or a researcher's own mapping), one label type, one "thin" default.

Every table that reports per period uses :func:`code_periods`, names its interval
columns ``<statistic>_low`` / ``<statistic>_high`` and flags ``thin`` periods with
fewer than :data:`THIN_DOCS` documents, so tables from trends, topics and
references line up.
"""
from __future__ import annotations

from typing import Any, Callable, Literal, NamedTuple, Union

import numpy as np
import pandas as pd

__all__ = ["TIME_UNITS", "TimeUnit", "By", "THIN_DOCS", "PeriodCoding", "code_periods", "is_time_unit",
           "period_labels", "period_strings"]

#: Calendar units accepted as ``by=``; the pandas frequency of each. A week is the
#: ISO week, Monday to Sunday (labelled by its first and last day).
TIME_UNITS = {"year": "Y", "quarter": "Q", "month": "M", "week": "W-SUN", "day": "D"}
TimeUnit = Literal["year", "quarter", "month", "week", "day"]
#: What every ``by=`` of the package takes: a calendar unit, a column of the
#: frame, a Series mapping ``doc_id`` to a label, a callable of the frame giving a
#: label per row, or None (one group).
By = Union[TimeUnit, str, pd.Series, Callable[[pd.DataFrame], Any], None]
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


def is_time_unit(by) -> bool:
    """True when ``by`` is one of :data:`TIME_UNITS`."""
    return isinstance(by, str) and by in TIME_UNITS


def code_periods(meta: pd.DataFrame, by: By) -> PeriodCoding:
    """Period of each row of ``meta`` for ``by``: ``None`` (one period ``"all"``),
    a calendar unit of :data:`TIME_UNITS` (needs ``published``), a column of
    ``meta`` (``"outlet"``), a Series mapping ``doc_id`` to a label (congress
    terms, hand-made periods), or a callable of ``meta`` returning one label per
    row. The one period coder of every ``by=`` of the package."""
    if by is None:
        return PeriodCoding(np.zeros(len(meta), dtype=np.int64), pd.Index(["all"]), False)
    if is_time_unit(by):
        return _time_coding(meta, by)
    if isinstance(by, pd.Series):
        if "doc_id" not in meta:
            raise ValueError("grouping by a Series needs a 'doc_id' column")
        if by.index.has_duplicates:
            raise ValueError("a Series given as by= maps each doc_id to one label; its index has duplicates")
        values = meta["doc_id"].map(by)
    elif callable(by):
        values = by(meta)
        values = pd.Series(np.asarray(values, dtype=object) if not isinstance(values, pd.Series)
                           else values.to_numpy(), index=meta.index)
        if len(values) != len(meta):
            raise ValueError(f"a callable given as by= returns one label per row: got {len(values)} "
                             f"for {len(meta)} rows")
    elif isinstance(by, str) and by in meta.columns:
        values = meta[by]
    else:
        raise ValueError(f"by={by!r} is none of {', '.join(map(repr, TIME_UNITS))}, a column of the frame "
                         f"({', '.join(map(repr, [c for c in meta.columns if c != 'tokens'][:12]))}), "
                         "a Series mapping doc_id to a group, a callable or None")
    valid = values.notna().to_numpy()
    labels = pd.Index(pd.unique(values[valid]))
    try:
        labels = labels.sort_values()
    except TypeError:
        pass
    codes = np.full(len(meta), -1, dtype=np.int64)
    codes[valid] = labels.get_indexer(values[valid])
    return PeriodCoding(codes, labels, False)


def period_labels(meta: pd.DataFrame, by: By) -> pd.Series:
    """The label of each row of ``meta`` for ``by`` as a string (missing where the
    row has none): :func:`code_periods` for tables keyed by text."""
    coding = code_periods(meta, by)
    labels = np.array([str(x) for x in coding.labels], dtype=object)
    out = np.where(coding.codes >= 0, labels[np.maximum(coding.codes, 0)] if len(labels) else None, None)
    return pd.Series(out, index=meta.index, dtype=object)


def period_strings(published: pd.Series, unit: TimeUnit) -> pd.Series:
    """The calendar period of each date as a string (``"2021"``, ``"2021Q2"``,
    ``"2021-04"``), missing where undated: the labels of :func:`code_periods`."""
    if unit not in TIME_UNITS:
        raise ValueError(f"unit must be one of {', '.join(map(repr, TIME_UNITS))}; got {unit!r}")
    pub = pd.to_datetime(published, errors="coerce")
    return pub.dt.to_period(TIME_UNITS[unit]).astype(str).where(pub.notna(), None)
