"""How the fields of a structured record (a JSON object, a CSV row, an API export)
become the article's columns: presets for the known corpora, detection from
common and dotted names (``content.text``, ``source.name``), nested objects
flattened, the fullest text field, HTML entities and tags decoded, outlets named
from ``resources/outlets.tsv`` (URL hosts included)."""
from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

import numpy as np

__all__ = ["COLUMN_PRESETS", "FIELD_CANDIDATES", "FieldMapper", "field_text", "flatten_fields",
           "no_text_message", "outlet_from_url", "outlet_name", "resolve_columns", "source_field_role"]

# Our name -> the file's field, for the corpora we know. Unmapped names are
# auto-detected (see FIELD_CANDIDATES); fields left over become extra columns.
COLUMN_PRESETS: dict[str, dict[str, str]] = {
    "vietnews": {"text": "content", "title": "title"},
    "unc_dantri": {"text": "text", "title": "title", "published": "date", "url": "url"},
    "baomoi": {"text": "text", "title": "title", "published": "date", "url": "url"},
}

# Auto-detection: the first field present (case-insensitive) wins.
# Nested objects ({"content": {"text": ...}}) are flattened to dotted names first, so
# "content.text" is a candidate like any other. Several text fields may qualify
# (content.text, description): each record takes the fullest one.
FIELD_CANDIDATES = {
    "text": ("text", "content", "body", "article", "maintext", "main_text", "fulltext",
             "full_text", "noi_dung", "noidung", "raw_text", "content.text", "content_text",
             "body.text", "article.text", "article_body", "articlebody", "content.body",
             "description"),
    "title": ("title", "headline", "tieu_de", "tieude", "name", "title.text"),
    "published": ("published", "date", "datetime", "published_at", "publish_date",
                  "pubdate", "date_published", "time", "created_at", "timestamp", "ngay",
                  "published.date", "publishedat", "date.published", "pub_date", "issued"),
    "author": ("author", "authors", "byline", "tac_gia", "tacgia", "creator", "author.name",
               "authors.name", "dc.creator"),
    "outlet": ("outlet", "source", "sitename", "site_name", "site", "publisher", "newspaper", "domain",
               "source.name", "source_name", "publisher.name", "source.domain", "site.name"),
    "url": ("url", "link", "href", "source_url", "canonical_url", "source.url", "links.permalink"),
}
_MAPPABLE = tuple(FIELD_CANDIDATES)

# Hosts of aggregators whose URLs carry the original outlet as a path segment
# (baomoi.com/Home/TheGioi/tuoitre.vn/...).
_AGGREGATORS = ("baomoi.com",)
_DOMAIN_SEGMENT_RE = re.compile(r"^(?:[a-z0-9-]+\.)+(?:vn|com|net|org|info|biz|tv|edu|gov|int)$")




def resolve_columns(columns) -> dict[str, str]:
    if columns is None:
        return {}
    if isinstance(columns, str):
        if columns not in COLUMN_PRESETS:
            raise ValueError(f"unknown column preset {columns!r}; choose one of {sorted(COLUMN_PRESETS)} "
                             "or pass a mapping such as {'text': 'content', 'published': 'date'}")
        return dict(COLUMN_PRESETS[columns])
    if not isinstance(columns, Mapping):
        raise ValueError("columns must be None, a preset name or a mapping {our_name: file_field}")
    bad = [k for k in columns if k not in _MAPPABLE]
    if bad:
        raise ValueError(f"columns maps unknown names {bad}; mappable names are {list(_MAPPABLE)}")
    return {k: str(v) for k, v in columns.items()}


