"""Sentence splitting, word segmentation and token normalisation for Vietnamese reports.

Pipeline (``tokenize``): clean -> paragraphs (``\\n``) -> sentences
(``underthesea.sent_tokenize``) -> syllables (underthesea's own regex tokenizer,
with Party/state document codes such as ``35-CT/TW`` protected as one syllable)
-> underthesea's CRF word segmenter (one call per text, as ``word_tokenize(text)``;
every sentence starts a new word) -> domain lexicon merged over the CRF output
-> case policy (``normalize_token``) -> filters (punctuation, stopwords, numbers,
time words).

Why the lexicon is merged after the CRF rather than passed as ``fixed_words``:
``word_tokenize(fixed_words=...)`` rebuilds its master regex on every call, leaks
that regex into later calls without ``fixed_words`` (module global), does not
escape regex metacharacters, matches case-sensitively, and the CRF may still glue
the fixed chunk to a neighbour. Here the CRF runs on exactly the syllables bare
``word_tokenize`` sees, and lexicon spans (longest match, case- and
tone-placement-insensitive) override its B/I tags, at the cost of one dict lookup
per syllable.

Case policy (``normalize_token``), in order:

1. document codes and lexicon entries take their canonical form
   (``bộ_chính_trị`` -> ``Bộ_Chính_trị``, ``Chuyển_đổi_số`` -> ``chuyển_đổi_số``);
2. acronyms (capitals, Latin letters, Đ, digits: ``TP``, ``HĐND``) stay; all-capital
   words with toned vowels are headline shouting (``CHỈ_ĐẠO``): lowercased;
3. a multi-syllable word with two or more capitalised syllables is a proper name
   or an official name (``Hà_Nội``, ``Ngô_Thị_Thanh_Hằng``, ``Ban_Chấp_hành``) and
   stays; with one capital only (``Tập_trung``, ``Thành_ủy`` in any position) it
   is lowercased, so the sentence position never splits a word in two;
4. a capitalised single syllable stays inside a sentence (``Mỹ``, ``Khối``); at the
   start of one it is lowercased unless the lexicon lists it capitalised (``Đảng``);
5. everything else is lowercased.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import underthesea
from underthesea import sent_tokenize as _sent_tokenize
from underthesea.pipeline.text_normalize.character_normalize import (
    normalize_characters_in_text as _ut_char_normalize,
)
from underthesea.pipeline.text_normalize.text_normalizer import token_map as _UT_TOKEN_MAP
from underthesea.pipeline.word_tokenize import regex_tokenize as _ut_regex

from ._resources import files_digest, read_resource_lines, resource_files
from .stopwords import Stopwords, load_stopwords, resolve_stopwords

__all__ = [
    "Lexicon",
    "PIPELINE_VERSION",
    "is_number",
    "is_punct",
    "load_lexicon",
    "normalize_token",
    "query_tokens",
    "segment",
    "tokenize",
    "tokens_from_segments",
]

# Bump when the code changes segmentation or the case policy (the resources and the
# regexes are hashed into PIPELINE_VERSION automatically).
_TOKENS_VERSION = "3"

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
_CODE_RE = re.compile(_CODE)
_CODE_FULL_RE = re.compile(rf"^(?:{_CODE})$")

# underthesea's own tokenizer regex, with the code pattern given first priority.
# VERBOSE is needed by underthesea's url pattern; the code pattern writes spaces
# as "[ ]" so VERBOSE leaves them alone.
_SYLLABLE_RE = re.compile(
    "|".join([f"(?P<doccode>{_CODE})"] + list(_ut_regex.regex_patterns)),
    re.VERBOSE | re.UNICODE,
)
_UT_RE = re.compile("|".join(_ut_regex.regex_patterns), re.VERBOSE | re.UNICODE)
_GROUP0 = re.Match.group


def _canonical_code(code: str) -> str:
    """``05 - CT / TƯ`` -> ``05-CT/TW``; Icelandic Ð -> Vietnamese Đ."""
    code = re.sub(r"\s+", "", code).replace("Ð", "Đ").replace("ð", "đ")
    head, sep, issuer = code.rpartition("/")
    issuer = issuer.replace("T.Ư", "TW").replace("TƯ", "TW")
    return f"{head}{sep}{issuer}"


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


def _has_tone(ch: str) -> bool:
    return any(c in _TONE_MARKS for c in unicodedata.normalize("NFD", ch))


_KEY_CACHE: dict[str, str] = {}


def _key(syllable: str) -> str:
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


def is_punct(tok: str) -> bool:
    """True for tokens made only of punctuation or symbols (``,`` ``“`` ``...`` ``-``)."""
    return bool(_PUNCT_RE.match(tok)) and "_" not in tok


def is_number(tok: str) -> bool:
    """True for numbers as the genre writes them (``2019``, ``97,8``, ``14/11``) and Roman numerals (``XIII``)."""
    return bool(_NUMBER_RE.match(tok)) or bool(_ROMAN_RE.match(tok))


def _syllables(sentence: str) -> tuple[list[str], list[bool] | None]:
    """underthesea's regex tokenisation (same output as its ``tokenize``) plus codes.

    Returns the syllable tokens and, if the sentence has document codes, a flag
    per token marking them (None otherwise: the common case stays fast).
    """
    text = _ut_char_normalize(sentence)  # NFC + Ð -> Đ, as word_tokenize does
    tmap = _UT_TOKEN_MAP
    if _CODE_RE.search(text) is None:
        return [tmap.get(t, t) if len(t) <= 6 else t
                for t in map(_GROUP0, _UT_RE.finditer(text))], None
    toks: list[str] = []
    codes: list[bool] = []
    for m in _SYLLABLE_RE.finditer(text):
        tok = m.group()
        if m.lastgroup == "doccode":
            toks.append(_canonical_code(tok))
            codes.append(True)
        else:
            toks.append(tmap.get(tok, tok) if len(tok) <= 6 else tok)
            codes.append(False)
    return toks, codes


# --------------------------------------------------------------------------- #
# Lexicon                                                                      #
# --------------------------------------------------------------------------- #
class Lexicon:
    """Multiword terms matched over syllables; each maps to one canonical token.

    Build it with :func:`load_lexicon`. ``entries`` maps a key (tuple of syllable
    keys) to ``(canonical_token, is_variant)``; variants (``a => b`` lines) are
    written in their canonical form by :func:`segment`, other matches keep the
    text's own case.
    """

    def __init__(self, entries: dict[tuple[str, ...], tuple[str, bool]], sources: Sequence[str] = (),
                 digest: str = ""):
        self.entries = dict(entries)
        self.sources = list(sources)
        self.digest = digest
        # single-syllable entries only fix case (normalize_token), never segmentation
        multi = [k for k in self.entries if len(k) > 1]
        self._first2 = {k[:2] for k in multi}
        self._max_len = max((len(k) for k in multi), default=0)
        # canonical lookup for normalize_token: flat key of the token -> canonical
        self._by_token = {_flat(" ".join(key)): canon for key, (canon, _) in self.entries.items()}

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, term: str) -> bool:
        return self.canonical(term) is not None

    def __repr__(self) -> str:
        return f"Lexicon({len(self)} terms, digest={self.digest[:10]!r})"

    def canonical(self, token: str) -> str | None:
        """Canonical form of a token or phrase if it is a lexicon term, else None."""
        return self._by_token.get(_flat(token))

    def matches(self, syl_keys: Sequence[str], start: int, syl: Sequence[str],
                tags: Sequence[str] | None = None) -> list[tuple[int, str, bool]]:
        """All terms starting at ``start``: (length, canonical, is_variant).

        With the CRF ``tags``, a match is refused when the CRF joins the next
        syllable to the term and that syllable is lowercase: "xây dựng Đảng bộ" is
        "xây_dựng Đảng_bộ", not "xây_dựng_Đảng bộ". A capitalised continuation is
        cut ("Trưởng_Ban Tổ_chức" -> "Trưởng", "Ban_Tổ_chức_Trung_ương").
        """
        n_syl = len(syl_keys)
        if start + 1 >= n_syl or (syl_keys[start], syl_keys[start + 1]) not in self._first2:
            return []
        found = []
        for n in range(2, min(self._max_len, n_syl - start) + 1):
            hit = self.entries.get(tuple(syl_keys[start:start + n]))
            if hit is None:
                continue
            end = start + n
            if (tags is not None and end < n_syl and tags[end] == "I-W"
                    and syl[end][:1].islower()):
                continue
            found.append((n, hit[0], hit[1]))
        return found


def _best_cover(n: int, cands: dict[int, list[tuple[int, str, bool]]]) -> dict[int, tuple[int, str, bool]]:
    """Non-overlapping lexicon matches covering the most syllables, then the fewest
    spans (longer terms), then leftmost: "Trưởng Ban Tổ chức Trung ương" ->
    "Trưởng" + "Ban_Tổ_chức_Trung_ương" rather than "Trưởng_ban" + ..."""
    # best[i] = (covered, -spans) for the suffix starting at i
    best = [(0, 0)] * (n + 1)
    choice: list[tuple[int, str, bool] | None] = [None] * (n + 1)
    for i in range(n - 1, -1, -1):
        best[i], choice[i] = best[i + 1], None
        for c in cands.get(i, ()):
            cov, neg = best[i + c[0]]
            score = (cov + c[0], neg - 1)
            if score >= best[i]:
                best[i], choice[i] = score, c
    out = {}
    i = 0
    while i < n:
        c = choice[i]
        if c is None:
            i += 1
        else:
            out[i] = c
            i += c[0]
    return out


def _canonical_token(syls: Sequence[str]) -> str:
    """Syllables joined by ``_``; a hyphen joins directly, other punctuation is dropped
    (``chính trị - xã hội`` -> ``chính_trị-xã_hội``, ``phòng, chống`` -> ``phòng_chống``)."""
    out = ""
    for s in syls:
        if s in ("-", "–"):
            out += "-"
        elif not is_punct(s):
            out += s if not out or out.endswith("-") else "_" + s
    return out


def _flat(s: str) -> str:
    """Case-, tone-placement- and punctuation-insensitive key of a token or phrase."""
    return "_".join(_key(p) for p in _FLAT_SPLIT.split(s) if p)


_FLAT_SPLIT = re.compile(r"[\W_]+")


def _term_keys(term: str) -> list[tuple[str, ...]]:
    """Matching keys of a term; a comma inside a term is optional."""
    syl, _ = _syllables(term)
    key = tuple(_key(s) for s in syl)
    keys = [key]
    if "," in key:
        keys.append(tuple(k for k in key if k != ","))
    return keys


def load_lexicon(paths: str | Path | Iterable[str | Path] | None = None, *,
                 shipped: bool = True) -> Lexicon:
    """Load the shipped ``resources/lexicon_*.txt`` files plus user files.

    Format: one term per line as written in text, ``#`` comments,
    ``variant => canonical`` for spelling variants. Later files win on conflicts,
    so user files can override shipped entries.
    """
    if paths is None:
        user: list[Path] = []
    elif isinstance(paths, (str, Path)):
        user = [Path(paths)]
    else:
        user = [Path(p) for p in paths]
    files = (resource_files("lexicon_") if shipped else []) + user
    return _build_lexicon(tuple(str(f) for f in files))


@lru_cache(maxsize=8)
def _build_lexicon(files: tuple[str, ...]) -> Lexicon:
    entries: dict[tuple[str, ...], tuple[str, bool]] = {}
    for f in files:
        for line in read_resource_lines(Path(f)):
            variant, arrow, canon = line.partition("=>")
            if arrow:
                variant, canon = variant.strip(), canon.strip()
                canon_syl, _ = _syllables(canon)
                canon_tok = _canonical_token(canon_syl)
                for key in _term_keys(canon):
                    entries.setdefault(key, (canon_tok, False))
                for key in _term_keys(variant):
                    entries[key] = (canon_tok, True)
            else:
                syl, _ = _syllables(line)
                tok = _canonical_token(syl)
                for key in _term_keys(line):
                    entries[key] = (tok, False)
    return Lexicon(entries, sources=files, digest=files_digest(Path(f) for f in files))


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    return load_lexicon()


def _resolve_lexicon(lexicon: bool | Lexicon | None) -> Lexicon | None:
    if lexicon is True:
        return _default_lexicon()
    if lexicon is False or lexicon is None:
        return None
    if isinstance(lexicon, Lexicon):
        return lexicon
    raise ValueError(f"lexicon must be True, False or a Lexicon, got {type(lexicon).__name__}")


# --------------------------------------------------------------------------- #
# Segmentation                                                                 #
# --------------------------------------------------------------------------- #
_CRF = None


def _crf():
    """underthesea's word segmentation CRF, loaded once per process."""
    global _CRF
    if _CRF is None:
        from underthesea.pipeline import word_tokenize as _wt

        _wt.word_tokenize("khởi động")  # loads the model shipped in the wheel
        _CRF = _wt.word_tokenize_model
    return _CRF


