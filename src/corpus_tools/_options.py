"""Options with fixed choices: typed as ``Literal[...]`` where they are declared,
and checked at the call by one rule, so every error names the valid values."""
from __future__ import annotations

import functools
import warnings
import inspect
from typing import Any, get_args

__all__ = ["check_choice", "check_ci", "choices", "named_options", "renamed_options"]


def choices(options) -> tuple:
    """The values of a ``Literal[...]`` type (or a tuple/dict of them), in order."""
    args = get_args(options)
    return args if args else tuple(options)


def check_choice(name: str, value: Any, options) -> None:
    """Raise ``ValueError`` naming the valid values unless ``value`` is one of them."""
    valid = choices(options)
    if value not in valid:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, valid))}; got {value!r}")


def check_ci(ci: float) -> None:
    """An interval level: a probability strictly between 0 and 1."""
    if not 0 < ci < 1:
        raise ValueError(f"ci must be in (0, 1), got {ci!r}")


def named_options(fn):
    """Decorator: an unknown keyword fails at the call naming the valid ones
    (Python's own error names only the wrong one). The signature stays visible
    to ``help`` and editors (``functools.wraps``)."""
    valid = [n for n, p in inspect.signature(fn).parameters.items()
             if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)]

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        unknown = sorted(set(kwargs) - set(valid))
        if unknown:
            raise TypeError(f"{fn.__name__}() got unknown option(s) {unknown}; valid: {', '.join(valid)}")
        return fn(*args, **kwargs)
    return wrapper


def renamed_options(**renames: str):
    """Decorator: keywords renamed so that one idea has one name across the API
    (``n`` for how many results, ``random_state`` for seeds). The old name still
    works for one release, with a ``FutureWarning`` naming the new one, so a
    notebook written against it keeps running and says what to change."""
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for old, new in renames.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{fn.__name__}() got {old!r} and {new!r}, the old and the new "
                                        f"name of one option; pass {new!r} only")
                    warnings.warn(f"{fn.__name__}({old}=...) is now {fn.__name__}({new}=...); the old "
                                  "name will be removed in the next release", FutureWarning, stacklevel=2)
                    kwargs[new] = kwargs.pop(old)
            return fn(*args, **kwargs)
        return wrapper
    return deco
