"""A trie of unit sequences, held as sorted byte strings.

Sequences of units (words, marks) are encoded as fixed-width ids, sorted, and
the trie's branching nodes read off the longest-common-prefix intervals of
neighbours (Abouelhoda, Kurtz & Ohlebusch 2004, *J. Discrete Algorithms*
2(1)): compact to hold for tens of thousands of articles and fast to build,
where a dict-of-dicts trie would take gigabytes.
"""
from __future__ import annotations

import bisect
from typing import Iterable, Sequence

__all__ = ["Vocab", "Trie", "lcp_intervals"]

_W = 3  # bytes per unit id in an encoded sequence (16.7 million unit types per source)
_TOP = b"\xff" * _W


class Vocab:
    """Unit strings <-> fixed-width ids: a line's units become one short bytes
    object, compact to hold for 40,000 articles and fast to sort and compare."""

    def __init__(self):
        self.ids: dict[str, bytes] = {}
        self.units: list[str] = []

    def encode(self, units: Sequence[str]) -> bytes:
        out = []
        for u in units:
            b = self.ids.get(u)
            if b is None:
                b = self.ids[u] = len(self.units).to_bytes(_W, "big")
                self.units.append(u)
            out.append(b)
        return b"".join(out)

    def unit(self, seq: bytes, i: int) -> str:
        return self.units[int.from_bytes(seq[i * _W:(i + 1) * _W], "big")]

    def decode(self, seq: bytes, depth: int | None = None) -> tuple[str, ...]:
        n = len(seq) // _W if depth is None else depth
        return tuple(self.unit(seq, i) for i in range(n))


def _lcp(a: bytes, b: bytes) -> int:
    """Common prefix of two encoded sequences, in units (binary search on slices)."""
    if a[:_W] != b[:_W]:
        return 0
    n = min(len(a), len(b)) // _W
    if a[:n * _W] == b[:n * _W]:
        return n
    lo, hi = 1, n
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[:mid * _W] == b[:mid * _W]:
            lo = mid
        else:
            hi = mid
    return lo


def lcp_intervals(seqs: list[bytes]) -> Iterable[tuple[int, int, int, int]]:
    """LCP intervals of sorted sequences: ``(depth, lo, hi, largest child)``
    for every branching node of their trie (Abouelhoda et al. 2004, alg. 4.1);
    ``hi`` is exclusive and a child of one member counts 1."""
    n = len(seqs)
    lcp = [0] + [_lcp(seqs[i - 1], seqs[i]) for i in range(1, n)] + [-1]
    stack = [[0, 0, 1]]  # depth, lo, largest child
    for i in range(1, n + 1):
        lo = i - 1
        done = None
        while stack and lcp[i] < stack[-1][0]:
            depth, lo, big = stack.pop()
            size = i - lo
            yield depth, lo, i, big
            done = size
            if stack and lcp[i] <= stack[-1][0]:
                stack[-1][2] = max(stack[-1][2], size)
                done = None
        if stack and lcp[i] > stack[-1][0]:
            stack.append([lcp[i], lo, done or 1])


class Trie:
    """Sequences with the article each came from, sorted: the nodes of their trie."""

    def __init__(self, entries: list[tuple[bytes, int]], vocab: Vocab):
        entries.sort()
        self.seqs = [e[0] for e in entries]
        self.docs = [e[1] for e in entries]
        self.vocab = vocab

    def node(self, i: int, depth: int) -> tuple[str, ...]:
        return self.vocab.decode(self.seqs[i], depth)

    def range(self, prefix: tuple) -> tuple[int, int, bytes]:
        key = self.vocab.encode(prefix)
        lo = bisect.bisect_left(self.seqs, key)
        hi = bisect.bisect_left(self.seqs, key + _TOP, lo)
        return lo, hi, key

    @staticmethod
    def window(seq: bytes, start: int, stop: int) -> bytes:
        """Units ``start:stop`` of an encoded sequence (comparable, not decoded)."""
        return seq[start * _W:stop * _W]

    def next_units(self, prefix: tuple) -> Iterable[tuple[bytes, int, str, str]]:
        """(sequence, article, unit after the prefix, its last unit) per member."""
        lo, hi, _ = self.range(prefix)
        d = len(prefix)
        last = prefix[-1] if prefix else ""
        for s, doc in zip(self.seqs[lo:hi], self.docs[lo:hi]):
            if len(s) > d * _W:  # a fragment is followed by text
                yield s, doc, self.vocab.unit(s, d), last
