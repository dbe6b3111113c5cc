"""Bytes to text, files to raw records.

Two concerns live here, both below any cleaning:

* :func:`decode_bytes` turns bytes into text without guessing silently. It
  honours byte-order marks (UTF-8, UTF-16, UTF-32), then tries strict UTF-8,
  then windows-1258 (the Vietnamese code page) *only* when the result reads as
  Vietnamese. Anything else raises :class:`DecodeError` with a reason.
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
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

__all__ = [
    "FORMATS",
    "DecodeError",
    "RawRecord",
    "decode_bytes",
    "detect_format",
    "list_input_files",
    "read_records",
]

#: Input formats understood by :func:`read_records`.
FORMATS = ("txt", "jsonl", "csv", "html")

_EXTENSIONS = {
    ".txt": "txt", ".text": "txt",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv", ".tsv": "csv",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}


class DecodeError(ValueError):
    """Bytes that cannot be decoded confidently; ``str(err)`` is the reason."""


# --------------------------------------------------------------------------
# decoding
# --------------------------------------------------------------------------

_BOMS = (  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

_WHITESPACE_CONTROLS = frozenset("\t\n\r\x0b\x0c")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_VI_VOWELS = "aăâeêioôơuưy"
_VI_CONSONANTS = "bcdđghklmnpqrstvx"
# Every Vietnamese letter that is not plain ASCII (NFC, lower case).
_VI_SPECIFIC = frozenset(
    "ăâđêôơư"
    + "".join(unicodedata.normalize("NFC", v + m) for v in _VI_VOWELS for m in _TONE_MARKS)
)
# A Vietnamese syllable: onset, 1-3 vowels, optional coda (simplified
# phonotactics; tones are stripped before matching).
_SYLLABLE_RE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"[aăâeêioôơuưy]{1,3}(?:ng|nh|ch|[cmnpt])?$"
)
_WORD_RE = re.compile(r"[^\W\d_]+")


def _strip_tone(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))


def _reads_as_vietnamese(text: str) -> tuple[bool, str]:
    """Whether text decoded from a legacy code page is plausibly Vietnamese.

    Evidence required: no control characters, no combining marks left over
    after NFC (cp1258 tone marks follow vowels and compose), at least three
    words, at least 60 % of words well-formed Vietnamese syllables with at most
    one tone, and at least 20 % of words carrying Vietnamese-only letters.
    """
    if _CONTROL_RE.search(text):
        return False, "control characters"
    stray = sum(1 for c in text if unicodedata.combining(c))
    if stray:
        return False, f"{stray} stray combining mark(s)"
    words = [w.lower() for w in _WORD_RE.findall(text)]
    if len(words) < 3:
        return False, "too little text to identify the encoding"
    syllables = 0
    specific = 0
    for w in words:
        tones = sum(1 for c in unicodedata.normalize("NFD", w) if c in _TONE_MARKS)
        if tones <= 1 and _SYLLABLE_RE.match(_strip_tone(w)):
            syllables += 1
        if any(c in _VI_SPECIFIC for c in w):
            specific += 1
    if syllables < 0.6 * len(words):
        return False, f"only {syllables}/{len(words)} words are Vietnamese syllables"
    if specific < 0.2 * len(words):
        return False, f"only {specific}/{len(words)} words carry Vietnamese letters"
    return True, ""


def _looks_binary(text: str) -> str | None:
    """Reason if decoded text contains NULs or many control characters."""
    if "\x00" in text:
        return "binary content (NUL characters)"
    n = len(_CONTROL_RE.findall(text))
    if n and n > 0.01 * len(text):
        return f"binary content ({n} control characters)"
    return None


def _finish(text: str) -> str:
    # cp1258 stores tone marks as combining characters: compose them so one
    # word is one string whatever the source encoding was.
    if text.startswith("\ufeff"):
        text = text[1:]
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: NULs concentrated at odd (LE) or even (BE) bytes."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    n = len(data) // 2
    for nul_half, other, enc in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nul_half.count(0) > 0.3 * n and other.count(0) < 0.01 * n:
            return enc
    return None


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to NFC text; return ``(text, encoding_used)``.

    With ``encoding`` given, decode strictly with it. Otherwise, in order:
    a byte-order mark (UTF-8, UTF-16, UTF-32) decides; strict UTF-8; UTF-16
    without BOM when the NUL-byte pattern says so; windows-1258 only if the
    result reads as Vietnamese (see ``_reads_as_vietnamese``). Raises
    :class:`DecodeError` with a reason for empty, binary or undecodable input.
    """
    if not data:
        raise DecodeError("empty file")
    if encoding is not None:
        enc = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError) as exc:
            raise DecodeError(f"not valid {encoding}: {exc}") from None
        reason = _looks_binary(text)
        if reason:
            raise DecodeError(reason)
        return _finish(text), encoding
    for bom, name, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"{name} byte-order mark but invalid {name}: {exc.reason} at byte {exc.start}") from None
            reason = _looks_binary(text)
            if reason:
                raise DecodeError(reason)
            return _finish(text), f"{name}-bom" if name == "utf-8" else name
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = f"not UTF-8 ({exc.reason} at byte {exc.start})"
    else:
        reason = _looks_binary(text)
        if reason is None:
            return _finish(text), "utf-8"
        if "\x00" not in text:
            raise DecodeError(reason)
        utf8_error = reason
    enc16 = _bomless_utf16(data)
    if enc16:
        try:
            text = data.decode(enc16)
        except UnicodeDecodeError:
            pass
        else:
            if _looks_binary(text) is None:
                return _finish(text), enc16
    if b"\x00" in data:
        raise DecodeError("binary content (NUL bytes)")
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"undecodable: {utf8_error}; not windows-1258 (byte 0x{data[exc.start]:02x} undefined)") from None
    text = unicodedata.normalize("NFC", text)
    ok, why = _reads_as_vietnamese(text)
    if not ok:
        raise DecodeError(f"undecodable: {utf8_error}; as windows-1258 it does not read as Vietnamese ({why})")
    return _finish(text), "windows-1258"


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


