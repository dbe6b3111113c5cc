"""Benchmark: peak memory of analysis on a large store, and its cost per token.

    python benchmarks/bench_analysis.py --store DIR        # a store of vietnews_40k (ingest it first)

In a fresh process: open the store, build the token index, ``dtm(min_df=5)``, five KWIC
queries and ``term_rates`` of 100 terms by month (vietnews has no dates, so each article
gets a synthetic month from sha1 of its doc_id, as in bench_trends.py). Prints the peak
RSS (sampled every 0.1 s and ru_maxrss), the RSS after imports (the baseline of the same
run), and the marginal bytes per token, from which the size of a 500,000-article store
that fits this machine follows. Target: analysis peak <= 1.0 GiB on the 40k store.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time

_SNIPPET = r"""
import hashlib, resource, sys, time, os
import numpy as np, pandas as pd
import psutil
import corpus_tools as ct
proc = psutil.Process()
base = proc.memory_info().rss
c = ct.open_corpus(sys.argv[1])
t = time.perf_counter()
X, vocab, index = c.dtm(min_df=5)
print(f"dtm(min_df=5): {time.perf_counter() - t:.1f}s, shape {X.shape}, nnz {X.nnz}")
del X
for q in ["Quốc hội", "chuyển đổi số", "Bộ Chính trị", "tham nhũng", "phát triển kinh tế"]:
    t = time.perf_counter(); k = c.kwic(q)
    print(f"kwic {q!r}: {(time.perf_counter() - t) * 1000:.0f} ms, {len(k)} hits")
words = [v for v in vocab if "_" in v and v.islower()][::37][:80]
phrases = ["chuyển đổi số", "Bộ Chính trị", "phát triển kinh tế", "an toàn giao thông", "Quốc hội"] * 4
terms = list(dict.fromkeys(words + phrases))[:100]
meta = c.read_table("articles", columns=["doc_id"])
month = pd.Series([pd.Period("2019-01", "M") + int(hashlib.sha1(d.encode()).hexdigest()[:8], 16) % 36
                   for d in meta["doc_id"]], index=meta["doc_id"].to_numpy())
t = time.perf_counter()
r = ct.term_rates(c, terms, by=month, n_boot=200)
print(f"term_rates: {len(set(r['term']))} terms x {r['period'].nunique()} months in {time.perf_counter() - t:.1f}s")
n_tok = int(c.manifest["counts"]["tokens"])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(f"RESULT base={base} peak={peak} tokens={n_tok} articles={c.manifest['counts']['articles']}")
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True)
    args = ap.parse_args(argv)
    import psutil
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _SNIPPET, args.store], stdout=subprocess.PIPE, text=True)
    ps, sampled = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            sampled = max(sampled, ps.memory_info().rss)
        except psutil.Error:
            pass
        time.sleep(0.1)
    out = proc.stdout.read().splitlines()
    if proc.returncode:
        print("\n".join(out)); return proc.returncode
    gib = 2 ** 30
    res = dict(kv.split("=") for kv in out[-1].split()[1:])
    base, peak, n_tok, n_art = (int(res[k]) for k in ("base", "peak", "tokens", "articles"))
    for ln in out[:-1]:
        print("   ", ln)
    per_tok = (peak - base) / n_tok
    est_500k = (base + per_tok * n_tok * 500_000 / n_art) / gib
    print(f"analysis of {n_art:,} articles / {n_tok:,} tokens in {time.perf_counter() - t0:.0f}s: "
          f"peak RSS {peak / gib:.2f} GiB (sampled {sampled / gib:.2f}), after imports {base / gib:.2f} GiB "
          f"(target peak <= 1.0 GiB: {'OK' if peak <= gib else 'MISSED'})")
    print(f"    marginal cost {per_tok:.1f} bytes per token -> a 500,000-article store of this kind "
          f"needs about {est_500k:.1f} GiB (machine: 24 GiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
