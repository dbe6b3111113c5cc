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
``(doc_id, position)`` addresses a token. Each unique ``doc_id`` is segmented
once; exact duplicates share its rows.
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
_STORE_FORMAT = 1
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


_NO_SPACE_BEFORE = set(",.;:!?)]}%…”’»")
_NO_SPACE_AFTER = set("([{“‘«")


def _detok(tokens: Sequence[str]) -> str:
    """Readable text from surface tokens: ``_`` back to spaces, no space before
    closing punctuation nor after opening brackets."""
    out: list[str] = []
    glue = True
    for tok in tokens:
        word = tok.replace("_", " ")
        if out and not glue and not (word and word[0] in _NO_SPACE_BEFORE):
            out.append(" ")
        out.append(word)
        glue = bool(word) and word[-1] in _NO_SPACE_AFTER
    return "".join(out)


def _segment_chunk(args) -> dict[str, dict[str, list]]:
    """Pure worker: segment and normalise a chunk of articles.

    ``args`` = (segment, items) with items a list of ``(doc_id, paragraphs)``
    and ``segment`` None for ``tokens.segment``. Returns plain column lists
    (cheap to pickle) for the paragraphs, sentences and tokens tables.
    ``norm`` follows ``tokens.tokens_from_segments``: the case policy of
    ``normalize_token`` with the sentence-initial flag on the first word.
    """
    from .tokens import is_punct, normalize_token
    segment, items = args
    if segment is None:
        from .tokens import segment
    cache: dict[tuple[str, bool], tuple[str, bool]] = {}
    P: dict[str, list] = {"doc_id": [], "para_id": [], "text": []}
    S: dict[str, list] = {"doc_id": [], "para_id": [], "sent_id": [], "text": []}
    T: dict[str, list] = {k: [] for k in ("doc_id", "para_id", "sent_id", "position",
                                          "token", "norm", "punct")}
    t_norm, t_punct = T["norm"], T["punct"]
    for doc_id, paragraphs in items:
        sent_id = 0
        pos = 0
        for para_id, para in enumerate(paragraphs):
            P["doc_id"].append(doc_id)
            P["para_id"].append(para_id)
            P["text"].append(para)
            for sent in segment(para):
                if not sent:
                    continue
                S["doc_id"].append(doc_id)
                S["para_id"].append(para_id)
                S["sent_id"].append(sent_id)
                S["text"].append(_detok(sent))
                n = len(sent)
                T["doc_id"].extend([doc_id] * n)
                T["para_id"].extend([para_id] * n)
                T["sent_id"].extend([sent_id] * n)
                T["position"].extend(range(pos, pos + n))
                T["token"].extend(sent)
                initial = True
                for tok in sent:
                    hit = cache.get((tok, initial))
                    if hit is None:
                        punct = is_punct(tok)
                        norm = tok if punct else normalize_token(tok, sentence_initial=initial)
                        hit = cache[(tok, initial)] = (norm, punct)
                    t_norm.append(hit[0])
                    t_punct.append(hit[1])
                    if not hit[1]:
                        initial = False
                pos += n
                sent_id += 1
    return {"paragraphs": P, "sentences": S, "tokens": T}


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


def _table_from_lists(name: str, cols: dict[str, list]) -> pa.Table:
    schema = _SCHEMAS[name]
    return pa.Table.from_arrays([pa.array(cols[f.name], type=f.type) for f in schema], schema=schema)


