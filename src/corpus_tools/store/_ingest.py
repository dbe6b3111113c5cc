"""Ingest: plan the units, run the workers, write parts, then make doc ids and
duplicate flags corpus-wide; incremental and atomic."""
from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .. import parallel as _parallel
from ..readers import printable_path
from ..dedupe import DUPLICATE_THRESHOLD as _DUP_THRESHOLD
from ..dedupe import NUM_PERM as _NUM_PERM
from ._layout import (_DEDUPE, _SCHEMAS, _SIG_DIR, _SIG_SCHEMA, _STORE_FORMAT, STORE_TABLES,
                      _canonical_options, _content_hash, _file_sha256, _link_or_copy,
                      _package_version, _pipeline_version, _read_manifest, _recover,
                      _replace_part, _resolve_sources, _sibling, _source_key, _store_lock, _swap,
                      _write_chunk, _write_json, _write_part)
from ._arrays import write_token_arrays
from ._profiles import _OneRead, _profiles_fingerprint
from ._units import _Group, _group_sha, _plan_groups
from ._worker import _load_task, _segment_chunk, merge_rows, split_items
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
    computed = set(result["tables"]["paragraphs"]["doc_id"].to_pylist())
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
    tables = dict(result["tables"])
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
    backend: _parallel.Backend = "process",
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
        per Parquet part. Furniture and spacing are learnt per source over the
        whole input first (:mod:`corpus_tools.sources`), so the tables do not
        depend on ``chunk_size``, ``n_jobs``, ``backend`` or the door (CLI);
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
    dedupe, limit = _check_options(backend, chunk_size, load_kwargs)
    out_dir = Path(out_dir).resolve()
    with _store_lock(out_dir):  # one writer per store: a second ingest fails at once
        run = dict(chunk_size=chunk_size, limit=limit, load_kwargs=load_kwargs,
                   segmenter=segmenter, backend=backend, n_jobs=n_jobs, client=client)
        return _ingest_locked(source, out_dir, t0, dedupe=dedupe, progress=progress, run=run)


