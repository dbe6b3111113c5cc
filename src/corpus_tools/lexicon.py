"""The two lexicons of the pipeline (docs/segmentation.md).

* **Words** (``resources/words.txt``): the few words the segmenter must keep as
  one word where underthesea's CRF splits them (compound titles, Party
  committees, a closed list of central organs). They change word boundaries
  only: a word is never rewritten and never crosses punctuation.
* **Terms** (``resources/terms_*.txt``): multiword expressions of the genre
  (``chỉnh đốn Đảng``, ``tự diễn biến, tự chuyển hóa``, organs, slogans) found as
  spans over words by :mod:`corpus_tools.terms`, nested terms kept, spelling
  variants (``a => b``) mapped to one canonical id. Terms never change words.

Both are matched over syllable keys (case- and tone-placement-insensitive); a
comma inside a term is optional, other punctuation is ignored in term matching.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from ._resources import files_digest, read_resource_lines, resource_files
from .syllables import flat_key, is_punct, match_keys, split_syllables, syllable_key

__all__ = ["Lexicon", "canonical_token", "default_lexicon", "load_lexicon", "load_surnames",
           "load_words", "resolve_lexicon"]


def canonical_token(syls: Sequence[str]) -> str:
    """Syllables joined by ``_``; a hyphen joins directly, other punctuation is dropped
    (``chính trị - xã hội`` -> ``chính_trị-xã_hội``, ``phòng, chống`` -> ``phòng_chống``):
    the id of a term, never a word of the text."""
    out = ""
    for s in syls:
        if s in ("-", "–"):
            out += "-"
        elif not is_punct(s):
            out += s if not out or out.endswith("-") else "_" + s
    return out


class Lexicon:
    """Entries matched over syllable keys; each maps to one canonical token.

    ``entries`` maps a key (tuple of syllable keys, punctuation left out) to
    ``(canonical, is_variant)``. Build one with :func:`load_words` or
    :func:`load_lexicon`.
    """

    def __init__(self, entries: dict[tuple[str, ...], tuple[str, bool]], sources: Sequence[str] = (),
                 digest: str = "", kind: str = "terms"):
        self.entries = dict(entries)
        self.sources = list(sources)
        self.digest = digest
        self.kind = kind
        multi = [k for k in self.entries if len(k) > 1]
        self._first2 = {k[:2] for k in multi}
        self._first1 = {k[0] for k in multi}
        self._max_len = max((len(k) for k in multi), default=0)
        # the case policy's lookup: only entries whose canonical form spells the
        # token itself (a case fix, never a rewrite: variants are left out)
        self._flat = {"_".join(k) for k in self.entries}
        self._by_token = {}
        for key, (canon, variant) in self.entries.items():
            fk = "_".join(key)
            if not variant and fk in (flat_key(canon), self._key(canon)):
                self._by_token[flat_key(canon)] = canon

    def __len__(self) -> int:
        return len(self.entries)

    def _key(self, token: str) -> str:
        """The flat key of ``token`` as this kind's entries are keyed."""
        if self.kind == "terms":
            return "_".join(k for p in flat_key(token).split("_") if p for k in match_keys(p))
        return flat_key(token)

    def __contains__(self, term: str) -> bool:
        return self._key(term) in self._flat

    def __repr__(self) -> str:
        return f"Lexicon({self.kind}: {len(self)} entries, digest={self.digest[:10]!r})"

    def canonical(self, token: str) -> str | None:
        """The canonical spelling of a token that is an entry (case only), else None."""
        return self._by_token.get(flat_key(token))

    def matches(self, keys: Sequence[str], start: int) -> list[tuple[int, str, bool]]:
        """Entries whose keys start at ``keys[start]``: (length, canonical, is_variant)."""
        n_keys = len(keys)
        if start + 1 >= n_keys or (keys[start], keys[start + 1]) not in self._first2:
            return []
        found = []
        for n in range(2, min(self._max_len, n_keys - start) + 1):
            hit = self.entries.get(tuple(keys[start:start + n]))
            if hit is not None:
                found.append((n, hit[0], hit[1]))
        return found


