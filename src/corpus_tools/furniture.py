"""Site furniture learnt by repetition across the articles of one source.

No rule list knows the chrome of a site the project has never seen: a "saved
article" notice glued to the first sentence, a source credit glued to the last,
a share widget in the middle of a one-line export. What gives it away is
repetition: the same words, at the same edge of the text, in many articles of one
source, followed (or preceded) by text that differs from article to article.

:func:`find_furniture` learns four kinds from the articles of one source:

- ``lines``: whole lines that recur (a site name, a menu, "Theo dõi ... trên Zalo");
- ``prefixes``: fragments that open a line, of 1 to ``max_fragment_words`` words,
  before a dash or bar or glued to the text that follows (``"SHO - "``,
  ``"Bạn đã lưu bài viết thành công ...Sáng 9/5"``);
- ``suffixes``: fragments that close a line (``". Theo TTXVN"``);
- ``inline``: whole sentence-like segments that recur inside lines (a "Xem thêm"
  or "Lưu bài viết" widget between two sentences).

Edges are found with a trie of the lines' first (last) units — words, digit runs,
punctuation marks, and the pieces of words glued at a lower/upper case change —
built by sorting and longest-common-prefix intervals (Abouelhoda, Kurtz &
Ohlebusch 2004, *J. Discrete Algorithms* 2(1)), so a 40,000-article source is
learnt in seconds. Digits are masked, so counters, dates and view counts inside a
fragment do not break it. A node of the trie is a fragment when

1. enough articles share it (document frequency; see ``min_docs``, ``min_share``
   and the length rule below),
2. the text after it diverges: no single next unit follows it in more than
   ``3/4`` of those articles (otherwise the fragment goes on, or it is
   the common opening of real text),
3. the articles that share it are not copies of one story: their text a few
   words further on must differ (syndicated openings are not furniture),
4. it does not occur inside the running text of the source as well (a
   formula that also opens titles, "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần
   thứ ...", is language, not chrome), and
5. it does not reach into a dateline (``Sáng 9/5,``, ``Ngày 12/3``) or a series
   marker (``Bài 2:``, ``Kỳ 3``): the fragment is cut before them, and
6. a fragment glued to the text is not an ordinary opening of the language
   (``Trong khi đó,``, ``Theo thông tin từ``): the openings of real sentences
   found in the shared corpora (``resources/sentence_openers.txt``, written by
   ``tools/make_sentence_openers.py``) are never furniture, however often one
   small source repeats them.

The length rule: a fragment bounded by a dash or bar needs ``min_share`` of the
articles; one glued to the text needs ``max(min_share, 0.6 / words)`` of them
(a 3-word fragment 20%, a 12-word one 5%), because short common openings of real
text are frequent and long ones are not.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

from ._trie import Trie, Vocab, lcp_intervals

__all__ = ["Furniture", "FurnitureLearner", "find_furniture", "line_key"]

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
    from ._resources import read_resource_lines, resource_path
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


@dataclass(frozen=True)
class Furniture:
    """Site furniture learnt by :func:`find_furniture`, as comparison keys.

    ``lines``: whole lines (keyed by :func:`line_key`); ``prefixes``/``suffixes``:
    fragments that open or close a line, ``inline``: recurring segments inside a
    line, all casefolded with digits as ``0`` (``"sho"``, ``"theo ttxvn"``).
    """

    lines: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    inline: tuple[str, ...] = ()
    articles: int = field(default=0, compare=False)  # how many it was learnt from
    _prefix_re: re.Pattern | None = field(default=None, init=False, repr=False, compare=False)
    _suffix_re: re.Pattern | None = field(default=None, init=False, repr=False, compare=False)
    _inline_re: re.Pattern | None = field(default=None, init=False, repr=False, compare=False)
    _longest: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self):
        def alt(keys):
            pats = [_pattern(_units(k)) for k in keys]
            return "|".join(sorted(set(pats), key=len, reverse=True))

        if self.prefixes:
            object.__setattr__(self, "_prefix_re", re.compile(
                rf"\s*(?:{alt(self.prefixes)})(?:\s*[-–—|])?\s*", re.I))
        if self.suffixes:
            object.__setattr__(self, "_suffix_re", re.compile(
                rf"(?:\s*[-–—|]\s*|\s*)(?:{alt(self.suffixes)})\s*$", re.I))
        if self.inline:
            object.__setattr__(self, "_inline_re", re.compile(
                rf"{_INLINE_BEFORE}(?i:{alt(self.inline)}){_INLINE_AFTER}"))
        longest = max((len(k) for k in (*self.prefixes, *self.suffixes)), default=0)
        object.__setattr__(self, "_longest", 2 * longest + 40)  # digits may be longer than 0

    def __bool__(self) -> bool:
        return bool(self.lines or self.prefixes or self.suffixes or self.inline)

    def is_line(self, line: str) -> bool:
        return bool(self.lines) and line_key(line) in self.lines

    def split(self, line: str) -> tuple[str, str, str]:
        """``(prefix, rest, suffix)`` of a line with the edge fragments cut off,
        again and again while one is left: a credit written twice
        (``Nguồn: X Nguồn: X``) or two fragments stacked (``SHO - Bạn đã lưu ...``)."""
        prefix = suffix = ""
        while self._prefix_re is not None:
            m = self._prefix_re.match(line, 0, min(len(line), self._longest))
            if not (m and m.end() and m.end() < len(line) and _at_boundary(line, m.end())):
                break
            prefix, line = prefix + line[: m.end()], line[m.end():]
        while self._suffix_re is not None:
            cut = max(0, len(line) - self._longest)
            m = self._suffix_re.search(line, cut)
            if not (m and m.start() > 0 and m.start() < len(line)
                    and _at_boundary(line, m.start() + len(m.group()) - len(m.group().lstrip()))):
                break
            suffix, line = line[m.start():] + suffix, line[: m.start()]
        return prefix, line, suffix

    def split_inline(self, line: str) -> tuple[str, list[str]]:
        """``(line without the inline blocks, [removed blocks])``."""
        if self._inline_re is None or len(line) < 8:
            return line, []
        removed = [m.group() for m in self._inline_re.finditer(line)]
        if not removed:
            return line, []
        rest = " ".join(self._inline_re.sub(" ", line).split())
        if not rest:
            return line, []
        return rest, [r.strip() for r in removed]

    def describe(self) -> dict[str, list[str]]:
        """The learnt keys by kind, sorted (for reports)."""
        return {"articles": self.articles, "lines": sorted(self.lines), "prefixes": list(self.prefixes),
                "suffixes": list(self.suffixes), "inline": list(self.inline)}


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


# ---------------------------------------------------------------- learning

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
    from ._resources import read_resource_lines, resource_path
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


def _edge_stats(edge: Trie, prefix: tuple) -> tuple[int, float, float, float, float]:
    """(articles, share of the commonest next unit, share of copies, share
    whose fragment is bounded by a sentence end or delimiter or glued, share
    followed by a delimiter)."""
    d = len(prefix)
    docs, nxt, windows = set(), Counter(), set()
    copies = bounded = delim = 0
    for s, doc, u, last in edge.next_units(prefix):
        if doc in docs:
            continue
        docs.add(doc)
        nxt[u] += 1
        core = u.strip()
        delim += core in _DELIMS
        if core in _CLOSERS or core in _DELIMS or not last.startswith(" "):
            bounded += 1
        # copies of one story go on alike after the fragment; chrome is followed by
        # text that differs (the next unit is skipped: "Sáng" opens many)
        w = edge.window(s, d + 1, d + 30)  # past a second fragment stacked behind this one
        if w:
            copies += w in windows
            windows.add(w)
    n = len(docs)
    if n == 0:
        return 0, 1.0, 1.0, 0.0, 0.0
    top = nxt.most_common(1)[0][1]
    return n, top / n, copies / n, bounded / n, delim / n


def find_furniture(docs: Iterable[Sequence[str]], *, min_docs: int = 3, min_share: float = 0.05,
                   max_words: int = 25, max_fragment_words: int = 50) -> Furniture:
    """Lines and fragments that recur across the articles of one source (see the module).

    A candidate counts once per article (document frequency). A whole line is
    furniture when it occurs in at least ``min_docs`` articles and in at least
    ``min_share`` of them; lines longer than ``max_words`` words need half of the
    articles (a long recurring paragraph is more likely a syndicated story than
    site chrome). Fragments follow the rules of the module docstring, up to
    ``max_fragment_words`` words. Date lines and series headings
    (``"... - Bài 2"``) are never furniture.
    """
    learner = FurnitureLearner(min_docs=min_docs, min_share=min_share, max_words=max_words,
                               max_fragment_words=max_fragment_words)
    for doc in docs:
        learner.add(doc)
    return learner.result()


class FurnitureLearner:
    """:func:`find_furniture` fed one article at a time (``add``, then ``result``),
    for sources too large to hold: it keeps keys and masked text, not articles."""

    def __init__(self, *, min_docs: int = 3, min_share: float = 0.05, max_words: int = 25,
                 max_fragment_words: int = 50):
        if min_docs < 1:
            raise ValueError("min_docs must be >= 1")
        if not 0.0 <= min_share <= 1.0:
            raise ValueError("min_share must be in [0, 1]")
        self.min_docs, self.min_share, self.max_fragment_words = min_docs, min_share, max_fragment_words
        self.max_words = max_words
        self.line_df: Counter[str] = Counter()
        self.long_df: Counter[str] = Counter()
        self.vocab = Vocab()
        self.heads: list[tuple[bytes, int, int]] = []  # (units, article, hash of line key)
        self.tails: list[tuple[bytes, int, int]] = []
        self.bodies: list[str] = []  # the text, digits masked: inline blocks and guards
        self._folded: list[str] | None = None
        self.seen: set[int] = set()

    def add(self, doc: Sequence[str]) -> None:
        lines = [" ".join(str(ln).split()) for ln in doc if ln is not None and str(ln).strip()]
        if not lines:
            return
        # copies of one story (syndicated, re-run, lightly edited) would make their own
        # lines recur: an article most of whose long lines were seen before is not counted
        long = {hash(ln) for ln in lines if ln.count(" ") >= 19} or {hash(tuple(lines))}
        if 2 * len(long & self.seen) > len(long):
            return
        self.seen |= long
        k = len(self.bodies)
        keys, long_keys = set(), set()
        for ln in lines:
            key = line_key(ln)
            (keys if key.count(" ") < self.max_words else long_keys).add(key)
        self.line_df.update(keys)
        self.long_df.update(long_keys)
        enc = self.vocab.encode
        for ln in _edge_lines(lines, _HEAD_LINES):
            self.heads.append((enc(_units(_undoubled(ln, False)[:_MAX_HEAD_CHARS])), k, hash(line_key(ln))))
        for ln in _edge_lines(lines[::-1], _TAIL_LINES):
            self.tails.append((enc(_tail_units(_undoubled(ln, True))), k, hash(line_key(ln))))
        self.bodies.append(_RE_DIGITS.sub("0", "\n".join(lines)))

    def result(self) -> Furniture:
        n = len(self.bodies)
        if n == 0:
            return Furniture()
        need = max(self.min_docs, self.min_share * n)
        need_long = max(need, 0.5 * n)
        # a line that reads as a sentence (a quotation repeated in a follow-up) needs a
        # fifth of the articles; chrome lines rarely end like sentences
        need_sentence = max(need, _SENTENCE_SHARE * n)
        lines = {k for k, c in self.line_df.items() if c >= need and not _RE_SERIES.search(k)
                 and (c >= need_sentence or not _RE_SENTENCE.search(k))} | {
            k for k, c in self.long_df.items() if c >= need_long}
        self.need, self.n, self.lines = need, n, lines
        prefixes = self._edge(self.heads, reverse=False)
        suffixes = self._edge(self.tails, reverse=True)
        for _ in range(_MAX_ROUNDS):  # fragments stacked behind the ones just learnt
            more_p, more_s = self._behind(Furniture(frozenset(lines), tuple(sorted(prefixes)),
                                                    tuple(sorted(suffixes))))
            more_p, more_s = more_p - prefixes, more_s - suffixes
            if not more_p and not more_s:
                break
            prefixes |= more_p
            suffixes |= more_s
        inline = self._inline()
        self.bodies, self._folded = [], None
        return Furniture(frozenset(lines), tuple(sorted(prefixes)), tuple(sorted(suffixes)),
                         tuple(sorted(inline)), articles=n)

    def _behind(self, furniture: "Furniture") -> tuple[set[str], set[str]]:
        """Fragments at the edges left once ``furniture``'s fragments are cut off
        (from the lines that had one): what was stacked behind them."""
        enc = self.vocab.encode
        heads, tails, stripped = [], [], []
        for k, body in enumerate(self.bodies):
            lines = [ln for ln in body.split("\n") if ln]
            cut = [furniture.split(ln) for ln in lines]
            stripped.append("\n".join(rest for _, rest, _ in cut))
            # every line that lost a fragment has a new edge, wherever it stands, when
            # the cut was between two units (punctuation, or a capital opening the
            # next): a cut between two lower-case words (a template peeled) is none
            for pre, rest, suf in cut:
                if pre and rest and (not pre.rstrip()[-1:].isalnum() or not rest[:1].islower()):
                    heads.append((enc(_units(_undoubled(rest, False)[:_MAX_HEAD_CHARS])), k, hash(line_key(rest))))
                if suf and rest and not suf.lstrip()[:1].islower():
                    tails.append((enc(_tail_units(_undoubled(rest, True))), k, hash(line_key(rest))))
        # what is left inside the text is judged on the text as it will be read
        bodies, folded = self.bodies, self._folded
        self.bodies, self._folded, self._stacked = stripped, None, True
        try:
            return self._edge(heads, reverse=False), self._edge(tails, reverse=True)
        finally:
            self.bodies, self._folded, self._stacked = bodies, folded, False

    def _needed(self, words: int, delimited: bool, least: float = 0.0) -> float:
        share = self.min_share if delimited else max(self.min_share, _GLUED_SHARE / max(words, 1))
        return max(self.need, max(share, least) * self.n)

    def _edge(self, entries, *, reverse: bool) -> set[str]:
        """Fragments at one edge: candidates from the trie's branching nodes,
        cut at guards, checked, and only the shortest of nested ones kept."""
        # lines that are furniture as a whole do not vote for fragments
        whole = {hash(k) for k in self.lines}
        entries = [(s, d) for s, d, h in entries if h not in whole]
        if len(entries) < self.need:
            return set()
        edge = Trie(entries, self.vocab)
        tried: dict[tuple, bool] = {}
        found: list[tuple] = []
        for depth, lo, hi, big in lcp_intervals(edge.seqs):
            if depth == 0 or hi - lo < self.need or big >= _DIVERGE * (hi - lo):
                continue
            node = edge.node(lo, depth)
            cands = [node]
            if reverse:  # a credit after a sentence end that many articles share
                cands += [node[:j] for j in range(1, depth) if node[j].strip() in _CLOSERS]
            for cand in cands:
                cut = self._cut(cand, reverse)
                if not cut[0] or cut in tried:
                    continue
                tried[cut] = ok = self._accept(edge, cut, reverse)
                if ok:
                    found.append(cut[0])
        if not reverse:  # "A - B" learnt: A alone too, for the lines where B is missing
            for frag in list(found):
                for j in range(1, len(frag)):
                    if frag[j].strip() in _DELIMS and self._head_of_stack(edge, tuple(frag[:j])):
                        found.append(tuple(frag[:j]))
                        break
        found.sort(key=len)
        kept: list[tuple] = []
        for p in found:
            if not any(p[:len(q)] == q for q in kept):
                kept.append(p)
        out = set()
        for p in kept:
            units = list(p[::-1]) if reverse else list(p)
            out.add(_masked(_join(units)))
        return out

    def _head_of_stack(self, edge: Trie, head: tuple) -> bool:
        """Is ``head``, the part of a learnt prefix before its inner delimiter, a
        fragment of its own? It needs the articles (a delimited fragment's share)
        and must not occur inside the text; its divergence is the learnt prefix's."""
        units = _strip_delims(list(head))
        if not units or _n_words(units) == 0:
            return False
        docs = _edge_stats(edge, head)[0]
        return docs >= self._needed(_n_words(units), True, _FRAGMENT_SHARE) and \
            not self._inside_text(_masked(_join(units)), docs, False)

    def _cut(self, prefix: tuple, reverse: bool) -> tuple[tuple, tuple]:
        """The candidate cut before a dateline or series marker, at most
        ``max_fragment_words`` words: ``(fragment, fragment with the delimiters
        at its inner end)``, both in trie order; ``((), ())`` if nothing is left."""
        units = list(prefix[::-1]) if reverse else list(prefix)
        g = _guard_at(units + [" x"])
        if g is not None:
            if reverse:
                return (), ()  # a credit does not hold the start of a dated sentence
            units = units[:g]
        full = units
        if reverse:
            while units and units[0].strip() in _DELIMS:
                units = units[1:]
        else:
            units = _strip_delims(units)
        if not units or _n_words(units) == 0 or _n_words(units) > self.max_fragment_words:
            return (), ()
        if reverse:
            return tuple(units[::-1]), tuple(full[::-1])
        return tuple(units), tuple(full)

    def _accept(self, edge: Trie, cut: tuple[tuple, tuple], reverse: bool) -> bool:
        frag, full = cut
        if reverse and getattr(self, "_stacked", False) and frag[0].strip() in (".", "!", "?", "…") \
                and not self._capitalised_ends(_masked(_join(list(frag[::-1])))):
            return False  # behind a credit, the end of a sentence is text; a second credit starts like one
        docs, top, copies, bounded, delim = _edge_stats(edge, full)
        delimited = len(full) > len(frag) or (top < _DIVERGE and delim >= 0.5)
        units = list(frag[::-1]) if reverse else list(frag)
        if reverse and bounded < 0.5 and not delimited and _n_words(units) < 4 \
                and not self._capitalised_ends(_masked(_join(units))):
            return False  # a common end of real sentences, not a credit after one
        # a credit after a sentence end is bounded by it: the text before may be shared
        diverges = top < _DIVERGE or (reverse and bounded >= 0.5)
        if docs < self._needed(_n_words(units), delimited, _FRAGMENT_SHARE) or not diverges or copies > 0.5:
            return False
        if not reverse and not delimited and _is_opening(units):
            return False  # "Trong khi đó," opens real sentences everywhere: language, not chrome
        return not self._inside_text(_masked(_join(units)), docs, reverse)

    def _capitalised_ends(self, key: str) -> bool:
        """Do most lines that end with ``key`` begin it with a capital letter? A
        credit or widget starts like a sentence; the end of a sentence does not."""
        if self._folded is None:
            self._folded = [b.casefold() for b in self.bodies]
        up = total = 0
        for body, folded in zip(self.bodies, self._folded):
            if key not in folded:
                continue
            for line, low in zip(body.split("\n"), folded.split("\n")):
                if low.endswith(key) and len(low) > len(key):
                    total += 1
                    up += line[len(line) - len(key)].isupper()
        return total > 0 and up >= 0.8 * total

    def _inside_text(self, key: str, support: int, reverse: bool) -> bool:
        """Does the fragment also occur inside lines (not at their edge) in the source?"""
        if len(key) < 4:
            return False
        inside = 0
        limit = max(2.0, 0.1 * support)
        if self._folded is None:
            self._folded = [b.casefold() for b in self.bodies]
        for body in self._folded:
            start = 0
            while True:
                k = body.find(key, start)
                if k < 0:
                    break
                end = k + len(key)
                at_edge = _at_edge(body, k, end, key, reverse)
                before = body[k - 1] if k else "\n"
                after = body[end] if end < len(body) else "\n"
                word_edges = not before.isalnum() and not after.isalnum()
                if not at_edge and word_edges:
                    inside += 1
                    break
                start = k + 1
            if inside >= limit:
                return True
        return False

    def _inline(self) -> set[str]:
        """Blocks that recur inside lines, between sentences: runs of word
        4-grams frequent in a sample of the source, then checked on all of it."""
        n = self.n
        # evenly spaced articles (deterministic): the same sample for the same input
        m = min(n, _INLINE_SAMPLE)
        picks = sorted({int(round(i * (n - 1) / max(m - 1, 1))) for i in range(m)})
        sample = [self.bodies[i] for i in picks]
        need = max(self.min_docs, max(self.min_share, _INLINE_SHARE) * len(sample))
        df: Counter[int] = Counter()
        lines_of = [[ln.casefold().split() for ln in body.split("\n")] for body in sample]
        for doc in lines_of:
            df.update({hash(tuple(ws[i:i + _INLINE_SHINGLE])) for ws in doc
                       for i in range(len(ws) - _INLINE_SHINGLE + 1)})
        frequent = {h for h, c in df.items() if c >= need}
        spans: Counter[str] = Counter()
        for doc in lines_of:
            found = set()
            for ws in doc:
                hits = [hash(tuple(ws[i:i + _INLINE_SHINGLE])) in frequent
                        for i in range(len(ws) - _INLINE_SHINGLE + 1)]
                i = 0
                while i < len(hits):
                    if not hits[i]:
                        i += 1
                        continue
                    j = i
                    while j + 1 < len(hits) and hits[j + 1]:
                        j += 1
                    a, b = i, j + _INLINE_SHINGLE  # words a..b-1
                    if a > 0 and b < len(ws) and b - a <= self.max_fragment_words:
                        found.add(" ".join(ws[a:b]))  # strictly inside the line
                    i = j + 1
            spans.update(found)
        out: list[str] = []
        for span, c in sorted(spans.items(), key=lambda kv: (-len(kv[0]), kv[0])):
            if c < need or any(span in o for o in out):
                continue
            if _guard_at(_units(span) + [" x"]) is not None:
                continue
            if self._inline_ok(span):
                out.append(span)
        return set(out)

    def _inline_ok(self, span: str) -> bool:
        """Enough articles hold the block between sentences, it is not language
        used inside sentences too, and not the shared text of copies."""
        words = span.count(" ") + 1
        pat = _pattern(_units(span))
        between = re.compile(rf"{_INLINE_BEFORE}(?i:{pat}){_INLINE_AFTER}")
        anywhere = re.compile(rf"(?i:{pat})")
        good = embedded = copies = 0
        seen: set[str] = set()
        related: list[float] = []
        # a literal piece of the block, searched in the folded text, picks the
        # articles worth a regex (most are not)
        probe = max(re.split(r"0", span), key=len)
        if self._folded is None:
            self._folded = [b.casefold() for b in self.bodies]
        for body, folded in zip(self.bodies, self._folded):
            if probe not in folded:
                continue
            m = between.search(body)
            if m is None:
                embedded += anywhere.search(body) is not None
                continue
            good += 1
            after = body[m.end():m.end() + 60]
            if len(after) == 60:
                copies += after in seen
                seen.add(after)
            if len(related) < 50:
                related.append(_context_share(span, body[:m.start()] + " " + body[m.end():]))
        if good < self._needed(words, False, _INLINE_SHARE) or copies > 0.5 * good:
            return False
        rare = good < self._needed(words, False, _INLINE_COMMON_SHARE)
        if rare and good < _INLINE_RARE_DOCS:
            return False  # too few articles to tell a rare block from a repeated sentence
        if rare and \
                sorted(related)[len(related) // 2] >= _INLINE_RELATED:
            return False  # rare and about the article's own subject: a repeated sentence, not a promo
        return embedded < max(2.0, 0.1 * good)
