"""Segmentation throughput: corpus_tools.tokens.segment vs bare underthesea.word_tokenize.

Usage: python benchmarks/tokens_speed.py [--n 1000] [--fixed-words 200]

Both run in the same process on the same texts (field ``content`` of the first
``n`` articles of ../shared/corpora/vietnews_40k.jsonl.gz), interleaved in blocks so
that load from other processes on the machine hits both alike. Prints chars/s
and the ratio. ``--fixed-words`` also times ``word_tokenize(fixed_words=<lexicon>)``
per sentence on that many articles, in a child process (underthesea keeps the
fixed-words regex as a global after such a call).
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "vietnews_40k.jsonl.gz"


def _texts(n: int) -> list[str]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        return [json.loads(line)["content"] for line in itertools.islice(f, n)]


def _fixed_words_child(n: int) -> None:
    from underthesea import sent_tokenize, word_tokenize

    from corpus_tools.tokens import _default_lexicon

    lex = _default_lexicon()
    terms = sorted({c.replace("_", " ") for c, _ in lex.entries.values() if "_" in c}, key=len,
                   reverse=True)
    texts = _texts(n)
    chars = sum(map(len, texts))
    sents = [s for t in texts for p in t.split("\n") if p.strip() for s in sent_tokenize(p)]
    t0 = time.perf_counter()
    for s in sents:
        word_tokenize(s)
    bare = time.perf_counter() - t0
    t0 = time.perf_counter()
    for s in sents:
        word_tokenize(s, fixed_words=terms)
    fixed = time.perf_counter() - t0
    print(json.dumps({"terms": len(terms), "bare_cps": chars / bare, "fixed_cps": chars / fixed}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--block", type=int, default=50)
    ap.add_argument("--fixed-words", type=int, default=0)
    ap.add_argument("--child-fixed", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_fixed:
        _fixed_words_child(args.child_fixed)
        return
    if not CORPUS.exists():
        sys.exit(f"corpus not found: {CORPUS}")
    from underthesea import word_tokenize

    from corpus_tools.tokens import PIPELINE_VERSION, segment

    texts = _texts(args.n)
    chars = sum(map(len, texts))
    word_tokenize("khởi động")
    segment("khởi động")
    t_bare = t_seg = 0.0
    n_tok_bare = n_tok_seg = 0
    for i in range(0, len(texts), args.block):
        block = texts[i:i + args.block]
        t0 = time.perf_counter()
        for t in block:
            n_tok_bare += len(word_tokenize(t))
        t1 = time.perf_counter()
        for t in block:
            n_tok_seg += sum(len(s) for s in segment(t))
        t2 = time.perf_counter()
        t_bare += t1 - t0
        t_seg += t2 - t1
    print(f"pipeline {PIPELINE_VERSION}; {len(texts)} articles, {chars:,} chars")
    print(f"bare word_tokenize(text): {chars / t_bare:10,.0f} chars/s  ({n_tok_bare:,} tokens)")
    print(f"tokens.segment(text):     {chars / t_seg:10,.0f} chars/s  ({n_tok_seg:,} tokens)")
    print(f"ratio segment / bare:     {t_bare / t_seg:.3f}")
    if args.fixed_words:
        out = subprocess.run([sys.executable, __file__, "--child-fixed", str(args.fixed_words)],
                             capture_output=True, text=True, check=True).stdout
        r = json.loads(out)
        print(f"word_tokenize per sentence, {args.fixed_words} articles: bare {r['bare_cps']:,.0f} "
              f"chars/s, fixed_words={r['terms']} terms {r['fixed_cps']:,.0f} chars/s "
              f"(ratio {r['fixed_cps'] / r['bare_cps']:.3f})")


if __name__ == "__main__":
    main()
