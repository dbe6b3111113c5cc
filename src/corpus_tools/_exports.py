"""Public names of a package's submodules, eager or lazy (one place for the rule)."""
from __future__ import annotations

import ast
import re
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Callable

_ALL_RE = re.compile(r"^__all__\s*=\s*(\[.*?\])", re.S | re.M)


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


def declared_names(package: str, module: str) -> list[str]:
    """The literal ``__all__`` of ``package.module``, read from its source
    without importing it (a test checks it equals the imported ``__all__``)."""
    spec = find_spec(f"{package}.{module}")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"{package}.{module}", name=f"{package}.{module}")
    m = _ALL_RE.search(Path(spec.origin).read_text(encoding="utf-8"))
    if m is None:
        raise ImportError(f"{package}.{module} has no literal __all__ list")
    return list(ast.literal_eval(m.group(1)))


def lazy_reexport(namespace: dict, package: str, modules: list[str],
                  subpackages: tuple[str, ...] = (),
                  helpers: frozenset[str] = frozenset()) -> tuple[list[str], Callable[[str], Any]]:
    """Public names of ``package.<module>`` and a module ``__getattr__``
    (PEP 562) that imports a submodule on first use of one of its names;
    ``subpackages`` (and ``modules``) are also reachable as attributes.

    Importing the package then costs almost nothing: scikit-learn, matplotlib
    and SciPy load only when a name that needs them is used, so the CLI and
    worker processes start fast.
    """
    where: dict[str, str] = {}
    names: list[str] = []
    submodules = {*modules, *subpackages}
    for mod in modules:
        for sym in declared_names(package, mod):
            where.setdefault(sym, mod)
            if sym not in helpers:
                names.append(sym)

    def __getattr__(name: str) -> Any:
        if name in helpers and name in where:
            import warnings
            warnings.warn(f"{package}.{name} is a helper and leaves the top level in the next release: "
                          f"import it from {package}.{where[name]}", FutureWarning, stacklevel=2)
            return getattr(import_module(f".{where[name]}", package), name)
        if name in where:
            value = getattr(import_module(f".{where[name]}", package), name)
        elif name in submodules:  # ``corpus_tools.store`` without importing it first
            value = import_module(f".{name}", package)
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    return names, __getattr__