def list_input_files(path: str | os.PathLike) -> list[Path]:
    """Files named by ``path``: a file, a folder (recursive) or a glob.

    Sorted for determinism; hidden files and folders (``.name``) are ignored.
    Raises ``FileNotFoundError`` when nothing matches.
    """
    s = os.fspath(path)
    if _has_magic(s) and not os.path.exists(s):
        files = [Path(p) for p in _glob.glob(s, recursive=True) if os.path.isfile(p)]
    else:
        p = Path(s)
        if p.is_file():
            return [p]
        if not p.is_dir():
            raise FileNotFoundError(f"no such file or folder: {s}")
        files = [
            q for q in p.rglob("*")
            if q.is_file() and not any(part.startswith(".") for part in q.relative_to(p).parts)
        ]
    if not files and _has_magic(s):
        raise FileNotFoundError(f"no files match {s}")
    return sorted(files, key=lambda q: q.as_posix())


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


def _open_binary(path: Path):
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")
    return open(path, "rb")


def _read_all(path: Path) -> bytes:
    with _open_binary(path) as fh:
        return fh.read()


def read_records(
    path: str | os.PathLike,
    *,
    format: str | None = None,
    encoding: str | None = None,
    limit: int | None = None,
) -> Iterator[RawRecord]:
    """Yield one :class:`RawRecord` per input unit under ``path``.

    ``format`` forces one of :data:`FORMATS` for every file; by default it comes
    from each file's extension. ``limit`` stops after that many units (files or
    rows, skipped ones included). Never raises on bad content: each problem is
    a record with ``error`` set.
    """
    if format is not None and format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS} or None, got {format!r}")
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    count = 0
    if limit == 0:
        return
    for p in list_input_files(path):
        fmt = format or detect_format(p)
        if fmt is None:
            it: Iterator[RawRecord] = iter([RawRecord(
                str(p), str(p), "unknown",
                error=f"unknown format (extension {''.join(p.suffixes)!r}); pass format=")])
        else:
            it = _READERS[fmt](p, encoding)
        for rec in it:
            yield rec
            count += 1
            if limit is not None and count >= limit:
                return


