"""The issuing term of a code of the centre, as evidence: never the article's date
unless nothing else is known, and then marked as a guess.

The centre numbers its documents afresh each term (``18-NQ/TW`` of 2017 is khóa XII's,
of 2022 khóa XIII's), and the news cites a document for years after its issue, across
a congress. A code's term therefore comes, in order, from: the date or khóa written
with the mention (``term_from="date"``/``"khoa"``); another mention of the code in the
same article that has one (``"text"``); a dated mention in another article of the
corpus (``"corpus"``); the table of central documents (``"table"``,
:func:`corpus_tools.calendar.central_documents`); the numbering (``"numbering"``: a
number too high for a term only weeks old belongs to the term before); and only then
the article's date (``"article"``, a guess). Where one code was issued in two terms
and the article's date does not decide, the words around the mention are compared
with each document's title and a tie stays unresolved.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ._common import fold

__all__ = ["Issue", "TERM_SOURCES", "GUESSED_TERMS", "mention_issue", "words_of", "choose_issue",
           "table_issues", "assign_terms", "term_start"]

#: Values of ``term_from``, from the strongest evidence to the weakest.
TERM_SOURCES = ("date", "khoa", "text", "corpus", "table", "numbering", "article", "none")
#: The ones that are a guess, not evidence.
GUESSED_TERMS = frozenset({"numbering", "article"})

_TERM_CODE = re.compile(r"^(?P<num>\d+)[a-z]?-(?P<abbr>[A-Za-zĐđ]+)/TW$")
_SYL = re.compile(r"[^\W\d_]+")
# words every title of the genre shares: they tell one document from another no more than "về"
_GENERIC = frozenset(
    "nghị quyết chỉ thị quy định kết luận thông báo quyết định hướng dẫn kế hoạch về của và các "
    "những đối với trong tiếp tục đẩy mạnh tăng cường sự lãnh đạo đảng công tác việc một số "
    "vấn đề nâng cao chất lượng hiệu quả đến năm tầm nhìn mới giai đoạn tình hình là được có "
    "cho theo này đã bộ chính trị ban bí thư chấp hành trung ương hội nghị lần thứ khóa số ngày".split())


#: Words a mention must share with a document's title (beyond the genre's boilerplate)
#: to be told apart from another document of the same code.
MIN_SHARED_WORDS = 2
#: Content words of a mention's own description ("về …") from which it can contradict evidence.
MIN_ABOUT_WORDS = 4


@dataclass(frozen=True)
class Issue:
    """One piece of evidence about a code's issue: its term, its date when known, the
    words written about it (a title, or the sentence of a dated mention)."""
    term: str
    issued: pd.Timestamp | None
    words: frozenset
    origin: str


_ROMAN = re.compile(r"[IVXL]+")


def words_of(text: str) -> frozenset:
    """Content syllables of a title or a sentence, lower-cased, genre boilerplate and
    abbreviations (``TƯ`` is no "tư" of "tư tưởng") left out; Roman numerals kept."""
    return frozenset(w.lower() for w in _SYL.findall(fold(text or ""))
                     if w.lower() not in _GENERIC and (not w.isupper() or _ROMAN.fullmatch(w)))


@lru_cache(maxsize=None)
def term_start(term: str) -> pd.Timestamp | None:
    """When a term took office: the close of its congress."""
    from ..calendar import load_calendar
    cal = load_calendar()
    row = cal[(cal["kind"] == "congress") & (cal["term"] == term)]
    return pd.Timestamp(row["end"].iloc[0]) if len(row) else None


def mention_issue(row: dict) -> Issue | None:
    """The issue a mention states: its date (``ngày 14/6/2024``) or its khóa (``(khóa XII)``)."""
    from ..calendar import party_term
    if row.get("date"):
        t = party_term(row["date"])
        if t is not None:
            return Issue(t, pd.Timestamp(row["date"]), row.get("_words") or frozenset(), "date")
    if row.get("_year"):  # "Nghị quyết 71/2025": a year inside one term gives the term
        first, last = party_term(f"{row['_year']}-01-01"), party_term(f"{row['_year']}-12-31")
        if first is not None and first == last:
            return Issue(first, None, row.get("_words") or frozenset(), "date")
    if row.get("_khoa"):
        return Issue(row["_khoa"], None, row.get("_words") or frozenset(), "khoa")
    return None


@lru_cache(maxsize=1)
def _table() -> dict[str, list[Issue]]:
    from ..calendar import central_documents
    out: dict[str, list[Issue]] = {}
    for r in central_documents().itertuples():
        if r.term is not None:
            out.setdefault(r.code, []).append(Issue(r.term, pd.Timestamp(r.issued), words_of(r.title), "table"))
    return out


def table_issues(code: str) -> list[Issue]:
    """The table's documents of ``code`` (two when a code was issued in two terms)."""
    return _table().get(code, [])


