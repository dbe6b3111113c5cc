"""Path, folder or glob of scraped articles -> article DataFrame + ingest report.

``load_articles`` is the one entry point. It reads every input unit with
:mod:`corpus_tools.readers`, finds site furniture by repetition once per source
(a folder of text files, or one JSONL/CSV file), extracts metadata and the clean
body with :func:`corpus_tools.metadata.extract_article`, gives each article a
content-derived ``doc_id`` and flags duplicates. Every unit ends up in the
:class:`IngestReport` as loaded or skipped with a reason; nothing is dropped
silently and bad input never raises.
"""
from __future__ import annotations

import csv
import inspect
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Iterable, Literal, NamedTuple, get_args

import pandas as pd

from ._options import check_choice, named_options
from .clean import clean_spaced_punctuation
from .dedupe import article_id, content_key, flag_duplicates
from .dates import parse_field_date
from .metadata import extract_article
from .fields import (FIELD_CANDIDATES, FieldMapper, field_text, flatten_fields,
                     no_text_message, outlet_from_url, outlet_name, resolve_columns, source_field_role)
from .readers import FORMATS, Format, RawRecord, printable_path, read_records
from .sources import SourceLearner, SourceProfile, source_key

__all__ = [
    "ARTICLE_COLUMNS",
    "DEDUPE_OPTIONS",
    "IngestReport",
    "Loaded",
    "learn_records",
    "learn_sources",
    "load_articles",
    "load_records",
    "load_with_report",
]

#: Columns of the article DataFrame, in order (see docs/architecture.md).
ARTICLE_COLUMNS = (
    "doc_id", "source_path", "title", "published", "date_precision", "date_source",
    "author", "outlet", "url", "text", "paragraphs", "captions", "removed",
    "is_duplicate", "duplicate_of",
)

#: Accepted values of ``dedupe``.
Dedupe = Literal["flag", "drop", "none"]
DEDUPE_OPTIONS = get_args(Dedupe)

# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------

_CATEGORY_RE = re.compile(r"[:(]| of [0-9a-f]{16}\b")


def _category(reason: str) -> str:
    """Group reasons for counting: the part before ':', '(' or a doc_id."""
    return _CATEGORY_RE.split(reason, maxsplit=1)[0].strip() or reason


