"""The ``Corpus`` reader: tables, frames, document-term matrices and KWIC over a store."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..docterm import check_df_bounds, labelled_dtm
from ..index import TokenIndex, offsets
from ._arrays import ARRAYS_DIR, build_token_arrays, doc_codes, read_token_arrays, token_mask

#: The folder, inside the token arrays, of the saved ``token_index``.
INDEX_DIR = "index"
from ._export import ExportFormat, export_corpus
from ._kwic import kwic as _kwic
from .._options import check_choice
from ..choices import Layer, Unit
from ._layout import _LIGHT_DROP, _SCHEMAS, _UNITS, STORE_TABLES, KwicMatch, _recover

#: Where a Corpus runs its analysis: in this process, or as Dask tasks.
AnalysisBackend = Literal["local", "dask"]


def open_corpus(path, *, backend: AnalysisBackend = "local", client: Any = None) -> "Corpus":
    """Open a store written by :func:`ingest`.

    ``backend="dask"``: ``dtm``, term counts and rates and KWIC lines run as Dask
    tasks over the store's blocks, on ``client`` (a ``distributed.Client`` or a
    scheduler address such as ``"tcp://scheduler:8786"``) or, by default, on a
    local cluster of one process per core started on first use (``Corpus.close()``
    stops it). Every worker opens the store itself, so ``path`` must be where the
    workers see it too (shared storage); the results equal the local ones."""
    check_choice("backend", backend, AnalysisBackend)
    if client is not None and backend != "dask":
        raise ValueError("client= is only used with backend='dask'")
    path = Path(path).resolve()
    _recover_readonly(path)
    if not (path / "manifest.json").exists():
        raise FileNotFoundError(f"{path} is not a corpus store (no manifest.json)")
    return Corpus(path, backend=backend, client=client)


def _recover_readonly(path: Path) -> None:
    if not path.exists() and list(path.parent.glob(f".{path.name}.old-*")):
        _recover(path)


def _part_names(manifest: dict) -> list[str]:
    return [part["name"] for src in manifest["sources"].values() for part in src["parts"]]


def _to_python_lists(df: pd.DataFrame, table: pa.Table) -> pd.DataFrame:
    for name in table.column_names:
        if pa.types.is_list(table.schema.field(name).type) or pa.types.is_large_list(
                table.schema.field(name).type):
            df[name] = pd.Series(table.column(name).to_pylist(), index=df.index, dtype=object)
    return df


class Corpus:
    """A processed corpus on disk. Tables are read lazily and cached.

    ``articles`` keeps every article (duplicates included, flagged);
    ``frame``, ``dtm`` and ``kwic`` leave duplicates out unless
    ``include_duplicates=True``.
    """

    def __init__(self, path, *, backend: AnalysisBackend = "local", client: Any = None):
        self.path = Path(path)
        self.manifest = json.loads((self.path / "manifest.json").read_text(encoding="utf-8"))
        self._parts = _part_names(self.manifest)
        self._cache: dict[str, Any] = {}
        self.backend = backend
        self._dask = None
        if backend == "dask":
            from ._dask import DaskRunner
            self._dask = DaskRunner(client)

    def close(self) -> None:
        """Stop the Dask cluster this Corpus started (nothing for a local Corpus)."""
        if self._dask is not None:
            self._dask.close()

    def __enter__(self) -> "Corpus":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        c = self.manifest.get("counts", {})
        return (f"<Corpus {self.path.name}: {c.get('articles', 0)} articles, "
                f"{c.get('tokens', 0)} tokens>")

    # -- raw tables
    def read_table(self, name: str, columns: Sequence[str] | None = None, *,
                   doc_ids: Sequence[str] | None = None) -> pd.DataFrame:
        """One store table as a DataFrame (list columns as Python lists); with
        ``doc_ids``, only the rows of those articles (read with a filter, not whole)."""
        if name not in STORE_TABLES:
            raise ValueError(f"table must be one of {STORE_TABLES}, got {name!r}")
        tab = self._arrow(name, columns, doc_ids)
        df = tab.to_pandas()
        return _to_python_lists(df, tab)

    def iter_table(self, name: str, columns: Sequence[str] | None = None):
        """One store table part by part, as DataFrames (list columns as Python
        lists): to go through a store larger than memory."""
        if name not in STORE_TABLES:
            raise ValueError(f"table must be one of {STORE_TABLES}, got {name!r}")
        for part in self._parts:
            f = self.path / name / part
            if f.exists():
                cols = None
                if columns:
                    have = set(pq.read_schema(f).names)
                    cols = [c for c in columns if c in have]
                tab = pq.read_table(f, columns=cols)
                yield _to_python_lists(tab.to_pandas(), tab)

    def _arrow(self, name: str, columns=None, doc_ids=None) -> pa.Table:
        tabs = []
        doc_ids = None if doc_ids is None else list(doc_ids)
        filters = None if doc_ids is None else [("doc_id", "in", doc_ids)]
        parts = self._parts if doc_ids != [] else []  # no article asked for: the empty table
        for part in parts:
            f = self.path / name / part
            if f.exists():
                cols = None
                if columns:  # parts of different inputs have different extra fields
                    have = set(pq.read_schema(f).names)
                    cols = [c for c in columns if c in have]
                tabs.append(pq.read_table(f, columns=cols, filters=filters))
        if not tabs:
            if name in _SCHEMAS:
                schema = _SCHEMAS[name]
                if columns:
                    schema = pa.schema([schema.field(c) for c in columns])
                return schema.empty_table()
            return pa.table({})
        return pa.concat_tables(tabs, promote_options="default")

    @property
    def articles(self) -> pd.DataFrame:
        """All articles in the article schema (``is_duplicate`` also marks exact
        copies found across different input files)."""
        if "articles" not in self._cache:
            df = self.read_table("articles")
            self._cache["articles"] = _flag_cross_file(df)
        return self._cache["articles"].copy()

    def _meta(self) -> pd.DataFrame:
        """Articles without the heavy text columns, cached."""
        if "meta" not in self._cache:
            if "articles" in self._cache:
                df = self._cache["articles"].drop(columns=[c for c in _LIGHT_DROP
                                                           if c in self._cache["articles"]])
            else:
                df = _flag_cross_file(self._light_articles().to_pandas())
                pa.default_memory_pool().release_unused()  # the per-part read buffers
            if "doc_id" not in df:  # a store in which every input was skipped
                df = pd.DataFrame({"doc_id": pd.Series([], dtype=object),
                                   "published": pd.Series([], dtype="datetime64[ns]"),
                                   "outlet": pd.Series([], dtype=object),
                                   "title": pd.Series([], dtype=object),
                                   "is_duplicate": pd.Series([], dtype=bool)})
            self._cache["meta"] = df
        return self._cache["meta"]

    def _light_articles(self) -> pa.Table:
        """The articles table without its heavy text columns: one file saved at
        ingest (``token_arrays/articles.parquet``), else read from every part."""
        saved = self.path / ARRAYS_DIR / "articles.parquet"
        if saved.exists() and self._arrays_match():
            return pq.read_table(saved)
        names = {}  # every part's columns, in order of appearance
        for part in self._parts:
            f = self.path / "articles" / part
            if f.exists():
                names.update(dict.fromkeys(pq.read_schema(f).names))
        cols = [c for c in (names or ["doc_id"]) if c not in _LIGHT_DROP]
        return self._arrow("articles", cols)

    def _arrays_match(self) -> bool:
        """Were the store's token arrays written for its present parts?"""
        try:
            meta = json.loads((self.path / ARRAYS_DIR / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return meta.get("parts") == self._parts

    def info(self) -> dict:
        """Summary: counts, date range, outlets, inputs, pipeline version."""
        meta = self._meta()
        pub = meta["published"] if "published" in meta else pd.Series([], dtype="datetime64[ns]")
        c = self.manifest["counts"]
        outlets = meta["outlet"].value_counts().head(10).to_dict() if "outlet" in meta else {}
        return {
            "path": str(self.path),
            "articles": int(c["articles"]),
            "duplicates": int(meta["is_duplicate"].sum()) if "is_duplicate" in meta else 0,
            "paragraphs": int(c["paragraphs"]),
            "sentences": int(c["sentences"]),
            "tokens": int(c["tokens"]),
            "files": int(c["files"]),
            "dated": int(pub.notna().sum()),
            "first_date": None if pub.dropna().empty else str(pub.min().date()),
            "last_date": None if pub.dropna().empty else str(pub.max().date()),
            "top_outlets": {str(k): int(v) for k, v in outlets.items()},
            "pipeline_version": self.manifest["pipeline_version"],
        }

    # -- selection
    def _select(self, **kw) -> pd.DataFrame:
        return self._meta()[self._mask(**kw)]

    def _mask(self, *, start=None, end=None, where=None, include_duplicates=False) -> np.ndarray:
        """Boolean mask over the articles for the selection arguments."""
        meta = self._meta()
        mask = np.ones(len(meta), dtype=bool)
        if where is not None:
            if isinstance(where, str):
                mask &= meta.eval(where).to_numpy(dtype=bool)
            elif callable(where):
                mask &= np.asarray(where(meta), dtype=bool)
            else:
                w = where.to_numpy() if isinstance(where, pd.Series) else np.asarray(where)
                if w.dtype != bool or len(w) != len(meta):
                    raise ValueError("where must be a query string, a callable, or a boolean "
                                     f"mask of length {len(meta)} aligned with Corpus.articles")
                mask &= w
        if start is not None or end is not None:
            pub = meta["published"]
            if start is not None:
                mask &= (pub >= pd.Timestamp(start)).to_numpy()
            if end is not None:
                mask &= (pub < pd.Timestamp(end)).to_numpy()
        if not include_duplicates and "is_duplicate" in meta:
            mask &= ~meta["is_duplicate"].to_numpy(dtype=bool)
        return mask

    def _meta_row_of_code(self) -> np.ndarray:
        """For each document code of the token index, its first row in the
        article metadata (-1 if absent); cached."""
        if "row_of_code" not in self._cache:
            idx = self._index()
            first: dict[str, int] = {}
            for i, d in enumerate(self._meta()["doc_id"].tolist()):
                first.setdefault(d, i)
            self._cache["row_of_code"] = np.array(
                [first.get(d, -1) for d in idx["doc_vocab"].tolist()], dtype=np.int64)
        return self._cache["row_of_code"]

    def _code_of_meta_row(self) -> np.ndarray:
        """For each article row, its document code in the token index (-1 if
        it has no tokens); cached."""
        if "code_of_row" not in self._cache:
            code = {d: i for i, d in enumerate(self._index()["doc_vocab"].tolist())}
            self._cache["code_of_row"] = np.array(
                [code.get(d, -1) for d in self._meta()["doc_id"].tolist()], dtype=np.int64)
        return self._cache["code_of_row"]

    # -- token index (whole corpus, dictionary-coded, built once)
    def _index(self) -> dict:
        """The token table as integer arrays, cached: memory-mapped from the store
        (written at ingest), else built in memory (:func:`build_token_arrays`)."""
        if "index" not in self._cache:
            self._cache["index"] = (read_token_arrays(self.path, self._parts)
                                    or build_token_arrays(self.path, self._parts))
        return self._cache["index"]

    def _stop_mask(self, vocab: np.ndarray, stopwords) -> np.ndarray:
        from ..stopwords import resolve_stopwords  # the one rule of every entry point
        sw = resolve_stopwords(stopwords)
        return np.array([v.lower() in sw for v in vocab], dtype=bool)

    def _ranks(self, sel: pd.DataFrame):
        """(rows, rank of each doc_id among them, rank of each doc code or -1)."""
        base = sel.reset_index(drop=True)
        uniq = pd.unique(base["doc_id"])
        rank = pd.Series(np.arange(len(uniq), dtype=np.int64), index=pd.Index(uniq))
        rank_of_code = pd.Series(self._index()["doc_vocab"]).map(rank).fillna(-1).to_numpy(np.int32)
        return base, rank, rank_of_code

    def _keep(self, sel: pd.DataFrame, stopwords, keep_punct: bool):
        """(rows, rank of each doc_id among them, rank of each doc code or -1,
        mask of the tokens the frame keeps)."""
        idx = self._index()
        base, rank, rank_of_code = self._ranks(sel)
        keep = token_mask(idx, rank_of_code >= 0)  # a bool per token, no int copy of the stream
        if not keep_punct:
            keep &= ~idx["punct"]
        if stopwords is not None:
            keep &= ~self._stop_mask(idx["norm_vocab"], stopwords)[idx["norm"]]
        return base, rank, rank_of_code, keep

    def _codes_in_store_order(self, sel: pd.DataFrame, stopwords, keep_punct: bool, positions: bool = False,
                              blocks: bool = False):
        """(rows, codes, lengths) of an article frame whose rows are in store
        order, the common case, by one boolean selection of the code stream:
        no position, sort or per-token document arrays (the memory peak of
        large stores). None when the rows are in another order. ``blocks``: the
        codes as a generator of ``(first row, row lengths, codes)`` over runs of
        whole documents of about :data:`BLOCK_TOKENS` tokens, so a caller can
        count a store larger than memory block by block."""
        idx = self._index()
        if idx["doc_starts"] is None:  # a document's tokens are not contiguous
            return None
        base, rank, rank_of_code, keep = self._keep(sel, stopwords, keep_punct)
        picked = self._store_order(base, rank, rank_of_code)
        if picked is None:
            return None
        lengths = np.zeros(len(rank), dtype=np.int64)
        starts = idx["doc_starts"]
        if len(keep):
            per_code = np.add.reduceat(keep, starts[:-1], dtype=np.int64)
            lengths[rank_of_code[picked]] = per_code[picked]
        if blocks and self._dask is not None:  # the blocks as tasks: each worker reads its own
            from ._dask import _dtm_block
            stop = None if stopwords is None else self._stop_mask(idx["norm_vocab"], stopwords)
            sel_docs = rank_of_code >= 0
            tasks = [(str(self.path), c0, c1, row, lengths[row:end], sel_docs[c0:c1], stop, keep_punct,
                      len(idx["norm_vocab"])) for row, end, c0, c1 in self._block_ranges(picked)]
            return base, self._dask.map(_dtm_block, tasks), lengths
        if blocks:
            return base, self._code_blocks(keep, picked, lengths), lengths
        if positions:  # where each kept token stands in the stream
            return base, idx["norm"][keep], lengths, np.flatnonzero(keep)
        return base, idx["norm"][keep], lengths

    @staticmethod
    def _store_order(base: pd.DataFrame, rank: pd.Series, rank_of_code: np.ndarray) -> np.ndarray | None:
        """The document codes of the rows, ascending, when the rows are in store
        order (each document once); None otherwise."""
        picked = np.flatnonzero(rank_of_code >= 0)  # codes of the rows' documents, ascending
        if (len(picked) > 1 and not (np.diff(rank_of_code[picked]) > 0).all()) or \
                not np.array_equal(base["doc_id"].map(rank).to_numpy(np.int64), np.arange(len(rank))):
            return None
        return picked

    #: Tokens of the stream read at a time when counting block by block.
    BLOCK_TOKENS = 1 << 24

    def _block_ranges(self, picked: np.ndarray) -> list[tuple[int, int, int, int]]:
        """Runs of the picked documents (rows in order) of about :data:`BLOCK_TOKENS`
        tokens: ``(first row, end row, first doc code, end doc code)`` each."""
        starts = self._index()["doc_starts"]
        ends = starts[picked + 1]
        out, row = [], 0
        while row < len(picked):
            end_tok = starts[picked[row]] + self.BLOCK_TOKENS
            stop = max(row + 1, int(np.searchsorted(ends, end_tok, side="right")))
            out.append((row, stop, int(picked[row]), int(picked[stop - 1]) + 1))
            row = stop
        return out

    def _code_blocks(self, keep: np.ndarray, picked: np.ndarray, lengths: np.ndarray):
        """``(first row, lengths of its rows, kept codes)`` of each of :meth:`_block_ranges`."""
        starts, norm = self._index()["doc_starts"], self._index()["norm"]
        for row, stop, c0, c1 in self._block_ranges(picked):
            a, b = int(starts[c0]), int(starts[c1])
            yield row, lengths[row:stop], norm[a:b][keep[a:b]]

    def _term_spans(self) -> pd.DataFrame:
        """The terms table, one row per span (a document stored twice keeps one copy)."""
        if "terms" not in self._cache:
            t = self._arrow("terms", ["doc_id", "para_id", "position", "term"]).to_pandas()
            if len(t):
                t = t.drop_duplicates(["doc_id", "position", "term"]).reset_index(drop=True)
            self._cache["terms"] = t
        return self._cache["terms"]

    def _term_ids(self, sel: pd.DataFrame, unit: str):
        """:meth:`token_ids` of the terms layer: rows as for words, each row's
        term ids in text order (position, then the longer span)."""
        rows = sel.reset_index(drop=True)
        key = ["doc_id"]
        if unit == "paragraph":
            rows = (rows.assign(_row=np.arange(len(rows)))
                    .merge(self._paragraph_index(), on="doc_id", how="inner", sort=False)
                    .sort_values(["_row", "para_id"], kind="stable")
                    .drop(columns="_row").reset_index(drop=True))
            key = ["doc_id", "para_id"]
        spans = self._term_spans()
        if not len(spans):
            return rows, np.zeros(0, dtype=np.int32), np.zeros(len(rows), dtype=np.int64), \
                np.array([], dtype=object)
        row_of = pd.Series(np.arange(len(rows)), index=pd.MultiIndex.from_frame(rows[key])
                           if len(key) > 1 else pd.Index(rows["doc_id"]))
        at = (pd.MultiIndex.from_frame(spans[key]) if len(key) > 1 else pd.Index(spans["doc_id"]))
        r = row_of.reindex(at).to_numpy()
        ok = ~pd.isna(r)
        r = r[ok].astype(np.int64)
        pos = spans["position"].to_numpy()[ok]
        order = np.lexsort((pos, r))
        codes, vocab = pd.factorize(spans["term"].to_numpy(dtype=object)[ok][order])
        lengths = np.bincount(r, minlength=len(rows)).astype(np.int64)
        return rows, codes.astype(np.int32), lengths, np.asarray(vocab, dtype=object)

    def _units(self, sel: pd.DataFrame, unit: str, stopwords, keep_punct: bool):
        """Rows of the frame (article or paragraph) and, for each row, the
        slice ``pos[lo:hi]`` of its token positions in document order."""
        idx = self._index()
        base, rank, rank_of_code, keep = self._keep(sel, stopwords, keep_punct)
        pos = np.flatnonzero(keep)
        del keep
        r = rank_of_code[doc_codes(idx, pos)].astype(np.int64)
        row_rank = base["doc_id"].map(rank).to_numpy(np.int64)
        if unit == "article":
            rows, key_tok, key_row = base, r, row_rank
        else:
            paras = self._paragraph_index()
            base = base.assign(_row=np.arange(len(base)))
            rows = base.merge(paras, on="doc_id", how="inner", sort=False)
            rows = rows.sort_values(["_row", "para_id"], kind="stable")
            key_row = (rows["doc_id"].map(rank).to_numpy(np.int64) << 20) + rows["para_id"].to_numpy(np.int64)
            rows = rows.drop(columns="_row").reset_index(drop=True)
            key_tok = (r << 20) + idx["para"][pos]
        order = np.lexsort((idx["pos"][pos], key_tok))
        pos, key_tok = pos[order], key_tok[order]
        lo = np.searchsorted(key_tok, key_row, side="left")
        hi = np.searchsorted(key_tok, key_row, side="right")
        return rows, pos, lo, hi

    def frame(self, unit: Unit = "article", *, layer: Layer = "word", start=None, end=None,
              where=None, stopwords=None, keep_punct: bool = False,
              include_duplicates: bool = False) -> pd.DataFrame:
        """The analysis frame: one row per article (or paragraph) with
        ``doc_id``, ``published``, ``outlet``, ``title`` (``para_id``) and
        ``tokens``. ``layer="word"`` (default): normalised words as
        ``tokens.tokens_from_segments`` gives them (case policy, punctuation
        dropped unless ``keep_punct``, stopwords kept unless ``stopwords`` is a
        list name such as ``"general"``/``"all"`` or an iterable of words).
        ``layer="term"``: the ids of the lexicon terms found in the row, one per
        span in text order, nested spans included (:mod:`corpus_tools.terms`;
        ``stopwords`` and ``keep_punct`` do not apply).

        ``start``/``end`` select ``start <= published < end`` (undated articles
        drop out); ``where`` is a ``DataFrame.eval`` string over the article
        metadata (``"outlet == 'Dân trí'"``), a callable of it, or a boolean
        mask aligned with :attr:`articles`.
        """
        rows, codes, lengths, vocab = self.token_ids(
            unit, layer=layer, start=start, end=end, where=where, stopwords=stopwords,
            keep_punct=keep_punct, include_duplicates=include_duplicates)
        words = vocab[codes]
        ends = np.cumsum(lengths)
        rows = rows[_frame_columns(rows)].copy()
        rows["tokens"] = pd.Series([words[b - n:b].tolist() for n, b in zip(lengths, ends)],
                                   index=rows.index, dtype=object)
        return rows

    def token_ids(self, unit: Unit = "article", *, layer: Layer = "word", start=None, end=None,
                  where=None, stopwords=None, keep_punct: bool = False,
                  include_duplicates: bool = False
                  ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
        """The tokens of :meth:`frame` as integer codes, for counting at scale
        without building Python lists (same arguments as :meth:`frame`).

        Returns ``(index, codes, lengths, vocab)``: ``index`` has a row per
        article (or paragraph) with all the article metadata but the text
        columns (so trends can group by any of them); ``codes`` (int32) holds
        every row's tokens, row after row; ``lengths`` the number of tokens of
        each row; ``vocab`` the string of each code, so ``vocab[codes]`` is the
        frame's tokens, flat.
        """
        if unit not in _UNITS:
            raise ValueError(f"unit must be one of {', '.join(map(repr, _UNITS))}; got {unit!r}")
        check_choice("layer", layer, Layer)
        sel = self._select(start=start, end=end, where=where,
                           include_duplicates=include_duplicates)
        if layer == "term":
            return self._term_ids(sel, unit)
        if unit == "article":
            fast = self._codes_in_store_order(sel, stopwords, keep_punct)
            if fast is not None:
                rows, codes, lengths = fast
                return rows, codes, lengths, self._index()["norm_vocab"]
        rows, pos, lo, hi = self._units(sel, unit, stopwords, keep_punct)
        idx = self._index()
        lengths = (hi - lo).astype(np.int64)
        total = int(lengths.sum())
        # row r's tokens are pos[lo[r]:hi[r]]; gather them row after row
        if total == len(pos) and np.array_equal(lo[1:], hi[:-1]) and (not len(lo) or lo[0] == 0):
            codes = idx["norm"][pos]  # rows tile pos in order: no gather index
        else:
            starts = np.repeat(lo - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
            codes = idx["norm"][pos[starts + np.arange(total)]]
        codes = codes.astype(np.int32, copy=False)
        return rows, codes, lengths, idx["norm_vocab"]

    def token_index(self, *, include_duplicates: bool = False) -> tuple[pd.DataFrame, TokenIndex]:
        """The article frame's words (duplicates left out unless asked) as
        ``(index, TokenIndex)``, with their sentences, built once and kept with the
        corpus: the one matcher that the trend functions count on and
        :meth:`kwic` lists. ``TokenIndex.positions`` maps each word to its place in
        the store's token stream (punctuation included)."""
        key = ("token_index", include_duplicates)
        if key not in self._cache and not include_duplicates:
            saved = self._saved_token_index()
            if saved is not None:
                self._cache[key] = saved
        if key not in self._cache:
            sel = self._select(include_duplicates=include_duplicates)
            idx = self._index()
            fast = self._codes_in_store_order(sel, None, False, positions=True)
            if fast is not None:
                meta, codes, lengths, pos = fast
            else:
                meta, pos, lo, hi = self._units(sel, "article", None, False)
                lengths = (hi - lo).astype(np.int64)
                pos = pos[np.repeat(lo - offsets(lengths)[:-1], lengths) + np.arange(int(lengths.sum()))]
                codes = idx["norm"][pos]
            # a new sentence wherever the paragraph or sentence number changes
            brk = np.ones(len(pos), dtype=bool)
            if len(pos) > 1:
                brk[1:] = (idx["sent"][pos[1:]] != idx["sent"][pos[:-1]]) | \
                    (idx["para"][pos[1:]] != idx["para"][pos[:-1]])
            ti = TokenIndex(codes, lengths, idx["norm_vocab"], sentences=np.cumsum(brk))
            ti.positions = pos
            self._cache[key] = (meta.reset_index(drop=True), ti)
        return self._cache[key]

    def occurrence_counts(self, queries: Sequence[Sequence[Sequence[str]]], match: str
                          ) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each query (its variants, token sequences), the rows of :meth:`token_index`
        where it occurs and how often: what ``term_counts`` and ``term_rates`` count
        (``match``: ``"term"``, ``"word"``, ``"word_cs"`` or ``"anywhere"``). On a
        Dask corpus, one task per query."""
        if self._dask is not None:
            from ._dask import _term_counts
            return self._dask.map(_term_counts, [(str(self.path), q, match) for q in queries])
        index = self.token_index()[1]
        return [np.unique(index.occurrences(q, match)[2], return_counts=True) for q in queries]

    def _saved_token_index(self):
        """:meth:`token_index` (duplicates left out) as ingest saved it: its streams
        and the postings of its ``word`` stream memory-mapped, so a first KWIC or
        term count reads a few postings instead of building the index. None when
        the store has none, or one for other parts or other duplicate flags."""
        d = self.path / ARRAYS_DIR / INDEX_DIR
        try:
            saved = json.loads((d / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if saved.get("parts") != self._parts:
            return None
        idx = self._index()
        base, rank, rank_of_code = self._ranks(self._select(include_duplicates=False))
        picked = self._store_order(base, rank, rank_of_code) if idx["doc_starts"] is not None else None
        if picked is None or not np.array_equal(picked, np.load(d / "docs.npy")):
            return None

        def mapped(name):
            return np.load(d / f"{name}.npy", mmap_mode="r")
        ti = TokenIndex(mapped("codes"), np.load(d / "lengths.npy"), lambda: idx["norm_vocab"],
                        sentences=mapped("sentences"))
        ti.positions = mapped("positions")
        words = (pq.read_table(d / "word_vocab.parquet")["word"]  # Arrow: VocabIds scans it in C
                 if (d / "word_vocab.parquet").exists() else None)
        ti.adopt_word_index(mapped("word"), mapped("word_order"), np.load(d / "word_bounds.npy"), words)
        return base, ti

    def _save_token_index(self) -> None:
        """Write :meth:`token_index` (duplicates left out) into the store, block by
        block (the whole stream is never on the heap): what :meth:`_saved_token_index`
        reads. Ingest calls it on the store it builds."""
        from ..index import stable_order
        idx = self._index()
        if self._arrays_match():  # the light articles table, one file: what _meta then reads
            pq.write_table(self._light_articles(), self.path / ARRAYS_DIR / "articles.parquet")
        if idx["doc_starts"] is None:
            return
        sel = self._select(include_duplicates=False)
        base, rank, rank_of_code, keep = self._keep(sel, None, False)
        picked = self._store_order(base, rank, rank_of_code)
        if picked is None:
            return
        d = self.path / ARRAYS_DIR / INDEX_DIR
        d.mkdir(parents=True, exist_ok=True)
        lengths = np.zeros(len(rank), dtype=np.int64)
        if len(keep):
            lengths[rank_of_code[picked]] = np.add.reduceat(keep, idx["doc_starts"][:-1], dtype=np.int64)[picked]
        n = int(lengths.sum())
        if n == 0:  # nothing to index: token_index builds its empty index
            return

        def file(name, dtype):
            return np.lib.format.open_memmap(d / f"{name}.npy", mode="w+", dtype=dtype, shape=(n,))
        codes, positions, sentences, word = (file("codes", np.int32), file("positions", np.int64),
                                             file("sentences", np.int64), file("word", np.int32))
        words = TokenIndex(np.zeros(0, np.int32), np.zeros(0, np.int64), idx["norm_vocab"])
        word_of = words.word_codes()
        pq.write_table(pa.table({"word": pa.array(list(words.ids["word"]), type=pa.string())}),
                       d / "word_vocab.parquet")
        counts = np.zeros(max(len(word_of), 1), dtype=np.int64)
        at, run, last = 0, 0, None
        for lo in range(0, len(keep), self.BLOCK_TOKENS):
            p = lo + np.flatnonzero(keep[lo:lo + self.BLOCK_TOKENS])
            m = len(p)
            if not m:
                continue
            c = idx["norm"][p]
            codes[at:at + m], positions[at:at + m] = c, p
            w = word_of[c]
            word[at:at + m] = w
            counts += np.bincount(w, minlength=len(counts))
            # a new sentence wherever the paragraph or sentence number changes (as token_index)
            s, q = idx["sent"][p], idx["para"][p]
            brk = np.ones(m, dtype=bool)
            brk[1:] = (s[1:] != s[:-1]) | (q[1:] != q[:-1])
            if last is not None:
                brk[0] = s[0] != last[0] or q[0] != last[1]
            cum = np.cumsum(brk) + run
            sentences[at:at + m] = cum
            run, last, at = int(cum[-1]), (s[-1], q[-1]), at + m
        used = np.flatnonzero(counts)
        bounds = offsets(counts[:int(used[-1]) + 1] if len(used) else counts[:1])
        order = file("word_order", np.int32 if n < 2 ** 31 else np.int64)
        stable_order(word, bounds, out=order)
        for arr in (codes, positions, sentences, word, order):
            arr.flush()
        np.save(d / "docs.npy", picked)
        np.save(d / "lengths.npy", lengths)
        np.save(d / "word_bounds.npy", bounds)
        (d / "meta.json").write_text(json.dumps({"parts": self._parts}), encoding="utf-8")

    def _paragraph_index(self) -> pd.DataFrame:
        if "paras" not in self._cache:
            tab = self._arrow("paragraphs", ["doc_id", "para_id"])
            df = tab.to_pandas().drop_duplicates(["doc_id", "para_id"])
            self._cache["paras"] = df.sort_values(["doc_id", "para_id"], kind="stable")
        return self._cache["paras"]

    def dtm(self, unit: Unit = "article", *, layer: Layer = "word", start=None, end=None,
            where=None, min_df=1, max_df=1.0, vocabulary: Sequence[str] | None = None,
            stopwords=None, include_duplicates: bool = False):
        """Document-term matrix of the frame's tokens (punctuation dropped);
        ``layer="term"``: of its lexicon terms, every span counted.

        Returns a :class:`~corpus_tools.DTM`, which unpacks as ``(X, vocab,
        index)``: ``X`` a ``scipy.sparse.csr_matrix`` of int64 counts whose rows
        are the rows of ``index`` (the frame without ``tokens``) and whose columns
        are ``vocab`` (sorted, or the given ``vocabulary`` in its order, absent
        terms as zero columns); ``dropped_terms_`` the terms ``min_df``/``max_df``
        left out.
        ``min_df``/``max_df`` follow scikit-learn's ``CountVectorizer``: an int
        is a number of rows, a float a proportion of rows.
        """
        if unit not in _UNITS:
            raise ValueError(f"unit must be one of {', '.join(map(repr, _UNITS))}; got {unit!r}")
        check_df_bounds(min_df, max_df)  # at the call, before any counting
        stream = None
        if unit == "article" and layer == "word":  # block by block: the token stream is never copied whole
            sel = self._select(start=start, end=end, where=where, include_duplicates=include_duplicates)
            stream = self._codes_in_store_order(sel, stopwords, False, blocks=True)
        if stream is not None:
            rows, blocks, lengths = stream
            vocab_all = self._index()["norm_vocab"]
            n_cols = len(vocab_all)
            X = _csr_join((b if self._dask is not None else _csr_rows(*b, n_cols) for b in blocks),
                          len(rows), n_cols)
        else:
            rows, codes, lengths, vocab_all = self.token_ids(
                unit, layer=layer, start=start, end=end, where=where, stopwords=stopwords,
                include_duplicates=include_duplicates)
            X = _csr_join([_csr_rows(0, lengths, codes, len(vocab_all))], len(rows), len(vocab_all))
            del codes
        return labelled_dtm(X, vocab_all, rows[_frame_columns(rows)], min_df=min_df, max_df=max_df,
                            vocabulary=vocabulary)

    def export(self, path, *, format: ExportFormat = "mm", unit: Unit = "article",
               layer: Layer = "word", label: str = "outlet", model=None, **frame_kwargs) -> list[Path]:
        """Write the corpus for another tool (:func:`corpus_tools.store._export.export_corpus`):
        ``"mm"`` a document-feature matrix in Matrix Market with ``vocab.csv`` and
        ``docs.csv`` (R: ``Matrix::readMM``, then ``quanteda::as.dfm`` or
        ``stm::readCorpus(type = "Matrix")``), ``"mallet"`` one document per line
        for ``mallet import-file``, ``"passim"`` JSON lines, ``"ldavis"`` a fitted
        topic model (``model=``) as LDAvis JSON. Returns the files."""
        return export_corpus(self, path, format=format, unit=unit, layer=layer, label=label,
                             model=model, **frame_kwargs)

    def kwic(self, query: str | Sequence[str], *, match: KwicMatch = "term", window: int = 8,
             where=None, n: int | None = None,
             metadata: Sequence[str] = ("published", "outlet", "title"),
             case_sensitive: bool = False, include_duplicates: bool = False) -> pd.DataFrame:
        """Keyword in context: see :func:`corpus_tools.store._kwic.kwic` (``match="term"``:
        the query as a span of whole words, the count of ``term_rates``; ``"word"``: word
        by word). ``window`` counts tokens on each side; rows follow corpus order."""
        return _kwic(self, query, match=match, window=window, where=where, n=n,
                     metadata=metadata, case_sensitive=case_sensitive,
                     include_duplicates=include_duplicates)


def _csr_rows(first: int, lengths: np.ndarray, codes: np.ndarray, n_cols: int) -> tuple:
    """The counts of one block of rows of token codes: ``(first row, entries per row,
    column indices, counts)``. A block's entries are its tokens, summed in place (no
    COO row index, no int64 copy of the token stream)."""
    import scipy.sparse as sp
    bp = np.concatenate(([0], np.cumsum(lengths)))
    B = sp.csr_matrix((np.ones(len(codes), dtype=np.int32), codes, bp), shape=(len(lengths), n_cols))
    B.sum_duplicates()
    return first, np.diff(B.indptr), B.indices, B.data


def _csr_join(pieces, n_rows: int, n_cols: int):
    """One CSR matrix of the blocks of :func:`_csr_rows`; rows are independent, so
    blocks (counted here or on Dask workers) equal one build."""
    import scipy.sparse as sp
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    indices, data = [], []
    for first, per_row, ind, dat in pieces:
        indptr[first + 1:first + 1 + len(per_row)] = per_row
        indices.append(ind)
        data.append(dat)
    np.cumsum(indptr, out=indptr)
    indices = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int32)
    data = np.concatenate(data) if data else np.zeros(0, dtype=np.int32)
    X = sp.csr_matrix((data, indices, indptr), shape=(n_rows, n_cols))
    X.has_sorted_indices = True
    return X


def _frame_columns(rows: pd.DataFrame) -> list[str]:
    """The index columns of ``frame``/``dtm``: a short, stable set."""
    return [c for c in ("doc_id", "published", "outlet", "title", "para_id") if c in rows]


def _flag_cross_file(df: pd.DataFrame) -> pd.DataFrame:
    """Mark later exact copies (same doc_id) from other input files."""
    if "doc_id" not in df or not len(df):
        return df
    dup = df["doc_id"].duplicated(keep="first").to_numpy()
    if "is_duplicate" in df:
        new = dup & ~df["is_duplicate"].to_numpy(dtype=bool)
        if new.any():
            df = df.copy()
            df.loc[new, "is_duplicate"] = True
            if "duplicate_of" in df:
                df.loc[new, "duplicate_of"] = df.loc[new, "doc_id"]
    return df
