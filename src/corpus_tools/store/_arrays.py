"""The store's token table held as integer arrays: what KWIC, frames and the DTM
read (see docs/architecture.md for the layout).

Ingest writes them into the store (``token_arrays/``: one ``.npy`` per column and
the three vocabularies), so analysis memory-maps them instead of decoding every
token string of every part at each open: the token stream then lives in the page
cache, not on the heap. A store written before (or whose arrays do not match its
parts) gets them built in memory, as before."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..index import offsets

__all__ = ["build_token_arrays", "write_token_arrays", "read_token_arrays", "doc_codes", "doc_ends",
           "token_mask", "ARRAYS_DIR"]

#: The folder of a store that holds its token arrays.
ARRAYS_DIR = "token_arrays"
_FORMAT = 1
_COLUMNS = {"para": np.int32, "sent": np.int32, "pos": np.int32, "doc": np.int32,
            "norm": np.int32, "surf": np.int32, "punct": np.bool_}


def build_token_arrays(path: Path, parts: Sequence[str], out: Path | None = None) -> dict:
    """The token table of a store as integer arrays (doc, para, sent, position,
    norm and surface codes, punct flag) plus the code vocabularies. Built part by
    part into arrays allocated once (the string columns are never held whole, and
    no per-part copies wait for a concatenation); with ``out``, the arrays are
    files there (memory-mapped ``.npy``), so the heap holds only the vocabularies."""
    files = [path / "tokens" / p for p in parts if (path / "tokens" / p).exists()]
    cap = sum(pq.ParquetFile(f).metadata.num_rows for f in files)

    def alloc(key: str, n: int):
        if out is None:
            return np.empty(n, dtype=_COLUMNS[key])
        return np.lib.format.open_memmap(out / f"{key}.npy", mode="w+", dtype=_COLUMNS[key], shape=(n,))
    idx = {k: alloc(k, cap) for k in _COLUMNS}
    # one growing dictionary per coded column: codes in order of first
    # appearance over the parts, as one dictionary_encode of the whole column
    vocab: dict[str, dict[str, int]] = {"doc": {}, "norm": {}, "surf": {}}
    seen: set = set()
    pool = pa.default_memory_pool()
    at, contiguous, last = 0, True, -1
    small = {"para": 0, "sent": 0, "pos": 0}  # the largest value: int16 where it fits
    for f in files:
        t = pq.read_table(f, use_threads=False)
        ids = pc.unique(t["doc_id"]).to_pylist()
        dup = [d for d in ids if d in seen]
        if dup:  # the same document stored under another input: keep the first
            t = t.filter(pc.invert(pc.is_in(t["doc_id"], value_set=pa.array(dup))))
        seen.update(ids)
        n = t.num_rows
        for key, col in (("doc", "doc_id"), ("norm", "norm"), ("surf", "token")):
            enc = pc.dictionary_encode(t[col]).combine_chunks()
            g = vocab[key]
            lut = np.fromiter((g.setdefault(s, len(g)) for s in enc.dictionary.to_pylist()),
                              dtype=np.int32, count=len(enc.dictionary))
            idx[key][at:at + n] = lut[enc.indices.to_numpy(zero_copy_only=False)]
        for key, col in (("para", "para_id"), ("sent", "sent_id"), ("pos", "position"),
                         ("punct", "punct")):
            idx[key][at:at + n] = t[col].to_numpy()
            if key in small and n:
                small[key] = max(small[key], int(idx[key][at:at + n].max()))
        if n:
            d = idx["doc"][at:at + n]
            contiguous = contiguous and int(d[0]) >= last and bool((d[1:] >= d[:-1]).all())
            last = int(d[-1])
        at += n
        del t
        pool.release_unused()  # Arrow keeps freed buffers otherwise
    if at < cap:  # duplicates left out
        for key in _COLUMNS:
            idx[key] = _shrink(idx[key], at, None if out is None else out / f"{key}.npy")
    n_docs = len(vocab["doc"])
    counts = np.zeros(n_docs, dtype=np.int64)
    for lo in range(0, at, 1 << 24):  # in slices: no int64 copy of the whole stream
        counts += np.bincount(idx["doc"][lo:lo + (1 << 24)], minlength=n_docs)
    idx["doc_starts"] = offsets(counts) if contiguous else None
    if contiguous:  # each document is one run: its starts say what the per-token codes said
        idx["doc"] = None
        if out is not None:
            (out / "doc.npy").unlink()
    for key in small:  # small numbers: int16 halves them where they fit
        if at and small[key] <= np.iinfo(np.int16).max:
            idx[key] = (idx[key].astype(np.int16) if out is None
                        else _shrink(idx[key], at, out / f"{key}.npy", np.int16))
    for key in vocab:
        idx[f"{key}_vocab"] = np.array(list(vocab[key]), dtype=object)
    del vocab
    return idx


def _shrink(arr: np.ndarray, n: int, file: Path | None, dtype=None) -> np.ndarray:
    """The first ``n`` values (as ``dtype``): in place in memory, or a new file."""
    if file is None:
        arr.resize(n, refcheck=False)
        return arr
    tmp = file.with_suffix(".tmp.npy")
    small = np.lib.format.open_memmap(tmp, mode="w+", dtype=dtype or arr.dtype, shape=(n,))
    for lo in range(0, n, 1 << 24):
        small[lo:lo + (1 << 24)] = arr[lo:min(n, lo + (1 << 24))]
    small.flush()
    del small, arr
    tmp.replace(file)
    return np.load(file, mmap_mode="r+")


def write_token_arrays(path: Path, parts: Sequence[str]) -> None:
    """Write the token arrays of the store at ``path`` (its parts, in order) into
    ``path/token_arrays``; ingest calls it on the store it is building."""
    out = path / ARRAYS_DIR
    out.mkdir(exist_ok=True)
    idx = build_token_arrays(path, parts, out)
    for key in _COLUMNS:
        if isinstance(idx[key], np.memmap):
            idx[key].flush()
    for key in ("doc", "norm", "surf"):
        pq.write_table(pa.table({key: pa.array(idx[f"{key}_vocab"].tolist(), type=pa.string())}),
                       out / f"{key}_vocab.parquet")
    if idx["doc_starts"] is not None:
        np.save(out / "doc_starts.npy", idx["doc_starts"])
    (out / "meta.json").write_text(json.dumps({"format": _FORMAT, "parts": list(parts)}), encoding="utf-8")


def read_token_arrays(path: Path, parts: Sequence[str]) -> dict | None:
    """The store's token arrays, memory-mapped (None when it has none for these parts)."""
    d = path / ARRAYS_DIR
    try:
        meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("format") != _FORMAT or meta.get("parts") != list(parts):
        return None
    idx = {key: np.load(d / f"{key}.npy", mmap_mode="r") if (d / f"{key}.npy").exists() else None
           for key in _COLUMNS}
    idx["doc_starts"] = np.load(d / "doc_starts.npy") if (d / "doc_starts.npy").exists() else None
    return _LazyVocab(idx, d)


