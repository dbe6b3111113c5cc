"""Cited Party and state documents: ``Chỉ thị số 35-CT/TW``, ``Quy định số 55``, ``Nghị quyết TW4``."""
from __future__ import annotations

import re

import pandas as pd

from ._common import (
    TYPE_ALIASES, CAPWORD, ROMAN_RE, abbr_to_name, doc_type_by_name, doc_types, lookup_issuer,
    norm_number, normalise_issuer, prepare, roman_to_int,
)
from ._congress import _congress_records, org_level
from ._laws import foreign_country, is_decoy, law_title_at
from ._resolve import resolve_short_forms
from ._terms import GUESSED_TERMS, assign_terms, words_of

__all__ = ["extract_references", "REFERENCE_COLUMNS", "ID_STATUSES"]

REFERENCE_COLUMNS = [
    "doc_id", "doc_type", "number", "code", "issuer", "level", "system", "canonical",
    "resolved", "term", "term_from", "id_status", "date", "span", "start", "end", "text",
]
#: ``id_status`` values: the id is a full document id (``resolved``), its issuing term was
#: only guessed (``term_guessed``: from the article's date or the numbering), or no full id
#: is known (``unresolved``: ``57-NQ/?``, a code of the centre no evidence dates, a plenum
#: without its khóa).
ID_STATUSES = ("resolved", "term_guessed", "unresolved")

def with_terms(rows: list[dict], published=None, evidence=None) -> list[dict]:
    """Resolve short forms (:func:`._resolve.resolve_short_forms`), then give the centre's
    codes numbered afresh each term their issuing term (:func:`._terms.assign_terms`):
    ``35-CT/TW`` -> ``35-CT/TW (XIII)``. ``evidence``: what the rest of the corpus says
    (:class:`._resolve.CorpusEvidence`)."""
    resolve_short_forms(rows, published, evidence)
    assign_terms(rows, published, evidence.issues if evidence is not None else None)
    for r in rows:
        termed = r.get("term_from") is not None  # a code of the centre numbered afresh each term
        plenum_without_khoa = re.fullmatch(r"NQ TW\d+", r.get("canonical") or "") is not None  # XI's or XII's 4th?
        r["id_status"] = ("unresolved" if r.get("resolved") == "none" or (termed and r.get("term") is None)
                          or plenum_without_khoa
                          else "term_guessed" if r.get("term_from") in GUESSED_TERMS else "resolved")
    return rows


def _type_words() -> str:
    names = sorted([d.name for d in doc_types()] + list(TYPE_ALIASES), key=len, reverse=True)
    alts = []
    for n in names:
        first, rest = n[0], n[1:]
        alts.append(f"[{first}{first.lower()}]" + re.sub(r"(?<= )(\w)", lambda w: f"[{w.group(1)}{w.group(1).upper()}]",
                                                       re.escape(rest)))
    return "|".join(alts)