def _ingest_locked(source, out_dir: Path, t0: float, *, dedupe, progress, run: dict) -> IngestResult:
    """:func:`ingest` once the store's lock is held."""
    limit, chunk_size, load_kwargs, segmenter = (run[k] for k in ("limit", "chunk_size",
                                                                    "load_kwargs", "segmenter"))
    _recover(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / "manifest.json").exists():
        raise ValueError(f"{out_dir} exists and is not a corpus store; refusing to overwrite it")
    plan = _Plan.make(source, out_dir, load_kwargs, limit, chunk_size, segmenter)
    if not plan.groups and not plan.unreadable:  # nothing to read is an error, not "0 articles"
        raise ValueError(f"no input files in {source}: expected .txt, .html, .jsonl/.json/.ndjson or "
                         ".csv/.tsv files (optionally .gz), in the folder or below it")
    res = plan.res
    if not plan.full and all(k == "unchanged" for k in plan.kinds.values()) and not plan.gone:
        # Fast path: nothing changed; the store is not touched.
        _count_files(res, plan.file_sha, plan.old_sources)
        res.unchanged = res.articles = sum(len(s["records"]) for s in plan.old_sources.values())
        res.skipped = len(plan.unreadable) + sum(
            int(r.get("skipped", 0)) for k, r in _old_reports(out_dir).items() if k != _UNREADABLE)
        res.seconds = time.perf_counter() - t0
        return res
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = _sibling(out_dir, "tmp")
    tmp.mkdir()
    writer = None
    try:
        writer = _PartWriter(tmp, _OldParts(out_dir if plan.old_manifest else None,
                                            None if plan.full else plan.old_manifest),
                             plan, res, progress)
        _build(plan, writer, out_dir, dedupe=dedupe, **run)
        _swap(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if writer is not None:
            writer.close()
    res.seconds = time.perf_counter() - t0
    return res


def _build(plan: "_Plan", writer: "_PartWriter", out_dir: Path, *, dedupe, chunk_size, limit,
           load_kwargs, segmenter, backend, n_jobs, client) -> None:
    """Fill ``writer.tmp`` with the new store: unchanged parts linked, the rest
    read once (:mod:`._profiles`), loaded and segmented by the workers, then ids,
    flags and the manifest."""
    kinds, old_sources, res = plan.kinds, plan.old_sources, plan.res
    reader = _OneRead(load_kwargs, chunk_size, limit,
                      learn_jobs=_parallel.resolve_jobs(n_jobs) if backend == "process" else 1)
    reader.digests.digests.update(plan.file_sha)  # hashed ahead to compare: not again
    plan.reader = reader
    by_base: dict[str, list[_Group]] = {}
    for g in plan.groups:
        by_base.setdefault(g.base, []).append(g)
    # a source with nothing new, changed or removed is not read: its parts are linked
    reports = writer.link_unchanged(out_dir, [g for g in plan.groups if g.base not in plan.touched],
                                    old_sources, plan.full)
    todo: list[_Group] = []
    keyed: list[_Group] = []
    worker_opts = {k: v for k, v in load_kwargs.items() if k not in ("format", "encoding")}

    def payloads():
        for g in plan.groups:
            if g.base not in plan.touched:
                continue
            if g.base not in plan.profiles:
                plan.learnt(g.base, reader.read(g.base, by_base[g.base]))
            chunks = reader.chunks.pop(g.key)
            if kinds[g.key] == "unchanged":  # read for its source's sake; its parts still hold
                reports.update(writer.link_unchanged(out_dir, [g], old_sources, plan.full))
                continue
            todo.append(g)
            prev = old_sources.get(g.key)
            skip = frozenset(ch for part in prev["parts"] for ch in part["content_hashes"]) \
                if prev else frozenset()
            for blob in chunks:
                keyed.append(g)
                yield blob, worker_opts, segmenter, skip, plan.profiles[g.base]

    # two stages per chunk: load it whole (with its source's learnt profile),
    # then segment it in small pieces that keep every worker busy to the end
    for result in _parallel.map_split(_load_task, _segment_chunk, payloads(), split=split_items,
                                      merge=merge_rows, backend=backend, n_jobs=n_jobs,
                                      client=client):
        writer.write(keyed.pop(0), result)
    sources, reports = writer.finish(todo, reports)
    if plan.unreadable:  # entries that could not be read are accounted for, not dropped
        from ..load import IngestReport
        reports[_UNREADABLE] = dict(IngestReport(
            [{"unit": name, "status": "skipped", "reason": reason, "doc_id": None,
              "format": "unknown", "encoding": None, "notes": []} for name, reason in plan.unreadable],
            source=_UNREADABLE))
        reports = {k: reports[k] for k in sorted(reports)}
    tmp = writer.tmp
    res.duplicates = _finalize(tmp, sources, flag=dedupe != "none")
    # the token stream as integer arrays that analysis memory-maps (codes are corpus-wide)
    write_token_arrays(tmp, [part["name"] for src in sources.values() for part in src["parts"]])
    _count_files(res, {printable_path(p): reader.sha(p) for g in plan.groups for p in g.files},
                 old_sources)
    counts = _count_records(res, old_sources, sources, reports, n_files=plan.n_files)
    _write_json(tmp / "manifest.json", {
        "store_format": _STORE_FORMAT,
        "pipeline_version": plan.version,
        "package_version": _package_version(),
        "options": plan.options,
        "counts": counts,
        "sources": sources,
        "profiles": {b: fp for b, fp in sorted(plan.profile_fp.items()) if fp is not None},
    })
    _write_json(tmp / "ingest_report.json", {"sources": reports})
    from ._corpus import Corpus
    Corpus(tmp)._save_token_index()  # what KWIC and term counts read, memory-mapped


#: Report key of the input entries that could not be read (broken links, loops).
_UNREADABLE = "(unreadable inputs)"


def _old_reports(out_dir: Path) -> dict:
    f = out_dir / "ingest_report.json"
    return json.loads(f.read_text(encoding="utf-8")).get("sources", {}) if f.exists() else {}


@dataclass
class _Plan:
    """What an ingest run must do: inputs and their groups, how each group
    compares with the previous store (new, changed, unchanged), and which
    sources must be read. Without a previous store to compare with, no file is
    hashed ahead: its digest comes from the one read."""

    res: IngestResult
    version: str
    options: dict
    old_manifest: dict | None
    full: bool
    old_sources: dict
    file_sha: dict  # ahead of the read: only to compare with a previous store
    groups: list
    kinds: dict
    gone: list
    unreadable: list
    touched: set  # the bases (sources) read in this run
    n_files: int
    profiles: dict = field(default_factory=dict)  # base -> {source key: SourceProfile}, as learnt
    profile_fp: dict = field(default_factory=dict)  # base -> fingerprint of what was learnt over it
    reader: Any = None

    def group_sha(self, g: _Group) -> str:
        if self.reader is None:
            return _group_sha(g, self.file_sha)
        return _group_sha(g, {printable_path(p): self.reader.sha(p) for p in g.files})

    def learnt(self, base: str, profiles: dict) -> None:
        """What the read learnt over ``base``: a source whose profile changed is
        processed again in full (its unchanged groups too), so an incremental run
        equals a fresh one."""
        self.profiles[base] = profiles
        fp = self.profile_fp[base] = _profiles_fingerprint(profiles)
        old_fp = (self.old_manifest or {}).get("profiles", {}) if not self.full else {}
        for g in self.groups:
            if g.base == base and self.kinds[g.key] == "unchanged" and old_fp.get(base) != fp:
                self.kinds[g.key] = "changed"

    @classmethod
    def make(cls, source, out_dir: Path, load_kwargs: dict, limit, chunk_size: int,
             segmenter) -> "_Plan":
        files, unreadable = _resolve_sources(source)
        options = _canonical_options({**load_kwargs, "limit": limit, "chunk_size": chunk_size})
        version = _pipeline_version(segmenter)
        old_manifest = _read_manifest(out_dir)
        full = (old_manifest is None or old_manifest.get("pipeline_version") != version
                or old_manifest.get("options") != options)
        old_sources = {} if full else old_manifest.get("sources", {})
        res = IngestResult(out_dir=str(out_dir), full_rebuild=full and old_manifest is not None,
                           pipeline_version=version)
        groups = _plan_groups(files, load_kwargs, chunk_size)
        # hashed ahead only to compare with the previous store (unchanged files are then
        # never decoded); a fresh build learns each digest in its one read
        file_sha = {} if full else {printable_path(p): _file_sha256(p) for p in files}
        kinds, touched = {}, set()
        for g in groups:
            prev = old_sources.get(g.key)
            kinds[g.key] = ("new" if prev is None else
                            "unchanged" if prev["sha256"] == _group_sha(g, file_sha) else "changed")
            if kinds[g.key] != "unchanged":
                touched.add(g.base)
        gone = [k for k in old_sources if k not in kinds]
        bases = {g.base for g in groups}
        touched |= {old_sources[k]["base"] for k in gone} & bases  # store format 4: entries name it
        if limit is not None:  # the first `limit` units in group order: every source is counted
            touched = bases
        plan = cls(res, version, options, old_manifest, full, old_sources, file_sha, groups,
                   kinds, gone, unreadable, touched, len(files))
        if not full:  # untouched sources keep what was learnt over them
            old_fp = old_manifest.get("profiles", {})
            plan.profile_fp.update({b: old_fp.get(b) for b in bases - touched})
        return plan


def _check_options(backend, chunk_size, load_kwargs: dict) -> tuple[str, int | None]:
    """Reject bad options at the call (not inside a worker); pops ``limit``.
    Returns (dedupe, limit)."""
    import inspect
    from ..load import load_articles
    if backend not in _parallel.BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(map(repr, _parallel.BACKENDS))}; got {backend!r}")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int, got {chunk_size!r}")
    for bad in ("progress", "report_dir", "profiles"):
        if bad in load_kwargs:
            raise ValueError(f"{bad}= is not a load option of ingest (ingest learns the "
                             f"sources' profiles itself, over the whole input)" if bad == "profiles"
                             else f"{bad}= is not a load option of ingest")
    valid = [p for p in inspect.signature(load_articles).parameters
             if p not in ("path", "progress", "report_dir", "profiles")]
    unknown = sorted(set(load_kwargs) - set(valid))
    if unknown:
        raise TypeError(f"ingest() got unknown option(s) {unknown}; valid: n_jobs, backend, "
                        f"client, chunk_size, progress, segmenter, {', '.join(valid)}")
    dedupe = load_kwargs.get("dedupe", "flag")
    if dedupe not in _DEDUPE:
        raise ValueError(f"dedupe must be one of {_DEDUPE}, got {dedupe!r}")
    if dedupe == "drop":
        raise ValueError("dedupe='drop' is not supported by ingest: the store keeps every "
                         "article flagged ('flag'), and Corpus frames leave duplicates out")
    limit = load_kwargs.pop("limit", None)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ValueError(f"limit must be a non-negative int, got {limit!r}")
    return dedupe, limit


