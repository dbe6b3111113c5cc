"""corpus-tools: Vietnamese political-report corpora, from raw scrapes to figures.

The public API is what this module exports; see ``docs/architecture.md``.
Submodules are imported on first use of one of their names, so
``import corpus_tools`` is fast.
"""
from ._exports import lazy_reexport as _lazy_reexport

from ._version import __version__

#: The modules whose ``__all__`` makes the public API, in data-flow order.
_MODULES = ("encodings", "readers", "furniture", "clean", "dates", "calendar", "metadata", "fields", "sources", "dedupe", "load", "stopwords", "concepts", "syllables", "lexicon", "tokens", "terms",
            "collocations", "cooccurrence", "periods", "intervals", "confounds", "index", "docterm", "collection", "store", "trends", "topics", "references", "defaults",
            "support", "effects", "reuse", "changes", "meaning",
            "explore")
#: Public names of their modules that are steps of other functions, not the user's:
#: kept off the top level (a FutureWarning for one release names where they live).
_HELPERS = frozenset({"offsets", "rebase", "printable_path", "flat_key", "hc3_cov", "drop_unsupported",
                      "support_message", "kept_rows", "line_key", "no_text_message", "char_spans", "is_number",
                      "syllable_key", "syllable_keys", "word_splits", "roman_to_int", "canonical_token",
                      "normalize_chars", "source_field_role", "field_text",
                      "date_candidates", "is_time_unit", "is_corpus", "token_index", "token_lists", "frame_of"})
_names, __getattr__ = _lazy_reexport(globals(), __name__, list(_MODULES),
                                     subpackages=("plots", "parallel", "cli"), helpers=_HELPERS)
__all__ = ["__version__", "plots", *_names]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
