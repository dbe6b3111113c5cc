"""Cleaning: composable ``str -> str`` steps, boilerplate line rules, site furniture, duplicates.

The text steps follow textacy's ``preprocessing`` style: each is a pure function on a
string, idempotent (``f(f(x)) == f(x)``), and :func:`clean_text` composes them.
Boilerplate rules live in ``resources/boilerplate_rules.txt`` (editable, one reason per
rule); :func:`find_furniture` learns the furniture of sites no rule knows from repetition
across the articles of one source; :func:`flag_duplicates` marks exact and near-duplicate
articles (MinHash + LSH, Broder 1997; Leskovec, Rajaraman & Ullman, *Mining of Massive
Datasets*, ch. 3).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources as _resources
from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "clean_unicode",
    "clean_tone_marks",
    "clean_whitespace",
    "clean_spaced_punctuation",
    "clean_text",
    "DEFAULT_STEPS",
    "classify_line",
    "BLOCK_REASONS",
    "Furniture",
    "find_furniture",
    "flag_duplicates",
    "minhash_signatures",
    "shingle_jaccard",
    "strip_diacritics",
]

# ---------------------------------------------------------------------------
# text steps
# ---------------------------------------------------------------------------

# zero-width, bidi marks, soft hyphen, BOM; C0/C1 controls except \t and \n
_RE_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f]")
_RE_NEWLINES = re.compile("\r\n?|[\u2028\u2029\x85]")
_RE_WIDE_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# one pass to learn whether any of the above occurs (most texts: no)
_RE_ODD = re.compile("[\r\u2028\u2029\x85\u00a0\u1680\u2000-\u200f\u202a-\u202f\u205f\u2060-\u2064\u3000\ufeff"
                     "\u00ad\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_unicode(text: str) -> str:
    """NFC-normalise; unify newlines; drop zero-width and control characters; odd spaces -> space.

    NFC, so that decomposed input (``a`` + combining grave) becomes one code point and
    the same word is always the same string.
    """
    if _RE_ODD.search(text) is not None:
        text = _RE_NEWLINES.sub("\n", text)
        text = _RE_WIDE_SPACE.sub(" ", text)
        text = _RE_INVISIBLE.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


_TONES = "\u0300\u0301\u0309\u0303\u0323"  # grave, acute, hook, tilde, dot below


def _toned(base: str) -> str:
    return "".join(unicodedata.normalize("NFC", base + t) for t in _TONES)


_A, _E, _Y = _toned("a") + _toned("A"), _toned("e") + _toned("E"), _toned("y") + _toned("Y")
_ONSET = "bcdđghklmnprstvxBCDĐGHKLMNPRSTVX"  # no q: in "quý" the u belongs to the onset
_ONSET_SET = frozenset(_ONSET)
# Old style puts the tone on the second vowel of open oa/oe/uy syllables (hoà, khoẻ, thuỷ);
# the new (orthography reform) style on the first (hòa, khỏe, thủy). Closed syllables
# (hoàng, thuyết) and qu- syllables (quý, quỹ) are spelt the same in both styles.
# The regex starts with a character class, so re scans fast; onset and word end are
# checked in the callback, which only runs on the (few) candidates.
_RE_OLD_TONE = re.compile(rf"[oOuU][{_A}{_E}{_Y}]")
_OA_OE = frozenset(_A + _E)


def _move_tone(m: re.Match) -> str:
    s, start, end = m.string, m.start(), m.end()
    first, second = m.group()
    if (second in _OA_OE) != (first in "oO"):
        return m.group()  # "uà", "oỳ": not an oa/oe/uy nucleus
    if end < len(s) and (s[end].isalpha() or s[end].isdigit() or s[end] == "_"):
        return m.group()  # closed syllable: hoàng, toàn, xoáy
    j = start
    while j > 0 and start - j < 3 and s[j - 1] in _ONSET_SET:
        j -= 1
    if j > 0 and (s[j - 1].isalpha() or s[j - 1].isdigit() or s[j - 1] == "_"):
        return m.group()  # quý, or inside a longer word
    decomposed = unicodedata.normalize("NFD", second)
    return unicodedata.normalize("NFC", first + decomposed[1:]) + decomposed[0]


def clean_tone_marks(text: str) -> str:
    """Old-style Vietnamese tone placement -> new style, word by word, case kept.

    ``hoà -> hòa``, ``uỷ -> ủy``, ``thuỷ -> thủy``, ``khoẻ -> khỏe``, ``HOÀ -> HÒA``;
    ``hoàng``, ``quý``, ``quỹ``, ``giữa`` are left alone. Same result as
    ``underthesea.text_normalize`` on these syllables, at regex speed. Expects NFC input.
    """
    return _RE_OLD_TONE.sub(_move_tone, text)


_RE_HSPACE = re.compile(r"[\t\f\v][ \t\f\v]*| [ \t\f\v]+")


def _collapse_spaces(text: str) -> str:
    if "  " in text or "\t" in text or "\f" in text or "\v" in text:
        return _RE_HSPACE.sub(" ", text)
    return text


def clean_whitespace(text: str) -> str:
    """Collapse runs of spaces/tabs to one space, strip line ends and the text; keep newlines."""
    text = _collapse_spaces(text)
    if "\n" in text:
        return "\n".join(line.strip(" ") for line in text.split("\n"))
    return text.strip(" ")


_UP = "A-ZĐÀ-ỸƠƯ"
_RE_SP_BEFORE = re.compile(r" ([,.;:!?…%)\]}»”’])")
_RE_SP_AFTER_OPEN = re.compile(r"([(\[{«“‘]) ")


def _group1(m: re.Match) -> str:  # a callable: faster than the template r"\1"
    return m.group(1)
_RE_STRAIGHT_Q = re.compile(r'"([^"\n]*)"')
_RE_DASH = re.compile(r" [-–] ")
_RE_CODE_LEFT = re.compile(rf"(?:\d+[a-z]?|[{_UP}]{{1,8}})$")
_RE_CODE_RIGHT = re.compile(rf"[{_UP}][{_UP}a-zđ]{{0,7}}(?:/|$|[\s,.;:)])")
_RE_ACRONYM = re.compile(rf"[{_UP}]{{2,}}$")
_RE_DIGITS_RIGHT = re.compile(r"\d+(?![\w/])")
_RE_TIME = re.compile(r"(\d) : (?=[0-5]\d(?!\d))")


def _fix_quote(m: re.Match) -> str:
    return '"' + m.group(1).strip(" ") + '"'


def _fix_dash(m: re.Match) -> str:
    s, a, b = m.string, m.start(), m.end()
    left = s[max(0, a - 12):a].rsplit(" ", 1)[-1].rsplit("/", 1)[-1]
    right = s[b:b + 12]
    if _RE_CODE_LEFT.search(left) and _RE_CODE_RIGHT.match(right) and (
            "/" in s[max(0, a - 12):a] or "/" in right):
        return "-"  # document codes: 35-CT/TW, 123/QĐ-TTg
    if _RE_ACRONYM.search(left) and _RE_DIGITS_RIGHT.match(right):
        return "-"  # COVID-19
    return m.group()


def _fix_time(m: re.Match) -> str:
    s, a = m.string, m.start()
    j = a
    while j > 0 and s[j - 1].isdigit():
        j -= 1
    if a - j > 1 or (a - j == 1 and int(s[j:a + 1]) > 23):
        return m.group()
    return m.group(1) + ":"


def clean_spaced_punctuation(text: str) -> str:
    """Undo the spacing of pre-tokenised corpora: ``"Hà Nội , ngày"`` -> ``"Hà Nội, ngày"``.

    ``"( TTXVN )" -> "(TTXVN)"``, ``"“ nhôm ”" -> "“nhôm”"``, ``"35 - CT / TW" -> "35-CT/TW"``,
    ``"COVID - 19" -> "COVID-19"``, ``"10 : 30" -> "10:30"``; a dash between words
    (``"chính trị - xã hội"``, ``"2020 - 2025"``) stays.
    """
    if " " not in text:
        return text
    text = _collapse_spaces(text)
    if " : " in text:
        text = _RE_TIME.sub(_fix_time, text)
    # spaces are single now; patterns that start with a literal space scan fast
    text = _RE_SP_BEFORE.sub(_group1, text)
    text = _RE_SP_AFTER_OPEN.sub(_group1, text)
    if '"' in text:
        text = _RE_STRAIGHT_Q.sub(_fix_quote, text)
    if " / " in text:
        text = text.replace(" / ", "/")
    if " - " in text or " – " in text:
        text = _RE_DASH.sub(_fix_dash, text)
    return text


DEFAULT_STEPS: tuple[Callable[[str], str], ...] = (clean_unicode, clean_tone_marks, clean_whitespace)


def clean_text(text: str, *, steps: Sequence[Callable[[str], str]] = DEFAULT_STEPS) -> str:
    """Apply ``steps`` in order. The default (unicode, tone marks, whitespace) is safe for any
    text; add :func:`clean_spaced_punctuation` for pre-tokenised corpora such as vietnews.
    """
    for step in steps:
        if not callable(step):
            raise ValueError(f"steps must be callables str -> str, got {step!r}")
        text = step(text)
    return text


def _diacritic_table() -> dict[int, str]:
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base != chr(cp) and base.isascii():
            table[cp] = base
    for cp in range(0x300, 0x370):
        table[cp] = None
    return table


_DIACRITICS = _diacritic_table()


def strip_diacritics(text: str) -> str:
    """``"Chỉ đạo sâu sát"`` -> ``"Chi dao sau sat"`` (for slug matching)."""
    return text.translate(_DIACRITICS)


# ---------------------------------------------------------------------------
# boilerplate rules
# ---------------------------------------------------------------------------

_KINDS = ("line", "block")


# reasons whose rules are also tried on lines of more than 20 words; the others describe
# short widgets, and skipping them on long lines keeps classification fast
_LONG_LINE_REASONS = frozenset({"headline-list", "unaccented-slug", "copyright", "tag-line", "breadcrumb"})


def _load_rules() -> tuple[re.Pattern, re.Pattern, list[str], frozenset[str]]:
    text = _resources.files("corpus_tools").joinpath("resources/boilerplate_rules.txt").read_text("utf-8")
    parts, long_parts, reasons, blocks = [], [], [], set()
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        try:
            kind, reason, pattern = raw.split("\t", 2)
        except ValueError:
            raise ValueError(f"boilerplate_rules.txt line {n}: expected KIND<TAB>REASON<TAB>REGEX") from None
        if kind not in _KINDS:
            raise ValueError(f"boilerplate_rules.txt line {n}: kind must be one of {_KINDS}, got {kind!r}")
        re.compile(pattern)  # report the faulty rule by itself
        group = f"(?P<r{len(reasons)}>{pattern})"
        parts.append(group)
        if reason in _LONG_LINE_REASONS:
            long_parts.append(group)
        reasons.append(reason)
        if kind == "block":
            blocks.add(reason)
    return (re.compile("|".join(parts), re.IGNORECASE), re.compile("|".join(long_parts) or "(?!)", re.IGNORECASE),
            reasons, frozenset(blocks))


_RULES, _LONG_RULES, _RULE_REASONS, BLOCK_REASONS = _load_rules()


def classify_line(line: str) -> str | None:
    """Boilerplate reason for one line by rule (``resources/boilerplate_rules.txt``), or None.

    Reasons in :data:`BLOCK_REASONS` (``"related-articles"``) mean the line opens a block of
    furniture that runs to the end of the page.
    """
    line = line.strip()
    if not line or len(line) > 250:
        return None  # furniture is short; paragraphs are not checked
    m = (_RULES if line.count(" ") <= 20 else _LONG_RULES).fullmatch(line)
    if m is None:
        return None
    return _RULE_REASONS[int(m.lastgroup[1:])]


# ---------------------------------------------------------------------------
# furniture by repetition
# ---------------------------------------------------------------------------

_RE_DIGITS = re.compile(r"\d+")
_RE_HAS_DIGIT = re.compile(r"\d")
_DASHES = ("-", "–", "—", "|")
_STOPS = frozenset(".!?…")


def _prefix_of(line: str) -> str | None:
    """Leading fragment before a dash or bar within the first 40 characters ("Kinhtedothi - ")."""
    head = line[:42]
    if "-" not in head and "–" not in head and "|" not in head and "—" not in head:
        return None
    pos = min((k for k in (head.find(d) for d in _DASHES) if k > 0), default=-1)
    if pos < 0 or pos + 1 >= len(line):
        return None
    after = line[pos + 1]
    # "Kinhtedothi - Sáng", "Kinhtedothi-Tại"; not "COVID-19", "chính trị-xã hội"
    if not (head[pos - 1] == " " or after == " " or after.isupper()):
        return None
    frag = head[:pos].strip()
    if not frag or frag.count(" ") >= 4 or frag[0] in ":-–—|" or any(c in _STOPS for c in frag):
        return None
    return " ".join(frag.casefold().split())


def _suffix_of(line: str) -> str | None:
    """Trailing fragment after a dash/bar or after the last sentence ("... . Theo TTXVN")."""
    tail = line[-44:]
    if " " not in tail:
        return None
    best = -1
    for d in (" - ", " – ", " — ", " | "):
        k = tail.rfind(d)
        if k > best:
            best, width = k, len(d)
    for stop in (". ", "! ", "? ", "… ", '." ', ".” "):
        k = tail.rfind(stop)
        if k > best:
            best, width = k, len(stop)
    if best < 0 or (best == 0 and len(line) == len(tail)):
        return None
    frag = tail[best + width:].strip()
    if not frag or frag.count(" ") >= 5 or any(c in _STOPS for c in frag):
        return None
    return " ".join(frag.casefold().split())


def _key(text: str) -> str:
    """Comparison key: casefolded, single spaces; in short lines digits become 0, so that
    counters ("Lượt xem: 1.234") recur, while templated sentences with numbers do not."""
    low = text.casefold()
    if low.count(" ") >= 8:
        return low if ("  " not in low and "\t" not in low) else " ".join(low.split())
    low = " ".join(low.split())
    return _RE_DIGITS.sub("0", low) if _RE_HAS_DIGIT.search(low) else low


@dataclass(frozen=True)
class Furniture:
    """Site furniture learnt by :func:`find_furniture`, as comparison keys.

    ``lines``: whole lines (keyed by :func:`_key`); ``prefixes``/``suffixes``: leading
    fragments before a dash/bar (``"kinhtedothi"``) and trailing fragments (``"theo ttxvn"``).
    """

    lines: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    _prefix_re: re.Pattern | None = field(default=None, init=False, repr=False, compare=False)
    _suffix_re: re.Pattern | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        if self.prefixes:
            alt = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(self.prefixes, key=len, reverse=True))
            object.__setattr__(self, "_prefix_re", re.compile(rf"^\s*(?:{alt})\s*[-–—|]\s*", re.I))
        if self.suffixes:
            alt = "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in sorted(self.suffixes, key=len, reverse=True))
            object.__setattr__(self, "_suffix_re", re.compile(rf"(?:\s+[-–—|]\s*|(?<=[.!?…”\"])\s+|^)(?:{alt})\s*$", re.I))

    def __bool__(self) -> bool:
        return bool(self.lines or self.prefixes or self.suffixes)

    def is_line(self, line: str) -> bool:
        return bool(self.lines) and _key(line) in self.lines

    def split(self, line: str) -> tuple[str, str, str]:
        """``(prefix, rest, suffix)`` of a line with the furniture fragments cut off."""
        prefix = suffix = ""
        if self._prefix_re is not None:
            m = self._prefix_re.match(line[:64])
            if m and m.end() < len(line):
                prefix, line = line[: m.end()], line[m.end():]
        if self._suffix_re is not None:
            cut = max(0, len(line) - 64)
            m = self._suffix_re.search(line[cut:])
            if m and cut + m.start() > 0:
                suffix, line = line[cut + m.start():], line[: cut + m.start()]
        return prefix, line, suffix


def find_furniture(docs: Iterable[Sequence[str]], *, min_docs: int = 3, min_share: float = 0.05,
                   max_words: int = 25) -> Furniture:
    """Lines and leading/trailing fragments that recur across the articles of one source.

    A candidate counts once per article (document frequency). It is furniture when it
    occurs in at least ``min_docs`` articles and in at least ``min_share`` of them. Lines
    longer than ``max_words`` words need half of the articles: a long recurring paragraph
    is more likely a syndicated story (a duplicate) than site chrome.
    """
    if min_docs < 1:
        raise ValueError("min_docs must be >= 1")
    if not 0.0 <= min_share <= 1.0:
        raise ValueError("min_share must be in [0, 1]")
    line_df: Counter[str] = Counter()
    long_df: Counter[str] = Counter()
    frags: list[tuple[set, set]] = []  # per doc: {(prefix, line key)}, {(suffix, line key)}
    for doc in docs:
        lines, long_lines, pres, sufs = set(), set(), set(), set()
        for raw in doc:
            line = raw.strip()
            if not line:
                continue
            k = _key(line)
            (lines if k.count(" ") < max_words else long_lines).add(k)
            p = _prefix_of(line)
            if p:
                pres.add((p, k))
            x = _suffix_of(line)
            if x:
                sufs.add((x, k))
        line_df.update(lines)
        long_df.update(long_lines)
        frags.append((pres, sufs))
    n_docs = len(frags)
    if n_docs == 0:
        return Furniture()
    need = max(min_docs, min_share * n_docs)
    need_long = max(need, 0.5 * n_docs)
    lines = {k for k, c in line_df.items() if c >= need} | {k for k, c in long_df.items() if c >= need_long}
    # fragments of lines that are furniture as a whole do not count ("Trang nhất | ...")
    pre_df: Counter[str] = Counter()
    suf_df: Counter[str] = Counter()
    for pres, sufs in frags:
        pre_df.update({p for p, k in pres if k not in lines})
        suf_df.update({x for x, k in sufs if k not in lines})
    pres = tuple(sorted(k for k, c in pre_df.items() if c >= need))
    sufs = tuple(sorted(k for k, c in suf_df.items() if c >= need))
    return Furniture(frozenset(lines), pres, sufs)


# ---------------------------------------------------------------------------
# duplicates
# ---------------------------------------------------------------------------

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


def _choose_bands(num_perm: int, threshold: float, recall: float = 0.99) -> int:
    """Fewest bands (longest rows) with P(candidate | Jaccard = threshold) >= recall."""
    for rows in range(num_perm, 0, -1):
        if num_perm % rows == 0:
            bands = num_perm // rows
            if 1.0 - (1.0 - threshold ** rows) ** bands >= recall:
                return bands
    return num_perm


def _union_find(n: int):
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


def flag_duplicates(df: pd.DataFrame, *, text_col: str = "text", threshold: float = 0.8,
                    random_state: int = 0, shingle_size: int = 3, num_perm: int = 64,
                    bands: int | None = None, keep: str = "first") -> pd.DataFrame:
    """Flag exact and near-duplicate articles; returns a copy with ``is_duplicate``, ``duplicate_of``.

    Exact duplicates share the hash of their casefolded, whitespace-normalised text.
    Near-duplicates have a Jaccard similarity of word ``shingle_size``-grams of at least
    ``threshold``: candidate pairs come from MinHash signatures banded into LSH buckets
    (``num_perm`` permutations in ``bands`` bands; by default the fewest bands that still
    make a pair at the threshold a candidate with probability >= 0.99; Broder 1997;
    Leskovec et al. 2014, ch. 3),
    and every candidate pair is verified with the exact Jaccard, so there are no false
    positives. Groups are the connected components of the verified pairs; in each group the
    first article in input order (``keep="first"``) or the longest (``keep="longest"``,
    ties by order) is kept, and the others point to its ``doc_id`` (or index label when
    there is no ``doc_id`` column). Empty texts are never duplicates.
    """
    if keep not in ("first", "longest"):
        raise ValueError(f"keep must be 'first' or 'longest', got {keep!r}")
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    if text_col not in df.columns:
        raise ValueError(f"column {text_col!r} not in DataFrame")
    if bands is None:
        bands = _choose_bands(num_perm, threshold)
    if bands < 1 or num_perm % bands:
        raise ValueError("num_perm must be a positive multiple of bands")
    out = df.copy()
    n = len(df)
    texts = ["" if not isinstance(t, str) else t for t in df[text_col].tolist()]
    find, union = _union_find(n)

    # words as 64-bit hashes (deterministic, unlike hash(str)); no Python object per word
    codes, lens = _word_hashes(texts)
    word_off = np.concatenate(([0], np.cumsum(lens)))

    # exact: same casefolded words in the same order
    seen: dict[bytes, int] = {}
    for i in np.flatnonzero(lens > 0).tolist():
        h = hashlib.sha1(codes[word_off[i]: word_off[i + 1]].tobytes()).digest()
        if h in seen:
            union(seen[h], i)
        else:
            seen[h] = i

    allsh, counts = _doc_shingles(codes, lens, shingle_size)
    offsets = np.concatenate(([0], np.cumsum(counts)))
    nonempty = np.flatnonzero(counts > 0)

    def doc_set(i: int) -> np.ndarray:
        return np.unique(allsh[offsets[i]: offsets[i + 1]])

    if len(nonempty) > 1 and threshold < 1.0:
        # MinHash: h_p(x) = a_p * x + b_p mod 2^64 (multiply-add universal hashing), min per doc
        rng = np.random.default_rng(random_state)
        a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
        b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
        starts = offsets[nonempty]
        sig = np.empty((len(nonempty), num_perm), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for p in range(num_perm):
                sig[:, p] = np.minimum.reduceat(allsh * a[p] + b[p], starts)
            rows = num_perm // bands
            cand: set[tuple[int, int]] = set()
            for bnd in range(bands):
                key = np.zeros(len(nonempty), dtype=np.uint64)
                for r in range(bnd * rows, (bnd + 1) * rows):
                    key = key * _GRAM_MULT + sig[:, r]
                order = np.argsort(key, kind="stable")
                sk = key[order]
                same = sk[1:] == sk[:-1]
                if not same.any():
                    continue
                # each member of a bucket pairs with the bucket's first member
                head = np.maximum.accumulate(np.where(np.concatenate(([True], ~same)), np.arange(len(sk)), 0))
                for j in np.flatnonzero(same) + 1:
                    cand.add((int(order[head[j]]), int(order[j])))
        cache: dict[int, np.ndarray] = {}
        for x, y in sorted(cand):
            i, j = int(nonempty[x]), int(nonempty[y])
            if find(i) == find(j):
                continue
            si = cache.get(i)
            if si is None:
                si = cache[i] = doc_set(i)
            sj = cache.get(j)
            if sj is None:
                sj = cache[j] = doc_set(j)
            inter = len(np.intersect1d(si, sj, assume_unique=True))
            if inter / (len(si) + len(sj) - inter) >= threshold:
                union(min(i, j), max(i, j))

    # choose the kept member of each group
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    ids = out["doc_id"].tolist() if "doc_id" in out.columns else list(out.index)
    is_dup = [False] * n
    dup_of: list[object] = [None] * n
    for members in groups.values():
        if len(members) < 2:
            continue
        kept = members[0] if keep == "first" else max(members, key=lambda i: (len(texts[i]), -i))
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
