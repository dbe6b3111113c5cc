"""Duplicates: exact copies and near-copies of articles, and the ids of copies.

One mechanism serves ``load_articles`` (one batch in memory) and the store (the
whole corpus, from signatures kept per part): MinHash signatures of word 3-gram
shingles (Broder 1997), LSH banding for candidate pairs (Leskovec, Rajaraman &
Ullman 2014, ch. 3), every candidate verified by the exact Jaccard, groups as
connected components whose first member in corpus order is kept.

Written here rather than taken from ``datasketch``: the signatures are computed for
all documents at once with numpy (no Python object per shingle), which is what makes
corpus-wide dedupe at ingest cheap; the method is the textbook one.
"""
from __future__ import annotations

import hashlib
import unicodedata
from typing import Callable, Iterable, Literal, Sequence

import numpy as np
import pandas as pd

# the user's functions (exported at the top level); the helpers (content_key, doc_id,
# choose_bands, union_find, lsh_candidates, duplicate_roots, NUM_PERM) stay in this module
__all__ = ["DUPLICATE_THRESHOLD", "Keep", "flag_duplicates", "kept_rows", "minhash_signatures", "publication_rank",
           "shingle_jaccard"]

#: Which copy of a duplicate group is kept: the earliest published (the original,
#: for any study of diffusion; undated copies after dated ones, ties in input
#: order), the first in input order, or the longest.
Keep = Literal["earliest", "first", "longest"]

#: Permutations of the signatures kept per article in the store.
NUM_PERM = 64
#: Word 3-gram Jaccard at and above which two articles are near-duplicates.
DUPLICATE_THRESHOLD = 0.8

_GRAM_MULT = np.uint64(0x100000001B3)  # FNV prime: k-gram hash h = h * P + id


_WS = np.zeros(0x3001, dtype=bool)  # what str.split() splits on
_WS[[*range(9, 14), *range(28, 33), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F,
     0x205F, 0x3000]] = True
_R = np.uint64(0x9E3779B97F4A7C15)  # odd, so invertible modulo 2^64
_R_INV = np.uint64(pow(0x9E3779B97F4A7C15, -1, 2**64))


def _word_hashes(texts: list[str], chunk_chars: int = 2_000_000) -> tuple[np.ndarray, np.ndarray]:
    """Hash of every casefolded whitespace-separated word, all documents concatenated, and
    the word count of each document (the words of ``str.split()``).

    Polynomial hashing over code points, vectorised with prefix sums modulo 2^64:
    ``h(word) = sum_j c_j R^(j - start)``, position-independent because R is invertible.
    """
    all_codes, all_lens = [], []
    i = 0
    n = len(texts)
    while i < n:
        batch, size = [], 0
        while i < n and (not batch or size < chunk_chars):
            t = texts[i].casefold()
            batch.append(t)
            size += len(t) + 1
            i += 1
        joined = "\n".join(batch)  # "\n" separates documents: words never span two
        arr = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        space = np.ones(len(arr), dtype=bool)
        small = arr <= 0x3000
        space[small] = _WS[arr[small]]
        space[~small] = False
        word = ~space
        edge = np.diff(np.concatenate(([False], word, [False])).astype(np.int8))
        starts = np.flatnonzero(edge == 1)
        ends = np.flatnonzero(edge == -1)
        with np.errstate(over="ignore"):
            a = arr.astype(np.uint64) + np.uint64(1)
            rpow = np.full(len(arr), _R, dtype=np.uint64)
            rpow[0] = 1
            np.cumprod(rpow, out=rpow)
            prefix = np.concatenate((np.zeros(1, dtype=np.uint64), np.cumsum(a * rpow, dtype=np.uint64)))
            rinv = np.full(len(arr), _R_INV, dtype=np.uint64)
            rinv[0] = 1
            np.cumprod(rinv, out=rinv)
            h = (prefix[ends] - prefix[starts]) * rinv[starts] + (ends - starts).astype(np.uint64)
        doc_start = np.concatenate(([0], np.cumsum([len(t) + 1 for t in batch])[:-1]))
        doc_of = np.searchsorted(doc_start, starts, side="right") - 1
        all_codes.append(h)
        all_lens.append(np.bincount(doc_of, minlength=len(batch)).astype(np.int64))
    if not all_codes:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    return np.concatenate(all_codes), np.concatenate(all_lens)


