"""Run a pure per-chunk function serially, in a process pool, or on Dask.

This is the one place where parallelism lives. Callers hand over an
iterable of chunks (lists of small, picklable records) and a module-level
function; results come back *in input order* whatever the backend, so the
output of an ingest does not depend on how it was scheduled.

Only a bounded number of chunks is in flight at a time, so a streaming
producer (a reader walking a 40k-article file) never has to hold the whole
corpus in memory.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, Callable, Iterable, Iterator, Literal, get_args

from ._options import check_choice

__all__ = ["BACKENDS", "Backend", "map_chunks", "map_split", "default_n_jobs", "resolve_jobs", "dask_client"]

Backend = Literal["process", "serial", "dask"]
BACKENDS = get_args(Backend)


def default_n_jobs() -> int:
    """Number of cores usable by this process (respects CPU affinity)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)


def resolve_jobs(n_jobs: int | None) -> int:
    """The number of worker processes ``n_jobs`` asks for (None: every core; -1: all, -2: all but one)."""
    if n_jobs is None:
        return default_n_jobs()
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool):
        raise ValueError(f"n_jobs must be an int or None, got {n_jobs!r}")
    if n_jobs < 0:  # scikit-learn convention: -1 = all cores, -2 = all but one
        return max(1, default_n_jobs() + 1 + n_jobs)
    if n_jobs == 0:
        raise ValueError("n_jobs must not be 0")
    return n_jobs


def map_chunks(
    func: Callable[[Any], Any],
    chunks: Iterable[Any],
    *,
    backend: Backend = "process",
    n_jobs: int | None = None,
    client: Any = None,
    max_pending: int | None = None,
) -> Iterator[Any]:
    """Yield ``func(chunk)`` for every chunk, in input order.

    Parameters
    ----------
    func : module-level (picklable) function of one chunk.
    chunks : iterable of chunks; consumed lazily.
    backend : ``"process"`` (a local process pool, default), ``"serial"``
        (in this process; for debugging and tiny inputs) or ``"dask"``
        (``dask.distributed``).
    n_jobs : worker processes; ``None`` = every core, negative counts from
        the number of cores (``-1`` = all). With ``"dask"`` it sizes the
        local cluster created when no ``client`` is given.
    client : for ``"dask"`` only: a ``distributed.Client``, a scheduler
        address (``"tcp://host:8786"``), or ``None`` for a new
        ``LocalCluster`` that is closed afterwards.
    max_pending : chunks in flight at once (default ``2 * n_jobs``); bounds
        memory.
    """
    # one stage: the two-stage scheduler with nothing to split
    yield from map_split(func, func, chunks, split=_nothing, merge=_first, backend=backend,
                         n_jobs=n_jobs, client=client, max_pending=max_pending)


def _nothing(_a) -> list:
    return []


def _first(a, _pieces):
    return a


@contextmanager
def dask_client(jobs: int, client: Any):
    """A ``distributed.Client``: the given one, one connected to an address, or
    one on a new local cluster of ``jobs`` single-threaded processes (closed after)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask is a dependency
        raise ImportError("backend='dask' needs dask[distributed]") from exc
    own_cluster = own_client = None
    if client is None:
        own_cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
        client = own_client = Client(own_cluster)
    elif isinstance(client, str):
        client = own_client = Client(client)
    try:
        yield client
    finally:
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()

def map_split(
    first: Callable[[Any], Any],
    second: Callable[[Any], Any],
    chunks: Iterable[Any],
    *,
    split: Callable[[Any], list],
    merge: Callable[[Any, list], Any],
    backend: Backend = "process",
    n_jobs: int | None = None,
    client: Any = None,
    max_pending: int | None = None,
) -> Iterator[Any]:
    """Yield ``merge(a, [second(p) for p in split(a)])`` with ``a = first(chunk)``
    for every chunk, in input order.

    Both stages run on the workers; ``split`` and ``merge`` run here. Why two
    stages: a chunk must be loaded whole (its records come as one staged file),
    but the expensive step (segmentation) can then be cut into small
    pieces, so the last chunks do not leave a worker idle while another
    segments a whole chunk. Results do not depend on how ``split`` cuts, as
    long as ``merge`` joins the pieces in order. ``max_pending`` bounds the
    chunks in flight (default ``2 * n_jobs``).
    """
    check_choice("backend", backend, Backend)
    if client is not None and backend != "dask":
        raise ValueError("client= is only used with backend='dask'")
    jobs = resolve_jobs(n_jobs)
    cap = max_pending or 2 * jobs
    if backend == "serial" or (backend == "process" and jobs == 1):
        for chunk in chunks:
            a = first(chunk)
            yield merge(a, [second(p) for p in split(a)])
        return
    if backend == "process":
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method)) as pool:
            yield from _pipeline(lambda f, x: pool.submit(f, x), _wait_futures,
                                 lambda fs: [f.cancel() for f in fs],
                                 first, second, chunks, split, merge, cap)
        return
    with dask_client(jobs, client) as dc:
        from distributed import wait as dwait

        def dask_wait(fs):
            return dwait(fs, return_when="FIRST_COMPLETED").done
        yield from _pipeline(lambda f, x: dc.submit(f, x, pure=False), dask_wait,
                             lambda fs: dc.cancel(list(fs)),
                             first, second, chunks, split, merge, cap)


def _wait_futures(fs):
    return wait(fs, return_when=FIRST_COMPLETED).done


def _pipeline(submit, wait_any, cancel, first, second, chunks, split, merge, cap) -> Iterator[Any]:
    """The scheduler of :func:`map_split` over any futures API: keeps up to
    ``cap`` chunks in flight, submits a chunk's pieces as soon as its first
    stage is done, and yields chunks in input order."""
    it = iter(chunks)
    entries: deque = deque()  # per chunk: {"a": future, "value": a, "parts": [futures]}
    exhausted = False
    try:
        while True:
            while not exhausted and len(entries) < cap:
                try:
                    chunk = next(it)
                except StopIteration:
                    exhausted = True
                    break
                entries.append({"a": submit(first, chunk), "value": None, "parts": None})
            if not entries:
                return
            head = entries[0]
            if head["parts"] is not None and all(f.done() for f in head["parts"]):
                entries.popleft()
                yield merge(head["value"], [f.result() for f in head["parts"]])
                continue
            running = [e["a"] for e in entries if e["parts"] is None] + \
                [f for e in entries if e["parts"] is not None for f in e["parts"] if not f.done()]
            done = wait_any(running)
            for e in entries:
                if e["parts"] is None and e["a"] in done:
                    e["value"] = e["a"].result()
                    e["parts"] = [submit(second, p) for p in split(e["value"])]
    finally:
        left = [e["a"] for e in entries if e["parts"] is None] + \
            [f for e in entries if e["parts"] is not None for f in e["parts"]]
        if left:
            cancel(left)
