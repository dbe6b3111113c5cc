"""Term rates over time with document-level bootstrap intervals, keyness, trend tests
and source composition.

Everything here works on the analysis frame (``doc_id``, ``published``, ``outlet``,
``tokens``; see ``docs/architecture.md``) or on a :class:`corpus_tools.Corpus`.
Query terms are phrases as a user writes them; they go through
``tokens.query_tokens`` so that they are segmented exactly like the documents.

Counting modes (the ``match`` column of every output):

``"token"`` (default)
    the term's tokens occur as whole tokens, in sequence: ``chính trị`` counts the
    token ``chính_trị`` but not ``Bộ_Chính_trị`` (the Politburo, another referent).
    This respects the word boundaries of the segmenter and its domain lexicon and
    counts the same units as keyness tables and the document-term matrix, so the
    numbers are comparable across functions. Case-insensitive unless
    ``case_sensitive=True`` (as ``Corpus.kwic``).
``"anywhere"``
    the term's syllables occur in sequence anywhere in the syllable stream, case
    folded, starting and ending at syllable boundaries: inside longer compounds
    (``Bộ_Chính_trị``) and across token boundaries however the segmenter grouped
    the syllables. It is the robustness check against segmentation choices and is
    always >= the token count.
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