def _roman_after_word(syllable: str, prev: str) -> bool:
    """A Roman numeral after a lowercase syllable starts its own token, even when the
    CRF joins them: "khóa XII", "lần thứ XIII" stay apart."""
    return syllable[0] in "IVXL" and bool(_ROMAN_RE.match(syllable)) and prev[:1].islower()


def _assemble(syl: list[str], codes: list[bool] | None, tags: Sequence[str],
              lex: Lexicon | None) -> list[str]:
    """Words of one sentence from its syllables and CRF tags, with codes and lexicon
    terms forced to single tokens."""
    n = len(syl)
    # forced spans: document codes and lexicon terms; value = (end, canonical|None)
    forced: dict[int, tuple[int, str | None]] = {}
    if codes is not None:
        for i, c in enumerate(codes):
            if c:
                forced[i] = (i + 1, syl[i])
    if lex is not None and lex._first2:
        kc = _KEY_CACHE
        keys = [kc.get(t) or _key(t) for t in syl]
        first2 = lex._first2
        starts = [i for i, pair in enumerate(zip(keys, keys[1:])) if pair in first2]
        if starts:
            cands = {}
            for i in starts:
                if codes is None or not codes[i]:
                    found = lex.matches(keys, i, syl, tags)
                    if found:
                        cands[i] = found
            if cands:
                for i, (length, canon, is_variant) in _best_cover(n, cands).items():
                    forced[i] = (i + length, canon if is_variant else None)
    out: list[str] = []
    if not forced:  # the common case: underthesea's own B/I assembly
        for t, tag in zip(syl, tags):
            if tag == "I-W" and out and not _roman_after_word(t, out[-1].rpartition("_")[2]):
                out[-1] = out[-1] + "_" + t
            else:
                out.append(t)
        return out
    i = 0
    while i < n:
        span = forced.get(i)
        if span is not None:
            end, canon = span
            out.append(canon if canon is not None else _canonical_token(syl[i:end]))
            i = end
            continue
        word = [syl[i]]
        i += 1
        while (i < n and tags[i] == "I-W" and i not in forced
               and not _roman_after_word(syl[i], word[-1])):
            word.append(syl[i])
            i += 1
        out.append("_".join(word))
    return out


