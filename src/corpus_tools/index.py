"""The token index: documents' tokens as integer codes in flat numpy arrays, with
case-folded and syllable streams and inverted postings built on first use, so a term
lookup is a slice of postings and a few vectorised comparisons (no Python loop over
tokens, no token strings per document).

It is the one matcher of the package: ``term_counts``/``term_rates`` count its
occurrences and ``Corpus.kwic`` lists them, so a count always equals its
concordance lines. The rule, in every mode: words are compared by their
:func:`~corpus_tools.syllables.match_keys` (case, tone placement, i/y spelling and
dashes inside compounds do not matter), punctuation between words is skipped, and a
match never crosses a sentence end; overlapping matches of one query count once.
"""
from __future__ import annotations

from collections.abc import Mapping
from itertools import chain, product
from typing import Sequence

import numpy as np
import pandas as pd

from .syllables import is_punct, match_keys
from .terms import word_splits

__all__ = ["SENTENCE_ENDS", "TokenIndex", "offsets"]

#: Punctuation tokens that end a sentence in a token list without sentence ids.
SENTENCE_ENDS = frozenset({".", "!", "?", "…", "...", "?!", "!?", ".\"", ".”"})


def offsets(lengths: np.ndarray) -> np.ndarray:
    """Start of each run (and the end), from run lengths."""
    out = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=out[1:])
    return out






