"""Congresses (Đại hội … lần thứ XIII), terms (nhiệm kỳ 2020-2025) and khóa (khóa XII)."""
from __future__ import annotations

import re

import pandas as pd

from ._common import CAPWORD, ROMAN_RE, prepare, roman_to_int

__all__ = ["extract_congresses", "org_level"]

# Lowercase words that may sit inside the name of a Party organisation.
_ORG_LOWER = (
    r"các cơ quan|cơ quan|thành phố|tỉnh|quận|huyện|thị xã|xã|phường|thị trấn|"
    r"và [Dd]oanh nghiệp|doanh nghiệp|khối|cơ sở|quân sự|công an|trực thuộc|trung ương|quan|ương|nghiệp"
)
_ORG_TOKEN = rf"(?:{CAPWORD}|TP\.?|{_ORG_LOWER})"
# "Đảng bộ Khối các cơ quan TP Hà Nội", "Đảng bộ tỉnh", "Đảng bộ phường Thanh Xuân Bắc"
ORG_RE = rf"(?:Đảng bộ|Đảng ủy)(?:\s+(?!lần\b|khóa\b|nhiệm\b){_ORG_TOKEN}){{0,8}}"

_CONGRESS = re.compile(
    rf"(?P<head>[Đđ]ại hội)(?P<deleg>\s+đại biểu)?"
    rf"(?:\s+(?P<pre>toàn quốc|{ORG_RE}|Đảng(?:\s+Cộng sản Việt Nam)?(?:\s+toàn quốc)?))?"
    rf"(?:\s*,?\s*(?:(?P<lan>lần(?:\s+thứ)?)\s+(?P<num_a>{ROMAN_RE}\b|\d{{1,2}}\b)|(?P<num_r>{ROMAN_RE})\b))"
    rf"(?:\s+(?:của\s+)?(?P<post>{ORG_RE}|Đảng(?:\s+Cộng sản Việt Nam)?\b))?"
)
# A congress named only by organisation and term: "Đại hội Đảng bộ Khối … nhiệm kỳ 2020 - 2025"
_CONGRESS_TERM = re.compile(
    rf"(?P<head>[Đđ]ại hội)(?P<deleg>\s+đại biểu)?\s+(?P<pre>{ORG_RE})\s*,?\s*\(?nhiệm kỳ"
)
_TERM = re.compile(r"nhiệm kỳ\s*\(?\s*(?P<a>(?:19|20)\d{2})\s*[-–—]\s*(?P<b>(?:19|20)\d{2})")
_KHOA = re.compile(rf"\(?\s*[Kk]hóa\s+(?P<num>{ROMAN_RE})\b\s*\)?")
_KHOA_BODY = re.compile(
    rf"(?:Ban Chấp hành|Ban Thường vụ|Bộ Chính trị|Ban Bí thư|Trung ương|Tỉnh ủy|Thành ủy|"
    rf"Quận ủy|Huyện ủy|Thị ủy|Đảng ủy|Quốc hội|Hội đồng nhân dân|HĐND)(?:\s+(?:{_ORG_TOKEN}|bộ|ủy)){{0,8}}"
)
_PREPARING = re.compile(
    r"(?:(?:chuẩn bị(?:\s+[^\s.;,]+){0,3}?|tiến tới|hướng tới)(?:\s+cho)?(?:\s+[Đđ]ại hội[^.;]{0,60}?\s+và)?"
    r"|chào mừng|phục vụ|trình|(?:sự\s+)?thành công)\s+$"
)
_NATIONAL_BODIES = ("Trung ương", "Ban Chấp hành Trung ương", "Bộ Chính trị", "Ban Bí thư", "Quốc hội")


