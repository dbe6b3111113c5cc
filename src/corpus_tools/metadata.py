"""Metadata of one raw scrape: title, date, author, outlet, body, captions, and what was dropped.

:func:`extract_article` assigns a role to every line of one scraped article (title, meta,
body, heading, caption, author, outlet, boilerplate, blank) and records every line it
does not keep as body, with a reason, so that a researcher can audit the cleaning.
The rules are heuristics tuned on the bundled sample scrapes and the ``../shared``
corpora; site furniture the rules do not know comes from :func:`corpus_tools.clean.find_furniture`.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Mapping, Sequence


from ._resources import read_resource_lines
from .dates import date_candidates, parse_field_date
from .furniture import Furniture
from .clean import (
    BLOCK_REASONS,
    classify_line,
    clean_text,
    clean_tone_marks,
    clean_unicode,
    clean_whitespace,
    strip_diacritics,
)

__all__ = ["extract_article", "ROLES", "load_outlet_aliases", "parse_byline"]

ROLES = ("title", "meta", "body", "heading", "caption", "author", "outlet", "boilerplate", "blank")

# ---------------------------------------------------------------------------
# outlets, bylines
# ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def load_outlet_aliases() -> dict[str, str]:
    """``resources/outlets.tsv`` as ``{alias casefolded: canonical name}`` (read once;
    treat it as read-only)."""
    out = {}
    for raw in read_resource_lines("outlets.tsv", comments="line"):
        if "\t" in raw:
            alias, name = raw.split("\t", 1)
            out[" ".join(alias.split()).casefold()] = name.strip()
    return out


_OUTLETS = load_outlet_aliases()
_RE_OUTLET_PREFIX = re.compile(
    r"^\s*(?P<o>" + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in sorted(_OUTLETS, key=len, reverse=True))
    + r")\s*(?:\([^)]{0,30}\)\s*)?[-–—]\s*(?=\S)", re.I)
_RE_SOURCE_SIG = re.compile(r"^\(?\s*(?:theo(?!\s+(?:dõi|đó|tôi|ông|bà|anh|chị|như|quy|kế|chương|hướng|kết|báo cáo))|nguồn(?! ảnh)|source)\s*:?\s+(?P<o>[^():]{2,60}?)\s*\)?\s*\.?$", re.I)
_SIG_LEFT, _SIG_RIGHT = " \t([–—-", " \t)].–—-"


def _sig_clean(s: str) -> str:
    return s.lstrip(_SIG_LEFT).rstrip(_SIG_RIGHT)

_NAME_TOKEN = r"(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\.?|[A-ZĐ]\.(?:[A-ZĐ]\.?)*)"
_RE_BYLINE = re.compile(
    rf"^(?:(?:bài|ảnh|bài và ảnh|bài, ảnh|tin|nhóm pv|pv|phóng viên|nhóm phóng viên|ctv)\s*:?\s*)?"
    rf"{_NAME_TOKEN}(?:[\s\-–.,&]+(?:và\s+)?{_NAME_TOKEN}){{0,7}}$", re.I)
_RE_NOT_BYLINE = re.compile(
    r"^(?:ông|bà|cụ|anh|chị|em|đồng chí|đ/c|ảnh|clip|video|nguồn|thủ tướng|chủ tịch|bộ trưởng|"
    r"tổng bí thư|bí thư|giám đốc|đại tướng|thượng tướng|trung tướng|thiếu tướng|đại tá|"
    r"thượng tá|trung tá|thiếu tá|đô đốc|phó|đbqh|đại biểu|nguyên|pgs|gs|ts|ths|ls|bs)\b\.?\s", re.I)
_RE_INITIAL_END = re.compile(r"(?:^|[\s.])\w\.$")
_BYLINE_STOP = {"tags", "tag", "từ khóa", "bình luận", "ý kiến", "chia sẻ", "share", "print", "top", "online"}


# scrapes that lost a line break: "Nhật LinhTheo Reuters", "Theo Ngọc HàVietNamNet"
_RE_THEO_HEAD = re.compile(r"^\(?\s*theo\s+", re.I)
_RE_GLUED_THEO = re.compile(r"^(?P<a>.{2,40}?[^\W\d_])Theo\s+(?P<o>.{2,60})$")


def _split_glued(s: str) -> list[str]:
    """Split at the first lower->upper case change inside a word ("HàVietNamNet")."""
    for k in range(1, len(s)):
        if s[k].isupper() and s[k - 1].islower():
            return [s[:k], s[k:]]
    return [s]
_RE_THEO = re.compile(r"^\(?\s*Theo\s+(?!dõi|đó)(?P<rest>.{2,80})$")


def _signature(text: str) -> tuple[str | None, str | None]:
    """``(author, outlet)`` of a closing signature line, either may be None."""
    s = text.strip()
    key = " ".join(_sig_clean(_RE_THEO_HEAD.sub("", s)).split()).casefold()
    if key in _OUTLETS:
        return None, _OUTLETS[key]
    m = _RE_GLUED_THEO.match(s)
    if m and m["a"][-1].islower():
        a = _byline(m["a"])
        if a is not None:
            return a, _outlet_of("Theo " + m["o"])
    m = _RE_THEO.match(s)
    if m:
        parts = _split_glued(m["rest"])
        if len(parts) == 2 and (" " in parts[0] or "." in parts[0]) and _byline(parts[0]) is not None:
            return _byline(parts[0]), _outlet_of(parts[1]) or " ".join(parts[1].strip(" ()").split())
    return None, _outlet_of(s)


def _outlet_of(text: str) -> str | None:
    key = " ".join(_sig_clean(text).split()).casefold()
    if key in _OUTLETS:
        return _OUTLETS[key]
    m = _RE_SOURCE_SIG.match(text.strip())
    if m:
        name = " ".join(m["o"].split())
        return _OUTLETS.get(name.casefold(), name)
    return None


def _byline(text: str) -> str | None:
    """A byline as written, title-cased if shouting (``NGỌC DIỆP`` -> ``Ngọc Diệp``), or None."""
    raw = text.strip()
    if raw.endswith(".") and not _RE_INITIAL_END.search(raw):
        return None  # a sentence, unless it ends with an initial ("Trần H.")
    s = _sig_clean(raw)
    if not s or len(s) > 50 or s.casefold() in _BYLINE_STOP or _RE_NOT_BYLINE.match(s + " "):
        return None
    if not _RE_BYLINE.match(s) or not _RE_BYLINE_CASE.match(s):
        return None
    words = s.split()
    if len(words) > 6:
        return None
    return " ".join(w.title() if w.isupper() and len(w) > 1 and "." not in w else w for w in words)


def parse_byline(text: str) -> str | None:
    """A byline (reporters' names, ``NGỌC DIỆP``, ``Trần H.``, ``Minh Anh - Bảo Kỳ``) as
    written, title-cased if shouting; None when ``text`` does not read as one."""
    return _byline(text)


# every word capitalised (bylines are names), no lower-case function words except "và"
_RE_BYLINE_CASE = re.compile(rf"^{_NAME_TOKEN}(?:[\s\-–.,&]+(?:và\s+)?{_NAME_TOKEN})*$")


# ---------------------------------------------------------------------------
# line roles
# ---------------------------------------------------------------------------

_SENT_END = frozenset(".!?…:;")


def _ends_sentence(t: str) -> bool:
    """Ends with sentence punctuation, possibly inside closing quotes/brackets."""
    t = t.rstrip("'\"”’)»")
    return bool(t) and t[-1] in _SENT_END
_RE_CAPTION_START = re.compile(r"^(?:\(?ảnh|ảnh minh họa|ảnh minh hoạ|photo|nguồn ảnh|clip|video)\s*(?::|-|–|\))", re.I)
# a photo or source credit in parentheses inside a line: "(Ảnh: Forbes)", "(Nguồn: TTXVN)"
_RE_INLINE_CREDIT = re.compile(
    r"\s*\((?:ảnh(?: minh (?:họa|hoạ))?|nguồn(?: ảnh)?|photo|video|clip|đồ (?:họa|hoạ)|infographic)"
    r"(?:\s*:\s*[^()\n]{1,60})?\)", re.I)
_RE_CAPTION_TAIL = re.compile(r"[(\-–]\s*(?:ảnh|nguồn ảnh|photo)\s*:\s*[^()]{1,60}\)?\s*\.?$", re.I)
# what a photo shows: people speaking, presiding, voting, handing over, a general view
_CAPTION_START = ("quang cảnh", "toàn cảnh", "cảnh", "các đại biểu", "đại biểu", "lãnh đạo")
_CAPTION_CUES = ("phát biểu", "chủ trì", "bỏ phiếu", "trao tặng", "tặng hoa", "trao quyết định", "trao giấy",
                 "trao bằng", "trao huy hiệu", "chụp ảnh", "chúc mừng", "tặng quà", "thăm hỏi", "báo cáo tại",
                 "tại buổi", "tại hội nghị", "tại đại hội", "tại lễ", "tại phiên", "tại cuộc họp", "dự buổi",
                 "dự hội nghị", "dự đại hội")
# what a caption does not look like: quotes, discourse connectives, reported speech
_NOT_CAPTION_START = (
    "trước đó", "sau đó", "theo đó", "tuy nhiên", "ngoài ra", "đồng thời", "bên cạnh đó", "cùng với đó",
    "cùng ngày", "trong khi đó", "do đó", "vì vậy", "như vậy", "qua đó", "tại đây", "trước đây", "hiện nay",
    "hiện tại", "theo", "cũng theo", "riêng", "còn", "nhưng", "và", "khi", "nếu", "để", "sau khi", "trước khi",
    "phát biểu", "chủ trì", "tại", "trong", "với", "từ", "thời gian", "đến", "dự kiến", "sau", "trước")
_SPEECH = ("nói", "cho biết", "khẳng định", "nhấn mạnh", "cho rằng", "chia sẻ", "bày tỏ", "đề nghị", "yêu cầu")


def _alternation(phrases: tuple[str, ...]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


# literal alternations without \b at the front: re scans them fast; word ends checked after
_RE_CUE = re.compile(rf"(?:{_alternation(_CAPTION_CUES)})(?!\w)")
_RE_CUE_START = re.compile(rf"(?:{_alternation(_CAPTION_START)})(?!\w)")
_RE_NOT_START = re.compile(rf"(?:{_alternation(_NOT_CAPTION_START)})(?!\w)")
_RE_SPEECH = re.compile(rf"(?:{_alternation(_SPEECH)})(?!\w)")


def _phrase_in(rx: re.Pattern, tl: str) -> bool:
    for m in rx.finditer(tl):
        if m.start() == 0 or not tl[m.start() - 1].isalnum():
            return True
    return False


def _caption_cue(t: str) -> bool:
    """A short line that reads like a photo caption ("X phát biểu tại hội nghị")."""
    tl = t.lower()
    if tl[:1] in "\"“'‘" or tl.endswith(":"):
        return False
    if not (_RE_CUE_START.match(tl) or _phrase_in(_RE_CUE, tl)):
        return False
    return not (_RE_NOT_START.match(tl) or _phrase_in(_RE_SPEECH, tl))


_RE_DATE_CUE_HEAD = re.compile(r"^(?:sáng|chiều|tối|trưa|đêm|ngày|hôm)\b", re.I)
_RE_HEADER_EXTRA = re.compile(
    r"^[\s,|\-–—:()]*(?:(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật|cập nhật|đăng|ngày đăng|ngày|lúc|"
    r"published|updated|posted|gmt\s*[+\-]?\s*\d+(?::\d\d)?|\(?\s*gmt\s*[+\-]?\d+(?::\d\d)?\s*\)?|"
    r"\d+\s*(?:lượt xem|lượt đọc|views?)?|lượt xem|views?|\|)[\s,|\-–—:()]*)*$", re.I)


def _normalise_lines(raw: list[str]) -> list[str]:
    """``clean_text`` of every line (NFC, tone marks, single spaces), done on the joined text
    at once: one pass of each step instead of one per line."""
    parts = clean_whitespace(clean_tone_marks(clean_unicode("\n".join(raw)))).split("\n")
    if len(parts) != len(raw):  # a line held a line break of its own; go line by line
        parts = [clean_whitespace(clean_tone_marks(clean_unicode(ln)).replace("\n", " ")) for ln in raw]
    return parts


def _clean_line(t: str) -> str:
    """clean_text of a line from _normalise_lines: already clean (kept as the one place to change)."""
    return t


def _words(s: str) -> int:
    return s.count(" ") + 1 if s else 0


def _header_date(line: str):
    """``(timestamp, precision, author_or_None)`` when the line is a date line, else None."""
    if len(line) > 120:
        return None
    best = None
    for cand in date_candidates(line, None, coarse=False):
        if cand[3] in ("minute", "day") and (best is None or cand[:2] < best[:2]):
            best = cand
    if best is None:
        return None
    m = best[4]
    before, after = line[: m.start()], line[m.end():]
    if not _RE_HEADER_EXTRA.match(after):
        return None
    author = None
    if not _RE_HEADER_EXTRA.match(before):
        b = before.strip(" ,|-–—:")
        # "Hồng Thái 26-04-2020 10:11": the byline sits before the date
        author = _byline(b)
        if author is None:
            for pre in ("cập nhật", "đăng", "ngày đăng", "lúc"):
                b = re.sub(rf"\s*{pre}\s*:?\s*$", "", b, flags=re.I)
            author = _byline(b)
            if author is None:
                return None
    return best[2], best[3], author


def _title_like(line: str) -> bool:
    n = _words(line)
    return 2 <= n <= 60 and len(line) <= 400 and not _ends_sentence(line) or (
        2 <= n <= 60 and line.endswith(("?", "!")))


def _norm_cmp(s: str) -> str:
    return " ".join(strip_diacritics(s).casefold().split())


def extract_article(lines: Sequence[str], *, known: Mapping[str, Any] | None = None,
                    furniture: Furniture | None = None) -> dict:
    """Split one raw scrape (its lines, decoded, not cleaned) into metadata, body and removals.

    Returns a dict with ``title``, ``published`` (Timestamp or None), ``date_precision``,
    ``date_source`` (``"header"``: a date line at the top; ``"body"``: the first date in the
    opening paragraphs; ``"field"``: from ``known``), ``author``, ``outlet``, ``url``,
    ``paragraphs`` (body incl. headings, cleaned with :func:`~corpus_tools.clean.clean_text`),
    ``captions``, ``removed`` (``{"line", "text", "reason"}`` for each non-body line, 1-based)
    and ``roles`` (one per input line, from :data:`ROLES`).

    ``known`` holds fields a structured input already gives (``title``, ``published``,
    ``author``, ``outlet``, ``url``); they win over what the text says. ``furniture`` comes
    from :func:`~corpus_tools.clean.find_furniture` over the same source.
    """
    known = dict(known or {})
    if isinstance(lines, str):
        lines = lines.splitlines()
    page = _Page(lines, furniture)
    content = page.rules_and_furniture()
    content = page.find_title(content, known.get("title"))
    content = page.header_date(content)
    content = page.footer(content)
    paragraphs, captions = page.body(content)
    page.dates_and_known(known)
    return page.result(paragraphs, captions, known)


class _Page:
    """One scrape being read: its lines, the role and removal reason of each,
    and the metadata found so far. Each step of :func:`extract_article` is a
    method that narrows ``content`` (the lines still unclaimed)."""

    def __init__(self, lines: Sequence[str], furniture: Furniture | None):
        raw = ["" if ln is None else str(ln) for ln in lines]
        self.n = len(raw)
        self.text = _normalise_lines(raw)
        self.indented = [bool(t) and ln[:1].isspace() for ln, t in zip(raw, self.text)]
        self.roles = ["blank" if not t else "" for t in self.text]
        self.reasons: dict[int, str] = {}
        self.fragments: list[dict] = []
        self.furniture = furniture or Furniture()
        self.has_furniture = bool(self.furniture)
        self.block_at = self.n
        self.title: str | None = None
        self.published = self.precision = self.date_source = None
        self.author: str | None = None
        self.outlet: str | None = None

    def mark(self, i: int, role: str, reason: str | None = None) -> None:
        self.roles[i] = role
        if reason:
            self.reasons[i] = reason

    def unclaimed(self, content: list[int]) -> list[int]:
        return [i for i in content if self.roles[i] == ""]

    def rules_and_furniture(self) -> list[int]:
        """1. Rules and furniture, per line; a block header ends the article."""
        text, reasons = self.text, self.reasons
        seen_paragraph = False  # a block header above the article is a menu item, not the end
        for i, t in enumerate(text):
            if not t:
                continue
            r = classify_line(t)
            if r is not None:
                self.mark(i, "boilerplate", r)
                if r in BLOCK_REASONS and seen_paragraph:
                    self.block_at = i
                    break
            elif not seen_paragraph and t.count(" ") >= 24:
                seen_paragraph = True
            if r is None and self.has_furniture and self.furniture.is_line(t) and _header_date(t) is None:
                # date lines recur in shape (digits are masked) but are metadata
                self.mark(i, "boilerplate", "furniture")
        for i in range(self.block_at + 1, self.n):
            if text[i]:
                self.mark(i, "boilerplate", f"after-{reasons[self.block_at]}")
        return [i for i in range(self.block_at) if self.roles[i] == ""]

    def find_title(self, content: list[int], known_title) -> list[int]:
        """2. The title (a structured field wins), and its repeats or slugs."""
        text, roles, reasons = self.text, self.roles, self.reasons
        title = None
        if isinstance(known_title, str) and known_title.strip():
            title = " ".join(clean_unicode(known_title).split())
        title_key = _norm_cmp(title) if title else None
        if title is None and content:
            i = content[0]
            t = text[i]
            if _title_like(t) and _header_date(t) is None and not _RE_DATE_CUE_HEAD.match(t) \
                    and _outlet_of(t) is None and _byline(t) is None:
                title = t
                title_key = _norm_cmp(t)
                self.mark(i, "title", "title")
        if title_key:
            tlen = len(title)
            first = content[0] if content else -1
            for i in range(self.n):
                if text[i] and abs(len(text[i]) - tlen) <= 3 and roles[i] in ("", "boilerplate") \
                        and reasons.get(i) != "title" and _norm_cmp(text[i]) == title_key:
                    # a repeat of the title, or its unaccented slug
                    self.mark(i, "title" if roles[i] == "" and i == first else "boilerplate",
                              "title-repeat" if text[i].casefold() == title.casefold()
                              or any(c > "\x7f" for c in text[i]) else "unaccented-slug")
        self.title = title
        return self.unclaimed(content)

    def header_date(self, content: list[int]) -> list[int]:
        """3. Header: a date line (optionally with byline) before the body."""
        for i in content[:4]:
            hd = _header_date(self.text[i])
            if hd is not None:
                self.published, self.precision, by = hd
                self.date_source = "header"
                self.mark(i, "meta", "date-line")
                if by:
                    self.author = by
                break
            if _words(self.text[i]) > 12:
                break
        return self.unclaimed(content)

    def footer(self, content: list[int]) -> list[int]:
        """4. Footer: signatures after the last paragraph (outlet, byline), walking
        back. A reporter signing many articles of a source looks like furniture:
        reclaim bylines."""
        reasons = self.reasons
        tail = [i for i in range(self.block_at) if self.roles[i] == "" or reasons.get(i) == "furniture"]
        if content:
            tail = [i for i in tail if i > content[0]]
        for i in reversed(tail[-6:] if len(content) > 1 else []):
            t = self.text[i]
            a, o = _signature(t)
            if o is not None and self.outlet is None:
                self.outlet = o
                if a is not None and self.author is None:
                    self.author = a
                reasons.pop(i, None)
                self.mark(i, "outlet", "outlet-signature")
                continue
            if reasons.get(i) == "furniture" and _byline(t) is None:
                continue
            b = _byline(t) if self.author is None else None
            if b is not None and _words(t) <= 6:
                self.author = b
                reasons.pop(i, None)
                self.mark(i, "author", "byline")
                continue
            if reasons.get(i) == "furniture":
                continue
            break
        return self.unclaimed(content)

    def _strip_prefixes(self, k: int, i: int, t: str) -> str:
        """Dateline prefixes that open the article ("Kinhtedothi - Sáng 12/8, ..."),
        photo and source credits in parentheses inside a line ("(Ảnh: Forbes)"), and
        learnt furniture glued to a line, recorded as removed fragments."""
        if "(" in t:
            rest = _RE_INLINE_CREDIT.sub("", t)
            if rest.strip() and rest != t:
                for m in _RE_INLINE_CREDIT.finditer(t):
                    self.fragments.append({"line": i + 1, "text": m.group().strip(), "reason": "credit"})
                t = " ".join(rest.split())
        m = _RE_OUTLET_PREFIX.match(t) if k < 3 else None
        if m and m.end() < len(t):
            if self.outlet is None:
                self.outlet = _OUTLETS[" ".join(m["o"].split()).casefold()]
            self.fragments.append({"line": i + 1, "text": t[: m.end()], "reason": "outlet-prefix"})
            t = t[m.end():]
        if self.has_furniture:
            t2, segments = self.furniture.split_inline(t)
            for seg in segments:
                self.fragments.append({"line": i + 1, "text": seg, "reason": "furniture-inline"})
            pre, t2, suf = self.furniture.split(t2)
            if pre:
                self.fragments.append({"line": i + 1, "text": pre, "reason": "furniture-prefix"})
            if suf:
                sig = suf.strip(" -–—|")
                # a reporter signing many flattened articles: the byline, not chrome
                by = _byline(sig) if self.author is None and _outlet_of(sig) is None else None
                if by is not None:
                    self.author = by
                self.fragments.append({"line": i + 1, "text": suf,
                                       "reason": "byline" if by else "furniture-suffix"})
                if self.outlet is None:
                    self.outlet = _outlet_of(sig)
            if t2.strip():
                t = t2.strip()
        return t

    def body(self, content: list[int]) -> tuple[list[str], list[str]]:
        """5. Body lines: prefixes, captions, headings -> (paragraphs, captions)."""
        text, indented, reasons = self.text, self.indented, self.reasons
        kept: dict[int, str] = {}  # line -> clean text, in line order
        body_indent = sum(1 for i in content if indented[i] and _words(text[i]) > 40)
        indent_is_caption = body_indent == 0
        first_body = True
        last_i = content[-1] if content else -1
        for k, i in enumerate(content):
            t = self._strip_prefixes(k, i, text[i])
            nw = _words(t)
            short = nw <= 30
            j_prev = i - 1
            while j_prev >= 0 and not text[j_prev]:
                j_prev -= 1
            prev_image = j_prev >= 0 and reasons.get(j_prev) in ("image-file", "unaccented-slug")
            if short and (_RE_CAPTION_START.match(t) or _RE_CAPTION_TAIL.search(t[-90:])):
                role = "caption"
            elif not first_body and short and (
                    prev_image or (indented[i] and indent_is_caption)
                    or (nw <= 25 and _caption_cue(t))):
                role = "caption"
            elif not first_body and nw <= 20 and not _ends_sentence(t) and (i == last_i or k + 1 == len(content)):
                role = "caption"  # a short unpunctuated line closing the article labels a photo
            elif nw <= 20 and not _ends_sentence(t) and not first_body:
                role = "heading"
            else:
                role = "body"
            self.mark(i, role)
            kept[i] = _clean_line(t)
            if role != "caption":
                first_body = False
        # a "heading" closing the article heads nothing: it labelled a photo
        last_kept = [i for i in kept if self.roles[i] != "caption"]
        if last_kept and self.roles[last_kept[-1]] == "heading":
            self.roles[last_kept[-1]] = "caption"
        paragraphs = [t for i, t in kept.items() if self.roles[i] != "caption"]
        captions = [t for i, t in kept.items() if self.roles[i] == "caption"]
        return paragraphs, captions

    def dates_and_known(self, known: Mapping[str, Any]) -> None:
        """6. Known fields win; else a date from the body when the header has none."""
        if known.get("published") is not None:
            parsed = parse_field_date(known.get("published"))
            if parsed is not None:
                (self.published, self.precision), self.date_source = parsed, "field"
        if self.published is None:
            for i in [i for i in range(self.n) if self.roles[i] == "body"][:3]:
                best = None
                for cand in date_candidates(self.text[i], None, coarse=False):
                    if cand[3] in ("minute", "day") and (best is None or cand[:2] < best[:2]):
                        best = cand
                if best is not None:
                    self.published, self.precision, self.date_source = best[2], best[3], "body"
                    break
        for key in ("author", "outlet"):
            v = known.get(key)
            if isinstance(v, str) and v.strip():
                setattr(self, key, " ".join(v.split()))

    def result(self, paragraphs: list[str], captions: list[str], known: Mapping[str, Any]) -> dict:
        roles, reasons, text = self.roles, self.reasons, self.text
        for i in range(self.n):
            if roles[i] == "":
                roles[i] = "boilerplate"
                reasons.setdefault(i, "unclassified")
        removed = [{"line": i + 1, "text": text[i], "reason": reasons.get(i, roles[i])}
                   for i in range(self.n) if roles[i] not in ("body", "heading", "caption", "blank")]
        removed.extend(self.fragments)
        removed.sort(key=lambda r: r["line"])
        dated = self.published is not None
        return {
            "title": clean_text(self.title) if self.title else None,
            "published": self.published,
            "date_precision": self.precision if dated else None,
            "date_source": self.date_source if dated else None,
            "author": self.author,
            "outlet": self.outlet,
            "url": known.get("url") if isinstance(known.get("url"), str) else None,
            "paragraphs": paragraphs,
            "captions": captions,
            "removed": removed,
            "roles": roles,
        }