class IngestReport(dict):
    """What happened to every input unit of one :func:`load_articles` call.

    A ``dict`` (so it is JSON-serialisable and survives ``df.to_parquet``,
    which stores ``df.attrs``) with keys ``inputs``, ``loaded``, ``skipped``,
    ``duplicates``, ``skip_reasons`` (counts by reason category), ``notes``
    (counts of notes on loaded units, such as ``no date found``), ``source``
    and ``units``: one entry per unit (file, or ``path#N`` row) with
    ``status`` ("loaded" | "skipped"), ``reason`` (skips), ``doc_id`` (loads),
    ``format``, ``encoding``, ``notes`` and ``chars`` (characters of the text as
    read, before cleaning, for units that were read). Invariant: inputs = loaded + skipped.

    Treat it as read-only; pandas shares it between frames derived from the
    loaded one instead of copying it.
    """

    def __init__(self, units: Iterable[dict], *, source: str = "", duplicates: int = 0,
                 fields: Mapping[str, Mapping[str, str]] | None = None,
                 sources: Mapping[str, Mapping] | None = None):
        units = list(units)
        loaded = sum(1 for u in units if u["status"] == "loaded")
        skipped = sum(1 for u in units if u["status"] == "skipped")
        if loaded + skipped != len(units):
            raise ValueError("every unit must be 'loaded' or 'skipped'")
        reasons = Counter(_category(u["reason"]) for u in units if u["status"] == "skipped")
        notes = Counter(_category(n) for u in units if u["status"] == "loaded" for n in u["notes"])
        super().__init__(
            source=source, inputs=len(units), loaded=loaded, skipped=skipped,
            duplicates=duplicates,
            skip_reasons=dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
            notes=dict(sorted(notes.items(), key=lambda kv: (-kv[1], kv[0]))),
            units=units,
        )
        if fields:  # which field of each structured input became which column
            self["fields"] = {str(k): dict(v) for k, v in fields.items()}
        if sources:  # what was learnt per source: furniture, spacing
            self["sources"] = {str(k): dict(v) for k, v in sorted(sources.items())}

    def __deepcopy__(self, memo):  # pandas deep-copies attrs on every operation
        return self

    @classmethod
    def merge(cls, reports: Iterable[Mapping], *, source: str = "") -> "IngestReport":
        """One report of several loads (the chunks of one input, in order): their
        units one after the other, counts recomputed from them, duplicates summed,
        fields and learnt sources joined (a later load's entry wins)."""
        reports = list(reports)
        return cls([u for r in reports for u in r.get("units", [])], source=source,
                   duplicates=sum(int(r.get("duplicates", 0)) for r in reports),
                   fields={k: v for r in reports for k, v in r.get("fields", {}).items()},
                   sources={k: v for r in reports for k, v in r.get("sources", {}).items()})

    @property
    def inputs(self) -> int:
        return self["inputs"]

    @property
    def loaded(self) -> int:
        return self["loaded"]

    @property
    def skipped(self) -> int:
        return self["skipped"]

    @property
    def units(self) -> list[dict]:
        return self["units"]

    def to_frame(self) -> pd.DataFrame:
        """One row per unit: unit, status, reason, doc_id, format, encoding, notes."""
        cols = ["unit", "status", "reason", "doc_id", "format", "encoding", "notes"]
        df = pd.DataFrame(self["units"], columns=cols)
        df["notes"] = df["notes"].map(lambda n: "; ".join(n))
        return df

    def skipped_frame(self) -> pd.DataFrame:
        """Only the skipped units, with their reasons."""
        df = self.to_frame()
        return df[df["status"] == "skipped"].reset_index(drop=True)

    def summary(self) -> str:
        lines = [f"{self.inputs} input units: {self.loaded} loaded, {self.skipped} skipped"
                 + (f", {self['duplicates']} flagged as duplicates" if self["duplicates"] else "")]
        for reason, n in self["skip_reasons"].items():
            lines.append(f"  skipped  {n:>6}  {reason}")
        for note, n in self["notes"].items():
            lines.append(f"  note     {n:>6}  {note}")
        for src, m in self.get("fields", {}).items():
            lines.append(f"  fields   {Path(src).name}: " + ", ".join(f"{k} <- {v}" for k, v in m.items()))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"IngestReport({self.inputs} inputs: {self.loaded} loaded, {self.skipped} skipped)"

    def _repr_pretty_(self, p, cycle):  # IPython would print the whole dict
        p.text(self.summary())

    def write(self, path: str | os.PathLike) -> list[Path]:
        """Write ``ingest_report.json`` (summary + units) and ``ingest_report.csv``.

        ``path`` is a folder (created if needed) or a ``.json`` file name, the
        CSV going beside it. Returns the paths written.
        """
        path = Path(path)
        if path.suffix.lower() == ".json":
            json_path = path
        else:
            json_path = path / "ingest_report.json"
        json_path.parent.mkdir(parents=True, exist_ok=True)
        csv_path = json_path.with_suffix(".csv")
        with open(json_path, "w", encoding="utf-8") as fh:
            json.dump(dict(self), fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        self.to_frame().to_csv(csv_path, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        return [json_path, csv_path]


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def _source_of(rec: RawRecord, known: Mapping) -> str:
    return source_key(printable_path(rec.path), rec.format, known)


def _progress(iterable, *, enabled: bool, total=None, desc=None, unit="it"):
    if not enabled:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, unit=unit, leave=False)


# --------------------------------------------------------------------------
# main entry point
# --------------------------------------------------------------------------

class Loaded(NamedTuple):
    """What :func:`load_with_report` returns: the articles and their report."""
    articles: pd.DataFrame
    report: IngestReport


def load_articles(path: str | os.PathLike, **options) -> pd.DataFrame:
    """Load scraped articles into a DataFrame in the article schema.

    Parameters
    ----------
    path : file, folder (read recursively, sorted) or glob pattern.
    format : ``"txt" | "jsonl" | "csv" | "html"`` for every file, or None to
        decide by extension (``.txt``, ``.jsonl``/``.json``/``.ndjson``, ``.csv``/``.tsv``,
        ``.html``/``.htm``, each optionally ``.gz``; no extension: sniffed).
    columns : for JSONL/CSV, our names -> the file's fields, e.g.
        ``{"text": "content", "published": "date"}``, or a preset name from
        :data:`COLUMN_PRESETS` (``"vietnews"``, ``"unc_dantri"``, ``"baomoi"``).
        Names not mapped are auto-detected from common field names
        (text/content/body, title/headline, date/published/time, author,
        source/sitename, url/link). Other fields become extra columns after
        the schema columns.
    encoding : force one encoding; None detects it (see
        :func:`corpus_tools.encodings.decode_bytes`).
    dedupe : ``"flag"`` (keep all, mark copies), ``"drop"`` (remove copies,
        reported as skipped) or ``"none"``.
    limit : read only the first ``limit`` input units (files or rows).
    progress : show tqdm progress bars.
    pretokenised : restore the spacing of pre-tokenised corpora
        (``"Hà Nội , ngày"`` -> ``"Hà Nội, ngày"``) with
        :func:`corpus_tools.clean.clean_spaced_punctuation`. None decides per
        source (body and titles apart): yes when most punctuation marks in
        its first 200 records follow a space.
    report_dir : also write ``ingest_report.json``/``.csv`` there.
    learn_furniture : learn each source's furniture by repetition
        (:mod:`corpus_tools.furniture`); False applies the line rules only.
    profiles : what was learnt per source beforehand, by :func:`learn_sources`
        (e.g. over a whole site, to load a sample of it the same way); sources
        not in it are learnt from what is read.

    Furniture and spacing are learnt per source (:mod:`corpus_tools.sources`)
    over everything read; the report's ``sources`` says what was learnt for
    each, and every removal is in the article's ``removed`` with its reason.

    Returns
    -------
    DataFrame with :data:`ARTICLE_COLUMNS` then extra fields, one row per
    article in input order. The :class:`IngestReport` (every input: loaded or
    skipped, with a reason) comes with :func:`load_with_report`; for
    convenience it also rides along as ``df.attrs["report"]``.

    ``doc_id`` is the first 16 hex digits of the SHA-1 of the NFC title and
    clean text; the k-th exact copy (k >= 2, in load order) hashes the same
    content followed by ``#k``, so ids are unique and reproducible.
    """
    return load_with_report(path, **options).articles


@named_options
def load_with_report(
    path: str | os.PathLike,
    *,
    format: Format | None = None,
    columns: str | Mapping[str, str] | None = None,
    encoding: str | None = None,
    dedupe: Dedupe = "flag",
    limit: int | None = None,
    progress: bool = True,
    pretokenised: bool | None = None,
    report_dir: str | os.PathLike | None = None,
    learn_furniture: bool = True,
    profiles: Mapping[str, SourceProfile] | None = None,
) -> Loaded:
    """:func:`load_articles`, returning ``Loaded(articles, report)``: the same
    frame and the :class:`IngestReport` that accounts for every input unit."""
    if format is not None:
        check_choice("format", format, (*FORMATS, None))
    check_choice("dedupe", dedupe, Dedupe)
    records = read_records(path, format=format, encoding=encoding, limit=limit)
    empty = (f"no input files in {os.fspath(path)}: expected .txt, .html, .jsonl/.json/.ndjson "
             "or .csv/.tsv files (optionally .gz), in the folder or below it")
    return _load(records, path, empty, columns=columns, dedupe=dedupe, progress=progress,
                 pretokenised=pretokenised, report_dir=report_dir, learn_furniture=learn_furniture,
                 profiles=profiles)


@named_options
def load_records(
    records: Iterable[RawRecord],
    *,
    columns: str | Mapping[str, str] | None = None,
    dedupe: Dedupe = "flag",
    progress: bool = False,
    pretokenised: bool | None = None,
    report_dir: str | os.PathLike | None = None,
    learn_furniture: bool = True,
    profiles: Mapping[str, SourceProfile] | None = None,
    source: str = "records",
) -> Loaded:
    """:func:`load_with_report` over records already read: by
    :func:`~corpus_tools.readers.read_records`, or made by your own scraper
    (``RawRecord(unit, path, format, text=... or fields={...})``). ``source``
    names them in the report and in errors. Ingest workers load this way, from
    records the parent read once."""
    check_choice("dedupe", dedupe, Dedupe)
    return _load(records, source, f"no input records in {source}", columns=columns, dedupe=dedupe,
                 progress=progress, pretokenised=pretokenised, report_dir=report_dir,
                 learn_furniture=learn_furniture, profiles=profiles)


def _load(records, path, empty: str, *, columns, dedupe, progress, pretokenised, report_dir,
          learn_furniture, profiles) -> Loaded:
    """The one loading path of both doors: read and prepare, learn, extract, flag."""
    mapper = FieldMapper(resolve_columns(columns))
    units, pending = _read_units(_progress(records, enabled=progress, desc="reading", unit="rec"), mapper)
    if not units:
        raise ValueError(empty)
    if not pending and mapper.no_text and not mapper.had_text:  # no record has a text field
        raise ValueError(no_text_message(path, mapper))
    mapper.check_explicit(path)
    learnt = _prepare_sources(pending, units, pretokenised, profiles or {}, learn_furniture)
    df = _extract_rows(pending, units, learnt, progress)
    df, duplicates = _mark_duplicates(df, units, dedupe)
    report = IngestReport(units, source=os.fspath(path), duplicates=duplicates, fields=mapper.used,
                          sources={k: p.describe() for k, p in learnt.items()})
    df.attrs["report"] = report
    if report_dir is not None:
        report.write(report_dir)
    return Loaded(df, report)


@named_options
def learn_sources(
    path: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    format: Format | None = None,
    columns: str | Mapping[str, str] | None = None,
    encoding: str | None = None,
    limit: int | None = None,
    pretokenised: bool | None = None,
    learn_furniture: bool = True,
    progress: bool = False,
) -> dict[str, SourceProfile]:
    """What :func:`load_articles` learns per source (furniture, spacing) over
    ``path`` (or a list of paths), without extracting any article.

    Returns ``{source key: SourceProfile}``; pass it back as ``profiles=`` to
    load part of the input as it would load in full.
    """
    if format is not None:
        check_choice("format", format, (*FORMATS, None))
    items = [path] if isinstance(path, (str, os.PathLike)) else list(path)

    def records():
        left = limit
        for item in items:
            if left is not None and left <= 0:
                return
            for rec in read_records(item, format=format, encoding=encoding, limit=left):
                if left is not None:
                    left -= 1
                yield rec
    name = path if isinstance(path, (str, os.PathLike)) else ", ".join(map(str, items))
    return learn_records(_progress(records(), enabled=progress, desc="learning sources", unit="rec"),
                         columns=columns, pretokenised=pretokenised, learn_furniture=learn_furniture,
                         source=name)


@named_options
def learn_records(
    records: Iterable[RawRecord],
    *,
    columns: str | Mapping[str, str] | None = None,
    pretokenised: bool | None = None,
    learn_furniture: bool = True,
    source: str = "records",
    n_jobs: int = 1,
) -> dict[str, SourceProfile]:
    """:func:`learn_sources` over records already read (see :func:`load_records`).
    ``ingest`` learns this way over every record of a source, in the same read
    that hands the records to its workers. ``n_jobs`` > 1: the per-article part of
    furniture learning runs in that many forked processes; the profiles are the same."""
    mapper = FieldMapper(resolve_columns(columns))
    learner = SourceLearner(pretokenised, furniture=learn_furniture, n_jobs=n_jobs)
    try:
        for rec, prepared, _ in _prepared(records, mapper):
            if prepared is not None:
                lines, known, _ = prepared
                learner.add(_source_of(rec, known), lines, known.get("title"))
        mapper.check_explicit(source)
        return learner.result()
    finally:
        learner.close()


# one signature for both doors (help() and editors show the options of load_articles
# too), and an unknown option fails at the call naming the valid ones
load_articles.__signature__ = inspect.signature(load_with_report).replace(
    return_annotation=pd.DataFrame)
load_articles = named_options(load_articles)


def _prepared(records: Iterable[RawRecord], mapper):
    """Every unit read: ``(record, (lines, known, extra) or None, reason of a skip)``;
    the one preparing loop of loading and learning."""
    for rec in records:
        if rec.error is not None:
            yield rec, None, rec.error
            continue
        try:
            prepared = _prepare(rec, mapper)
        except _Skip as exc:
            yield rec, None, str(exc)
            continue
        yield rec, prepared, None


def _read_units(records, mapper):
    """1. Read every unit: (units, pending), the good ones with their lines."""
    units: list[dict] = []
    pending: list[tuple[int, RawRecord, list[str], dict]] = []
    for rec, prepared, reason in _prepared(records, mapper):
        units.append({"unit": rec.unit, "status": "skipped", "reason": reason, "doc_id": None,
                      "format": rec.format, "encoding": rec.encoding, "notes": list(rec.notes)})
        entry = units[-1]
        if prepared is None:
            continue
        lines, known, extra = prepared
        entry["chars"] = sum(map(len, lines)) + max(0, len(lines) - 1)  # the text as read
        rec.text = rec.fields = None  # the lines now carry the content; free the copy
        pending.append((len(units) - 1, rec, lines, {"known": known, "extra": extra}))
    return units, pending


def _prepare_sources(pending, units, pretokenised, given: Mapping[str, SourceProfile],
                     learn_furniture: bool) -> dict[str, SourceProfile]:
    """2. Per source: learn (or take from ``given``) what repeats, then undo
    pre-tokenised spacing. Each pending unit's aux gets its ``source``."""
    learner = SourceLearner(pretokenised, furniture=learn_furniture)
    for _, rec, lines, aux in pending:
        key = aux["source"] = _source_of(rec, aux["known"])
        if key not in given:
            learner.add(key, lines, aux["known"].get("title"))
    try:
        learnt = learner.result()
    except Exception:  # furniture is an aid; an odd source must not stop the load
        learnt = {k: SourceProfile() for k in learner.keys()}
    learnt.update({k: given[k] for k in {aux["source"] for *_, aux in pending} if k in given})
    for i, (unit_idx, rec, lines, aux) in enumerate(pending):
        prof = learnt[aux["source"]]
        if prof.pretokenised_body:
            pending[i] = (unit_idx, rec, [clean_spaced_punctuation(ln) for ln in lines], aux)
            units[unit_idx]["notes"].append("pre-tokenised spacing restored")
        if prof.pretokenised_title and aux["known"].get("title"):
            aux["known"]["title"] = clean_spaced_punctuation(aux["known"]["title"])
    return learnt


def _extract_rows(pending, units, learnt, progress) -> pd.DataFrame:
    """3. Metadata and clean body of every pending unit (emptied as it goes,
    to keep peak memory down); a unit that fails is a reported skip."""
    rows: list[dict] = []
    extras: list[dict] = []
    seen: Counter = Counter()
    for k in _progress(range(len(pending)), enabled=progress, total=len(pending),
                       desc="extracting", unit="doc"):
        unit_idx, rec, lines, aux = pending[k]
        pending[k] = None
        entry = units[unit_idx]
        try:
            art = extract_article(lines, known=aux["known"] or None,
                                  furniture=learnt[aux["source"]].furniture)
        except Exception as exc:  # never let one odd article stop the batch
            entry["reason"] = f"extraction failed: {type(exc).__name__}: {exc}"
            continue
        text = "\n".join(art.get("paragraphs") or [])
        if not text.strip():
            n = len(art.get("removed") or [])
            entry["reason"] = f"no body text left after cleaning ({n} lines removed)"
            continue
        row = _row(rec, art, aux["known"], text)
        key = content_key(row["title"], text)
        seen[key] += 1  # the k-th identical copy in load order (dedupe.copy_numbers)
        row["doc_id"] = article_id(row["title"], text, seen[key])
        entry.update(status="loaded", reason=None, doc_id=row["doc_id"])
        if pd.isna(row["published"]):
            entry["notes"].append("no date found")
        if not row["title"]:
            entry["notes"].append("no title")
        row["_unit"] = unit_idx
        rows.append(row)
        extras.append(aux["extra"])
    pending.clear()
    return _frame(rows, extras)


def _mark_duplicates(df: pd.DataFrame, units, dedupe: str) -> tuple[pd.DataFrame, int]:
    """4. Flag (or drop) near-duplicates; notes and skips go into ``units``."""
    duplicates = 0
    if dedupe != "none" and len(df):
        flagged = flag_duplicates(df[["doc_id", "title", "text", "published"]])  # the earliest copy is kept
        df["is_duplicate"] = flagged["is_duplicate"].to_numpy(dtype=bool)
        df["duplicate_of"] = flagged["duplicate_of"].to_numpy(dtype=object)
        duplicates = int(df["is_duplicate"].sum())
        for unit_idx, dup, of in zip(df["_unit"], df["is_duplicate"], df["duplicate_of"]):
            if dup:
                units[unit_idx]["notes"].append(f"duplicate of {of}")
        if dedupe == "drop":
            for unit_idx, of in zip(df.loc[df["is_duplicate"], "_unit"], df.loc[df["is_duplicate"], "duplicate_of"]):
                u = units[unit_idx]
                u["notes"] = [n for n in u["notes"] if not n.startswith("duplicate of")]
                u.update(status="skipped", reason=f"duplicate of {of}", doc_id=None)
            df = df[~df["is_duplicate"]].reset_index(drop=True)
    df = df.drop(columns="_unit")
    df["duplicate_of"] = df["duplicate_of"].astype(object).where(df["duplicate_of"].notna(), None)
    return df, duplicates


class _Skip(Exception):
    pass


#: A record whose text is longer than this (characters) is skipped with its reason:
#: a long Party report runs to some 100,000; a multi-megabyte field is a dump, whose
#: segmentation would take hours. Raise it to load such texts on purpose.
MAX_RECORD_CHARS = 1_000_000


def _check_size(text: str | None) -> None:
    if text is not None and len(text) > MAX_RECORD_CHARS:
        raise _Skip(f"text of {len(text):,} characters, over the cap of {MAX_RECORD_CHARS:,} "
                    "(corpus_tools.load.MAX_RECORD_CHARS)")


def _prepare(rec: RawRecord, mapper: FieldMapper) -> tuple[list[str], dict, dict]:
    """Lines for extract_article, known metadata and extra fields of one record."""
    if rec.fields is None:
        _check_size(rec.text)
        return (rec.text or "").splitlines(), {}, {}
    fields = rec.fields
    if any(isinstance(v, dict) for v in fields.values()):
        fields = flatten_fields(fields)
    m, why = mapper.by_values(fields, mapper(tuple(fields)))
    rec.notes.extend(why)
    if "text" not in m:
        if mapper.no_text is None:
            mapper.no_text = fields
        raise _Skip(f"no text field (looked for {mapper.explicit.get('text') or ', '.join(FIELD_CANDIDATES['text'])}; "
                    f"fields: {', '.join(map(str, fields))})")
    mapper.had_text = True
    text_field = m["text"]
    if len(m.get("_texts", ())) > 1:  # the fullest of the qualifying fields
        text_field = max(m["_texts"], key=lambda k: len(field_text(fields.get(k)) or ""))
    body = field_text(fields.get(text_field))
    if body is None:
        raise _Skip(f"empty text field {text_field!r}")
    _check_size(body)
    if text_field != m["text"]:
        m = {**m, "text": text_field}
    known: dict[str, Any] = {}
    for name in ("title", "author", "outlet", "url"):
        if name in m:
            v = field_text(fields.get(m[name]))
            if v is not None:
                known[name] = unicodedata.normalize("NFC", " ".join(v.split()))
    notes = []
    if "outlet" in known:
        if "outlet" in mapper.explicit and not re.match(r"(?i)(?:https?://|www\.)", known["outlet"]):
            pass  # the user named the outlet's field: it is taken as it is (a URL field: its site)
        else:  # a feed label or a byline in the source field names no site: the URL decides
            outlet, byline, why = source_field_role(known["outlet"], known.get("url"))
            if outlet:
                known["outlet"] = outlet
            else:
                known.pop("outlet")
            if byline and not known.get("author"):
                known["author"] = byline
            if why:
                notes.append(why)
    if known.get("author", "").isupper():  # bylines in capitals, as the text's own: Quốc Nam
        known["author"] = known["author"].title()
    if "published" in m:
        raw = fields.get(m["published"])
        parsed = parse_field_date(raw)
        if parsed is not None:
            known["published"], known["date_precision"] = parsed
            known["date_source"] = "field"
        elif field_text(raw) is not None:
            notes.append(f"unparsed date field: {str(raw)[:40]!r}")
    rec.notes.extend(notes)
    used = {v for k, v in m.items() if k != "_texts"}
    mapper.used.setdefault(rec.path, {k: v for k, v in m.items() if k != "_texts"})
    extra = {k: v for k, v in fields.items() if k not in used}
    return body.splitlines(), known, extra


def _row(rec: RawRecord, art: dict, known: dict, text: str) -> dict:
    published = art.get("published")
    outlet = art.get("outlet") or known.get("outlet")
    url = art.get("url") or known.get("url")
    if not outlet:
        outlet = outlet_from_url(url)
    outlet = outlet_name(outlet)
    return {
        "doc_id": None,
        "source_path": rec.unit,
        "title": art.get("title") or known.get("title"),
        "published": published if published is not None else pd.NaT,
        "date_precision": (known["date_precision"] if art.get("date_source") == "field"
                           and "date_precision" in known else art.get("date_precision")),
        "date_source": art.get("date_source"),
        "author": art.get("author") or known.get("author"),
        "outlet": outlet,
        "url": url,
        "text": text,
        "paragraphs": list(art.get("paragraphs") or []),
        "captions": list(art.get("captions") or []),
        "removed": list(art.get("removed") or []),
    }


_STR_COLS = ("doc_id", "source_path", "title", "date_precision", "date_source",
             "author", "outlet", "url", "text")


def _frame(rows: list[dict], extras: list[dict]) -> pd.DataFrame:
    cols = [c for c in ARTICLE_COLUMNS if c not in ("is_duplicate", "duplicate_of")]
    data = {c: [r[c] for r in rows] for c in cols}
    data["published"] = pd.to_datetime(pd.Series(data["published"], dtype=object), errors="coerce")
    df = pd.DataFrame(data, columns=cols)
    for c in _STR_COLS:
        df[c] = df[c].astype("str") if len(df) else df[c].astype(object)
    df["published"] = df["published"].astype("datetime64[ns]")
    df["is_duplicate"] = False
    df["duplicate_of"] = pd.Series([None] * len(df), dtype=object)
    df["_unit"] = [r["_unit"] for r in rows]
    extra_cols: list[str] = []
    for e in extras:
        for k in e:
            if k not in extra_cols:
                extra_cols.append(k)
    for k in extra_cols:
        name = k if k not in df.columns else f"field_{k}"
        df[name] = _infer_column([e.get(k) for e in extras])
    return df


def _infer_column(values: list) -> pd.Series:
    """Extra fields keep pandas' inferred dtype (str, int, ...); odd mixtures stay object."""
    try:
        return pd.Series(values)
    except (TypeError, ValueError):
        return pd.Series(values, dtype=object)
