"""corpus-tools: Vietnamese political-report corpora, from raw scrapes to figures.

The public API is what this module exports; see ``docs/architecture.md``.
"""
from importlib import import_module as _import_module

__version__ = "0.1.0"

# Each module lists its public names in ``__all__``; re-export them here.
_MODULES = [
    "readers", "clean", "metadata", "load", "tokens", "store",
    "trends", "topics", "references",
]
__all__ = ["__version__", "plots"]
for _name in _MODULES:
    try:
        _mod = _import_module(f".{_name}", __name__)
    except ModuleNotFoundError as _exc:  # module not written yet
        if _exc.name != f"{__name__}.{_name}":
            raise
        continue
    for _sym in getattr(_mod, "__all__", []):
        globals()[_sym] = getattr(_mod, _sym)
        __all__.append(_sym)

from . import plots  # noqa: E402
