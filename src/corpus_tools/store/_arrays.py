"""The store's token table held as integer arrays: what KWIC, frames and the DTM
read, built once per ``Corpus`` (see docs/architecture.md for the layout)."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..index import offsets

__all__ = ["build_token_arrays", "doc_codes", "doc_ends", "token_mask"]


def build_token_arrays(path: Path, parts: Sequence[str]) -> dict:
    """The token table of a store as integer arrays (doc, para, sent, position,
    norm and surface codes, punct flag) plus the code vocabularies. Built part by
    part into arrays allocated once (the string columns are never held whole, and
    no per-part copies wait for a concatenation)."""
    files = [path / "tokens" / p for p in parts if (path / "tokens" / p).exists()]
    cap = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    idx = {k: np.empty(cap, dtype=np.int32) for k in ("para", "sent", "pos", "doc", "norm", "surf")}
    idx["punct"] = np.empty(cap, dtype=bool)
    # one growing dictionary per coded column: codes in order of first
    # appearance over the parts, as one dictionary_encode of the whole column
    vocab: dict[str, dict[str, int]] = {"doc": {}, "norm": {}, "surf": {}}
    seen: set = set()
    pool = pa.default_memory_pool()
    at = 0
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
        at += n
        del t
        pool.release_unused()  # Arrow keeps freed buffers otherwise
    if at < cap:  # duplicates left out: shrink in place
        for arr in (v for v in idx.values() if isinstance(v, np.ndarray)):
            arr.resize(at, refcheck=False)
    doc = idx["doc"]
    contiguous = not len(doc) or bool((doc[1:] >= doc[:-1]).all())
    idx["doc_starts"] = offsets(np.bincount(doc, minlength=len(vocab["doc"]))) if contiguous else None
    if contiguous:  # each document is one run: its starts say what the per-token codes said
        idx["doc"] = None
    del doc
    for key in ("para", "sent", "pos"):  # small numbers: int16 halves them where they fit
        if at and int(idx[key].max()) <= np.iinfo(np.int16).max:
            idx[key] = idx[key].astype(np.int16)
    for key in vocab:
        idx[f"{key}_vocab"] = np.array(list(vocab[key]), dtype=object)
    del vocab
    lower: dict[str, list[int]] = {}
    for i, v in enumerate(idx["norm_vocab"]):
        lower.setdefault(v.lower(), []).append(i)
    idx["lower"] = lower
    return idx


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
