"""Sentence splitting, word segmentation and token normalisation for Vietnamese reports.

Pipeline (``tokenize``): clean -> paragraphs (``\\n``) -> sentences
(``underthesea.sent_tokenize``) -> syllables (:mod:`corpus_tools.syllables`:
underthesea's own regex tokenizer, document codes such as ``35-CT/TW`` kept as one
syllable) -> underthesea's CRF word segmenter (one call per text, as
``word_tokenize(text)``; every sentence starts a new word) -> the **words layer**
-> case policy (``normalize_token``) -> filters (punctuation, stopwords, numbers,
time words). The **terms layer** (multiword expressions as spans over these
words) is :mod:`corpus_tools.terms`; the convention of both is in
docs/segmentation.md.

The words layer corrects the CRF's systematic errors on this genre and nothing
else; it never fuses across punctuation and never deletes or rewrites a syllable:

1. document codes are one word (the CRF splits them at ``/``);
2. the words lexicon (``resources/words.txt``: compound titles such as
   ``Phó_Thủ_tướng``, Party committees such as ``Đảng_ủy``, a closed list of
   central organs such as ``Bộ_Chính_trị``) overrides the CRF's tags, longest
   match, unless the CRF joins the next lowercase syllable to the entry;
3. a CRF word is split before a number (``5.458_lượt``), before a capital that
   follows a lowercase syllable (``ủy_Khối``, ``chính_trị_gia_Gautam``), and
   after a person's name glued to the next verb (``Tô_Lâm_trao``: two or more
   capitalised syllables from a known family name, then lowercase);
4. a Roman numeral after a lowercase syllable starts a word (``khóa XII``).

Why the lexicon is merged after the CRF rather than passed as ``fixed_words``:
``word_tokenize(fixed_words=...)`` rebuilds its master regex on every call, leaks
that regex into later calls without ``fixed_words`` (module global), does not
escape regex metacharacters, matches case-sensitively, and the CRF may still glue
the fixed chunk to a neighbour.

Case policy (``normalize_token``), in order:

1. document codes take their canonical form (``05-CT/TƯ`` -> ``05-CT/TW``) and
   lexicon entries their canonical case (``bộ_chính_trị`` -> ``Bộ_Chính_trị``);
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
import unicodedata
from functools import lru_cache
from typing import Iterable, Literal, Sequence

import underthesea
from .sentences import split_sentences as _sent_tokenize

from ._options import check_choice
from ._resources import files_digest, resource_files
from .lexicon import Lexicon, default_lexicon, load_surnames, resolve_lexicon
from .stopwords import Stopwords, load_stopwords, resolve_stopwords
from .syllables import (canonical_code, flat_key, has_tone, is_code, is_number,
                        is_punct, normalize_chars, split_syllables_keyed, syllable_flags_of,
                        syllable_key, syllable_keys, syllable_pattern)
from .syllables import CAPITAL, DIGIT0, LOWER, NUMERIC, PUNCT, ROMAN

__all__ = [
    "PIPELINE_VERSION",
    "normalize_token",
    "query_tokens",
    "segment",
    "segment_paragraphs",
    "tokenize",
    "tokens_from_segments",
]

# Bump when the code changes segmentation, the case policy or the stored terms (the resources and the
# regexes are hashed into PIPELINE_VERSION automatically).
_TOKENS_VERSION = "5"


# --------------------------------------------------------------------------- #
# Segmentation: the words layer                                                #
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


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    return frozenset(syllable_key(s) for s in load_surnames()[0])


def _capital(s: str) -> bool:
    return s[:1].isupper()


def _lower(s: str) -> bool:
    return s[:1].islower()


def _split_crf_word(word: list[str], fl: list[int] | None = None) -> list[list[str]]:
    """Rule 3 of the words layer on one CRF word (a list of syllables; ``fl`` their flags)."""
    if len(word) < 2:
        return [word]
    if fl is None:
        fl = syllable_flags_of(word)
    caps = [f & CAPITAL for f in fl]
    if (all(caps) or not any(caps)) and not any(f & DIGIT0 for f in fl):
        return [word]  # the common case: no case change, no number, nothing to cut
    out: list[list[str]] = [[word[0]]]
    for k in range(1, len(word)):
        f, fp = fl[k], fl[k - 1]
        cut = ((f | fp) & NUMERIC                                   # 5.458 | lượt
               or (fp & LOWER and f & CAPITAL)                       # ủy | Khối
               or (f & ROMAN and fp & LOWER))                    # khóa | XII
        if cut:
            out.append([word[k]])
        else:
            out[-1].append(word[k])
    fixed: list[list[str]] = []
    for w in out:  # Tô_Lâm_trao: a name of two capitalised syllables or more, then a verb
        k = 0
        while k < len(w) and _capital(w[k]):
            k += 1
        if 2 <= k < len(w) and _lower(w[k]) and syllable_key(w[0]) in _surnames():
            fixed += [w[:k], w[k:]]
        else:
            fixed.append(w)
    return fixed


def _word_cover(syl: list[str], tags: Sequence[str], codes: list[bool] | None,
                lex: Lexicon, keys: list[str] | None = None) -> dict[int, int]:
    """Words-lexicon spans {start: end}: longest non-overlapping cover (most
    syllables, then fewest spans, then leftmost), refusing a match the CRF
    continues into a lowercase syllable ("xây dựng Đảng bộ" is not "xây_dựng_Đảng bộ")."""
    n = len(syl)
    if keys is None:
        keys = syllable_keys(syl)
    first1, first2 = lex._first1, lex._first2
    cands: dict[int, list[int]] = {}
    for i in range(n - 1):
        if keys[i] not in first1 or (keys[i], keys[i + 1]) not in first2 or (codes is not None and codes[i]):
            continue
        ends = []
        for length, _, _ in lex.matches(keys, i):
            end = i + length
            if codes is not None and any(codes[i:end]):
                continue
            if end < n and tags[end] == "I-W" and _lower(syl[end]):
                continue
            ends.append(end)
        if ends:
            cands[i] = ends
    if not cands:
        return {}
    best = [(0, 0)] * (n + 1)  # (covered, -spans) of the suffix from i
    choice: list[int | None] = [None] * (n + 1)
    for i in range(n - 1, -1, -1):
        best[i], choice[i] = best[i + 1], None
        for end in cands.get(i, ()):
            cov, neg = best[end]
            score = (cov + end - i, neg - 1)
            if score >= best[i]:
                best[i], choice[i] = score, end
    spans, i = {}, 0
    while i < n:
        if choice[i] is None:
            i += 1
        else:
            spans[i] = choice[i]
            i = choice[i]
    return spans


def _assemble(syl: list[str], codes: list[bool] | None, tags: Sequence[str],
              lex: Lexicon | None, keys: list[str] | None = None, fl: list[int] | None = None) -> list[str]:
    """Words of one sentence from its syllables and CRF tags (the words layer); ``keys`` and
    ``fl``: the syllables' keys and flags when the caller has them."""
    n = len(syl)
    forced: dict[int, int] = {}
    if codes is not None:
        forced.update({i: i + 1 for i, c in enumerate(codes) if c})
    if lex is not None and lex._first2:
        forced.update(_word_cover(syl, tags, codes, lex, keys))
    if fl is None:
        fl = syllable_flags_of(syl)
    out: list[str] = []
    i = 0
    while i < n:
        end = forced.get(i)
        if end is not None:
            out.append("_".join(syl[i:end]))
            i = end
            continue
        start = i
        i += 1
        # a CRF word continues while tagged I-W, outside a forced span, with no punctuation either side
        while i < n and tags[i] == "I-W" and not (fl[i] | fl[i - 1]) & PUNCT and i not in forced:
            i += 1
        if i - start == 1:
            out.append(syl[start])
        elif i - start == 2 and not ((fl[start] ^ fl[start + 1]) & CAPITAL
                                     or (fl[start] | fl[start + 1]) & DIGIT0):
            out.append(syl[start] + "_" + syl[start + 1])  # rule 3's common case, inline: nothing to cut
        else:
            out += ["_".join(w) for w in _split_crf_word(syl[start:i], fl[start:i])]
    return out


