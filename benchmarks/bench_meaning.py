"""Does meaning_change find planted shifts, and only them? (issue 29)

A shared corpus's articles are split at random into a "before" and an "after"
period (random dates: no real change between them), then 20 target words are
given another word's contexts after the split: in the "after" documents each
target's own occurrences are removed (replaced by one placeholder word) and as
many occurrences of its donor become the target. The donor keeps the rest of its
occurrences, so its meaning does not move.

Prints: how many of the 20 planted words are among the 20 most changed of the
5,000 most frequent (target >= 18); how often the intervals of 100 unplanted
control words include no change (nominal 0.95); and whether the same seed gives
the same table.

    .venv/bin/python benchmarks/bench_meaning.py [--corpus vietnews_party] [--store DIR] [--perm 100]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(__file__))
from _shared import CORPORA  # noqa: E402

import corpus_tools as ct  # noqa: E402
from corpus_tools.syllables import match_keys  # noqa: E402


def _store(args) -> str:
    if args.store:
        return args.store
    out = os.path.join(tempfile.mkdtemp(prefix="bench_meaning_"), "store")
    ct.ingest(str(CORPORA / f"{args.corpus}.jsonl.gz"), out)
    return out


def _key(tok: str) -> str:
    return "_".join(match_keys(tok))


def plant(frame: pd.DataFrame, after: np.ndarray, targets: list[str], donors: list[str], rng) -> pd.DataFrame:
    """Targets take their donors' contexts in the ``after`` documents."""
    donor_of = dict(zip(donors, targets))
    tokens = [list(t) for t in frame["tokens"]]
    # where each donor occurs after the split: (doc, position)
    spots: dict[str, list[tuple[int, int]]] = {d: [] for d in donors}
    own: dict[str, int] = {t: 0 for t in targets}
    for i in np.flatnonzero(after):
        toks = tokens[i]
        for j, tok in enumerate(toks):
            k = _key(tok)
            if k in own:
                toks[j] = "∅"  # the target's own use after the split: gone
                own[k] += 1
            elif k in spots:
                spots[k].append((i, j))
    for d, places in spots.items():
        t = donor_of[d]
        take = min(own[t], len(places) // 2)
        for idx in rng.choice(len(places), take, replace=False):
            i, j = places[idx]
            tokens[i][j] = t
    return frame.assign(tokens=tokens)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="vietnews_party")
    ap.add_argument("--store", default=None, help="an ingested store (default: ingest --corpus to a temp dir)")
    ap.add_argument("--perm", type=int, default=100, help="document shuffles per comparison")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    t0 = time.time()
    store = ct.open_corpus(_store(args))
    frame = store.frame()
    rng = np.random.default_rng(args.seed)
    after = rng.random(len(frame)) < 0.5
    periods = pd.Series(np.where(after, "2 after", "1 before"), index=frame["doc_id"])
    # the words compared: the 5,000 most frequent (case-folded), as meaning_change counts them
    keys = pd.Series([_key(t) for toks in frame["tokens"] for t in toks]).value_counts()
    top = keys.index[:5000]
    # targets: frequent enough to be compared in both halves (ranks 100-1,500); each
    # donor at least three times as frequent, so it can give the target all its uses
    # after the split and keep most of its own
    pool = [w for w in top[100:1500] if w.replace("_", "").isalpha()]
    order = rng.permutation(len(pool))
    targets, donors, used = [], [], set()
    for i in order:
        t = pool[i]
        if t in used:
            continue
        rich = [w for w in top[30:1500] if w.replace("_", "").isalpha() and w not in used and w != t
                and keys[w] >= 3 * keys[t]]
        if not rich:
            continue
        d = rich[int(rng.integers(len(rich)))]
        targets.append(t)
        donors.append(d)
        used.update((t, d))
        if len(targets) == 20:
            break
    planted = plant(frame, after, targets, donors, rng)
    print(f"{args.corpus}: {len(frame)} articles, random split {int(after.sum())} after / {int((~after).sum())} before; "
          f"targets (donor): {', '.join(f'{t} ({d})' for t, d in zip(targets, donors))}")
    t1 = time.time()
    mc = ct.meaning_change(planted, by=periods, n=None, vocabulary_size=5000, n_perm=args.perm, n_boot=0,
                           random_state=args.seed)
    took = time.time() - t1
    table = mc.table
    top20 = table.nlargest(20, "change")["word"].tolist()
    hits = sorted(set(top20) & set(targets))
    print(f"compared: {len(table)} words (>= {mc.params['min_count']} in both periods) in {took:.0f} s")
    print(f"planted among the 20 most changed: {len(hits)} / 20 (target >= 18); "
          f"missed: {sorted(set(targets) - set(top20))}")
    print("  top 20: " + ", ".join(f"{w}{'*' if w in targets else ''}" for w in top20))
    for col in ("z", "displacement"):
        alt = set(table.nlargest(20, col)["word"]) & set(targets)
        print(f"  ranked by {col} instead: {len(alt)} / 20")
    ranks = table["change"].rank(ascending=False)
    for t in targets:
        row = table[table["word"] == t]
        if len(row):
            r = row.iloc[0]
            print(f"  {t:>16}: rank {int(ranks[row.index[0]]):>4}, change {r['change']:.3f} "
                  f"[{r['change_low']:.3f}, {r['change_high']:.3f}], counts {r['count_from']}/{r['count_to']}")
        else:
            print(f"  {t:>16}: not compared (too rare in a period)")
    controls = table[~table["word"].isin(targets + donors + ["∅"])]
    controls = controls.iloc[rng.choice(len(controls), min(100, len(controls)), replace=False)]
    inside = ((controls["change_low"] <= 0) & (controls["change_high"] >= 0)).mean()
    print(f"controls: {len(controls)} unplanted words; intervals including no change: {inside:.2f} (nominal 0.95)")
    # raw displacement vs frequency, and the corrected change vs frequency (the correction's effect)
    logf = np.log(table["count_from"] + table["count_to"])
    print(f"Spearman with log frequency: raw displacement {table['displacement'].corr(logf, method='spearman'):.2f}, "
          f"change {table['change'].corr(logf, method='spearman'):.2f}")
    small = frame.iloc[:400]
    by_small = periods.loc[small["doc_id"]]
    a = ct.meaning_change(small, by=by_small, n=None, vocabulary_size=800, min_count=5, n_perm=10, n_boot=5,
                          random_state=3).table
    b = ct.meaning_change(small, by=by_small, n=None, vocabulary_size=800, min_count=5, n_perm=10, n_boot=5,
                          random_state=3).table
    print(f"same seed, same table: {a.equals(b)} ({len(a)} rows)")
    print(f"total {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
