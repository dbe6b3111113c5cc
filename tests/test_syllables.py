"""syllables: underthesea's regex tokenisation, computed chunk by chunk, equals it over the
whole sentence (the chunk cache of ``_plain_tokens``)."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from corpus_tools import syllables as S

# the pieces that exercise the regex's context tests: "$", "(?=\s)", "(?<!@)", "\b", emoticons
PIECES = ["TP.", "Th.S", "T.Ư", "H&M", "e-mail", "v.v", "v.v.", "...", ":D", ":))", "=>", "->", "a@b.com",
          "foo.com", "vnexpress.net/x", "http://a.b/c", "1.000", "4.123,2", "02/05/2014", "10:20:50", "3x4",
          "43H-0530", "4K", "NĐ-CP", "H'Mông", "N’Thôn", "Bộ", "Chính", "trị", "Hà", "Nội", "2019", "XIII",
          "“", "”", "(", ")", ",", ".", "-", "%", "@", "ʺ", "x", "đ", "Ð"]
SPACES = [" ", "  ", "\t", "\u00a0", "\u2009", "\u3000", "\n"]


def whole(text: str) -> list[str]:
    _, tmap, _, plain = S._underthesea()
    return [tmap.get(t, t) if len(t) <= 6 else t for t in map(S._GROUP0, plain.finditer(text))]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PIECES) | st.text(min_size=1, max_size=4),
                          st.sampled_from(SPACES + ["", "", ""])), min_size=1, max_size=25),
       st.sampled_from(["", " ", "  "]))
def test_chunks_equal_the_whole_sentence(parts, lead):
    text = lead + "".join(p + sp for p, sp in parts)
    _, tmap, _, plain = S._underthesea()
    S.clear_caches()
    first = S._plain_tokens(text, tmap, plain)
    again = S._plain_tokens(text, tmap, plain)  # from the cache
    assert first == whole(text) == again


def test_the_end_of_the_sentence_is_kept():
    """Python's "$" also matches before a final newline: "TP.\n" ends in "TP", "." as a
    whole sentence, "TP. " and "TP. x" keep "TP." (found by the property test above)."""
    _, tmap, _, plain = S._underthesea()
    for text in ["TP.\n", "TP. \n", "TP.", "TP. ", "TP. x", "ở TP.\n", "ở TP.\n\n", ":D\n", "a :D"]:
        S.clear_caches()
        assert S._plain_tokens(text, tmap, plain) == whole(text), text