Engine = Literal["fast", "underthesea"]
# Without the compiled kernel, below this many tokens underthesea's own call is quicker than
# the numpy path's fixed cost (~0.35 ms a call against ~35 µs a token); with it, the fast
# engine is quicker at any length (12 µs for 2 tokens against 21). The labels are the same.
_FAST_MIN_TOKENS = 16


def _tags(tokens: list[str], engine: Engine) -> list[str]:
    """The CRF's labels for one token sequence: the fast engine (:mod:`corpus_tools._crf`,
    the same labels) unless asked for underthesea, or the engine is off (another
    underthesea version or model file) or cannot vouch for a character's case mapping."""
    if engine == "fast":
        from ._crf import load_fast_crf
        fast = load_fast_crf()
        if fast is not None and (fast.compiled or len(tokens) >= _FAST_MIN_TOKENS) and fast.can_tag(tokens):
            return fast.tag(tokens)
    crf = _crf()
    return crf.estimator.tag(crf.featurizer.process([[[t] for t in tokens]])[0])


def segment(text: str, *, words: bool | Lexicon = True, engine: Engine = "fast") -> list[list[str]]:
    """Split a text into sentences of words (surface form, punctuation kept).

    Paragraphs are split on ``\\n``, sentences by ``underthesea.sent_tokenize``,
    words by underthesea's CRF corrected by the words layer (see the module
    docstring; ``words`` is the words lexicon: True for ``resources/words.txt``, a
    :class:`Lexicon` from :func:`load_words`, or False for the CRF and the rules
    alone). Syllables are joined with ``_`` and kept as written: the syllables of
    the output are those of the input, in order. ``engine``: ``"fast"`` computes the
    CRF's labels without feature strings (:mod:`corpus_tools._crf`; the same words,
    checked against underthesea in the tests), ``"underthesea"`` asks underthesea's own.
    """
    return [s for para in segment_paragraphs(text.split("\n"), words=words, engine=engine) for s in para]