def segment(text: str, *, lexicon: bool | Lexicon = True) -> list[list[str]]:
    """Split a text into sentences of word tokens (surface form, punctuation kept).

    Paragraphs are split on ``\\n``, sentences by ``underthesea.sent_tokenize``,
    words by underthesea's CRF with document codes and lexicon terms as single
    tokens. Syllables are joined with ``_``; case is as written, except document
    codes and explicit lexicon variants, which are written in canonical form
    (``05-CT/TƯ`` -> ``05-CT/TW``).
    """
    lex = _resolve_lexicon(lexicon)
    # One CRF call for the whole text, as bare word_tokenize(text) does (a call per
    # sentence costs ~5-10% in per-call overhead); each sentence still starts a word.
    sents: list[tuple[list[str], list[bool] | None]] = []
    for para in text.split("\n"):
        para = para.strip()
        if not para:
            continue
        for sent in _sent_tokenize(para):
            syl, codes = _syllables(sent)
            if syl:
                sents.append((syl, codes))
    if not sents:
        return []
    crf = _crf()
    tags = crf.estimator.tag(crf.featurizer.process([[[t] for syl, _ in sents for t in syl]])[0])
    out: list[list[str]] = []
    pos = 0
    for syl, codes in sents:
        out.append(_assemble(syl, codes, tags[pos:pos + len(syl)], lex))
        pos += len(syl)
    return out