class FieldMapper:
    """Our names -> the record's keys, resolved once per distinct key set."""

    def __init__(self, explicit: dict[str, str]):
        self.explicit = explicit
        self._cache: dict[tuple, dict[str, str]] = {}
        self.used: dict[str, dict[str, str]] = {}  # per input file: our name -> its field
        self.no_text: dict | None = None  # the fields of a record without a text field
        self.had_text = False  # did any record have one?
        self.keys_seen: set[str] = set()  # every field of every structured record

    def check_explicit(self, path) -> None:
        """An error when a ``columns=`` mapping names a field that no record of
        ``path`` has (a typo would otherwise load the column empty, without a word)."""
        missing = {k: v for k, v in self.explicit.items() if v not in self.keys_seen}
        if missing and self.keys_seen:
            raise ValueError(f"columns= maps {missing}, but no record of {os.fspath(path)} has "
                             f"{'that field' if len(missing) == 1 else 'those fields'}; its fields are "
                             f"{', '.join(map(repr, sorted(self.keys_seen)))}")

    def __call__(self, keys: tuple) -> dict[str, str]:
        m = self._cache.get(keys)
        if m is None:
            self.keys_seen.update(keys)
            lower = {k.lower(): k for k in reversed(keys)}
            m = {}
            for name in _MAPPABLE:
                if name in self.explicit:
                    if self.explicit[name] in keys:
                        m[name] = self.explicit[name]
                    continue
                for cand in FIELD_CANDIDATES[name]:
                    if cand in lower and lower[cand] not in m.values():
                        m[name] = lower[cand]
                        break
            if "text" not in self.explicit:  # every qualifying text field, for the fullest
                m["_texts"] = tuple(lower[c] for c in FIELD_CANDIDATES["text"] if c in lower)
            self._cache[keys] = m
        return m


    def by_values(self, fields: Mapping, m: dict) -> tuple[dict, list[str]]:
        """``m`` (roles by the fields' names) corrected by what one record's values
        are, with the reasons: a URL-valued field is the ``url``; the field with the
        most prose is the ``text`` (a name-chosen text that is one short line is
        then the ``title``); a date-valued field is ``published``. Roles the user
        mapped are left alone. Decided per record, so every door and chunk agrees."""
        from .dates import parse_field_date
        m, why = dict(m), []
        used = {v for k, v in m.items() if k != "_texts"}
        strings = {k: v for k, v in fields.items() if isinstance(v, str) and v.strip()}
        if "url" not in m and "url" not in self.explicit:
            k = next((k for k, v in strings.items() if k not in used and _URL_VALUE_RE.match(v.strip())), None)
            if k is not None:
                m["url"] = k
                used.add(k)
                why.append(f"url from {k!r}, its value a URL")
        if "text" not in self.explicit:
            prose = {k: _prose(v) for k, v in strings.items() if not _URL_VALUE_RE.match(v.strip())}
            best = max(prose, key=lambda k: (prose[k], k == m.get("text")), default=None)
            cur = m.get("text")
            if best is not None and best != cur and prose[best] > 2 * prose.get(cur, 0):
                if cur is not None and "title" not in m and "title" not in self.explicit \
                        and _is_line(strings.get(cur, "")):
                    m["title"] = cur
                    why.append(f"title from {cur!r}, one short line, not prose")
                m["text"], m["_texts"] = best, (best,)
                why.append(f"text from {best!r}, the field with the most prose")
        if "title" not in m and "title" not in self.explicit:
            used = {v for k, v in m.items() if k != "_texts"}
            k = next((k for k, v in strings.items() if k not in used and _is_line(v) and len(v.split()) >= 4
                      and not _URL_VALUE_RE.match(v.strip()) and not _DATE_VALUE_RE.match(v.strip())), None)
            if k is not None:
                m["title"] = k
                why.append(f"title from {k!r}, one line of words, not prose")
        if "published" not in m and "published" not in self.explicit:
            for k, v in fields.items():
                if k not in used and isinstance(v, str) and _DATE_VALUE_RE.match(v.strip()) \
                        and parse_field_date(v) is not None:
                    m["published"] = k
                    why.append(f"published from {k!r}, its value a date")
                    break
        return m, why


_URL_VALUE_RE = re.compile(r"(?i)^(?:https?://|www\.)\S+$")
_DATE_VALUE_RE = re.compile(r"^(?:\d{4}-\d{1,2}-\d{1,2}(?:[T ][\d:.]+)?(?:Z|[+-]\d{2}:?\d{2})?"
                            r"|\d{1,2}/\d{1,2}/\d{4}(?:,? \d{1,2}:\d{2})?)$")
_SENTENCE_END_RE = re.compile(r"[.!?…][\"”’)]*(?:\s|$)")


def _prose(value: str) -> int:
    """How much prose a value holds: its length when it reads as text (two sentences
    or more, or 200 characters with one), else 0."""
    ends = len(_SENTENCE_END_RE.findall(value))
    return len(value) if ends >= 2 or (ends >= 1 and len(value) >= 200) else 0


def _is_line(value: str) -> bool:
    """A title-like value: one line of at most 300 characters that is not prose."""
    v = value.strip()
    return bool(v) and "\n" not in v and len(v) <= 300 and not _prose(v)


_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_BLOCK_TAG_RE = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|table|section|article|blockquote)\b[^<>]*>",
                           re.I)


