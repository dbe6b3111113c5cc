"""Corpus-level tables: the per-article extractors applied to an articles DataFrame."""
from __future__ import annotations

from collections import Counter
from typing import Callable, Literal

import pandas as pd
from tqdm.auto import tqdm

from .._options import check_choice, renamed_options
from ..periods import By, is_time_unit, period_labels

from ._congress import _congress_records, _frame
from ._documents import REFERENCE_COLUMNS, _reference_records, with_terms
from ._resolve import corpus_evidence
from ._figures import extract_figures
from ._level import LEVELS, classify_level
from ._officials import _title_key, extract_officials

__all__ = [
    "references_table", "citation_counts", "congresses_table", "levels_table", "officials_table",
    "top_officials", "figures_table", "targets_table", "split_by_id_status",
]

CiteBy = By  # every grouping of the period coder (corpus_tools.periods)
CiteCount = Literal["articles", "mentions"]


def _check(articles: pd.DataFrame, text_col: str) -> None:
    missing = {"doc_id", text_col} - set(articles.columns)
    if missing:
        raise ValueError(f"articles needs columns {sorted(missing)}")


def _apply(articles: pd.DataFrame, fn: Callable, text_col: str, progress: bool, desc: str, **kw) -> pd.DataFrame:
    _check(articles, text_col)
    parts = []
    it = zip(articles["doc_id"], articles[text_col].fillna(""))
    for doc_id, text in tqdm(it, total=len(articles), disable=not progress, desc=desc):
        df = fn(text, doc_id=doc_id, **kw)
        if len(df):
            parts.append(df)
    out = pd.concat(parts, ignore_index=True) if parts else None
    return out


