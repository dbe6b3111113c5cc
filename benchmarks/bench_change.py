"""Change points and the calendar test against planted truth (issue 29).

Series are built from a shared corpus's real articles (their real word counts and
lengths, so documents that repeat a word are in the noise) given random dates over
``--months`` months: no real change. Then:

1. planted level changes: after a random month, every document's count of the
   term is multiplied by 1.5-3 (stochastic rounding); found when
   :func:`change_points` puts a change within one period of it (target >= 90%);
2. unplanted series: the share showing any change (target <= 5%);
3. the calendar test: changes planted at random months of 2011-2020 (monthly
   series), its p-value over ``--runs`` runs against uniform (KS test; it should
   not reject), and its power when the changes are planted at plenums.

    .venv/bin/python benchmarks/bench_change.py [--corpus unc_dantri] [--series 200] [--runs 200]
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats

sys.path.insert(0, os.path.dirname(__file__))
from _shared import read_corpus  # noqa: E402

import corpus_tools as ct  # noqa: E402


def doc_counts(corpus: str, n_terms: int, rng) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Per-document counts of ``n_terms`` frequent words (whole syllable strings,
    case-folded) and document lengths, from the raw texts (no segmentation needed
    for a benchmark of the change-point step)."""
    docs = read_corpus(corpus)
    texts = [(d.get("text") or d.get("content") or "").lower().split() for d in docs]
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    vocab = pd.Series([w for t in texts for w in t if w.isalpha()]).value_counts()
    pool = vocab[(vocab >= 800) & (vocab <= 8000)].index.tolist()
    terms = [pool[i] for i in rng.choice(len(pool), min(n_terms, len(pool)), replace=False)]
    pos = {w: j for j, w in enumerate(terms)}
    counts = np.zeros((len(texts), len(terms)), dtype=np.int64)
    for i, t in enumerate(texts):
        for w in t:
            j = pos.get(w)
            if j is not None:
                counts[i, j] += 1
    return counts, lengths, terms


def series_table(counts, lengths, month, n_months, name) -> pd.DataFrame:
    periods = [str(p) for p in pd.period_range("2015-01", periods=n_months, freq="M")]
    c = np.bincount(month, weights=counts, minlength=n_months)
    tok = np.bincount(month, weights=lengths, minlength=n_months)
    return pd.DataFrame({"term": name, "period": periods, "count": c, "n_tokens": tok})


def scale(counts: np.ndarray, m: float, rng) -> np.ndarray:
    x = counts * m
    return np.floor(x) + (rng.random(len(x)) < (x - np.floor(x)))


def planted_and_null(args, rng):
    counts, lengths, terms = doc_counts(args.corpus, 60, rng)
    found = false = 0
    ratios = []
    t0 = time.time()
    for s in range(args.series):
        j = int(rng.integers(counts.shape[1]))
        month = rng.integers(args.months, size=len(lengths))
        null = series_table(counts[:, j], lengths, month, args.months, terms[j])
        false += len(ct.change_points(null, random_state=s).table) > 0
        at = int(rng.integers(4, args.months - 4))
        m = float(rng.uniform(1.5, 3.0))
        c = np.where(month >= at, scale(counts[:, j], m, rng), counts[:, j])
        cp = ct.change_points(series_table(c, lengths, month, args.months, terms[j]), random_state=s).table
        hit = bool((np.abs(cp["position"] - at) <= 1).any()) if len(cp) else False
        found += hit
        ratios.append((m, hit))
    r = pd.DataFrame(ratios, columns=["m", "hit"])
    by = r.groupby(pd.cut(r["m"], [1.5, 2.0, 2.5, 3.0], include_lowest=True), observed=True)["hit"].mean()
    print(f"{args.series} series of {args.months} months ({args.corpus}, real documents, random dates), "
          f"{time.time() - t0:.0f} s")
    print(f"planted level changes (x1.5-3) found within one period: {found / args.series:.3f} (target >= 0.90); "
          f"by ratio: {by.round(3).to_dict()}")
    print(f"unplanted series with a change: {false / args.series:.3f} (target <= 0.05)")
    return counts, lengths


def calendar_runs(args, counts, lengths, rng):
    months = pd.period_range("2011-01", "2020-12", freq="M")
    n = len(months)
    plenums = ct.load_calendar()
    plenums = plenums[plenums["kind"].isin(["plenum", "congress"])]
    at_event = sorted({months.get_loc(pd.Period(d, "M")) for d in plenums["start"]
                       if months[0] <= pd.Period(d, "M") <= months[-1]})
    ps, ps_event, n_changes = [], [], []
    t0 = time.time()

    def three_series(month, pick_at, run):
        """Three term series with a x2.5 change each, at the month ``pick_at`` gives."""
        tables = []
        for k in range(3):
            j = int(rng.integers(counts.shape[1]))
            at = pick_at()
            c = np.where(month >= at, scale(counts[:, j], 2.5, rng), counts[:, j])
            t = series_table(c, lengths, month, n, f"s{k}")
            t["period"] = [str(p) for p in months]
            tables.append(t)
        return ct.change_points(pd.concat(tables), n_perm=300, random_state=run)

    meetings = [a for a in at_event if 6 <= a < n - 6]
    for run in range(args.runs):
        month = rng.integers(n, size=len(lengths))
        cp = three_series(month, lambda: int(rng.integers(6, n - 6)), run)
        if len(cp.table):
            ps.append(ct.calendar_test(cp, random_state=run).p_value)
            n_changes.append(len(cp.table))
        if run < args.runs // 4:  # power: the same, planted at a meeting's month
            cp = three_series(month, lambda: int(rng.choice(meetings)), run)
            if len(cp.table):
                ps_event.append(ct.calendar_test(cp, random_state=run).p_value)
    ks = stats.kstest(ps, "uniform")
    print(f"calendar test, changes at random months of 2011-2020: {len(ps)} runs "
          f"({np.mean(n_changes):.1f} changes each), KS against uniform D = {ks.statistic:.3f}, "
          f"p = {ks.pvalue:.3f} (uniform unless p < 0.05); share p < 0.05: {np.mean(np.array(ps) < 0.05):.3f}; "
          f"{time.time() - t0:.0f} s")
    print(f"  power, changes planted at a congress or plenum month: {len(ps_event)} runs, "
          f"share p < 0.05: {np.mean(np.array(ps_event) < 0.05):.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="unc_dantri")
    ap.add_argument("--series", type=int, default=500)
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    counts, lengths = planted_and_null(args, rng)
    calendar_runs(args, counts, lengths, rng)


if __name__ == "__main__":
    main()
