"""Term rates over time with document-level bootstrap intervals, keyness, trend tests
and source composition.

Everything here works on the analysis frame (``doc_id``, ``published``, ``outlet``,
``tokens``; see ``docs/architecture.md``) or on a :class:`corpus_tools.Corpus`.
Query terms are phrases as a user writes them; they go through
``tokens.query_tokens`` so that they are segmented exactly like the documents.

Counting modes (the ``match`` column of every output), in terms of the two
layers of :mod:`corpus_tools.tokens` (words) and :mod:`corpus_tools.terms`. All
three run on one matcher (:class:`corpus_tools.index.TokenIndex`), which
``Corpus.kwic`` lists, so a count equals its concordance lines. In every mode
words compare by their match keys (case, tone placement ``uỷ``/``ủy``, the i/y
spelling ``kỉ``/``kỷ`` and dashes inside a compound ``kinh tế-xã hội`` do not
matter), punctuation between words is skipped, and a match never crosses a
sentence end (of a Corpus, or of a frame whose tokens keep their punctuation);
overlapping matches of one query count once.

``"term"`` (default)
    the term's syllables as a span of whole words, however the words split them:
    the rule of the terms layer, so a lexicon term's count is the number of its
    spans. ``Bộ Chính trị`` counts inside ``Ủy viên Bộ Chính trị`` (a nested
    term), ``chính trị`` does not count inside the word ``Bộ_Chính_trị`` (the
    Politburo, another referent). Case- and tone-placement-insensitive.
``"word"``
    the query's words, as the words layer segments the query, in sequence:
    the units of keyness tables and the document-term matrix. Exact words, case
    and spelling included, with ``case_sensitive=True`` (as ``Corpus.kwic``).
``"anywhere"``
    the syllables in sequence anywhere, inside words too (``chính trị`` inside
    ``Bộ_Chính_trị``): an upper bound, the check against word boundaries; always
    >= the term count.
"""
from ._common import term_counts
from ._composition import corpus_composition
from ._keyness import term_keyness
from ._rates import term_rates
from ._trend_tests import trend_tests

__all__ = [
    "term_counts",
    "term_rates",
    "term_keyness",
    "trend_tests",
    "corpus_composition",
]
