"""Bytes to text, files to raw records.

Two concerns live here, both below any cleaning:

* bytes become text through :func:`corpus_tools.encodings.decode_bytes`, which
  never guesses silently;
* :func:`read_records` walks a file, folder or glob and yields one
  :class:`RawRecord` per input unit (a file, or a row of a JSONL/CSV file).
  Problems become records with ``error`` set, never exceptions, so a caller
  can account for every unit.
"""
from __future__ import annotations

import codecs
import csv
import glob as _glob
import gzip
import io
import json
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Literal, get_args

from .encodings import DecodeError, decode_bytes
from ._options import check_choice

__all__ = [
    "FORMATS",
    "Format",
    "printable_path",
    "scan_inputs",
    "RawRecord",
    "detect_format",
    "list_input_files",
    "read_records",
]

#: Input formats understood by :func:`read_records`.
Format = Literal["txt", "jsonl", "csv", "html"]
FORMATS = get_args(Format)

_EXTENSIONS = {
    ".txt": "txt", ".text": "txt",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv", ".tsv": "csv",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}


# --------------------------------------------------------------------------
# records
# --------------------------------------------------------------------------

@dataclass
class RawRecord:
    """One input unit before cleaning.

    ``unit`` names it in reports: the file path, or ``path#N`` for the N-th
    record (1-based: JSONL line number, CSV data row) of a multi-record file.
    Plain-text files carry ``text``; structured inputs carry ``fields`` (the
    raw JSON object / CSV row, or trafilatura's output for HTML, using our
    column names). ``error`` set means the unit is skipped, with that reason.
    """

    unit: str
    path: str
    format: str
    text: str | None = None
    fields: dict[str, Any] | None = None
    encoding: str | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)


def _has_magic(name: str) -> bool:
    return any(c in name for c in "*?[")


def printable_path(p: str | os.PathLike) -> str:
    """A path as text that any table can hold: file names that are not valid UTF-8
    (scrapes from old Windows tools, zip archives) keep their bytes as ``\\xNN``."""
    s = os.fspath(p)
    try:
        s.encode("utf-8")
        return Path(s).as_posix()
    except UnicodeEncodeError:
        return os.fsencode(s).decode("utf-8", errors="backslashreplace")