def org_level(org: str | None) -> str:
    """Party level of an organisation name: central, provincial, district, grassroots, unknown."""
    if not org:
        return "unknown"
    o = org.lower()
    if re.search(r"\b(phường|xã|thị trấn|cơ sở|chi bộ)\b", o):
        return "grassroots"
    if re.search(r"\b(quận|huyện|thị xã|quận ủy|huyện ủy|thị ủy)\b", o):
        return "district"
    if "toàn quốc" in o or "trung ương" in o or o.strip() in {"đảng", "đảng cộng sản việt nam"}:
        return "central"
    if re.search(r"\b(tỉnh|thành phố|tp\.?|thủ đô|thành ủy|tỉnh ủy|khối)\b", o) or "hà nội" in o:
        return "provincial"
    return "unknown"


def _clean_org(org: str | None) -> str | None:
    if not org:
        return None
    org = re.sub(r"\s+", " ", org).strip(" ,")
    return org or None


def _org_key(org: str) -> str:
    """First three words, lowercased: "Đảng bộ Khối các cơ quan TP" -> "đảng bộ khối"."""
    return " ".join(org.lower().replace("đảng ủy", "đảng bộ").split()[:3])


_CONGRESS_COLUMNS = ["doc_id", "kind", "number", "roman", "organisation", "national", "level", "term",
                     "start_year", "end_year", "preparing", "start", "end", "text"]


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=_CONGRESS_COLUMNS)
    for c in ("number", "start_year", "end_year"):
        df[c] = df[c].astype("Int64")
    return df


def extract_congresses(text: str, *, doc_id=None) -> pd.DataFrame:
    """Congresses, terms and khóa mentioned in ``text``: one row per mention.

    ``kind`` is ``"congress"`` (``number`` read from the Roman or Arabic numeral,
    ``organisation`` it belongs to, ``national`` for the national Party congress,
    ``level``, ``term`` when attached, ``preparing`` when the article prepares for it:
    *chuẩn bị*, *tiến tới*, *hướng tới*, *chào mừng* …), ``"term"`` (``start_year``,
    ``end_year`` of *nhiệm kỳ 2020-2025*) or ``"khoa"`` (``number`` of *khóa XII* and the
    ``organisation`` whose term it is). A congress without organisation (*Đại hội XIII*)
    belongs to the organisation the article named with the same number, else it is the
    national congress. Offsets index the NFC text.
    """
    return _frame(_congress_records(text, doc_id))


