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

from ._options import renamed_options

__all__ = ["TIME_UNITS", "TimeUnit", "CALENDAR_UNITS", "CalendarUnit", "By", "THIN_DOCS", "PeriodCoding",
           "code_periods", "is_time_unit", "period_labels", "period_strings", "period_starts"]

#: Calendar units accepted as ``by=``; the pandas frequency of each. A week is the
#: ISO week, Monday to Sunday (labelled by its first and last day).
TIME_UNITS = {"year": "Y", "quarter": "Q", "month": "M", "week": "W-SUN", "day": "D"}
TimeUnit = Literal["year", "quarter", "month", "week", "day"]
#: Periods of the Party's calendar (``resources/calendar.tsv``) accepted as ``by=``:
#: ``"term"``, the Central Committee term (khóa) in office, from the close of one
#: congress to the close of the next (the congress interval;
#: :func:`corpus_tools.party_term`); ``"plenum"``, the time between two Central
#: Committee plenums (:func:`corpus_tools.calendar_period`; undated where the
#: calendar lacks the next plenum). Labels come in time order, not alphabetical.
CALENDAR_UNITS = ("term", "plenum")
CalendarUnit = Literal["term", "plenum"]
#: What every ``by=`` of the package takes: a calendar unit, a period of the Party's
#: calendar, a column of the frame, a Series mapping ``doc_id`` to a label, a
#: callable of the frame giving a label per row, or None (one group).
By = Union[TimeUnit, CalendarUnit, str, pd.Series, Callable[[pd.DataFrame], Any], None]
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


def _calendar_order(unit: str) -> tuple[list[str], list[pd.Timestamp]]:
    """Every label of a calendar unit in time order, with the date each begins."""
    from .calendar import calendar_periods
    table = calendar_periods(unit)
    return table["label"].tolist(), list(table["start"])


def _calendar_coding(meta: pd.DataFrame, unit: str) -> PeriodCoding:
    from .calendar import calendar_period, party_term
    pub = pd.to_datetime(meta["published"])
    label = party_term if unit == "term" else calendar_period
    values = pub.map(lambda d: label(d) if pd.notna(d) else None)
    order, _ = _calendar_order(unit)
    rank = {lab: i for i, lab in enumerate(order)}
    present = sorted({rank[v] for v in values.dropna()})
    if not present and len(meta):
        raise ValueError(f"by={unit!r}: no document falls in a period of the Party's calendar "
                         "(undated, or outside the dates calendar.tsv lists)")
    # from the first period present to the last, so an empty one shows (as calendar units do)
    labels = pd.Index(order[present[0]:present[-1] + 1] if present else [], dtype=object)
    codes = np.full(len(meta), -1, dtype=np.int64)
    valid = values.notna().to_numpy()
    codes[valid] = labels.get_indexer(values[valid])
    return PeriodCoding(codes, labels, False)


def period_starts(labels) -> pd.Series:
    """The date each period label begins: a calendar period's first day, a term's or
    plenum period's opening (from ``calendar.tsv``), NaT for any other label. Time
    axes and :func:`corpus_tools.calendar_test` place periods with it."""
    starts = {}
    for unit in CALENDAR_UNITS:
        order, begins = _calendar_order(unit)
        starts.update(zip(order, begins))
    out = []
    for lab in labels:
        if isinstance(lab, pd.Period):
            out.append(lab.start_time)
        else:
            out.append(starts.get(str(lab), pd.NaT))
    return pd.Series(pd.to_datetime(out), index=pd.Index(labels), dtype="datetime64[ns]")


def is_time_unit(by) -> bool:
    """True when ``by`` is one of :data:`TIME_UNITS`."""
    return isinstance(by, str) and by in TIME_UNITS


def code_periods(meta: pd.DataFrame, by: By) -> PeriodCoding:
    """Period of each row of ``meta`` for ``by``: ``None`` (one period ``"all"``),
    a calendar unit of :data:`TIME_UNITS` (needs ``published``), a period of the
    Party's calendar (:data:`CALENDAR_UNITS`, from ``published``), a column of
    ``meta`` (``"outlet"``), a Series mapping ``doc_id`` to a label (congress
    terms, hand-made periods), or a callable of ``meta`` returning one label per
    row. The one period coder of every ``by=`` of the package."""
    if by is None:
        return PeriodCoding(np.zeros(len(meta), dtype=np.int64), pd.Index(["all"]), False)
    if is_time_unit(by):
        return _time_coding(meta, by)
    if isinstance(by, str) and by in CALENDAR_UNITS and "published" in meta:
        return _calendar_coding(meta, by)
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
        raise ValueError(f"by={by!r} is none of {', '.join(map(repr, [*TIME_UNITS, *CALENDAR_UNITS]))}, "
                         "a column of the frame "
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


@renamed_options(unit="by")  # unit= is the document unit everywhere else
def period_strings(published: pd.Series, by: TimeUnit) -> pd.Series:
    """The calendar period of each date as a string (``"2021"``, ``"2021Q2"``,
    ``"2021-04"``), missing where undated: the labels of :func:`code_periods`."""
    if by not in TIME_UNITS:
        raise ValueError(f"by must be one of {', '.join(map(repr, TIME_UNITS))}; got {by!r}")
    pub = pd.to_datetime(published, errors="coerce")
    return pub.dt.to_period(TIME_UNITS[by]).astype(str).where(pub.notna(), None)
