"""Formulaic-ness per document: how much of an article is script, boilerplate or repetition.

Each measure is defined once, here:

- ``formula_share``: share of the article's words inside an occurrence of a corpus
  formula (:func:`find_formulas`: fixed phrases of several sites), every occurrence
  counted — formulaic language as a share of text (Koolen & Hoekstra 2022);
- ``reprint_share``: share inside passages it shares with articles of *other* sites
  (:func:`find_reuse`, kinds ``reuse`` and ``duplicate``): reprinted text;
- ``boilerplate_share``: share inside passages of kind ``furniture`` (a site's own
  edge text that survived cleaning) — boilerplate (Dyer, Lang & Stice-Lawrence 2017);
- ``stickiness``: cosine similarity of its word counts with the same site's previous
  article of the same Party level — "Lazy Prices" (Cohen, Malloy & Nguyen, J. Finance
  2020), the same firm's previous filing of the same type; NaN for a site's first;
- ``specificity``: numbers, dates, named targets (``đến năm 2030``, ``giai đoạn
  2021-2025``) and proper names per 100 words — specific text names who, what,
  when and how much (Dyer et al. 2017: the opposite of boilerplate).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ._candidates import shingles
from ._find import Reuse, find_reuse
from ._formulas import Formulas, find_formulas

__all__ = ["formulaicness", "FORMULAIC_COLUMNS"]

FORMULAIC_COLUMNS = ["doc_id", "published", "site", "level", "n_tokens", "formula_share", "reprint_share",
                     "boilerplate_share", "stickiness", "numbers", "dates", "targets", "names", "specificity"]

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*%?")
_DATE = re.compile(r"\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{1,2}-\d{1,2}-\d{4}")
_YEAR = re.compile(r"(?:19|20)\d\d")
_TARGET_HEADS = (("đến", "năm"), ("giai_đoạn",), ("giai", "đoạn"), ("nhiệm_kỳ",), ("nhiệm", "kỳ"))


def _cover(n_total: int, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """A flag per token of the stream: inside any of the spans ``[start, start + length)``."""
    d = np.zeros(n_total + 1, dtype=np.int64)
    np.add.at(d, starts, 1)
    np.add.at(d, starts + lengths, -1)
    return np.cumsum(d[:-1]) > 0


def _formula_cover(docs, formulas: Formulas) -> np.ndarray:
    """Every occurrence of every formula's words in the stream (not only the first per article)."""
    code_of = {str(v): i for i, v in enumerate(docs.vocab)}
    covered = np.zeros(len(docs.codes), dtype=bool)
    by_len: dict[int, set] = {}
    for key in formulas.table["key"]:
        words = key.split(" ")
        codes = [code_of.get(w) for w in words]
        if None in codes:
            continue
        h = shingles(np.asarray(codes, dtype=np.int64), np.array([0, len(codes)]), len(codes))[0]
        by_len.setdefault(len(codes), set()).update(h.tolist())
    for n, wanted in by_len.items():
        h, row, pos = shingles(docs.codes, docs.offsets, n)
        hit = np.isin(h, np.fromiter(wanted, dtype=np.uint64, count=len(wanted)))
        start = docs.offsets[row[hit]] + pos[hit]
        covered |= _cover(len(docs.codes), start.astype(np.int64), np.full(int(hit.sum()), n))
    return covered


def _passage_cover(docs, passages: pd.DataFrame) -> np.ndarray:
    row = pd.Series(np.arange(len(docs.meta)), index=pd.Index(docs.meta["doc_id"]))
    starts, lengths = [], []
    for side in ("a", "b"):
        r = row.reindex(passages[f"doc_id_{side}"]).to_numpy()
        s = passages[f"start_{side}"].to_numpy(np.int64)
        starts.append(docs.offsets[r] + s)
        lengths.append(passages[f"end_{side}"].to_numpy(np.int64) - s)
    return _cover(len(docs.codes), np.concatenate(starts).astype(np.int64), np.concatenate(lengths))


def _per_doc(docs, flag: np.ndarray) -> np.ndarray:
    n = np.diff(docs.offsets)
    got = np.add.reduceat(flag.astype(np.int64), docs.offsets[:-1]) if len(flag) else np.zeros(len(n))
    got = np.where(n > 0, got, 0)
    return got / np.maximum(n, 1)


def _stickiness(docs) -> np.ndarray:
    """Cosine of each article's word counts with its site's previous article of its level.
    A duplicate (a copy of another article) is neither measured nor anyone's previous:
    its similarity to its original is 1 by construction."""
    import scipy.sparse as sp
    from ..dedupe import publication_rank
    meta = docs.meta
    n = len(meta)
    lengths = np.diff(docs.offsets)
    X = sp.csr_matrix((np.ones(len(docs.codes)), docs.codes, docs.offsets), shape=(n, max(len(docs.vocab), 1)))
    X.sum_duplicates()
    norm = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    order = np.argsort(publication_rank(meta["published"]), kind="stable")
    prev = np.full(n, -1, dtype=np.int64)
    last: dict = {}
    for i in order.tolist():
        if pd.isna(meta["published"].iat[i]) or lengths[i] == 0 or meta["group"].iat[i] != meta["doc_id"].iat[i]:
            continue
        k = (meta["site"].iat[i], meta["level"].iat[i])
        prev[i] = last.get(k, -1)
        last[k] = i
    out = np.full(n, np.nan)
    has = np.flatnonzero(prev >= 0)
    if len(has):
        dots = np.asarray(X[has].multiply(X[prev[has]]).sum(axis=1)).ravel()
        out[has] = dots / np.maximum(norm[has] * norm[prev[has]], 1e-12)
    return out


