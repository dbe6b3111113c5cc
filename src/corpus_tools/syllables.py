"""Syllables of Vietnamese text as the segmenter sees them, with Party and state
document codes (``35-CT/TW``, ``15/2020/NĐ-CP``) kept as one syllable, and the
character-level keys that lexicon matching uses (case- and tone-placement-insensitive).

Written here: underthesea's regex tokenizer splits codes at ``/`` and ``-``, and
knows nothing of old-style tone placement (``uỷ`` / ``ủy``) in lexicon keys.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["CODE_RE", "syllable_pattern", "canonical_code", "flat_key", "has_tone", "is_code",
           "is_number", "is_punct", "match_keys", "normalize_chars", "split_syllables", "split_syllables_keyed",
           "syllable_flags", "syllable_flags_of", "syllable_key", "syllable_keys"]

# --------------------------------------------------------------------------- #
# Document codes                                                               #
# --------------------------------------------------------------------------- #
# Party documents: number-TYPE/ISSUER, e.g. 35-CT/TW, 55-QĐ/TƯ, 01-CTr/TU,
# 26-HD/BTCTW, 102-QĐ/TW. Spaced forms ("35 - CT / TW", pre-tokenised corpora)
# are accepted only for the genre's known TYPE abbreviations.
_DOC_TYPES = (
    "CT|CTr|QĐ|QĐi|QyĐ|QC|HD|NQ|KL|TB|BC|KH|TTr|CV|ĐA|TT|CTHĐ|HĐ|PC|DA|BB|TC"
)
_UP = "A-ZĐÐƯƠÂĂÊÔ"
_CODE_PARTY = (
    rf"\d{{1,4}}-[{_UP}][{_UP}a-zđðươâăêô]{{0,4}}/[{_UP}][{_UP}a-zđðươâăêô0-9]{{0,11}}"
    rf"|\d{{1,4}}[ ]-[ ]?(?:{_DOC_TYPES})[ ]?/[ ]?[{_UP}][{_UP}0-9]{{0,11}}(?![\w])"
)
# State documents: 15/2020/NĐ-CP, 1234/QĐ-UBND, 12/CT-TTg, 20/2023/QH15.
_CODE_STATE = (
    rf"\d{{1,5}}(?:/\d{{4}})?/[{_UP}][{_UP}a-zđð]{{0,5}}-[{_UP}][{_UP}a-zđð0-9]{{0,10}}"
    rf"(?:-[{_UP}][{_UP}a-zđð0-9]{{0,10}})*"
    rf"|\d{{1,5}}/\d{{4}}/[{_UP}]{{2,}}\d{{0,3}}"
    rf"|\d{{1,5}}(?:[ ]?/[ ]?\d{{4}})?[ ]?/[ ]?(?:{_DOC_TYPES}|NĐ|CĐ|TTLT|QH)[ ]?-[ ]?"
    rf"[{_UP}][{_UP}a-zđð0-9]{{0,10}}(?![\w])"
)
_CODE = rf"(?:{_CODE_STATE}|{_CODE_PARTY})(?![\w/-])"
CODE_RE = re.compile(_CODE)
_CODE_FULL_RE = re.compile(rf"^(?:{_CODE})$")

_GROUP0 = re.Match.group


@lru_cache(maxsize=1)
def _underthesea():
    """underthesea's character normaliser, token map and tokenizer regexes, loaded on
    first use (not at import: the keys below, and the store reader, need none of it).
    The code pattern is given first priority; VERBOSE is needed by underthesea's url
    pattern, and the code pattern writes spaces as "[ ]" so VERBOSE leaves them alone."""
    from underthesea.pipeline.text_normalize.character_normalize import normalize_characters_in_text
    from underthesea.pipeline.text_normalize.text_normalizer import token_map
    from underthesea.pipeline.word_tokenize import regex_tokenize
    pats = list(regex_tokenize.regex_patterns)
    with_codes = re.compile("|".join([f"(?P<doccode>{_CODE})"] + pats), re.VERBOSE | re.UNICODE)
    plain = re.compile("|".join(pats), re.VERBOSE | re.UNICODE)
    return normalize_characters_in_text, token_map, with_codes, plain


def canonical_code(code: str) -> str:
    """``05 - CT / TƯ`` -> ``05-CT/TW``; Icelandic Ð -> Vietnamese Đ."""
    code = re.sub(r"\s+", "", code).replace("Ð", "Đ").replace("ð", "đ")
    head, sep, issuer = code.rpartition("/")
    issuer = issuer.replace("T.Ư", "TW").replace("TƯ", "TW")
    return f"{head}{sep}{issuer}"


def syllable_pattern() -> str:
    """The syllable regex (codes first, then underthesea's own patterns): hashed into
    the pipeline version."""
    return _underthesea()[2].pattern


def is_code(tok: str) -> bool:
    """True for a whole Party or state document code (``35-CT/TW``, ``35 - CT / TƯ``)."""
    return bool(_CODE_FULL_RE.match(tok))


def normalize_chars(text: str) -> str:
    """NFC and ``Ð`` -> ``Đ``, as underthesea's ``word_tokenize`` does before tokenizing."""
    return _underthesea()[0](text)


# --------------------------------------------------------------------------- #
# Character level helpers                                                      #
# --------------------------------------------------------------------------- #
# Old-style tone placement (hoà, uỷ) -> new style (hòa, ủy), for lexicon keys only;
# underthesea's token map covers common syllables but not capitals like "Uỷ".
_OLD_TONE = {
    pair[0] + old: new + pair[1]
    for pair, olds, news in (("oa", "àáảãạ", "òóỏõọ"), ("oe", "èéẻẽẹ", "òóỏõọ"),
                             ("uy", "ỳýỷỹỵ", "ùúủũụ"))
    for old, new in zip(olds, news)
}
_OLD_TONE_RE = re.compile("(?<!q)(" + "|".join(_OLD_TONE) + r")(?!\w)")

_PUNCT_RE = re.compile(r"^[^\w]+$")
_NUMBER_RE = re.compile(r"^[+\-–]?\d[\d.,/:%\-–]*[%]?$|^\d+(?:st|nd|rd|th)?$")
_ROMAN_RE = re.compile(r"^(?=[IVXL])L?X{0,3}(?:IX|IV|V?I{0,3})$")
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def has_tone(ch: str) -> bool:
    """True if the character carries a Vietnamese tone mark."""
    return any(c in _TONE_MARKS for c in unicodedata.normalize("NFD", ch))


_KEY_CACHE: dict[str, str] = {}


def syllable_key(syllable: str) -> str:
    """Matching key of one syllable: lowercase, NFC, new-style tone placement."""
    k = _KEY_CACHE.get(syllable)
    if k is None:
        k = syllable.lower()
        if not k.isascii():
            k = _OLD_TONE_RE.sub(lambda m: _OLD_TONE[m.group(1)], k)
        if len(_KEY_CACHE) > 500_000:  # numbers and names keep coming: stay bounded
            _KEY_CACHE.clear()
        _KEY_CACHE[syllable] = k
    return k


# The matcher's spelling rule (counts and concordances, :mod:`corpus_tools.index`):
# a final "y" after a consonant onset is the vowel "i" written long (kỷ/kỉ, lý/lí,
# mỹ/mĩ, sỹ/sĩ, quy/qui): both spellings are in use for the same syllable (the
# "i ngắn, y dài" question of the 1984 orthography rules), so they match as one.
# "y" after a vowel (tuy, thủy, ấy) or alone (ý, y tế) is left as it is.
_Y_FINAL_RE = re.compile(r"^(b|ch|c|d|đ|gh|g|h|kh|k|l|m|ngh|ng|nh|n|ph|p|qu|r|s|th|tr|t|v|x)([yỳýỷỹỵ])$")
_Y_TO_I = dict(zip("yỳýỷỹỵ", "iìíỉĩị"))
# Dashes that join the parts of a compound (kinh tế-xã hội, kinh tế – xã hội)
_DASHES_RE = re.compile(r"[-\u2010-\u2015\u2212]+")
_MATCH_CACHE: dict[str, tuple[str, ...]] = {}


def match_keys(token: str) -> tuple[str, ...]:
    """The syllable keys by which counts and concordances match a word: its
    syllables (split at ``_`` and at dashes, so ``tế-xã`` is ``tế`` + ``xã``), each
    :func:`syllable_key` with the i/y rule above (``kỉ`` = ``kỷ``). Punctuation
    alone gives no key."""
    k = _MATCH_CACHE.get(token)
    if k is None and is_code(token):
        k = _MATCH_CACHE[token] = (canonical_code(token).lower(),)  # a document code is one unit
    if k is None:
        parts = [p for p in _DASHES_RE.split(token.replace("_", "-")) if p and not is_punct(p)]
        if not parts and token and not is_punct(token):
            parts = [token]
        keys = []
        for p in parts:
            key = syllable_key(p)
            m = _Y_FINAL_RE.match(key)
            keys.append(m.group(1) + _Y_TO_I[m.group(2)] if m else key)
        k = tuple(keys)
        if len(_MATCH_CACHE) > 500_000:
            _MATCH_CACHE.clear()
        _MATCH_CACHE[token] = k
    return k


def syllable_keys(syls) -> list[str]:
    """:func:`syllable_key` of each syllable (the cache read inline: this runs on
    every syllable of a corpus)."""
    kc = _KEY_CACHE
    return [kc.get(t) or syllable_key(t) for t in syls]


def is_punct(tok: str) -> bool:
    """True for tokens made only of punctuation or symbols (``,`` ``“`` ``...`` ``-``)."""
    if tok.isalnum():  # the common case, without a regex
        return False
    return bool(_PUNCT_RE.match(tok)) and "_" not in tok


def is_number(tok: str) -> bool:
    """True for numbers as the genre writes them (``2019``, ``97,8``, ``14/11``) and Roman numerals (``XIII``)."""
    return bool(_NUMBER_RE.match(tok)) or bool(_ROMAN_RE.match(tok))


# What the words layer (:mod:`corpus_tools.tokens`) asks of a syllable, as bits: it runs on every
# syllable of a corpus, and a syllable repeats, so a cached integer replaces the string tests.
PUNCT, CAPITAL, LOWER, NUMERIC, ROMAN, DIGIT0 = 1, 2, 4, 8, 16, 32
_FLAGS: dict[str, int] = {}


def syllable_flags(s: str) -> int:
    """Bits of a syllable: punctuation, starts with a capital, starts lowercase, a number
    starting with a digit, a Roman numeral, starts with a digit."""
    f = _FLAGS.get(s)
    if f is None:
        f = (PUNCT * is_punct(s) | CAPITAL * s[:1].isupper() | LOWER * s[:1].islower()
             | NUMERIC * (s[:1].isdigit() and is_number(s))
             | ROMAN * (s[:1] in ("I", "V", "X", "L") and is_number(s) and not s.isdigit())
             | DIGIT0 * s[:1].isdigit())
        if len(_FLAGS) > 500_000:  # numbers and names keep coming: stay bounded
            _FLAGS.clear()
        _FLAGS[s] = f
    return f


def syllable_flags_of(syls) -> list[int]:
    """:func:`syllable_flags` of each syllable."""
    get = _FLAGS.get
    fl = [get(t, -1) for t in syls]
    if -1 in fl:
        fl = [f if f >= 0 else syllable_flags(t) for f, t in zip(fl, syls)]
    return fl


# Tokens of each whitespace-separated chunk, by chunk (with a trailing space when one follows
# it in its sentence). Why this equals running underthesea's regex over the whole sentence:
# none of its patterns matches whitespace, so no token crosses a chunk's edge; its context
# tests see the same thing either side of an edge: before a chunk, whitespace or the start
# (``(?<!@)``, ``(?<=\b)``: true both ways); after it, the space we keep (``(?!$)``,
# ``(?=\s)``, ``(?!@)``, ``\b``: none looks further) or, for the last chunk, the sentence's
# own trailing whitespace (``$`` also holds before a final newline). Words repeat, so a sentence
# costs a dictionary lookup per chunk instead of the regex's alternatives at every character.
_Chunk = tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]]  # tokens, their keys, their flags
_CHUNK_TOKENS: dict[str, _Chunk] = {}   # a sentence's last chunk, with its trailing whitespace
_CHUNK_MID: dict[str, _Chunk] = {}      # any other chunk (a space follows it): keyed without it
_CHUNK_CACHE_MAX = 100_000  # about 30 MB a process each


