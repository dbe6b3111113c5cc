"""What the reuse functions read, from a store or from a frame: each article's words
as integer codes (case-folded, punctuation dropped, so re-punctuation and case are
not edits), its metadata (date, site, Party level, duplicate group) and, on demand,
its surface words and text to turn token spans into character spans."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from ..index import offsets as run_offsets

__all__ = ["Docs", "read_docs", "char_spans"]


@dataclass
class Docs:
    """Articles in corpus order. ``meta`` has one row per article: ``doc_id``,
    ``published``, ``outlet``, ``site`` (the outlet, else the URL's host, else the
    input file: what "one site only" means), ``level``, ``group`` (the ``doc_id``
    of the article's duplicate group) and ``n_tokens``."""
    meta: pd.DataFrame
    codes: np.ndarray
    offsets: np.ndarray
    vocab: np.ndarray
    corpus: Any = None
    frame: pd.DataFrame | None = None
    texts: dict | None = None  # doc_id -> text, when already read (for the levels)
    _surface: dict = field(default_factory=dict)

    def tokens(self, row: int) -> np.ndarray:
        return self.codes[self.offsets[row]:self.offsets[row + 1]]

    def surfaces(self, rows) -> dict[int, tuple[list[str], str | None]]:
        """Surface words (as written, ``_`` joins a word's syllables) and text of ``rows``."""
        need = sorted({int(r) for r in rows} - set(self._surface))
        if need and self.corpus is not None:
            ids = self.meta["doc_id"].to_numpy()[need].tolist()
            tok = self.corpus.read_table("tokens", ["doc_id", "token", "punct"], doc_ids=ids)
            tok = tok[~tok["punct"].to_numpy(bool)]
            words = tok.groupby("doc_id", sort=False)["token"].agg(list).to_dict()
            texts = self.texts
            if texts is None:
                arts = self.corpus.read_table("articles", ["doc_id", "text"], doc_ids=ids)
                texts = dict(zip(arts["doc_id"], arts["text"]))
            for r, d in zip(need, ids):
                self._surface[r] = (words.get(d, []), texts.get(d))
        elif need:
            has_text = "text" in self.frame.columns
            for r in need:
                rec = self.frame.iloc[r]
                text = rec["text"] if has_text and isinstance(rec["text"], str) else None
                self._surface[r] = (list(rec["tokens"]), text)
        return {r: self._surface[int(r)] for r in rows}


def _site(meta: pd.DataFrame) -> pd.Series:
    site = meta["outlet"] if "outlet" in meta else pd.Series(None, index=meta.index, dtype=object)
    site = site.where(site.notna() & (site.astype(str).str.strip() != ""), None)
    if "url" in meta:
        host = meta["url"].map(lambda u: urlsplit(u).hostname if isinstance(u, str) and u else None)
        site = site.fillna(host)
    if "source_path" in meta:
        # the file's name, not its path: a label must not change with where the folder lives
        site = site.fillna(meta["source_path"].map(lambda p: PurePath(p).name if isinstance(p, str) and p else None))
    return site.fillna("(unknown)").astype(str)


def _levels(levels, meta: pd.DataFrame, texts) -> pd.Series:
    """``"auto"``: :func:`corpus_tools.classify_level` on each article's title and
    text; ``None``: all ``"unknown"``; a mapping or Series: by ``doc_id``."""
    if levels is None:
        return pd.Series("unknown", index=meta.index, dtype=object)
    if isinstance(levels, str):
        if levels != "auto":
            raise ValueError(f"levels must be 'auto', None, or a mapping doc_id -> level; got {levels!r}")
        if texts is None:
            return pd.Series("unknown", index=meta.index, dtype=object)
        from ..references import classify_level
        titles = meta["title"] if "title" in meta else pd.Series(None, index=meta.index)
        return pd.Series([classify_level({"text": t if isinstance(t, str) else "",
                                          "title": h if isinstance(h, str) else None}).level
                          for t, h in zip(texts, titles)], index=meta.index, dtype=object)
    mapped = meta["doc_id"].map(pd.Series(levels) if not isinstance(levels, pd.Series) else levels)
    return mapped.fillna("unknown").astype(object)


def _store_levels(corpus, meta: pd.DataFrame) -> pd.Series:
    """``_levels(levels="auto")`` of a store's articles, reading their texts one part
    at a time (:meth:`Corpus.iter_table`): the same level for each article."""
    from ..references import classify_level
    titles = dict(zip(meta["doc_id"], meta["title"] if "title" in meta else [None] * len(meta)))
    level: dict = {}
    for part in corpus.iter_table("articles", ["doc_id", "text"]):
        for d, t in zip(part["doc_id"].tolist(), part["text"].tolist()):
            if d in titles:  # the last copy of a doc id stored twice, as a dict of all texts keeps
                h = titles[d]
                level[d] = classify_level({"text": t if isinstance(t, str) else "",
                                           "title": h if isinstance(h, str) else None}).level
    return meta["doc_id"].map(level).fillna("unknown").astype(object)


def _groups(meta: pd.DataFrame) -> pd.Series:
    if "duplicate_of" in meta:
        dup = meta["duplicate_of"].where(meta["duplicate_of"].notna(), None)
        return dup.fillna(meta["doc_id"]).astype(str)
    return meta["doc_id"].astype(str)


def read_docs(corpus, *, levels="auto", where=None, start=None, end=None) -> Docs:
    """The articles of a :class:`corpus_tools.Corpus` (duplicates included, so they
    can be marked) or of a frame with ``doc_id`` and ``tokens`` (and optionally
    ``published``, ``outlet``, ``level``, ``text``); a frame with ``text`` and no
    ``tokens`` is tokenised here (:func:`corpus_tools.tokenize`, as a store's frame)."""
    all_texts = None
    if isinstance(corpus, pd.DataFrame):
        frame = corpus.reset_index(drop=True)
        if "tokens" not in frame and "text" in frame:
            from ..tokens import tokenize
            frame = frame.assign(tokens=[tokenize(t) if isinstance(t, str) else []
                                         for t in frame["text"]])
        for col in ("doc_id", "tokens"):
            if col not in frame:
                raise ValueError(f"a frame needs a {col!r} column; it has {list(frame.columns)}")
        if frame["doc_id"].duplicated().any():
            raise ValueError("doc_id must be unique in the frame")
        lengths = np.fromiter((len(t) for t in frame["tokens"]), dtype=np.int64, count=len(frame))
        flat = [str(w).casefold() for t in frame["tokens"] for w in t]
        codes, vocab = pd.factorize(pd.Index(flat, dtype=object)) if flat else (np.zeros(0, np.int64), [])
        meta = frame.drop(columns=["tokens", "text"], errors="ignore").copy()
        if "level" in frame and (isinstance(levels, str) and levels == "auto"):
            meta["level"] = frame["level"].fillna("unknown").astype(object)
        else:
            meta["level"] = _levels(levels, meta, frame["text"] if "text" in frame else None)
        corpus_obj = None
    else:
        rows, codes, lengths, vocab = corpus.token_ids("article", where=where, start=start, end=end,
                                                       include_duplicates=True)
        meta = rows.reset_index(drop=True).copy()
        low, low_vocab = pd.factorize(pd.Index([str(v).casefold() for v in vocab], dtype=object))
        codes, vocab = low[codes] if len(codes) else np.zeros(0, np.int64), low_vocab
        if isinstance(levels, str) and levels == "auto" and callable(getattr(corpus, "iter_table", None)):
            meta["level"] = _store_levels(corpus, meta)  # part by part: no text of the store held whole
        else:
            if isinstance(levels, str) and levels == "auto":
                arts = corpus.read_table("articles", ["doc_id", "text"])
                all_texts = dict(zip(arts["doc_id"], arts["text"]))
            meta["level"] = _levels(levels, meta, None if all_texts is None else meta["doc_id"].map(all_texts))
        frame, corpus_obj = None, corpus
    for col in ("published", "outlet"):
        if col not in meta:
            meta[col] = pd.NaT if col == "published" else None
    meta["published"] = pd.to_datetime(meta["published"], errors="coerce")
    meta["site"] = _site(meta)
    meta["group"] = _groups(meta)
    meta["n_tokens"] = np.asarray(lengths, dtype=np.int64)
    return Docs(meta=meta, codes=np.asarray(codes, dtype=np.int32), offsets=run_offsets(np.asarray(lengths)),
                vocab=np.asarray(vocab, dtype=object), corpus=corpus_obj, frame=frame,
                texts=all_texts)


def char_spans(words: list[str], text: str | None) -> np.ndarray | None:
    """Start and end character of each word in ``text`` (``-1`` where a word cannot
    be found), or None without a text.

    Found by a forward search of each word, its syllables joined by spaces, in the
    lower-cased text: the segmenter keeps the words' letters, so this recovers where
    they were written without storing offsets for every token."""
    if text is None:
        return None
    low = text.lower()
    out = np.full((len(words), 2), -1, dtype=np.int64)
    at = 0
    for i, w in enumerate(words):
        s = w.replace("_", " ").lower()
        j = low.find(s, at, at + 200 + len(s))
        if j < 0:
            continue
        out[i] = (j, j + len(s))
        at = j + len(s)
    return out


