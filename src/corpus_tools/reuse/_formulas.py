"""Formulas: fixed phrases that recur across sites, with first use and spread.

Closed frequent phrases, found level by level (Apriori: an (n+1)-gram can only be
frequent if both its n-grams are; Agrawal & Srikant 1994): an n-gram is a formula
when it occurs in ``min_docs`` articles of ``min_sites`` sites and no one-word
extension keeps ``closure`` of its articles (it is not merely part of a longer
phrase; Pasquier et al. 1999's closed itemsets, for sequences). An n-gram of
``max_tokens`` words still extended at ``max_tokens + 1`` belongs to a reprinted
passage, not a formula, and is left to :func:`find_reuse`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._options import check_choice, named_options, renamed_options
from ..periods import By, is_time_unit, period_labels
from ..dedupe import publication_rank
from ._docs import char_spans, read_docs

__all__ = ["find_formulas", "formula_table", "formula_spread", "Formulas", "FORMULA_COLUMNS", "SpreadBy"]

FORMULA_COLUMNS = ["formula_id", "formula", "key", "n_tokens", "n_docs", "n_sites", "n_occurrences",
                   "first_doc_id", "first_published", "first_site", "first_level", "last_published",
                   "n_years", "n_levels", "levels"]
SpreadBy = By  # the period coder's vocabulary ("level" and "site" are columns here); the old name, kept
_MULT = np.uint64(0x100000001B3)


@dataclass
class Formulas:
    """``table``: one row per formula (:data:`FORMULA_COLUMNS`); ``occurrences``: one
    row per formula and article it occurs in (``formula_id``, ``doc_id``,
    ``position``, ``published``, ``site``, ``level``)."""
    table: pd.DataFrame
    occurrences: pd.DataFrame


def _counts(h: np.ndarray, row: np.ndarray, site: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct hashes and, for each, its number of articles and of sites."""
    u, inv = np.unique(h, return_inverse=True)
    inv = inv.astype(np.int64)

    def distinct(x: np.ndarray) -> np.ndarray:
        base = int(x.max()) + 1 if len(x) else 1
        return np.bincount(np.unique(inv * base + x) // base, minlength=len(u))

    return u, distinct(row), distinct(site)


def _lookup(u: np.ndarray, values: np.ndarray, h: np.ndarray) -> np.ndarray:
    """``values`` of hashes ``h`` in the sorted ``u`` (0 where absent)."""
    if not len(u):
        return np.zeros(len(h), dtype=np.int64)
    i = np.minimum(np.searchsorted(u, h), len(u) - 1)
    return np.where(u[i] == h, values[i], 0)


def _closed_phrases(codes, offsets, rows_ok, site, *, min_tokens, max_tokens, min_docs, min_sites, closure):
    """``(n, start positions in the stream)`` of every closed frequent phrase occurrence."""
    n_tok = np.diff(offsets)
    doc_of = np.repeat(np.arange(len(n_tok)), n_tok)
    ids = codes.astype(np.uint64) + np.uint64(1)
    total = len(codes)
    # level min_tokens: raw polynomial hash of every n-gram inside one kept article
    n = min_tokens
    starts = np.arange(max(total - n + 1, 0))
    starts = starts[(starts + n <= offsets[doc_of[starts] + 1]) & rows_ok[doc_of[starts]]] if len(starts) else starts
    h = np.zeros(len(starts), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(n):
            h = h * _MULT + ids[starts + j]
    found = []
    level = (starts, h, np.zeros(len(starts), dtype=np.int64))
    while len(starts) and n <= max_tokens + 1:
        u, docs, sites = _counts(h, doc_of[starts], site[doc_of[starts]])
        freq = (docs >= min_docs) & (sites >= min_sites)
        keep = freq[np.searchsorted(u, h)]
        starts, h = starts[keep], h[keep]
        docs_here = _lookup(u, docs, h)
        if n > min_tokens:
            # the previous level's phrases are closed unless an extension keeps `closure` of them
            prev_s, prev_h, prev_docs = level
            ext = np.zeros(len(prev_s), dtype=np.int64)
            pos_of = pd.Series(docs_here, index=starts)
            ext = np.maximum(ext, pos_of.reindex(prev_s).fillna(0).to_numpy(np.int64))  # right extension
            ext = np.maximum(ext, pos_of.reindex(prev_s - 1).fillna(0).to_numpy(np.int64))  # left
            best_ext = pd.Series(ext).groupby(prev_h).transform("max").to_numpy()
            closed = best_ext < closure * prev_docs
            if n - 1 <= max_tokens:
                found.append((n - 1, prev_s[closed]))
        level = (starts, h, docs_here)
        # next level: (n+1)-grams whose two n-grams are both frequent
        nxt = np.isin(starts + 1, starts) & (starts + n + 1 <= offsets[doc_of[starts] + 1])
        starts, h = starts[nxt], h[nxt]
        with np.errstate(over="ignore"):
            h = h * _MULT + ids[starts + n]
        n += 1
    if n <= max_tokens + 1 and n > min_tokens:
        prev_s, _, _ = level
        found.append((n - 1, prev_s))  # nothing extends them: all closed
    return found


def _auto_min_docs(n_docs: int) -> int:
    return max(2, math.ceil(n_docs / 500))


@named_options
def find_formulas(corpus, *, min_tokens: int = 4, max_tokens: int = 30, min_docs: Any = "auto",
                  min_sites: int = 2, closure: float = 0.8, stopwords: Any = "general", min_content: int = 2,
                  levels: Any = "auto", where=None, start=None, end=None) -> Formulas:
    """Fixed phrases of ``min_tokens``-``max_tokens`` words that recur in at least
    ``min_docs`` articles (``"auto"``: 2, or one article in 500) of at least
    ``min_sites`` sites (so one site's own chrome is not a formula), counting one
    article per duplicate group; trimmed of stopwords at both ends, and each with at least ``min_content`` words outside
    ``stopwords`` (as :func:`corpus_tools.resolve_stopwords` reads it).
    ``corpus``, ``levels``, ``where``, ``start``, ``end``: as in :func:`find_reuse`.
    """
    for name, value, lo in (("min_tokens", min_tokens, 2), ("max_tokens", max_tokens, min_tokens),
                            ("min_sites", min_sites, 1), ("min_content", min_content, 0)):
        if not isinstance(value, (int, np.integer)) or value < lo:
            raise ValueError(f"{name} must be an integer >= {lo}; got {value!r}")
    if not 0.0 < closure <= 1.0:
        raise ValueError(f"closure must be in (0, 1]; got {closure!r}")
    docs = read_docs(corpus, levels=levels, where=where, start=start, end=end)
    meta = docs.meta
    first_copy = (meta["group"] == meta["doc_id"]).to_numpy().copy()
    if "is_duplicate" in meta:
        first_copy &= ~meta["is_duplicate"].fillna(False).to_numpy(bool)
    if isinstance(min_docs, str):
        check_choice("min_docs", min_docs, ("auto",))
        min_docs = _auto_min_docs(int(first_copy.sum()))
    if not isinstance(min_docs, (int, np.integer)) or min_docs < 2:
        raise ValueError(f"min_docs must be 'auto' or an integer >= 2; got {min_docs!r}")
    site_codes = pd.factorize(meta["site"])[0].astype(np.int64)
    found = _closed_phrases(docs.codes, docs.offsets, first_copy, site_codes, min_tokens=min_tokens,
                            max_tokens=max_tokens, min_docs=min_docs, min_sites=min_sites, closure=closure)
    return _formula_tables(docs, found, stopwords, min_content, min_tokens)


def _word_masks(vocab: np.ndarray, stopwords) -> tuple[np.ndarray, np.ndarray]:
    """Per vocabulary entry: is a stopword; is a content word (no stopword, has a letter)."""
    from ..stopwords import resolve_stopwords
    stops = resolve_stopwords(stopwords)
    stop = np.array([str(v) in stops for v in vocab], dtype=bool)
    letter = np.array([any(ch.isalpha() for ch in str(v)) for v in vocab], dtype=bool)
    return stop, letter & ~stop


def _formula_tables(docs, found, stopwords, min_content: int, min_tokens: int) -> Formulas:
    meta = docs.meta
    stop, content = _word_masks(docs.vocab, stopwords)
    doc_of_pos = np.repeat(np.arange(len(meta)), np.diff(docs.offsets))
    occ = []
    for n, starts in found:
        if not len(starts):
            continue
        win = docs.codes[starts[:, None] + np.arange(n)]
        ok = content[win].sum(axis=1) >= min_content
        for s, w in zip(starts[ok].tolist(), win[ok]):
            # a phrase does not open or close on a function word: "tự diễn biến, tự chuyển hóa trong"
            lo, hi = 0, n
            while lo < hi and stop[w[lo]]:
                lo += 1
            while hi > lo and stop[w[hi - 1]]:
                hi -= 1
            if hi - lo >= min_tokens:
                occ.append((" ".join(docs.vocab[w[lo:hi]]), hi - lo, int(doc_of_pos[s]),
                            s + lo - int(docs.offsets[doc_of_pos[s]])))
    o = pd.DataFrame(occ, columns=["key", "n_tokens", "row", "position"])
    n_occ = o.groupby("key").size()
    o = o.drop_duplicates(["key", "row"]).reset_index(drop=True)  # an article counts once per formula
    for col in ("doc_id", "published", "site", "level"):
        o[col] = meta[col].to_numpy()[o["row"].to_numpy()] if len(o) else pd.Series([], dtype=object)
    o["rank"] = publication_rank(meta["published"])[o["row"].to_numpy()] if len(o) else pd.Series([], dtype=np.int64)
    o = o.sort_values(["key", "rank"], kind="stable")
    g = o.groupby("key", sort=False)
    t = pd.DataFrame({"n_tokens": g["n_tokens"].first(), "n_docs": g.size(), "n_sites": g["site"].nunique(),
                      "n_occurrences": n_occ, "first_row": g["row"].first(), "first_pos": g["position"].first(),
                      "first_doc_id": g["doc_id"].first(), "first_published": g["published"].first(),
                      "first_site": g["site"].first(), "first_level": g["level"].first(),
                      "last_published": g["published"].max(),
                      "n_years": g["published"].agg(lambda s: s.dropna().dt.year.nunique()),
                      "n_levels": g["level"].agg(lambda s: s[s != "unknown"].nunique()),
                      "levels": g["level"].agg(lambda s: "; ".join(f"{k} {v}" for k, v in sorted(s.value_counts().items())))})
    t = t.rename_axis("key").reset_index()
    t = t.sort_values(["n_docs", "n_tokens", "key"], ascending=[False, False, True], kind="stable").reset_index(drop=True)
    t["formula_id"] = np.arange(len(t))
    t["formula"] = _surface_texts(docs, t)
    o = o.merge(t[["key", "formula_id"]], on="key")
    o = o.sort_values(["formula_id", "rank"], kind="stable").reset_index(drop=True)
    occurrences = o[["formula_id", "doc_id", "position", "published", "site", "level"]]
    return Formulas(table=t[FORMULA_COLUMNS], occurrences=occurrences)


def _surface_texts(docs, t: pd.DataFrame) -> list[str]:
    """Each formula as its first article wrote it (punctuation and case included)."""
    surf = docs.surfaces(t["first_row"].unique().tolist()) if len(t) else {}
    spans = {r: char_spans(w, text) for r, (w, text) in surf.items()}
    out = []
    for r, p, n, key in zip(t["first_row"], t["first_pos"], t["n_tokens"], t["key"]):
        words, text = surf[r]
        sp = spans[r]
        if sp is not None and len(sp) > p + n - 1 and sp[p, 0] >= 0 and sp[p + n - 1, 1] >= 0:
            out.append(text[sp[p, 0]:sp[p + n - 1, 1]])
        else:
            out.append(" ".join(words[p:p + n]).replace("_", " ") if words else key.replace("_", " "))
    return out


def formula_table(corpus, **kwargs) -> pd.DataFrame:
    """The formulas of a corpus, one row each (:func:`find_formulas`'s ``table``)."""
    return find_formulas(corpus, **kwargs).table


@renamed_options(top="n")
def formula_spread(formulas: Formulas, *, by: By = "year", n: int | None = None) -> pd.DataFrame:
    """Articles using each formula per period (a calendar unit: labels such as
    ``"2021Q1"``), Party level, site, or any grouping of
    :func:`corpus_tools.periods.code_periods`: a long table ``formula_id, formula,
    <by>, n_docs`` (``period`` for a Series or callable; the ``n`` most used
    formulas, or all)."""
    o = formulas.occurrences
    if n is not None:
        o = o[o["formula_id"] < n]
    name = by if isinstance(by, str) else "period"
    if is_time_unit(by):
        o = o.dropna(subset=["published"])
    key = period_labels(o, by) if len(o) else pd.Series(dtype=object)
    o = o.assign(**{name: key}).dropna(subset=[name])
    out = o.groupby(["formula_id", name]).size().rename("n_docs").reset_index()
    names = formulas.table.set_index("formula_id")["formula"]
    out.insert(1, "formula", out["formula_id"].map(names))
    return out
