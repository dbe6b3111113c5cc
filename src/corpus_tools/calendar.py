"""The Party's calendar as data: national congresses, the Central Committee terms
(khóa) they open, and the congress-preparation directives, from the editable
``resources/calendar.tsv`` (each row with the published record of its dates).

Party documents of the centre are numbered afresh in each term: ``35-CT/TW`` of
30/5/2019 (khóa XII) prepares the XIII Congress, ``35-CT/TW`` of 14/6/2024 (khóa
XIII) the XIV. :func:`party_term` says which term was in office on a date, and
:func:`document_term` which term issued a coded document mentioned on a date.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ._resources import read_resource_lines

__all__ = ["load_calendar", "party_term", "document_term", "calendar_events", "TERM_FAMILIES"]

#: Code families of the centre numbered afresh each term: ``<n>-<abbr>/TW``.
TERM_FAMILIES = frozenset({"CT", "NQ", "KL", "QĐ", "QĐi", "TB", "KH", "HD", "BC", "TTr"})

_COLUMNS = ["kind", "term", "name", "start", "end", "code", "source"]


@lru_cache(maxsize=4)
def _load(path: str | None) -> pd.DataFrame:
    rows = []
    for line in read_resource_lines(path or "calendar.tsv", comments="line"):
        cells = line.split("\t")
        if cells[0] == "kind":
            continue  # header
        cells += [""] * (len(_COLUMNS) - len(cells))
        rows.append(dict(zip(_COLUMNS, cells)))
    df = pd.DataFrame(rows, columns=_COLUMNS)
    for c in ("start", "end"):
        df[c] = pd.to_datetime(df[c], errors="raise")
    bad = df[df["end"] < df["start"]]
    if len(bad):
        raise ValueError(f"calendar.tsv: end before start in {bad['name'].tolist()}")
    return df


def load_calendar(path: str | None = None) -> pd.DataFrame:
    """The calendar (``kind``, ``term``, ``name``, ``start``, ``end``, ``code``,
    ``source``); ``path`` reads your own table of the same shape instead."""
    return _load(path).copy()


def party_term(date, *, path: str | None = None) -> str | None:
    """The Central Committee term (khóa, Roman) in office on ``date``: khóa N from the
    close of congress N to the close of congress N+1; None before the first
    congress of the calendar or for a missing date."""
    if date is None or pd.isna(date):
        return None
    d = pd.Timestamp(date)
    congresses = _load(path)
    congresses = congresses[congresses["kind"] == "congress"].sort_values("end")
    before = congresses[congresses["end"] <= d]
    return None if before.empty else str(before["term"].iloc[-1])


def document_term(code: str, *, issued=None, mentioned=None, path: str | None = None) -> tuple[str | None, str]:
    """``(term, how)`` of a coded document of the centre (``35-CT/TW``).

    ``issued``: the date written with the mention (``ngày 14/6/2024``) gives the term
    in office then (``how="date"``). Without it, the calendar's documents of that
    code issued on or before ``mentioned`` (the article's date) give the latest
    (``"calendar"``); else the term in office on ``mentioned`` (``"article"``: a
    document cited is usually of the current term). ``(None, "none")`` when
    nothing dates it."""
    if issued is not None and not pd.isna(issued):
        t = party_term(issued, path=path)
        if t is not None:
            return t, "date"
    if mentioned is None or pd.isna(mentioned):
        return None, "none"
    m = pd.Timestamp(mentioned)
    cal = _load(path)
    known = cal[(cal["code"] == code) & (cal["start"] <= m)].sort_values("start")
    if len(known):
        return str(known["term"].iloc[-1]), "calendar"
    t = party_term(m, path=path)
    return (t, "article") if t is not None else (None, "none")


def calendar_events(kinds=("congress",), *, start=None, end=None, path: str | None = None) -> dict:
    """``{date: label}`` of calendar events between ``start`` and ``end``, for the
    markers of time plots (``"Đại hội XIII"`` at the congress's opening)."""
    cal = _load(path)
    cal = cal[cal["kind"].isin(kinds)]
    if start is not None:
        cal = cal[cal["start"] >= pd.Timestamp(start)]
    if end is not None:
        cal = cal[cal["start"] <= pd.Timestamp(end)]
    labels = {"congress": "Đại hội {t}", "directive": "{c} ({t})", "plenum": "HNTW ({t})"}
    return {row.start: labels.get(row.kind, "{t}").format(t=row.term, c=row.code)
            for row in cal.itertuples()}