def _count_files(res: IngestResult, file_sha: dict, old_sources: dict) -> None:
    old_file_sha = {f: h for s in old_sources.values() for f, h in s.get("files", {}).items()}
    res.files_new = sum(1 for f in file_sha if f not in old_file_sha)
    res.files_removed = sum(1 for f in old_file_sha if f not in file_sha)
    res.files_changed = sum(1 for f, h in file_sha.items() if f in old_file_sha and old_file_sha[f] != h)
    res.files_unchanged = sum(1 for f, h in file_sha.items() if old_file_sha.get(f) == h)


def _count_records(res: IngestResult, old_sources: dict, sources: dict, reports: dict, *,
                   n_files: int) -> dict:
    """Per-record new/changed/unchanged/removed into ``res``; the manifest's row counts."""
    old_records = {rk: ch for s in old_sources.values() for rk, ch in s["records"].items()}
    new_records = {rk: ch for s in sources.values() for rk, ch in s["records"].items()}
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
    counts = {**{t: 0 for t in STORE_TABLES}, "files": n_files}
    for s in sources.values():
        for part in s["parts"]:
            for t in STORE_TABLES:
                counts[t] += part["rows"].get(t, 0)
    res.articles = counts["articles"]
    return counts


class _PartWriter:
    """Writes the parts of a new store into ``tmp`` and keeps its manifest
    entries (``sources``) and the workers' reports, in arrival order."""

    def __init__(self, tmp: Path, old: _OldParts, plan: _Plan, res: IngestResult, progress: bool):
        self.tmp, self.old, self.plan, self.res = tmp, old, plan, res
        self.sources: dict[str, dict] = {}
        self.chunk_no: dict[str, int] = {}
        self.group_reports: dict[str, list] = {}
        self.bar = None
        if progress:
            from tqdm.auto import tqdm
            self.bar = tqdm(desc=f"ingest -> {Path(res.out_dir).name}", unit="art", total=None)

    def _entry(self, g: _Group) -> dict:
        entry = self.sources.get(g.key)
        if entry is None:
            entry = self.sources[g.key] = {
                "sha256": self.plan.group_sha(g), "base": g.base,
                "files": {printable_path(p): self.plan.reader.sha(p) for p in g.files},
                "parts": [], "records": {}}
        return entry

    def link_unchanged(self, out_dir: Path, unchanged: list[_Group], old_sources: dict,
                       full: bool) -> dict[str, dict]:
        """Hard-link the parts of unchanged groups; returns their old reports."""
        old_reports = {}
        if not full and (out_dir / "ingest_report.json").exists():
            old_reports = json.loads((out_dir / "ingest_report.json")
                                     .read_text(encoding="utf-8")).get("sources", {})
        reports = {}
        for g in unchanged:
            prev = old_sources[g.key]
            for part in prev["parts"]:
                for t in (*STORE_TABLES, _SIG_DIR):
                    src = out_dir / t / part["name"]
                    if src.exists():
                        (self.tmp / t).mkdir(exist_ok=True)
                        _link_or_copy(src, self.tmp / t / part["name"])
            self.sources[g.key] = prev
            if g.key in old_reports:
                reports[g.key] = old_reports[g.key]
        return reports

    def write(self, g: _Group, result: dict) -> None:
        i = self.chunk_no.get(g.key, 0)
        self.chunk_no[g.key] = i + 1
        # every row keeps its own token rows: doc ids become unique corpus-wide
        tables = _assemble(result, self.old, set())
        name = f"part-{_source_key(g.key)}-{i:05d}.parquet"
        _write_chunk(self.tmp, name, tables)
        _write_part(self.tmp / _SIG_DIR / name, result["signatures"])
        entry = self._entry(g)
        entry["parts"].append({"name": name,
                               "content_hashes": list(dict.fromkeys(result["hashes"])),
                               "rows": {t: tables[t].num_rows for t in STORE_TABLES}})
        entry["records"].update(zip(map(str, result["source_paths"]), result["hashes"]))
        self.group_reports.setdefault(g.key, []).append(result["report"])
        self.res.segmented += len(set(result["tables"]["paragraphs"]["doc_id"].to_pylist()))
        if self.bar is not None:
            self.bar.update(tables["articles"].num_rows)

    def finish(self, todo: list[_Group], reports: dict) -> tuple[dict, dict]:
        """Sorted manifest sources and reports; groups whose every record was
        skipped still count."""
        from ..load import IngestReport
        for g in todo:
            self._entry(g)
            if g.key in self.group_reports:
                reports[g.key] = dict(IngestReport.merge(self.group_reports[g.key], source=g.key))
        return ({k: self.sources[k] for k in sorted(self.sources)},
                {k: reports[k] for k in sorted(reports)})

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _finalize(tmp: Path, sources: dict, *, flag: bool = True) -> int:
    """Corpus-wide doc ids and duplicate flags, written into the parts of ``tmp``.

    Only the per-part signature tables are held whole (64 x uint32 per article).
    Doc ids: the k-th copy (k >= 2, corpus order) of a title+text gets the id of
    ``key#k``, as ``load_articles`` numbers copies within one call. Duplicates:
    exact copies share the casefolded word hash; near-duplicates are candidate
    pairs of MinHash LSH bands (Broder 1997), each verified by the exact word
    3-shingle Jaccard >= 0.8 on the two texts re-read from the parts, so there
    are no false positives, as in ``dedupe.flag_duplicates``. The earliest
    published article of each group is kept (``dedupe.publication_rank``: undated
    ones last, ties in corpus order), as ``load_articles`` keeps it. Parts whose ids or flags change are
    rewritten (by rename, never in place: unchanged parts are hard links into
    the previous store). Returns the number of duplicates.
    """
    from ..dedupe import article_id, choose_bands, copy_numbers, duplicate_roots, kept_rows, publication_rank, \
        shingle_jaccard
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
    copy = np.array(copy_numbers(base), dtype=np.int64)
    texts: dict[int, str] = {}

    def similar(i: int, j: int) -> bool:  # the texts of candidates only, read part by part
        return shingle_jaccard(texts[i], texts[j]) >= _DUP_THRESHOLD

    def prepare(rows: set[int]) -> None:
        texts.update(_read_rows(tmp, entries, sizes, rows, "text"))

    if flag and n:
        root = duplicate_roots(exact, sig, similar, bands=choose_bands(_NUM_PERM, _DUP_THRESHOLD),
                               prepare=prepare)
    else:
        root = np.arange(n, dtype=np.int64)
    del sig
    # in each group the earliest published is kept: the dates of the grouped rows only
    grouped = np.flatnonzero(np.bincount(root, minlength=n)[root] > 1)
    rank = np.arange(n, dtype=np.int64)
    if len(grouped):
        pub = _read_rows(tmp, entries, sizes, set(grouped.tolist()), "published")
        sub = publication_rank([pub[i] for i in grouped.tolist()])
        rank[grouped] = sub - n  # below every ungrouped row, in the grouped rows' order
    kept = kept_rows(root, rank)
    is_dup = kept != np.arange(n)
    # the kept row's final id: its base id, or the id of the k-th copy of its text
    later_kept = {int(k) for k in np.unique(kept[is_dup]) if copy[k] > 1}
    final = {i: base[i] for i in np.unique(kept[is_dup]).tolist()}
    if later_kept:
        titles = _read_rows(tmp, entries, sizes, later_kept, "title")
        bodies = _read_rows(tmp, entries, sizes, later_kept, "text")
        final.update({i: article_id(titles[i], bodies[i], int(copy[i])) for i in later_kept})
    off = 0
    for (key, part), size in zip(entries, sizes):
        lo, hi = off, off + size
        off = hi
        if size:
            want_of = [final[int(kept[i])] if is_dup[i] else None for i in range(lo, hi)]
            _update_part(tmp, part, sources[key], list(base[lo:hi]), copy[lo:hi],
                         is_dup[lo:hi].tolist(), want_of)
    return int(is_dup.sum())


