"""Benchmark: rates of 100 terms by month from the store vs a pandas ``str.count`` loop.

    python benchmarks/bench_trends.py [--store DIR] [--limit N] [--n-terms 100] [--n-boot 1000]

Builds (or reuses) a store of ``../shared/corpora/vietnews_40k.jsonl.gz`` (``--limit``
articles; ingesting all 40k takes a long time on 2 cores). vietnews has no dates, so
every article gets a *synthetic* month: sha1 of its corpus ``id`` -> one of 36 months
(2019-01 .. 2021-12), the same for both sides. Both sides start from data in memory:
the baseline from the raw texts (already read), the store side from an opened
``Corpus``; the one-time cost of reading the store's token index is timed separately.
Also prints how much ``match="anywhere"`` adds to ``match="token"`` counts.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import corpus_tools as ct

REPEATS = 3  # the machine is shared: report the best of a few runs, for both sides


def best_of(fn, repeats: int = REPEATS) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "vietnews_40k.jsonl.gz"


def synthetic_month(record_id: str) -> pd.Period:
    k = int(hashlib.sha1(str(record_id).encode("utf-8")).hexdigest()[:8], 16) % 36
    return pd.Period("2019-01", freq="M") + k


def pick_terms(store: ct.Corpus, n_terms: int) -> list[str]:
    """Deterministic query list across the frequency spectrum: multi-syllable words
    from rank 50 to ~5000 of the store's vocabulary, plus two-word phrases."""
    X, vocab, _ = store.dtm(min_df=5)
    freq = np.asarray(X.sum(axis=0)).ravel()
    order = np.lexsort((np.array(vocab, dtype=object).astype(str), -freq))
    words = [vocab[i] for i in order if "_" in vocab[i] and vocab[i].replace("_", "").isalpha()]
    words = words[50:5000]
    n_phrases = n_terms // 5
    singles = words[:: max(1, len(words) // (n_terms - n_phrases))][: n_terms - n_phrases]
    phrases = [f"{a} {b}" for a, b in zip(words[:n_phrases], words[1000:1000 + n_phrases])]
    return [w.replace("_", " ") for w in singles] + [p.replace("_", " ") for p in phrases]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--store", default="/tmp/corpus_tools_bench/vietnews_store")
    ap.add_argument("--limit", type=int, default=5000, help="articles to ingest when building the store")
    ap.add_argument("--n-terms", type=int, default=100)
    ap.add_argument("--n-boot", type=int, default=1000)
    args = ap.parse_args(argv)
    if not Path(args.corpus).exists():
        print(f"corpus {args.corpus} not present; nothing to benchmark")
        return 0

    store_dir = Path(args.store)
    if not (store_dir / "manifest.json").exists():
        print(f"building store {store_dir} from {args.limit} articles ...", flush=True)
        t = time.perf_counter()
        ct.ingest(args.corpus, store_dir, limit=args.limit, progress=True)
        print(f"  ingest: {time.perf_counter() - t:.1f} s")
    store = ct.open_corpus(store_dir)
    arts = store.articles
    arts = arts[~arts["is_duplicate"]]
    ids = arts["id"].astype(str).tolist()
    n_docs = len(arts)
    month = pd.Series([synthetic_month(i) for i in ids], index=arts["doc_id"].to_numpy(), name="synthetic_month")

    # the raw texts of the same articles, as published (no cleaning, no segmentation)
    wanted = set(ids)
    raw = {}
    with gzip.open(args.corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if str(rec["id"]) in wanted:
                raw[str(rec["id"])] = rec["content"]
            if len(raw) == len(wanted):
                break
    texts = pd.Series([raw[i] for i in ids])
    raw_month = pd.Series([synthetic_month(i) for i in ids])

    terms = pick_terms(store, args.n_terms)
    print(f"corpus: {Path(args.corpus).name}, {n_docs} articles in the store "
          f"(limit {args.limit}; {store.manifest['counts'].get('tokens')} tokens)")
    print(f"months: SYNTHETIC (no dates in vietnews): sha1(id) -> one of 36 months 2019-01..2021-12; "
          f"{month.nunique()} months used")
    print(f"terms: {len(terms)} (e.g. {terms[:3]} ... {terms[-2:]})")

    # ---- baseline: pandas str.count over raw text, one term at a time
    lower = texts.str.lower()  # not timed: in favour of the baseline

    def baseline():
        out = {}
        for term in terms:
            counts = lower.str.count(re.escape(term.lower()))
            out[term] = counts.groupby(raw_month).sum()
        return out

    t_base, _ = best_of(baseline)
    print(f"timings: best of {REPEATS} runs each (shared 2-core machine)")
    print(f"baseline  pandas str.count loop ({texts.dtype} dtype): {t_base:8.2f} s")

    # ---- store side
    t = time.perf_counter()
    # one-time per Corpus: read the store's token index, build the id stream and postings
    store.token_index()[1].warm("token")
    ct.tokens.query_tokens("khởi động")  # one-time: load the segmenter's model for the queries
    t_index = time.perf_counter() - t
    t_first, _ = best_of(lambda: ct.term_rates(store, terms, by=month, n_boot=0), repeats=1)
    t_rates, rates = best_of(lambda: ct.term_rates(store, terms, by=month, n_boot=args.n_boot, random_state=0))
    t_rates0, _ = best_of(lambda: ct.term_rates(store, terms, by=month, n_boot=0))
    print(f"store     index build + segmenter load (once):  {t_index:8.2f} s")
    print(f"store     term_rates, n_boot=0, first call:     {t_first:8.2f} s  (incl. segmenting the 100 queries, then cached)")
    print(f"store     term_rates, n_boot={args.n_boot} (CIs):        {t_rates:8.2f} s")
    print(f"store     term_rates, n_boot=0:                 {t_rates0:8.2f} s")
    print(f"speed-up  rates and counts (n_boot=0), same output as the baseline: {t_base / t_rates0:6.1f} x  (target >= 20 x)")
    print(f"speed-up  with {args.n_boot} bootstrap replicates (the baseline has no CIs): {t_base / t_rates:6.1f} x")
    print(f"speed-up  first call, n_boot=0:                 {t_base / t_first:8.1f} x")
    print(f"speed-up  incl. one-time index build, with CIs: {t_base / (t_index + t_rates):8.1f} x")
    assert len(rates) == len(terms) * month.nunique()

    # ---- counting modes on this corpus
    t = time.perf_counter()
    anyw = ct.term_rates(store, terms, by=None, match="anywhere", n_boot=0)
    t_any = time.perf_counter() - t
    tok = ct.term_rates(store, terms, by=None, match="token", n_boot=0)
    tot_tok, tot_any = int(tok["count"].sum()), int(anyw["count"].sum())
    extra = 100 * (anyw["count"].to_numpy() / np.maximum(tok["count"].to_numpy(), 1) - 1)
    print(f"match modes, {len(terms)} terms: token {tot_tok}, anywhere {tot_any} "
          f"(+{100 * (tot_any / tot_tok - 1):.1f}% overall; median term +{np.median(extra):.1f}%, "
          f"{int((extra > 5).sum())} terms > +5%); anywhere index+count {t_any:.2f} s")
    fam = ct.term_rates(store, None, concepts=True, by=None, n_boot=0)
    fam_any = ct.term_rates(store, None, concepts=True, by=None, match="anywhere", n_boot=0)
    ft, fa = int(fam["count"].sum()), int(fam_any["count"].sum())
    print(f"match modes, {len(fam)} concept families: token {ft}, anywhere {fa} (+{100 * (fa / max(ft, 1) - 1):.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
