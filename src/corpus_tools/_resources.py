"""One loader for the editable tables in ``resources/``.

Every table is UTF-8 plain text a researcher can edit: one entry per line,
``#`` starts a comment, blank lines are ignored, text is NFC-normalised so a
table typed with decomposed diacritics matches the corpus.
"""
from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path
from typing import Iterable, Literal

__all__ = ["RESOURCE_DIR", "resource_path", "resource_files", "read_resource_lines", "files_digest"]

#: The shipped tables (package data, see pyproject.toml).
RESOURCE_DIR = Path(__file__).resolve().parent / "resources"


def resource_path(name: str) -> Path:
    """Path of a shipped table, e.g. ``resource_path("outlets.tsv")``."""
    path = RESOURCE_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"no resource {name!r} in {path.parent}")
    return path


def resource_files(prefix: str, suffix: str = ".txt") -> list[Path]:
    """Shipped tables whose names start with ``prefix`` (sorted by name)."""
    return sorted((p for p in RESOURCE_DIR.iterdir() if p.name.startswith(prefix) and p.name.endswith(suffix)),
                  key=lambda p: p.name)


def read_resource_lines(source: str | Path, *,
                        comments: Literal["inline", "line"] = "inline") -> list[str]:
    """The entries of a table: a shipped name (``"stopwords_general.txt"``) or a path.

    ``comments="inline"`` drops everything after ``#`` and strips the line (word
    lists); ``"line"`` only skips lines that start with ``#`` and keeps the rest
    as written but for the line end (regex and tab-separated tables, where ``#``
    and leading tabs can be content).
    """
    if comments not in ("inline", "line"):
        raise ValueError(f"comments must be one of ('inline', 'line'), got {comments!r}")
    path = Path(source)
    if not path.is_file() and isinstance(source, str) and "/" not in source:
        path = resource_path(source)
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if comments == "inline":
            line = unicodedata.normalize("NFC", raw.split("#", 1)[0]).strip()
        else:
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            line = unicodedata.normalize("NFC", raw)
        if line:
            out.append(line)
    return out


def files_digest(paths: Iterable[Path]) -> str:
    """SHA-1 over the names and bytes of tables: part of pipeline versions."""
    h = hashlib.sha1()
    for p in paths:
        h.update(Path(p).name.encode())
        h.update(Path(p).read_bytes())
    return h.hexdigest()
