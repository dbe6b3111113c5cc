"""corpus-tools: Vietnamese political-report corpora, from raw scrapes to figures.

The public API is what this module exports; see ``docs/architecture.md``.
Submodules are imported on first use of one of their names, so
``import corpus_tools`` is fast.
"""
from ._exports import lazy_reexport as _lazy_reexport

from ._version import __version__

#: The modules whose ``__all__`` makes the public API, in data-flow order.
_MODULES = ("encodings", "readers", "furniture", "clean", "dates", "calendar", "metadata", "fields", "sources", "dedupe", "load", "stopwords", "concepts", "syllables", "lexicon", "tokens", "terms",
            "collocations", "cooccurrence", "periods", "intervals", "confounds", "index", "store", "trends", "topics", "references", "defaults",
            "support", "effects", "reuse",
            "explore")
_names, __getattr__ = _lazy_reexport(globals(), __name__, list(_MODULES),
                                     subpackages=("plots", "parallel", "cli"))
__all__ = ["__version__", "plots", *_names]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
