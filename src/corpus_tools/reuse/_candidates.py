"""Candidate pairs for text reuse: articles that share several rare word n-grams.

An inverted index of n-gram shingles, as passim does (Smith, Cordell & Mullen 2015):
n-grams found in more than ``max_df`` articles are boilerplate or formulas and are
not used as evidence (passim's ``--max-df``); pairs of articles sharing at least
``min_shared`` of the rest are candidates. Unlike whole-article MinHash, this finds
a 20-word passage inside two long articles. The pair counts are summed over buckets
of the n-gram hash space, one task per bucket, so the same code runs serially or on
Dask with equal output.
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["shingles", "rare_shingles", "candidate_pairs"]

_MULT = np.uint64(0x100000001B3)  # FNV prime, as the duplicate shingles
_MIX = np.uint64(0x9E3779B97F4A7C15)


def shingles(codes: np.ndarray, offsets: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hash, article row and start position of every word ``n``-gram inside one article."""
    total = len(codes)
    lengths = np.diff(offsets)
    if total < n:
        return np.zeros(0, np.uint64), np.zeros(0, np.int32), np.zeros(0, np.int32)
    ids = codes.astype(np.uint64) + np.uint64(1)
    m = total - n + 1
    h = np.zeros(m, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(n):
            h = h * _MULT + ids[j:j + m]
        h ^= h >> np.uint64(29)
        h *= _MIX
    row = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)[:m]
    pos = (np.arange(m, dtype=np.int64) - offsets[row]).astype(np.int32)
    keep = pos.astype(np.int64) + n <= lengths[row]
    return h[keep], row[keep], pos[keep]


def rare_shingles(h: np.ndarray, row: np.ndarray, pos: np.ndarray, *, max_df: int, max_repeat: int = 3):
    """The shingles that at least 2 and at most ``max_df`` articles share, sorted by
    (row, hash, pos). An n-gram repeated more than ``max_repeat`` times in one article
    (a list, a refrain) is not evidence there. Returns ``(h, row, pos, df)``."""
    order = np.lexsort((pos, row, h))
    hs, rs, ps = h[order], row[order], pos[order]
    if not len(hs):
        return hs, rs, ps, np.zeros(0, np.int64)
    new_h = np.concatenate(([True], hs[1:] != hs[:-1]))
    new_pair = new_h | np.concatenate(([True], rs[1:] != rs[:-1]))
    pair_id = np.cumsum(new_pair) - 1
    reps = np.bincount(pair_id)
    h_id = np.cumsum(new_h) - 1
    df = np.bincount(h_id[new_pair])  # articles per hash
    keep = (df[h_id] >= 2) & (df[h_id] <= max_df) & (reps[pair_id] <= max_repeat)
    hs, rs, ps, d = hs[keep], rs[keep], ps[keep], df[h_id][keep]
    order = np.lexsort((ps, hs, rs))
    return hs[order], rs[order], ps[order], d[order]


def _bucket_pairs(hs: np.ndarray, rs: np.ndarray, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct article pairs ``a * n_rows + b`` (a < b) and how many hashes of the
    bucket each pair shares; ``hs``/``rs`` are the bucket's (hash, row) pairs, unique."""
    order = np.lexsort((rs, hs))
    hs, rs = hs[order], rs[order].astype(np.int64)
    if len(hs) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    keys = []
    # the k-th next entry of the same hash pairs with this one: one vector op per k
    k = 1
    while k < len(hs):
        same = hs[k:] == hs[:-k]
        if not same.any():
            break
        keys.append(rs[:-k][same] * n_rows + rs[k:][same])
        k += 1
    allk = np.concatenate(keys)
    return np.unique(allk, return_counts=True)


def _merge(parts) -> tuple[np.ndarray, np.ndarray]:
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    keys = np.concatenate([p[0] for p in parts])
    counts = np.concatenate([p[1] for p in parts])
    u, inv = np.unique(keys, return_inverse=True)
    return u, np.bincount(inv, weights=counts).astype(np.int64)


def candidate_pairs(hs: np.ndarray, rs: np.ndarray, n_rows: int, *, min_shared: int, n_buckets: int = 16,
                    backend: str = "serial", client: Any = None, progress: bool = False
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Article pairs ``(a, b, shared)`` with ``a < b`` sharing at least ``min_shared``
    distinct rare shingles, sorted by ``(a, b)``. ``hs``/``rs``: the rare shingles'
    hashes and rows (:func:`rare_shingles`)."""
    first = np.concatenate(([True], (hs[1:] != hs[:-1]) | (rs[1:] != rs[:-1]))) if len(hs) else np.zeros(0, bool)
    hu, ru = hs[first], rs[first]
    bucket = (hu % np.uint64(n_buckets)).astype(np.int64)
    order = np.argsort(bucket, kind="stable")
    bounds = np.searchsorted(bucket[order], np.arange(n_buckets + 1))
    pieces = [(hu[order[bounds[i]:bounds[i + 1]]], ru[order[bounds[i]:bounds[i + 1]]]) for i in range(n_buckets)]
    if backend == "dask":
        from ..parallel import dask_client, default_n_jobs
        with dask_client(default_n_jobs(), client) as dc:
            futures = [dc.submit(_bucket_pairs, h, r, n_rows, pure=False) for h, r in pieces]
            parts = dc.gather(futures)
    else:
        from tqdm.auto import tqdm
        parts = [_bucket_pairs(h, r, n_rows) for h, r in tqdm(pieces, desc="reuse: candidate pairs",
                                                                disable=not progress)]
    keys, counts = _merge(parts)
    keep = counts >= min_shared
    keys, counts = keys[keep], counts[keep]
    return (keys // n_rows).astype(np.int64), (keys % n_rows).astype(np.int64), counts
