"""What was learnt, as comparison keys, and how a line is cut by it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ._units import (
    _INLINE_AFTER,
    _INLINE_BEFORE,
    _at_boundary,
    _pattern,
    _units,
    line_key,
)


@dataclass(frozen=True)
class Furniture:
    """Site furniture learnt by :func:`find_furniture`, as comparison keys.

    ``lines``: whole lines (keyed by :func:`line_key`); ``prefixes``/``suffixes``:
    fragments that open or close a line, ``inline``: recurring segments inside a
    line, all casefolded with digits as ``0`` (``"sho"``, ``"theo ttxvn"``).
    """

    lines: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    inline: tuple[str, ...] = ()
    articles: int = field(default=0, compare=False)  # how many it was learnt from
    _prefix_re: re.Pattern | None = field(default=None, init=False, repr=False, compare=False)
    _suffix_re: re.Pattern | None = field(default=None, init=False, repr=False, compare=False)
    _inline_re: re.Pattern | None = field(default=None, init=False, repr=False, compare=False)
    _longest: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self):
        def alt(keys):
            pats = [_pattern(_units(k)) for k in keys]
            return "|".join(sorted(set(pats), key=len, reverse=True))

        if self.prefixes:
            object.__setattr__(self, "_prefix_re", re.compile(
                rf"\s*(?:{alt(self.prefixes)})(?:\s*[-–—|])?\s*", re.I))
        if self.suffixes:
            object.__setattr__(self, "_suffix_re", re.compile(
                rf"(?:\s*[-–—|]\s*|\s*)(?:{alt(self.suffixes)})\s*$", re.I))
        if self.inline:
            object.__setattr__(self, "_inline_re", re.compile(
                rf"{_INLINE_BEFORE}(?i:{alt(self.inline)}){_INLINE_AFTER}"))
        longest = max((len(k) for k in (*self.prefixes, *self.suffixes)), default=0)
        object.__setattr__(self, "_longest", 2 * longest + 40)  # digits may be longer than 0

    def __bool__(self) -> bool:
        return bool(self.lines or self.prefixes or self.suffixes or self.inline)

    def is_line(self, line: str) -> bool:
        return bool(self.lines) and line_key(line) in self.lines

    def split(self, line: str) -> tuple[str, str, str]:
        """``(prefix, rest, suffix)`` of a line with the edge fragments cut off,
        again and again while one is left: a credit written twice
        (``Nguồn: X Nguồn: X``) or two fragments stacked (``SHO - Bạn đã lưu ...``)."""
        prefix = suffix = ""
        while self._prefix_re is not None:
            m = self._prefix_re.match(line, 0, min(len(line), self._longest))
            if not (m and m.end() and m.end() < len(line) and _at_boundary(line, m.end())):
                break
            prefix, line = prefix + line[: m.end()], line[m.end():]
        while self._suffix_re is not None:
            cut = max(0, len(line) - self._longest)
            m = self._suffix_re.search(line, cut)
            if not (m and m.start() > 0 and m.start() < len(line)
                    and _at_boundary(line, m.start() + len(m.group()) - len(m.group().lstrip()))):
                break
            suffix, line = line[m.start():] + suffix, line[: m.start()]
        return prefix, line, suffix

    def split_inline(self, line: str) -> tuple[str, list[str]]:
        """``(line without the inline blocks, [removed blocks])``."""
        if self._inline_re is None or len(line) < 8:
            return line, []
        removed = [m.group() for m in self._inline_re.finditer(line)]
        if not removed:
            return line, []
        rest = " ".join(self._inline_re.sub(" ", line).split())
        if not rest:
            return line, []
        return rest, [r.strip() for r in removed]

    def describe(self) -> dict[str, list[str]]:
        """The learnt keys by kind, sorted (for reports)."""
        return {"articles": self.articles, "lines": sorted(self.lines), "prefixes": list(self.prefixes),
                "suffixes": list(self.suffixes), "inline": list(self.inline)}
