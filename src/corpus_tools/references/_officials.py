"""Officials: person names with their titles as written, one row per person."""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from ._common import LOW, UP, not_names, prepare, surnames, title_heads
from ..clean import strip_diacritics

__all__ = ["extract_officials", "OFFICIAL_COLUMNS"]

OFFICIAL_COLUMNS = ["doc_id", "person_id", "name", "titles", "n_mentions", "first_start", "spans"]
MENTION_COLUMNS = ["doc_id", "person_id", "name", "titles", "start", "end", "text", "source"]

_CAP = rf"[{UP}][{UP}{LOW}]*"
_ACR = rf"[{UP}]{{2,}}(?:&[{UP}]+)?"
_TRIM = {"và", "các", "của", "cùng", "đồng"}


@lru_cache(maxsize=None)
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    heads, lower = title_heads()
    head_alt = "|".join(re.escape(h) for h in heads)
    low_alt = "|".join(sorted((re.escape(w) for w in lower), key=len, reverse=True))
    tok = rf"(?:{_ACR}|{_CAP}|TP\.|(?:{low_alt})(?![{UP}{LOW}]))"
    title = re.compile(rf"(?<![{UP}{LOW}])(?P<head>(?i:{head_alt}))(?P<rest>(?:[^\S\n]+{tok})*)")
    name = re.compile(rf"{_CAP}(?:[^\S\n]+{_CAP}){{1,3}}(?![^\S\n]+{_CAP})")
    intro = re.compile(r"(?<![^\W\d_])(?:[Đđ]ồng chí|[Cc]ác đồng chí\s*:?|[Ôô]ng|[Bb]à)[^\S\n]+")
    return title, name, intro


def _split_name(words: list[str]) -> int | None:
    """Index in a capitalised run where a person's name starts, or ``None``.

    The name must end the run, have 2-4 syllables and start with a family name; the
    syllables before it (if any) are a place of at least two syllables (Hoàn Kiếm).
    """
    sn, places = surnames(), not_names()
    for i, w in enumerate(words):
        if (i == 0 or i >= 2) and 2 <= len(words) - i <= 4 and w in sn \
                and " ".join(words[i:]) not in places and " ".join(words[i:i + 3]) not in places:
            return i
    return None


def _person_id(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in name.split())


def _title_key(t: str) -> str:
    return strip_diacritics(re.sub(r"\s+", " ", t)).lower()


def _clean_title(t: str) -> str:
    words = t.split()
    while words and words[-1].lower() in _TRIM:
        words.pop()
    return " ".join(words)


@lru_cache(maxsize=4096)
def _ner(sentence: str) -> tuple:
    from underthesea import ner
    return tuple(ner(sentence))


def _ner_name(sentence: str, run: str) -> str | None:
    """Ask underthesea's NER whether the end of ``run`` is a person (B-PER/I-PER)."""
    tokens = _ner(sentence)
    for tok, pos, _chunk, tag in tokens:
        if tag.endswith("PER") and tok in run and run.endswith(tok) and len(tok.split()) >= 2:
            return tok
    return None


def extract_officials(text: str, *, doc_id=None, mentions: bool = False, use_ner: bool = True) -> pd.DataFrame:
    """People named with a title in ``text``: one row per person (``mentions=True``: per mention).

    Recognised shapes, all common in the Party press:
    ``đồng chí Nguyễn Ngọc Tuấn, Phó Bí thư Thành ủy, Chủ tịch HĐND thành phố`` (titles
    after the name, split by commas or dashes), ``Bí thư Tỉnh ủy Nguyễn Hoài Anh`` and
    ``Ủy viên Trung ương Đảng, Phó Bí thư Thường trực Thành ủy Ngô Thị Thanh Hằng`` (titles
    before the name), and lists ``các đồng chí: A, title; B, title``. Title heads and family
    names come from ``resources/titles.txt`` and ``resources/surnames.txt``; a capitalised run
    after a title whose start is no known family name is passed to underthesea's ``ner``
    (``use_ner``) to find the person in it.

    One person is one ``person_id`` (the name title-cased, tone marks normalised) whatever the
    spelling; ``titles`` lists every distinct title written with the person, spelling variants
    that differ only by diacritics merged (first spelling kept).
    """
    text, f = prepare(text)
    title_re, name_re, intro_re = _patterns()
    used_titles: set[tuple[int, int]] = set()
    found = _appositive(f, intro_re, name_re, title_re, used_titles)
    taken = [(r["start"], r["end"]) for r in found]
    found += _preposed(f, title_re, used_titles, taken, use_ner)
    found.sort(key=lambda r: r["start"])
    if mentions:
        rows = [dict(doc_id=doc_id, person_id=_person_id(r["name"]), name=text[r["start"]:r["start"] + len(r["name"])],
                     titles=list(r["titles"]), start=r["start"], end=r["end"], text=text[r["start"]:r["end"]],
                     source=r["source"]) for r in found]
        return pd.DataFrame(rows, columns=MENTION_COLUMNS)
    people: dict[str, dict] = {}
    for r in found:
        pid = _person_id(r["name"])
        p = people.setdefault(pid, dict(doc_id=doc_id, person_id=pid, name=r["name"], titles=[], keys=set(),
                                        n_mentions=0, first_start=r["start"], spans=[]))
        p["n_mentions"] += 1
        p["spans"].append((r["start"], r["end"]))
        for t in r["titles"]:
            if t and _title_key(t) not in p["keys"]:
                p["keys"].add(_title_key(t))
                p["titles"].append(t)
    rows = [{k: v for k, v in p.items() if k != "keys"} for p in people.values()]
    return pd.DataFrame(rows, columns=OFFICIAL_COLUMNS)


