"""On-disk layout of a store: tables and their schemas, parts, manifest, the atomic
swap of a finished build, and the pipeline version that decides a rebuild."""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import uuid
from pathlib import Path
from typing import Any, Callable, Sequence, get_args

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .._version import __version__
from ..readers import printable_path
from ..dedupe import NUM_PERM as _NUM_PERM
from ..choices import Match, Unit

#: Tables of a store, in the order they are written.
STORE_TABLES = ("articles", "paragraphs", "sentences", "tokens", "terms")
_STORE_FORMAT = 4  # 3: the terms table; 4: furniture learnt per source over the whole input
_DEDUPE = ("flag", "drop", "none")
_SIG_DIR = "signatures"  # per part: base_id, exact hash, MinHash signature of each article row
_SIG_SCHEMA = pa.schema([("base_id", pa.string()), ("exact", pa.uint64()),
                         ("minhash", pa.list_(pa.uint32(), _NUM_PERM))])
#: How ``Corpus.kwic`` matches a query: the one ``Match`` of every count.
KwicMatch = Match
_UNITS = get_args(Unit)
_LIST_STR = pa.list_(pa.string())
_REMOVED = pa.list_(pa.struct([("line", pa.int64()), ("text", pa.string()), ("reason", pa.string())]))
_SCHEMAS = {
    "paragraphs": pa.schema([("doc_id", pa.string()), ("para_id", pa.int32()), ("text", pa.string())]),
    "sentences": pa.schema([("doc_id", pa.string()), ("para_id", pa.int32()),
                            ("sent_id", pa.int32()), ("text", pa.string())]),
    "tokens": pa.schema([("doc_id", pa.string()), ("para_id", pa.int32()), ("sent_id", pa.int32()),
                         ("position", pa.int32()), ("token", pa.string()), ("norm", pa.string()),
                         ("punct", pa.bool_())]),
    # the terms layer: one row per span of a lexicon term over the tokens
    "terms": pa.schema([("doc_id", pa.string()), ("para_id", pa.int32()), ("sent_id", pa.int32()),
                        ("position", pa.int32()), ("length", pa.int32()), ("term", pa.string())]),
}
_LIGHT_DROP = ("text", "paragraphs", "captions", "removed")


def _package_version() -> str:
    return __version__


def _callable_id(fn: Callable) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def _pipeline_version(segmenter: Callable | None) -> str:
    from ..tokens import PIPELINE_VERSION
    parts = [PIPELINE_VERSION, f"corpus-tools{_package_version()}",
             f"store{_STORE_FORMAT}"]
    if segmenter is not None:
        parts.append(f"segmenter={_callable_id(segmenter)}")
    return "+".join(parts)


_SPACE_BEFORE_RE = re.compile(r" (?=[,.;:!?)\]}%…”’»])")
_SPACE_AFTER_RE = re.compile(r"(?<=[(\[{“‘«]) ")


