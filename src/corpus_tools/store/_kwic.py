"""Keyword in context over a store's token arrays."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .._options import check_choice
from ..terms import word_splits
from ._arrays import doc_codes, doc_ends, phrase_hits
from ._layout import KwicMatch, _detok

__all__ = ["kwic", "term_partitions"]


def kwic(corpus, query: str | Sequence[str], *, match: KwicMatch = "term", window: int = 8,
         where=None, n: int | None = None,
             metadata: Sequence[str] = ("published", "outlet", "title"),
             case_sensitive: bool = False, include_duplicates: bool = False) -> pd.DataFrame:
        """Keyword in context. ``query`` goes through ``tokens.query_tokens``
        (so ``"chuyển đổi số"`` finds ``chuyển_đổi_số``). ``match="term"``
        (default): the query's syllables as a span of whole words however the
        words split them (the terms layer's rule, as ``term_rates``); ``"word"``:
        the query's words exactly, in sequence (``case_sensitive`` applies here).
        A match stays within one document; punctuation inside the span must be
        written in the query. ``window`` counts tokens (punctuation included) on
        each side. Rows follow corpus order.
        """
        if not isinstance(window, int) or window < 0:
            raise ValueError(f"window must be a non-negative int, got {window!r}")
        check_choice("match", match, KwicMatch)
        if case_sensitive and match != "word":
            raise ValueError("case_sensitive=True needs match='word'")
        if isinstance(query, str):
            from .. import tokens
            q = list(tokens.query_tokens(query))
        else:
            q = list(query)
        cols = ["doc_id", "para_id", "sent_id", "position", "left", "keyword", "right",
                *metadata]
        idx = corpus._index()
        if not q:
            return pd.DataFrame(columns=cols)
        if match == "word":
            # each query token -> the norm codes it matches (case-folded unless asked)
            if case_sensitive:
                lookup = {v: i for i, v in enumerate(idx["norm_vocab"])}
                qc = [[lookup[t]] if t in lookup else [] for t in q]
            else:
                qc = [idx["lower"].get(t.lower(), []) for t in q]
            hits, lens = phrase_hits(idx, [qc] if all(qc) else [])
        else:
            hits, lens = phrase_hits(idx, term_partitions(idx, q))
        if not len(hits):
            return pd.DataFrame(columns=cols)
        mask = corpus._mask(where=where, include_duplicates=include_duplicates)
        row_of_code = corpus._meta_row_of_code()
        meta = corpus._meta()
        # a document is searched when any of its article rows is selected
        code_of_row = corpus._code_of_meta_row()
        allowed = np.zeros(len(idx["doc_vocab"]), dtype=bool)
        picked = code_of_row[mask]
        allowed[picked[picked >= 0]] = True
        keep = allowed[doc_codes(idx, hits)]
        hits, lens = hits[keep], lens[keep]
        if n is not None:
            hits, lens = hits[:n], lens[:n]
        doc = doc_codes(idx, hits)
        doc_end = doc_ends(idx, hits, doc)
        surf, sv, pos = idx["surf"], idx["surf_vocab"], idx["pos"]
        left, kw, right = [], [], []
        for h, k, b_max in zip(hits.tolist(), lens.tolist(), doc_end.tolist()):
            a = h - min(window, int(pos[h]))  # positions count from 0 in each document
            e = h + k
            b = min(e + window, b_max)
            left.append(_detok(sv[surf[a:h]]))
            kw.append(_detok(sv[surf[h:e]]))
            right.append(_detok(sv[surf[e:b]]))
        out = pd.DataFrame({
            "doc_id": idx["doc_vocab"][doc],
            "para_id": idx["para"][hits].astype(np.int32), "sent_id": idx["sent"][hits].astype(np.int32),
            "position": idx["pos"][hits].astype(np.int32), "left": left, "keyword": kw, "right": right})
        metadata = [m for m in metadata if m in meta]
        if metadata:
            rows = row_of_code[doc]
            for m in metadata:
                out[m] = meta[m].iloc[rows].to_numpy() if len(rows) else meta[m].iloc[:0].to_numpy()
        return out


def term_partitions(idx: dict, q: Sequence[str]) -> list[list[list[int]]]:
    """The splits of the query's syllables into words of the store's vocabulary
    (case-folded, the ``lower`` lookup of the arrays), each a pattern for
    :func:`phrase_hits`. Queries are normalised like the texts (tone placement
    included), so lowercase spellings suffice."""
    lower = idx["lower"]
    syls = [x.lower() for t in q for x in t.split("_") if x]
    return word_splits(syls, lambda key: lower.get(key, []))