def scan_inputs(path: str | os.PathLike) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files named by ``path`` (a file, a folder read recursively, or a glob), and
    the entries that cannot be read, with a reason: broken links, link loops,
    unreadable folders. Sorted for determinism; hidden files and folders
    (``.name``) are ignored. Raises ``FileNotFoundError`` when nothing matches."""
    s = os.fspath(path)
    skipped: list[tuple[str, str]] = []
    if _has_magic(s) and not os.path.exists(s):
        files = [Path(p) for p in _glob.glob(s, recursive=True) if os.path.isfile(p)]
        if not files:
            raise FileNotFoundError(f"no files match {s}")
        return sorted(files, key=printable_path), skipped
    root = Path(s)
    if root.is_file():
        return [root], skipped
    if not root.is_dir():
        raise FileNotFoundError(f"no such file or folder: {s}")
    files = []
    seen_dirs = {os.path.realpath(root)}

    def on_error(exc: OSError) -> None:
        skipped.append((printable_path(exc.filename or s), f"unreadable folder: {exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=True):
        keep = []
        for d in sorted(dirnames):
            full = os.path.join(dirpath, d)
            if d.startswith("."):
                continue
            real = os.path.realpath(full)
            if os.path.islink(full) and real in seen_dirs:
                skipped.append((printable_path(full), "symbolic link loop (folder already read)"))
                continue
            seen_dirs.add(real)
            keep.append(d)
        dirnames[:] = keep
        for f in filenames:
            if f.startswith("."):
                continue
            full = Path(dirpath) / f
            if full.is_file():
                files.append(full)
            elif full.is_symlink():
                try:
                    full.resolve(strict=True)
                    reason = "not a regular file"
                except RuntimeError:
                    reason = "symbolic link loop"
                except OSError as exc:
                    reason = ("symbolic link loop" if getattr(exc, "errno", None) == 40
                              else "broken symbolic link")
                skipped.append((printable_path(full), reason))
            else:
                skipped.append((printable_path(full), "not a regular file"))
    skipped.sort()
    return sorted(files, key=printable_path), skipped


def list_input_files(path: str | os.PathLike) -> list[Path]:
    """The readable files of :func:`scan_inputs` (folder, file or glob), sorted."""
    return scan_inputs(path)[0]


def _sniff_format(head: bytes) -> str:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start:
        return "html"
    if start.startswith(b"{"):
        return "jsonl"
    return "txt"


def detect_format(path: str | os.PathLike) -> str | None:
    """Format from the extension (``.gz`` looked through); None if unknown.

    Files without an extension are sniffed (HTML tag, JSON object, else text).
    """
    p = Path(path)
    suffixes = [s.lower() for s in p.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    if not suffixes or not re.fullmatch(r"\.[a-z0-9]{1,6}", suffixes[-1]):
        try:
            with _open_binary(p) as fh:
                return _sniff_format(fh.read(2048))
        except (OSError, EOFError, zlib.error):
            return "txt"
    return _EXTENSIONS.get(suffixes[-1])


def _gz_lines(fh, chunk_size: int = 1 << 20) -> Iterator[bytes]:
    """Lines of a gzip stream (members may be concatenated), decompressed incrementally.

    Unlike ``gzip.open`` this yields every complete line before a truncation
    and only then raises ``EOFError``, so a cut-off download loses one line,
    not a buffer's worth. Corrupt data raises ``zlib.error``.
    """
    d = zlib.decompressobj(wbits=31)
    in_member = False
    rest = b""
    while True:
        chunk = fh.read(chunk_size)
        if not chunk:
            break
        while chunk:
            data = d.decompress(chunk)
            in_member = True
            if d.eof:
                chunk = d.unused_data
                d = zlib.decompressobj(wbits=31)
                in_member = False
                if not chunk.strip(b"\x00"):  # zero padding after the last member
                    chunk = b""
            else:
                chunk = b""
            if data:
                parts = (rest + data).split(b"\n")
                rest = parts.pop()
                for q in parts:
                    yield q + b"\n"
    if in_member:
        raise EOFError("compressed file ended before the end-of-stream marker")
    if rest:
        yield rest


def _open_raw(path: Path):
    return open(path, "rb")


class _HashingRaw(io.RawIOBase):
    """A file's bytes as read, hashed on the way (SHA-256): one read both parses
    the file and gives the digest that decides, next time, whether it changed."""

    def __init__(self, fh, h):
        self._fh, self._h, self.pos = fh, h, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = self._fh.readinto(b)
        if n:
            self._h.update(memoryview(b)[:n])
            self.pos += n
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


class FileDigests:
    """The opener of :func:`read_records` that hashes every file it reads.

    ``digest(path)`` ends a file: the bytes its reader did not need (a ``limit``
    that stops early) are hashed from where it stopped, so the digest is always
    that of the whole file (equal to hashing it apart)."""

    def __init__(self):
        self._open: dict[str, _HashingRaw] = {}
        self.digests: dict[str, str] = {}

    def __call__(self, path: Path):
        import hashlib
        raw = _HashingRaw(open(path, "rb", buffering=0), hashlib.sha256())
        self._open[printable_path(path)] = raw  # a reader that opens again starts over
        return io.BufferedReader(raw, 1 << 20)

    def digest(self, path: Path) -> str | None:
        raw = self._open.pop(printable_path(path), None)
        if raw is None:
            return None
        try:
            with open(path, "rb") as fh:
                fh.seek(raw.pos)
                for block in iter(lambda: fh.read(1 << 20), b""):
                    raw._h.update(block)
        except OSError:
            return None
        out = self.digests[printable_path(path)] = raw._h.hexdigest()
        return out


class _GzipOwning(gzip.GzipFile):
    """A gzip stream over a file object it owns (closed with it)."""

    def __init__(self, raw):
        super().__init__(fileobj=raw, mode="rb")
        self._owned = raw

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._owned.close()


def _open_binary(path: Path, opener=_open_raw):
    if path.suffix.lower() == ".gz":
        return _GzipOwning(opener(path))
    return opener(path)


def _read_all(path: Path, opener=_open_raw) -> bytes:
    with _open_binary(path, opener) as fh:
        return fh.read()


def read_records(
    path: str | os.PathLike,
    *,
    format: str | None = None,
    encoding: str | None = None,
    limit: int | None = None,
    digests: FileDigests | None = None,
) -> Iterator[RawRecord]:
    """Yield one :class:`RawRecord` per input unit under ``path``.

    ``format`` forces one of :data:`FORMATS` for every file; by default it comes
    from each file's extension. ``limit`` stops after that many units (files or
    rows, skipped ones included). Never raises on bad content: each problem is
    a record with ``error`` set. ``digests``: a :class:`FileDigests` that gets the
    SHA-256 of every file read, from the same read.
    """
    if format is not None:
        check_choice("format", format, (*FORMATS, None))
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    count = 0
    if limit == 0:
        return
    files, skipped = scan_inputs(path)
    for name, reason in skipped:  # accounted for, not silently dropped
        yield RawRecord(name, name, "unknown", error=reason)
        count += 1
        if limit is not None and count >= limit:
            return
    for p in files:
        fmt = format or detect_format(p)
        if fmt is None:
            it: Iterator[RawRecord] = iter([RawRecord(
                printable_path(p), printable_path(p), "unknown",
                error=f"unknown format (extension {''.join(p.suffixes)!r}); pass format=")])
        else:
            it = _READERS[fmt](p, encoding, digests or _open_raw)
        odd_name = printable_path(p) != Path(p).as_posix()  # once per file, not per row
        try:
            for rec in it:
                if odd_name:
                    rec.notes.append("file name is not valid UTF-8 (shown with \\x escapes)")
                if limit is not None and count + 1 >= limit and digests is not None:
                    digests.digest(p)  # the last unit: the file's digest before the caller stops
                yield rec
                count += 1
                if limit is not None and count >= limit:
                    return
        finally:
            if digests is not None:
                getattr(it, "close", lambda: None)()
                digests.digest(p)


def _file_error(p: Path, fmt: str, exc: BaseException) -> RawRecord:
    return RawRecord(printable_path(p), printable_path(p), fmt, error=f"unreadable file: {type(exc).__name__}: {exc}")


def _read_decoded(p: Path, fmt: str, encoding: str | None, opener=_open_raw) -> tuple[str, str, list[str]] | RawRecord:
    """``(text, encoding, notes)`` of a whole file, or the record reporting why it
    can't be read."""
    try:
        data = _read_all(p, opener)
    except (OSError, EOFError, zlib.error) as exc:
        return _file_error(p, fmt, exc)
    notes = []
    nul = data.count(b"\x00") if fmt == "csv" else 0
    if nul and nul <= 0.001 * len(data) + 8:
        # a few stray NULs in a row-per-record file (a bad export) would make the
        # whole file "binary": drop them, keep every row, and say so (UTF-16, whose
        # every other byte is NUL, is far above this share)
        data = data.replace(b"\x00", b"")
        notes.append(f"{nul} NUL byte(s) removed from the file")
    try:
        text, enc = decode_bytes(data, encoding)
    except DecodeError as exc:
        return RawRecord(printable_path(p), printable_path(p), fmt, error=str(exc))
    return text, enc, notes


