"""Corpus.export: each format read back equals what the store holds."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.io

import corpus_tools as ct

SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw" / "seeds"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "store"
    ct.ingest(SEEDS, out, backend="serial", progress=False)
    return ct.open_corpus(out)


@pytest.mark.parametrize("layer", ["word", "term"])
def test_matrix_market_round_trip(corpus, tmp_path, layer):
    files = corpus.export(tmp_path / layer, format="mm", layer=layer, min_df=1)
    assert [f.name for f in files] == ["dtm.mtx", "vocab.csv", "docs.csv"]
    X, vocab, index = corpus.dtm(layer=layer, min_df=1)
    back = scipy.io.mmread(str(files[0])).tocsr()
    assert back.shape == X.shape and (back != X).nnz == 0
    assert np.issubdtype(back.dtype, np.integer)
    assert pd.read_csv(files[1], keep_default_na=False)["term"].tolist() == list(vocab)
    docs = pd.read_csv(files[2])
    assert docs["doc_id"].tolist() == index["doc_id"].tolist()
    assert {"published", "outlet", "title"} <= set(docs.columns)


def test_mallet_lines_are_the_frame(corpus, tmp_path):
    (f,) = corpus.export(tmp_path, format="mallet")
    frame = corpus.frame()
    lines = f.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(frame)
    for line, (_, row) in zip(lines, frame.iterrows()):
        name, label, text = line.split("\t")
        assert name == row["doc_id"] and text.split(" ") == row["tokens"]
        assert label == ("_".join(str(row["outlet"]).split()) if pd.notna(row["outlet"]) else "none")


def test_passim_json_lines(corpus, tmp_path):
    (f,) = corpus.export(tmp_path, format="passim", unit="paragraph", layer="term")
    frame = corpus.frame("paragraph", layer="term")
    recs = [json.loads(ln) for ln in f.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in recs] == [f"{d}#{p}" for d, p in zip(frame["doc_id"], frame["para_id"])]
    assert [r["text"] for r in recs] == [" ".join(t) for t in frame["tokens"]]
    assert {"id", "series", "date", "text"} == set(recs[0])
    with pytest.raises(ValueError, match="'mm', 'mallet', 'passim'"):
        corpus.export(tmp_path, format="rds")
