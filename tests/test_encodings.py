"""encodings: decoding without silent guesses (UTF-8/16/32 with or without BOM,
Windows-1258 with its combining tones composed), and clear refusals."""
from __future__ import annotations

import codecs
import random
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_tools.encodings import DecodeError, decode_bytes

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "load"))
from make_fixtures import ARTICLE, to_cp1258  # noqa: E402

ENC_DIR = Path(__file__).resolve().parent / "fixtures" / "load" / "encodings"


# -- decode_bytes ---------------------------------------------------------------------------

@pytest.mark.parametrize("data, expected_encoding", [
    (ARTICLE.encode("utf-8"), "utf-8"),
    (ARTICLE.encode("utf-8-sig"), "utf-8-bom"),
    (ARTICLE.encode("utf-16"), "utf-16-le"),
    (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), "utf-16-be"),
    (ARTICLE.encode("utf-16-le"), "utf-16-le"),  # no BOM: told apart by its NUL bytes
    (ARTICLE.encode("utf-32"), "utf-32-le"),
    (to_cp1258(ARTICLE), "windows-1258"),
])
def test_decode_bytes_recovers_the_same_text(data, expected_encoding):
    text, enc = decode_bytes(data)
    assert enc == expected_encoding
    assert text == ARTICLE


def test_cp1258_tone_marks_are_composed():
    # cp1258 writes "ệ" as "ê" + combining dot below: after decoding, one code point
    text, enc = decode_bytes(to_cp1258("Hội nghị Ban Chấp hành Đảng bộ huyện"))
    assert enc == "windows-1258"
    assert text == "Hội nghị Ban Chấp hành Đảng bộ huyện"
    assert unicodedata.is_normalized("NFC", text)
    assert not any(unicodedata.combining(c) for c in text)


def test_fixture_files_decode_identically():
    texts = {p.name: decode_bytes(p.read_bytes())[0].replace("\r\n", "\n") for p in sorted(ENC_DIR.glob("*.txt"))}
    assert len(texts) == 5
    assert set(texts.values()) == {ARTICLE}


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    (bytes(random.Random(1).randrange(128, 256) for _ in range(400)), "undecodable"),
    # Latin-1 French: decodes as cp1258, but does not read as Vietnamese
    ("Le comité central s'est réuni à Paris pour préparer le congrès du parti.".encode("cp1252"),
     "does not read as Vietnamese"),
    (b"\xe0\xe1", "too little text"),
])
def test_decode_bytes_refuses_to_guess(data, reason):
    with pytest.raises(DecodeError, match=reason):
        decode_bytes(data)


def test_forced_encoding_is_strict():
    assert decode_bytes("Đảng".encode("utf-8"), "utf-8") == ("Đảng", "utf-8")
    with pytest.raises(DecodeError, match="not valid utf-8"):
        decode_bytes(to_cp1258("Đảng bộ"), "utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_decode_bytes_returns_text_or_decode_error(data):
    try:
        text, enc = decode_bytes(data)
    except DecodeError as exc:
        assert str(exc)
    else:
        assert isinstance(text, str) and enc
        assert unicodedata.is_normalized("NFC", text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1))
def test_any_utf8_text_roundtrips(text):
    decoded, enc = decode_bytes(text.encode("utf-8"))
    assert enc in ("utf-8", "utf-8-bom")
    assert decoded == unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
