"""Passage boundaries in a candidate pair: seed, chain, extend, align.

Seed-and-extend local alignment (the BLAST scheme, as passim uses it): shared rare
n-grams on one diagonal are exact anchors; anchors are chained in order on both
sides, scoring matched words +1 and edits -1 (the words between two anchors are
aligned to count them), and a chain is cut where its score would fall to zero and trimmed to its best end (Kadane's
maximum-scoring segment, i.e. Smith-Waterman at the anchor level: a stray shared
n-gram far from the passage costs more than it brings). Each end is then extended
by a small Smith-Waterman over the next ``extend`` words (match +1, mismatch and gap
-1), and the words in between are aligned by Levenshtein (``rapidfuzz``, C++) for
the aligned length, the identity and the edits.
"""
from __future__ import annotations

import numpy as np
from rapidfuzz.distance import Levenshtein

__all__ = ["matches", "anchors", "chain", "extend_end", "align", "MATCH"]

#: Score of a matched word; a mismatch, an insertion or a deletion scores -1 (passim's
#: and BLAST's ratio: a passage survives about one edit in three words).
MATCH = 2


def matches(ha, pa, hb, pb) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(i, j)`` where article a's shingle at i equals b's at j (both sorted by hash)."""
    lo = np.searchsorted(hb, ha, side="left")
    hi = np.searchsorted(hb, ha, side="right")
    cnt = hi - lo
    if not cnt.any():
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    ia = np.repeat(np.arange(len(ha)), cnt)
    start = np.repeat(np.cumsum(cnt) - cnt, cnt)
    ib = lo[ia] + (np.arange(int(cnt.sum())) - start)
    return pa[ia].astype(np.int64), pb[ib].astype(np.int64)


def anchors(i: np.ndarray, j: np.ndarray, n: int) -> list[tuple[int, int, int, int]]:
    """Exact runs ``(a0, a1, b0, b1)`` (ends exclusive): shingle matches on one
    diagonal that overlap or touch, sorted by ``(a0, b0)``."""
    if not len(i):
        return []
    diag = j - i
    order = np.lexsort((i, diag))
    i, diag = i[order], diag[order]
    new = np.concatenate(([True], (diag[1:] != diag[:-1]) | (i[1:] - i[:-1] > n)))
    starts = np.flatnonzero(new)
    ends = np.concatenate((starts[1:], [len(i)])) - 1
    out = [(int(i[s]), int(i[e]) + n, int(i[s] + diag[s]), int(i[e] + diag[s]) + n)
           for s, e in zip(starts, ends)]
    out.sort()
    return out


def chain(anc: list[tuple[int, int, int, int]], max_gap: int, a: np.ndarray, b: np.ndarray
          ) -> list[tuple[int, int, int, int]]:
    """Maximum-scoring chains of anchors, as ``(a0, a1, b0, b1)``.

    The score counts matched words +1 and edits -1: an anchor joins the open chain it
    gains most from, its new words plus the gap's own alignment (the words of ``a``
    and ``b`` between the two anchors, by Levenshtein: matched minus edits). A chain
    whose score would not survive the gap is not joined (Kadane's reset), and each
    chain ends at its best-scoring anchor."""
    chains: list[dict] = []
    open_: list[dict] = []
    for a0, a1, b0, b1 in anc:
        best, best_score = None, 0
        for c in open_:
            la0, _, lb0, _ = c["last"]
            if a0 <= la0 or b0 <= lb0 or a1 <= c["a1"] or b1 <= c["b1"]:
                continue
            ga, gb = max(a0 - c["a1"], 0), max(b0 - c["b1"], 0)
            if max(ga, gb) > max_gap:
                continue
            edits = Levenshtein.distance(a[c["a1"]:a0].tolist(), b[c["b1"]:b0].tolist()) if ga or gb else 0
            gap_score = MATCH * (max(ga, gb) - edits) - edits  # matched words, edits
            if c["score"] + gap_score <= 0:
                continue
            new_words = MATCH * min(a1 - max(a0, c["a1"]), b1 - max(b0, c["b1"]))
            if c["score"] + gap_score + new_words > best_score:
                best, best_score = c, c["score"] + gap_score + new_words
        if best is None:
            best = {"start": (a0, b0), "score": MATCH * (a1 - a0), "best": -1}
            open_.append(best)
            chains.append(best)
        else:
            best["score"] = best_score
        best["last"], best["a1"], best["b1"] = (a0, a1, b0, b1), a1, b1
        if best["score"] >= best["best"]:
            best["best"], best["end"] = best["score"], (a1, b1)
        # chains whose end is far behind can no longer grow
        open_ = [c for c in open_ if a0 - c["a1"] <= max_gap]
    return [(c["start"][0], c["end"][0], c["start"][1], c["end"][1]) for c in chains]


def extend_end(a, b, width: int, band: int = 5, min_gain: int = MATCH) -> tuple[int, int]:
    """How many words of ``a`` and ``b`` (read from their start) the best alignment
    anchored at the start takes in: match +1, mismatch and gap -1, at most ``band``
    indels off the diagonal, ending on a match and gaining at least ``min_gain`` (one
    chance match after a mismatch is not an extension; a Smith-Waterman extension; the
    band keeps it to about ``width * (2 * band + 1)`` cells, in Python lists since
    numpy's per-call cost dominates at this size)."""
    a, b = list(a[:width]), list(b[:width])
    na, nb = len(a), len(b)
    if not na or not nb or not set(a) & set(b):
        return 0, 0
    low = -10 ** 6
    prev = [low] * (nb + 1)
    for y in range(min(nb, band) + 1):
        prev[y] = -y
    best, at = min_gain - 1, (0, 0)
    for x in range(1, na + 1):
        cur = [low] * (nb + 1)
        if x <= band:
            cur[0] = -x
        ax = a[x - 1]
        for y in range(max(1, x - band), min(nb, x + band) + 1):
            hit = ax == b[y - 1]
            s = prev[y - 1] + (MATCH if hit else -1)
            if prev[y] - 1 > s:
                s = prev[y] - 1
            if cur[y - 1] - 1 > s:
                s = cur[y - 1] - 1
            cur[y] = s
            if hit and s > best:
                best, at = s, (x, y)
        prev = cur
    return at


def align(a: np.ndarray, b: np.ndarray) -> tuple[int, int, list]:
    """``(matched words, aligned length, opcodes)`` of the Levenshtein alignment."""
    ops = Levenshtein.opcodes(a.tolist(), b.tolist())
    matched = columns = 0
    out = []
    for op in ops:
        la, lb = op.src_end - op.src_start, op.dest_end - op.dest_start
        if op.tag == "equal":
            matched += la
        columns += max(la, lb)
        out.append((op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end))
    return matched, columns, out
