"""corpus-tools: Vietnamese political-report corpora, from raw scrapes to figures.

The public API is what this module exports; see ``docs/architecture.md``.
"""
from ._exports import reexport as _reexport

__version__ = "0.1.0"

__all__ = ["__version__", "plots"] + _reexport(globals(), __name__, [
    "readers", "clean", "metadata", "load", "tokens", "store",
    "trends", "topics", "references",
])

from . import plots  # noqa: E402
