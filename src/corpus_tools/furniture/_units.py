"""Text units and keys of the furniture learner: units of a line (words, digit runs,
marks, glued words cut at a case change), masks, patterns, guards, and the
checks against the language at large (sentence openings, common syllables)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

_RE_DIGITS = re.compile(r"\d+")
_RE_HAS_DIGIT = re.compile(r"\d")
# a unit: optional leading space, then a digit run, a letter run, or one other mark
_RE_UNIT = re.compile(r"(\s*)(\d+|[^\W\d_]+|[^\w\s]|_)")
_DELIMS = frozenset("-–—|")
_CLOSERS = frozenset(".!?…\"”’»)]:;")
# where real text begins: a dateline ("Sáng 9/5,", "Hôm qua") or a series marker
# ("Bài 2:") at the start of a sentence; units casefolded, digits "0"
_DATELINE_WORDS = frozenset({"rạng", "sáng", "trưa", "chiều", "tối", "đêm", "ngày", "hôm"})
_DATELINE_NEXT = frozenset({"nay", "qua", "mai", "ngày", "hôm", "sáng", "0"})
_SERIES_WORDS = frozenset({"bài", "kỳ", "kì", "phần", "tập"})
_SENTENCE_OPENERS = frozenset(".!?…:;-–—|")
_RE_SERIES = re.compile(r"(?:^|\s)(?:bài|kỳ|kì|phần|tập) 0(?:\s*[:.\-–]|$)")
# an inline block stands between sentences: after a sentence end, a delimiter or
# the line start, and before an upper-case letter, a digit, a quote or the line end
_INLINE_BEFORE = r"(?:(?<=[.!?…:;\"”’)|•·\-–—])\s*|^\s*|\s+(?=[|•·]))"
_UPPER = "".join(c for c in map(chr, range(0x41, 0x1EFA)) if c.isupper() and c.isalpha())
_INLINE_AFTER = rf"(?=\s*$|\s+[|•·\-–—]|\s*[\"“‘(\[]|\s*[{_UPPER}\d])"
_INLINE_SHINGLE = 3
_INLINE_SAMPLE = 500  # articles whose word 3-grams are counted; blocks are then checked on all

_MAX_HEAD_CHARS = 800
_MAX_UNITS = 120  # 50 words, their marks and counters, and the window after them
_HEAD_LINES = 8  # first lines of an article looked at for prefixes (menus, title, date, body)
_TAIL_LINES = 4
_DIVERGE = 0.75
_MAX_ROUNDS = 3  # learning again behind what was learnt: fragments stacked up to 4 deep
_GLUED_SHARE = 0.6
_FRAGMENT_SHARE = 0.1  # a fragment glued to text is in a tenth of the articles at least
# A block between sentences in a fifth of a source's articles is chrome. One in
# as little as 5% (a promo in a tenth of a site) is chrome only when it is not
# about the articles it sits in: a sentence repeated by follow-up stories shares
# their words, a betting promo in a political story does not.
_INLINE_COMMON_SHARE = 0.2
_INLINE_SHARE = 0.05
_INLINE_RELATED = 0.3  # median share of the block's telling syllables found in the rest of the article
_INLINE_RARE_DOCS = 10  # a block under a fifth of the articles needs this many of them
_SENTENCE_SHARE = 0.2
_RE_SENTENCE = re.compile(r"(?:\S+ ){7,}\S*[.!?…\"”]$")


@lru_cache(maxsize=1)
def _openings() -> frozenset[str]:
    """How real sentences begin (casefolded words, digits as 0): see rule 6."""
    from .._resources import read_resource_lines, resource_path
    return frozenset(read_resource_lines(resource_path("sentence_openers.txt")))


def _is_opening(units: Sequence[str]) -> bool:
    """Are the words of a fragment an ordinary sentence opening of the language?"""
    words = [u.strip() for u in units if u.strip()[:1].isalnum()]
    return bool(words) and " ".join(words) in _openings()


def line_key(text: str) -> str:
    """Comparison key of a whole line: casefolded, single spaces; in short lines
    digits become 0, so that counters ("Lượt xem: 1.234") recur, while templated
    sentences with numbers do not."""
    low = text.casefold()
    if low.count(" ") >= 8:
        return low if ("  " not in low and "\t" not in low) else " ".join(low.split())
    low = " ".join(low.split())
    return _RE_DIGITS.sub("0", low) if _RE_HAS_DIGIT.search(low) else low


def _masked(text: str) -> str:
    """Key of running text: casefolded, single spaces, digit runs -> 0."""
    return _RE_DIGITS.sub("0", " ".join(text.casefold().split()))


def _units(text: str, limit: int | None = _MAX_UNITS) -> list[str]:
    """Units of a text, each with its leading space (" " or ""), casefolded and
    digit-masked; a letter run is cut where lower case meets upper case, so that
    words glued without a space ("bạnSáng") are two units."""
    out = []
    for m in _RE_UNIT.finditer(text):
        ws = " " if m.group(1) else ""
        core = m.group(2)
        if core[0].isdigit():
            out.append(ws + "0")
            continue
        start = 0
        rest = core[1:]
        for k in range(1, len(core) if rest != rest.lower() else 1):  # capitals inside: glued?
            if _glue_at(core, k):
                out.append(ws + core[start:k].casefold())
                ws, start = "", k
        out.append(ws + core[start:].casefold())
        if limit is not None and len(out) >= limit:
            break
    return out


def _glue_at(s: str, k: int) -> bool:
    """Two words glued without a space meet at ``k``: "bạnSáng", "TTXVNMà" (an
    acronym, then a capitalised word)."""
    a, b = s[k - 1], s[k]
    if not b.isupper():
        return False
    return a.islower() or (a.isupper() and k + 1 < len(s) and s[k + 1].islower())


def _tail_units(text: str) -> list[str]:
    """Units of the end of a text, last first."""
    cut = text[-_MAX_HEAD_CHARS:]
    units = _units(cut, None)
    if len(cut) < len(text) and units:
        units = units[1:]  # the first may be the end of a word cut in two
    return units[-_MAX_UNITS:][::-1]


def _guard_at(units: Sequence[str]) -> int | None:
    """Index of the first unit where real text begins (dateline, series marker), or None."""
    for i in range(len(units) - 1):
        core = units[i].strip()
        if core not in _DATELINE_WORDS and core not in _SERIES_WORDS:
            continue
        prev = units[i - 1].strip() if i else ""
        glued = i > 0 and not units[i].startswith(" ") and prev[:1].isalpha()
        if i and not glued and prev not in _SENTENCE_OPENERS:
            continue  # "Cập nhật ngày 9/5": a date inside the fragment
        nxt = units[i + 1].strip()
        if (core in _DATELINE_WORDS and nxt in _DATELINE_NEXT) or (core in _SERIES_WORDS and nxt == "0"):
            return i
    return None


def _n_words(units: Sequence[str]) -> int:
    """Words among units: letter runs (a counter's digits are not words)."""
    return sum(1 for u in units if u.strip()[:1].isalpha())


def _join(units: Sequence[str]) -> str:
    return "".join(units).strip()


def _pattern(units: Sequence[str]) -> str:
    """Regex of a fragment's units: digits match any number, spaces any spacing."""
    parts = []
    for i, u in enumerate(units):
        core = u.strip()
        if i and u.startswith(" "):
            parts.append(r"\s+")
        parts.append(r"\d+" if core == "0" else re.escape(core))
    return "".join(parts)


def _strip_delims(units: list[str]) -> list[str]:
    while units and units[-1].strip() in _DELIMS:
        units = units[:-1]
    return units


def _at_boundary(s: str, k: int) -> bool:
    """True when position ``k`` of ``s`` is between two units (not inside a word)."""
    if k <= 0 or k >= len(s):
        return True
    a, b = s[k - 1], s[k]
    if not (a.isalnum() and b.isalnum()):
        return True
    if a.isdigit() != b.isdigit():
        return True
    return _glue_at(s, k)


def _edge_lines(lines: Sequence[str], most: int) -> list[str]:
    """Lines of one edge of an article: up to ``most``, through the first
    paragraph-like line (25 words or more: longer than most titles), where
    glued fragments sit."""
    out = []
    for ln in lines[:most]:
        out.append(ln)
        if ln.count(" ") >= 24:
            break
    return out


def _undoubled(line: str, tail: bool, most: int = 400) -> str:
    """``line`` with a piece written twice at its edge kept once (``…Nguồn: X
    Nguồn: X`` -> ``…Nguồn: X``), so the piece is learnt as what each copy is;
    :meth:`Furniture.split` then cuts every copy."""
    n = len(line)
    for size in range(min(most, n // 2), 5, -1):
        if tail:
            a, b = line[n - 2 * size:n - size], line[n - size:]
        else:
            a, b = line[:size], line[size:2 * size]
        # a piece of two words or more with letters: "32/64GB 32/64GB" in a table is text
        if a == b and any(c.isalpha() for c in a) and len(a.split()) >= 2:
            return line[:n - size] if tail else line[size:]
    return line


_SYLLABLE_RE = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _common_syllables() -> frozenset[str]:
    """The syllables of the language found in the most articles (from the shared
    corpora: ``tools/make_sentence_openers.py``): they tell nothing of a topic."""
    from .._resources import read_resource_lines, resource_path
    return frozenset(read_resource_lines(resource_path("common_syllables.txt")))


def _context_share(block: str, rest: str) -> float:
    """Share of the block's telling syllables (not among the language's most
    common) that occur in the rest of its article; 1.0 when it has none."""
    common = _common_syllables()
    words = {w for w in _SYLLABLE_RE.findall(block.casefold()) if w not in common}
    if not words:
        return 1.0
    return len(words & set(_SYLLABLE_RE.findall(rest.casefold()))) / len(words)


def _at_edge(body: str, k: int, end: int, key: str, reverse: bool) -> bool:
    """Is the occurrence ``body[k:end]`` of ``key`` at its line's edge, once the
    fragment's own further copies are passed over (a credit written twice)?"""
    if reverse:
        rest = body[end:body.find("\n", end) if "\n" in body[end:] else len(body)]
        while rest.lstrip().startswith(key):
            rest = rest.lstrip()[len(key):]
        return not rest.strip()
    start = body.rfind("\n", 0, k) + 1
    head = body[start:k]
    while head.rstrip().endswith(key):
        head = head.rstrip()[: len(head.rstrip()) - len(key)]
    return not head.strip()
