"""Parallel backends: ordered results; process and Dask stores equal the serial store."""
from __future__ import annotations

import os
import time

import pandas.testing as pdt
import pytest

from corpus_tools.parallel import BACKENDS, default_n_jobs, map_chunks, map_split
from corpus_tools.store import STORE_TABLES, ingest, open_corpus

from test_store import make_records, toy_segment, write_jsonl


def slow_square(chunk):
    """Later chunks finish first, so ordering must come from map_chunks."""
    time.sleep(0.05 * (5 - chunk[0] % 5))
    return [x * x for x in chunk], os.getpid()


def test_map_chunks_keeps_input_order_in_every_backend():
    chunks = [[i, i + 100] for i in range(8)]
    want = [[x * x for x in c] for c in chunks]
    serial = [r for r, _ in map_chunks(slow_square, chunks, backend="serial")]
    assert serial == want
    got = list(map_chunks(slow_square, iter(chunks), backend="process", n_jobs=2))
    assert [r for r, _ in got] == want
    assert os.getpid() not in {pid for _, pid in got}


def explode(chunk):
    """First stage: a chunk's items, slowest for the earliest chunks."""
    time.sleep(0.02 * (4 - chunk[0] % 4))
    return {"id": chunk[0], "items": list(chunk)}


def cube_piece(piece):
    time.sleep(0.01 * (3 - piece[0] % 3))
    return [x ** 3 for x in piece], os.getpid()


def _pieces(size):
    def split(a):
        return [a["items"][i:i + size] for i in range(0, len(a["items"]), size)]
    return split


def _merge(a, results):
    return a["id"], [x for r, _ in results for x in r]


@pytest.mark.parametrize("size", [1, 2, 50])
def test_map_split_order_and_result_do_not_depend_on_pieces_or_backend(size):
    chunks = [list(range(10 * i, 10 * i + 1 + i % 4)) for i in range(7)]
    want = [(c[0], [x ** 3 for x in c]) for c in chunks]
    got = list(map_split(explode, cube_piece, iter(chunks), split=_pieces(size), merge=_merge,
                         backend="process", n_jobs=2, max_pending=2))
    assert got == want
    assert list(map_split(explode, cube_piece, chunks, split=_pieces(size), merge=_merge,
                          backend="serial")) == want
    # a chunk whose split is empty still comes back, in its place
    empty = list(map_split(explode, cube_piece, [[5], [6]], split=lambda a: [], merge=_merge,
                           backend="process", n_jobs=2))
    assert empty == [(5, []), (6, [])]


def test_map_chunks_validates_options():
    with pytest.raises(ValueError, match="backend"):
        list(map_chunks(slow_square, [[1]], backend="threads"))
    with pytest.raises(ValueError, match="n_jobs"):
        list(map_chunks(slow_square, [[1]], n_jobs=0))
    with pytest.raises(ValueError, match="client"):
        list(map_chunks(slow_square, [[1]], backend="process", client="tcp://x:1"))
    assert set(BACKENDS) == {"process", "serial", "dask"}
    assert default_n_jobs() >= 1


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("par_in")
    write_jsonl(d / "a.jsonl", make_records(14))
    write_jsonl(d / "b.jsonl", make_records(7, 40))
    return d


def _assert_same(a, b):
    ca, cb = open_corpus(a), open_corpus(b)
    for t in STORE_TABLES:
        pdt.assert_frame_equal(ca.read_table(t), cb.read_table(t), obj=t)


@pytest.fixture(scope="module")
def serial_store(corpus_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("par_out") / "serial"
    ingest(corpus_dir, out, backend="serial", segmenter=toy_segment, chunk_size=3,
           progress=False)
    return out


def test_process_backend_store_equals_serial(corpus_dir, serial_store, tmp_path):
    out = tmp_path / "proc"
    res = ingest(corpus_dir, out, backend="process", n_jobs=2, segmenter=toy_segment,
                 chunk_size=3, progress=False)
    assert res.articles == open_corpus(serial_store).info()["articles"] > 15
    _assert_same(out, serial_store)


def test_store_does_not_depend_on_the_size_of_segmentation_tasks(corpus_dir, serial_store, tmp_path,
                                                                 monkeypatch):
    from corpus_tools.store import _worker
    monkeypatch.setattr(_worker, "SEGMENT_TASK_CHARS", 1)  # one article per task
    out = tmp_path / "tiny"
    ingest(corpus_dir, out, backend="process", n_jobs=2, segmenter=toy_segment, chunk_size=3,
           progress=False)
    _assert_same(out, serial_store)


def test_dask_local_cluster_store_equals_serial(corpus_dir, serial_store, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        out = tmp_path / "dask"
        with distributed.get_task_stream(client) as stream:
            res = ingest(corpus_dir, out, backend="dask", client=client,
                         segmenter=toy_segment, chunk_size=3, progress=False)
        assert res.articles == open_corpus(serial_store).info()["articles"] > 15
        # one task per chunk of 3 records ran on the cluster's workers
        ran = [t for t in stream.data if "_load_task" in str(t["key"])]
        assert len(ran) == 5 + 3 and len({t["worker"] for t in ran}) >= 1
        # ... and each chunk's segmentation as tasks of its own
        assert len([t for t in stream.data if "_segment_chunk" in str(t["key"])]) >= 8
    _assert_same(out, serial_store)


def test_dask_corpus_analysis_equals_local(serial_store, monkeypatch):
    """dtm, term counts and rates and KWIC as Dask tasks on a 2-worker cluster:
    the local results, exactly; the tasks ran on the workers."""
    distributed = pytest.importorskip("distributed")
    import pandas.testing as pdt
    import corpus_tools as ct
    from corpus_tools.store import Corpus
    monkeypatch.setattr(Corpus, "BLOCK_TOKENS", 40)  # several documents' blocks, several tasks
    local = open_corpus(serial_store)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        with open_corpus(serial_store, backend="dask", client=client) as remote, \
                distributed.get_task_stream(client) as stream:
            for kw in ({}, {"min_df": 2, "stopwords": "general"}):
                Xa, va, ra = local.dtm(**kw)
                Xb, vb, rb = remote.dtm(**kw)
                assert va == vb and (Xa != Xb).nnz == 0 and Xa.dtype == Xb.dtype
                pdt.assert_frame_equal(ra, rb)
            terms = ["hội nghị", "Đảng", "Trung ương"]
            counts = ct.term_counts(local, terms)
            assert (counts[terms].sum() > 0).all()
            pdt.assert_frame_equal(counts, ct.term_counts(remote, terms))
            pdt.assert_frame_equal(ct.term_rates(local, terms, by="month", n_boot=100),
                                   ct.term_rates(remote, terms, by="month", n_boot=100))
            lines = local.kwic("Đảng")
            assert len(lines) > 0
            pdt.assert_frame_equal(lines, remote.kwic("Đảng"))
        names = [str(t["key"]) for t in stream.data]
        assert sum("_dtm_block" in k for k in names) >= 4
        assert sum("_term_counts" in k for k in names) >= 6
        assert any("_kwic_lines" in k for k in names)
    with pytest.raises(ValueError, match="backend must be one of"):
        open_corpus(serial_store, backend="spark")
    with pytest.raises(ValueError, match="client= is only used"):
        open_corpus(serial_store, client="tcp://x:8786")