def stable_order(stream: np.ndarray, bounds: np.ndarray, bucket: int | None = None,
                 out: np.ndarray | None = None) -> np.ndarray:
    """``np.argsort(stream, kind="stable")`` as int32, sorted in buckets of
    consecutive ids of about ``bucket`` tokens each (default: 2M, or 1/16 of
    the stream): the int64 index arrays of a sort then exist for one bucket at
    a time, not for the whole stream, at the cost of one scan per bucket.
    ``out``: where to write it (a memory-mapped file, for a store)."""
    n = len(stream)
    bucket = bucket or max(1 << 21, n // 16)
    order = out if out is not None else np.empty(n, dtype=np.int32 if n < 2 ** 31 else np.int64)
    n_ids = len(bounds) - 1
    lo = 0
    while lo < n_ids:
        # the next ids until the bucket holds about ``bucket`` tokens (at least one id)
        hi = int(np.searchsorted(bounds, bounds[lo] + bucket, side="right")) - 1
        hi = min(max(hi, lo + 1), n_ids)
        pos = np.flatnonzero((stream >= lo) & (stream < hi)) if (lo, hi) != (0, n_ids) else np.arange(n)
        order[bounds[lo]:bounds[hi]] = pos[np.argsort(stream[pos], kind="stable")]
        lo = hi
    return order


class VocabIds(Mapping):
    """term -> id over distinct terms (id = position). ``terms`` may be an Arrow string
    array (a store's vocabulary as read): the first lookups scan it in C, with no Python
    string made per entry; after :attr:`SCANS` lookups (a long list of terms) pandas
    hashes it once. A dict of a store's vocabulary would cost a pass in Python and
    about 100 bytes an entry, and most uses look up a handful of terms."""

    #: Lookups answered by a scan of an Arrow vocabulary before it is hashed.
    SCANS = 32

    def __init__(self, terms):
        import pyarrow as pa
        if isinstance(terms, pa.ChunkedArray):
            terms = terms.combine_chunks()
        self._arrow = terms if isinstance(terms, pa.Array) else None
        self._terms = None if self._arrow is not None else np.asarray(terms, dtype=object)
        self._index = None
        self._scans = 0

    def _hashed(self) -> pd.Index:
        if self._index is None:
            terms = self._terms if self._terms is not None else np.asarray(self._arrow.to_pylist(), dtype=object)
            self._index = pd.Index(terms, dtype=object, copy=False)
        return self._index

    def __getitem__(self, key) -> int:
        if self._index is None and self._arrow is not None and self._scans < self.SCANS:
            if not isinstance(key, str):
                raise KeyError(key)
            import pyarrow.compute as pc
            self._scans += 1
            i = pc.index(self._arrow, key).as_py()
            if i < 0:
                raise KeyError(key)
            return i
        i = self._hashed().get_loc(key)
        if not isinstance(i, (int, np.integer)):  # terms are distinct: a slice or mask means a bug
            raise ValueError(f"{key!r} is not unique in the vocabulary")
        return int(i)

    def get(self, key, default=None):
        try:
            return self[key]
        except (KeyError, TypeError, pd.errors.InvalidIndexError):  # absent, or not a term at all
            return default

    def __iter__(self):
        return iter(self._arrow.to_pylist() if self._terms is None else self._terms)

    def __len__(self) -> int:
        return len(self._arrow) if self._terms is None else len(self._terms)


class _Ids(dict):
    """mode -> :class:`VocabIds`, each built on first use."""

    def __init__(self, builders: dict):
        super().__init__()
        self.builders = builders

    def __missing__(self, mode: str):
        build = self.builders.get(mode)
        if build is None:
            raise KeyError(mode)
        value = self[mode] = build()
        return value


class TokenIndex:
    """Flat token (and, lazily, syllable) id streams of a corpus with inverted indexes.

    A term lookup is then a slice of postings plus a few vectorised comparisons, no
    Python loop over tokens.
    """

    def __init__(self, codes: np.ndarray, lengths: np.ndarray, vocab: np.ndarray,
                 sentences: np.ndarray | None = None):
        self.n_docs = len(lengths)
        self.lengths = np.asarray(lengths, dtype=np.int64)
        self._vocab = vocab  # an array, or a callable giving it (a store reads it when first needed)
        self.codes = np.asarray(codes, dtype=np.int32)
        self.offsets = offsets(self.lengths)
        # sentence number of each token (non-decreasing): a match may not span two sentences
        self.sentences = None if sentences is None else np.asarray(sentences, dtype=np.int64)
        self.streams: dict[str, tuple[np.ndarray, np.ndarray]] = {"word_cs": (self.codes, self.offsets)}
        self.ids: dict[str, Mapping[str, int]] = _Ids({"word_cs": lambda: VocabIds(self.vocab)})
        self._inverted: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._syl_starts: np.ndarray | None = None

    @property
    def vocab(self) -> np.ndarray:
        """The token of each code."""
        if callable(self._vocab):
            self._vocab = self._vocab()
        if not (isinstance(self._vocab, np.ndarray) and self._vocab.dtype == object):
            self._vocab = np.asarray(self._vocab, dtype=object)
        return self._vocab

    @classmethod
    def from_tokens(cls, tokens: Sequence) -> "TokenIndex":
        """From token lists. Punctuation tokens are not words: they are dropped,
        and those of :data:`SENTENCE_ENDS` end a sentence (a frame made with
        ``keep_punct=True`` thus keeps its sentence ends; one without punctuation
        has none to show)."""
        lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
        flat = np.fromiter(chain.from_iterable(tokens), dtype=object, count=int(lengths.sum()))
        if len(flat):
            codes, vocab = pd.factorize(flat, use_na_sentinel=False)
        else:
            codes, vocab = np.zeros(0, dtype=np.int64), np.array([], dtype=object)
        vocab = np.asarray(vocab, dtype=object)
        # punctuation is judged once per distinct token, not once per token
        punct = np.fromiter((is_punct(str(v)) for v in vocab), dtype=bool, count=len(vocab))
        sentences = None
        if punct.any():
            ends = np.fromiter((str(v) in SENTENCE_ENDS for v in vocab), dtype=bool, count=len(vocab))
            doc = np.repeat(np.arange(len(lengths)), lengths)
            # a new sentence after each sentence end and at each document's start
            step = ends[codes].astype(np.int64)
            starts = offsets(lengths)[:-1]
            step_doc = np.zeros(len(codes), dtype=np.int64)
            step_doc[starts[lengths > 0]] = 1
            sent = np.cumsum(step_doc) + np.cumsum(np.concatenate(([0], step[:-1])))
            word = ~punct[codes]
            codes, sentences = codes[word], sent[word]
            lengths = np.bincount(doc[word], minlength=len(lengths)).astype(np.int64)
            used, codes = np.unique(codes, return_inverse=True)
            vocab = vocab[used]
        return cls(codes, lengths, vocab, sentences)

    def word_codes(self) -> np.ndarray:
        """The ``word`` id of each vocabulary entry (words coded by their match keys);
        sets the ids of the ``word`` stream."""
        keys = ["_".join(match_keys(str(v))) for v in self.vocab]
        low_codes, low_vocab = pd.factorize(pd.Index(keys, dtype=object))
        self.ids["word"] = VocabIds(low_vocab)
        return low_codes.astype(np.int32)

    def _build_token_ci(self) -> None:
        self.streams["word"] = (self.word_codes()[self.codes], self.offsets)

    def adopt_word_index(self, stream: np.ndarray, order: np.ndarray, bounds: np.ndarray,
                         words: Sequence[str] | None = None) -> "TokenIndex":
        """Take the ``word`` stream and its postings as computed before (a store
        keeps them on disk, :meth:`word_codes` then :func:`stable_order`); ``words``:
        the match key of each ``word`` id, as :meth:`word_codes` numbered them."""
        if words is None:
            self.word_codes()
        else:
            self.ids.builders["word"] = lambda: VocabIds(words)
        self.streams["word"] = (stream, self.offsets)
        self._inverted["word"] = (order, bounds)
        return self

    # syllable stream: every token split at "_" and case folded
    def _build_syllables(self) -> None:
        syl_lists = [list(match_keys(str(v))) for v in self.vocab]
        nsyl = np.fromiter((len(x) for x in syl_lists), dtype=np.int64, count=len(syl_lists))
        flat = np.fromiter(chain.from_iterable(syl_lists), dtype=object, count=int(nsyl.sum()))
        if len(flat):
            syl_codes, syl_vocab = pd.factorize(flat)
        else:
            syl_codes, syl_vocab = np.zeros(0, dtype=np.int64), np.array([], dtype=object)
        type_off = offsets(nsyl)
        tok_nsyl = nsyl[self.codes]
        tok_start = offsets(tok_nsyl)
        total = int(tok_start[-1])
        gather = np.repeat(type_off[self.codes] - tok_start[:-1], tok_nsyl) + np.arange(total)
        self.streams["anywhere"] = (syl_codes[gather].astype(np.int32), tok_start[self.offsets])
        self._syl_starts = tok_start
        self.ids["anywhere"] = VocabIds(syl_vocab)

    def stream(self, mode: str) -> tuple[np.ndarray, np.ndarray]:
        """(ids, document offsets) of the stream for ``mode``: ``word_cs`` (exact
        words), ``word`` (words by their match keys) or ``anywhere`` (syllables by
        their match keys)."""
        if mode not in self.streams:
            (self._build_token_ci if mode == "word" else self._build_syllables)()
        return self.streams[mode]

    def pattern(self, tokens: Sequence[str], mode: str) -> np.ndarray | None:
        """Ids of a token sequence in the stream of ``mode``; None if absent."""
        self.stream(mode)
        if mode == "word_cs":
            keys = list(tokens)
        elif mode == "word":
            keys = ["_".join(k) for k in map(match_keys, tokens) if k]
        else:
            keys = [x for t in tokens for x in match_keys(t)]
        ids = [self.ids[mode].get(k) for k in keys]
        if not ids or any(i is None for i in ids):
            return None
        return np.asarray(ids, dtype=np.int32)

    def warm(self, mode: str) -> "TokenIndex":
        """Build the stream and inverted index of ``mode`` now (they are lazy)."""
        self._postings(mode, 0)
        return self

    def _postings(self, match: str, first: int) -> np.ndarray:
        if match not in self._inverted:
            stream = self.stream(match)[0]
            bounds = offsets(np.bincount(stream, minlength=1))
            self._inverted[match] = (stable_order(stream, bounds), bounds)
        order, bounds = self._inverted[match]
        if first + 1 >= len(bounds):
            return np.zeros(0, dtype=np.int64)
        return order[bounds[first]:bounds[first + 1]]

    def locate(self, tokens: Sequence[str], mode: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(start, end, document row) of every occurrence of a token sequence, in
        the units of :meth:`stream` of ``mode`` (``"term"`` and ``"word"`` count
        words, ``"anywhere"`` syllables). Modes:

        * ``"word"`` / ``"word_cs"``: the words as given, in sequence;
        * ``"term"``: the syllables of ``tokens`` as a span of whole words however
          the words split them (``Bộ Chính trị`` as ``Bộ_Chính_trị`` or as
          ``Bộ`` + ``Chính_trị``): the terms layer's rule
          (:mod:`corpus_tools.terms`), found as the union over every segmentation
          of the syllables into known words, so it needs no syllable index;
        * ``"anywhere"``: the syllables in sequence, inside words too.
        """
        empty = np.zeros(0, dtype=np.int64)
        if mode != "term":
            ids = self.pattern(tokens, mode)
            if ids is None:
                return empty, empty, empty
            start, doc = self.find(ids, mode)
            return start, start + len(ids), doc
        syls = [x for t in tokens for x in match_keys(t)]
        found = []
        for split in word_splits(syls, self._word_ids):
            for ids in product(*split):  # one id per word: the word stream is coded by match keys
                start, doc = self.find(np.asarray(ids, dtype=np.int32), "word")
                found.append((start, doc, len(ids)))
        if not found:
            return empty, empty, empty
        start = np.concatenate([f[0] for f in found])
        end = np.concatenate([f[0] + f[2] for f in found])
        doc = np.concatenate([f[1] for f in found])
        order = np.argsort(start, kind="stable")
        return start[order], end[order], doc[order]

    def _word_ids(self, key: str) -> list[int]:
        """``word`` ids whose syllable keys spell ``key`` (the word stream is coded
        by match keys, so there is at most one)."""
        self.stream("word")
        i = self.ids["word"].get(key)
        return [] if i is None else [i]

    def _sentence_stream(self, mode: str) -> np.ndarray | None:
        """Sentence number of each unit of the stream of ``mode`` (None: unknown)."""
        if self.sentences is None or mode != "anywhere":
            return self.sentences
        self.stream("anywhere")
        return np.repeat(self.sentences, np.diff(self._syl_starts))

    def find(self, ids: np.ndarray, match: str) -> tuple[np.ndarray, np.ndarray]:
        """Start positions and document rows of every match of ``ids``."""
        stream, offsets = self.stream(match)
        cand = self._postings(match, int(ids[0]))
        k = len(ids)
        if k > 1:
            cand = cand[cand + k - 1 < len(stream)]
            for j in range(1, k):
                cand = cand[stream[cand + j] == ids[j]]
        doc = np.searchsorted(offsets, cand, side="right") - 1
        if k > 1:  # a match may not run from one document into the next, nor one sentence
            keep = cand + k <= offsets[doc + 1]
            sent = self._sentence_stream(match)
            if sent is not None:
                keep &= sent[np.minimum(cand + k - 1, len(sent) - 1)] == sent[cand]
            cand, doc = cand[keep], doc[keep]
        return cand, doc

    def occurrences(self, variants: Sequence[Sequence[str]], mode: str
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(start, end, document row) of each occurrence of any of ``variants``
        (token sequences) in the units of :meth:`locate`: overlapping matches form
        one occurrence (``tham nhũng`` inside ``phòng, chống tham nhũng``; a phrase
        that overlaps itself), so counts and concordances see the same list."""
        starts, ends = [], []
        for variant in variants:
            pos, end, _ = self.locate(variant, mode)
            starts.append(pos)
            ends.append(end)
        empty = np.zeros(0, dtype=np.int64)
        if not starts:
            return empty, empty, empty
        start, end = np.concatenate(starts), np.concatenate(ends)
        order = np.lexsort((-end, start))
        start, end = start[order], end[order]
        if len(start) > 1:
            reach = np.maximum.accumulate(end)
            new = np.ones(len(start), dtype=bool)
            new[1:] = start[1:] >= reach[:-1]
            end = np.maximum.reduceat(end, np.flatnonzero(new))  # a run ends at its furthest end
            start = start[new]
        offs = self.stream("word" if mode == "term" else mode)[1]
        doc = np.searchsorted(offs, start, side="right") - 1
        return start, end, doc

    def word_span(self, start: np.ndarray, end: np.ndarray, mode: str) -> tuple[np.ndarray, np.ndarray]:
        """The spans of :meth:`occurrences` in words (``anywhere`` counts syllables)."""
        if mode != "anywhere":
            return start, end
        self.stream("anywhere")
        tok = self._syl_starts
        ws = np.searchsorted(tok, start, side="right") - 1
        we = np.searchsorted(tok, end - 1, side="right")
        return ws, we