class _LazyVocab(dict):
    """The arrays, and each vocabulary (``doc_vocab``, ``norm_vocab``, ``surf_vocab``) read
    on first use: a first KWIC needs two of the three, a term count one, and each is a
    Python string per entry (about 100k at 40k articles)."""

    def __init__(self, arrays: dict, d: Path):
        super().__init__(arrays)
        self._dir = d
        self._arrow: dict = {}

    def arrow(self, key: str):
        """A vocabulary (``"doc"``, ``"norm"`` or ``"surf"``) as an Arrow string array."""
        got = self._arrow.get(key)
        if got is None:
            got = self._arrow[key] = pq.read_table(self._dir / f"{key}_vocab.parquet")[key].combine_chunks()
        return got

    def __missing__(self, name: str):
        key = name[:-len("_vocab")] if name.endswith("_vocab") else None
        if key not in ("doc", "norm", "surf"):
            raise KeyError(name)
        value = self[name] = np.array(self.arrow(key).to_pylist(), dtype=object)
        return value


def doc_codes(idx: dict, positions: np.ndarray) -> np.ndarray:
    """Document code of each token position."""
    starts = idx["doc_starts"]
    if starts is None:
        return idx["doc"][positions]
    return (np.searchsorted(starts, positions, side="right") - 1).astype(np.int32)


def token_mask(idx: dict, per_doc: np.ndarray) -> np.ndarray:
    """A per-document flag (by doc code) spread to every token of the document."""
    starts = idx["doc_starts"]
    if starts is None:
        return per_doc[idx["doc"]]
    return np.repeat(per_doc, np.diff(starts))


def doc_ends(idx: dict, hits: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """One past the last token of the document run each hit is in."""
    starts = idx["doc_starts"]
    if starts is not None:
        return starts[doc.astype(np.int64) + 1]
    d_all = idx["doc"]  # documents not contiguous: ends of the runs of equal codes
    run_ends = np.append(np.flatnonzero(d_all[1:] != d_all[:-1]) + 1, len(d_all))
    return run_ends[np.searchsorted(run_ends, hits, side="right")]