def _specific(docs) -> pd.DataFrame:
    """Numbers, dates and named targets per article (names: :func:`_names`)."""
    vocab = [str(v) for v in docs.vocab]
    is_num = np.array([bool(_NUMBER.fullmatch(v)) and not _DATE.fullmatch(v) for v in vocab], dtype=bool)
    is_date = np.array([bool(_DATE.fullmatch(v)) for v in vocab], dtype=bool)
    is_year = np.array([bool(_YEAR.fullmatch(v)) for v in vocab], dtype=bool)
    code_of = {v: i for i, v in enumerate(vocab)}
    c = docs.codes
    row = np.repeat(np.arange(len(docs.meta)), np.diff(docs.offsets))
    nd = len(docs.meta)
    count = lambda flag: np.bincount(row[flag], minlength=nd) if len(flag) else np.zeros(nd, np.int64)  # noqa: E731
    numbers, dates = count(is_num[c]), count(is_date[c])
    # a named target: a head ("đến năm", "giai đoạn", "nhiệm kỳ") then a year, in one article
    targets = np.zeros(nd, dtype=np.int64)
    for head in _TARGET_HEADS:
        ids = [code_of.get(w) for w in head]
        if None in ids or len(c) <= len(head):
            continue
        m = len(c) - len(head)
        ok = np.ones(m, dtype=bool)
        for j, i in enumerate(ids):
            ok &= c[j:j + m] == i
        ok &= is_year[c[len(head):len(head) + m]]
        start = np.flatnonzero(ok)
        same = row[start] == row[start + len(head)]
        targets += np.bincount(row[start[same]], minlength=nd)
    return pd.DataFrame({"numbers": numbers, "dates": dates, "targets": targets})


def formulaicness(corpus, *, reuse: Reuse | None = None, formulas: Formulas | None = None, **options
                  ) -> pd.DataFrame:
    """Per article, the measures of the module docstring (:data:`FORMULAIC_COLUMNS`).

    ``corpus``: a Corpus or a frame (``doc_id``, ``tokens``, ``published``,
    ``outlet``, optional ``level``); ``reuse``/``formulas``: already found on it
    (else found here, ``options`` going to both :func:`find_reuse` and
    :func:`find_formulas` where they apply, e.g. ``levels``). Shares are of the
    article's words; ``specificity`` is numbers + dates + targets + names per 100
    words (names: capitalised words of the case-kept forms; a frame's tokens as given).
    """
    import inspect
    fr = set(inspect.signature(find_reuse).parameters) - {"corpus"}
    ff = set(inspect.signature(find_formulas).parameters) - {"corpus"}
    unknown = sorted(set(options) - fr - ff)
    if unknown:
        raise TypeError(f"formulaicness() got unknown option(s) {unknown}; valid: reuse, formulas, and the "
                        f"options of find_reuse/find_formulas: {', '.join(sorted(fr | ff))}")
    if reuse is None:
        reuse = find_reuse(corpus, **{k: v for k, v in options.items() if k in fr})
    if formulas is None:
        formulas = find_formulas(corpus, **{k: v for k, v in options.items() if k in ff})
    docs = reuse.docs
    meta = docs.meta
    p = reuse.passages
    cross = p[(p["kind"] != "furniture") & (p["site_a"] != p["site_b"])]
    furn = p[p["kind"] == "furniture"]
    n_tok = np.diff(docs.offsets)
    out = pd.DataFrame({"doc_id": meta["doc_id"].to_numpy(), "published": meta["published"].to_numpy(),
                        "site": meta["site"].to_numpy(), "level": meta["level"].to_numpy(), "n_tokens": n_tok,
                        "formula_share": _per_doc(docs, _formula_cover(docs, formulas)),
                        "reprint_share": _per_doc(docs, _passage_cover(docs, cross)),
                        "boilerplate_share": _per_doc(docs, _passage_cover(docs, furn)),
                        "stickiness": _stickiness(docs)})
    spec = _specific(docs)
    spec["names"] = _names(corpus, docs)
    out = pd.concat([out, spec], axis=1)
    out["specificity"] = 100 * spec.sum(axis=1).to_numpy() / np.maximum(n_tok, 1)
    return out[FORMULAIC_COLUMNS]


def _is_name(word) -> bool:
    w = str(word)
    return w[:1].isupper() and any(ch.isalpha() for ch in w)


def _names(corpus, docs) -> np.ndarray:
    """Capitalised words per article, of its case-kept words: a frame's tokens as given
    (or as tokenised), a store's normalised words (sentence-initial capitals lowered);
    matched to the articles by ``doc_id``, so any selection of the reuse agrees."""
    if docs.frame is not None:
        return np.array([sum(map(_is_name, t)) for t in docs.frame["tokens"]], dtype=np.int64)
    rows, codes, lengths, vocab = corpus.token_ids("article", include_duplicates=True)
    upper = np.fromiter((_is_name(v) for v in vocab), dtype=bool, count=len(vocab))
    row = np.repeat(np.arange(len(lengths)), lengths)
    per_row = np.bincount(row[upper[codes]], minlength=len(lengths))
    by_id = pd.Series(per_row, index=pd.Index(rows["doc_id"])).groupby(level=0).first()
    return by_id.reindex(docs.meta["doc_id"]).fillna(0).to_numpy(np.int64)