def choose_issue(issues: list[Issue], published=None, words: frozenset = frozenset(),
                 *, need_words: bool = False, about: frozenset = frozenset()) -> Issue | None:
    """The issue a citation on ``published`` with ``words`` around it refers to.

    Issues after the article are dropped; if one term is left it is the answer. If
    several are, the one whose words share most with the mention's wins; a tie is
    no answer. ``need_words``: an issue of an earlier term than the article's (or any,
    for an undated article) must share words with the mention: a table lists one
    ``21-KL/TW``, but every term issues a 21st conclusion. ``about``: the words of the
    mention's own description (``… về phương hướng phát triển Thủ đô``); when it has
    ``MIN_ABOUT_WORDS`` or more, an issue described at length (twice as many words)
    sharing none of them is another document of that code.
    Among the issues of the chosen term, the latest one is returned."""
    when = pd.Timestamp(published) if published is not None and not pd.isna(published) else None
    if len(about) >= MIN_ABOUT_WORDS:  # the mention says what it is about: evidence about another subject is not its
        issues = [i for i in issues if about & i.words or len(i.words) < 2 * MIN_ABOUT_WORDS]
    if need_words:
        from ..calendar import party_term
        now = party_term(when) if when is not None else None
        issues = [i for i in issues if len(words & i.words) >= MIN_SHARED_WORDS or (now is not None and i.term == now)]
    if when is not None:
        issues = [i for i in issues
                  if (i.issued is not None and i.issued <= when)
                  or (i.issued is None and (term_start(i.term) or when) <= when)]
    terms = sorted({i.term for i in issues})
    if not terms:
        return None
    if len(terms) > 1:
        score = {t: max(len(words & i.words) for i in issues if i.term == t) for t in terms}
        best = max(score.values())
        top = [t for t in terms if score[t] == best]
        if best < MIN_SHARED_WORDS or len(top) > 1:
            return None
        terms = top
    mine = [i for i in issues if i.term == terms[0]]
    return max(mine, key=lambda i: (i.issued is not None, i.issued or pd.Timestamp.min))


# Documents a type of the centre issues per month at most (twice the busiest pace of
# khóa XII-XIII, so a term's first weeks are not over-read): a higher number than a new
# term could have reached belongs to the term before.
_MONTHLY = {"NQ": 3.0, "CT": 3.0, "KL": 8.0, "QĐ": 12.0, "QĐi": 3.0, "TB": 15.0, "KH": 6.0, "HD": 6.0,
            "BC": 25.0, "TTr": 25.0}
_MONTHLY_ALLOWANCE = 3


def _numbering_term(code: str, published: pd.Timestamp, term: str) -> str | None:
    """The term before ``term`` when ``code``'s number is too high for ``term`` on ``published``."""
    from ..calendar import party_term
    m = _TERM_CODE.match(code)
    start = term_start(term)
    if not m or start is None or m.group("abbr") not in _MONTHLY:
        return None
    months = max((published - start).days, 0) / 30.44
    if int(m.group("num")) <= _MONTHLY_ALLOWANCE + _MONTHLY[m.group("abbr")] * months:
        return None
    return party_term(start - pd.Timedelta(days=1))


def assign_terms(rows: list[dict], published=None, corpus: dict | None = None) -> list[dict]:
    """Set ``term``, ``term_from`` and the canonical id ``35-CT/TW (XIII)`` of every row
    whose canonical id is a code of the centre numbered afresh each term. ``corpus``:
    ``{code: [Issue, ...]}`` of dated mentions in the other articles."""
    from ..calendar import TERM_FAMILIES, party_term
    in_text: dict[str, list[Issue]] = {}
    for r in rows:
        m = _TERM_CODE.match(r.get("canonical") or "")
        if m and m.group("abbr") in TERM_FAMILIES:
            issue = mention_issue(r)
            if issue is not None:
                in_text.setdefault(r["canonical"], []).append(issue)
    when = pd.Timestamp(published) if published is not None and not pd.isna(published) else None
    # the mentions of one code in one article are one document: read their words together
    words_by_code: dict[str, frozenset] = {}
    abouts: dict[str, frozenset] = {}
    for r in rows:
        c = r.get("canonical") or ""
        words_by_code[c] = words_by_code.get(c, frozenset()) | (r.get("_words") or frozenset())
        abouts[c] = abouts.get(c, frozenset()) | (r.get("_about") or frozenset())
    for r in rows:
        code = r.get("canonical") or ""
        m = _TERM_CODE.match(code)
        if not m or m.group("abbr") not in TERM_FAMILIES:
            continue
        words = words_by_code[code]
        own = mention_issue(r)
        term, how = (own.term, own.origin) if own is not None else (None, "none")
        steps = (("text", in_text.get(code, [])), ("corpus", (corpus or {}).get(code, [])),
                 ("table", table_issues(code)))
        for origin, issues in steps:
            if term is not None:
                break
            # the table's document of an earlier term must be recognisable by its
            # title, not by its number alone
            chosen = choose_issue(issues, when, words, need_words=origin == "table",
                                  about=abouts.get(code, frozenset())) if issues else None
            if chosen is not None:
                term, how = chosen.term, origin
        if term is None and when is not None:
            term = party_term(when)
            before = _numbering_term(code, when, term) if term is not None else None
            term, how = (before, "numbering") if before else (term, "article" if term else "none")
        r["term"], r["term_from"] = term, how
        if term is not None:
            r["canonical"] = f"{code} ({term})"
    return rows
