"""Analysis of a store as Dask tasks (``open_corpus(path, backend="dask")``).

Each task opens the store's memory-mapped arrays itself (``token_arrays/``), so
workers need the store on shared storage, never the data shipped to them; what
a task returns is what it counted. The driver joins the pieces in order with the
same code as the local path, so the results are the local ones exactly:

- ``dtm``: one task per run of whole documents (:data:`Corpus.BLOCK_TOKENS`
  tokens), each returning its rows of the CSR matrix;
- term counts and rates: one task per term, on the saved token index;
- KWIC: the concordance lines of a run of hits per task.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["DaskRunner"]

# per worker process: a store's arrays and saved index, opened once
_OPEN: dict = {}


def _store(path: str):
    from ._corpus import Corpus
    c = _OPEN.get(path)
    if c is None:
        if len(_OPEN) > 4:
            _OPEN.clear()
        c = _OPEN[path] = Corpus(Path(path))
    return c


def _dtm_block(args) -> tuple:
    """Rows ``first..`` of the DTM: the kept codes of tokens ``a:b`` counted per row."""
    from ._corpus import _csr_rows
    path, c0, c1, first, lengths, doc_keep, stop, keep_punct, n_cols = args
    idx = _store(path)._index()
    starts = idx["doc_starts"]
    a, b = int(starts[c0]), int(starts[c1])
    keep = np.repeat(doc_keep, np.diff(starts[c0:c1 + 1]))
    if not keep_punct:
        keep &= ~idx["punct"][a:b]
    norm = idx["norm"][a:b]
    if stop is not None:
        keep &= ~stop[norm]
    return _csr_rows(first, lengths, norm[keep], n_cols)


def _term_counts(args) -> tuple[np.ndarray, np.ndarray]:
    """Documents (rows of the saved token index) and counts of one term's occurrences."""
    path, variants, mode = args
    _, index = _store(path).token_index()
    _, _, doc = index.occurrences(variants, mode)
    return np.unique(doc, return_counts=True)


def _kwic_lines(args) -> tuple[list[str], list[str], list[str]]:
    from ._kwic import kwic_lines
    path, hits, last, doc_end, window = args
    return kwic_lines(_store(path)._index(), hits, last, doc_end, window)


class DaskRunner:
    """The Dask side of a Corpus: a client (the given one, one connected to an
    address, or a local cluster started on first use and closed by :meth:`close`)."""

    def __init__(self, client=None):
        self._given = client
        self._client = self._cluster = None

    @property
    def client(self):
        if self._client is None:
            from distributed import Client, LocalCluster
            if self._given is None:
                from ..parallel import default_n_jobs
                self._cluster = LocalCluster(n_workers=default_n_jobs(), threads_per_worker=1,
                                             processes=True, dashboard_address=None)
                self._client = Client(self._cluster)
            elif isinstance(self._given, str):
                self._client = Client(self._given)
            else:
                self._client = self._given
        return self._client

    def map(self, fn, tasks: list) -> list:
        """``[fn(t) for t in tasks]`` on the cluster, in order."""
        if not tasks:
            return []
        futures = self.client.map(fn, tasks, pure=False)
        return self.client.gather(futures)

    def close(self) -> None:
        if self._client is not None and self._client is not self._given:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None