def _read_txt(p: Path, encoding: str | None, opener=_open_raw) -> Iterator[RawRecord]:
    got = _read_decoded(p, "txt", encoding, opener)
    if isinstance(got, RawRecord):
        yield got
        return
    text, enc, _ = got
    if not text.strip():
        yield RawRecord(printable_path(p), printable_path(p), "txt", encoding=enc, error="empty file (whitespace only)")
        return
    yield RawRecord(printable_path(p), printable_path(p), "txt", text=text, encoding=enc)


def _json_row(p: Path, lineno: int, line: str, enc: str) -> RawRecord:
    unit = f"{printable_path(p)}#{lineno}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return RawRecord(unit, printable_path(p), "jsonl", encoding=enc,
                         error=f"malformed JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return RawRecord(unit, printable_path(p), "jsonl", encoding=enc, error="malformed JSON: nested too deeply")
    if not isinstance(obj, dict):
        return RawRecord(unit, printable_path(p), "jsonl", encoding=enc,
                         error=f"JSON value is a {type(obj).__name__}, not an object")
    return RawRecord(unit, printable_path(p), "jsonl", fields=obj, encoding=enc)


def _read_jsonl(p: Path, encoding: str | None, opener=_open_raw) -> Iterator[RawRecord]:
    """JSON Lines, streamed line by line (gzip too); a ``.json`` array works too."""
    try:
        fh = _open_binary(p, opener)
        head = fh.peek(4)[:4] if hasattr(fh, "peek") else b""
    except (OSError, EOFError, zlib.error) as exc:
        yield _file_error(p, "jsonl", exc)
        return
    gz = p.suffix.lower() == ".gz"
    with fh:
        wide_bom = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        first_char = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        whole_json = Path(p.name.removesuffix(".gz").removesuffix(".GZ")).suffix.lower() == ".json"
        if encoding is not None or wide_bom or first_char == b"[" or whole_json:
            # Not UTF-8 line by line, or a .json document: decode the whole file first.
            try:
                data = fh.read()
                text, enc = decode_bytes(data, encoding)
            except (OSError, EOFError, zlib.error) as exc:
                yield _file_error(p, "jsonl", exc)
                return
            except DecodeError as exc:
                yield RawRecord(printable_path(p), printable_path(p), "jsonl", error=str(exc))
                return
            if text.lstrip().startswith("["):
                yield from _json_array(p, text, enc)
                return
            if whole_json:  # one pretty-printed object is one record, not one per line
                try:
                    obj = json.loads(text)
                except (json.JSONDecodeError, RecursionError):
                    pass  # maybe JSON Lines named .json
                else:
                    if isinstance(obj, dict):
                        yield RawRecord(printable_path(p), printable_path(p), "jsonl", fields=obj, encoding=enc)
                    else:
                        yield RawRecord(printable_path(p), printable_path(p), "jsonl", encoding=enc,
                                        error=f"JSON value is a {type(obj).__name__}, not an object")
                    return
            if not text.strip():
                yield RawRecord(printable_path(p), printable_path(p), "jsonl", encoding=enc, error="empty file (whitespace only)")
                return
            for lineno, line in enumerate(text.split("\n"), 1):
                if line.strip():
                    yield _json_row(p, lineno, line, enc)
            return
        lineno = 0
        seen = False
        if gz:  # stream the compressed bytes ourselves (see _gz_lines)
            fh.close()
            fh = opener(p)
        try:
            for raw in (_gz_lines(fh) if gz else fh):
                lineno += 1
                if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[3:]
                if not raw.strip():
                    continue
                seen = True
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    yield RawRecord(f"{printable_path(p)}#{lineno}", printable_path(p), "jsonl",
                                    error=f"invalid UTF-8 ({exc.reason} at byte {exc.start})")
                    continue
                yield _json_row(p, lineno, line, "utf-8")
        except (OSError, EOFError, zlib.error) as exc:
            yield RawRecord(f"{printable_path(p)}#{lineno + 1}", printable_path(p), "jsonl",
                            error=f"file truncated or corrupt after line {lineno}: {exc}")
            return
        finally:
            fh.close()
        if not seen:
            yield RawRecord(printable_path(p), printable_path(p), "jsonl", error="empty file")