def _chunk(key: str, tmap: dict, plain: re.Pattern) -> _Chunk:
    toks = tuple(tmap.get(t, t) if len(t) <= 6 else t for t in map(_GROUP0, plain.finditer(key)))
    return toks, tuple(syllable_keys(toks)), tuple(syllable_flags_of(toks))


def clear_caches() -> None:
    """Forget every cached chunk, syllable key and flag (benchmarks start cold with this)."""
    for cache in (_CHUNK_TOKENS, _CHUNK_MID, _KEY_CACHE, _MATCH_CACHE, _FLAGS):
        cache.clear()


def _plain_chunks(text: str, tmap: dict, plain: re.Pattern) -> list[_Chunk]:
    chunks = text.split()
    if not chunks:
        return []
    get = _CHUNK_MID.get
    got = [get(c) for c in chunks[:-1]]
    if None in got:
        for i, entry in enumerate(got):
            if entry is None:
                c = chunks[i]
                entry = got[i] = _CHUNK_MID.get(c) or _chunk(c + " ", tmap, plain)
                if len(_CHUNK_MID) >= _CHUNK_CACHE_MAX:
                    _CHUNK_MID.clear()
                _CHUNK_MID[c] = entry
    # the last chunk keeps the sentence's own trailing whitespace: "$" also matches before a
    # final "\n" ("TP.\n" is "TP", "."), not before a final " " ("TP. " is "TP.")
    key = chunks[-1] + text[len(text.rstrip()):]
    last = _CHUNK_TOKENS.get(key)
    if last is None:
        last = _chunk(key, tmap, plain)
        if len(_CHUNK_TOKENS) >= _CHUNK_CACHE_MAX:
            _CHUNK_TOKENS.clear()
        _CHUNK_TOKENS[key] = last
    got.append(last)
    return got