def _file_error(p: Path, fmt: str, exc: BaseException) -> RawRecord:
    return RawRecord(str(p), str(p), fmt, error=f"unreadable file: {type(exc).__name__}: {exc}")


def _read_decoded(p: Path, fmt: str, encoding: str | None) -> tuple[str, str] | RawRecord:
    """``(text, encoding)`` of a whole file, or the record reporting why it can't be read."""
    try:
        data = _read_all(p)
    except (OSError, EOFError, zlib.error) as exc:
        return _file_error(p, fmt, exc)
    try:
        return decode_bytes(data, encoding)
    except DecodeError as exc:
        return RawRecord(str(p), str(p), fmt, error=str(exc))


def _read_txt(p: Path, encoding: str | None) -> Iterator[RawRecord]:
    got = _read_decoded(p, "txt", encoding)
    if isinstance(got, RawRecord):
        yield got
        return
    text, enc = got
    if not text.strip():
        yield RawRecord(str(p), str(p), "txt", encoding=enc, error="empty file (whitespace only)")
        return
    yield RawRecord(str(p), str(p), "txt", text=text, encoding=enc)


def _json_row(p: Path, lineno: int, line: str, enc: str) -> RawRecord:
    unit = f"{p}#{lineno}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return RawRecord(unit, str(p), "jsonl", encoding=enc,
                         error=f"malformed JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return RawRecord(unit, str(p), "jsonl", encoding=enc, error="malformed JSON: nested too deeply")
    if not isinstance(obj, dict):
        return RawRecord(unit, str(p), "jsonl", encoding=enc,
                         error=f"JSON value is a {type(obj).__name__}, not an object")
    return RawRecord(unit, str(p), "jsonl", fields=obj, encoding=enc)


def _read_jsonl(p: Path, encoding: str | None) -> Iterator[RawRecord]:
    """JSON Lines, streamed line by line (gzip too); a ``.json`` array works too."""
    try:
        fh = _open_binary(p)
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
                yield RawRecord(str(p), str(p), "jsonl", error=str(exc))
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
                        yield RawRecord(str(p), str(p), "jsonl", fields=obj, encoding=enc)
                    else:
                        yield RawRecord(str(p), str(p), "jsonl", encoding=enc,
                                        error=f"JSON value is a {type(obj).__name__}, not an object")
                    return
            if not text.strip():
                yield RawRecord(str(p), str(p), "jsonl", encoding=enc, error="empty file (whitespace only)")
                return
            for lineno, line in enumerate(text.split("\n"), 1):
                if line.strip():
                    yield _json_row(p, lineno, line, enc)
            return
        lineno = 0
        seen = False
        if gz:  # stream the compressed bytes ourselves (see _gz_lines)
            fh.close()
            fh = open(p, "rb")
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
                    yield RawRecord(f"{p}#{lineno}", str(p), "jsonl",
                                    error=f"invalid UTF-8 ({exc.reason} at byte {exc.start})")
                    continue
                yield _json_row(p, lineno, line, "utf-8")
        except (OSError, EOFError, zlib.error) as exc:
            yield RawRecord(f"{p}#{lineno + 1}", str(p), "jsonl",
                            error=f"file truncated or corrupt after line {lineno}: {exc}")
            return
        finally:
            fh.close()
        if not seen:
            yield RawRecord(str(p), str(p), "jsonl", error="empty file")


