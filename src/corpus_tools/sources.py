"""Sources: the unit over which the loader learns what repeats.

Site furniture (:mod:`corpus_tools.furniture`) and pre-tokenised spacing are
properties of a site, not of one article, so they are learnt over all the
articles of a *source* at once and applied to each:

- a folder of text or HTML files (each folder apart, not its subfolders);
- one JSONL/CSV/JSON file, or, when its records name an outlet or a URL, each
  outlet (else each URL host) inside it: a news-API export mixes many sites.

An outlet or host inside a file with fewer than :data:`MIN_SOURCE_ARTICLES`
articles is too small to show what repeats (a byline taken for an outlet makes
dozens of such groups): it learns nothing of its own, and its articles are
learnt with the other small ones of the file, whose profile they share.

Every door learns them the same way, over the whole input: ``load_articles``
over what it reads, ``ingest`` (and the CLI) in a first pass over every file of a
source before any chunk is processed. So the store does not depend on the chunk
size, the number of processes, the backend or the door.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from .furniture import Furniture, FurnitureLearner

__all__ = ["MIN_SOURCE_ARTICLES", "SourceProfile", "SourceLearner", "source_key", "source_base", "rebase"]

#: An outlet or host inside a file needs this many articles to learn its own
#: furniture; below it, it falls back to its file (see the module docstring).
MIN_SOURCE_ARTICLES = 20

#: The separator between a file and the outlet or host inside it, in a source key.
SUB_SOURCE = " | "

_SPACED_RE = re.compile(r"\w [,.:;!?](?: |$)")
_TIGHT_RE = re.compile(r"\w[,.:;!?](?: |$)")
_PRETOKENISED_SAMPLE = 200


def source_key(path: str, format: str, known: Mapping | None = None) -> str:
    """The source of one record: its folder (text/HTML files), or its file,
    followed by the outlet or URL host that the record names, if any."""
    if format in ("txt", "html"):
        return str(Path(path).parent)
    known = known or {}
    sub = known.get("outlet")
    if not sub and known.get("url"):
        host = urlsplit(str(known["url"])).hostname or ""
        sub = host[4:] if host.startswith("www.") else host
    return f"{path}{SUB_SOURCE}{sub}" if sub else str(path)


def source_base(key: str) -> str:
    """The folder or file part of a source key."""
    return key.split(SUB_SOURCE, 1)[0]


def rebase(key: str, bases: Mapping[str, str]) -> str | None:
    """``key`` with its folder or file part renamed by ``bases`` (None if not there):
    a source read from a staging copy keeps its outlet or host part."""
    base, sep, sub = key.partition(SUB_SOURCE)
    return bases[base] + sep + sub if base in bases else None


def _spacing_counts(lines: Iterable[str]) -> tuple[int, int]:
    spaced = tight = 0
    for ln in lines:
        spaced += len(_SPACED_RE.findall(ln))
        tight += len(_TIGHT_RE.findall(ln))
    return spaced, tight


@dataclass(frozen=True)
class SourceProfile:
    """What was learnt over the articles of one source.

    ``pretokenised_body``/``pretokenised_title``: most punctuation marks of its
    first 200 articles (bodies and titles judged apart: some corpora space only
    their titles) follow a space, so :func:`~corpus_tools.clean.clean_spaced_punctuation`
    restores them. ``furniture.articles``: how many distinct articles it was learnt from.
    """

    furniture: Furniture = field(default_factory=Furniture)
    pretokenised_body: bool = False
    pretokenised_title: bool = False
    learnt_from: str = ""  # another source's key when this one was too small to learn from

    def describe(self) -> dict:
        out = {"pretokenised_body": self.pretokenised_body, "pretokenised_title": self.pretokenised_title,
               "furniture": self.furniture.describe()}
        if self.learnt_from:
            out["learnt_from"] = self.learnt_from
        return out

    def fingerprint(self) -> str:
        """Changes exactly when what is applied to the source's articles changes."""
        return hashlib.sha256(json.dumps(self.describe(), sort_keys=True, ensure_ascii=False)
                              .encode("utf-8")).hexdigest()[:16]


def _features(job: tuple) -> object:
    """Furniture features of one article (``job`` = lines, spacing restored?, max words)."""
    from .clean import clean_spaced_punctuation
    from .furniture import article_features
    lines, spaced, max_words = job
    return article_features([clean_spaced_punctuation(ln) for ln in lines] if spaced else lines, max_words)


def _features_batch(jobs: list[tuple]) -> list:
    return [_features(j) for j in jobs]