def _json_array(p: Path, text: str, enc: str) -> Iterator[RawRecord]:
    try:
        arr = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        yield RawRecord(printable_path(p), printable_path(p), "jsonl", encoding=enc, error=f"malformed JSON: {exc}")
        return
    if not isinstance(arr, list):
        yield RawRecord(printable_path(p), printable_path(p), "jsonl", encoding=enc, error="JSON file is not an array of objects")
        return
    if not arr:
        yield RawRecord(printable_path(p), printable_path(p), "jsonl", encoding=enc, error="empty JSON array")
    for i, obj in enumerate(arr, 1):
        unit = f"{printable_path(p)}#{i}"
        if isinstance(obj, dict):
            yield RawRecord(unit, printable_path(p), "jsonl", fields=obj, encoding=enc)
        else:
            yield RawRecord(unit, printable_path(p), "jsonl", encoding=enc,
                            error=f"JSON value is a {type(obj).__name__}, not an object")


def _sniff_delimiter(header: str, default: str) -> str:
    counts = {d: header.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: (counts[d], d == default))
    return best if counts[best] else default


def _read_csv(p: Path, encoding: str | None, opener=_open_raw) -> Iterator[RawRecord]:
    """CSV/TSV with a header row; a row whose field count differs is skipped."""
    got = _read_decoded(p, "csv", encoding, opener)
    if isinstance(got, RawRecord):
        yield got
        return
    text, enc, file_notes = got
    default = "\t" if ".tsv" in [s.lower() for s in p.suffixes] else ","
    first_line = text.split("\n", 1)[0]
    delim = _sniff_delimiter(first_line, default)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)  # article bodies exceed the 128 kB default
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        header: list[str] | None = None
        row_no = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                if header is None:
                    yield RawRecord(printable_path(p), printable_path(p), "csv", encoding=enc, error=f"bad CSV header: {exc}")
                    return
                row_no += 1
                yield RawRecord(f"{printable_path(p)}#{row_no}", printable_path(p), "csv", encoding=enc, error=f"bad CSV row: {exc}")
                continue
            if not row or not any(c.strip() for c in row):
                continue
            if header is None:
                header = [h.strip() for h in row]
                if len(set(header)) != len(header) or not all(header):
                    yield RawRecord(printable_path(p), printable_path(p), "csv", encoding=enc,
                                    error=f"bad CSV header (empty or repeated column names): {header}")
                    return
                continue
            row_no += 1
            unit = f"{printable_path(p)}#{row_no}"
            if len(row) != len(header):
                yield RawRecord(unit, printable_path(p), "csv", encoding=enc,
                                error=f"bad CSV row: {len(row)} fields, header has {len(header)}")
                continue
            yield RawRecord(unit, printable_path(p), "csv", fields=dict(zip(header, row)), encoding=enc,
                            notes=list(file_notes))
        if header is None:
            yield RawRecord(printable_path(p), printable_path(p), "csv", encoding=enc, error="empty file (no header)")
        elif row_no == 0:
            yield RawRecord(printable_path(p), printable_path(p), "csv", encoding=enc, error="CSV file has a header but no rows")
    finally:
        csv.field_size_limit(old_limit)