# --------------------------------------------------------------------------- #
# Case policy                                                                  #
# --------------------------------------------------------------------------- #
def normalize_token(tok: str, *, sentence_initial: bool = False,
                    lexicon: bool | Lexicon = True) -> str:
    """Apply the case policy of this module (see the module docstring).

    >>> normalize_token("Tập_trung", sentence_initial=True)
    'tập_trung'
    >>> normalize_token("Hà_Nội")
    'Hà_Nội'
    """
    if not tok or is_punct(tok):
        return tok
    if _CODE_FULL_RE.match(tok):
        return _canonical_code(tok)
    lex = _resolve_lexicon(lexicon)
    if lex is not None:
        canon = lex.canonical(tok)
        if canon is not None:
            return canon
    if tok.islower() or not any(c.isupper() for c in tok):
        return tok
    syls = tok.split("_")
    letters = [c for c in tok if c.isalpha()]
    if all(c.isupper() for c in letters):
        if any(_has_tone(c) for c in letters):
            return tok.lower()  # CHỈ_ĐẠO: headline capitals, not an acronym
        if tok.endswith(".") and len(syls) == 1 and tok.count(".") == 1:
            return tok[:-1]  # "TP." -> "TP" (underthesea keeps the abbreviation dot)
        return tok  # HĐND, TP, UBND, TƯ, ASEAN, 4K, XIII
    if len(syls) > 1:
        caps = sum(1 for s in syls if s[:1].isupper())
        return tok if caps >= 2 else tok.lower()
    if sentence_initial and tok[:1].isupper() and not any(c.isupper() for c in tok[1:]):
        return tok.lower()
    return tok