def _with_published(df: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    if "published" in articles.columns:
        pub = articles.drop_duplicates("doc_id").set_index("doc_id")["published"]
        df.insert(1, "published", df["doc_id"].map(pub))
    else:
        df.insert(1, "published", pd.NaT)
    return df


def references_table(articles: pd.DataFrame, *, text_col: str = "text", progress: bool = False) -> pd.DataFrame:
    """All document references of a corpus: :func:`extract_references` per article plus
    ``published``. Two passes: the first reads every article; the second resolves short
    forms and issuing terms with what the whole corpus says (a dated mention of
    ``18-NQ/TW`` in one article dates the bare code in another: ``term_from="corpus"``;
    a short form takes the code the corpus writes for it: ``resolved="corpus"``). A
    document's ``doc_type`` is made one across the corpus (the type most often written
    with it), so counts by type add up."""
    _check(articles, text_col)
    pub = articles["published"] if "published" in articles else pd.Series([None] * len(articles))
    it = zip(articles["doc_id"], articles[text_col].fillna(""))
    records = [_reference_records(text, doc_id)
               for doc_id, text in tqdm(it, total=len(articles), disable=not progress, desc="references")]
    evidence = corpus_evidence(records)
    rows = []
    for recs, published in zip(records, pub):
        rows.extend(with_terms(recs, published, evidence))
    out = pd.DataFrame(rows, columns=REFERENCE_COLUMNS)
    if out.empty:
        return _with_published(out, articles)
    mode = out.dropna(subset=["doc_type"]).groupby("canonical")["doc_type"].agg(lambda s: s.value_counts().index[0])
    out["doc_type"] = out["canonical"].map(mode).fillna(out["doc_type"])
    return _with_published(out, articles)


def split_by_id_status(refs: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The mentions whose id can be counted as is (``id_status == "resolved"``) and how many
    of the others there are (``{"unresolved": n, "term_guessed": m}``): a bare ``57-NQ/?``
    or a guessed term is no document to rank, but a reader must know it was left out.
    A table without ``id_status`` (made before it existed) is returned whole."""
    if "id_status" not in refs.columns:
        return refs, {}
    ok = refs["id_status"] == "resolved"
    return refs[ok], {k: int(v) for k, v in refs.loc[~ok, "id_status"].value_counts().items()}


@renamed_options(unit="count")  # unit= is the document unit everywhere else
def citation_counts(refs: pd.DataFrame, *, by: By = "year", count: CiteCount = "articles",
                    n: int | None = None) -> pd.DataFrame:
    """How often each document is cited, overall (``by=None``) or per period.

    ``count="articles"`` counts articles citing the document (a document named five times in
    one article counts once), ``"mentions"`` counts every mention. Every id is counted as
    given, ``57-NQ/?`` and guessed terms too: pass ``split_by_id_status(refs)[0]`` to count
    resolved ids only, as the notebook's figures do. ``n`` keeps the ``n``
    documents most cited overall. Returns a tidy frame ``canonical, doc_type, [period], n``.
    """
    check_choice("count", count, CiteCount)
    df = refs.copy()
    keys = ["canonical"]
    if by is not None:
        dated = "published" in df and df["published"].notna().any()
        df["period"] = (period_labels(df, by) if len(df) and (dated or not is_time_unit(by))
                        else pd.Series(None, index=df.index, dtype=object))
        df = df.dropna(subset=["period"])
        keys.append("period")
    if count == "articles":
        df = df.drop_duplicates(keys + ["doc_id"])
    counts = df.groupby(keys).size().rename("n").reset_index()
    types = refs.groupby("canonical")["doc_type"].first()
    counts.insert(1, "doc_type", counts["canonical"].map(types))
    total = counts.groupby("canonical")["n"].sum().sort_values(ascending=False, kind="stable")
    order = {c: i for i, c in enumerate(sorted(total.index, key=lambda c: (-total[c], c)))}
    if n is not None:
        counts = counts[counts["canonical"].map(order) < n]
    counts = counts.assign(_o=counts["canonical"].map(order))
    sort = ["_o"] + (["period"] if by is not None else [])
    return counts.sort_values(sort).drop(columns="_o").reset_index(drop=True)


def congresses_table(articles: pd.DataFrame, *, text_col: str = "text", progress: bool = False) -> pd.DataFrame:
    """Congress, term and khóa mentions of every article (:func:`extract_congresses`) plus ``published``."""
    _check(articles, text_col)
    rows = []
    it = zip(articles["doc_id"], articles[text_col].fillna(""))
    for doc_id, text in tqdm(it, total=len(articles), disable=not progress, desc="congresses"):
        rows.extend(_congress_records(text, doc_id))
    return _with_published(_frame(rows), articles)


def levels_table(articles: pd.DataFrame, *, text_col: str = "text", progress: bool = False) -> pd.DataFrame:
    """One row per article: ``level`` (:func:`classify_level`) and the evidence counts ``n_<level>``.
    Titles count double when the frame has a ``title`` column."""
    _check(articles, text_col)
    rows = []
    has_title = "title" in articles.columns
    for rec in tqdm(articles.to_dict("records"), disable=not progress, desc="levels"):
        art = {"text": rec.get(text_col) or "", "title": rec.get("title") if has_title else None}
        res = classify_level(art)
        rows.append({"doc_id": rec["doc_id"], "level": res.level, **{f"n_{k}": v for k, v in res.counts.items()}})
    df = pd.DataFrame(rows, columns=["doc_id", "level"] + [f"n_{k}" for k in LEVELS])
    return _with_published(df, articles)


def officials_table(articles: pd.DataFrame, *, text_col: str = "text", use_ner: bool = True,
                    progress: bool = False) -> pd.DataFrame:
    """People with titles in every article (:func:`extract_officials`, one row per person and article)."""
    out = _apply(articles, extract_officials, text_col, progress, "officials", use_ner=use_ner)
    if out is None:
        out = extract_officials("")
    return _with_published(out, articles)


def top_officials(officials: pd.DataFrame, *, n: int = 20) -> pd.DataFrame:
    """People most often named across articles: ``person_id, n_articles, n_mentions, titles``
    (every distinct title written with them, most frequent first)."""
    if officials.empty:
        return pd.DataFrame(columns=["person_id", "n_articles", "n_mentions", "titles"])
    rows = []
    for pid, g in officials.groupby("person_id", sort=False):
        titles = [t for ts in g["titles"] for t in ts]
        # spellings that differ only by case or diacritics are one title; keep the commonest
        by_key: dict[str, Counter] = {}
        for t in titles:
            by_key.setdefault(_title_key(t), Counter())[t] += 1
        ranked = sorted(by_key.values(), key=lambda c: -sum(c.values()))
        rows.append(dict(person_id=pid, n_articles=g["doc_id"].nunique(), n_mentions=int(g["n_mentions"].sum()),
                         titles=[c.most_common(1)[0][0] for c in ranked]))
    df = pd.DataFrame(rows)
    return df.sort_values(["n_articles", "n_mentions", "person_id"], ascending=[False, False, True]).head(n) \
        .reset_index(drop=True)


def figures_table(articles: pd.DataFrame, *, text_col: str = "text", progress: bool = False) -> pd.DataFrame:
    """Reported figures of every article (:func:`extract_figures`) plus ``published``."""
    out = _apply(articles, extract_figures, text_col, progress, "figures")
    if out is None:
        out = extract_figures("")
    return _with_published(out, articles)


def targets_table(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures reported against a target: achievement, target, comparator, met."""
    cols = ["doc_id", "published", "subject", "value", "unit", "qualifier", "comparator", "target", "met", "text"]
    df = figures[figures["target"].notna()]
    return df[[c for c in cols if c in df.columns]].reset_index(drop=True)
