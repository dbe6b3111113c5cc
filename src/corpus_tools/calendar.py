"""The Party's calendar as data: national congresses, the Central Committee terms
(khóa) they open, the plenums of each term and the congress-preparation directives,
from the editable ``resources/calendar.tsv`` (each row with the published record of
its dates). :func:`calendar_period` places a date between plenums.

Party documents of the centre are numbered afresh in each term: ``35-CT/TW`` of
30/5/2019 (khóa XII) prepares the XIII Congress, ``35-CT/TW`` of 14/6/2024 (khóa
XIII) the XIV. :func:`party_term` says which term was in office on a date, and
:func:`document_term` which term issued a coded document mentioned on a date.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

import numpy as np
import pandas as pd

from ._options import check_choice
from ._resources import read_resource_lines

__all__ = ["load_calendar", "party_term", "document_term", "central_documents", "calendar_events", "calendar_period", "calendar_periods", "TERM_FAMILIES"]

#: Code families of the centre numbered afresh each term: ``<n>-<abbr>/TW``.
TERM_FAMILIES = frozenset({"CT", "NQ", "KL", "QĐ", "QĐi", "TB", "KH", "HD", "BC", "TTr"})

_COLUMNS = ["kind", "term", "name", "start", "end", "code", "source"]


def _read_tsv(source: str, columns: list[str]) -> pd.DataFrame:
    """A tab-separated resource as text columns (its header line, starting with the first
    column's name, skipped; short rows padded)."""
    rows = []
    for line in read_resource_lines(source, comments="line"):
        cells = line.split("\t")
        if cells[0] == columns[0]:
            continue  # header
        cells += [""] * (len(columns) - len(cells))
        rows.append(dict(zip(columns, cells)))
    return pd.DataFrame(rows, columns=columns)


@lru_cache(maxsize=4)
def _load(path: str | None) -> pd.DataFrame:
    df = _read_tsv(path or "calendar.tsv", _COLUMNS)
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


@lru_cache(maxsize=4)
def _congress_ends(path: str | None) -> tuple[np.ndarray, list[str]]:
    congresses = _load(path)
    congresses = congresses[congresses["kind"] == "congress"].sort_values("end", kind="stable")
    return congresses["end"].to_numpy("datetime64[ns]"), congresses["term"].astype(str).tolist()


def party_term(date, *, path: str | None = None) -> str | None:
    """The Central Committee term (khóa, Roman) in office on ``date``: khóa N from the
    close of congress N to the close of congress N+1; None before the first
    congress of the calendar or for a missing date."""
    if date is None or pd.isna(date):
        return None
    ends, terms = _congress_ends(path)
    i = int(np.searchsorted(ends, np.datetime64(pd.Timestamp(date), "ns"), side="right")) - 1
    return terms[i] if i >= 0 else None


@lru_cache(maxsize=4)
def _documents(path: str | None, cal_path: str | None) -> pd.DataFrame:
    df = _read_tsv(path or "central_documents.tsv", _DOC_COLUMNS)
    df["issued"] = pd.to_datetime(df["issued"], errors="raise")
    cal = _load(cal_path)
    cal = cal[cal["code"] != ""]
    df = pd.concat([df, pd.DataFrame({"code": cal["code"], "issued": cal["start"], "issuer": "",
                                      "title": cal["name"], "source": cal["source"]})], ignore_index=True)
    df = df.drop_duplicates(["code", "issued"]).sort_values(["issued", "code"], kind="stable")
    df["term"] = [party_term(d, path=cal_path) for d in df["issued"]]
    return df.reset_index(drop=True)


_DOC_COLUMNS = ["code", "issued", "issuer", "title", "source"]


def central_documents(path: str | None = None) -> pd.DataFrame:
    """Documents of the centre with their issue dates (``resources/central_documents.tsv``
    plus the calendar's coded rows): ``code, issued, issuer, title, source, term``. The
    term is the one in office on the issue date; a code reused in two terms is two rows."""
    return _documents(path, None).copy()


def document_term(code: str, *, issued=None, mentioned=None, path: str | None = None) -> tuple[str | None, str]:
    """``(term, how)`` of a coded document of the centre (``35-CT/TW``).

    ``issued``: the date written with the mention (``ngày 14/6/2024``) gives the term
    in office then (``how="date"``). Without it, the documents of that code in
    :func:`central_documents` issued on or before ``mentioned`` (the article's date) give
    the latest (``"table"``); else the term in office on ``mentioned`` (``"article"``: a
    guess). ``(None, "none")`` when nothing dates it. The references add the khóa
    written with a mention, other mentions and the corpus before this
    (``corpus_tools.references``)."""
    if issued is not None and not pd.isna(issued):
        t = party_term(issued, path=path)
        if t is not None:
            return t, "date"
    if mentioned is None or pd.isna(mentioned):
        return None, "none"
    m = pd.Timestamp(mentioned)
    docs = _documents(None, path)
    known = docs[(docs["code"] == code) & (docs["issued"] <= m)]
    if len(known):
        return str(known["term"].iloc[-1]), "table"
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
    labels = {"congress": "Đại hội {t}", "directive": "{c} ({t})"}
    return {row.start: _plenum_label(row) if row.kind == "plenum" else
            labels.get(row.kind, "{t}").format(t=row.term, c=row.code) for row in cal.itertuples()}


_NUMBER = re.compile(r"lần thứ (\d+)")


def _number(name: str) -> int | None:
    m = _NUMBER.search(name)
    return int(m.group(1)) if m else None


def _plenum_label(row) -> str:
    n = _number(row.name)
    return f"HNTW {n} ({row.term})" if n is not None else f"HNTW ({row.term}, {row.start:%d/%m/%Y})"


@lru_cache(maxsize=8)
def _periods(path: str | None, kind: str) -> tuple[np.ndarray, list[str | None]]:
    """Start of each meeting in time order and the label of the period it opens
    (None where that period cannot be placed), computed once per calendar: a
    congress opens its term (its first plenum, held during it, opens no period)."""
    cal = _load(path)
    cal = cal[cal["kind"].isin(["congress"] if kind == "congress" else ["congress", "plenum"])]
    # a first plenum meets during its congress, whose period it belongs to
    cal = cal[~((cal["kind"] == "plenum") & (cal["name"].map(_number) == 1))]
    cal = cal.sort_values("start", kind="stable").reset_index(drop=True)
    starts = cal["start"].to_numpy("datetime64[ns]")
    rows = list(cal.itertuples())
    labels = [f"Đại hội {r.term}" if r.kind == "congress" else _plenum_label(r) for r in rows]
    if kind == "congress":
        return starts, labels
    number = [1 if r.kind == "congress" else _number(r.name) for r in rows]
    listed = {r.term for r in rows if r.kind == "plenum"}
    out: list[str | None] = []
    for i, r in enumerate(rows):
        if r.term not in listed:
            out.append(None)  # a term whose plenums the calendar does not list
            continue
        done = [number[j] for j in range(i + 1) if rows[j].term == r.term and number[j] is not None]
        k = done[-1] if done else None
        nxt = next((j for j in range(i + 1, len(rows)) if number[j] is not None), None)
        gap = nxt is not None and rows[nxt].kind == "plenum" and rows[nxt].term == r.term \
            and (k is None or number[nxt] != k + 1)
        out.append(None if gap else labels[i])
    return starts, out


def calendar_period(date, *, kind: Literal["plenum", "congress"] = "plenum", path: str | None = None) -> str | None:
    """The period of ``date`` in the Party's calendar: the label of the last meeting
    opened on or before it: ``"HNTW 8 (XIII)"`` between the 8th plenum of khóa XIII
    and the next, ``"Đại hội XIII"`` from the congress to the 2nd plenum
    (``kind="congress"``: congresses only, the period of a whole term).

    None for a missing date, before the first meeting listed, in a term whose plenums
    are not listed (before khóa XI), or where the next
    plenum of the term is missing from ``calendar.tsv`` (plenum 8 listed, 9 not: the
    days after plenum 8 cannot be placed), so a gap never mislabels a date."""
    check_choice("kind", kind, ("plenum", "congress"))
    if date is None or pd.isna(date):
        return None
    starts, labels = _periods(path, kind)
    i = int(np.searchsorted(starts, np.datetime64(pd.Timestamp(date), "ns"), side="right")) - 1
    return labels[i] if i >= 0 else None


def calendar_periods(kind: Literal["term", "plenum"] = "term", *, path: str | None = None) -> pd.DataFrame:
    """Every period of ``kind`` in time order (``label``, ``start``): the labels
    :func:`party_term` (a term from its congress's close) and :func:`calendar_period`
    (from a plenum's opening) give, so ``by="term"`` and ``by="plenum"`` sort by time."""
    check_choice("kind", kind, ("term", "plenum"))
    if kind == "term":
        ends, terms = _congress_ends(path)
        return pd.DataFrame({"label": terms, "start": pd.to_datetime(ends)})
    starts, labels = _periods(path, "plenum")
    rows = [(lab, pd.Timestamp(st)) for st, lab in zip(starts, labels) if lab is not None]
    return pd.DataFrame(rows, columns=["label", "start"]).drop_duplicates("label").reset_index(drop=True)