def _detok(tokens: Sequence[str]) -> str:
    """Readable text from surface tokens: ``_`` back to spaces, no space before
    closing punctuation nor after opening brackets."""
    text = " ".join(tokens).replace("_", " ")
    return _SPACE_AFTER_RE.sub("", _SPACE_BEFORE_RE.sub("", text))


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(functools.partial(fh.read, 1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _content_hash(doc_id: str, paragraphs: Sequence[str]) -> str:
    h = hashlib.sha1(doc_id.encode("utf-8"))
    for p in paragraphs:
        h.update(b"\x00")
        h.update(p.encode("utf-8"))
    return h.hexdigest()[:20]


def _source_key(path: str) -> str:
    return hashlib.sha1(path.encode("utf-8")).hexdigest()[:10]


def _resolve_sources(source) -> tuple[list[Path], list[tuple[str, str]]]:
    """The input files (resolved, deduplicated, sorted) and the entries that
    cannot be read, with their reasons (reported as skipped, never dropped)."""
    from ..readers import scan_inputs
    items = [source] if isinstance(source, (str, os.PathLike)) else list(source)
    if not items:
        raise ValueError("no source given")
    files: dict[str, Path] = {}
    skipped: list[tuple[str, str]] = []
    for item in items:
        found, bad = scan_inputs(item)
        skipped += bad
        for p in found:
            rp = p.resolve()
            files[printable_path(rp)] = rp
    return [files[k] for k in sorted(files)], sorted(set(skipped))


@contextlib.contextmanager
def _store_lock(out_dir: Path):
    """Hold ``.<store>.lock`` beside the store while it is written: a second
    ingest into it fails at once, naming the running process. The lock is an
    OS file lock (``flock``), so a run that dies releases it and the next run
    takes over a stale lock file."""
    import fcntl
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    path = out_dir.parent / f".{out_dir.name}.lock"
    fh = open(path, "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            raise RuntimeError(f"{out_dir} is being written by another ingest (process {holder}); "
                               "wait for it to finish or stop it, then run again") from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        try:
            yield
        finally:
            path.unlink(missing_ok=True)  # still locked: a waiting run fails, a later one starts afresh
    finally:
        fh.close()


def _sibling(out_dir: Path, kind: str) -> Path:
    return out_dir.parent / f".{out_dir.name}.{kind}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def _recover(out_dir: Path) -> None:
    """Finish or undo a swap that was cut between its two renames, and drop
    temp directories of interrupted runs."""
    parent = out_dir.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{out_dir.name}.old-*"))
    if olds and not out_dir.exists():
        os.rename(olds[-1], out_dir)
        olds = olds[:-1]
    for p in olds + sorted(parent.glob(f".{out_dir.name}.tmp-*")):
        shutil.rmtree(p, ignore_errors=True)


def _read_manifest(out_dir: Path) -> dict | None:
    path = out_dir / "manifest.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1, default=str) + "\n",
                    encoding="utf-8")


def _canonical_options(load_kwargs: dict) -> dict:
    out = {}
    for k in sorted(load_kwargs):
        v = load_kwargs[k]
        if isinstance(v, os.PathLike):
            v = os.fspath(v)
        try:
            json.dumps(v)
        except TypeError:
            v = repr(v)
        out[k] = v
    return out


def _articles_table(df: pd.DataFrame) -> pa.Table:
    """Arrow table of article rows with the list columns typed explicitly, so
    parts whose lists happen to be empty still share one schema."""
    cols, fields = [], []
    for name in df.columns:
        s = df[name]
        if name in ("paragraphs", "captions"):
            arr = pa.array([list(v) if v is not None else [] for v in s], type=_LIST_STR)
        elif name == "removed":
            arr = pa.array([list(v) if v is not None else [] for v in s], type=_REMOVED)
        elif name == "published":
            arr = pa.array(pd.to_datetime(s).astype("datetime64[ns]"), type=pa.timestamp("ns"))
        elif name == "is_duplicate":
            arr = pa.array(s.astype(bool), type=pa.bool_())
        elif s.dtype == object or str(s.dtype) in ("str", "string"):
            vals = [None if (v is None or (isinstance(v, float) and np.isnan(v))) else v for v in s]
            try:
                arr = pa.array(vals)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                arr = pa.array([None if v is None else str(v) for v in vals], type=pa.string())
            if pa.types.is_null(arr.type) and name in (
                    "title", "author", "outlet", "url", "duplicate_of", "date_precision",
                    "date_source", "source_path", "doc_id", "text"):
                arr = arr.cast(pa.string())
        else:
            arr = pa.Array.from_pandas(s)
        cols.append(arr)
        fields.append(pa.field(name, arr.type))
    return pa.Table.from_arrays(cols, schema=pa.schema(fields))


def _write_part(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")


def _replace_part(path: Path, table: pa.Table) -> None:
    """Write a new file and rename it over ``path``: a hard-linked part of the
    previous store is never modified."""
    tmp_path = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    pq.write_table(table, tmp_path, compression="zstd")
    os.replace(tmp_path, path)


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _swap(tmp: Path, out_dir: Path) -> None:
    if out_dir.exists():
        old = _sibling(out_dir, "old")
        os.rename(out_dir, old)
        os.rename(tmp, out_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(tmp, out_dir)


def _write_chunk(tmp: Path, name: str, tables: dict[str, pa.Table]) -> None:
    for t in STORE_TABLES:
        _write_part(tmp / t / name, tables[t])