_TW = _type_words()
_WORD_BEFORE = re.compile(rf"(?P<word>{_TW})\s+(?:số\s+)?$")
_PARTY = re.compile(
    r"(?<![\d/.,])(?P<num>\d{1,5}[a-z]?)(?:\s*[-–]\s*|[^\S\n]+|/(?=[A-ZĐ][A-Za-zĐđ]{0,5}/T[WƯ]\b))"
    r"(?P<abbr>[A-ZĐ][A-Za-zĐđ]{0,5})"
    r"(?:\s*/\s*|(?<=NQ|CT|KL|QĐ|TB|KH|HD)(?:\s*-\s*)?(?=T[WƯ]\b))"  # "62 KL/TW", "90 - QĐTW", "05 - NQ-TW"
    r"(?P<iss>[A-ZĐƯ](?:[A-ZĐƯa-zđư]|\.(?=[A-ZĐƯ])){0,12})(?![\wĐđƯư])"
)
_STATE = re.compile(
    r"(?<![\d/.,])(?:(?P<year0>(?:19|20)\d{2})\s*/\s*(?!(?:19|20)\d{2}\b))?"  # year first: 2025/66/NQ-CP
    r"(?P<num>\d{1,5}(?:\.\d{1,3})?)\s*/\s*(?:(?P<year>(?:19|20)\d{2})\s*/\s*)?"  # dotted: 66.13/2026/NQ-CP
    r"(?:(?P<abbr>[A-ZĐ][A-Za-zĐđ]{0,5})\s*[-–]\s*(?P<iss>[A-ZĐ][A-Za-zĐđ0-9]{1,12}(?:-[A-ZĐ][A-ZĐ0-9]{1,10})?)"
    r"|(?P<qh>(?:QH|UBTVQH)\d{1,2}))(?![\wĐđ])"
)
_PLENUM = re.compile(
    rf"[Nn]ghị quyết\s+(?:Hội nghị\s+)?(?:lần thứ\s+)?(?:Trung ương|TƯ|TW|T\.Ư)\s*(?:lần thứ\s+)?"
    rf"(?P<n>\d{{1,2}}|{ROMAN_RE}\b)(?![\d/])(?:\s*(?:,|và)\s*\d{{1,2}}(?![\d/]))*"  # "Trung ương 4, 6, 7 khóa XII"
    rf"(?:\s*,?\s*\(?\s*[Kk]hóa\s+(?P<k>{ROMAN_RE}\b|\d{{1,2}}(?!\d))\s*\)?)?"
)
_ISSUER_PHRASE = (
    r"(?i:Bộ Chính trị|Ban Bí thư|Ban Chấp hành Trung ương(?: Đảng)?|Trung ương|"
    r"(?:Ban Thường vụ )?(?:Thành ủy|Tỉnh ủy|Quận ủy|Huyện ủy|Thị ủy)|Chính phủ|Thủ tướng(?: Chính phủ)?|Quốc hội)"
)
_PHRASE_CODE = {
    "bộ chính trị": "TW", "ban bí thư": "TW", "ban chấp hành trung ương": "TW",
    "ban chấp hành trung ương đảng": "TW", "trung ương": "TW", "thành ủy": "TU", "tỉnh ủy": "TU",
    "quận ủy": "QU", "huyện ủy": "HU", "thị ủy": "TX",
}
_UNCODED = re.compile(
    rf"(?P<word>{_TW})\s+(?:(?P<so>số)\s+)?(?P<num>\d{{1,4}})(?![\d,.]?\d)(?![+%])(?!\s*[-–/]\s*\w)"
    rf"(?!\s+(?:năm(?!\s+(?:19|20)\d\d\b)|tháng|ngày|quý|tuần|giờ|điểm|nội dung|nhiệm vụ)\b)"
    rf"(?:\s+năm\s+(?P<year>(?:19|20)\d{{2}})\b)?"  # "Nghị quyết số 08 năm 2017 của Bộ Chính trị"
    rf"(?P<tail>(?:\s*,?\s*ngày\s+\d{{1,2}}\s*/\s*\d{{1,2}}\s*/\s*\d{{4}})?"
    rf"(?:\s*(?:\(\s*khóa\s+{ROMAN_RE}\s*\))?\s+của\s+(?P<org>{_ISSUER_PHRASE}))?)"
)
# "Nghị quyết 71/2025 của Bộ Chính trị": number and year, no type code
_UNCODED_YEAR = re.compile(
    rf"(?P<word>{_TW})\s+(?:(?P<so>số)\s+)?(?P<num>\d{{1,4}})\s*/\s*(?P<year>(?:19|20)\d{{2}})(?![\d/])(?!\s*/)"
    rf"(?:\s*(?:\(\s*khóa\s+{ROMAN_RE}\s*\))?\s+của\s+(?P<org>{_ISSUER_PHRASE}))?"
)
_STATE_ISSUER = {"chính phủ": "CP", "thủ tướng": "TTg", "thủ tướng chính phủ": "TTg"}


