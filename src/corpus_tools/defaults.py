"""Analysis parameters derived from the corpus itself, each with its reason.

The notebooks were tuned on five sample articles; a user's corpus may span one
day or twenty years, come from one outlet or two hundred, carry no dates, or hold
one article. :func:`corpus_defaults` reads the store and proposes what a careful
analyst would pick — the time unit, the keyness split, the topic-model unit and K
grid, the terms to trend — and says why, so a notebook can state its choices and
say what it cannot show instead of failing.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from .periods import TIME_UNITS

__all__ = ["CorpusDefaults", "corpus_defaults", "choose_time_unit"]

_TIME_UNITS = ("year", "quarter", "month", "week", "day")  # every by= of the package takes each
_MIN_PERIODS = 3
_PARAGRAPH_BELOW = 100  # fewer articles than this: topics over paragraphs
_MIN_TOPIC_UNITS = 10


@dataclass
class CorpusDefaults:
    """What :func:`corpus_defaults` proposes; ``reasons`` explains each choice.

    ``by``: time unit of trends (None: no time axis). ``split``: the keyness
    comparison, ``{"kind": "date", "date": ...}``, ``{"kind": "outlet", "a": ...,
    "b": ...}`` or ``{"kind": None}``. ``unit``, ``ks``, ``n_topics``: the topic
    model (``ks`` empty: too few documents). ``terms``, ``concepts``,
    ``kwic_term``: what to trend and show in context.
    """

    n_articles: int
    n_dated: int
    outlets: list[str]
    by: str | None
    split: dict
    unit: str
    ks: list[int]
    n_topics: int | None
    terms: list[str]
    concepts: list[str]
    kwic_term: str | None
    reasons: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        return "\n".join(f"{k}: {v}" for k, v in self.reasons.items())


def choose_time_unit(published: pd.Series) -> tuple[str | None, str]:
    """``(unit, reason)``: the coarsest of year, quarter, month, ISO week, day giving
    at least three periods with articles; else the finest giving two; else None.
    Every function with ``by=`` takes each of these units (one period coder,
    :mod:`corpus_tools.periods`)."""
    dated = pd.to_datetime(published).dropna()
    if dated.empty:
        return None, "no dated articles: no time axis"
    counts = {u: dated.dt.to_period(TIME_UNITS[u]).nunique() for u in _TIME_UNITS}
    for u in _TIME_UNITS:  # the coarsest unit with enough periods
        if counts[u] >= _MIN_PERIODS:
            return u, f"the coarsest unit with at least {_MIN_PERIODS} periods ({counts[u]} {u}s)"
    for u in reversed(_TIME_UNITS):
        if counts[u] >= 2:
            return u, f"only {counts[u]} {u}s hold articles"
    return None, f"every dated article is of one day ({dated.min():%Y-%m-%d}): no time axis"


def _split(published: pd.Series, outlets: pd.Series) -> tuple[dict, str]:
    dated = published.dropna().sort_values()
    if dated.nunique() >= 2:
        # the median date, moved so that both sides hold articles
        d = dated.iloc[len(dated) // 2]
        if d == dated.iloc[0]:
            d = dated[dated > d].iloc[0]
        return {"kind": "date", "date": d.strftime("%Y-%m-%d %H:%M:%S")}, \
            f"articles before vs from the median date {d:%Y-%m-%d}"
    counts = outlets.dropna().value_counts()
    if len(counts) >= 2:
        a, b = counts.index[:2]
        return {"kind": "outlet", "a": a, "b": b}, f"one period only: the two largest outlets, {a} vs {b}"
    return {"kind": None}, "one period and one outlet: nothing to compare"


def _topic_grid(n_units: int) -> tuple[list[int], int | None, str]:
    if n_units < _MIN_TOPIC_UNITS:
        return [], None, f"{n_units} documents: too few for a topic model"
    k_max = int(min(20, max(2, round(math.sqrt(n_units)))))
    ks = sorted({max(2, round(k_max * f)) for f in (0.4, 0.5, 0.625, 0.75, 1.0)})
    ks = [k for k in ks if k < n_units]
    return ks, ks[len(ks) // 2], f"K around sqrt({n_units} documents) = {k_max}; the middle of the grid"


def _top_terms(corpus, n: int) -> list[str]:
    """The most widespread multi-word terms of the Party and policy lexicons."""
    from .lexicon import load_lexicon
    from ._resources import resource_files
    files = [f for f in resource_files("terms_") if f.name in ("terms_party.txt", "terms_policy.txt")]
    ids = {canon for canon, _ in load_lexicon(files, shipped=False).entries.values()}
    terms = corpus.read_table("terms")
    kept = corpus.token_index()[0]["doc_id"]  # the articles trends count: duplicates left out
    terms = terms[terms["term"].isin(ids) & (terms["length"] > 1) & terms["doc_id"].isin(set(kept))]
    df = terms.drop_duplicates(["doc_id", "term"])["term"].value_counts()
    df = df[df >= 2] if len(corpus.articles) > 1 else df
    return [t.replace("_", " ") for t in df.index[:n]]


def _top_concepts(corpus, n: int) -> list[str]:
    from .concepts import load_concepts
    from .trends import term_rates
    rates = term_rates(corpus, list(load_concepts()), by=None, n_boot=0)
    rates = rates[rates["count"] > 0].sort_values(["doc_share", "count", "term"],
                                                  ascending=[False, False, True])
    return rates["term"].head(n).tolist()


def corpus_defaults(corpus, *, n_terms: int = 4, n_concepts: int = 4) -> CorpusDefaults:
    """Parameters for the analysis notebooks, derived from ``corpus`` (a store).

    - ``by``: the coarsest of year, quarter, month, day that gives at least three
      periods with articles (else the finest with two; else no time axis);
    - ``split``: keyness between the articles before and from the median date; with
      one period, between the two largest outlets; else none;
    - ``unit``: paragraphs when there are fewer than 100 articles (a topic model
      needs many documents), else articles; ``ks``: five values up to
      ``sqrt(documents)`` (at most 20), ``n_topics`` their middle; no model below 10
      documents;
    - ``terms``: the multi-word Party and policy terms found in the most articles;
      ``concepts``: the concept families found in the largest share of articles;
      ``kwic_term``: the first of ``terms``.
    """
    arts = corpus.articles
    if "is_duplicate" in arts:
        arts = arts[~arts["is_duplicate"]]
    published = pd.to_datetime(arts["published"]) if "published" in arts else pd.Series(dtype="datetime64[ns]")
    outlets = arts["outlet"] if "outlet" in arts else pd.Series(dtype=object)
    reasons = {}
    by, reasons["by"] = choose_time_unit(published)
    split, reasons["split"] = _split(published, outlets)
    unit = "paragraph" if len(arts) < _PARAGRAPH_BELOW else "article"
    n_units = int(corpus.manifest["counts"].get("paragraphs", 0)) if unit == "paragraph" else len(arts)
    reasons["unit"] = (f"{len(arts)} articles: topics over their {n_units} paragraphs" if unit == "paragraph"
                       else f"{len(arts)} articles: topics over whole articles")
    ks, n_topics, reasons["ks"] = _topic_grid(n_units)
    terms = _top_terms(corpus, n_terms)
    reasons["terms"] = ("the Party and policy terms found in the most articles" if terms
                        else "no Party or policy term found")
    concepts = _top_concepts(corpus, n_concepts)
    reasons["concepts"] = ("the concept families found in the largest share of articles" if concepts
                           else "no concept family found")
    return CorpusDefaults(n_articles=len(arts), n_dated=int(published.notna().sum()),
                          outlets=sorted(outlets.dropna().unique().tolist()), by=by, split=split,
                          unit=unit, ks=ks, n_topics=n_topics, terms=terms, concepts=concepts,
                          kwic_term=terms[0] if terms else None, reasons=reasons)
