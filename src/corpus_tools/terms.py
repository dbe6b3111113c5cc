"""The terms layer: multiword expressions of the lexicon as spans over words.

A term occurs where its syllables (punctuation ignored, case- and
tone-placement-insensitive) follow each other in the text **and** its first and
last syllables begin and end words of the words layer: ``Bộ Chính trị`` inside
``Ủy viên Bộ Chính trị`` is a term of its own (nested terms are kept), while
``chính trị`` inside the word ``Bộ_Chính_trị`` is not. A term never changes the
words: a spelling variant (``kiểm tra giám sát => kiểm tra, giám sát``) only maps
its spans to the canonical id. ``term_rates(match="term")`` counts by the same
rule over a corpus, so a term's count is the number of its spans.

Matching runs over a document's words in order by their match keys
(:func:`~corpus_tools.syllables.match_keys`), punctuation skipped, and stops at
sentence ends: the rule of :class:`corpus_tools.index.TokenIndex`, the matcher of
``term_counts`` and ``Corpus.kwic``.
"""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate, chain
from typing import Callable, Sequence

from .lexicon import Lexicon, resolve_lexicon
from .syllables import is_punct, match_keys

__all__ = ["TERM_COLUMNS", "find_terms", "word_splits"]

_WORD_KEYS: dict[str, tuple[str, ...]] = {}  # word -> its syllable keys (words repeat)

#: Columns of the store's ``terms`` table (one row per span).
TERM_COLUMNS = ("doc_id", "para_id", "sent_id", "position", "length", "term")


def find_terms(words: Sequence[str], lexicon: bool | Lexicon = True,
               sentences: Sequence[int] | None = None) -> list[tuple[int, int, str]]:
    """Every term span over ``words`` as ``(start, end, term_id)``, word indices
    (``end`` exclusive, punctuation inside the span included), sorted by start then
    end. Nested and overlapping terms are all returned. ``sentences``: the sentence
    number of each word; a span never joins two sentences.

    >>> find_terms(["Ủy_viên", "Bộ_Chính_trị", ",", "xây_dựng", ",", "chỉnh_đốn", "Đảng"])
    [(0, 2, 'Ủy_viên_Bộ_Chính_trị'), (3, 7, 'xây_dựng_chỉnh_đốn_Đảng')]
    """
    lex = resolve_lexicon(lexicon, "terms")
    if lex is None or not lex._first2:
        return []
    cache = _WORD_KEYS
    get = cache.get
    wks = [get(word) for word in words]
    if None in wks:
        for w, wk in enumerate(wks):
            if wk is None:
                word = words[w]
                wk = wks[w] = () if is_punct(word) else match_keys(word)
                if len(cache) > 200_000:  # names and numbers keep coming: stay bounded
                    cache.clear()
                cache[word] = wk
    idx = [w for w, wk in enumerate(wks) if wk]   # the non-punctuation words
    kept = [wks[w] for w in idx]
    # syllable offset of each kept word (and the end); a span must end on one of them
    offs = list(accumulate(map(len, kept), initial=0))
    keys = list(chain.from_iterable(kept))
    n = len(keys)
    first1, first2 = lex._first1, lex._first2
    word_end = set(offs)
    out = []
    for j in [j for j, wk in enumerate(kept) if wk[0] in first1]:  # a term starts at a word's first syllable
        s = offs[j]
        if s + 1 >= n or (keys[s], keys[s + 1]) not in first2:
            continue
        for length, canon, _ in lex.matches(keys, s):
            e = s + length
            if e in word_end:
                last = idx[bisect_right(offs, e - 1) - 1]
                if sentences is None or sentences[idx[j]] == sentences[last]:
                    out.append((idx[j], last + 1, canon))
    out.sort(key=lambda t: (t[0], t[1], t[2]))
    return out


def word_splits(syls: Sequence[str], lookup: Callable[[str], list[int]]) -> list[list[list[int]]]:
    """Every split of a syllable sequence into consecutive words that ``lookup``
    knows (``lookup("_".join(part))`` -> the ids spelling it, empty if none): the
    ways a term can lie over whole words, for counting it in a word stream
    without a syllable index (a DFS over at most 2^(k-1) splits)."""
    out: list[list[list[int]]] = []

    def walk(i: int, acc: list[list[int]]) -> None:
        if i == len(syls):
            out.append(list(acc))
            return
        for j in range(i + 1, len(syls) + 1):
            ids = lookup("_".join(syls[i:j]))
            if ids:
                acc.append(ids)
                walk(j, acc)
                acc.pop()
    if len(syls):
        walk(0, [])
    return out
