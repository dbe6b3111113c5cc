"""Party level of an article, from the organs it names."""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from ._common import prepare, title_heads
from ._congress import _ORG_TOKEN, org_level

__all__ = ["classify_level", "LevelResult", "LEVELS"]

LEVELS = ("central", "provincial", "district", "grassroots")

_ORGANS = [
    ("central", r"Bộ Chính trị|Ban Bí thư|Ban Chấp hành Trung ương|Trung ương Đảng|"
                r"Ban (?:Tổ chức|Tuyên giáo|Dân vận|Nội chính|Kinh tế|Đối ngoại) Trung ương|"
                r"Ủy ban Kiểm tra Trung ương|Văn phòng Trung ương|Quân ủy Trung ương|Đảng ủy Công an Trung ương"),
    ("provincial", r"Tỉnh ủy|Thành ủy|Đảng bộ (?:tỉnh|thành phố|TP)\b|(?:HĐND|UBND|Hội đồng nhân dân|Ủy ban nhân dân) (?:tỉnh|thành phố|TP)\b"),
    ("district", r"Quận ủy|Huyện ủy|Thị ủy|Đảng bộ (?:quận|huyện|thị xã)\b|(?:HĐND|UBND|Hội đồng nhân dân|Ủy ban nhân dân) (?:quận|huyện|thị xã)\b"),
    ("grassroots", r"Đảng (?:ủy|bộ) (?:phường|xã|thị trấn)\b|[Cc]hi bộ|[Đđ]ảng bộ cơ sở|tổ chức cơ sở [Đđ]ảng"),
]
_BLOC = re.compile(rf"Đảng (?:ủy|bộ) Khối(?P<rest>(?:\s+{_ORG_TOKEN}){{0,8}})")
_ORGAN_RE = re.compile("|".join(f"(?P<{lvl}>{pat})" for lvl, pat in _ORGANS))
# generic subordinate units ("100% chi bộ cơ sở") tell less than a named organ
_GENERIC = re.compile(r"[Cc]hi bộ|[Đđ]ảng bộ cơ sở|tổ chức cơ sở [Đđ]ảng")


class LevelResult(NamedTuple):
    """``level``: the main Party level; ``counts``: organ mentions per level (titles excluded)."""
    level: str
    counts: dict


def _title_re() -> re.Pattern:
    heads, _ = title_heads()
    alt = "|".join(re.escape(h) for h in heads)
    return re.compile(
        rf"(?:{alt})(?:\s+(?:Thường trực|Thường trưc|Ban Thường vụ|Dự khuyết|Ban Chấp hành|"
        rf"Ban [^\W\d_]+(?: [^\W\d_]+)?))*\s+$"
    )


_TITLE_BEFORE = None


def classify_level(text, *, title_weight: float = 2.0) -> LevelResult:
    """Party organ level of an article: ``central``, ``provincial``, ``district`` or ``grassroots``.

    Counts mentions of organs of each level (Bộ Chính trị, Ban Bí thư, Đảng ủy Khối các cơ
    quan Trung ương → central; Tỉnh ủy, Thành ủy, Đảng bộ tỉnh/thành phố and the province's
    bloc → provincial; Quận/Huyện/Thị ủy → district; Đảng ủy phường/xã, chi bộ → grassroots).
    An organ named inside an official's title (*Phó Bí thư Thành ủy* Nguyễn Văn A) says who
    attended, not where the work happens, and is not counted; generic subordinate units
    (*100% chi bộ*) count one half. ``text`` may be a string or an article (mapping or
    Series with ``text`` and optional ``title``; title mentions weigh ``title_weight``).
    The level with the highest score wins; ties go to the higher level. ``"unknown"`` when
    no organ is named.
    """
    global _TITLE_BEFORE
    if _TITLE_BEFORE is None:
        _TITLE_BEFORE = _title_re()
    if isinstance(text, Mapping) or hasattr(text, "get") and not isinstance(text, str):
        parts = [(text.get("title") or "", title_weight), (text.get("text") or "", 1.0)]
    else:
        parts = [(text or "", 1.0)]
    counts = {lvl: 0 for lvl in LEVELS}
    score = {lvl: 0.0 for lvl in LEVELS}
    for part, weight in parts:
        _, f = prepare(str(part))
        bloc = None
        for m in _BLOC.finditer(f):
            rest = m.group("rest").strip()
            if rest:
                bloc = org_level(m.group(0))
                break
        hits = [(m.start(), m.end(), m.lastgroup, m.group(0)) for m in _ORGAN_RE.finditer(f)]
        for m in _BLOC.finditer(f):
            rest = m.group("rest").strip()
            lvl = org_level(m.group(0)) if rest else bloc
            if lvl in counts:
                hits.append((m.start(), m.end(), lvl, m.group(0)))
        for start, end, lvl, surface in hits:
            if _TITLE_BEFORE.search(f[max(0, start - 60):start]) or f[end:end + 5] == " viên":
                continue
            counts[lvl] += 1
            score[lvl] += weight * (0.5 if _GENERIC.fullmatch(surface) else 1.0)
    if not any(counts.values()):
        return LevelResult("unknown", counts)
    best = max(LEVELS, key=lambda lvl: (score[lvl], -LEVELS.index(lvl)))
    return LevelResult(best, counts)
