"""Units of work of an ingest.

A *group* is what one incremental decision covers: a JSONL file (streamed in
chunks of records), a folder's text/HTML files (in batches of files, so
the furniture of the whole folder is learnt before any batch, see
:mod:`corpus_tools.sources`), or any other file whole. Each chunk becomes one
task: the parent reads the input once (:mod:`._profiles`) and ships decoded
records to a worker, which runs the loader and the segmenter on them, so a
remote Dask worker needs no shared disk.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from ..readers import printable_path


@dataclass
class _Group:
    key: str
    kind: str  # "records" (JSONL split by lines) | "files" (shipped whole)
    files: list[Path]
    base: str = ""  # the folder (text/HTML files) or file whose furniture it shares
    folder: bool = False


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
    from ..readers import detect_format
    forced = load_kwargs.get("format")
    groups: list[_Group] = []
    folders: dict[str, list[Path]] = {}
    for p in files:
        fmt = forced or detect_format(p)
        if fmt in ("txt", "html"):
            folders.setdefault(printable_path(p.parent), []).append(p)
        elif fmt == "jsonl" and load_kwargs.get("encoding") is None and _line_splittable(p):
            groups.append(_Group(printable_path(p), "records", [p], printable_path(p)))
        else:
            groups.append(_Group(printable_path(p), "files", [p], printable_path(p)))
    for folder, ps in folders.items():
        n = (len(ps) + chunk_size - 1) // chunk_size
        for b in range(n):
            key = f"{folder}/*" if n == 1 else f"{folder}/*[{b}]"
            groups.append(_Group(key, "files", ps[b * chunk_size:(b + 1) * chunk_size], folder, True))
    return sorted(groups, key=lambda g: g.key)


def _group_sha(group: _Group, file_sha: dict[str, str]) -> str:
    h = hashlib.sha256()
    for p in group.files:
        h.update(f"{printable_path(p)}\x00{file_sha[printable_path(p)]}\n".encode("utf-8"))
    return h.hexdigest()