def _write_part(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")


# ---------------------------------------------------------------- loading

def _load_file(path: Path, load_kwargs: dict, limit: int | None, progress: bool):
    """Load one input file into the article schema; returns (DataFrame, report dict)."""
    from .load import load_articles
    kwargs = dict(load_kwargs)
    if limit is not None:
        kwargs["limit"] = limit
    kwargs.setdefault("progress", False)
    df = load_articles(path, **kwargs)
    report = df.attrs.get("report") if hasattr(df, "attrs") else None
    return df, _report_dict(report)


def _report_dict(report) -> dict | None:
    if report is None:
        return None
    for attr in ("to_dict", "as_dict"):
        if hasattr(report, attr):
            return getattr(report, attr)()
    if isinstance(report, dict):
        return report
    try:
        return asdict(report)
    except TypeError:
        return {"report": str(report)}


def _iter_chunks(df: pd.DataFrame, chunk_size: int) -> Iterator[pd.DataFrame]:
    for start in range(0, len(df), chunk_size):
        yield df.iloc[start:start + chunk_size]


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


def _chunk_payloads(chunks, old: _OldParts, seen: set, segmenter, state):
    """For each article chunk: the worker payload (articles not in the old store)
    plus what the parent needs to assemble the part afterwards."""
    for df in chunks:
        items, reuse, order = [], {}, []
        hashes = []
        for doc_id, paras in zip(df["doc_id"].tolist(), df["paragraphs"].tolist()):
            paras = [p for p in (paras if paras is not None else [])]
            ch = _content_hash(doc_id, paras)
            hashes.append(ch)
            if doc_id in seen:
                continue
            seen.add(doc_id)
            order.append(doc_id)
            part = old.where.get(ch)
            if part is not None:
                reuse.setdefault(part, []).append(doc_id)
            else:
                items.append((doc_id, paras))
        state["segmented"] += len(items)
        yield (segmenter, items), (df, hashes, reuse, order)


def _assemble(result: dict, extra, old: _OldParts) -> dict[str, pa.Table]:
    df, hashes, reuse, order = extra
    tables = {name: _table_from_lists(name, cols) for name, cols in result.items()}
    if reuse:
        rank = {d: i for i, d in enumerate(order)}
        for part, doc_ids in reuse.items():
            for name, tab in old.rows(part, doc_ids).items():
                tables[name] = pa.concat_tables([tables[name], tab.cast(_SCHEMAS[name])])
        for name, tab in tables.items():
            r = np.array([rank[d] for d in tab["doc_id"].to_pylist()], dtype=np.int64)
            idx = np.lexsort((np.arange(len(r)), r))  # stable by article order
            tables[name] = tab.take(pa.array(idx))
    return tables


def ingest(
    source,
    out_dir,
    *,
    n_jobs: int | None = None,
    backend: str = "process",
    client: Any = None,
    chunk_size: int = 200,
    progress: bool = True,
    segmenter: Callable[[str], list[list[str]]] | None = None,
    **load_kwargs,
) -> IngestResult:
    """Load, clean, segment and store a corpus as Parquet; incremental and atomic.

    Parameters
    ----------
    source : a file, folder, glob, or a list of them (jsonl[.gz], txt, csv, html).
    out_dir : the store directory (created; replaced atomically on success).
    n_jobs : processes for segmentation; ``None`` = every core.
    backend : ``"process"`` (default), ``"serial"`` or ``"dask"``.
    client : with ``backend="dask"``: a ``distributed.Client`` or a scheduler
        address; ``None`` starts a local cluster.
    chunk_size : articles per work unit and per Parquet part.
    progress : show tqdm progress bars.
    segmenter : replaces ``tokens.segment`` (a module-level function, so it can
        be shipped to workers); part of the pipeline version.
    **load_kwargs : passed to :func:`corpus_tools.load_articles` (``format``,
        ``columns``, ``encoding``, ``dedupe``, ``limit`` …); ``limit`` counts
        records over all inputs together.

    Re-running skips input files whose SHA-256 is unchanged, re-segments only
    articles whose content changed, and rebuilds everything when the pipeline
    version or the load options change. The new store is built in a temporary
    directory beside ``out_dir`` and swapped in only when complete, so an
    interrupted run leaves the previous store untouched.
    """
    t0 = time.perf_counter()
    if backend not in _parallel.BACKENDS:
        raise ValueError(f"backend must be one of {_parallel.BACKENDS}, got {backend!r}")
    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int, got {chunk_size!r}")
    out_dir = Path(out_dir).resolve()
    _recover(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / "manifest.json").exists():
        raise ValueError(f"{out_dir} exists and is not a corpus store; refusing to overwrite it")
    files = _resolve_sources(source)
    limit = load_kwargs.pop("limit", None)
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise ValueError(f"limit must be a non-negative int, got {limit!r}")
    options = _canonical_options({**load_kwargs, "limit": limit})
    version = _pipeline_version(segmenter)
    old_manifest = _read_manifest(out_dir)
    full = (old_manifest is None or old_manifest.get("pipeline_version") != version
            or old_manifest.get("options") != options)
    old_sources = {} if full else old_manifest.get("sources", {})
    old_report = {}
    if not full and (out_dir / "ingest_report.json").exists():
        old_report = json.loads((out_dir / "ingest_report.json").read_text(encoding="utf-8"))
    res = IngestResult(out_dir=str(out_dir), full_rebuild=full and old_manifest is not None,
                       pipeline_version=version)

    hashes = {p.as_posix(): _file_sha256(p) for p in files}
    # A limit makes each file's content depend on the files before it.
    plan = []
    for p in files:
        key = p.as_posix()
        prev = old_sources.get(key)
        if prev is None:
            plan.append((p, "new"))
        elif prev["sha256"] == hashes[key] and limit is None:
            plan.append((p, "unchanged"))
        else:
            plan.append((p, "changed"))
    gone = [k for k in old_sources if k not in hashes]
    if not full and all(kind == "unchanged" for _, kind in plan) and not gone:
        # Fast path: nothing to do, do not touch the store.
        res.files_unchanged = len(plan)
        res.unchanged = res.articles = sum(len(s["records"]) for s in old_sources.values())
        res.seconds = time.perf_counter() - t0
        return res

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = _sibling(out_dir, "tmp")
    tmp.mkdir()
    try:
        manifest_sources, reports = {}, dict(old_report.get("sources", {})) if old_report else {}
        for k in gone:
            reports.pop(k, None)
            res.files_removed += 1
            res.removed += len(old_sources[k]["records"])
        old = _OldParts(out_dir if old_manifest else None, None if full else old_manifest)
        remaining = limit
        state = {"segmented": 0}
        for p, kind in plan:
            key = p.as_posix()
            if kind == "unchanged":
                prev = old_sources[key]
                for part in prev["parts"]:
                    for t in STORE_TABLES:
                        src = out_dir / t / part["name"]
                        if src.exists():
                            (tmp / t).mkdir(exist_ok=True)
                            _link_or_copy(src, tmp / t / part["name"])
                manifest_sources[key] = prev
                res.files_unchanged += 1
                res.unchanged += len(prev["records"])
                continue
            if remaining == 0:
                continue
            entry = _ingest_file(p, tmp, hashes[key], load_kwargs, remaining, chunk_size, old,
                                 segmenter, backend, n_jobs, client, progress, state)
            manifest_sources[key] = entry["manifest"]
            reports[key] = entry["report"]
            if remaining is not None:
                remaining = max(0, remaining - entry["n_records"])
            prev_records = old_sources.get(key, {}).get("records", {})
            new_records = entry["manifest"]["records"]
            res.skipped += entry["skipped"]
            for rk, ch in new_records.items():
                if rk not in prev_records:
                    res.new += 1
                elif prev_records[rk] != ch:
                    res.changed += 1
                else:
                    res.unchanged += 1
            res.removed += sum(1 for rk in prev_records if rk not in new_records)
            if kind == "new":
                res.files_new += 1
            else:
                res.files_changed += 1
        res.segmented = state["segmented"]
        counts = {"articles": 0, "paragraphs": 0, "sentences": 0, "tokens": 0, "files": 0}
        for s in manifest_sources.values():
            counts["files"] += 1
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
    res.seconds = time.perf_counter() - t0
    return res


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


def _ingest_file(path, tmp, sha, load_kwargs, limit, chunk_size, old, segmenter,
                 backend, n_jobs, client, progress, state) -> dict:
    df, report = _load_file(path, load_kwargs, limit, progress)
    skipped = int(report.get("skipped", 0)) if report else 0
    n_records = int(report.get("inputs", len(df) + skipped)) if report else len(df)
    key = _source_key(path.as_posix())
    seen: set = set()
    parts, records = [], {}
    chunks = _iter_chunks(df, chunk_size)
    payloads = _chunk_payloads(chunks, old, seen, segmenter, state)
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=len(df), desc=f"ingest {path.name}", unit="art")
    try:
        # Pair each result with its parent-side bookkeeping, in order.
        extras: list = []

        def _work():
            for payload, extra in payloads:
                extras.append(extra)
                yield payload

        results = _parallel.map_chunks(_segment_chunk, _work(), backend=backend,
                                       n_jobs=n_jobs, client=client)
        for i, result in enumerate(results):
            extra = extras.pop(0)
            chunk_df, hashes, _, _ = extra
            tables = _assemble(result, extra, old)
            tables["articles"] = _articles_table(chunk_df)
            name = f"part-{key}-{i:05d}.parquet"
            _write_chunk(tmp, name, tables)
            for rk, ch in zip(chunk_df["source_path"].tolist(), hashes):
                records[str(rk)] = ch
            parts.append({"name": name, "content_hashes": list(dict.fromkeys(hashes)),
                          "rows": {t: tables[t].num_rows for t in STORE_TABLES}})
            if bar is not None:
                bar.update(len(chunk_df))
    finally:
        if bar is not None:
            bar.close()
    return {"manifest": {"sha256": sha, "parts": parts, "records": records},
            "report": report, "n_records": n_records, "skipped": skipped}


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
    def _select(self, *, start=None, end=None, where=None, include_duplicates=False) -> pd.DataFrame:
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
        return meta[mask]

    # -- token index (whole corpus, dictionary-coded, built once)
    def _index(self) -> dict:
        if "index" in self._cache:
            return self._cache["index"]
        tabs, seen = [], set()
        for part in self._parts:
            f = self.path / "tokens" / part
            if not f.exists():
                continue
            t = pq.read_table(f, columns=["doc_id", "para_id", "sent_id", "position",
                                          "token", "norm", "punct"])
            ids = pc.unique(t["doc_id"]).to_pylist()
            dup = [d for d in ids if d in seen]
            if dup:  # the same document stored under another input file
                t = t.filter(pc.invert(pc.is_in(t["doc_id"], value_set=pa.array(dup))))
            seen.update(ids)
            tabs.append(t)
        tab = pa.concat_tables(tabs) if tabs else _SCHEMAS["tokens"].empty_table()
        tab = tab.combine_chunks()
        doc = pc.dictionary_encode(tab["doc_id"]).combine_chunks()
        norm = pc.dictionary_encode(tab["norm"]).combine_chunks()
        surf = pc.dictionary_encode(tab["token"]).combine_chunks()
        norm_vocab = np.array(norm.dictionary.to_pylist(), dtype=object)
        low = pd.Index([v.lower() for v in norm_vocab])
        low_codes, low_vocab = pd.factorize(low)
        idx = {
            "doc_vocab": np.array(doc.dictionary.to_pylist(), dtype=object),
            "doc": doc.indices.to_numpy(zero_copy_only=False).astype(np.int32),
            "para": tab["para_id"].to_numpy().astype(np.int32),
            "sent": tab["sent_id"].to_numpy().astype(np.int32),
            "pos": tab["position"].to_numpy().astype(np.int32),
            "norm": norm.indices.to_numpy(zero_copy_only=False).astype(np.int32),
            "norm_vocab": norm_vocab,
            "low_of_norm": low_codes.astype(np.int32),
            "low_vocab": {v: i for i, v in enumerate(low_vocab)},
            "surf": surf.indices.to_numpy(zero_copy_only=False).astype(np.int32),
            "surf_vocab": np.array(surf.dictionary.to_pylist(), dtype=object),
            "punct": tab["punct"].to_numpy(zero_copy_only=False).astype(bool),
        }
        idx["low"] = idx["low_of_norm"][idx["norm"]]
        self._cache["index"] = idx
        return idx

    def _stop_mask(self, vocab: np.ndarray, stopwords) -> np.ndarray:
        from . import tokens
        if isinstance(stopwords, str):
            sw = tokens.load_stopwords(stopwords)
        else:  # as tokens.tokens_from_segments: lowercase, words joined by "_"
            sw = frozenset(w.replace(" ", "_").lower() for w in stopwords)
        return np.array([v.lower() in sw for v in vocab], dtype=bool)

    def _units(self, sel: pd.DataFrame, unit: str, stopwords, keep_punct: bool):
        """Rows of the frame (article or paragraph) and, for each row, the
        slice ``pos[lo:hi]`` of its token positions in document order."""
        idx = self._index()
        base_cols = [c for c in ("doc_id", "published", "outlet", "title") if c in sel]
        base = sel[base_cols].reset_index(drop=True)
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
        if unit not in _UNITS:
            raise ValueError(f"unit must be one of {_UNITS}, got {unit!r}")
        sel = self._select(start=start, end=end, where=where,
                           include_duplicates=include_duplicates)
        rows, pos, lo, hi = self._units(sel, unit, stopwords, keep_punct)
        idx = self._index()
        words = idx["norm_vocab"][idx["norm"][pos]]
        rows = rows.copy()
        rows["tokens"] = pd.Series([words[a:b].tolist() for a, b in zip(lo, hi)],
                                   index=rows.index, dtype=object)
        return rows

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
        sel = self._select(start=start, end=end, where=where,
                           include_duplicates=include_duplicates)
        rows, pos, lo, hi = self._units(sel, unit, stopwords, False)
        idx = self._index()
        n_rows = len(rows)
        lengths = hi - lo
        total = int(lengths.sum())
        starts = np.repeat(lo - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        take = starts + np.arange(total)
        codes = idx["norm"][pos[take]]
        row_ids = np.repeat(np.arange(n_rows), lengths)
        nv = len(idx["norm_vocab"])
        X = sp.csr_matrix((np.ones(total, dtype=np.int64), (row_ids, codes)), shape=(n_rows, nv))
        X.sum_duplicates()
        if vocabulary is not None:
            vocabulary = list(vocabulary)
            lookup = {v: i for i, v in enumerate(idx["norm_vocab"])}
            cols = np.array([lookup.get(v, -1) for v in vocabulary], dtype=np.int64)
            present = np.flatnonzero(cols >= 0)
            sub = X[:, cols[present]].tocoo()
            Xv = sp.csr_matrix((sub.data, (sub.row, present[sub.col])),
                               shape=(n_rows, len(vocabulary)), dtype=np.int64)
            return Xv, vocabulary, rows
        dfreq = np.diff(X.tocsc().indptr)
        lo_df = int(min_df) if isinstance(min_df, (int, np.integer)) else int(np.ceil(min_df * n_rows))
        hi_df = int(max_df) if isinstance(max_df, (int, np.integer)) else int(np.floor(max_df * n_rows))
        keep = (dfreq >= max(lo_df, 1)) & (dfreq <= hi_df)
        cols = np.flatnonzero(keep)
        cols = cols[np.argsort(idx["norm_vocab"][cols].astype(str), kind="stable")]
        return sp.csr_matrix(X[:, cols]), idx["norm_vocab"][cols].tolist(), rows

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
        if case_sensitive:
            lookup = {v: i for i, v in enumerate(idx["norm_vocab"])}
            arr, qc = idx["norm"], [lookup.get(t, -1) for t in q]
        else:
            arr, qc = idx["low"], [idx["low_vocab"].get(t.lower(), -1) for t in q]
        if min(qc) < 0:
            return pd.DataFrame(columns=cols)
        n = len(arr)
        hits = np.flatnonzero(arr == qc[0])
        hits = hits[hits + len(qc) <= n]
        doc = idx["doc"]
        for k in range(1, len(qc)):
            ok = (arr[hits + k] == qc[k]) & (doc[hits + k] == doc[hits])
            hits = hits[ok]
        sel = self._select(where=where, include_duplicates=include_duplicates)
        allowed = pd.Series(idx["doc_vocab"]).isin(set(sel["doc_id"])).to_numpy()
        hits = hits[allowed[doc[hits]]]
        if limit is not None:
            hits = hits[:limit]
        surf, sv = idx["surf"], idx["surf_vocab"]
        left, kw, right = [], [], []
        for h in hits:
            d = doc[h]
            a = h
            while a > max(0, h - window) and doc[a - 1] == d:
                a -= 1
            e = h + len(qc)
            b = e
            while b < min(n, e + window) and doc[b] == d:
                b += 1
            left.append(_detok(sv[surf[a:h]]))
            kw.append(_detok(sv[surf[h:e]]))
            right.append(_detok(sv[surf[e:b]]))
        out = pd.DataFrame({
            "doc_id": idx["doc_vocab"][doc[hits]],
            "para_id": idx["para"][hits], "sent_id": idx["sent"][hits],
            "position": idx["pos"][hits], "left": left, "keyword": kw, "right": right})
        meta = self._meta()
        metadata = [m for m in metadata if m in meta]
        if metadata:
            m = meta.drop_duplicates("doc_id").set_index("doc_id")[list(metadata)]
            out = out.join(m, on="doc_id")
        return out.reset_index(drop=True)


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
