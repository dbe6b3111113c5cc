"""One function per figure type; each takes data and returns a matplotlib Figure."""
from .._exports import reexport as _reexport
from ._common import apply_style, save_figure

__all__ = ["save_figure", "apply_style"] + _reexport(
    globals(), __name__, ["overview", "trends", "topics", "references", "network", "effects", "reuse", "change"]
)