# Ask htmldate for the time of day too ("T00:00" is read as day precision later).
_HTML_DATE_PARAMS = {"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M"}
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def _read_html(p: Path, encoding: str | None, opener=_open_raw) -> Iterator[RawRecord]:
    """Main text and metadata by trafilatura (offline, no fetching)."""
    try:
        data = _read_all(p, opener)
    except (OSError, EOFError, zlib.error) as exc:
        yield _file_error(p, "html", exc)
        return
    # BOM and valid UTF-8 are stronger evidence than a <meta charset> (often a
    # stale template value); the declared charset is the fallback before giving up.
    try:
        text, enc = decode_bytes(data, encoding)
    except DecodeError as exc:
        m = _META_CHARSET_RE.search(data[:4096]) if encoding is None else None
        try:
            if m is None:
                raise exc
            text, enc = decode_bytes(data, m.group(1).decode("ascii"))
        except (DecodeError, LookupError):
            yield RawRecord(printable_path(p), printable_path(p), "html", error=str(exc))
            return
    if not text.strip():
        yield RawRecord(printable_path(p), printable_path(p), "html", encoding=enc, error="empty file (whitespace only)")
        return
    try:
        import trafilatura
        out = trafilatura.extract(
            text, output_format="json", with_metadata=True, include_comments=False,
            include_tables=True, include_images=False, deduplicate=False,
            date_extraction_params=_HTML_DATE_PARAMS,
        )
    except Exception as exc:  # trafilatura/lxml raise a variety of parser errors
        yield RawRecord(printable_path(p), printable_path(p), "html", encoding=enc,
                        error=f"HTML extraction failed: {type(exc).__name__}: {exc}")
        return
    if not out:
        yield RawRecord(printable_path(p), printable_path(p), "html", encoding=enc, error="no main text found by trafilatura")
        return
    meta = json.loads(out)
    fields = {
        "title": meta.get("title"),
        "published": meta.get("date"),
        "author": meta.get("author"),
        "outlet": meta.get("sitename") or meta.get("source-hostname") or meta.get("hostname"),
        "url": meta.get("url") or meta.get("source"),
        "text": meta.get("text") or "",
    }
    if meta.get("categories"):
        fields["category"] = meta["categories"]
    if meta.get("tags"):
        fields["tags"] = meta["tags"]
    yield RawRecord(printable_path(p), printable_path(p), "html", fields=fields, encoding=enc)


_READERS = {"txt": _read_txt, "jsonl": _read_jsonl, "csv": _read_csv, "html": _read_html}
