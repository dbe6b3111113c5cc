"""Shared helpers: editable resource tables, length-preserving folding, numerals."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .._resources import read_resource_lines
from ..clean import clean_tone_marks

# Upper/lower Vietnamese letters as regex classes (Latin-1 + Latin Extended-A/B + Additional).
_LETTERS = [chr(c) for c in range(0x41, 0x1EFA) if chr(c).isalpha() and unicodedata.name(chr(c), "").startswith("LATIN")]
UP = "".join(c for c in _LETTERS if c.isupper())
LOW = "".join(c for c in _LETTERS if c.islower())
UPC = f"[{UP}]"
LOWC = f"[{LOW}]"
WORD = rf"[{UP}{LOW}]+"
CAPWORD = rf"[{UP}][{UP}{LOW}]*"

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
ROMAN_RE = r"(?=[IVXL])(?:XL|L|X{0,3}(?:IX|IV|V?I{0,3}))"  # 1..49, enough for congresses and terms


def roman_to_int(s: str) -> int | None:
    """``"XIII" -> 13``; ``None`` for anything that is not a well-formed numeral."""
    s = s.strip().upper()
    if not s or not re.fullmatch(r"(?:C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})", s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = _ROMAN[a]
        total += -v if b != " " and _ROMAN[b] > v else v
    return total


def int_to_roman(n: int) -> str:
    out = []
    for v, r in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out.append(r)
            n -= v
    return "".join(out)


def parse_number(s: str) -> float:
    """Read a Vietnamese-formatted number: ``"3.137.287" -> 3137287``, ``"98,65" -> 98.65``.

    Dots group thousands and the comma is the decimal mark (Vietnamese convention). A lone
    dot followed by exactly three digits is a thousands separator (``"1.950"``); any other
    lone dot is read as a decimal point (English-style copy, ``"8.7"``).
    """
    s = s.strip().replace(" ", "")
    if "," in s and "." in s:
        return float(s.replace(".", "").replace(",", "."))
    if "," in s:
        if re.fullmatch(r"\d{1,3}(,\d{3}){2,}", s):  # 1,234,567 English grouping
            return float(s.replace(",", ""))
        return float(s.replace(",", "."))
    if "." in s:
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
            return float(s.replace(".", ""))
        return float(s)
    return float(s)


def fold(text: str) -> str:
    """Length-preserving normalisation for matching: NFC text in, same length out.

    Icelandic ``Ð``/``ð`` (a frequent look-alike in scraped codes, ``QÐ``) become ``Đ``/``đ``
    and old-style tone marks move to the new position (``uỷ -> ủy``), so offsets found in
    the folded text index the original.
    """
    return clean_tone_marks(text.replace("Ð", "Đ").replace("ð", "đ"))


def prepare(text: str) -> tuple[str, str]:
    """NFC-normalise ``text`` and return ``(text, folded)`` of equal length."""
    if text is None:
        text = ""
    text = unicodedata.normalize("NFC", str(text))
    folded = fold(text)
    if len(folded) != len(text):  # cannot happen with the steps above; be safe
        folded = text
    return text, folded


def _resource_lines(name: str) -> list[str]:
    return [fold(line) for line in read_resource_lines(name, comments="line")]


@dataclass(frozen=True)
class DocType:
    name: str
    party: tuple[str, ...]
    state: tuple[str, ...]
    short: str


@lru_cache(maxsize=None)
def doc_types() -> tuple[DocType, ...]:
    out = []
    for line in _resource_lines("doc_types.txt"):
        cols = [c.strip() for c in line.split("\t")] + ["", "", ""]
        split = lambda c: tuple(x.strip() for x in c.split(",") if x.strip())  # noqa: E731
        out.append(DocType(cols[0], split(cols[1]), split(cols[2]), cols[3] or cols[0]))
    return tuple(out)


#: Names the genre gives a type that are another type's: a "thông báo kết luận" is a
#: Thông báo (its code is ``-TB/``), not a Kết luận.
TYPE_ALIASES = {"Thông báo kết luận": "Thông báo"}


@lru_cache(maxsize=None)
def doc_type_by_name() -> dict[str, DocType]:
    out = {d.name.lower(): d for d in doc_types()}
    out.update({alias.lower(): out[name.lower()] for alias, name in TYPE_ALIASES.items()})
    return out


@lru_cache(maxsize=None)
def abbr_to_name() -> dict[str, str]:
    """Type abbreviation in a code -> document type name (first table row wins)."""
    out: dict[str, str] = {}
    for d in doc_types():
        for a in d.party + d.state:
            out.setdefault(a.upper(), d.name)
    out["QĐ"] = "Quyết định"  # a bare QĐ is a decision; a Quy định says so in its word
    out["QĐI"] = "Quy định"
    out["TT"] = "Thông tư"
    return out


@dataclass(frozen=True)
class Issuer:
    code: str
    issuer: str
    level: str
    system: str


@lru_cache(maxsize=None)
def _issuer_table() -> tuple[dict[str, Issuer], list[tuple[str, Issuer]], dict[str, str]]:
    exact: dict[str, Issuer] = {}
    rules: list[tuple[str, Issuer]] = []
    alias: dict[str, str] = {}
    for line in _resource_lines("issuers.txt"):
        cols = [c.strip() for c in line.split("\t")]
        while len(cols) < 5:
            cols.append("")
        code, aliases, issuer, level, system = cols[:5]
        rec = Issuer(code.strip("*"), issuer, level or "unknown", system or "party")
        if "*" in code:
            rules.append((code, rec))
            continue
        exact[code.upper()] = rec
        alias[code.upper()] = code
        for a in aliases.split(","):
            if a.strip():
                alias[a.strip().upper()] = code
    return exact, rules, alias


def normalise_issuer(code: str) -> str:
    """``"TƯ" -> "TW"``, ``"T.Ư" -> "TW"``; unknown codes keep their spelling (Ð -> Đ)."""
    code = fold(code).strip().rstrip(".")
    exact, _, alias = _issuer_table()
    key = code.upper()
    if key in alias:
        return alias[key]
    # organ codes ending in TƯ (BTCTƯ) -> ...TW
    if key.endswith("TƯ"):
        code = code[:-2] + "TW"
    return code


def lookup_issuer(code: str) -> Issuer:
    """Issuer and level of a (normalised) issuer code, via exact entries then suffix rules."""
    exact, rules, _ = _issuer_table()
    key = code.upper()
    if key in exact:
        return exact[key]
    for pattern, rec in rules:
        if pattern.startswith("*") and key.endswith(pattern[1:].upper()):
            return rec
        if pattern.endswith("*") and key.startswith(pattern[:-1].upper()) and len(key) > 1:
            return rec
    return Issuer(code, "", "unknown", "unknown")


@lru_cache(maxsize=None)
def title_heads() -> tuple[tuple[str, ...], frozenset[str]]:
    heads, words = [], set()
    for line in _resource_lines("titles.txt"):
        line = line.strip()
        if line.startswith("="):
            words.add(line[1:].strip().lower())
        else:
            heads.append(line)
    heads.sort(key=len, reverse=True)
    return tuple(heads), frozenset(words)


def surnames() -> frozenset[str]:
    from ..lexicon import load_surnames
    return load_surnames()[0]


def not_names() -> frozenset[str]:
    """Place names shaped like person names (``!Hà Nội`` lines of ``surnames.txt``)."""
    from ..lexicon import load_surnames
    return load_surnames()[1]


def norm_number(num: str) -> str:
    """Document numbers as keys: leading zeros dropped, single digits padded (``5 -> 05``)."""
    n = num.lstrip("0") or "0"
    return n.zfill(2) if n.isdigit() and len(n) < 2 else n
