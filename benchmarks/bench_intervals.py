"""Coverage of term_rates' intervals at small counts (issue: a period where the term
never occurs got the bootstrap's degenerate [0, 0]).

    python benchmarks/bench_intervals.py [--sims 400]

Each simulation draws a period of 30 articles (lengths from 200 to 1,200 tokens), plants a
term at a known rate so that the period's expected count is mu, with the occurrences
Poisson in each article, and asks ``term_rates`` (n_boot=200) for the rate's and the
document share's 95% intervals. mu is drawn log-uniformly within each band, so the table
gives the coverage averaged over the band: at one fixed mu, any interval of a discrete
count jumps between values (Brown, Cai & DasGupta 2001), and the average is what a
researcher with an unknown rate gets. Target: 0.93-0.97 in every band.
"""
from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

import corpus_tools as ct

BANDS = [(0.5, 1.0), (1.0, 2.0), (2.0, 5.0)]


def one(rng, mu: float, n_docs: int = 30):
    lengths = rng.integers(200, 1201, size=n_docs)
    rate = mu / lengths.sum()  # per token
    k = rng.poisson(rate * lengths)
    tokens = []
    for n, c in zip(lengths, k):
        toks = ["x"] * int(n)
        for pos in rng.choice(n, size=min(int(c), int(n)), replace=False):
            toks[pos] = "lạm_phát"
        tokens.append(toks)
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n_docs)], "tokens": tokens})
    r = ct.term_rates(frame, [("lạm_phát",)], by=None, n_boot=200, random_state=int(rng.integers(1 << 30)))
    row = r.iloc[0]
    true_rate = rate * 1e4
    true_share = float(np.mean(1 - np.exp(-rate * lengths)))  # P(an article has the term)
    return (row["rate_low"] <= true_rate <= row["rate_high"],
            row["share_low"] <= true_share <= row["share_high"], row["ci_method"], int(row["count"]))


def analytic_coverage(lo: float, hi: float, ci: float = 0.95) -> float:
    """Coverage of the Jeffreys rate interval for a Poisson count, averaged over mu
    log-uniform in [lo, hi], computed exactly from the Poisson pmf (no simulation):
    the independent check of the simulated column."""
    from scipy.stats import poisson
    x = np.arange(0, 200)
    low, high = ct.jeffreys_intervals(x, np.full(len(x), 1e4), x, np.full(len(x), 1e9), ci)[:2]
    mus = np.exp(np.linspace(np.log(lo), np.log(hi), 2001))
    cover = [(poisson.pmf(x, m) * ((low <= m) & (m <= high))).sum() for m in mus]
    return float(np.mean(cover))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sims", type=int, default=400)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    print(f"{'expected count':>15} {'rate cover':>10} {'share cover':>11} {'zero counts':>11} {'jeffreys':>9}"
          f" {'Jeffreys, exact calc.':>22}")
    ok = True
    for lo, hi in BANDS:
        res = [one(rng, float(np.exp(rng.uniform(np.log(lo), np.log(hi))))) for _ in range(args.sims)]
        rc = np.mean([r[0] for r in res])
        sc = np.mean([r[1] for r in res])
        zero = np.mean([r[3] == 0 for r in res])
        jef = np.mean([r[2] == "jeffreys" for r in res])
        ok &= 0.93 <= rc <= 0.97
        print(f"{lo:>6.1f} - {hi:<6.1f} {rc:>10.3f} {sc:>11.3f} {zero:>11.2f} {jef:>9.2f}"
              f" {analytic_coverage(lo, hi):>22.3f}")
    print("target 0.93-0.97 for the rate:", "MET" if ok else "MISSED")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