def segment_paragraphs(paragraphs: Sequence[str], *, words: bool | Lexicon = True, engine: Engine = "fast"
                       ) -> list[list[list[str]]]:
    """:func:`segment` of each paragraph (a list of sentences per paragraph, empty
    for a blank one), with one CRF call for all of them: as bare
    ``word_tokenize(text)`` does, since a call per paragraph or sentence costs
    several percent in per-call overhead; each sentence still starts a new word."""
    check_choice("engine", engine, Engine)
    lex = resolve_lexicon(words, "words")
    sents: list[tuple[int, list[str], list[bool] | None, list[str], list[int]]] = []
    for p, para in enumerate(paragraphs):
        para = para.strip()
        if not para:
            continue
        for sent in _sent_tokenize(para):
            syl, codes, keys, fl = split_syllables_keyed(sent)
            if syl:
                sents.append((p, syl, codes, keys, fl))
    out: list[list[list[str]]] = [[] for _ in paragraphs]
    if not sents:
        return out
    tags = _tags([t for s in sents for t in s[1]], engine)
    pos = 0
    for p, syl, codes, keys, fl in sents:
        out[p].append(_assemble(syl, codes, tags[pos:pos + len(syl)], lex, keys, fl))
        pos += len(syl)
    return out


# --------------------------------------------------------------------------- #
# Case policy                                                                  #
# --------------------------------------------------------------------------- #
class _CaseTable:
    """Canonical case of the entries of the words and terms lexicons that are one word."""

    def __init__(self, lexicons: Sequence[Lexicon]):
        self.table: dict[str, str] = {}
        for lex in lexicons:
            self.table.update(lex._by_token)

    def canonical(self, tok: str) -> str | None:
        return self.table.get(flat_key(tok))


@lru_cache(maxsize=1)
def _default_case() -> _CaseTable:
    return _CaseTable([default_lexicon("words"), default_lexicon("terms")])


def _case_table(lexicon) -> _CaseTable | None:
    if lexicon is True:
        return _default_case()
    if lexicon is False or lexicon is None:
        return None
    if isinstance(lexicon, Lexicon):
        return _CaseTable([lexicon])
    if isinstance(lexicon, _CaseTable):
        return lexicon
    raise ValueError(f"lexicon must be True, False or a Lexicon, got {type(lexicon).__name__}")


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
    if is_code(tok):
        return canonical_code(tok)
    table = _case_table(lexicon)
    if table is not None:
        canon = table.canonical(tok)
        if canon is not None:
            return canon
    if tok.islower() or not any(c.isupper() for c in tok):
        return tok
    syls = tok.split("_")
    letters = [c for c in tok if c.isalpha()]
    if all(c.isupper() for c in letters):
        if any(has_tone(c) for c in letters):
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
        return normalize_chars(unicodedata.normalize("NFC", text))
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
    lex = _case_table(lexicon) or False
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


def tokenize(text: str, *, words: bool | Lexicon = True, lowercase: bool = True,
             stopwords: Stopwords = None, keep_numbers: bool = True,
             keep_time_words: bool = True, keep_punct: bool = False) -> list[str]:
    """Token list of one text through the full pipeline.

    clean -> :func:`segment` (``words``: the words lexicon) -> :func:`normalize_token`
    -> filters.

    >>> tokenize("Đẩy mạnh chuyển đổi số ở Hà Nội")
    ['đẩy_mạnh', 'chuyển_đổi_số', 'ở', 'Hà_Nội']
    """
    return tokens_from_segments(segment(_clean(text), words=words), lowercase=lowercase,
                                stopwords=stopwords, keep_numbers=keep_numbers,
                                keep_time_words=keep_time_words, keep_punct=keep_punct)


def query_tokens(query: str, *, words: bool | Lexicon = True) -> list[str]:
    """A user's keyword query as document tokens (same pipeline, no stopwords).

    >>> query_tokens("chuyển đổi số")
    ['chuyển_đổi_số']
    """
    # Queries are not sentences: a capital typed at the start is meaningful only if
    # the rules keep it anywhere in a sentence, so normalise as non-initial.
    sentences = segment(_clean(query.replace("_", " ")), words=words)
    return [normalize_token(t, sentence_initial=False)
            for s in sentences for t in s if not is_punct(t)]


# --------------------------------------------------------------------------- #
# Pipeline version                                                             #
# --------------------------------------------------------------------------- #
def _pipeline_version() -> str:
    files = resource_files("words") + resource_files("terms_") + resource_files("stopwords_") \
        + resource_files("surnames")
    h = hashlib.sha1(files_digest(files).encode())
    h.update(syllable_pattern().encode())  # document-code pattern + underthesea's regex
    return f"tokens{_TOKENS_VERSION}-underthesea{underthesea.__version__}-{h.hexdigest()[:12]}"


PIPELINE_VERSION: str = _pipeline_version()
