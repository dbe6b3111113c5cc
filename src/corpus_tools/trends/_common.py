"""Inputs of every trend function: the token index of a frame or Corpus, and the terms."""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse


from .._options import check_choice
from ..choices import Match
from ..collection import token_index as _token_index
from ..index import TokenIndex as _Index

KeynessMeasure = Literal["log_likelihood", "log_ratio", "chi2"]
_BOOT_CHUNK_CELLS = 4_000_000  # bootstrap weights are drawn in chunks of this many cells


# --------------------------------------------------------------------------- inputs
def _prepare(corpus) -> tuple[pd.DataFrame, _Index]:
    """Metadata frame (without tokens) and token index of a frame or Corpus
    (:func:`corpus_tools.collection.token_index`, the one coercion of every analysis)."""
    return _token_index(corpus)


@dataclass(frozen=True)
class _Term:
    label: str
    kind: str  # "term" or "concept"
    variants: tuple[tuple[str, ...], ...]
    display: str = ""

    @property
    def query(self) -> str:
        return " | ".join(" ".join(v) for v in self.variants)


def _query_tokens(phrase: str) -> list[str]:
    return list(_cached_query_tokens(phrase))


@functools.lru_cache(maxsize=8192)
def _cached_query_tokens(phrase: str) -> tuple[str, ...]:
    # segmenting a query runs the CRF model (~1 ms); repeated calls reuse the result
    from .. import tokens as _tokens  # the same pipeline as the documents

    return tuple(_tokens.query_tokens(phrase))


def _shipped_concepts() -> dict[str, list[str]]:
    from ..concepts import load_concepts
    return dict(load_concepts())


def _shipped_labels() -> dict[str, str]:
    from ..concepts import load_concept_labels
    return dict(load_concept_labels())


_FAMILY_ID_RE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")


def _resolve_terms(terms, concepts) -> list[_Term]:
    if isinstance(terms, (str, tuple)):
        terms = [terms]
    terms = list(terms or [])
    labels: dict[str, str] = {}
    if concepts is None:
        lexicon = _shipped_concepts() if any(isinstance(t, str) for t in terms) else {}
        labels = _shipped_labels() if lexicon else {}
        extra = []
    elif concepts is True:
        lexicon = _shipped_concepts()
        labels = _shipped_labels()
        extra = list(lexicon)
    elif concepts is False:
        lexicon, extra = {}, []
    elif isinstance(concepts, Mapping):
        lexicon = {str(k): list(v) for k, v in concepts.items()}
        extra = list(lexicon)
    else:
        raise ValueError("concepts must be None, True, False or a {family: [phrases]} mapping")
    out: list[_Term] = []
    seen: set[str] = set()
    for term in terms + [t for t in extra if t not in terms]:
        if isinstance(term, str) and term in lexicon:
            variants = tuple(dict.fromkeys(
                tuple(_query_tokens(p)) if isinstance(p, str) else tuple(p)  # str: a phrase; else tokens
                for p in lexicon[term]))
            variants = tuple(v for v in variants if v)
            spec = _Term(term, "concept", variants, labels.get(term, term))
        elif isinstance(term, str) and concepts is not False and _FAMILY_ID_RE.fullmatch(term):
            # an ASCII snake_case id is a family name, never Vietnamese text: a typo fails here
            families = lexicon or _shipped_concepts()
            raise ValueError(f"{term!r} is not a concept family; families: {', '.join(sorted(families))} "
                             "(to count the text itself, write it with spaces, or pass concepts=False)")
        elif isinstance(term, str):
            toks = tuple(_query_tokens(term))
            spec = _Term(term, "term", (toks,), term)
        elif isinstance(term, (list, tuple)) and all(isinstance(t, str) for t in term):
            toks = tuple(term)  # already tokenised: used as given
            spec = _Term(" ".join(toks), "term", (toks,), " ".join(toks).replace("_", " "))
        else:
            raise ValueError(f"a term is a phrase (str) or a sequence of tokens, got {term!r}")
        if not spec.variants or not all(spec.variants):
            raise ValueError(f"term {term!r} has no tokens after query processing")
        if spec.label not in seen:
            seen.add(spec.label)
            out.append(spec)
    if not out:
        raise ValueError("no terms given (pass terms, or concepts=True / a concept mapping)")
    return out


def _mode(match: str, case_sensitive: bool) -> str:
    if case_sensitive and match != "word":
        raise ValueError("case_sensitive=True is only available with match='word'")
    return "word_cs" if (match == "word" and case_sensitive) else match


def _count_matrix(index: _Index, specs: list[_Term], mode: str, corpus=None) -> sparse.csc_matrix:
    """Documents x terms counts: :meth:`TokenIndex.occurrences`, the list that
    ``Corpus.kwic`` shows, so a count equals its concordance lines (a Corpus counts
    them itself, :meth:`~corpus_tools.store.Corpus.occurrence_counts`: on Dask too)."""
    indptr = [0]
    rows: list[np.ndarray] = []
    data: list[np.ndarray] = []
    if callable(getattr(corpus, "occurrence_counts", None)):
        counted = corpus.occurrence_counts([spec.variants for spec in specs], mode)
    else:
        counted = (np.unique(index.occurrences(spec.variants, mode)[2], return_counts=True) for spec in specs)
    for d, c in counted:
        rows.append(d)
        data.append(c)
        indptr.append(indptr[-1] + len(d))
    return sparse.csc_matrix(
        (np.concatenate(data) if data else [], np.concatenate(rows) if rows else [], indptr),
        shape=(index.n_docs, len(specs)), dtype=np.int64)


def term_counts(corpus, terms=None, *, match: Match = "term", concepts=None,
                case_sensitive: bool = False) -> pd.DataFrame:
    """Occurrences of each term in each document.

    Returns a frame with ``doc_id``, ``n_tokens`` and one integer column per term
    (concept families included, see :func:`term_rates`). Useful to check a rate by
    hand or to feed per-article counts into a model.
    """
    check_choice("match", match, Match)
    specs = _resolve_terms(terms, concepts)
    meta, index = _prepare(corpus)
    counts = _count_matrix(index, specs, _mode(match, case_sensitive), corpus).toarray()
    out = pd.concat([
        pd.DataFrame({"doc_id": meta["doc_id"].to_numpy() if "doc_id" in meta else np.arange(index.n_docs),
                      "n_tokens": index.lengths}),
        pd.DataFrame(counts, columns=pd.Index([s.label for s in specs], dtype=object))], axis=1)
    out.attrs["match"] = match
    return out


