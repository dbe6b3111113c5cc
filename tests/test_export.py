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


def test_ldavis_json_round_trip(corpus, tmp_path):
    """The LDAvis JSON reads back with LDAvis's fields, and its numbers equal an
    independent computation: topic sizes from the document shares, p(topic|term)
    summing to 1, Jensen-Shannon divergences by scipy, the map by eigh."""
    import scipy.linalg
    from scipy.spatial.distance import jensenshannon
    frame = corpus.frame("paragraph")
    model = ct.TopicModel(4, vectorizer=ct.TopicVectorizer(unit="paragraph"), random_state=0).fit(frame)
    with pytest.raises(ValueError, match="model="):
        corpus.export(tmp_path, format="ldavis")
    (path,) = corpus.export(tmp_path, format="ldavis", model=model)
    d = json.loads(path.read_text(encoding="utf-8"))
    assert set(d) == {"mdsDat", "tinfo", "token.table", "R", "lambda.step", "plot.opts", "topic.order"}
    order = np.array(d["topic.order"]) - 1
    mass = (model.doc_topic_ * model.doc_lengths_[:, None]).sum(axis=0)
    np.testing.assert_allclose(d["mdsDat"]["Freq"], 100 * mass[order] / mass.sum())
    assert d["mdsDat"]["Freq"] == sorted(d["mdsDat"]["Freq"], reverse=True)
    tinfo = pd.DataFrame(d["tinfo"])
    assert (tinfo["Category"] == "Default").sum() == d["R"] == 30
    assert set(tinfo["Category"]) == {"Default"} | {f"Topic{k}" for k in range(1, 5)}
    tt = pd.DataFrame(d["token.table"])
    np.testing.assert_allclose(tt.groupby("Term")["Freq"].sum(), 1.0)
    assert set(tt["Term"]) == set(tinfo["Term"])
    phi = model.topic_word_[order]
    js = np.array([[jensenshannon(p, q) ** 2 for q in phi] for p in phi])  # scipy: sqrt of JS, base e
    n = len(js)
    J = np.eye(n) - 1.0 / n
    vals, vecs = scipy.linalg.eigh(-0.5 * J @ js ** 2 @ J)
    top = np.argsort(vals)[::-1][:2]
    xy = np.column_stack([d["mdsDat"]["x"], d["mdsDat"]["y"]])
    np.testing.assert_allclose(xy @ xy.T, (vecs[:, top] * vals[top]) @ vecs[:, top].T, atol=1e-10)
    # the same model gives the same file
    again = corpus.export(tmp_path / "again", format="ldavis", model=model)[0]
    assert again.read_bytes() == path.read_bytes()