def _congress_records(text: str, doc_id=None) -> list[dict]:
    text, f = prepare(text)
    rows: list[dict] = []
    taken: list[tuple[int, int]] = []
    has_congress = "ại hội" in f
    # bloc ("Đảng bộ Khối") named in full somewhere: short mentions inherit its name
    full_bloc = None if "Khối" not in f else re.search(rf"Đảng (?:bộ|ủy) Khối(?:\s+{_ORG_TOKEN}){{1,8}}", f)
    for m in (_CONGRESS.finditer(f) if has_congress else ()):
        if m.group("lan") is None and m.group("pre") is None and m.group("post") is None \
                and not m.group("num_r"):
            continue
        roman = m.group("num_a") or m.group("num_r")
        if not roman:
            continue
        if m.group("pre") is None and m.group("post") is None and \
                re.match(r"[^\S\n]+(?!Đảng\b|Nhiệm\b)[A-ZĐ]", f[m.end():m.end() + 3]):
            continue  # "Đại hội XIII Hội Luật gia Việt Nam": a congress of another organisation
        number = int(roman) if roman.isdigit() else roman_to_int(roman)
        if not number:
            continue
        org = _clean_org(m.group("pre") or m.group("post"))
        rows.append(_congress_row(text, f, m, number, roman, org))
        taken.append(m.span())
    for m in (_CONGRESS_TERM.finditer(f) if has_congress else ()):
        if any(s <= m.start() < e for s, e in taken):
            continue
        org = _clean_org(m.group("pre"))
        if org is None or _org_key(org) in {"đảng bộ các", "đảng bộ cấp"}:
            continue
        end = m.end() - len("nhiệm kỳ")
        rows.append(_congress_row(text, f, m, None, None, org, end=end))
    # resolve organisations: bare numbers and short names
    named = [r for r in rows if r["organisation"]]
    national_numbers = {r["number"] for r in named if r["national"]}
    for r in rows:
        org = r["organisation"]
        if org is None:
            local = [x for x in named if x["number"] == r["number"] and not x["national"]]
            if r["number"] in national_numbers or not local or r["_lan"] is False:
                r.update(organisation="Đảng Cộng sản Việt Nam", national=True)
            else:
                r.update(organisation=local[0]["organisation"], national=False)
        elif full_bloc and _org_key(org) == "đảng bộ khối" and len(org.split()) <= 3:
            r["organisation"] = re.sub(r"^Đảng ủy", "Đảng bộ", full_bloc.group(0))
        if r["national"]:
            r["organisation"] = "Đảng Cộng sản Việt Nam"
        elif r["organisation"]:  # "Đảng bộ quận" -> "Đảng bộ quận Thanh Xuân" named elsewhere
            longer = [x["organisation"] for x in named if x["organisation"] and not x["national"]
                      and x["organisation"].startswith(r["organisation"] + " ")]
            if longer:
                r["organisation"] = max(longer, key=len)
        r["level"] = "central" if r["national"] else org_level(r["organisation"])
    for m in (_TERM.finditer(f) if "nhiệm kỳ" in f else ()):
        rows.append(dict(kind="term", number=None, roman=None, organisation=None, national=None,
                         level=None, start_year=int(m.group("a")), end_year=int(m.group("b")),
                         preparing=False, start=m.start(), end=m.end(), text=text[m.start():m.end()]))
    for m in (_KHOA.finditer(f) if "hóa" in f else ()):
        number = roman_to_int(m.group("num"))
        if not number:
            continue
        before = f[max(0, m.start() - 90):m.start()]
        bodies = list(_KHOA_BODY.finditer(before))
        body = None
        if bodies and bodies[-1].end() >= len(before.rstrip(" (,0123456789")) - 2:
            body = _clean_org(re.sub(r"[\s\d(]+$", "", bodies[-1].group(0)))
        national = bool(body) and any(body.startswith(b) or body == b for b in _NATIONAL_BODIES) \
            and org_level(body) == "central"
        rows.append(dict(kind="khoa", number=number, roman=m.group("num"), organisation=body,
                         national=national, level="central" if national else org_level(body),
                         start_year=None, end_year=None, preparing=False,
                         start=m.start("num") - len("khóa "), end=m.end("num"),
                         text=text[m.start("num") - len("khóa "):m.end("num")]))
    for r in rows:
        r.pop("_lan", None)
        r["doc_id"] = doc_id
        r.setdefault("term", None)
    rows.sort(key=lambda r: (r["start"], r["kind"]))
    return rows


def _congress_row(text, f, m, number, roman, org, *, end=None) -> dict:
    end = m.end() if end is None else end
    while end > m.start() and f[end - 1] in " ,(":
        end -= 1
    # the national congress is the Party's own ("Đại hội Đảng toàn quốc"), never a Đảng bộ's,
    # however central ("Đại hội XIII Đảng bộ khối các cơ quan Trung ương")
    national = org is not None and re.fullmatch(r"toàn quốc|Đảng(?: Cộng sản Việt Nam)?(?: toàn quốc)?", org) is not None
    after = f[end:end + 40]
    tm = _TERM.match(after.lstrip(" ,(")) if after.lstrip(" ,(").startswith("nhiệm kỳ") else None
    term = f"{tm.group('a')}-{tm.group('b')}" if tm else None
    before = f[max(0, m.start() - 120):m.start()]
    preparing = bool(_PREPARING.search(before))
    return dict(kind="congress", number=number, roman=roman, organisation=org, national=national,
                level=None, term=term, start_year=int(tm.group("a")) if tm else None,
                end_year=int(tm.group("b")) if tm else None, preparing=preparing,
                start=m.start(), end=end, text=text[m.start():end], _lan=m.group("lan") is not None
                if "lan" in m.re.groupindex else None)
