"""What an ingest learns per source before any chunk: furniture and spacing over
every file of each source (:mod:`corpus_tools.sources`), and which sources must
be processed again because what was learnt over them changed."""
from __future__ import annotations

import hashlib

from ._units import _Group


def _learn_profiles(groups: list[_Group], kinds: dict, old_manifest: dict | None, gone: list,
                    load_kwargs: dict, limit) -> tuple[dict, dict]:
    """Learn furniture and spacing over every file of each source that has
    anything new, changed or removed, before any chunk is processed: the store
    then does not depend on chunks, processes, backend or the door. A source
    whose learnt profile changes is processed again in full (its unchanged
    groups too), so an incremental run equals a fresh one. Returns
    ``(profiles by base, fingerprints by base)``; ``kinds`` is updated."""
    from ..load import learn_sources
    old_sources = (old_manifest or {}).get("sources", {})
    old_fp = (old_manifest or {}).get("profiles", {})
    files: dict[str, list] = {}
    for g in groups:
        files.setdefault(g.base, []).extend(g.files)
    touched = {g.base for g in groups if kinds[g.key] != "unchanged"}
    touched |= {old_sources[k]["base"] for k in gone} & set(files)  # store format 4: entries name it
    if old_manifest is None:
        touched = set(files)
    opts = {k: load_kwargs[k] for k in ("format", "columns", "encoding", "pretokenised",
                                        "learn_furniture") if k in load_kwargs}
    profiles, fps = {}, {}
    left = limit
    for base in sorted(files):  # the group order, for a limit over all inputs
        n = None if left is None else max(left, 0)
        if base in touched:
            learnt = learn_sources(files[base], limit=n, **opts)
            profiles[base] = learnt
            fps[base] = _profiles_fingerprint(learnt)
        else:
            fps[base] = old_fp.get(base)
        if left is not None:
            left -= _count_units(files[base], opts, n)
    for g in groups:
        if kinds[g.key] == "unchanged" and g.base in touched and old_fp.get(g.base) != fps[g.base]:
            kinds[g.key] = "changed"  # new furniture of its source changes its articles
    return profiles, fps


def _count_units(files, opts: dict, limit) -> int:
    if limit is None:
        return 0
    from ..readers import read_records
    return sum(1 for f in files for _ in read_records(f, format=opts.get("format"),
                                                      encoding=opts.get("encoding"), limit=limit))


def _profiles_fingerprint(profiles: dict) -> str:
    h = hashlib.sha256()
    for key in sorted(profiles):
        h.update(f"{key}\x00{profiles[key].fingerprint()}\n".encode("utf-8"))
    return h.hexdigest()[:16]
