"""Cleaning: composable ``str -> str`` steps, boilerplate line rules, site furniture, duplicates.

The text steps follow textacy's ``preprocessing`` style: each is a pure function on a
string, idempotent (``f(f(x)) == f(x)``), and :func:`clean_text` composes them.
Boilerplate rules live in ``resources/boilerplate_rules.txt`` (editable, one reason per
rule); :func:`find_furniture` (module :mod:`corpus_tools.furniture`) learns the furniture
of sites no rule knows from repetition across the articles of one source; :func:`flag_duplicates` marks exact and near-duplicate
articles (MinHash + LSH, Broder 1997; Leskovec, Rajaraman & Ullman, *Mining of Massive
Datasets*, ch. 3).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable, Sequence


from ._resources import read_resource_lines
from .furniture import Furniture, find_furniture  # noqa: F401  (its own module; kept here by name)

__all__ = [
    "clean_unicode",
    "clean_tone_marks",
    "clean_whitespace",
    "clean_spaced_punctuation",
    "clean_text",
    "DEFAULT_STEPS",
    "classify_line",
    "BLOCK_REASONS",
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
    parts, long_parts, reasons, blocks = [], [], [], set()
    for raw in read_resource_lines("boilerplate_rules.txt", comments="line"):
        try:
            kind, reason, pattern = raw.split("\t", 2)
        except ValueError:
            raise ValueError(f"boilerplate_rules.txt: expected KIND<TAB>REASON<TAB>REGEX in {raw!r}") from None
        if kind not in _KINDS:
            raise ValueError(f"boilerplate_rules.txt: kind must be one of {_KINDS}, got {kind!r} in {raw!r}")
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
