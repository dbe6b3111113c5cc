"""Concept families: groups of phrases that name one idea of the genre
(anti-corruption, ideological degradation, digital transformation, ...), read from
the editable ``resources/concepts.txt``; ``term_rates`` and the topic seeds use them."""
from __future__ import annotations

import re
from pathlib import Path

from ._resources import read_resource_lines, resource_path

__all__ = ["load_concepts", "load_concept_labels"]

_CONCEPT_HEADER = re.compile(r"^\[(?P<id>[\w-]+)\]\s*(?:label:\s*(?P<label>.*))?$")


def _parse_concepts(path: str | Path | None) -> tuple[dict[str, list[str]], dict[str, str]]:
    path = resource_path("concepts.txt") if path is None else Path(path)
    families: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    current = None
    for line in read_resource_lines(path):
        m = _CONCEPT_HEADER.match(line)
        if m:
            current = m.group("id")
            families.setdefault(current, [])
            labels[current] = (m.group("label") or current).strip()
        elif current is None:
            raise ValueError(f"{path}: term {line!r} before any [family] header")
        elif line not in families[current]:
            families[current].append(line)
    return families, labels


def load_concepts(path: str | Path | None = None) -> dict[str, list[str]]:
    """Concept families: family id -> term phrases as written in text.

    Format of ``resources/concepts.txt``: ``[family_id] label: Human label`` then
    one term per line. Turn a term into a token phrase with ``query_tokens``.
    """
    return _parse_concepts(path)[0]


def load_concept_labels(path: str | Path | None = None) -> dict[str, str]:
    """Concept families: family id -> human-readable label (for plots and tables)."""
    return _parse_concepts(path)[1]
