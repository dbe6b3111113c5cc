"""Explorer update times on a large store (target: every update under 1 s once the
token index is built).

    python benchmarks/bench_explorer.py --store DIR [--terms đại_hội ...]

DIR is a store of ``vietnews_40k`` (``corpus-tools ingest ../shared/corpora/vietnews_40k.jsonl.gz
--out DIR``). That corpus has no dates, so articles get synthetic months (36, round
robin) as the time axis. Prints the one-off costs (opening, index build) and, per
action (type a term, pick a period, page, move λ on a topic model fitted on 2,000
of the articles), the median and worst seconds over the repeats, with each
action's ratio to a bare ``Corpus.kwic`` call measured in the same run
(the machine's speed drifts; the order of terms alternates between passes).
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

import corpus_tools as ct

TERMS = ["đại hội", "tham nhũng", "kinh tế", "chuyển đổi số", "Bộ Chính trị", "anti_corruption"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True)
    ap.add_argument("--passes", type=int, default=2)
    args = ap.parse_args()
    t = time.perf_counter()
    c = ct.open_corpus(args.store)
    t_open = time.perf_counter() - t
    ids = c.articles["doc_id"].to_numpy()
    months = pd.Series(pd.period_range("2016-01", periods=36, freq="M")[np.arange(len(ids)) % 36], index=ids)
    t = time.perf_counter()
    ex = ct.explore(c, by=months, term=TERMS[0])
    t_first = time.perf_counter() - t  # defaults + the token index + the first term
    times: dict[str, list[float]] = {"term": [], "period": [], "page": [], "bare kwic": []}
    for p in range(args.passes):
        for term in (TERMS if p % 2 == 0 else TERMS[::-1]):
            t = time.perf_counter()
            c.kwic(term if term != "anti_corruption" else "tham nhũng", window=8, n=500)
            times["bare kwic"].append(time.perf_counter() - t)
            t = time.perf_counter()
            ex.show_term(term)
            times["term"].append(time.perf_counter() - t)
            for period in ex.period_box.options[1:4]:
                t = time.perf_counter()
                ex.show_period(period)
                times["period"].append(time.perf_counter() - t)
            for step in (1, 1, -1):
                t = time.perf_counter()
                ex.page(step)
                times["page"].append(time.perf_counter() - t)
    sub = c.frame(where=lambda m: m["doc_id"].isin(set(ids[:2000])))
    model = ct.TopicModel(10, vectorizer=ct.TopicVectorizer(), random_state=0).fit(sub)
    tex = ct.explore(c, model=model, frame=sub, by=months, term=TERMS[0])
    times["topic/λ"] = []
    for k in range(10):
        t = time.perf_counter()
        tex.show_topic(k, lambda_=round(0.1 * (k % 10), 1))
        times["topic/λ"].append(time.perf_counter() - t)
    base = statistics.median(times["bare kwic"])
    print(f"store: {len(ids)} articles; open {t_open:.1f} s; explorer built with its first term "
          f"(defaults, token index) {t_first:.1f} s")
    print(f"{'action':<12}{'n':>4}{'median s':>10}{'worst s':>9}{'x bare kwic':>12}{'< 1 s':>7}")
    for k, v in times.items():
        print(f"{k:<12}{len(v):>4}{statistics.median(v):>10.3f}{max(v):>9.3f}"
              f"{statistics.median(v) / base:>12.2f}{'yes' if max(v) < 1 else 'NO':>7}")


if __name__ == "__main__":
    main()