def _update_part(tmp: Path, part: dict, source: dict, want_ids: list[str], copy: np.ndarray,
                 want_dup: list[bool], want_of: list[str | None]) -> None:
    """Give one part its corpus-wide doc ids (``copy`` numbers exact copies) and
    duplicate flags; rewrite it, and its other tables' ``doc_id``, only if they change."""
    from ..dedupe import article_id
    path = tmp / "articles" / part["name"]
    cur = pq.read_table(path, columns=["doc_id", "is_duplicate", "duplicate_of"])
    later = np.flatnonzero(copy > 1)
    if len(later):
        tt = pq.read_table(path, columns=["title", "text"])
        titles, texts_ = tt["title"].to_pylist(), tt["text"].to_pylist()
        for r in later.tolist():
            want_ids[r] = article_id(titles[r], texts_[r], int(copy[r]))
    if (cur["doc_id"].to_pylist() == want_ids and cur["is_duplicate"].to_pylist() == want_dup
            and cur["duplicate_of"].to_pylist() == want_of):
        return
    art = pq.read_table(path)
    rename = {a: b for a, b in zip(art["doc_id"].to_pylist(), want_ids) if a != b}
    for name, arr in (("doc_id", pa.array(want_ids, type=pa.string())),
                      ("is_duplicate", pa.array(want_dup, type=pa.bool_())),
                      ("duplicate_of", pa.array(want_of, type=pa.string()))):
        art = art.set_column(art.schema.get_field_index(name), name, arr)
    _replace_part(path, art)
    if not rename:
        return
    for t in STORE_TABLES[1:]:
        f = tmp / t / part["name"]
        if f.exists():
            tab = pq.read_table(f)
            new = pa.array([rename.get(d, d) for d in tab["doc_id"].to_pylist()], type=pa.string())
            _replace_part(f, tab.set_column(0, "doc_id", new))
    paras = art["paragraphs"].to_pylist()
    hashes = [_content_hash(d, p or []) for d, p in zip(want_ids, paras)]
    part["content_hashes"] = list(dict.fromkeys(hashes))
    source["records"].update(zip(map(str, art["source_path"].to_pylist()), hashes))


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