def _entry_keys(phrase: str, kind: str = "words") -> list[tuple[str, ...]]:
    """Matching keys of a phrase: its syllable keys without punctuation (a hyphen
    or comma written in a term is optional in the text, as in term matching).
    Terms take the matcher's keys (:func:`~corpus_tools.syllables.match_keys`:
    the i/y rule and dashes too), so the terms layer finds what ``term_counts``
    counts; words keep the segmenter's keys."""
    syl, _ = split_syllables(phrase)
    if kind == "terms":
        return [tuple(k for s in syl if not is_punct(s) for k in match_keys(s))]
    return [tuple(syllable_key(s) for s in syl if not is_punct(s))]


def _user_paths(paths) -> list[Path]:
    if paths is None:
        return []
    if isinstance(paths, (str, Path)):
        return [Path(paths)]
    return [Path(p) for p in paths]


def load_lexicon(paths: str | Path | Iterable[str | Path] | None = None, *,
                 shipped: bool = True) -> Lexicon:
    """The terms: shipped ``resources/terms_*.txt`` plus user files.

    Format: one term per line as written in text, ``#`` comments,
    ``variant => canonical`` for spelling variants (all map to the canonical
    term's id). Later files win on conflicts, so user files can override shipped
    entries. Single-syllable lines only fix case (``Đảng``).
    """
    files = (resource_files("terms_") if shipped else []) + _user_paths(paths)
    return _build(tuple(str(f) for f in files), "terms")


def load_words(paths: str | Path | Iterable[str | Path] | None = None, *,
               shipped: bool = True) -> Lexicon:
    """The words lexicon: shipped ``resources/words.txt`` plus user files (one
    word per line, written with spaces; no variants)."""
    files = (resource_files("words") if shipped else []) + _user_paths(paths)
    return _build(tuple(str(f) for f in files), "words")


@lru_cache(maxsize=16)
def _build(files: tuple[str, ...], kind: str) -> Lexicon:
    entries: dict[tuple[str, ...], tuple[str, bool]] = {}
    for f in files:
        for line in read_resource_lines(Path(f)):
            variant, arrow, canon = line.partition("=>")
            if arrow and kind == "words":
                raise ValueError(f"{f}: words are never rewritten; move {line!r} to a terms file")
            if arrow:
                variant, canon = variant.strip(), canon.strip()
                canon_tok = canonical_token(split_syllables(canon)[0])
                for key in _entry_keys(canon, kind):
                    entries.setdefault(key, (canon_tok, False))
                for key in _entry_keys(variant, kind):
                    entries[key] = (canon_tok, True)
            else:
                syl, _ = split_syllables(line)
                if kind == "words" and any(is_punct(s) for s in syl):
                    raise ValueError(f"{f}: a word has no punctuation inside, got {line!r}")
                for key in _entry_keys(line, kind):
                    entries[key] = (canonical_token(syl), False)
    return Lexicon(entries, sources=files, digest=files_digest(Path(f) for f in files), kind=kind)


@lru_cache(maxsize=2)
def default_lexicon(kind: str) -> Lexicon:
    """The shipped lexicon of one kind (``"words"`` or ``"terms"``), built once."""
    return load_words() if kind == "words" else load_lexicon()


def resolve_lexicon(lexicon, kind: str) -> Lexicon | None:
    """``True`` -> the shipped lexicon of ``kind``; ``False``/``None`` -> none."""
    if lexicon is True:
        return default_lexicon(kind)
    if lexicon is False or lexicon is None:
        return None
    if isinstance(lexicon, Lexicon):
        return lexicon
    raise ValueError(f"lexicon must be True, False or a Lexicon, got {type(lexicon).__name__}")


@lru_cache(maxsize=1)
def load_surnames() -> tuple[frozenset[str], frozenset[str]]:
    """``resources/surnames.txt``: (family names, place names shaped like person
    names from its ``!`` lines, such as ``Hà Nội``)."""
    names, places = set(), set()
    for line in read_resource_lines("surnames.txt"):
        if line.startswith("!"):
            places.add(line[1:].strip())
        else:
            names.update(line.split())
    return frozenset(names), frozenset(places)