class _FeatureJobs:
    """The per-article part of furniture learning (:func:`_features`), computed inline or
    in a pool of forked processes, and applied to each source's learner in the order the
    articles came: what a learner counts depends on that order (copies count once), what
    an article's features are does not, so the profiles equal the serial ones."""

    BATCH = 128  # articles per task

    def __init__(self, n_jobs: int):
        import multiprocessing as mp
        self.n_jobs = n_jobs if ("fork" in mp.get_all_start_methods()
                                 and not mp.current_process().daemon) else 1
        self.pool = None
        self.batch: list[tuple] = []
        self.pending: deque = deque()

    def put(self, learner: FurnitureLearner, lines: Sequence[str], spaced: bool) -> None:
        job = (list(lines), spaced, learner.max_words)
        if self.n_jobs <= 1:
            learner.add_features(_features(job))
            return
        self.batch.append((learner, job))
        if len(self.batch) >= self.BATCH:
            self._submit()

    def _submit(self) -> None:
        if not self.batch:
            return
        if self.pool is None:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor
            self.pool = ProcessPoolExecutor(self.n_jobs, mp_context=mp.get_context("fork"))
        learners = [lr for lr, _ in self.batch]
        self.pending.append((learners, self.pool.submit(_features_batch, [j for _, j in self.batch])))
        self.batch = []
        while len(self.pending) > 2 * self.n_jobs:  # bounded memory: apply the oldest
            self._apply_oldest()

    def _apply_oldest(self) -> None:
        learners, future = self.pending.popleft()
        for learner, features in zip(learners, future.result()):
            learner.add_features(features)

    def drain(self) -> None:
        """Apply every article submitted so far. A last batch smaller than :attr:`BATCH`
        with no pool started is computed here: a small source never starts one."""
        if self.pool is None:
            for learner, job in self.batch:
                learner.add_features(_features(job))
            self.batch = []
        self._submit()
        while self.pending:
            self._apply_oldest()

    def close(self) -> None:
        """Stop the pool; articles put after this are computed inline (a source whose
        spacing is decided only at the end replays its held articles then)."""
        self.n_jobs = 1
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


class _Source:
    """One source while its records stream past: the first records are held
    until the spacing is decided, then every record goes to the furniture learner."""

    def __init__(self, pretokenised: bool | None, furniture: bool, jobs: _FeatureJobs):
        self.jobs = jobs
        self.forced = pretokenised
        self.body = [0, 0]  # punctuation after a space / not, in the first records
        self.title = [0, 0]
        self.held: list[list[str]] | None = []
        self.decided: tuple[bool, bool] | None = None
        self.furniture = FurnitureLearner() if furniture else None
        if pretokenised is not None:
            self._decide()

    def _decide(self) -> None:
        if self.forced is None:
            body = self.body[0] >= 10 and self.body[0] > 2 * self.body[1]
            title = self.title[0] >= 5 and self.title[0] > 2 * self.title[1]
        else:
            body = title = bool(self.forced)
        self.decided = (body, title)
        for lines in self.held or ():
            self._learn(lines)
        self.held = None

    def _learn(self, lines: Sequence[str]) -> None:
        if self.furniture is None:
            return
        self.jobs.put(self.furniture, lines, self.decided[0])

    def add(self, lines: Sequence[str], title: str | None) -> None:
        if self.decided is not None:
            self._learn(lines)
            return
        for counts, texts in ((self.body, lines), (self.title, [title] if title else [])):
            a, b = _spacing_counts(texts)
            counts[0] += a
            counts[1] += b
        self.held.append(list(lines))
        if len(self.held) >= _PRETOKENISED_SAMPLE:
            self._decide()

    def result(self) -> SourceProfile:
        if self.decided is None:
            self._decide()
        return SourceProfile(self.furniture.result() if self.furniture else Furniture(), *self.decided)


class SourceLearner:
    """Learns a :class:`SourceProfile` per source from records fed one by one.

    ``pretokenised``: None decides per source (see :class:`SourceProfile`),
    True/False forces it. Furniture is learnt on the text as it will be read
    (spacing restored first), so every door sees the same lines.
    """

    def __init__(self, pretokenised: bool | None = None, *, furniture: bool = True, n_jobs: int = 1):
        self.pretokenised = pretokenised
        self.furniture = furniture
        self._jobs = _FeatureJobs(n_jobs)  # n_jobs > 1: articles' features computed in a pool
        self._sources: dict[str, _Source] = {}
        # outlets or hosts inside a file, held until they are big enough to learn alone
        self._held: dict[str, list[tuple[list[str], str | None]]] = {}

    def _source(self, key: str) -> _Source:
        s = self._sources.get(key)
        if s is None:
            s = self._sources[key] = _Source(self.pretokenised, self.furniture, self._jobs)
        return s

    def add(self, key: str, lines: Sequence[str], title: str | None) -> None:
        if SUB_SOURCE in key and key not in self._sources:
            held = self._held.setdefault(key, [])
            held.append((list(lines), title))
            if len(held) < MIN_SOURCE_ARTICLES:
                return
            s = self._source(key)  # big enough: it learns on its own from now on
            for ln, t in self._held.pop(key):
                s.add(ln, t)
            return
        self._source(key).add(lines, title)

    def close(self) -> None:
        """Stop the feature pool (``result`` does; call it when learning is abandoned)."""
        self._jobs.close()

    def keys(self) -> list[str]:
        return list(self._sources) + list(self._held)

    def result(self) -> dict[str, SourceProfile]:
        """Profiles of every source; the small outlets or hosts of a file all
        share one profile, learnt from their articles together (in the order
        they came), under the file's own key."""
        pooled: dict[str, list[str]] = {}
        for key, held in self._held.items():
            base = source_base(key)
            pooled.setdefault(base, []).append(key)
            pool = self._source(base + SUB_SOURCE + "(small sources)")
            for ln, t in held:
                pool.add(ln, t)
        try:
            self._jobs.drain()
        finally:
            self._jobs.close()
        out = {key: s.result() for key, s in self._sources.items()}
        for base, keys in pooled.items():
            shared = out.pop(base + SUB_SOURCE + "(small sources)")
            for key in keys:
                out[key] = replace(shared, learnt_from=f"{base} (its {len(keys)} sources of fewer than "
                                                       f"{MIN_SOURCE_ARTICLES} articles, together)")
        return out
