"""Options with fixed choices: typed as ``Literal[...]`` where they are declared,
and checked at the call by one rule, so every error names the valid values."""
from __future__ import annotations

from typing import Any, get_args

__all__ = ["check_choice", "choices"]


def choices(options) -> tuple:
    """The values of a ``Literal[...]`` type (or a tuple/dict of them), in order."""
    args = get_args(options)
    return args if args else tuple(options)


def check_choice(name: str, value: Any, options) -> None:
    """Raise ``ValueError`` naming the valid values unless ``value`` is one of them."""
    valid = choices(options)
    if value not in valid:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, valid))}; got {value!r}")
