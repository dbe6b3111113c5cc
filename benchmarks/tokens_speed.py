"""Segmentation throughput: corpus_tools.tokens.segment vs bare underthesea.word_tokenize.

Usage: python benchmarks/tokens_speed.py [--n 1000] [--repeat 3] [--fixed-words 200]

Both run in the same process on the same texts (field ``content`` of the first
``n`` articles of ../shared/corpora/vietnews_40k.jsonl.gz), interleaved in blocks so
that load from other processes on the machine hits both alike. Prints chars/s
by wall clock and by process CPU time, and the ratio of the best of ``--repeat``
runs per block (the figure to quote on a shared machine: contention only ever
adds time). ``--fixed-words`` also times ``word_tokenize(fixed_words=<lexicon>)``
per sentence on that many articles, in a child process (underthesea keeps the
fixed-words regex as a global after such a call).
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import statistics
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
    t0 = time.process_time()
    for s in sents:
        word_tokenize(s)
    bare = time.process_time() - t0
    t0 = time.process_time()
    for s in sents:
        word_tokenize(s, fixed_words=terms)
    fixed = time.process_time() - t0
    print(json.dumps({"terms": len(terms), "bare_cps": chars / bare, "fixed_cps": chars / fixed}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--block", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
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
    wall = {"bare": 0.0, "segment": 0.0}
    cpu = {"bare": 0.0, "segment": 0.0}
    n_tok = {"bare": 0, "segment": 0}
    runs = {"bare": lambda t: len(word_tokenize(t)),
            "segment": lambda t: sum(len(s) for s in segment(t))}
    block_ratios = []
    best = {"bare": 0.0, "segment": 0.0}
    for b, i in enumerate(range(0, len(texts), args.block)):
        block = texts[i:i + args.block]
        took = {"bare": float("inf"), "segment": float("inf")}
        for r in range(args.repeat):
            # alternate which runs first, so drifting load and caches favour neither
            for name in (("bare", "segment") if (b + r) % 2 == 0 else ("segment", "bare")):
                w0, c0 = time.perf_counter(), time.process_time()
                ntok = sum(runs[name](t) for t in block)
                c = time.process_time() - c0
                took[name] = min(took[name], c)
                if r == 0:
                    n_tok[name] += ntok
                    wall[name] += time.perf_counter() - w0
                    cpu[name] += c
        best["bare"] += took["bare"]
        best["segment"] += took["segment"]
        block_ratios.append(took["bare"] / took["segment"])
    print(f"pipeline {PIPELINE_VERSION}; {len(texts)} articles, {chars:,} chars")
    for name, label in (("bare", "bare word_tokenize(text)"), ("segment", "tokens.segment(text)")):
        print(f"{label:26s} wall {chars / wall[name]:9,.0f} chars/s, CPU {chars / cpu[name]:9,.0f} "
              f"chars/s ({n_tok[name]:,} tokens)")
    print(f"ratio segment / bare: wall {wall['bare'] / wall['segment']:.3f}, "
          f"CPU {cpu['bare'] / cpu['segment']:.3f}, median over {len(block_ratios)} blocks of "
          f"{args.block} (CPU) {statistics.median(block_ratios):.3f}")
    print(f"best of {args.repeat} per block (CPU): bare {chars / best['bare']:,.0f} chars/s, "
          f"segment {chars / best['segment']:,.0f} chars/s, ratio {best['bare'] / best['segment']:.3f}")
    if args.fixed_words:
        out = subprocess.run([sys.executable, __file__, "--child-fixed", str(args.fixed_words)],
                             capture_output=True, text=True, check=True).stdout
        r = json.loads(out)
        print(f"word_tokenize per sentence, {args.fixed_words} articles (CPU time): bare "
              f"{r['bare_cps']:,.0f} chars/s, fixed_words={r['terms']} terms {r['fixed_cps']:,.0f} chars/s "
              f"(ratio {r['fixed_cps'] / r['bare_cps']:.3f})")


if __name__ == "__main__":
    main()
