"""Reported figures: percentages, ratios and counts with what they measure and their targets."""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from ._common import _resource_lines, parse_number, prepare

__all__ = ["extract_figures", "FIGURE_COLUMNS"]

FIGURE_COLUMNS = ["doc_id", "kind", "value", "denominator", "unit", "qualifier", "subject", "target",
                  "comparator", "met", "start", "end", "text"]

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_QUAL = {"trên": ">", "hơn": ">", "dưới": "<", "chưa đến": "<", "khoảng": "~", "gần": "~",
         "xấp xỉ": "~", "từ": ">=", "ít nhất": ">=", "tối thiểu": ">=", "tối đa": "<=", "đạt": "=",
         "phấn đấu": "=", "là": "="}
_QUAL_RE = "|".join(sorted((re.escape(q) for q in _QUAL), key=len, reverse=True))
_TARGET = re.compile(
    rf"\(\s*(?:chỉ tiêu|mục tiêu|kế hoạch)(?:\s+(?:là|đề ra|giao|đặt ra))?\s*:?\s*(?:(?P<cmp>{_QUAL_RE})\s+)*"
    rf"(?P<t>{_NUM})\s*(?P<pct>%)?[^()]*?\)"
)
_DATE_BEFORE = re.compile(r"(?:ngày|sáng|chiều|tối|trưa|đêm|quý|tháng|năm|lần|số|khóa|thứ|Hội nghị|kỳ|[-–/.:])\s*$", re.I)
_TIME_AFTER = re.compile(r"\s*(?:năm|tháng|ngày|tuần|giờ|phút|quý|thế kỷ|tuổi|lần|bước|km|m2|ha)\b")


@lru_cache(maxsize=None)
def _units() -> re.Pattern:
    units = sorted({u.strip() for u in _resource_lines("figure_units.txt")}, key=len, reverse=True)
    return re.compile(r"\s*(?P<unit>" + "|".join(re.escape(u) for u in units) + r")(?![^\W\d_])")


def _subject(f: str, pos: int) -> str:
    """Words after the figure up to the end of its clause, parentheticals removed."""
    s = re.sub(r"\([^()\n]*\)", lambda m: " " * len(m.group(0)), f[pos:pos + 200])
    for m in re.finditer(r"[;.(\n]|,\s*(?=\d)|\s(?:và|trong đó)\s+(?:trên\s+|có\s+)?\d", s):
        s = s[:m.start()]
        break
    words = s.replace("“", "").replace("”", "").replace('"', "").split()
    return " ".join(words[:14]).strip(" ,:")


def extract_figures(text: str, *, doc_id=None) -> pd.DataFrame:
    """Reported figures in ``text``: one row per percentage, ratio or count.

    ``kind``: ``percent`` (``98,65%`` -> 98.65), ``ratio`` (``26/61 đảng bộ`` -> value 26,
    ``denominator`` 61) or ``count`` (a number followed by a unit of ``resources/figure_units.txt``,
    ``1.950 biên chế`` -> 1950; Vietnamese number format: dot groups thousands, comma is the
    decimal mark). ``qualifier`` reads *trên/hơn* (>), *dưới* (<), *khoảng/gần* (~).
    ``subject`` is what the figure measures (the rest of its clause); a target in the genre's
    parenthesis (*97,8% đảng viên (chỉ tiêu trên 85%)*) fills ``target``/``comparator``
    and ``met``; ``X/chỉ tiêu … đạt 213/210`` reads as value 213 against target 210.
    Targets are not reported as figures of their own. Dates, years, ordinals and time spans
    (*10 tháng*, *lần thứ 21*, *quý 1/2020*) are not figures.
    """
    text, f = prepare(text)
    targets = [(m.start(), m.end(), m) for m in _TARGET.finditer(f)]
    rows = [r for m in _figure_re().finditer(f) if (r := _figure_at(f, text, m, targets)) is not None]
    df = pd.DataFrame(rows, columns=[c for c in FIGURE_COLUMNS if c != "doc_id"])
    df.insert(0, "doc_id", doc_id)
    return df.sort_values("start", kind="stable").reset_index(drop=True)


