"""The one read of an ingest.

Every input file of a source that has to be processed is read once, in group
order. That single pass hashes its bytes (:class:`~corpus_tools.readers.FileDigests`),
decodes its records, learns the source's furniture and spacing over all of them
(:func:`~corpus_tools.load.learn_records`, as ``load_articles`` learns over what it
reads) and cuts the decoded records into the chunks the workers load
(:func:`~corpus_tools.load.load_records`). What is learnt depends on the order of
the articles (copies are counted once, the first articles decide the spacing), so
a merge of what workers learnt apart would not equal it: the counting runs here, in
order. What each article contributes (its units and line keys, the costly part)
depends on that article alone, and is computed in a pool of the ingest's size. The
chunks wait, compressed, until their source is learnt.
"""
from __future__ import annotations

import dataclasses
import hashlib
import pickle
import zlib

from ..readers import FileDigests, printable_path, read_records
from ._units import _Group


class _OneRead:
    """Reads sources on demand; ``chunks[group key]`` are its workers' inputs."""

    def __init__(self, load_kwargs: dict, chunk_size: int, limit: int | None, learn_jobs: int = 1):
        self.digests = FileDigests()
        self.read_opts = {k: load_kwargs[k] for k in ("format", "encoding") if k in load_kwargs}
        self.learn_opts = {k: load_kwargs[k] for k in ("columns", "pretokenised", "learn_furniture")
                           if k in load_kwargs}
        # the per-article part of learning in a pool (the order-dependent rest stays here)
        self.learn_opts["n_jobs"] = learn_jobs
        self.chunk_size, self.left = chunk_size, limit
        self.chunks: dict[str, list[bytes]] = {}

    def read(self, base: str, groups: list[_Group]) -> dict:
        """Read the files of ``groups`` (one source, in group order) once: their
        chunks go to :attr:`chunks`; returns the profiles learnt over them."""
        from ..load import learn_records
        filling: dict[str, list] = {g.key: [] for g in groups}
        for g in groups:
            self.chunks[g.key] = []

        def flush(g: _Group) -> None:
            if filling[g.key]:
                self.chunks[g.key].append(zlib.compress(pickle.dumps(filling[g.key], protocol=5), 1))
                filling[g.key] = []

        def records():
            for g in groups:
                for path in g.files:
                    if self.left is not None and self.left <= 0:
                        return
                    for rec in read_records(path, limit=self.left, digests=self.digests, **self.read_opts):
                        if self.left is not None:
                            self.left -= 1
                        # the worker's copy, as read (learning adds notes to the record)
                        filling[g.key].append(dataclasses.replace(rec, notes=list(rec.notes)))
                        if g.kind == "records" and len(filling[g.key]) >= self.chunk_size:
                            flush(g)
                        yield rec
                flush(g)

        learnt = learn_records(records(), source=base, **self.learn_opts)
        for g in groups:
            flush(g)
        return learnt

    def sha(self, path) -> str:
        """The file's SHA-256: from the read, or (a file the read did not reach) by hashing it."""
        from ._layout import _file_sha256
        key = printable_path(path)
        got = self.digests.digests.get(key)
        if got is None:
            got = self.digests.digests[key] = _file_sha256(path)
        return got


def _profiles_fingerprint(profiles: dict) -> str:
    h = hashlib.sha256()
    for key in sorted(profiles):
        h.update(f"{key}\x00{profiles[key].fingerprint()}\n".encode("utf-8"))
    return h.hexdigest()[:16]