def field_text(value) -> str | None:
    """A field as plain text: lists joined by lines, HTML entities decoded and
    stray tags stripped (block tags become line breaks), as exports carry them
    (``QU&#7888;C NAM``, ``<p>…</p>``)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (list, tuple)):
        parts = [field_text(v) for v in value]
        return "\n".join(p for p in parts if p) or None
    if isinstance(value, dict):
        return None
    s = str(value)
    if "<" in s and _TAG_RE.search(s):
        s = _TAG_RE.sub(" ", _BLOCK_TAG_RE.sub("\n", s))
    if "&" in s:
        s = html.unescape(s)
    s = s.strip()
    return s or None


def flatten_fields(fields: dict, prefix: str = "") -> dict:
    """Nested objects to dotted names: ``{"source": {"name": x}}`` -> ``source.name``."""
    out = {}
    for k, v in fields.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and v:
            out.update(flatten_fields(v, key + "."))
        else:
            out[key] = v
    return out


def outlet_name(outlet: str | None) -> str | None:
    """An outlet's name from ``resources/outlets.tsv`` (also for URL hosts such as
    ``vnexpress.net`` or ``m.dantri.com.vn``); the outlet as given when unknown."""
    if not outlet:
        return outlet
    from .metadata import load_outlet_aliases
    aliases = load_outlet_aliases()
    key = " ".join(outlet.split()).casefold()
    if key in aliases:
        return aliases[key]
    host = key[4:] if key.startswith("www.") else key
    while "." in host:  # m.dantri.com.vn -> dantri.com.vn
        if host in aliases:
            return aliases[host]
        host = host.split(".", 1)[1]
    return outlet


# a feed or crawler label where an export's source field should name the site
_RE_FEED_LABEL = re.compile(r"(?i)(?:^|[\W_])(?:rss|atom|feeds?|api|crawl(?:er)?|scraper|spider|bot|aggregator|"
                            r"google news|news ?api|default|unknown|n/?a|none|null)(?:$|[\W_])|_")
# words that open the name of an outlet, never of a person
_RE_OUTLET_WORDS = re.compile(r"(?i)^(?:báo|tạp chí|đài|cổng|trang|thời báo|tin tức|kênh|truyền hình|tuần báo|"
                              r"nhật báo|bản tin|news|tv|radio)\b")


def source_field_role(value: str, url: str | None) -> tuple[str | None, str | None, str | None]:
    """What an export's source field holds, for one record: ``(outlet, byline, why)``.

    A known outlet (``resources/outlets.tsv``) or an unknown name stays the outlet.
    A feed or crawler label (``RSS_Feed``) or reporters' names (a byline, as
    :func:`~corpus_tools.metadata.parse_byline` reads them) name no site: the
    outlet is then the URL's host (through ``outlets.tsv``, or None without a URL),
    a byline goes to ``author``, and ``why`` says which it was."""
    from .metadata import load_outlet_aliases, parse_byline
    v = " ".join(str(value).split())
    if re.match(r"(?i)^(?:https?://|www\.)\S+$", v):  # a URL given as the source: its site
        return outlet_name(outlet_from_url(v)), None, None
    if v.casefold() in load_outlet_aliases():
        return v, None, None
    by = None
    if _RE_FEED_LABEL.search(v):
        why = f"source field {v!r} is a feed label"
    else:
        by = parse_byline(v) if not _RE_OUTLET_WORDS.match(v) else None
        if by is None or _names_the_host(v, url):
            return v, None, None
        why = f"source field {v!r} is a byline"
    host = outlet_from_url(url)
    return (outlet_name(host) if host else None), by, why + (", the outlet is the URL's site" if host else
                                                             " and there is no URL: outlet unknown")


def _names_the_host(name: str, url: str | None) -> bool:
    """Is ``name`` spelt inside the URL's host (``Hà Tĩnh`` in ``baohatinh.vn``)? Then
    it is the site's name, however much it looks like a person's."""
    from .clean import strip_diacritics
    host = outlet_from_url(url) or ""
    flat = re.sub(r"[^a-z0-9]", "", strip_diacritics(name).casefold().replace("đ", "d"))
    return bool(host) and len(flat) >= 4 and flat in host.replace(".", "")


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url if "//" in url else "//" + url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if not host:
        return None
    if any(host == a or host.endswith("." + a) for a in _AGGREGATORS):
        for seg in parts.path.split("/")[:-1]:
            if _DOMAIN_SEGMENT_RE.match(seg.lower()):
                host = seg.lower()
                break
    return host[4:] if host.startswith("www.") else host




def no_text_message(path, mapper: "FieldMapper") -> str:
    """One clear error instead of a skip per row: the columns seen, and the
    ``columns=`` mapping that would load them (the field with the longest text)."""
    fields = mapper.no_text
    longest = max(fields, key=lambda k: len(field_text(fields[k]) or ""))
    return (f"no text field in {os.fspath(path)}: its columns are {', '.join(map(repr, fields))} "
            f"(looked for {', '.join(FIELD_CANDIDATES['text'])}). The longest field is {longest!r}: "
            f"load_articles(..., columns={{'text': {longest!r}}}) would read it")