def _doc_shingles(codes: np.ndarray, lens: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of word k-grams of all documents at once, and each document's count.

    ``codes`` are the word ids of all documents concatenated, ``lens`` the word counts.
    A document shorter than ``k`` words gets one shingle made of all its words.
    """
    n_words = len(codes)
    ids = codes.astype(np.uint64) + np.uint64(1)
    counts = np.where(lens >= k, lens - k + 1, (lens > 0).astype(lens.dtype))
    if n_words == 0:
        return np.zeros(0, dtype=np.uint64), counts
    starts = np.concatenate(([0], np.cumsum(lens)[:-1]))
    h = np.zeros(n_words, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            part = np.zeros(n_words, dtype=np.uint64)
            part[: n_words - j] = ids[j:]
            h = h * _GRAM_MULT + part
    # keep grams that start at positions 0 .. len-k of their own document
    pos = np.arange(n_words) - np.repeat(starts, lens)
    keep = pos <= np.repeat(lens - k, lens)
    out = h[keep]
    short = np.flatnonzero((lens > 0) & (lens < k))
    if len(short):
        # rare: rebuild with one whole-document shingle for short documents, in order
        pieces, at = [], 0
        for d in range(len(lens)):
            if 0 < lens[d] < k:
                g = np.uint64(0)
                with np.errstate(over="ignore"):
                    for x in ids[starts[d]: starts[d] + lens[d]]:
                        g = g * _GRAM_MULT + x
                pieces.append(np.array([g], dtype=np.uint64))
            elif lens[d] >= k:
                pieces.append(out[at: at + counts[d]])
                at += counts[d]
        out = np.concatenate(pieces) if pieces else out
    return out, counts


def choose_bands(num_perm: int, threshold: float, recall: float = 0.99) -> int:
    """Fewest bands (longest rows) with P(candidate | Jaccard = threshold) >= recall."""
    for rows in range(num_perm, 0, -1):
        if num_perm % rows == 0:
            bands = num_perm // rows
            if 1.0 - (1.0 - threshold ** rows) ** bands >= recall:
                return bands
    return num_perm


def union_find(n: int):
    """Disjoint sets over 0..n-1 whose root is always the smallest index,
    so the first copy in input order represents its duplicate group."""
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    return find, union


def publication_rank(published) -> np.ndarray:
    """Rank of each row in time: the earliest published first, undated rows last,
    ties in input order. The one order of "first" for duplicates (load and store)
    and for reuse (the origin of a passage)."""
    pub = pd.to_datetime(pd.Series(published), errors="coerce").to_numpy("datetime64[ns]")
    key = np.where(np.isnat(pub), np.iinfo(np.int64).max, pub.astype(np.int64))
    order = np.lexsort((np.arange(len(key)), key))
    rank = np.empty(len(key), dtype=np.int64)
    rank[order] = np.arange(len(key))
    return rank


def kept_rows(root: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """For each row, the row kept for its duplicate group (``root`` as
    :func:`duplicate_roots` gives it): the member of lowest ``rank``."""
    root = np.asarray(root, dtype=np.int64)
    best = {}
    for i, r in enumerate(root.tolist()):
        b = best.get(r)
        if b is None or rank[i] < rank[b]:
            best[r] = i
    return np.array([best[r] for r in root.tolist()], dtype=np.int64)


def content_key(title: str | None, text: str) -> str:
    """What an article's id is computed from: NFC title and clean text."""
    return unicodedata.normalize("NFC", (title or "") + "\n\n" + text)


def doc_id(key: str, copy: int = 1) -> str:
    """First 16 hex digits of SHA-1 of ``key``; the k-th identical copy (k >= 2, in
    corpus order) hashes ``key + "#k"``, so ids stay unique and reproducible."""
    data = key if copy == 1 else f"{key}#{copy}"
    return hashlib.sha1(data.encode("utf-8")).hexdigest()[:16]


def article_id(title: str | None, text: str, copy: int = 1) -> str:
    """The one home of an article's ``doc_id``, for the loader and the store alike:
    :func:`doc_id` of its :func:`content_key` (a title that is not text counts as none)."""
    return doc_id(content_key(title if isinstance(title, str) else None, text), copy)


def copy_numbers(keys: Iterable) -> list[int]:
    """For each key in corpus order, which copy of it this is (1, 2, ...): the ``copy``
    of :func:`article_id`, so identical articles get distinct, reproducible ids."""
    seen: dict = {}
    out = []
    for k in keys:
        seen[k] = seen.get(k, 0) + 1
        out.append(seen[k])
    return out


def lsh_candidates(sig: np.ndarray, bands: int) -> set[tuple[int, int]]:
    """Row pairs ``(i, j)``, ``i < j``, of ``sig`` that share a band bucket: each member
    of a bucket pairs with the bucket's first member (Leskovec et al. 2014, ch. 3)."""
    rows = sig.shape[1] // bands
    cand: set[tuple[int, int]] = set()
    with np.errstate(over="ignore"):
        for bnd in range(bands):
            key = np.zeros(len(sig), dtype=np.uint64)
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
                a, b = int(order[head[j]]), int(order[j])
                cand.add((min(a, b), max(a, b)))
    return cand


def duplicate_roots(exact: np.ndarray, sig: np.ndarray | None, similar: Callable[[int, int], bool], *,
                    bands: int, prepare: Callable[[set[int]], None] | None = None) -> np.ndarray:
    """Duplicate groups as the index of each row's group root (the smallest index).

    ``exact`` (uint64, 0 = empty text) joins identical texts; candidate pairs of the
    LSH bands of ``sig`` (None: exact copies only) are joined when ``similar(i, j)`` (the exact Jaccard check)
    holds; ``prepare`` is first called with every row of a candidate pair (to read
    their texts in one pass). Empty texts are never duplicates.
    """
    n = len(exact)
    find, union = union_find(n)
    first: dict[int, int] = {}
    for i in np.flatnonzero(exact != 0).tolist():
        j = first.setdefault(int(exact[i]), i)
        if j != i:
            union(j, i)
    ids = np.flatnonzero(exact != 0)
    if sig is not None and len(ids) > 1:
        cand = sorted((int(ids[a]), int(ids[b])) for a, b in lsh_candidates(sig[ids], bands))
        cand = [(i, j) for i, j in cand if find(i) != find(j)]
        if prepare is not None and cand:
            prepare({x for p in cand for x in p})
        for i, j in cand:
            if find(i) != find(j) and similar(i, j):
                union(i, j)
    return np.array([find(i) for i in range(n)], dtype=np.int64)


def _jaccard_checker(texts: list[str], shingle_size: int, threshold: float) -> Callable[[int, int], bool]:
    codes, lens = _word_hashes(texts)
    allsh, counts = _doc_shingles(codes, lens, shingle_size)
    offsets = np.concatenate(([0], np.cumsum(counts)))
    cache: dict[int, np.ndarray] = {}

    def shingles(i: int) -> np.ndarray:
        if i not in cache:
            cache[i] = np.unique(allsh[offsets[i]: offsets[i + 1]])
        return cache[i]

    def similar(i: int, j: int) -> bool:
        si, sj = shingles(i), shingles(j)
        if not len(si) or not len(sj):
            return False
        inter = len(np.intersect1d(si, sj, assume_unique=True))
        return inter / (len(si) + len(sj) - inter) >= threshold

    return similar


def flag_duplicates(df: pd.DataFrame, *, text_col: str = "text", threshold: float = DUPLICATE_THRESHOLD,
                    random_state: int = 0, shingle_size: int = 3, num_perm: int = NUM_PERM,
                    bands: int | None = None, keep: Keep = "earliest") -> pd.DataFrame:
    """Flag exact and near-duplicate articles; returns a copy with ``is_duplicate``, ``duplicate_of``.

    Exact duplicates share the hash of their casefolded word sequence. Near-duplicates
    have a Jaccard similarity of word ``shingle_size``-grams of at least ``threshold``:
    candidate pairs come from :func:`minhash_signatures` banded into LSH buckets
    (``num_perm`` permutations in ``bands`` bands; by default the fewest bands that still
    make a pair at the threshold a candidate with probability >= 0.99), and every
    candidate pair is verified with the exact Jaccard, so there are no false positives.
    Groups are the connected components of the verified pairs; in each group one
    article is kept (``keep``: ``"earliest"`` published, the original, with undated
    copies after dated ones and ties in input order, see :func:`publication_rank`;
    ``"first"`` in input order; ``"longest"``, ties by order), and the others point to
    its ``doc_id`` (or index label when there is no ``doc_id`` column). Without a
    ``published`` column, ``"earliest"`` is ``"first"``. Empty texts are never
    duplicates.
    """
    from ._options import check_choice
    check_choice("keep", keep, Keep)
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    if text_col not in df.columns:
        raise ValueError(f"column {text_col!r} not in DataFrame")
    if bands is None:
        bands = choose_bands(num_perm, threshold)
    if bands < 1 or num_perm % bands:
        raise ValueError("num_perm must be a positive multiple of bands")
    out = df.copy()
    texts = ["" if not isinstance(t, str) else t for t in df[text_col].tolist()]
    sig, exact = minhash_signatures(texts, shingle_size=shingle_size, num_perm=num_perm,
                                    random_state=random_state)
    root = duplicate_roots(exact, sig if threshold < 1.0 else None, _jaccard_checker(texts, shingle_size, threshold), bands=bands)
    ids = out["doc_id"].tolist() if "doc_id" in out.columns else list(out.index)
    is_dup = [False] * len(texts)
    dup_of: list[object] = [None] * len(texts)
    groups: dict[int, list[int]] = {}
    for i, r in enumerate(root.tolist()):
        groups.setdefault(r, []).append(i)
    rank = (publication_rank(df["published"]) if keep == "earliest" and "published" in df.columns
            else np.arange(len(texts)))
    for members in groups.values():
        if len(members) < 2:
            continue
        kept = (min(members, key=lambda i: rank[i]) if keep != "longest"
                else max(members, key=lambda i: (len(texts[i]), -i)))
        for i in members:
            if i != kept:
                is_dup[i] = True
                dup_of[i] = ids[kept]
    out["is_duplicate"] = is_dup
    out["duplicate_of"] = pd.Series(dup_of, index=out.index, dtype=object)
    return out


def minhash_signatures(texts: Sequence[str], *, shingle_size: int = 3, num_perm: int = 64,
                       random_state: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Compact duplicate fingerprints of texts, for deduplication across batches.

    Returns ``(signatures, exact)``: ``signatures`` a ``(n, num_perm)`` uint32 array, the
    MinHash of each text's word ``shingle_size``-grams under the same hash family and
    ``random_state`` as :func:`flag_duplicates` (the top 32 bits of each 64-bit minimum;
    Broder 1997), and ``exact`` a uint64 hash of the casefolded word sequence (equal for
    the texts :func:`flag_duplicates` calls exact copies). Empty texts get ``exact == 0``
    and an all-``0xFFFFFFFF`` signature. The fraction of equal signature entries estimates
    the Jaccard similarity.
    """
    texts = ["" if not isinstance(t, str) else t for t in texts]
    n = len(texts)
    sig = np.full((n, num_perm), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    exact = np.zeros(n, dtype=np.uint64)
    if not n:
        return sig, exact
    codes, lens = _word_hashes(texts)
    word_off = np.concatenate(([0], np.cumsum(lens)))
    for i in np.flatnonzero(lens > 0).tolist():
        d = hashlib.sha1(codes[word_off[i]: word_off[i + 1]].tobytes()).digest()
        exact[i] = int.from_bytes(d[:8], "little") or 1
    allsh, counts = _doc_shingles(codes, lens, shingle_size)
    offsets = np.concatenate(([0], np.cumsum(counts)))
    nonempty = np.flatnonzero(counts > 0)
    if len(nonempty):
        rng = np.random.default_rng(random_state)
        a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
        b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
        starts = offsets[nonempty]
        with np.errstate(over="ignore"):
            for p in range(num_perm):
                m = np.minimum.reduceat(allsh * a[p] + b[p], starts)
                sig[nonempty, p] = (m >> np.uint64(32)).astype(np.uint32)
    return sig, exact


def shingle_jaccard(a: str, b: str, *, shingle_size: int = 3) -> float:
    """Exact Jaccard similarity of the casefolded word ``shingle_size``-grams of two
    texts, as :func:`flag_duplicates` verifies candidate pairs (0.0 if either is empty)."""
    codes, lens = _word_hashes([a or "", b or ""])
    sh, counts = _doc_shingles(codes, lens, shingle_size)
    if not counts[0] or not counts[1]:
        return 0.0
    sa, sb = np.unique(sh[: counts[0]]), np.unique(sh[counts[0]:])
    inter = len(np.intersect1d(sa, sb, assume_unique=True))
    return inter / (len(sa) + len(sb) - inter)