def _json_array(p: Path, text: str, enc: str) -> Iterator[RawRecord]:
    try:
        arr = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        yield RawRecord(str(p), str(p), "jsonl", encoding=enc, error=f"malformed JSON: {exc}")
        return
    if not isinstance(arr, list):
        yield RawRecord(str(p), str(p), "jsonl", encoding=enc, error="JSON file is not an array of objects")
        return
    if not arr:
        yield RawRecord(str(p), str(p), "jsonl", encoding=enc, error="empty JSON array")
    for i, obj in enumerate(arr, 1):
        unit = f"{p}#{i}"
        if isinstance(obj, dict):
            yield RawRecord(unit, str(p), "jsonl", fields=obj, encoding=enc)
        else:
            yield RawRecord(unit, str(p), "jsonl", encoding=enc,
                            error=f"JSON value is a {type(obj).__name__}, not an object")


def _sniff_delimiter(header: str, default: str) -> str:
    counts = {d: header.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: (counts[d], d == default))
    return best if counts[best] else default


def _read_csv(p: Path, encoding: str | None) -> Iterator[RawRecord]:
    """CSV/TSV with a header row; a row whose field count differs is skipped."""
    got = _read_decoded(p, "csv", encoding)
    if isinstance(got, RawRecord):
        yield got
        return
    text, enc = got
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
                    yield RawRecord(str(p), str(p), "csv", encoding=enc, error=f"bad CSV header: {exc}")
                    return
                row_no += 1
                yield RawRecord(f"{p}#{row_no}", str(p), "csv", encoding=enc, error=f"bad CSV row: {exc}")
                continue
            if not row or not any(c.strip() for c in row):
                continue
            if header is None:
                header = [h.strip() for h in row]
                if len(set(header)) != len(header) or not all(header):
                    yield RawRecord(str(p), str(p), "csv", encoding=enc,
                                    error=f"bad CSV header (empty or repeated column names): {header}")
                    return
                continue
            row_no += 1
            unit = f"{p}#{row_no}"
            if len(row) != len(header):
                yield RawRecord(unit, str(p), "csv", encoding=enc,
                                error=f"bad CSV row: {len(row)} fields, header has {len(header)}")
                continue
            yield RawRecord(unit, str(p), "csv", fields=dict(zip(header, row)), encoding=enc)
        if header is None:
            yield RawRecord(str(p), str(p), "csv", encoding=enc, error="empty file (no header)")
        elif row_no == 0:
            yield RawRecord(str(p), str(p), "csv", encoding=enc, error="CSV file has a header but no rows")
    finally:
        csv.field_size_limit(old_limit)


# Ask htmldate for the time of day too ("T00:00" is read as day precision later).
_HTML_DATE_PARAMS = {"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M"}
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def _read_html(p: Path, encoding: str | None) -> Iterator[RawRecord]:
    """Main text and metadata by trafilatura (offline, no fetching)."""
    try:
        data = _read_all(p)
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
            yield RawRecord(str(p), str(p), "html", error=str(exc))
            return
    if not text.strip():
        yield RawRecord(str(p), str(p), "html", encoding=enc, error="empty file (whitespace only)")
        return
    try:
        import trafilatura
        out = trafilatura.extract(
            text, output_format="json", with_metadata=True, include_comments=False,
            include_tables=True, include_images=False, deduplicate=False,
            date_extraction_params=_HTML_DATE_PARAMS,
        )
    except Exception as exc:  # trafilatura/lxml raise a variety of parser errors
        yield RawRecord(str(p), str(p), "html", encoding=enc,
                        error=f"HTML extraction failed: {type(exc).__name__}: {exc}")
        return
    if not out:
        yield RawRecord(str(p), str(p), "html", encoding=enc, error="no main text found by trafilatura")
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
    yield RawRecord(str(p), str(p), "html", fields=fields, encoding=enc)


_READERS = {"txt": _read_txt, "jsonl": _read_jsonl, "csv": _read_csv, "html": _read_html}
