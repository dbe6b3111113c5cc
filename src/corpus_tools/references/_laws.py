"""Laws by name: where a law's name ends (the lexicon of law titles), which mentions are no
law (a law school, a law firm), and which laws are another country's.

No library lists Vietnamese law titles or reads Vietnamese country names, so both are
editable tables: ``resources/law_titles.txt`` and ``resources/countries.txt``.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .._resources import read_resource_lines
from ._common import fold

__all__ = ["law_title_at", "is_decoy", "foreign_country"]

_TOKEN = re.compile(r"[^\s,;:()\"“”]+")
_STRIP = ".!?…"


def _key(word: str) -> str:
    return fold(word).strip(_STRIP).lower()


def _keys(title: str) -> tuple[str, ...]:
    return tuple(k for k in (_key(w) for w in _TOKEN.findall(title)) if k and k not in {"-", "–"})


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[tuple, str], frozenset]:
    """``{key tuple: canonical title}`` and every prefix of a key."""
    titles: dict[tuple, str] = {}
    for line in read_resource_lines("law_titles.txt", comments="line"):
        cells = line.split("\t")
        canonical = cells[0].strip()
        full = canonical if canonical.startswith("Bộ luật ") else "Luật " + canonical
        head = "bộ luật " if canonical.startswith("Bộ luật ") else ""
        names = [canonical[len("Bộ luật "):] if head else canonical]
        names += [v.strip() for v in (cells[1] if len(cells) > 1 else "").split("|") if v.strip()]
        for n in names:
            n = n[len("Bộ luật "):] if n.startswith("Bộ luật ") else n
            titles[(head,) + _keys(n)] = full
    prefixes = frozenset(k[:i] for k in titles for i in range(1, len(k) + 1))
    return titles, prefixes


def law_title_at(f: str, pos: int, *, code: bool = False) -> tuple[int, str, bool] | None:
    """The longest law title of the lexicon starting at ``f[pos]`` (the word after
    ``Luật``/``Bộ luật``; ``code``: after "Bộ luật"): ``(end, canonical, capitalised)``,
    or None. Words may be parted by spaces, commas and hyphens only."""
    titles, prefixes = _lexicon()
    key: tuple = ("bộ luật " if code else "",)
    best, first_upper, cur = None, None, pos
    for m in _TOKEN.finditer(f, pos, min(len(f), pos + 300)):
        if f[cur:m.start()].strip(" ,-–\t") or (cur == pos and m.start() != pos):
            break
        cur = m.end()
        k = _key(m.group())
        if k in {"", "-", "–"}:
            continue
        first_upper = m.group()[:1].isupper() if first_upper is None else first_upper
        key = key + (k,)
        if key not in prefixes:
            break
        if key in titles:
            best = (m.start() + len(m.group().rstrip(_STRIP)), titles[key], bool(first_upper))
        if m.group()[-1] in _STRIP:
            break  # a sentence ends inside the token ("Đất đai.")
    return best


_DECOY_BEFORE = re.compile(
    r"(?i:trường|khoa|đại học|ĐH|học viện|viện|công ty|văn phòng|hãng|tạp chí|cử nhân|thạc sĩ|tiến sĩ|"
    r"ngành|chuyên ngành|giảng viên|sinh viên|giáo sư|khoa học|trung cấp|cao đẳng|pháp)"
    r"(?:\s+(?:đại học|trung cấp|cao đẳng))?\s+$"  # "pháp luật PCTN": the body of law, not a Law
    r"|(?:Công ước|Liên [Hh]ợp [Qq]uốc|Liên hiệp quốc)\b[^.;]{0,40}\s$")  # UNCLOS: "… về Luật Biển"


def is_decoy(f: str, start: int) -> bool:
    """``Trường Luật Harvard``, ``Khoa Luật``, ``công ty luật``: a school, a faculty, a firm."""
    return bool(_DECOY_BEFORE.search(f[max(0, start - 60):start]))


#: How far from a law its country may be named: a long sentence's other clause
#: ("… đi làm Đại sứ tại Liên bang Nga") is about something else.
COUNTRY_REACH = 120

# A name that is also a Vietnamese given name or word (Đức, Nga, Mỹ) is a country only
# after one of these, and never when a capitalised syllable follows (Mỹ Tho, Lào Cai).
_COUNTRY_CUE = r"(?:nước|của|tại|ở|phía|với|và|Liên bang|Cộng hòa|Vương quốc|Chính phủ|Quốc hội|Tổng thống|Thủ tướng|người)"


@lru_cache(maxsize=1)
def _country_re() -> re.Pattern:
    plain, cued = [], []
    for line in read_resource_lines("countries.txt"):
        (cued if line.startswith("?") else plain).append(fold(line.lstrip("?")))
    alt = lambda names: "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))  # noqa: E731
    return re.compile(
        rf"(?<![\w])(?:(?P<plain>{alt(plain)})|{_COUNTRY_CUE}[^\S\n]+(?P<cued>{alt(cued)})(?![^\S\n]+[A-ZĐ]))(?![\w])"
        r"|(?P<home>Việt Nam|nước ta)")


@lru_cache(maxsize=1)
def _after_re() -> re.Pattern:
    """A country written right after a document's name ("Hiến pháp Mỹ", "Luật Di trú của
    Đức"): that place is itself the cue, so the given-name-like names count there too."""
    names = [fold(line.lstrip("?")) for line in read_resource_lines("countries.txt")]
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"[^\S\n]+(?:của[^\S\n]+)?(?:nước[^\S\n]+)?(?P<name>{alt})(?![\w])(?![^\S\n]+[A-ZĐ])")


def foreign_country(f: str, start: int, end: int, sentence: tuple[int, int], *, nearby: bool = True) -> str | None:
    """The country of a document named at ``f[start:end]``: one written right after its
    name, else (``nearby``) the country named nearest to it in its sentence (``sentence``:
    its bounds) and at most ``COUNTRY_REACH`` characters away; None when that is Viet Nam
    or none is named."""
    after = _after_re().match(f, end)
    if after:
        return after.group("name")
    if not nearby:
        return None
    best = None
    lo, hi = max(sentence[0], start - COUNTRY_REACH), min(sentence[1], end + COUNTRY_REACH)
    for m in _country_re().finditer(f, lo, hi):
        name = m.lastgroup
        a, b = m.span(name)
        if start <= a < end:
            continue  # "Luật Cảnh sát biển Việt Nam": the title's own words
        dist = start - b if b <= start else a - end
        if best is None or dist < best[0]:
            best = (dist, None if name == "home" else m.group(name))
    return best[1] if best else None
