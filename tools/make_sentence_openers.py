"""Write src/corpus_tools/resources/sentence_openers.txt and common_syllables.txt.

sentence_openers.txt: how real Vietnamese news
sentences begin, from the language at large (the shared corpora), so that the
furniture learner never takes an ordinary opening ("Trong khi đó,", "Theo thông
tin từ") for a site's chrome, however often one small source repeats it.

    python tools/make_sentence_openers.py [--min-articles 40]

common_syllables.txt: the syllables found in the most articles, which say nothing of
what a block of text is about (the furniture learner's test of a rare inline block).

Counts the first 1-4 words of the sentences inside the articles of vietnews_40k
and unc_dantri (one count per article; not the first or last line, where chrome
and bylines sit, and not a label before a colon or dash), and keeps the openings
found in at least --min-articles articles of both corpora together. Words are
casefolded; digits become 0.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
OUT = ROOT / "src" / "corpus_tools" / "resources" / "sentence_openers.txt"
OUT_SYL = ROOT / "src" / "corpus_tools" / "resources" / "common_syllables.txt"
N_COMMON = 300  # syllables in the most articles: they say nothing of what an article is about
_SENT = re.compile(r"(?<=[.!?…])\s+|\n+")
_WORD = re.compile(r"[^\W\d_]+|\d+")


def openings(text: str, most: int = 4):
    """Openings of the sentences inside an article: not on its first or last line
    (datelines, bylines and credits sit there), and not followed by a colon, dash
    or bar (a label: "Xem thêm:", "Dân trí -"): what running text begins with."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    for line in lines[1:-1]:
        for sent in _SENT.split(line):
            found = list(_WORD.finditer(sent[:160]))
            for n in range(1, min(most, len(found)) + 1):
                after = sent[found[n - 1].end():].lstrip()[:1]
                if after in (":", "-", "–", "|", ">", "»"):
                    break
                yield " ".join("0" if m.group().isdigit() else m.group().casefold() for m in found[:n])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-articles", type=int, default=40)
    args = ap.parse_args()
    df: Counter[str] = Counter()
    syl: Counter[str] = Counter()
    n_art = 0
    for name, field in (("vietnews_40k", "content"), ("unc_dantri", "text")):
        with gzip.open(CORPORA / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line).get(field) or ""
                df.update(set(openings(text)))
                syl.update({w.casefold() for w in _WORD.findall(text) if not w.isdigit()})
                n_art += 1
    keep = sorted(k for k, c in df.items() if c >= args.min_articles)
    header = [f"# How Vietnamese news sentences begin: the first 1-4 words of sentences opening at least "
              f"{args.min_articles} of {n_art:,} articles",
              "# (vietnews_40k and unc_dantri of the project's shared corpora), casefolded, digits as 0.",
              "# Written by tools/make_sentence_openers.py; read by corpus_tools.furniture: a fragment glued",
              "# to the start of lines that is one of these is an ordinary opening, never site furniture."]
    OUT.write_text("\n".join(header + keep) + "\n", encoding="utf-8")
    print(f"{len(keep)} openings from {n_art} articles -> {OUT}")
    common = [w for w, _ in sorted(syl.items(), key=lambda kv: (-kv[1], kv[0]))[:N_COMMON]]
    OUT_SYL.write_text("\n".join([f"# The {N_COMMON} syllables found in the most of {n_art:,} articles (vietnews_40k and",
                                   "# unc_dantri of the shared corpora), casefolded, most frequent first. Written by",
                                   "# tools/make_sentence_openers.py; read by corpus_tools.furniture: they tell nothing",
                                   "# of what a block of text is about."] + common) + "\n", encoding="utf-8")
    print(f"{N_COMMON} common syllables -> {OUT_SYL}")


if __name__ == "__main__":
    main()