def _plain_tokens(text: str, tmap: dict, plain: re.Pattern) -> list[str]:
    return [t for entry in _plain_chunks(text, tmap, plain) for t in entry[0]]


def split_syllables(sentence: str) -> tuple[list[str], list[bool] | None]:
    """underthesea's regex tokenisation (same output as its ``tokenize``) plus codes.

    Returns the syllable tokens and, if the sentence has document codes, a flag
    per token marking them (None otherwise: the common case stays fast).
    """
    return split_syllables_keyed(sentence)[:2]


def split_syllables_keyed(sentence: str) -> tuple[list[str], list[bool] | None, list[str], list[int]]:
    """:func:`split_syllables`, with each syllable's :func:`syllable_key` and
    :func:`syllable_flags` (the words layer needs both; they are cached by chunk)."""
    char_normalize, tmap, with_codes, plain = _underthesea()
    text = char_normalize(sentence)  # NFC + Ð -> Đ, as word_tokenize does
    if "/" not in text or CODE_RE.search(text) is None:  # every code holds a "/"
        got = _plain_chunks(text, tmap, plain)
        return ([t for e in got for t in e[0]], None, [k for e in got for k in e[1]],
                [f for e in got for f in e[2]])
    toks: list[str] = []
    codes: list[bool] = []
    for m in with_codes.finditer(text):
        tok = m.group()
        if m.lastgroup == "doccode":
            toks.append(re.sub(r"\s+", "", tok))  # as written, spaces dropped: canonical_code is the norm
            codes.append(True)
        else:
            toks.append(tmap.get(tok, tok) if len(tok) <= 6 else tok)
            codes.append(False)
    return toks, codes, syllable_keys(toks), syllable_flags_of(toks)


def flat_key(s: str) -> str:
    """Case-, tone-placement- and punctuation-insensitive key of a token or phrase."""
    return "_".join(syllable_key(p) for p in _FLAT_SPLIT.split(s) if p)


_FLAT_SPLIT = re.compile(r"[\W_]+")
