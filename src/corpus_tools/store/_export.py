"""Exports of a store for other tools: R (Matrix / quanteda / stm), MALLET and passim.

Written here because each tool wants its own plain format, and the store's
Parquet tables are not one of them.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import pandas as pd

from .._options import check_choice

__all__ = ["ExportFormat", "export_corpus"]

#: ``"mm"``: document-feature matrix (Matrix Market) + vocabulary + documents as CSV;
#: ``"mallet"``: one document per line, ``name<TAB>label<TAB>tokens``;
#: ``"passim"``: JSON lines ``{"id", "series", "date", "text"}``;
#: ``"ldavis"``: a fitted topic model (``model=``) as LDAvis JSON.
ExportFormat = Literal["mm", "mallet", "passim", "ldavis"]


def export_corpus(corpus, path, *, format: ExportFormat = "mm", unit: str = "article",
                  layer: str = "word", label: str = "outlet", model=None, **frame_kwargs) -> list[Path]:
    """Write the corpus's documents for another tool; returns the files written.

    ``unit``, ``layer`` and ``frame_kwargs`` (``start``, ``end``, ``where``,
    ``stopwords``, ``min_df``/``max_df`` for ``"mm"``) select the documents and
    tokens as :meth:`Corpus.frame` / :meth:`Corpus.dtm` do. ``label`` names the
    metadata column written as MALLET's label and passim's series. ``"ldavis"``
    writes ``model`` (a fitted ``TopicModel`` of this corpus) as ``ldavis.json``.
    """
    check_choice("format", format, ExportFormat)
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    if format == "ldavis":
        if model is None or not hasattr(model, "to_ldavis"):
            raise ValueError("format='ldavis' needs model=, a fitted TopicModel")
        return [model.to_ldavis(out / "ldavis.json")]
    if model is not None:
        raise ValueError("model= is only used with format='ldavis'")
    if format == "mm":
        return _write_mm(corpus, out, unit=unit, layer=layer, **frame_kwargs)
    frame = corpus.frame(unit, layer=layer, **frame_kwargs)
    ids = frame["doc_id"].astype(str)
    if "para_id" in frame:
        ids = ids + "#" + frame["para_id"].astype(str)
    labels = (frame[label].fillna("") if label in frame else pd.Series([""] * len(frame))).astype(str)
    if format == "mallet":
        f = out / "documents.txt"
        with open(f, "w", encoding="utf-8", newline="\n") as fh:
            for i, lab, toks in zip(ids, labels, frame["tokens"]):
                fh.write(f"{i}\t{_one_field(lab) or 'none'}\t{' '.join(toks)}\n")
        return [f]
    f = out / "documents.jsonl"
    dates = frame["published"] if "published" in frame else pd.Series([pd.NaT] * len(frame))
    with open(f, "w", encoding="utf-8", newline="\n") as fh:
        for i, lab, d, toks in zip(ids, labels, dates, frame["tokens"]):
            fh.write(json.dumps({"id": i, "series": lab, "date": None if pd.isna(d) else d.isoformat(),
                                 "text": " ".join(toks)}, ensure_ascii=False) + "\n")
    return [f]


def _one_field(s: str) -> str:
    """A label as one whitespace-free field of a MALLET line."""
    return "_".join(s.split())


def _write_mm(corpus, out: Path, *, unit: str, layer: str, **kwargs) -> list[Path]:
    import scipy.io
    X, vocab, index = corpus.dtm(unit, layer=layer, **kwargs)
    files = [out / "dtm.mtx", out / "vocab.csv", out / "docs.csv"]
    # rows = documents, columns = terms, integer counts: Matrix::readMM reads it as is
    scipy.io.mmwrite(str(files[0]), X.tocoo(), field="integer", symmetry="general")
    pd.DataFrame({"term": vocab}).to_csv(files[1], index=False, encoding="utf-8")
    docs = index.copy()
    if "published" in docs:
        docs["published"] = docs["published"].astype(str).where(docs["published"].notna(), "")
    docs.to_csv(files[2], index=False, encoding="utf-8")
    return files
