"""Keyword in context over a store's token arrays."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from .._options import check_choice
from ._arrays import doc_codes, doc_ends
from ._layout import KwicMatch, _detok

__all__ = ["kwic", "kwic_lines"]


def kwic_lines(idx: dict, hits: np.ndarray, last: np.ndarray, doc_end: np.ndarray, window: int
               ) -> tuple[list[str], list[str], list[str]]:
    """Left context, keyword and right context of each hit: ``window`` tokens each side
    (punctuation included), within the hit's document. Every window's tokens are
    gathered at once, and all pieces are made readable in one pass (:func:`_detok` on
    the pieces joined by newlines, which no token holds and no rule of it crosses)."""
    if not len(hits):
        return [], [], []
    surf, pos = np.asarray(idx["surf"]), np.asarray(idx["pos"])  # plain views: no memmap per slice
    hits, last = np.asarray(hits, dtype=np.int64), np.asarray(last, dtype=np.int64)
    a = hits - np.minimum(window, pos[hits].astype(np.int64))  # positions count from 0 in each document
    b = np.minimum(last + window, np.asarray(doc_end, dtype=np.int64))
    lens = b - a
    starts = np.concatenate(([0], np.cumsum(lens)[:-1]))
    flat = np.repeat(a - starts, lens) + np.arange(int(lens.sum()))
    codes = surf[flat]
    if "surf_vocab" not in idx and hasattr(idx, "arrow"):  # only the tokens shown become Python strings
        toks = idx.arrow("surf").take(pa.array(codes)).to_pylist()
    else:
        toks = idx["surf_vocab"][codes].tolist()
    cut = np.stack([starts, starts + (hits - a), starts + (last - a), starts + lens], axis=1).tolist()
    pieces = [" ".join(toks[c[k]:c[k + 1]]) for c in cut for k in range(3)]
    out = _detok(["\n".join(pieces)]).split("\n")
    if len(out) != len(pieces):  # a token holding a newline (a custom segmenter's): piece by piece
        out = [_detok([piece]) for piece in pieces]
    return out[0::3], out[1::3], out[2::3]


def kwic(corpus, query: str | Sequence[str], *, match: KwicMatch = "term", window: int = 8,
         where=None, n: int | None = None,
         metadata: Sequence[str] = ("published", "outlet", "title"),
         case_sensitive: bool = False, include_duplicates: bool = False) -> pd.DataFrame:
    """Keyword in context: one line per occurrence that ``term_counts`` counts
    (the same matcher, :class:`corpus_tools.index.TokenIndex`, with the same
    ``match`` modes), so the lines of a query equal its count. ``query`` goes
    through ``tokens.query_tokens`` (``"chuyển đổi số"`` finds
    ``chuyển_đổi_số``). ``match="term"`` (default): the query's syllables as a
    span of whole words however the words split them; ``"word"``: the query's
    words in sequence (``case_sensitive`` applies here); ``"anywhere"``: its
    syllables, inside words too. In every mode punctuation between words is
    skipped, dashes inside compounds and i/y spellings do not matter, and a match
    stays within one sentence. ``window`` counts tokens (punctuation included) on
    each side. Rows follow corpus order.
    """
    if not isinstance(window, int) or window < 0:
        raise ValueError(f"window must be a non-negative int, got {window!r}")
    check_choice("match", match, KwicMatch)
    if case_sensitive and match != "word":
        raise ValueError("case_sensitive=True needs match='word'")
    cols = ["doc_id", "para_id", "sent_id", "position", "left", "keyword", "right", *metadata]
    if isinstance(query, str):
        from .. import tokens
        q = list(tokens.query_tokens(query))
    else:
        q = list(query)
    if not q:
        return pd.DataFrame(columns=cols)
    meta_ti, ti = corpus.token_index(include_duplicates=include_duplicates)
    mode = "word_cs" if case_sensitive else match
    start, end, row = ti.occurrences([tuple(q)], mode)
    start, end = ti.word_span(start, end, mode)
    if where is None:  # the index holds exactly the articles asked for
        keep = np.ones(len(row), dtype=bool)
    else:
        mask = corpus._mask(where=where, include_duplicates=include_duplicates)
        allowed = meta_ti["doc_id"].isin(set(corpus._meta()["doc_id"][mask])).to_numpy()
        keep = allowed[row] if len(row) else np.zeros(0, dtype=bool)
    start, end, row = start[keep], end[keep], row[keep]
    if n is not None:
        start, end, row = start[:n], end[:n], row[:n]
    if not len(start):
        return pd.DataFrame(columns=cols)
    idx = corpus._index()
    hits = ti.positions[start]  # in the store's stream, punctuation included
    last = ti.positions[end - 1] + 1
    doc = doc_codes(idx, hits)
    doc_end = doc_ends(idx, hits, doc)
    runner = getattr(corpus, "_dask", None)
    if runner is not None:  # the lines of runs of hits as tasks, joined in order
        from ._dask import _kwic_lines
        step = max(1000, -(-len(hits) // 64))
        parts = runner.map(_kwic_lines, [(str(corpus.path), hits[i:i + step], last[i:i + step],
                                          doc_end[i:i + step], window) for i in range(0, len(hits), step)])
        left, kw, right = ([x for p in parts for x in p[k]] for k in range(3))
    else:
        left, kw, right = kwic_lines(idx, hits, last, doc_end, window)
    out = pd.DataFrame({
        "doc_id": idx["doc_vocab"][doc],
        "para_id": idx["para"][hits].astype(np.int32), "sent_id": idx["sent"][hits].astype(np.int32),
        "position": idx["pos"][hits].astype(np.int32), "left": left, "keyword": kw, "right": right})
    meta = meta_ti
    for m in [m for m in metadata if m in meta]:
        out[m] = meta[m].to_numpy()[row]
    return out
