"""One function per figure type; each takes data and returns a matplotlib Figure."""
from importlib import import_module as _import_module

from ._common import save_figure, apply_style

__all__ = ["save_figure", "apply_style"]
for _name in ["overview", "trends", "topics", "references"]:
    try:
        _mod = _import_module(f".{_name}", __name__)
    except ModuleNotFoundError as _exc:
        if _exc.name != f"{__name__}.{_name}":
            raise
        continue
    for _sym in getattr(_mod, "__all__", []):
        globals()[_sym] = getattr(_mod, _sym)
        __all__.append(_sym)