@lru_cache(maxsize=1)
def _figure_re() -> re.Pattern:
    return re.compile(
        rf"(?:(?P<qual>{_QUAL_RE})\s+)?(?<![\d.,/])(?P<a>{_NUM})(?:\s*/\s*(?P<b>\d+)(?!\s*/\s*\d))?(?P<pct>\s*%)?(?![\d/]|\.\d)"
    )


def _target_for(f: str, targets: list, pos: int) -> tuple[float | None, str | None]:
    """The target in the genre's parenthesis after a figure, within its clause."""
    stop = len(f)
    m = re.search(r"[;.\n]", f[pos:])
    if m:
        stop = pos + m.start()
    for s, e, tm in targets:
        if pos <= s < stop:
            between = f[pos:s]
            if re.search(rf"(?<![\d,.]){_NUM}\s*%", between):
                return None, None  # another percentage owns the target
            cmp = _QUAL.get(tm.group("cmp") or "", "=")
            return parse_number(tm.group("t")), cmp
    return None, None


def _figure_at(f: str, text: str, m: re.Match, targets: list) -> dict | None:
    """The figure a number match reports, or None (a date, a code, a target …)."""
    a_start = m.start("a")
    if any(s <= a_start < e for s, e, _ in targets):
        return None  # targets are read with their figure
    if f[m.end():m.end() + 1] in {"-"} or re.match(r"\s*[-–]\s*[A-ZĐ]", f[m.end():m.end() + 4]):
        return None  # document code 35-CT/TW
    before = f[max(0, a_start - 12):a_start]
    qual = _QUAL.get(m.group("qual") or "", None) if m.group("qual") else None
    if qual == "=":
        qual = None
    denom = None
    if m.group("pct"):
        if m.group("b"):
            return None
        value, unit, kind, end = parse_number(m.group("a")), "%", "percent", m.end()
    elif m.group("b"):
        if _DATE_BEFORE.search(before) and not re.search(r"đạt\s*$", before):
            return None
        if "," in m.group("a"):
            return None
        a, b = int(m.group("a").replace(".", "")), int(m.group("b"))
        um = _units().match(f, m.end())
        if um:
            value, denom, unit, kind, end = float(a), float(b), um.group("unit"), "ratio", um.end()
        elif re.search(r"đạt\s*$", before) and re.search(r"/\s*chỉ tiêu", f[max(0, a_start - 120):a_start]):
            # "X/chỉ tiêu … đạt 213/210": a value against its target
            return dict(kind="count", value=float(a), denominator=None, unit=None, qualifier=None,
                        subject=re.sub(r"\s+", " ", f[f.rfind(";", 0, a_start) + 1:a_start]).strip(" ,"),
                        target=float(b), comparator="=", met=a >= b, start=m.start(), end=m.end(),
                        text=text[m.start():m.end()])
        else:
            return None
    else:
        if _DATE_BEFORE.search(before) or _TIME_AFTER.match(f, m.end()):
            return None
        if re.search(r"(?:^|\n)\s*$", before) and f[m.end():m.end() + 1] in {".", ")"}:
            return None  # list numbering "1."
        um = _units().match(f, m.end())
        if not um:
            return None
        money = re.match(r"\s*(?:nghìn|ngàn|triệu|tỷ)\s+(?:tỷ\s+)?đồng", f[m.end():m.end() + 20])
        value, unit, kind, end = parse_number(m.group("a")), um.group("unit"), "count", um.end()
        if money:
            unit, end = money.group(0).strip(), m.end() + money.end()
    subject = _subject(f, m.end() if kind == "percent" else end)
    if kind != "percent":
        subject = (unit + " " + subject).strip() if subject else unit
    tgt, cmp = _target_for(f, targets, m.end())
    met = None
    if tgt is not None:
        met = {">": value > tgt, ">=": value >= tgt, "<": value < tgt, "<=": value <= tgt}.get(cmp, value >= tgt)
    start = m.start() if m.group("qual") else a_start
    return dict(kind=kind, value=value, denominator=denom, unit=unit, qualifier=qual, subject=subject,
                target=tgt, comparator=cmp, met=met, start=start, end=end, text=text[start:end])