def _legislature(year: int) -> int | None:
    """The National Assembly (khóa) sitting through all of ``year``: QH13 2012-2015, QH14
    2017-2020, QH15 2022-2025 (each elected in May of 2011, 2016, 2021, 2026; a year
    with an election is left open)."""
    if year % 5 == 1:
        return None
    first = 2011 + 5 * ((year - 2011) // 5)
    n = 13 + (first - 2011) // 5
    return n if 8 <= n <= 20 else None
_NAMED = re.compile(r"(?<![Tt]iểu ban )(?<!Tòa án )\b(?P<name>[Đđ]iều lệ Đảng|Cương lĩnh(?= xây dựng đất nước| chính trị| của Đảng|"
                    r" (?:năm )?(?:19|20)\d\d)|Hiến pháp)")
_LAW_STOP = {"năm", "số", "của", "và", "được", "đã", "có", "để", "theo", "với", "tại", "trong", "về",
             "thì", "là", "cho", "này", "khi", "sẽ", "do", "đối", "đang", "nhằm", "từ", "mới", "hiện",
             "hành", "vừa", "cũng", "trên", "đến", "các", "những", "như", "nhưng", "hoặc", "qua", "sửa", "tới"}
_LAW_COMMA = r"chống|sử dụng|tôn giáo|bổ sung|công chức"
_LAW = re.compile(
    rf"(?<![Cc]ông ty )(?<![Vv]ăn phòng )(?<!ĐH )(?<![Hh]ọc )(?<![Kk]hoa )\bLuật[^\S\n]+"
    rf"(?P<name>(?!Sư\b|Gia\b|TNHH\b|Hợp danh\b|Hà Nội\b|TP\b){CAPWORD}"
    rf"(?:(?:,(?=[^\S\n]+(?:{_LAW_COMMA})))?[^\S\n]+[^\W\d_]+){{0,8}})"
)
_LAW_WORD = re.compile(r"(?:\b(?P<bo>[Bb]ộ)[^\S\n]+)?\b(?P<luat>[Ll]uật)[^\S\n]+(?=\S)")
_DAY = (r"\s*,?\s*(?:ban hành\s+|ký\s+)?ngày\s+(?P<d{i}>\d{{1,2}})\s*(?:/|-|tháng)\s*(?P<m{i}>\d{{1,2}})\s*(?:/|-|năm)\s*"
        r"(?P<y{i}>(?:19|20)\d{{2}})(?!\d)")
# What is written after a mention about its issue: a date, the issuer, the khóa, in the
# genre's order ("… ngày 3/6/2017 của Hội nghị BCHTW Đảng lần thứ 5 khóa XII"). The issuer
# stops at a word that starts something else ("và Quy định số …", "về …").
_TAIL = re.compile(
    rf"(?:{_DAY.format(i=1)})?"
    r"(?:\s*,?\s*của\s+(?:(?!(?i:và|hoặc|về|ngày|khóa|nhằm|trong|tại|theo)\b)[^\s.;:,()\"“”]+\s*){1,9})?"
    rf"(?:{_DAY.format(i=2)})?"
    rf"(?:\s*,?\s*\(?\s*[Kk]hóa\s+(?P<k>{ROMAN_RE})\b)?"
)


def _abbr_norm(abbr: str) -> str:
    """Canonical spelling of a type abbreviation: ``CTR -> CTr``, ``QÐ -> QĐ``."""
    spellings = {a.upper(): a for d in doc_types() for a in d.party + d.state}
    return spellings.get(abbr.upper(), abbr)


def _type_name(word: str | None, abbr: str | None) -> str | None:
    if word:
        d = doc_type_by_name().get(word.lower())
        # "Thông báo Kết luận số 50-TB/TW": the word must agree with the code's abbreviation
        known = abbr_to_name()
        if d and (not abbr or abbr.upper() in {a.upper() for a in d.party + d.state} or abbr.upper() not in known):
            return d.name  # an unknown abbreviation (QĐNS, BKHĐT) defers to the word
    if abbr:
        return abbr_to_name().get(abbr.upper(), abbr)
    return None


def _tail_facts(f: str, end: int) -> tuple[str | None, str | None]:
    """``(date, khóa)`` written after a mention ending at ``end``."""
    m = _TAIL.match(f, end)
    date = None
    for i in (1, 2):
        if m.group(f"d{i}"):
            d, mo, y = int(m.group(f"d{i}")), int(m.group(f"m{i}")), int(m.group(f"y{i}"))
            if 1 <= d <= 31 and 1 <= mo <= 12:
                date = f"{y:04d}-{mo:02d}-{d:02d}"
                break
    return date, m.group("k")


_DOC_WORD_START = re.compile(rf"(?:{_TW}|Luật|Hiến pháp|Điều lệ|Bộ luật|Công ước)\b")


# the description written after a mention, up to the sentence's end or the next document
_ABOUT = re.compile(r"[^.;:\n]{0,80}?\bvề\s+(?P<about>[^.;:\n“”\"]{5,120}?)(?=[.;:\n“”\"]|,\s|$)")
_LIST_GAP = re.compile(rf"\s*(?:,|;|và)?\s*(?:(?:{_TW})\s+)?(?:số\s+)?", re.I)
_SENTENCE_END = re.compile(r"[.!?;\n](?=\s|$)")


def _sentence_bounds(f: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``f[start:end]`` (a dot inside a code such as ``T.Ư`` does not end it)."""
    before = [m.end() for m in _SENTENCE_END.finditer(f, max(0, start - 400), start)]
    after = _SENTENCE_END.search(f, end, end + 400)
    return (before[-1] if before else max(0, start - 400)), min(len(f), after.start() if after else end + 400)


def _sentence(f: str, start: int, end: int) -> str:
    a, b = _sentence_bounds(f, start, end)
    return f[a:b]


def _unlisted_law_name(f: str, luat: int) -> str | None:
    """A capitalised law name the lexicon lacks, cut at the first word that is no name."""
    m = _LAW.match(f, luat)
    if not m:
        return None
    keep: list[str] = []
    for w in re.finditer(r"(\S+?)(,?)(?=\s|$)", m.group("name")):
        word, comma = w.group(1), w.group(2)
        if word == "và" and keep and not comma:
            nxt = m.group("name")[w.end():].lstrip()
            if nxt[:1].isupper() and not _DOC_WORD_START.match(nxt):
                keep.append(word)  # "Luật Khoa học và Công nghệ", "Luật Hôn nhân và Gia đình"
                continue
        if word.lower() in _LAW_STOP or (keep and word == "Luật"):
            break
        keep.append(word)
        if comma:
            nxt = m.group("name")[w.end():].lstrip()
            if not re.match(rf"(?:{_LAW_COMMA})\b", nxt):
                break
            keep[-1] += ","
    return " ".join(keep).rstrip(",") or None


def _word_before(f: str, start: int) -> tuple[str | None, int]:
    m = _WORD_BEFORE.search(f, max(0, start - 20), start)
    return (m.group("word"), m.start()) if m else (None, start)


def extract_references(text: str, *, doc_id=None, published=None) -> pd.DataFrame:
    """Every reference to a Party or state document in ``text``: one row per mention.

    Columns: ``doc_type`` (Chỉ thị, Nghị quyết, Quy định …), ``number``, ``code`` (the code
    as written, normalised: ``55-QĐ/TƯ -> 55-QĐ/TW``, Icelandic ``Ð -> Đ``; ``None`` when the
    mention has no code), ``issuer`` and ``level`` (from ``resources/issuers.txt``; another
    country's law or constitution is ``foreign``, its id ``Luật Dầu khí (Venezuela)``),
    ``system`` (``party``/``state``/``foreign``), ``canonical`` (one id per document),
    ``resolved`` (how the id was found: ``code`` written, ``article`` from a coded mention of
    the same type and number in the same text, ``issuer`` built from *của Bộ Chính trị* …,
    ``corpus`` the code the rest of the corpus writes for it, ``table`` the table of central
    documents whose title the article echoes, ``name`` for named documents and laws of the
    lexicon, ``none``: ``57-NQ/?``, a law name the lexicon lacks), ``date`` of issue when
    given (*ngày 14/6/2024*), ``span``/``start``/``end`` (offsets in the NFC text) and
    ``text`` as written.

    Codes of the centre numbered afresh each term carry their issuing term
    (``35-CT/TW (XIII)``): ``term`` and ``term_from`` (``date``/``khoa`` written with the
    mention, ``text`` another mention in the article, ``corpus`` a dated mention in another
    article (``references_table``), ``table`` the table of central documents, then the
    guesses ``numbering`` and ``article``, or ``none``; :mod:`._terms`). ``id_status`` says
    whether the id can be counted as is (``resolved``), rests on a guessed term
    (``term_guessed``) or is no full id (``unresolved``).

    Uncoded references the genre uses are kept: ``Chỉ thị 05``, ``Kết luận số 21``,
    ``Nghị quyết 71/2025 của Bộ Chính trị``, ``Nghị quyết Trung ương 4 (khóa XII)``
    (canonical ``NQ TW4 (XII)``), ``Nghị quyết Đại hội XIII`` (``NQ ĐH XIII``; a local
    congress keeps its organisation), ``Điều lệ Đảng``, ``Luật Đất đai``, ``Bộ luật Hình sự``.
    Bare type words (``các nghị quyết``), law schools and firms are not references.
    """
    rows = with_terms(_reference_records(text, doc_id), published)
    if not rows:
        return pd.DataFrame(columns=REFERENCE_COLUMNS)
    return pd.DataFrame(rows, columns=REFERENCE_COLUMNS)


def _reference_records(text: str, doc_id=None) -> list[dict]:
    finder = _Finder(text, doc_id)
    # codes first: a code claims its span before a name or a bare number can
    for step in (finder.party_codes, finder.state_codes, finder.plenums,
                 finder.congress_resolutions, finder.named, finder.laws, finder.uncoded_years, finder.uncoded):
        step()
    return finder.finish()


class _Finder:
    """The references of one text, found pattern by pattern; each pattern
    claims its span (``taken``) so a later, weaker pattern cannot re-read it."""

    def __init__(self, text: str, doc_id=None):
        self.text, self.f = prepare(text)
        self.doc_id = doc_id
        self.rows: list[dict] = []
        self.taken: list[tuple[int, int]] = []
        self.has_slash = "/" in self.f or "TW" in self.f or "TƯ" in self.f  # "90 - QĐTW" has no slash

    def free(self, s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in self.taken)

    def add(self, m_start: int, m_end: int, **kw) -> None:
        f = self.f
        while m_end > m_start and f[m_end - 1].isspace():
            m_end -= 1
        self.taken.append((m_start, m_end))
        date, khoa = _tail_facts(f, m_end)
        kw.setdefault("date", date)
        kw.setdefault("_khoa", khoa)
        kw["_words"] = words_of(_sentence(f, m_start, m_end))
        about = _ABOUT.match(f, m_end)  # "… về phương hướng, nhiệm vụ phát triển Thủ đô": what it is about
        kw["_about"] = words_of(about.group("about")) if about else frozenset()
        self.rows.append(dict(start=m_start, end=m_end, text=self.text[m_start:m_end], **kw))

    def party_codes(self) -> None:
        """Party codes: ``35-CT/TW``, ``789-TB/TU`` (also written inverted)."""
        for m in (_PARTY.finditer(self.f) if self.has_slash else ()):
            word, w_start = _word_before(self.f, m.start())
            abbr = _abbr_norm(m.group("abbr"))
            iss = normalise_issuer(m.group("iss"))
            if abbr.upper() not in abbr_to_name() and iss.upper() in abbr_to_name() \
                    and lookup_issuer(abbr).level != "unknown":
                abbr, iss = _abbr_norm(iss), normalise_issuer(abbr)  # "789-TU/TB" written inverted
            info = lookup_issuer(iss)  # also 05-CT/TTg, an old-style state code
            num = norm_number(m.group("num"))
            code = f"{num}-{abbr}/{iss}"
            self.add(w_start, m.end(), doc_type=_type_name(word, abbr), number=num, code=code,
                     issuer=info.issuer or iss, level=info.level, system=info.system, canonical=code,
                     resolved="code", _abbr=abbr,
                     _word=bool(word) and _type_name(word, abbr) != _type_name(None, abbr))

    def state_codes(self) -> None:
        """State codes: ``05/2019/NĐ-CP``, ``16/NQ-TW`` (a Party code miswritten), laws of the QH."""
        for m in (_STATE.finditer(self.f) if self.has_slash else ()):
            if not self.free(*m.span()):
                continue
            word, w_start = _word_before(self.f, m.start())
            num = norm_number(m.group("num"))
            year = m.group("year") or m.group("year0")
            if m.group("qh"):
                abbr, iss = None, m.group("qh")
                code = f"{num}/{year}/{iss}" if year else f"{num}/{iss}"
            else:
                abbr, iss = _abbr_norm(m.group("abbr")), normalise_issuer(m.group("iss"))
                code = f"{num}/{year}/{abbr}-{iss}" if year else f"{num}/{abbr}-{iss}"
            info = lookup_issuer(iss)
            if abbr and not year and info.system == "party":  # "16/NQ-TW" is 16-NQ/TW miswritten
                code = f"{num}-{abbr}/{iss}"
            dtype = _type_name(word, abbr) or ("Luật" if m.group("qh") else None)
            self.add(w_start, m.end(), doc_type=dtype, number=num, code=code, issuer=info.issuer or iss,
                     level=info.level, system=info.system if info.system != "unknown" else "state",
                     canonical=code, resolved="code", _abbr=abbr,
                     _word=bool(word))

    def plenums(self) -> None:
        """Central Committee plenums: ``Nghị quyết Trung ương 4 (khóa XII)``."""
        for m in (_PLENUM.finditer(self.f) if ("Trung ương" in self.f or "TW" in self.f or "TƯ" in self.f or "T.Ư" in self.f) else ()):
            if not self.free(*m.span()):
                continue
            n = m.group("n")
            n = int(n) if n.isdigit() else roman_to_int(n)
            if not n:
                continue
            k = m.group("k")
            if k and k.isdigit():
                from ._common import int_to_roman
                k = int_to_roman(int(k))
            canon = f"NQ TW{n} ({k})" if k else f"NQ TW{n}"
            self.add(m.start(), m.end(), doc_type="Nghị quyết", number=str(n), code=None,
                     issuer="Ban Chấp hành Trung ương", level="central", system="party", canonical=canon,
                     resolved="name", _plenum=(n, k))

    def congress_resolutions(self) -> None:
        """Congress resolutions: ``Nghị quyết Đại hội XIII``, of a Party organisation too."""
        congresses = _congress_records(self.text) if "ghị quyết Đại hội" in self.f else []
        for c in congresses:
            if c["kind"] != "congress":
                continue
            c = pd.Series(c)
            s = c.start - len("Nghị quyết ")
            if s < 0 or self.f[s:c.start].lower() != "nghị quyết " or pd.isna(c.number) or not self.free(s, c.end):
                continue
            roman = c.roman if c.roman and not str(c.roman).isdigit() else None
            from ._common import int_to_roman
            roman = roman or int_to_roman(int(c.number))
            canon = f"NQ ĐH {roman}" if c.national else f"NQ ĐH {roman} ({c.organisation})"
            self.add(s, c.end, doc_type="Nghị quyết", number=str(int(c.number)), code=None,
                     issuer="Đại hội Đảng toàn quốc" if c.national else f"Đại hội {c.organisation}",
                     level=c.level, system="party", canonical=canon, resolved="name")

    def named(self) -> None:
        """Named documents: the Party Statute, the Platform, the Constitution."""
        for m in (_NAMED.finditer(self.f) if ("iều lệ" in self.f or "Cương lĩnh" in self.f or "Hiến pháp" in self.f) else ()):
            if not self.free(*m.span()):
                continue
            name = m.group("name")
            if name[0] == "đ" and re.search(r"(?i:tiểu ban)[^.;]{0,60}$", self.f[max(0, m.start() - 80):m.start()]):
                continue  # "các tiểu ban văn kiện, kinh tế - xã hội, điều lệ Đảng": a subcommittee
            name = name[0].upper() + name[1:]  # "đúng điều lệ Đảng" cites the Statute too
            # the Platform is the Party's own unless a country is written right after it
            country = foreign_country(self.f, m.start(), m.end(), _sentence_bounds(self.f, m.start(), m.end()),
                                      nearby=name != "Cương lĩnh")
            doc_type = " ".join(name.split()[:2])
            if country:  # "Hiến pháp Mỹ", "điều lệ Đảng" of China's Party: another country's document
                self.add(m.start(), m.end(), doc_type=doc_type, number=None, code=None, issuer=country,
                         level="foreign", system="foreign", canonical=f"{name} ({country})", resolved="name")
                continue
            self.add(m.start(), m.end(), doc_type=doc_type,
                     number=None, code=None, issuer="Đảng Cộng sản Việt Nam" if "Đảng" in name or "Cương" in name
                     else "Quốc hội", level="central", system="party" if name != "Hiến pháp" else "state",
                     canonical=name, resolved="name")

    def laws(self) -> None:
        """Laws and codes by name: ``Luật Đất đai (sửa đổi)``, ``Bộ luật Hình sự``. A name
        ends where its title in the lexicon ends (``resolved="name"``); a capitalised name
        the lexicon lacks is cut at the first word that is no name (``resolved="none"``).
        A school, faculty or firm (``Trường Luật …``) is no law; a law whose nearest
        country in the sentence is another one is that country's (``level="foreign"``)."""
        if "uật" not in self.f:
            return
        for m in _LAW_WORD.finditer(self.f):
            start, code, lower = m.start(), bool(m.group("bo")), m.group("luat") == "luật"
            hit = law_title_at(self.f, m.end(), code=code)
            if hit is not None:
                end, canonical, upper = hit
                if lower and not code and not upper:
                    continue  # "luật giao thông": the rules of the road, not a law's title
                resolved = "name"
            elif code or lower:
                continue
            else:
                name = _unlisted_law_name(self.f, m.start("luat"))
                if not name:
                    continue
                end, canonical, resolved = m.end() + len(name), "Luật " + name, "none"
            sd = re.match(r"\s*\(?sửa đổi(?:, bổ sung)?\)?", self.f[end:end + 25])
            if sd:
                end += sd.end()
            if not self.free(start, end) or is_decoy(self.f, start) \
                    or re.search(r"Công ước\b[^.;]{0,40}$", self.f[max(0, start - 50):start]):
                continue  # "Công ước … về Luật Biển" is the UN convention, not a Vietnamese law
            country = None if canonical.endswith("Việt Nam") else \
                foreign_country(self.f, start, end, _sentence_bounds(self.f, start, end))
            # another country's law is its own document, never counted with ours of the same name
            self.add(start, end, doc_type="Luật", number=None, code=None,
                     issuer=country or "Quốc hội", level="foreign" if country else "central",
                     system="foreign" if country else "state",
                     canonical=f"{canonical} ({country})" if country else canonical, resolved=resolved)

    def uncoded_years(self) -> None:
        """``Nghị quyết 71/2025 của Bộ Chính trị``: a number and a year; the issuer makes the code."""
        for m in (_UNCODED_YEAR.finditer(self.f) if self.has_slash else ()):
            word = m.group("word")
            if not self.free(*m.span()) or not (m.group("so") or word[0].isupper() or m.group("org")):
                continue
            dtype = doc_type_by_name()[word.lower()]
            num, year = norm_number(m.group("num")), int(m.group("year"))
            org = (m.group("org") or "").lower()
            org = re.sub(r"^ban thường vụ ", "", org)
            row = dict(doc_type=dtype.name, number=num, code=None, issuer=None, level="unknown", system=None,
                       canonical=f"{num}-{dtype.short}/?", resolved="none", _year=year)
            if org in _PHRASE_CODE and dtype.party:
                info = lookup_issuer(_PHRASE_CODE[org])
                row.update(issuer=info.issuer, level=info.level, system="party",
                           canonical=f"{num}-{dtype.party[0]}/{_PHRASE_CODE[org]}", resolved="issuer")
            elif org == "quốc hội" and dtype.name == "Nghị quyết" and _legislature(year):
                info = lookup_issuer("QH")
                row.update(issuer=info.issuer, level=info.level, system="state",
                           canonical=f"{num}/{year}/QH{_legislature(year)}", resolved="issuer")
            elif org in _STATE_ISSUER and dtype.state:
                info = lookup_issuer(_STATE_ISSUER[org])
                row.update(issuer=info.issuer, level=info.level, system="state",
                           canonical=f"{num}/{year}/{dtype.state[0]}-{_STATE_ISSUER[org]}", resolved="issuer")
            self.add(m.start(), m.end() if m.group("org") else m.end("year"), **row)

    def uncoded(self) -> None:
        """Numbers without a code (``Chỉ thị 05``): resolved from a coded mention in the article or the issuer."""
        coded = [r for r in self.rows if r["resolved"] == "code"]
        for m in _UNCODED.finditer(self.f):
            word, num_raw = m.group("word"), m.group("num")
            if not self.free(m.start(), m.end("num")):
                continue
            num = norm_number(num_raw)
            if not m.group("so") and not word[0].isupper() and not m.group("org") \
                    and not any(r["number"] == num for r in self.rows):
                continue  # "các chỉ thị 5 năm": unless "số", an issuer or the code says it is one
            if not m.group("so") and len(num_raw) == 4 and 1945 <= int(num_raw) <= 2050:
                continue  # "Kế hoạch 2020" is a year
            if not m.group("so") and len(num_raw) == 1 and re.match(
                    r"\s+(?!của|về|và|ngày|khóa|đã|được|năm\s+\d)[a-zđà-ỹ]", self.f[m.end("num"):m.end("num") + 12]):
                continue  # "Quy định 3 độ tuổi": a count, not document number 3
            dtype = doc_type_by_name()[word.lower()]
            abbrs = {a.upper() for a in dtype.party + dtype.state}
            same = [r for r in coded if r["number"] == num and (r.get("_abbr") or "").upper() in abbrs] or \
                [r for r in self.rows if r["number"] == num and r["resolved"] == "issuer" and r["doc_type"] == dtype.name]
            org = m.group("org")
            end = m.end() if org else (m.end("year") if m.group("year") else m.end("num"))
            row = dict(doc_type=dtype.name, number=num, code=None, issuer=None, level="unknown",
                       system=None, canonical=f"{num}-{dtype.short}/?", resolved="none")
            if m.group("year"):
                row["_year"] = int(m.group("year"))
            if same:
                before = [r for r in same if r["start"] < m.start()]
                ref = before[-1] if before else same[0]
                row.update(issuer=ref["issuer"], level=ref["level"], system=ref["system"],
                           canonical=ref["canonical"], resolved="article")
            elif org and org.lower().startswith("thủ tướng") and dtype.name == "Chỉ thị":
                info = lookup_issuer("TTg")  # the Prime Minister's directives carry no year: 16/CT-TTg
                row.update(issuer=info.issuer, level=info.level, system="state",
                           canonical=f"{num}/CT-TTg", resolved="issuer")
            elif org and dtype.party and re.sub(r"^ban thường vụ ", "", org.lower()) in _PHRASE_CODE:
                iss = _PHRASE_CODE[re.sub(r"^ban thường vụ ", "", org.lower())]
                info = lookup_issuer(iss)
                row.update(issuer=info.issuer, level=info.level, system="party",
                           canonical=f"{num}-{dtype.party[0]}/{iss}", resolved="issuer")
            elif org:
                row.update(issuer=org, level=org_level(org) if org_level(org) != "unknown" else "central",
                           system="state" if org.lower() in {"chính phủ", "thủ tướng", "thủ tướng chính phủ", "quốc hội"}
                           else "party")
            self.add(m.start(), end, **row)

    def finish(self) -> list[dict]:
        """Bare plenums take the khóa of a fuller mention; one document type per document."""
        # bare plenum mentions take the khóa of a fuller mention of the same plenum
        plenums = [r for r in self.rows if r.get("_plenum")]
        for r in plenums:
            n, k = r["_plenum"]
            if k is None:
                ks = {p["_plenum"][1] for p in plenums if p["_plenum"][0] == n and p["_plenum"][1]}
                if len(ks) == 1:
                    r["canonical"] = f"NQ TW{n} ({ks.pop()})"
                    r["resolved"] = "article"
        self.rows.sort(key=lambda r: r["start"])
        # "các Nghị quyết số 18-NQ/TW, số 19-NQ/TW, số 27-NQ/TW của Hội nghị Trung ương khóa XII":
        # the khóa written after a list of codes is every listed code's
        for later, earlier in zip(self.rows[::-1][:-1], self.rows[::-1][1:]):
            if later.get("_khoa") and earlier.get("code") and later.get("code") and not earlier.get("_khoa") \
                    and not earlier.get("date") and _LIST_GAP.fullmatch(self.f[earlier["end"]:later["start"]]):
                earlier["_khoa"] = later["_khoa"]
        # one document type per document: the type word written with it wins over the code
        worded = {}
        for r in self.rows:
            if r.get("_word") and r["canonical"] not in worded:
                worded[r["canonical"]] = r["doc_type"]
        out = []
        article_words = None
        for r in self.rows:
            r["doc_type"] = worded.get(r["canonical"], r["doc_type"])
            r["doc_id"] = self.doc_id
            r["span"] = (r["start"], r["end"])
            if r["resolved"] == "none":  # only a short form left unresolved reads the whole article
                if article_words is None:
                    article_words = words_of(self.f)
                r["_article_words"] = article_words
            out.append({**{c: r.get(c) for c in REFERENCE_COLUMNS},
                        **{k: v for k, v in r.items() if k.startswith("_")}})
        return out