def _whole_words(f: str, start: int, title: str) -> str:
    """``title`` (starting at ``start`` of ``f``) without a last word the text goes
    on with: a title stops at capitals and known lower words, so ``Phó Giám đốc
    Trung tâm Y tế`` would end at ``Trung``; the segmenter says whether its last
    syllable and the next are one word (``Trung_tâm``), and then the cut word goes."""
    end = start + len(title)
    nxt = re.match(r"[^\S\n]+([^\W\d_]+)", f[end:])
    if not title or not nxt or not nxt.group(1)[0].islower():
        return title
    from ..tokens import segment
    words = [w for s in segment(f[start:end + nxt.end()]) for w in s]
    if words and "_" in words[-1] and words[-1].split("_")[-1] == nxt.group(1):
        n_cut = len(words[-1].split("_")) - 1  # syllables of the cut word inside the title
        return _clean_title(" ".join(title.split()[:-n_cut])) if n_cut < len(title.split()) else title
    return title


def _postposed(f: str, pos: int, title_re, used_titles: set) -> tuple[list[tuple[str, int, int]], int]:
    """Titles after a name (``, Phó Bí thư Thành ủy, Chủ tịch HĐND``), up to a
    title that already heads the next person's name."""
    out = []
    while True:
        m = re.match(r"[^\S\n]*(?:,|[-–])[^\S\n]*", f[pos:])
        if not m:
            break
        t = title_re.match(f, pos + m.end())
        if not t:
            break
        raw = t.group(0)
        # a title followed by a name belongs to that next person
        words = raw.split()
        run_start = len(words)
        while run_start > 1 and words[run_start - 1][0].isupper():
            run_start -= 1
        idx = _split_name(words[run_start:])
        if idx is not None and run_start + idx >= 2:
            break
        clean = _whole_words(f, t.start(), _clean_title(raw))
        out.append((clean, t.start(), t.start() + len(clean)))
        used_titles.add((t.start(), t.end()))
        pos = t.start() + len(clean)
    return out, pos


def _appositive(f: str, intro_re, name_re, title_re, used_titles: set) -> list[dict]:
    """1) Names introduced by đồng chí / ông / bà / lists, titles after the name."""
    found = []
    for im in intro_re.finditer(f):
        is_list = ":" in im.group(0) or im.group(0).lower().startswith("các")
        pos = im.end()
        while True:
            nm = name_re.match(f, pos)
            if not nm:
                break
            words = nm.group(0).split()
            if _split_name(words) != 0:
                break
            ts, end = _postposed(f, nm.end(), title_re, used_titles)
            found.append(dict(name=nm.group(0), titles=[t[0] for t in ts], start=nm.start(), end=end,
                              source="appositive"))
            if not is_list:
                break
            sep = re.match(r"[^\S\n]*;[^\S\n]*(?:(?:về phía [^:;]{1,60}?có\s+)?(?:các\s+)?(?:đồng chí\s*:?\s*)?)", f[end:])
            if not sep:
                break
            pos = end + sep.end()
    return found


def _preposed(f: str, title_re, used_titles: set, taken: list, use_ner: bool) -> list[dict]:
    """2) Titles before the name (``Bí thư Tỉnh ủy Nguyễn Hoài Anh``); a chain of
    titles joined by commas or dashes goes with the name that ends it."""
    found = []
    prev_end, chain = -10, []
    for t in title_re.finditer(f):
        if (t.start(), t.end()) in used_titles or any(s <= t.start() < e for s, e in taken):
            chain, prev_end = [], t.end()
            continue
        gap = f[prev_end:t.start()]
        if not re.fullmatch(r"[^\S\n]*(?:,|[-–])[^\S\n]*", gap):
            chain = []
        raw = t.group(0)
        words = raw.split()
        head_len = len(t.group("head").split())
        run_start = len(words)
        while run_start > head_len and words[run_start - 1][0].isupper():
            run_start -= 1
        run = words[run_start:]
        idx = _split_name(run) if run else None
        name = None
        if idx is not None:
            name = " ".join(run[idx:])
            title_words = words[:run_start + idx]
        elif use_ner and len(run) >= 2:
            sent_start = max(f.rfind(".", 0, t.start()), f.rfind("\n", 0, t.start())) + 1
            sent_end = min([x for x in (f.find(".", t.end()), f.find("\n", t.end())) if x >= 0] or [len(f)])
            got = _ner_name(f[sent_start:sent_end], " ".join(run))
            if got and len(got.split()) < len(run) + 1:
                name = got
                title_words = words[:len(words) - len(got.split())]
        if name is None:
            chain.append(_clean_title(raw))
            prev_end = t.end()
            continue
        title = _clean_title(" ".join(title_words))
        start = t.start() + len(raw) - len(name)
        found.append(dict(name=name, titles=chain + [title], start=start, end=t.end(), source="preposed"))
        chain, prev_end = [], t.end()
    return found
