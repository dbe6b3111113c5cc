"""Short forms to full documents: ``Nghị quyết 57`` is ``57-NQ/TW`` when the article, the
corpus or the table of central documents says so; otherwise it stays ``57-NQ/?``
(``resolved="none"``) and says so.

The same article's coded mention and a named issuer (``… của Bộ Chính trị``) are read
where the mention is found (``_documents``); this module adds the corpus and the table.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from ._common import doc_type_by_name, lookup_issuer
from ._terms import MIN_SHARED_WORDS, Issue, mention_issue, table_issues

__all__ = ["CorpusEvidence", "corpus_evidence", "resolve_short_forms", "CORPUS_SHARE", "TABLE_OVERLAP"]

#: Share of the corpus's coded mentions of a type and number that one code must hold
#: for a short form to be read as that code.
CORPUS_SHARE = 0.8
#: Share of a table title's distinctive words the article must contain for a short
#: form to be read as that document (the number alone is shared by every province's
#: resolution 57); its own sentence must also share ``MIN_SHARED_WORDS`` of them.
TABLE_OVERLAP = 0.5


@dataclass
class CorpusEvidence:
    """What the whole corpus says about codes: ``issues`` (``{code: [Issue]}``, from
    mentions with a date or khóa) and ``codes`` (``{(type, number): Counter(code)}``)."""
    issues: dict = field(default_factory=dict)
    codes: dict = field(default_factory=dict)


def corpus_evidence(records: list[list[dict]]) -> CorpusEvidence:
    """The evidence of every article's rows (before terms are assigned)."""
    ev = CorpusEvidence()
    for rows in records:
        for r in rows:
            if r.get("resolved") != "code" or not r.get("code"):
                continue
            ev.codes.setdefault((r.get("doc_type"), r.get("number")), Counter())[r["code"]] += 1
            issue = mention_issue(r)
            if issue is not None:
                ev.issues.setdefault(r["code"], []).append(
                    Issue(issue.term, issue.issued, issue.words, "corpus"))
    return ev


def _from_code(row: dict, code: str, how: str) -> None:
    iss = code.rsplit("/", 1)[-1] if "-" in code.split("/")[0] else code.rsplit("-", 1)[-1]
    info = lookup_issuer(iss)
    row.update(canonical=code, resolved=how, issuer=info.issuer or iss, level=info.level,
               system=info.system if info.system != "unknown" else row.get("system"))


def _code_year(code: str) -> int | None:
    parts = code.split("/")
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


def _by_corpus(row: dict, ev: CorpusEvidence, published=None) -> str | None:
    counts = ev.codes.get((row.get("doc_type"), row.get("number")))
    if not counts:
        return None
    year = row.get("_year") or (pd.Timestamp(published).year if published is not None and not pd.isna(published)
                                else None)
    # a state code of a later year than the article cannot be the one it cites
    counts = Counter({c: n for c, n in counts.items() if year is None or _code_year(c) is None
                      or _code_year(c) <= year})
    if not counts:
        return None
    code, n = counts.most_common(1)[0]
    total = sum(counts.values())
    return code if n >= 2 and n / total >= CORPUS_SHARE else None


def _by_table(row: dict, published) -> str | None:
    dtype = doc_type_by_name().get((row.get("doc_type") or "").lower())
    if dtype is None or not dtype.party:
        return None
    when = pd.Timestamp(published) if published is not None and not pd.isna(published) else None
    seen = row.get("_article_words") or frozenset()
    found = []
    for abbr in dict.fromkeys(dtype.party):
        code = f"{row['number']}-{abbr}/TW"
        for i in table_issues(code):
            if when is not None and i.issued > when:
                continue
            if row.get("_year") and i.issued.year != row["_year"]:
                continue
            share = len(i.words & seen) / len(i.words) if i.words else 0.0
            near = len(i.words & (row.get("_words") or frozenset()))
            if share >= TABLE_OVERLAP and near >= MIN_SHARED_WORDS:
                found.append((share, code))
    if not found:
        return None
    best = max(s for s, _ in found)
    codes = {c for s, c in found if s == best}
    return codes.pop() if len(codes) == 1 else None


def resolve_short_forms(rows: list[dict], published=None, evidence: CorpusEvidence | None = None) -> list[dict]:
    """Link each unresolved short form to a full code: the corpus's code for that type and
    number when one holds ``CORPUS_SHARE`` of its coded mentions (``resolved="corpus"``),
    else the table's document whose title the article echoes (``"table"``)."""
    for r in rows:
        if r.get("resolved") != "none" or not r.get("number"):
            continue
        code = _by_corpus(r, evidence, published) if evidence is not None else None
        if code is not None:
            _from_code(r, code, "corpus")
            continue
        code = _by_table(r, published)
        if code is not None:
            _from_code(r, code, "table")
    return rows
