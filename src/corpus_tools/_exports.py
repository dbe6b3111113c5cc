"""Re-export each submodule's ``__all__`` from its package (one place for the rule)."""
from __future__ import annotations

from importlib import import_module


def reexport(namespace: dict, package: str, modules: list[str]) -> list[str]:
    """Copy the public names of ``package.<module>`` into ``namespace``.

    A module not written (yet) is skipped; an import error inside one is raised.
    Returns the names added, in order.
    """
    added: list[str] = []
    for name in modules:
        try:
            mod = import_module(f".{name}", package)
        except ModuleNotFoundError as exc:
            if exc.name != f"{package}.{name}":
                raise
            continue
        for sym in getattr(mod, "__all__", []):
            namespace[sym] = getattr(mod, sym)
            added.append(sym)
    return added
