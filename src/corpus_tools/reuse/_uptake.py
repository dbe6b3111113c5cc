"""How a cited document's language travels down the Party levels, and flows of
reused passages between levels."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from .._options import check_choice
from ..references import LEVELS
from ._find import Reuse, ReuseKind

__all__ = ["reuse_uptake", "reuse_flows", "Uptake", "UPTAKE_COLUMNS"]

UPTAKE_COLUMNS = ["doc_id", "level", "published", "n_tokens", "reused_tokens", "uptake", "n_sources",
                  "first_source_doc_id", "first_source_level", "lag_days", "identity", "reworded"]
_RANK = {lvl: i for i, lvl in enumerate(LEVELS)}


@dataclass
class Uptake:
    """``articles``: one row per citing article below the top level
    (:data:`UPTAKE_COLUMNS`); ``by_level``: their summary per level; ``document``:
    the canonical id studied; ``citing``: every citing article with its level."""
    document: str
    articles: pd.DataFrame
    by_level: pd.DataFrame
    citing: pd.DataFrame


def _articles_with_text(reuse: Reuse) -> pd.DataFrame:
    docs = reuse.docs
    if docs.corpus is not None:
        arts = docs.corpus.read_table("articles", ["doc_id", "title", "text", "published"],
                                      doc_ids=docs.meta["doc_id"].tolist())
        return arts
    if docs.frame is None or "text" not in docs.frame:
        raise ValueError("uptake needs the articles' text to find their references: pass references=, "
                         "or run find_reuse on a store or on a frame with a 'text' column")
    return docs.frame


def _pick_document(refs: pd.DataFrame, document: str) -> str:
    names = refs["canonical"].dropna()
    if document == "auto":
        if names.empty:
            raise ValueError("no article cites a document (references table is empty)")
        spread = refs.dropna(subset=["canonical"]).groupby("canonical").agg(
            levels=("citing_level", lambda s: s[s.isin(LEVELS)].nunique()), n=("doc_id", "nunique"))
        return spread.sort_values(["levels", "n"], ascending=False, kind="stable").index[0]
    if (names == document).any():
        return document
    termed = sorted({n for n in names if n.startswith(document + " (")})
    if len(termed) == 1:
        return termed[0]
    if termed:
        raise ValueError(f"{document!r} names {len(termed)} documents, one per term: {termed}; pick one")
    top = names.value_counts().head(10).index.tolist()
    raise ValueError(f"no article cites {document!r}; the most cited are {top}")


def reuse_uptake(reuse: Reuse, document: str = "auto", *, references: pd.DataFrame | None = None,
                 n_boot: int = 2000, random_state: int = 0) -> Uptake:
    """The uptake of a cited document down the levels: for each article citing
    ``document`` (a canonical id from :func:`corpus_tools.references_table`, such as
    ``"35-CT/TW (XIII)"``; a bare code picks its term when only one is cited;
    ``"auto"``: the document cited at the most levels) below the central level, the
    passages it shares with citing articles of higher levels (``kind == "reuse"``).

    ``uptake`` is the share of the article's words inside such passages; ``lag_days``
    the days from the first higher-level citing article it shares with; ``identity``
    the length-weighted identity of those passages and ``reworded`` = 1 - identity.
    ``by_level`` gives, per level, the citing articles, how many reuse, the mean
    uptake with a 95% percentile bootstrap interval over articles
    (``scipy.stats.bootstrap``), the median lag and the mean rewording.
    """
    meta = reuse.docs.meta
    level_of = meta.set_index("doc_id")["level"]
    refs = _references_of(reuse) if references is None else references.copy()
    refs["citing_level"] = refs["doc_id"].map(level_of)
    doc = _pick_document(refs, document)
    citing = meta[meta["doc_id"].isin(set(refs.loc[refs["canonical"] == doc, "doc_id"]))]
    citing = citing[["doc_id", "level", "published", "site", "n_tokens"]].reset_index(drop=True)
    rank = citing.set_index("doc_id")["level"].map(lambda x: _RANK.get(x, -1))
    pas = reuse.passages[reuse.passages["kind"] == "reuse"]
    pas = pas[pas["doc_id_a"].isin(rank.index) & pas["doc_id_b"].isin(rank.index)]
    # each passage seen from both sides, so "the lower article's side" is one column
    sides = pd.concat([
        pas.rename(columns={"doc_id_a": "doc", "doc_id_b": "other", "start_a": "s", "end_a": "e",
                            "published_b": "other_published"}),
        pas.rename(columns={"doc_id_b": "doc", "doc_id_a": "other", "start_b": "s", "end_b": "e",
                            "published_a": "other_published"})])[
        ["doc", "other", "s", "e", "aligned_length", "matched", "other_published"]]
    sides = sides[sides["doc"].map(rank).to_numpy() > sides["other"].map(rank).to_numpy()]
    sides = sides[sides["other"].map(rank).to_numpy() >= 0]
    rows = [_article_row(rec, sides[sides["doc"] == rec.doc_id], level_of)
            for rec in citing.itertuples() if _RANK.get(rec.level, -1) > 0]
    arts = pd.DataFrame(rows, columns=UPTAKE_COLUMNS)
    return Uptake(document=doc, articles=arts, by_level=_by_level(arts, citing, n_boot, random_state),
                  citing=citing)


def _references_of(reuse: Reuse) -> pd.DataFrame:
    """:func:`corpus_tools.references_table` of the articles ``reuse`` was found in."""
    from ..references import references_table
    return references_table(_articles_with_text(reuse))


def _article_row(rec, own: pd.DataFrame, level_of: pd.Series) -> dict:
    covered = np.zeros(int(rec.n_tokens), dtype=bool)
    for s, e in zip(own["s"], own["e"]):
        covered[s:e] = True
    first = own.sort_values(["other_published", "other"], kind="stable").head(1)
    lag = np.nan
    if len(first) and pd.notna(rec.published) and pd.notna(first["other_published"].iat[0]):
        lag = (rec.published - first["other_published"].iat[0]).days
    identity = own["matched"].sum() / own["aligned_length"].sum() if len(own) else np.nan
    return {"doc_id": rec.doc_id, "level": rec.level, "published": rec.published, "n_tokens": int(rec.n_tokens),
            "reused_tokens": int(covered.sum()), "uptake": covered.mean() if len(covered) else 0.0,
            "n_sources": own["other"].nunique(),
            "first_source_doc_id": first["other"].iat[0] if len(first) else None,
            "first_source_level": level_of.get(first["other"].iat[0]) if len(first) else None,
            "lag_days": lag, "identity": identity, "reworded": 1 - identity}


def _by_level(arts: pd.DataFrame, citing: pd.DataFrame, n_boot: int, random_state: int) -> pd.DataFrame:
    from scipy.stats import bootstrap
    rows = []
    for lvl in [*LEVELS, "unknown"]:
        n_citing = int((citing["level"] == lvl).sum())
        if not n_citing:
            continue
        a = arts[arts["level"] == lvl]
        lo = hi = np.nan
        if len(a) >= 2 and a["uptake"].nunique() > 1:
            ci = bootstrap((a["uptake"].to_numpy(),), np.mean, n_resamples=n_boot, method="percentile",
                           random_state=random_state).confidence_interval
            lo, hi = ci.low, ci.high
        rows.append({"level": lvl, "n_citing": n_citing, "n_with_reuse": int((a["reused_tokens"] > 0).sum()),
                     "uptake_mean": a["uptake"].mean() if len(a) else np.nan, "uptake_low": lo, "uptake_high": hi,
                     "lag_median_days": a["lag_days"].median() if len(a) else np.nan,
                     "reworded_mean": a["reworded"].mean() if len(a) else np.nan})
    return pd.DataFrame(rows, columns=["level", "n_citing", "n_with_reuse", "uptake_mean", "uptake_low",
                                       "uptake_high", "lag_median_days", "reworded_mean"])


FlowBy = Literal["level", "site"]


def reuse_flows(reuse: Reuse, *, by: FlowBy = "level", kind: ReuseKind = "reuse") -> pd.DataFrame:
    """Where reused passages go: for every cluster of ``kind``, from the ``by``
    (``"level"`` or ``"site"``) of its first article to that of each later article.
    Columns ``source, target, n_articles, n_clusters``."""
    check_choice("by", by, FlowBy)
    check_choice("kind", kind, ReuseKind)
    m = reuse.members[reuse.members["kind"] == kind]
    first = m[m["is_first"]].set_index("cluster_id")[by]
    later = m[~m["is_first"]].assign(source=lambda d: d["cluster_id"].map(first), target=lambda d: d[by])
    out = later.groupby(["source", "target"]).agg(n_articles=("doc_id", "nunique"),
                                                  n_clusters=("cluster_id", "nunique")).reset_index()
    if by == "level":
        order = {lvl: i for i, lvl in enumerate([*LEVELS, "unknown"])}
        out = out.sort_values(["source", "target"], key=lambda s: s.map(order), kind="stable")
    return out.reset_index(drop=True)
