"""Bytes to text without silent guesses: byte-order marks (UTF-8, UTF-16, UTF-32),
then strict UTF-8, then windows-1258 (the Vietnamese code page) *only* when the
result reads as Vietnamese. Anything else raises :class:`DecodeError` with a reason.

Written here rather than with a general charset detector: a wrong guess silently
loses every diacritic, so windows-1258 is accepted only when the text reads as
Vietnamese syllables, a check general detectors do not make.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

__all__ = ["DecodeError", "decode_bytes"]


class DecodeError(ValueError):
    """Bytes that cannot be decoded confidently; ``str(err)`` is the reason."""


# --------------------------------------------------------------------------
# decoding
# --------------------------------------------------------------------------

_BOMS = (  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

_WHITESPACE_CONTROLS = frozenset("\t\n\r\x0b\x0c")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_VI_VOWELS = "aăâeêioôơuưy"
_VI_CONSONANTS = "bcdđghklmnpqrstvx"
# Every Vietnamese letter that is not plain ASCII (NFC, lower case).
_VI_SPECIFIC = frozenset(
    "ăâđêôơư"
    + "".join(unicodedata.normalize("NFC", v + m) for v in _VI_VOWELS for m in _TONE_MARKS)
)
# A Vietnamese syllable: onset, 1-3 vowels, optional coda (simplified
# phonotactics; tones are stripped before matching).
_SYLLABLE_RE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"[aăâeêioôơuưy]{1,3}(?:ng|nh|ch|[cmnpt])?$"
)
_WORD_RE = re.compile(r"[^\W\d_]+")


def _strip_tone(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))


def _reads_as_vietnamese(text: str) -> tuple[bool, str]:
    """Whether text decoded from a legacy code page is plausibly Vietnamese.

    Evidence required: no control characters, no combining marks left over
    after NFC (cp1258 tone marks follow vowels and compose), at least three
    words, at least 60 % of words well-formed Vietnamese syllables with at most
    one tone, and at least 20 % of words carrying Vietnamese-only letters.
    """
    if _CONTROL_RE.search(text):
        return False, "control characters"
    stray = sum(1 for c in text if unicodedata.combining(c))
    if stray:
        return False, f"{stray} stray combining mark(s)"
    words = [w.lower() for w in _WORD_RE.findall(text)]
    if len(words) < 3:
        return False, "too little text to identify the encoding"
    syllables = 0
    specific = 0
    for w in words:
        tones = sum(1 for c in unicodedata.normalize("NFD", w) if c in _TONE_MARKS)
        if tones <= 1 and _SYLLABLE_RE.match(_strip_tone(w)):
            syllables += 1
        if any(c in _VI_SPECIFIC for c in w):
            specific += 1
    if syllables < 0.6 * len(words):
        return False, f"only {syllables}/{len(words)} words are Vietnamese syllables"
    if specific < 0.2 * len(words):
        return False, f"only {specific}/{len(words)} words carry Vietnamese letters"
    return True, ""


def _looks_binary(text: str) -> str | None:
    """Reason if decoded text contains NULs or many control characters."""
    if "\x00" in text:
        return "binary content (NUL characters)"
    n = len(_CONTROL_RE.findall(text))
    if n and n > 0.01 * len(text):
        return f"binary content ({n} control characters)"
    return None


def _finish(text: str) -> str:
    # cp1258 stores tone marks as combining characters: compose them so one
    # word is one string whatever the source encoding was.
    if text.startswith("\ufeff"):
        text = text[1:]
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: NULs concentrated at odd (LE) or even (BE) bytes."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    n = len(data) // 2
    for nul_half, other, enc in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nul_half.count(0) > 0.3 * n and other.count(0) < 0.01 * n:
            return enc
    return None


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to NFC text; return ``(text, encoding_used)``.

    With ``encoding`` given, decode strictly with it. Otherwise, in order:
    a byte-order mark (UTF-8, UTF-16, UTF-32) decides; strict UTF-8; UTF-16
    without BOM when the NUL-byte pattern says so; windows-1258 only if the
    result reads as Vietnamese (see ``_reads_as_vietnamese``). Raises
    :class:`DecodeError` with a reason for empty, binary or undecodable input.
    """
    if not data:
        raise DecodeError("empty file")
    if encoding is not None:
        enc = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError) as exc:
            raise DecodeError(f"not valid {encoding}: {exc}") from None
        reason = _looks_binary(text)
        if reason:
            raise DecodeError(reason)
        return _finish(text), encoding
    for bom, name, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"{name} byte-order mark but invalid {name}: {exc.reason} at byte {exc.start}") from None
            reason = _looks_binary(text)
            if reason:
                raise DecodeError(reason)
            return _finish(text), f"{name}-bom" if name == "utf-8" else name
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = f"not UTF-8 ({exc.reason} at byte {exc.start})"
    else:
        reason = _looks_binary(text)
        if reason is None:
            return _finish(text), "utf-8"
        if "\x00" not in text:
            raise DecodeError(reason)
        utf8_error = reason
    enc16 = _bomless_utf16(data)
    if enc16:
        try:
            text = data.decode(enc16)
        except UnicodeDecodeError:
            pass
        else:
            if _looks_binary(text) is None:
                return _finish(text), enc16
    if b"\x00" in data:
        raise DecodeError("binary content (NUL bytes)")
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"undecodable: {utf8_error}; not windows-1258 (byte 0x{data[exc.start]:02x} undefined)") from None
    text = unicodedata.normalize("NFC", text)
    ok, why = _reads_as_vietnamese(text)
    if not ok:
        raise DecodeError(f"undecodable: {utf8_error}; as windows-1258 it does not read as Vietnamese ({why})")
    return _finish(text), "windows-1258"


