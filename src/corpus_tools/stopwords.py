"""Stopwords: the shipped lists and the one rule every entry point uses to read a
``stopwords=`` argument.

The rule (the same for ``tokenize``, ``Corpus.frame``/``dtm``, ``term_keyness``,
``term_collocations`` and the topic vocabulary):

- ``None``: no stopwords;
- a string: the name of a shipped list, one of :data:`STOPWORD_LISTS`
  (an unknown name is an error, never a one-word list);
- any other iterable: each element that is a list name stands for that list,
  every other element is a word (spaces may stand for ``_``). So
  ``("general", "domain")`` is two lists, ``["general", "đồng_chí"]`` a list
  plus a word, ``{"đồng chí"}`` one word. The names are English words that no
  Vietnamese token equals, so nothing is lost by reading them as names.

Words are compared lowercase, as the case policy of ``tokens.normalize_token``
leaves names capitalised and everything else lowercase.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Literal, Union

from ._resources import read_resource_lines, resource_path

__all__ = ["STOPWORD_LISTS", "StopwordList", "load_stopwords", "resolve_stopwords",
           "resolve_stopword_lists"]

#: Names of the shipped lists: ``general`` (function words), ``domain`` (report
#: filler), ``time`` (time words), ``all`` (general + domain; time words stay an
#: explicit choice).
STOPWORD_LISTS = ("general", "domain", "time", "all")
StopwordList = Literal["general", "domain", "time", "all"]
Stopwords = Union[None, str, Iterable[str]]
_ALL = ("general", "domain")


def _check_name(name: str) -> None:
    if name not in STOPWORD_LISTS:
        raise ValueError(f"unknown stopword list {name!r}; valid lists: {', '.join(STOPWORD_LISTS)} "
                         "(pass a list or set of words for your own stopwords)")


def _word(w) -> str:
    return str(w).replace(" ", "_").lower()


@lru_cache(maxsize=8)
def load_stopwords(name: StopwordList = "general") -> frozenset[str]:
    """One shipped list (see :data:`STOPWORD_LISTS`): lowercase words, syllables
    joined by ``_``, from the editable ``resources/stopwords_<name>.txt``."""
    _check_name(name)
    words: set[str] = set()
    for kind in (_ALL if name == "all" else (name,)):
        words.update(_word(w) for w in read_resource_lines(resource_path(f"stopwords_{kind}.txt")))
    return frozenset(words)


def resolve_stopword_lists(stopwords: Stopwords) -> dict[str, frozenset[str]]:
    """``stopwords`` by source: ``{"general": ..., "domain": ..., "user": ...}``
    (``all`` expands to general and domain), for callers that report why a
    word was dropped. Follows the module's rule."""
    if stopwords is None:
        return {}
    if isinstance(stopwords, str):
        _check_name(stopwords)
        items: list = [stopwords]
    else:
        items = list(stopwords)
    out: dict[str, frozenset[str]] = {}
    user: set[str] = set()
    for item in items:
        if isinstance(item, str) and item in STOPWORD_LISTS:
            for kind in (_ALL if item == "all" else (item,)):
                out.setdefault(kind, load_stopwords(kind))
        else:
            user.add(_word(item))
    if user:
        out["user"] = frozenset(user)
    return out


def resolve_stopwords(stopwords: Stopwords) -> frozenset[str]:
    """The set of words ``stopwords`` stands for, by the module's rule."""
    lists = resolve_stopword_lists(stopwords)
    if len(lists) == 1:
        return next(iter(lists.values()))
    return frozenset().union(*lists.values())