# --------------------------------------------------------------------------- #
# Token pipeline                                                               #
# --------------------------------------------------------------------------- #
def _clean(text: str) -> str:
    try:
        from corpus_tools.clean import clean_text
    except ImportError:
        return _ut_char_normalize(unicodedata.normalize("NFC", text))
    return clean_text(text)


def tokens_from_segments(sentences: Iterable[Sequence[str]], *, lowercase: bool = True,
                         stopwords: Stopwords = None, keep_numbers: bool = True,
                         keep_time_words: bool = True, keep_punct: bool = False,
                         lexicon: bool | Lexicon = True) -> list[str]:
    """Analysis tokens from segmented sentences (the output of :func:`segment`).

    ``lowercase=True`` applies the case policy of :func:`normalize_token`;
    ``stopwords`` is ``"general"``, ``"domain"``, ``"all"``, ``"time"`` or an
    iterable of words; numbers (``2019``, ``97,8``, ``14/11``, ``XIII``) and time
    words (``ngày``, ``tháng``, ``năm``) are kept unless asked otherwise.
    """
    stop = resolve_stopwords(stopwords)
    time_words = load_stopwords("time") if not keep_time_words else frozenset()
    lex = _resolve_lexicon(lexicon) or False
    cache: dict[tuple[str, bool], str] = {}
    out: list[str] = []
    for sent in sentences:
        initial = True
        for tok in sent:
            if is_punct(tok):
                if keep_punct:
                    out.append(tok)
                continue
            if lowercase:
                norm = cache.get((tok, initial))
                if norm is None:
                    norm = cache[(tok, initial)] = normalize_token(
                        tok, sentence_initial=initial, lexicon=lex)
            else:
                norm = tok
            initial = False
            if not keep_numbers and is_number(norm):
                continue
            low = norm.lower()
            if low in stop or low in time_words:
                continue
            out.append(norm)
    return out


def tokenize(text: str, *, lexicon: bool | Lexicon = True, lowercase: bool = True,
             stopwords: Stopwords = None, keep_numbers: bool = True,
             keep_time_words: bool = True, keep_punct: bool = False) -> list[str]:
    """Token list of one text through the full pipeline.

    clean -> :func:`segment` -> :func:`normalize_token` -> filters.

    >>> tokenize("Đẩy mạnh chuyển đổi số ở Hà Nội")
    ['đẩy_mạnh', 'chuyển_đổi_số', 'ở', 'Hà_Nội']
    """
    return tokens_from_segments(segment(_clean(text), lexicon=lexicon), lowercase=lowercase,
                                stopwords=stopwords, keep_numbers=keep_numbers,
                                keep_time_words=keep_time_words, keep_punct=keep_punct,
                                lexicon=lexicon)


def query_tokens(query: str, *, lexicon: bool | Lexicon = True) -> list[str]:
    """A user's keyword query as document tokens (same pipeline, no stopwords).

    >>> query_tokens("chuyển đổi số")
    ['chuyển_đổi_số']
    """
    # Queries are not sentences: a capital typed at the start is meaningful only if
    # the rules keep it anywhere in a sentence, so normalise as non-initial.
    sentences = segment(_clean(query.replace("_", " ")), lexicon=lexicon)
    lex = _resolve_lexicon(lexicon)
    return [normalize_token(t, sentence_initial=False, lexicon=lex or False)
            for s in sentences for t in s if not is_punct(t)]


# --------------------------------------------------------------------------- #
# Pipeline version                                                             #
# --------------------------------------------------------------------------- #
def _pipeline_version() -> str:
    files = resource_files("lexicon_") + resource_files("stopwords_")
    h = hashlib.sha1(files_digest(files).encode())
    h.update(_SYLLABLE_RE.pattern.encode())  # document-code pattern + underthesea's regex
    return f"tokens{_TOKENS_VERSION}-underthesea{underthesea.__version__}-{h.hexdigest()[:12]}"


PIPELINE_VERSION: str = _pipeline_version()
