"""Processed corpus store: incremental, atomic ingest to Parquet; the `Corpus` reader.

Layout of a store directory::

    manifest.json          input file hashes, per-article content hashes,
                           pipeline version, counts, part list
    ingest_report.json     what the loader kept or skipped, per input file
    articles/part-*.parquet     article schema (docs/architecture.md)
    paragraphs/part-*.parquet   doc_id, para_id, text
    sentences/part-*.parquet    doc_id, para_id, sent_id, text
    tokens/part-*.parquet       doc_id, para_id, sent_id, position, token, norm, punct

One part per chunk of one input file, so neither ingest nor a re-run holds
the corpus whole. ``sent_id`` and ``position`` count within the document, so
``(doc_id, position)`` addresses a token. ``doc_id`` is unique per row over the
whole store (the k-th copy of a text gets the id of ``key#k``, as in
``load_articles``) and duplicates are flagged corpus-wide after all parts are
written, from compact MinHash signatures kept per part in::

    signatures/part-*.parquet   base_id, exact word hash, 64 x uint32 MinHash
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import parallel as _parallel

__all__ = ["ingest", "open_corpus", "Corpus", "IngestResult", "STORE_TABLES"]

#: Tables of a store, in the order they are written.
STORE_TABLES = ("articles", "paragraphs", "sentences", "tokens")
_STORE_FORMAT = 2
_NUM_PERM = 64
_DUP_THRESHOLD = 0.8
_DEDUPE = ("flag", "drop", "none")
_SIG_DIR = "signatures"  # per part: base_id, exact hash, MinHash signature of each article row
_SIG_SCHEMA = pa.schema([("base_id", pa.string()), ("exact", pa.uint64()),
                         ("minhash", pa.list_(pa.uint32(), _NUM_PERM))])
_UNITS = ("article", "paragraph")
_LIST_STR = pa.list_(pa.string())
_REMOVED = pa.list_(pa.struct([("line", pa.int64()), ("text", pa.string()), ("reason", pa.string())]))
_SCHEMAS = {
    "paragraphs": pa.schema([("doc_id", pa.string()), ("para_id", pa.int32()), ("text", pa.string())]),
    "sentences": pa.schema([("doc_id", pa.string()), ("para_id", pa.int32()),
                            ("sent_id", pa.int32()), ("text", pa.string())]),
    "tokens": pa.schema([("doc_id", pa.string()), ("para_id", pa.int32()), ("sent_id", pa.int32()),
                         ("position", pa.int32()), ("token", pa.string()), ("norm", pa.string()),
                         ("punct", pa.bool_())]),
}
_LIGHT_DROP = ("text", "paragraphs", "captions", "removed")


# ---------------------------------------------------------------- pipeline

def _package_version() -> str:
    from . import __version__
    return __version__


def _callable_id(fn: Callable) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def _pipeline_version(segmenter: Callable | None) -> str:
    from . import tokens
    parts = [tokens.PIPELINE_VERSION, f"corpus-tools{_package_version()}",
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


# token -> (norm inside a sentence, punct) and token -> norm at sentence start.
# Kept across the tasks of a worker process: the vocabulary of the next chunk
# is mostly known, so normalisation is paid once per word type, not per chunk.
_NORM_CACHE: dict[str, tuple[str, bool]] = {}
_INITIAL_CACHE: dict[str, str] = {}
_NORM_CACHE_MAX = 400_000


def _segment_chunk(args) -> dict[str, dict[str, list]]:
    """Pure worker: segment and normalise a chunk of articles.

    ``args`` = (segment, items) with items a list of ``(doc_id, paragraphs)``
    and ``segment`` None for ``tokens.segment``. Returns plain lists (cheap to
    pickle): paragraph and sentence rows, and the tokens flat with their
    sentence lengths; :func:`_rows_to_tables` expands them. ``norm`` follows
    ``tokens.tokens_from_segments``: the case policy of ``normalize_token``
    with the sentence-initial flag on the first word of each sentence.
    """
    from .tokens import is_punct, normalize_token
    segment, items = args
    if segment is None:
        from .tokens import segment
    if len(_NORM_CACHE) > _NORM_CACHE_MAX or len(_INITIAL_CACHE) > _NORM_CACHE_MAX:
        _NORM_CACHE.clear()
        _INITIAL_CACHE.clear()
    cache, initial_norm = _NORM_CACHE, _INITIAL_CACHE
    p_doc, p_para, p_text = [], [], []
    s_doc, s_para, s_text, s_len = [], [], [], []
    t_tok, t_norm, t_punct = [], [], []

    def fill(tok: str) -> tuple[str, bool]:
        punct = is_punct(tok)
        hit = cache[tok] = (tok if punct else normalize_token(tok, sentence_initial=False), punct)
        return hit

    for doc_id, paragraphs in items:
        for para_id, para in enumerate(paragraphs):
            p_doc.append(doc_id)
            p_para.append(para_id)
            p_text.append(para)
            for sent in segment(para):
                if not sent:
                    continue
                hits = [cache.get(t) or fill(t) for t in sent]
                norms = [h[0] for h in hits]
                for i, h in enumerate(hits):  # first word: sentence-initial case rule
                    if not h[1]:
                        tok = sent[i]
                        n0 = initial_norm.get(tok)
                        if n0 is None:
                            n0 = initial_norm[tok] = normalize_token(tok, sentence_initial=True)
                        norms[i] = n0
                        break
                s_doc.append(doc_id)
                s_para.append(para_id)
                s_text.append(_detok(sent))
                s_len.append(len(sent))
                t_tok.extend(sent)
                t_norm.extend(norms)
                t_punct.extend([h[1] for h in hits])
    return {"paragraphs": {"doc_id": p_doc, "para_id": p_para, "text": p_text},
            "sentences": {"doc_id": s_doc, "para_id": s_para, "text": s_text, "n": s_len},
            "tokens": {"token": t_tok, "norm": t_norm, "punct": t_punct}}


def _rows_to_tables(rows: dict) -> dict[str, pa.Table]:
    """Arrow tables from :func:`_segment_chunk` output; sentence ids and token
    positions count within each document."""
    S = rows["sentences"]
    s_doc = pa.array(S["doc_id"], type=pa.string())
    n = np.asarray(S["n"], dtype=np.int64)
    m = len(n)
    if m:
        codes = pc.dictionary_encode(s_doc).indices.to_numpy(zero_copy_only=False)
        new_doc = np.ones(m, dtype=bool)
        new_doc[1:] = codes[1:] != codes[:-1]
        starts = np.flatnonzero(new_doc)
        sent_id = np.arange(m) - np.repeat(starts, np.diff(np.append(starts, m)))
        tok_start = np.concatenate(([0], np.cumsum(n)[:-1]))
        doc_tok_start = np.repeat(tok_start[starts], np.diff(np.append(starts, m)))
        total = int(n.sum())
        position = np.arange(total) - np.repeat(doc_tok_start, n)
    else:
        sent_id = np.zeros(0, dtype=np.int64)
        position = np.zeros(0, dtype=np.int64)
    sent_idx = np.repeat(np.arange(m), n)
    s_para = np.asarray(S["para_id"], dtype=np.int32)
    T = rows["tokens"]
    tables = {
        "paragraphs": pa.Table.from_arrays(
            [pa.array(rows["paragraphs"]["doc_id"], type=pa.string()),
             pa.array(np.asarray(rows["paragraphs"]["para_id"], dtype=np.int32)),
             pa.array(rows["paragraphs"]["text"], type=pa.string())],
            schema=_SCHEMAS["paragraphs"]),
        "sentences": pa.Table.from_arrays(
            [s_doc, pa.array(s_para), pa.array(sent_id.astype(np.int32)),
             pa.array(S["text"], type=pa.string())], schema=_SCHEMAS["sentences"]),
        "tokens": pa.Table.from_arrays(
            [s_doc.take(pa.array(sent_idx)), pa.array(s_para[sent_idx]),
             pa.array(sent_id[sent_idx].astype(np.int32)), pa.array(position.astype(np.int32)),
             pa.array(T["token"], type=pa.string()), pa.array(T["norm"], type=pa.string()),
             pa.array(T["punct"], type=pa.bool_())], schema=_SCHEMAS["tokens"]),
    }
    return tables


# ---------------------------------------------------------------- results

@dataclass
class IngestResult:
    """What an :func:`ingest` run did. Article counts compare each input record
    (``source_path``, e.g. ``file.jsonl#12``) with the previous store."""

    out_dir: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: int = 0
    segmented: int = 0
    duplicates: int = 0
    files_new: int = 0
    files_changed: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    articles: int = 0
    full_rebuild: bool = False
    seconds: float = 0.0
    pipeline_version: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        what = "rebuilt" if self.full_rebuild else "updated"
        if not (self.files_new or self.files_changed or self.files_removed or self.full_rebuild):
            what = "up to date"
        return (f"{self.out_dir}: {what} in {self.seconds:.1f}s — {self.articles} articles "
                f"(new {self.new}, changed {self.changed}, unchanged {self.unchanged}, "
                f"removed {self.removed}, skipped {self.skipped}); files: new {self.files_new}, "
                f"changed {self.files_changed}, unchanged {self.files_unchanged}, "
                f"removed {self.files_removed}")


# ---------------------------------------------------------------- helpers

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


def _resolve_sources(source) -> list[Path]:
    from .readers import list_input_files
    items = [source] if isinstance(source, (str, os.PathLike)) else list(source)
    if not items:
        raise ValueError("no source given")
    files: dict[str, Path] = {}
    for item in items:
        for p in list_input_files(item):
            rp = p.resolve()
            files[rp.as_posix()] = rp
    return [files[k] for k in sorted(files)]


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


# ---------------------------------------------------------------- work units
#
# A *group* is what one incremental decision covers: a JSONL file (streamed in
# chunks of records), a folder's text/HTML files (in batches of files, so
# furniture is still learnt across a batch), or any other file whole. Each
# chunk becomes one task: raw bytes go to a worker, which runs the loader and
# the segmenter on them, so a remote Dask worker needs no shared disk and the
# parent only writes Parquet.

@dataclass
class _Group:
    key: str
    kind: str  # "records" (JSONL split by lines) | "files" (shipped whole)
    files: list[Path]


def _line_splittable(path: Path) -> bool:
    """UTF-8 JSON Lines (not UTF-16, not a JSON array) can be cut at newlines."""
    import gzip
    try:
        opener = gzip.open if path.suffix.lower() == ".gz" else open
        with opener(path, "rb") as fh:
            head = fh.read(4096)
    except (OSError, EOFError):
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _plan_groups(files: list[Path], load_kwargs: dict, chunk_size: int) -> list[_Group]:
    from .readers import detect_format
    forced = load_kwargs.get("format")
    groups: list[_Group] = []
    folders: dict[str, list[Path]] = {}
    for p in files:
        fmt = forced or detect_format(p)
        if fmt in ("txt", "html"):
            folders.setdefault(p.parent.as_posix(), []).append(p)
        elif fmt == "jsonl" and load_kwargs.get("encoding") is None and _line_splittable(p):
            groups.append(_Group(p.as_posix(), "records", [p]))
        else:
            groups.append(_Group(p.as_posix(), "files", [p]))
    for folder, ps in folders.items():
        n = (len(ps) + chunk_size - 1) // chunk_size
        for b in range(n):
            key = f"{folder}/*" if n == 1 else f"{folder}/*[{b}]"
            groups.append(_Group(key, "files", ps[b * chunk_size:(b + 1) * chunk_size]))
    return sorted(groups, key=lambda g: g.key)


def _group_sha(group: _Group, file_sha: dict[str, str]) -> str:
    h = hashlib.sha256()
    for p in group.files:
        h.update(f"{p.as_posix()}\x00{file_sha[p.as_posix()]}\n".encode("utf-8"))
    return h.hexdigest()


def _stage_name(path: Path, kind: str) -> str:
    name = path.name
    if kind == "records" and name.lower().endswith(".gz"):
        name = name[:-3]  # chunks are shipped uncompressed
    return name


def _iter_tasks(group: _Group, chunk_size: int, limit: int | None, load_kwargs: dict,
                state: dict) -> Iterator[tuple[list[tuple[str, bytes, str, int]], dict]]:
    """Yield ``(entries, extra load options)`` per task, entries being
    ``[(name, data, original path, line offset), ...]``. ``state["units"]``
    counts input units handed out, for ``limit``."""
    if group.kind == "files":
        files, extra = group.files, {}
        if limit is not None:
            left = limit - state["units"]
            if left <= 0:
                return
            if len(files) > 1 or (load_kwargs.get("format") or "") in ("txt", "html"):
                files = files[:left]
                state["units"] += len(files)
            else:  # one multi-record file (CSV, JSON array): the loader stops early
                from .readers import read_records
                state["units"] += sum(1 for _ in read_records(
                    files[0], format=load_kwargs.get("format"),
                    encoding=load_kwargs.get("encoding"), limit=left))
                extra = {"limit": left}
        yield [(p.name, p.read_bytes(), p.as_posix(), 0) for p in files], extra
        return
    import gzip
    path = group.files[0]
    name = _stage_name(path, group.kind)
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    lines: list[bytes] = []
    offset = physical = records = 0
    with opener(path, "rb") as fh:
        for raw in fh:
            if limit is not None and state["units"] >= limit:
                break
            physical += 1
            lines.append(raw)
            if raw.strip():
                records += 1
                state["units"] += 1
            if records >= chunk_size:
                yield [(name, b"".join(lines), path.as_posix(), offset)], {}
                offset, lines, records = physical, [], 0
    if records:
        yield [(name, b"".join(lines), path.as_posix(), offset)], {}


def _map_unit(unit: str, stage: str, origins: dict[str, tuple[str, int]]) -> str:
    """Loader unit ``<stage>/<name>[#N]`` back to ``<original>[#N+offset]``."""
    if not unit.startswith(stage + os.sep):
        return unit
    rest = unit[len(stage) + 1:]
    name, sep, n = rest.rpartition("#")
    if sep and n.isdigit() and name in origins:
        orig, offset = origins[name]
        return f"{orig}#{int(n) + offset}"
    orig = origins.get(rest)
    return orig[0] if orig else unit


def _load_task(args) -> dict:
    """Worker: load one chunk of raw input and segment its articles.

    ``args`` = (entries, load_kwargs, segmenter, skip): ``skip`` holds content
    hashes already in the store, whose rows the parent copies instead.
    """
    import tempfile
    from .clean import minhash_signatures
    from .load import _content_key, _doc_id, load_articles
    entries, load_kwargs, segmenter, skip = args
    # duplicates are flagged corpus-wide by the parent, from the signatures
    load_kwargs = {**load_kwargs, "dedupe": "none"}
    with tempfile.TemporaryDirectory(prefix="corpus-tools-") as stage:
        origins = {}
        for name, data, orig, offset in entries:
            (Path(stage) / name).write_bytes(data)
            origins[name] = (orig, offset)
        df = load_articles(stage, **{**load_kwargs, "progress": False})
        report = dict(df.attrs.get("report") or {})
        df.attrs = {}
        if len(df):
            df["source_path"] = [_map_unit(u, stage, origins) for u in df["source_path"].tolist()]
        units = []
        for u in report.get("units", []):
            u = dict(u)
            u["unit"] = _map_unit(str(u["unit"]), stage, origins)
            units.append(u)
        report["units"] = units
    doc_ids = df["doc_id"].tolist()
    paras = [list(p) if p is not None else [] for p in df["paragraphs"].tolist()]
    hashes = [_content_hash(d, p) for d, p in zip(doc_ids, paras)]
    titles = df["title"].tolist() if len(df) else []
    texts = df["text"].tolist() if len(df) else []
    base_ids = [_doc_id(_content_key(t if isinstance(t, str) else None, x), 1)
                for t, x in zip(titles, texts)]
    sig, exact = minhash_signatures(texts, num_perm=_NUM_PERM)
    signatures = pa.Table.from_arrays(
        [pa.array(base_ids, type=pa.string()), pa.array(exact, type=pa.uint64()),
         pa.FixedSizeListArray.from_arrays(pa.array(sig.ravel(), type=pa.uint32()), _NUM_PERM)],
        schema=_SIG_SCHEMA)
    items, seen = [], set()
    for d, p, h in zip(doc_ids, paras, hashes):
        if d in seen or h in skip:
            continue
        seen.add(d)
        items.append((d, p))
    return {"articles": _articles_table(df), "doc_ids": doc_ids, "hashes": hashes,
            "source_paths": df["source_path"].tolist(), "report": report,
            "signatures": signatures,
            "rows": _segment_chunk((segmenter, items))}


def _merge_reports(source: str, reports: list[dict]) -> dict:
    units = [u for r in reports for u in r.get("units", [])]
    try:
        from .load import IngestReport
        merged = dict(IngestReport(units, source=source,
                                   duplicates=sum(int(r.get("duplicates", 0)) for r in reports)))
    except Exception:  # a report of another shape: keep the pieces
        merged = {"source": source, "chunks": reports}
    return merged


# ---------------------------------------------------------------- ingest

class _OldParts:
    """Reads rows of unchanged articles back from the previous store, one
    part at a time (a tiny cache: chunks are usually re-read in order)."""

    def __init__(self, old_dir: Path | None, manifest: dict | None):
        self.old_dir = old_dir
        self.where: dict[str, str] = {}
        self._cache: dict[str, dict[str, pa.Table]] = {}
        if manifest:
            for src in manifest.get("sources", {}).values():
                for part in src.get("parts", []):
                    for ch in part["content_hashes"]:
                        self.where.setdefault(ch, part["name"])

    def rows(self, part: str, doc_ids: list[str]) -> dict[str, pa.Table]:
        tables = self._cache.get(part)
        if tables is None:
            if len(self._cache) >= 2:
                self._cache.pop(next(iter(self._cache)))
            tables = self._cache[part] = {
                t: pq.read_table(self.old_dir / t / part) for t in STORE_TABLES[1:]
                if (self.old_dir / t / part).exists()}
        keys = pa.array(doc_ids, type=pa.string())
        return {t: tab.filter(pc.is_in(tab["doc_id"], value_set=keys)) for t, tab in tables.items()}


def _assemble(result: dict, old: _OldParts, seen: set) -> dict[str, pa.Table]:
    """Tables of one part: computed rows plus rows copied from the old store,
    one copy per doc_id (first occurrence in the group), in article order."""
    order, reuse = [], {}
    computed = set(result["rows"]["paragraphs"]["doc_id"])
    for d, h in zip(result["doc_ids"], result["hashes"]):
        if d in seen:
            continue
        seen.add(d)
        order.append(d)
        if d not in computed:
            part = old.where.get(h)
            if part is None:  # pragma: no cover - skip set and old store disagree
                raise RuntimeError(f"rows of {d} neither computed nor in the old store")
            reuse.setdefault(part, []).append(d)
    tables = _rows_to_tables(result["rows"])
    tables["articles"] = result["articles"]
    if not reuse and len(order) == len(computed):
        return tables  # computed rows are already one copy per doc, in article order
    rank = {d: i for i, d in enumerate(order)}
    for part, doc_ids in reuse.items():
        for name, tab in old.rows(part, doc_ids).items():
            tables[name] = pa.concat_tables([tables[name], tab.select(_SCHEMAS[name].names)
                                             .cast(_SCHEMAS[name])])
    for name in STORE_TABLES[1:]:
        tab = tables[name]
        r = np.array([rank.get(d, -1) for d in tab["doc_id"].to_pylist()], dtype=np.int64)
        keep = np.flatnonzero(r >= 0)  # drop rows of docs seen in an earlier part
        idx = keep[np.argsort(r[keep], kind="stable")]
        tables[name] = tab.take(pa.array(idx, type=pa.int64()))
    return tables


def ingest(
    source,
    out_dir,
    *,
    n_jobs: int | None = None,
    backend: str = "process",
    client: Any = None,
    chunk_size: int = 250,
    progress: bool = True,
    segmenter: Callable[[str], list[list[str]]] | None = None,
    **load_kwargs,
) -> IngestResult:
    """Load, clean, segment and store a corpus as Parquet; incremental and atomic.

    Parameters
    ----------
    source : a file, folder, glob, or a list of them (jsonl[.gz], txt, csv, html).
    out_dir : the store directory (created; replaced atomically on success).
    n_jobs : processes for loading and segmentation; ``None`` = every core.
    backend : ``"process"`` (default), ``"serial"`` or ``"dask"``.
    client : with ``backend="dask"``: a ``distributed.Client`` or a scheduler
        address; ``None`` starts a local cluster.
    chunk_size : records (JSONL) or files (txt/html folders) per work unit and
        per Parquet part. The loader learns page furniture within a unit;
        doc ids and exact/near-duplicate flags (``is_duplicate``,
        ``duplicate_of``, first copy in corpus order kept) are corpus-wide and
        do not depend on ``chunk_size``.
    progress : show a tqdm progress bar.
    segmenter : replaces ``tokens.segment`` (a module-level function, so it can
        be shipped to workers); part of the pipeline version.
    **load_kwargs : passed to :func:`corpus_tools.load_articles` (``format``,
        ``columns``, ``encoding``, ``dedupe`` (``"flag"`` or ``"none"``),
        ``pretokenised``); ``limit``
        counts records over all inputs together.

    Re-running skips input files whose SHA-256 is unchanged (without loading
    them), re-segments only articles whose content changed, and rebuilds
    everything when the pipeline version or the load options change. The new
    store is built in a temporary directory beside ``out_dir`` and swapped in
    only when complete, so an interrupted run leaves the previous store as it
    was; the next run removes the leftovers.
    """
    t0 = time.perf_counter()
    if backend not in _parallel.BACKENDS:
        raise ValueError(f"backend must be one of {_parallel.BACKENDS}, got {backend!r}")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int, got {chunk_size!r}")
    for bad in ("progress", "return_report", "report_dir"):
        if bad in load_kwargs:
            raise ValueError(f"{bad}= is not a load option of ingest")
    dedupe = load_kwargs.get("dedupe", "flag")
    if dedupe not in _DEDUPE:
        raise ValueError(f"dedupe must be one of {_DEDUPE}, got {dedupe!r}")
    if dedupe == "drop":
        raise ValueError("dedupe='drop' is not supported by ingest: the store keeps every "
                         "article flagged ('flag'), and Corpus frames leave duplicates out")
    out_dir = Path(out_dir).resolve()
    _recover(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / "manifest.json").exists():
        raise ValueError(f"{out_dir} exists and is not a corpus store; refusing to overwrite it")
    files = _resolve_sources(source)
    limit = load_kwargs.pop("limit", None)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ValueError(f"limit must be a non-negative int, got {limit!r}")
    options = _canonical_options({**load_kwargs, "limit": limit, "chunk_size": chunk_size})
    version = _pipeline_version(segmenter)
    old_manifest = _read_manifest(out_dir)
    full = (old_manifest is None or old_manifest.get("pipeline_version") != version
            or old_manifest.get("options") != options)
    old_sources = {} if full else old_manifest.get("sources", {})
    res = IngestResult(out_dir=str(out_dir), full_rebuild=full and old_manifest is not None,
                       pipeline_version=version)

    file_sha = {p.as_posix(): _file_sha256(p) for p in files}
    groups = _plan_groups(files, load_kwargs, chunk_size)
    group_sha = {g.key: _group_sha(g, file_sha) for g in groups}
    kinds = {}
    for g in groups:
        prev = old_sources.get(g.key)
        kinds[g.key] = ("new" if prev is None else
                        "unchanged" if prev["sha256"] == group_sha[g.key] else "changed")
    gone = [k for k in old_sources if k not in group_sha]
    old_files = {f for s in old_sources.values() for f in s.get("files", {})}
    res.files_new = sum(1 for f in file_sha if f not in old_files)
    res.files_removed = sum(1 for f in old_files if f not in file_sha)
    old_file_sha = {f: h for s in old_sources.values() for f, h in s.get("files", {}).items()}
    res.files_changed = sum(1 for f, h in file_sha.items() if f in old_file_sha and old_file_sha[f] != h)
    res.files_unchanged = sum(1 for f, h in file_sha.items() if old_file_sha.get(f) == h)
    if not full and all(k == "unchanged" for k in kinds.values()) and not gone:
        # Fast path: nothing changed; the store is not touched.
        res.unchanged = res.articles = sum(len(s["records"]) for s in old_sources.values())
        res.seconds = time.perf_counter() - t0
        return res

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = _sibling(out_dir, "tmp")
    tmp.mkdir()
    bar = None
    try:
        old_reports = {}
        if not full and (out_dir / "ingest_report.json").exists():
            old_reports = json.loads((out_dir / "ingest_report.json")
                                     .read_text(encoding="utf-8")).get("sources", {})
        old = _OldParts(out_dir if old_manifest else None, None if full else old_manifest)
        manifest_sources: dict[str, dict] = {}
        reports: dict[str, dict] = {}
        for g in groups:
            if kinds[g.key] == "unchanged":
                prev = old_sources[g.key]
                for part in prev["parts"]:
                    for t in (*STORE_TABLES, _SIG_DIR):
                        src = out_dir / t / part["name"]
                        if src.exists():
                            (tmp / t).mkdir(exist_ok=True)
                            _link_or_copy(src, tmp / t / part["name"])
                manifest_sources[g.key] = prev
                if g.key in old_reports:
                    reports[g.key] = old_reports[g.key]
        todo = [g for g in groups if kinds[g.key] != "unchanged"]
        if progress:
            from tqdm.auto import tqdm
            bar = tqdm(desc=f"ingest -> {out_dir.name}", unit="art", total=None)
        state = {"units": sum(len(manifest_sources[k]["records"]) for k in manifest_sources)
                 if limit is not None else 0}
        opts = dict(load_kwargs)

        def _tasks():
            for g in todo:
                prev = old_sources.get(g.key)
                skip = frozenset(ch for part in prev["parts"] for ch in part["content_hashes"]) \
                    if prev else frozenset()
                for entries, extra in _iter_tasks(g, chunk_size, limit, load_kwargs, state):
                    yield g, (entries, {**opts, **extra}, segmenter, skip)

        keyed: list[_Group] = []

        def _payloads():
            for g, payload in _tasks():
                keyed.append(g)
                yield payload

        seen: dict[str, set] = {}
        chunk_no: dict[str, int] = {}
        group_reports: dict[str, list] = {}
        for result in _parallel.map_chunks(_load_task, _payloads(), backend=backend,
                                           n_jobs=n_jobs, client=client):
            g = keyed.pop(0)
            i = chunk_no.get(g.key, 0)
            chunk_no[g.key] = i + 1
            # every row keeps its own token rows: doc ids become unique corpus-wide
            tables = _assemble(result, old, set())
            name = f"part-{_source_key(g.key)}-{i:05d}.parquet"
            _write_chunk(tmp, name, tables)
            _write_part(tmp / _SIG_DIR / name, result["signatures"])
            entry = manifest_sources.setdefault(g.key, {
                "sha256": group_sha[g.key],
                "files": {p.as_posix(): file_sha[p.as_posix()] for p in g.files},
                "parts": [], "records": {}})
            entry["parts"].append({"name": name,
                                   "content_hashes": list(dict.fromkeys(result["hashes"])),
                                   "rows": {t: tables[t].num_rows for t in STORE_TABLES}})
            entry["records"].update(zip(map(str, result["source_paths"]), result["hashes"]))
            group_reports.setdefault(g.key, []).append(result["report"])
            res.segmented += len(set(result["rows"]["paragraphs"]["doc_id"]))
            if bar is not None:
                bar.update(tables["articles"].num_rows)
        for g in todo:  # groups whose every record was skipped still count
            manifest_sources.setdefault(g.key, {
                "sha256": group_sha[g.key],
                "files": {p.as_posix(): file_sha[p.as_posix()] for p in g.files},
                "parts": [], "records": {}})
            if g.key in group_reports:
                reports[g.key] = _merge_reports(g.key, group_reports[g.key])
        manifest_sources = {k: manifest_sources[k] for k in sorted(manifest_sources)}
        reports = {k: reports[k] for k in sorted(reports)}
        res.duplicates = _finalize(tmp, manifest_sources, flag=dedupe != "none")

        old_records = {rk: ch for s in old_sources.values() for rk, ch in s["records"].items()}
        new_records = {rk: ch for s in manifest_sources.values() for rk, ch in s["records"].items()}
        for rk, ch in new_records.items():
            prev = old_records.get(rk)
            if prev is None:
                res.new += 1
            elif prev != ch:
                res.changed += 1
            else:
                res.unchanged += 1
        res.removed = sum(1 for rk in old_records if rk not in new_records)
        res.skipped = sum(int(r.get("skipped", 0)) for r in reports.values())
        counts = {"articles": 0, "paragraphs": 0, "sentences": 0, "tokens": 0,
                  "files": len(file_sha)}
        for s in manifest_sources.values():
            for part in s["parts"]:
                for t in STORE_TABLES:
                    counts[t] += part["rows"].get(t, 0)
        res.articles = counts["articles"]
        manifest = {
            "store_format": _STORE_FORMAT,
            "pipeline_version": version,
            "package_version": _package_version(),
            "options": options,
            "counts": counts,
            "sources": manifest_sources,
        }
        _write_json(tmp / "manifest.json", manifest)
        _write_json(tmp / "ingest_report.json", {"sources": reports})
        _swap(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if bar is not None:
            bar.close()
    res.seconds = time.perf_counter() - t0
    return res


def _lsh_candidates(sig: np.ndarray, ids: np.ndarray, bands: int) -> set[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j`` of ``ids`` sharing an LSH band bucket: each member
    of a bucket pairs with the bucket's first member (Leskovec et al. 2014, ch. 3)."""
    from .clean import _GRAM_MULT
    rows = sig.shape[1] // bands
    cand: set[tuple[int, int]] = set()
    with np.errstate(over="ignore"):
        for bnd in range(bands):
            key = np.zeros(len(ids), dtype=np.uint64)
            for r in range(bnd * rows, (bnd + 1) * rows):
                key = key * _GRAM_MULT + sig[:, r].astype(np.uint64)
            order = np.argsort(key, kind="stable")
            sk = key[order]
            same = sk[1:] == sk[:-1]
            if not same.any():
                continue
            head = np.maximum.accumulate(
                np.where(np.concatenate(([True], ~same)), np.arange(len(sk)), 0))
            for j in (np.flatnonzero(same) + 1).tolist():
                a, b = int(ids[order[head[j]]]), int(ids[order[j]])
                cand.add((min(a, b), max(a, b)))
    return cand


def _finalize(tmp: Path, sources: dict, *, flag: bool = True) -> int:
    """Corpus-wide doc ids and duplicate flags, written into the parts of ``tmp``.

    Only the per-part signature tables are held whole (64 x uint32 per article).
    Doc ids: the k-th copy (k >= 2, corpus order) of a title+text gets the id of
    ``key#k``, as ``load_articles`` numbers copies within one call. Duplicates:
    exact copies share the casefolded word hash; near-duplicates are candidate
    pairs of MinHash LSH bands (Broder 1997), each verified by the exact word
    3-shingle Jaccard >= 0.8 on the two texts re-read from the parts, so there
    are no false positives, as in ``clean.flag_duplicates``. The first article
    of each group in corpus order is kept. Parts whose ids or flags change are
    rewritten (by rename, never in place: unchanged parts are hard links into
    the previous store). Returns the number of duplicates.
    """
    from .clean import _choose_bands, _union_find, shingle_jaccard
    from .load import _content_key, _doc_id
    entries = [(k, part) for k in sorted(sources) for part in sources[k]["parts"]]
    sizes, base, exact, sigs = [], [], [], []
    for _, part in entries:
        f = tmp / _SIG_DIR / part["name"]
        t = pq.read_table(f) if f.exists() else _SIG_SCHEMA.empty_table()
        sizes.append(t.num_rows)
        base += t["base_id"].to_pylist()
        exact.append(t["exact"].to_numpy())
        flat = pc.list_flatten(t["minhash"]).to_numpy() if t.num_rows else np.zeros(0, np.uint32)
        sigs.append(np.asarray(flat, dtype=np.uint32).reshape(t.num_rows, _NUM_PERM))
    n = len(base)
    exact = np.concatenate(exact) if exact else np.zeros(0, np.uint64)
    sig = np.concatenate(sigs) if sigs else np.zeros((0, _NUM_PERM), np.uint32)
    del sigs
    seen_copies: dict[str, int] = {}
    copy = np.empty(n, dtype=np.int64)
    for i, b in enumerate(base):
        copy[i] = seen_copies[b] = seen_copies.get(b, 0) + 1
    find, union = _union_find(n)
    if flag and n:
        first: dict[int, int] = {}
        for i in np.flatnonzero(exact != 0).tolist():
            j = first.setdefault(int(exact[i]), i)
            if j != i:
                union(j, i)
        ids = np.flatnonzero(exact != 0)
        cand = _lsh_candidates(sig[ids], ids, _choose_bands(_NUM_PERM, _DUP_THRESHOLD))
        cand = sorted(p for p in cand if find(p[0]) != find(p[1]))
        if cand:
            texts = _read_rows(tmp, entries, sizes, {i for p in cand for i in p}, "text")
            for i, j in cand:
                if find(i) != find(j) and shingle_jaccard(texts[i], texts[j]) >= _DUP_THRESHOLD:
                    union(i, j)
    del sig
    root = np.array([find(i) for i in range(n)], dtype=np.int64)
    is_dup = root != np.arange(n)
    off = 0
    for (key, part), size in zip(entries, sizes):
        lo, hi = off, off + size
        off = hi
        if not size:
            continue
        path = tmp / "articles" / part["name"]
        cur = pq.read_table(path, columns=["doc_id", "is_duplicate", "duplicate_of"])
        want_ids = list(base[lo:hi])
        later = np.flatnonzero(copy[lo:hi] > 1)
        if len(later):
            tt = pq.read_table(path, columns=["title", "text"])
            titles, texts = tt["title"].to_pylist(), tt["text"].to_pylist()
            for r in later.tolist():
                want_ids[r] = _doc_id(_content_key(titles[r], texts[r]), int(copy[lo + r]))
        want_dup = is_dup[lo:hi].tolist()
        # the kept article is the first copy of its text: its id is its base id
        want_of = [base[root[i]] if is_dup[i] else None for i in range(lo, hi)]
        if (cur["doc_id"].to_pylist() == want_ids and cur["is_duplicate"].to_pylist() == want_dup
                and cur["duplicate_of"].to_pylist() == want_of):
            continue
        art = pq.read_table(path)
        rename = {a: b for a, b in zip(art["doc_id"].to_pylist(), want_ids) if a != b}
        for name, arr in (("doc_id", pa.array(want_ids, type=pa.string())),
                          ("is_duplicate", pa.array(want_dup, type=pa.bool_())),
                          ("duplicate_of", pa.array(want_of, type=pa.string()))):
            art = art.set_column(art.schema.get_field_index(name), name, arr)
        _replace_part(path, art)
        if rename:
            for t in STORE_TABLES[1:]:
                f = tmp / t / part["name"]
                if f.exists():
                    tab = pq.read_table(f)
                    new = pa.array([rename.get(d, d) for d in tab["doc_id"].to_pylist()],
                                   type=pa.string())
                    _replace_part(f, tab.set_column(0, "doc_id", new))
            paras = art["paragraphs"].to_pylist()
            hashes = [_content_hash(d, p or []) for d, p in zip(want_ids, paras)]
            part["content_hashes"] = list(dict.fromkeys(hashes))
            sources[key]["records"].update(zip(map(str, art["source_path"].to_pylist()), hashes))
    return int(is_dup.sum())


def _read_rows(tmp: Path, entries, sizes, wanted: set[int], column: str) -> dict[int, Any]:
    """Values of one article column for the given corpus rows, part by part."""
    out, off = {}, 0
    want = np.array(sorted(wanted), dtype=np.int64)
    for (_, part), size in zip(entries, sizes):
        rows = want[(want >= off) & (want < off + size)]
        if len(rows):
            col = pq.read_table(tmp / "articles" / part["name"], columns=[column])[column]
            vals = col.take(pa.array(rows - off)).to_pylist()
            out.update(zip(rows.tolist(), vals))
        off += size
    return out


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


# ---------------------------------------------------------------- reading

def open_corpus(path) -> "Corpus":
    """Open a store written by :func:`ingest`."""
    path = Path(path).resolve()
    _recover_readonly(path)
    if not (path / "manifest.json").exists():
        raise FileNotFoundError(f"{path} is not a corpus store (no manifest.json)")
    return Corpus(path)


def _recover_readonly(path: Path) -> None:
    if not path.exists() and list(path.parent.glob(f".{path.name}.old-*")):
        _recover(path)


def _part_names(manifest: dict) -> list[str]:
    return [part["name"] for src in manifest["sources"].values() for part in src["parts"]]


def _to_python_lists(df: pd.DataFrame, table: pa.Table) -> pd.DataFrame:
    for name in table.column_names:
        if pa.types.is_list(table.schema.field(name).type) or pa.types.is_large_list(
                table.schema.field(name).type):
            df[name] = pd.Series(table.column(name).to_pylist(), index=df.index, dtype=object)
    return df


class Corpus:
    """A processed corpus on disk. Tables are read lazily and cached.

    ``articles`` keeps every article (duplicates included, flagged);
    ``frame``, ``dtm`` and ``kwic`` leave duplicates out unless
    ``include_duplicates=True``.
    """

    def __init__(self, path):
        self.path = Path(path)
        self.manifest = json.loads((self.path / "manifest.json").read_text(encoding="utf-8"))
        self._parts = _part_names(self.manifest)
        self._cache: dict[str, Any] = {}

    def __repr__(self) -> str:
        c = self.manifest.get("counts", {})
        return (f"<Corpus {self.path.name}: {c.get('articles', 0)} articles, "
                f"{c.get('tokens', 0)} tokens>")

    # -- raw tables
    def read_table(self, name: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """One store table as a DataFrame (list columns as Python lists)."""
        if name not in STORE_TABLES:
            raise ValueError(f"table must be one of {STORE_TABLES}, got {name!r}")
        tab = self._arrow(name, columns)
        df = tab.to_pandas()
        return _to_python_lists(df, tab)

    def _arrow(self, name: str, columns=None) -> pa.Table:
        tabs = []
        for part in self._parts:
            f = self.path / name / part
            if f.exists():
                tabs.append(pq.read_table(f, columns=list(columns) if columns else None))
        if not tabs:
            if name in _SCHEMAS:
                schema = _SCHEMAS[name]
                if columns:
                    schema = pa.schema([schema.field(c) for c in columns])
                return schema.empty_table()
            return pa.table({})
        return pa.concat_tables(tabs, promote_options="default")

    @property
    def articles(self) -> pd.DataFrame:
        """All articles in the article schema (``is_duplicate`` also marks exact
        copies found across different input files)."""
        if "articles" not in self._cache:
            df = self.read_table("articles")
            self._cache["articles"] = _flag_cross_file(df)
        return self._cache["articles"].copy()

    def _meta(self) -> pd.DataFrame:
        """Articles without the heavy text columns, cached."""
        if "meta" not in self._cache:
            if "articles" in self._cache:
                df = self._cache["articles"].drop(columns=[c for c in _LIGHT_DROP
                                                           if c in self._cache["articles"]])
            else:
                names = pq.read_schema(self.path / "articles" / self._parts[0]).names \
                    if self._parts else ["doc_id"]
                cols = [c for c in names if c not in _LIGHT_DROP]
                df = _flag_cross_file(self._arrow("articles", cols).to_pandas())
            if "doc_id" not in df:  # a store in which every input was skipped
                df = pd.DataFrame({"doc_id": pd.Series([], dtype=object),
                                   "published": pd.Series([], dtype="datetime64[ns]"),
                                   "outlet": pd.Series([], dtype=object),
                                   "title": pd.Series([], dtype=object),
                                   "is_duplicate": pd.Series([], dtype=bool)})
            self._cache["meta"] = df
        return self._cache["meta"]

    def info(self) -> dict:
        """Summary: counts, date range, outlets, inputs, pipeline version."""
        meta = self._meta()
        pub = meta["published"] if "published" in meta else pd.Series([], dtype="datetime64[ns]")
        c = self.manifest["counts"]
        outlets = meta["outlet"].value_counts().head(10).to_dict() if "outlet" in meta else {}
        return {
            "path": str(self.path),
            "articles": int(c["articles"]),
            "duplicates": int(meta["is_duplicate"].sum()) if "is_duplicate" in meta else 0,
            "paragraphs": int(c["paragraphs"]),
            "sentences": int(c["sentences"]),
            "tokens": int(c["tokens"]),
            "files": int(c["files"]),
            "dated": int(pub.notna().sum()),
            "first_date": None if pub.dropna().empty else str(pub.min().date()),
            "last_date": None if pub.dropna().empty else str(pub.max().date()),
            "top_outlets": {str(k): int(v) for k, v in outlets.items()},
            "pipeline_version": self.manifest["pipeline_version"],
        }

    # -- selection
    def _select(self, **kw) -> pd.DataFrame:
        return self._meta()[self._mask(**kw)]

    def _mask(self, *, start=None, end=None, where=None, include_duplicates=False) -> np.ndarray:
        """Boolean mask over the articles for the selection arguments."""
        meta = self._meta()
        mask = np.ones(len(meta), dtype=bool)
        if where is not None:
            if isinstance(where, str):
                mask &= meta.eval(where).to_numpy(dtype=bool)
            elif callable(where):
                mask &= np.asarray(where(meta), dtype=bool)
            else:
                w = where.to_numpy() if isinstance(where, pd.Series) else np.asarray(where)
                if w.dtype != bool or len(w) != len(meta):
                    raise ValueError("where must be a query string, a callable, or a boolean "
                                     f"mask of length {len(meta)} aligned with Corpus.articles")
                mask &= w
        if start is not None or end is not None:
            pub = meta["published"]
            if start is not None:
                mask &= (pub >= pd.Timestamp(start)).to_numpy()
            if end is not None:
                mask &= (pub < pd.Timestamp(end)).to_numpy()
        if not include_duplicates and "is_duplicate" in meta:
            mask &= ~meta["is_duplicate"].to_numpy(dtype=bool)
        return mask

    def _meta_row_of_code(self) -> np.ndarray:
        """For each document code of the token index, its first row in the
        article metadata (-1 if absent); cached."""
        if "row_of_code" not in self._cache:
            idx = self._index()
            first: dict[str, int] = {}
            for i, d in enumerate(self._meta()["doc_id"].tolist()):
                first.setdefault(d, i)
            self._cache["row_of_code"] = np.array(
                [first.get(d, -1) for d in idx["doc_vocab"].tolist()], dtype=np.int64)
        return self._cache["row_of_code"]

    def _code_of_meta_row(self) -> np.ndarray:
        """For each article row, its document code in the token index (-1 if
        it has no tokens); cached."""
        if "code_of_row" not in self._cache:
            code = {d: i for i, d in enumerate(self._index()["doc_vocab"].tolist())}
            self._cache["code_of_row"] = np.array(
                [code.get(d, -1) for d in self._meta()["doc_id"].tolist()], dtype=np.int64)
        return self._cache["code_of_row"]

    # -- token index (whole corpus, dictionary-coded, built once)
    def _index(self) -> dict:
        """The token table as integer arrays (doc, para, sent, position, norm
        and surface codes, punct flag) plus the code vocabularies. Built part
        by part, so the string columns are never held whole; cached."""
        if "index" in self._cache:
            return self._cache["index"]
        cols = {k: [] for k in ("para", "sent", "pos", "punct")}
        coded: dict[str, list] = {"doc": [], "norm": [], "token": []}  # (dictionary, indices)

        def encode(arr) -> tuple[pa.Array, np.ndarray]:
            enc = pc.dictionary_encode(arr)
            if isinstance(enc, pa.ChunkedArray):
                enc = enc.combine_chunks() if enc.num_chunks != 1 else enc.chunk(0)
            return enc.dictionary, enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)

        seen: set = set()
        for part in self._parts:
            f = self.path / "tokens" / part
            if not f.exists():
                continue
            t = pq.read_table(f)
            ids = pc.unique(t["doc_id"]).to_pylist()
            dup = [d for d in ids if d in seen]
            if dup:  # the same document stored under another input: keep the first
                t = t.filter(pc.invert(pc.is_in(t["doc_id"], value_set=pa.array(dup))))
            seen.update(ids)
            coded["doc"].append(encode(t["doc_id"]))
            coded["norm"].append(encode(t["norm"]))
            coded["token"].append(encode(t["token"]))
            cols["para"].append(t["para_id"].to_numpy().astype(np.int32))
            cols["sent"].append(t["sent_id"].to_numpy().astype(np.int32))
            cols["pos"].append(t["position"].to_numpy().astype(np.int32))
            cols["punct"].append(t["punct"].to_numpy(zero_copy_only=False).astype(bool))
            del t
        idx = {k: (np.concatenate(v) if v else np.zeros(0, dtype=bool if k == "punct" else np.int32))
               for k, v in cols.items()}
        # unify the per-part dictionaries in one vectorised pass
        for kind, key in (("doc", "doc"), ("norm", "norm"), ("token", "surf")):
            pieces = coded[kind]
            if not pieces:
                idx[key] = np.zeros(0, dtype=np.int32)
                idx[f"{key}_vocab"] = np.array([], dtype=object)
                continue
            dicts = pa.concat_arrays([d.cast(pa.string()) for d, _ in pieces])
            glob = pc.dictionary_encode(dicts)
            gidx = glob.indices.to_numpy(zero_copy_only=False).astype(np.int32)
            offsets = np.cumsum([0] + [len(d) for d, _ in pieces])
            idx[key] = np.concatenate([gidx[offsets[i] + ind] for i, (_, ind) in enumerate(pieces)])
            idx[f"{key}_vocab"] = np.array(glob.dictionary.to_pylist(), dtype=object)
        del coded
        lower: dict[str, list[int]] = {}
        for i, v in enumerate(idx["norm_vocab"]):
            lower.setdefault(v.lower(), []).append(i)
        idx["lower"] = lower
        self._cache["index"] = idx
        return idx

    def _stop_mask(self, vocab: np.ndarray, stopwords) -> np.ndarray:
        from .tokens import _resolve_stopwords  # as tokens_from_segments reads them
        sw = _resolve_stopwords(stopwords)
        return np.array([v.lower() in sw for v in vocab], dtype=bool)

    def _units(self, sel: pd.DataFrame, unit: str, stopwords, keep_punct: bool):
        """Rows of the frame (article or paragraph) and, for each row, the
        slice ``pos[lo:hi]`` of its token positions in document order."""
        idx = self._index()
        base = sel.reset_index(drop=True)
        uniq = pd.unique(base["doc_id"])
        rank = pd.Series(np.arange(len(uniq), dtype=np.int64), index=pd.Index(uniq))
        rank_of_code = pd.Series(idx["doc_vocab"]).map(rank).fillna(-1).to_numpy(np.int64)
        keep = rank_of_code[idx["doc"]] >= 0
        if not keep_punct:
            keep &= ~idx["punct"]
        if stopwords is not None:
            keep &= ~self._stop_mask(idx["norm_vocab"], stopwords)[idx["norm"]]
        pos = np.flatnonzero(keep)
        r = rank_of_code[idx["doc"][pos]]
        row_rank = base["doc_id"].map(rank).to_numpy(np.int64)
        if unit == "article":
            rows, key_tok, key_row = base, r, row_rank
        else:
            paras = self._paragraph_index()
            base = base.assign(_row=np.arange(len(base)))
            rows = base.merge(paras, on="doc_id", how="inner", sort=False)
            rows = rows.sort_values(["_row", "para_id"], kind="stable")
            key_row = (rows["doc_id"].map(rank).to_numpy(np.int64) << 20) + rows["para_id"].to_numpy(np.int64)
            rows = rows.drop(columns="_row").reset_index(drop=True)
            key_tok = (r << 20) + idx["para"][pos]
        order = np.lexsort((idx["pos"][pos], key_tok))
        pos, key_tok = pos[order], key_tok[order]
        lo = np.searchsorted(key_tok, key_row, side="left")
        hi = np.searchsorted(key_tok, key_row, side="right")
        return rows, pos, lo, hi

    def frame(self, unit: str = "article", *, start=None, end=None, where=None,
              stopwords=None, keep_punct: bool = False,
              include_duplicates: bool = False) -> pd.DataFrame:
        """The analysis frame: one row per article (or paragraph) with
        ``doc_id``, ``published``, ``outlet``, ``title`` (``para_id``) and
        ``tokens``: normalised word tokens as ``tokens.tokens_from_segments``
        gives them (case policy, punctuation dropped unless ``keep_punct``,
        stopwords kept unless ``stopwords`` is a list name such as
        ``"general"``/``"all"`` or an iterable of words).

        ``start``/``end`` select ``start <= published < end`` (undated articles
        drop out); ``where`` is a ``DataFrame.eval`` string over the article
        metadata (``"outlet == 'Dân trí'"``), a callable of it, or a boolean
        mask aligned with :attr:`articles`.
        """
        rows, codes, lengths, vocab = self.token_ids(
            unit, start=start, end=end, where=where, stopwords=stopwords,
            keep_punct=keep_punct, include_duplicates=include_duplicates)
        words = vocab[codes]
        ends = np.cumsum(lengths)
        rows = rows[_frame_columns(rows)].copy()
        rows["tokens"] = pd.Series([words[b - n:b].tolist() for n, b in zip(lengths, ends)],
                                   index=rows.index, dtype=object)
        return rows

    def token_ids(self, unit: str = "article", *, start=None, end=None, where=None,
                  stopwords=None, keep_punct: bool = False, include_duplicates: bool = False
                  ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
        """The tokens of :meth:`frame` as integer codes, for counting at scale
        without building Python lists (same arguments as :meth:`frame`).

        Returns ``(index, codes, lengths, vocab)``: ``index`` has a row per
        article (or paragraph) with all the article metadata but the text
        columns (so trends can group by any of them); ``codes`` (int32) holds
        every row's tokens, row after row; ``lengths`` the number of tokens of
        each row; ``vocab`` the string of each code, so ``vocab[codes]`` is the
        frame's tokens, flat.
        """
        if unit not in _UNITS:
            raise ValueError(f"unit must be one of {_UNITS}, got {unit!r}")
        sel = self._select(start=start, end=end, where=where,
                           include_duplicates=include_duplicates)
        rows, pos, lo, hi = self._units(sel, unit, stopwords, keep_punct)
        idx = self._index()
        lengths = (hi - lo).astype(np.int64)
        total = int(lengths.sum())
        # row r's tokens are pos[lo[r]:hi[r]]; gather them row after row
        starts = np.repeat(lo - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        codes = idx["norm"][pos[starts + np.arange(total)]].astype(np.int32, copy=False)
        return rows, codes, lengths, idx["norm_vocab"]

    def _paragraph_index(self) -> pd.DataFrame:
        if "paras" not in self._cache:
            tab = self._arrow("paragraphs", ["doc_id", "para_id"])
            df = tab.to_pandas().drop_duplicates(["doc_id", "para_id"])
            self._cache["paras"] = df.sort_values(["doc_id", "para_id"], kind="stable")
        return self._cache["paras"]

    def dtm(self, unit: str = "article", *, start=None, end=None, where=None, min_df=1,
            max_df=1.0, vocabulary: Sequence[str] | None = None, stopwords=None,
            include_duplicates: bool = False):
        """Document-term matrix of the frame's tokens (punctuation dropped).

        Returns ``(X, vocab, index)``: ``X`` a ``scipy.sparse.csr_matrix`` of
        int64 counts whose rows are the rows of ``index`` (the frame without
        ``tokens``) and whose columns are ``vocab`` (sorted, or the given
        ``vocabulary`` in its order, absent terms as zero columns).
        ``min_df``/``max_df`` follow scikit-learn's ``CountVectorizer``: an int
        is a number of rows, a float a proportion of rows.
        """
        import scipy.sparse as sp
        if unit not in _UNITS:
            raise ValueError(f"unit must be one of {_UNITS}, got {unit!r}")
        for name, v in (("min_df", min_df), ("max_df", max_df)):
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or v < 0 \
                    or (isinstance(v, float) and v > 1.0):
                raise ValueError(f"{name} must be an int >= 0 or a float in [0, 1], got {v!r}")
        rows, codes, lengths, vocab_all = self.token_ids(
            unit, start=start, end=end, where=where, stopwords=stopwords,
            include_duplicates=include_duplicates)
        n_rows = len(rows)
        row_ids = np.repeat(np.arange(n_rows), lengths)
        X = sp.csr_matrix((np.ones(len(codes), dtype=np.int64), (row_ids, codes)),
                          shape=(n_rows, len(vocab_all)))
        X.sum_duplicates()
        if vocabulary is not None:
            vocabulary = list(vocabulary)
            lookup = {v: i for i, v in enumerate(vocab_all)}
            cols = np.array([lookup.get(v, -1) for v in vocabulary], dtype=np.int64)
            present = np.flatnonzero(cols >= 0)
            sub = X[:, cols[present]].tocoo()
            Xv = sp.csr_matrix((sub.data, (sub.row, present[sub.col])),
                               shape=(n_rows, len(vocabulary)), dtype=np.int64)
            return Xv, vocabulary, rows[_frame_columns(rows)]
        dfreq = np.diff(X.tocsc().indptr)
        lo_df = int(min_df) if isinstance(min_df, (int, np.integer)) else int(np.ceil(min_df * n_rows))
        hi_df = int(max_df) if isinstance(max_df, (int, np.integer)) else int(np.floor(max_df * n_rows))
        keep = (dfreq >= max(lo_df, 1)) & (dfreq <= hi_df)
        cols = np.flatnonzero(keep)
        cols = cols[np.argsort(vocab_all[cols].astype(str), kind="stable")]
        return sp.csr_matrix(X[:, cols]), vocab_all[cols].tolist(), rows[_frame_columns(rows)]

    def kwic(self, query: str | Sequence[str], *, window: int = 8, where=None,
             limit: int | None = None, metadata: Sequence[str] = ("published", "outlet", "title"),
             case_sensitive: bool = False, include_duplicates: bool = False) -> pd.DataFrame:
        """Keyword in context. ``query`` goes through ``tokens.query_tokens``
        (so ``"chuyển đổi số"`` finds ``chuyển_đổi_số``); several tokens match
        as a contiguous phrase within one document. ``window`` counts tokens
        (punctuation included) on each side. Rows follow corpus order.
        """
        if not isinstance(window, int) or window < 0:
            raise ValueError(f"window must be a non-negative int, got {window!r}")
        if isinstance(query, str):
            from . import tokens
            q = list(tokens.query_tokens(query))
        else:
            q = list(query)
        cols = ["doc_id", "para_id", "sent_id", "position", "left", "keyword", "right",
                *metadata]
        idx = self._index()
        if not q:
            return pd.DataFrame(columns=cols)
        # each query token -> the norm codes it matches (case-folded unless asked)
        if case_sensitive:
            lookup = {v: i for i, v in enumerate(idx["norm_vocab"])}
            qc = [[lookup[t]] if t in lookup else [] for t in q]
        else:
            qc = [idx["lower"].get(t.lower(), []) for t in q]
        if not all(qc):
            return pd.DataFrame(columns=cols)
        arr = idx["norm"]
        n = len(arr)
        hits = np.flatnonzero(np.isin(arr, qc[0]))
        hits = hits[hits + len(qc) <= n]
        doc = idx["doc"]
        for k in range(1, len(qc)):
            ok = np.isin(arr[hits + k], qc[k]) & (doc[hits + k] == doc[hits])
            hits = hits[ok]
        mask = self._mask(where=where, include_duplicates=include_duplicates)
        row_of_code = self._meta_row_of_code()
        meta = self._meta()
        # a document is searched when any of its article rows is selected
        code_of_row = self._code_of_meta_row()
        allowed = np.zeros(len(idx["doc_vocab"]), dtype=bool)
        picked = code_of_row[mask]
        allowed[picked[picked >= 0]] = True
        hits = hits[allowed[doc[hits]]]
        if limit is not None:
            hits = hits[:limit]
        surf, sv, pos = idx["surf"], idx["surf_vocab"], idx["pos"]
        left, kw, right = [], [], []
        for h in hits.tolist():
            d = doc[h]
            a = h - min(window, int(pos[h]))  # positions count from 0 in each document
            e = h + len(qc)
            b = min(n, e + window)
            while b > e and doc[b - 1] != d:
                b -= 1
            left.append(_detok(sv[surf[a:h]]))
            kw.append(_detok(sv[surf[h:e]]))
            right.append(_detok(sv[surf[e:b]]))
        out = pd.DataFrame({
            "doc_id": idx["doc_vocab"][doc[hits]],
            "para_id": idx["para"][hits], "sent_id": idx["sent"][hits],
            "position": idx["pos"][hits], "left": left, "keyword": kw, "right": right})
        metadata = [m for m in metadata if m in meta]
        if metadata:
            rows = row_of_code[doc[hits]]
            for m in metadata:
                out[m] = meta[m].iloc[rows].to_numpy() if len(rows) else meta[m].iloc[:0].to_numpy()
        return out


def _frame_columns(rows: pd.DataFrame) -> list[str]:
    """The index columns of ``frame``/``dtm``: a short, stable set."""
    return [c for c in ("doc_id", "published", "outlet", "title", "para_id") if c in rows]


def _flag_cross_file(df: pd.DataFrame) -> pd.DataFrame:
    """Mark later exact copies (same doc_id) from other input files."""
    if "doc_id" not in df or not len(df):
        return df
    dup = df["doc_id"].duplicated(keep="first").to_numpy()
    if "is_duplicate" in df:
        new = dup & ~df["is_duplicate"].to_numpy(dtype=bool)
        if new.any():
            df = df.copy()
            df.loc[new, "is_duplicate"] = True
            if "duplicate_of" in df:
                df.loc[new, "duplicate_of"] = df.loc[new, "doc_id"]
    return df
