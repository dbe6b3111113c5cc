"""Validity of find_reprints by simulation (prints figures; not a test).

    python benchmarks/bench_reprints.py [--corpus unc_dantri] [--n 1500] [--cascades 60] [--sims 3]

Real articles of a shared corpus (the first ``n`` dated ones) are spread over 8
outlets at random; cascades are planted in them (:func:`corpus_tools.plant_cascades`:
2-5 copies in other outlets, 0-3 days of lag, 0-20% word edits, real text around
the copy). A true (origin, copy) pair is found when the copy lands in the cascade
of its origin. A found pair is false when its copy is planted and its cascade does
not hold the true origin, or when both articles are real and the unplanted corpus
has no such reprint (reprints already in the corpus are not errors). The lag error
is measured where the reported origin is the true one.
Targets (issue 28): recall and precision >= 0.95; lag error <= 1 day in >= 95%.
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def real_frame(corpus: str, n: int, seed: int) -> pd.DataFrame:
    import corpus_tools as ct
    with gzip.open(ROOT.parent / "shared" / "corpora" / f"{corpus}.jsonl.gz", "rt", encoding="utf-8") as fh:
        lines = list(itertools.islice(fh, n * 2))
    recs = [ct.RawRecord(f"{corpus}#{i + 1}", corpus, "jsonl", fields=json.loads(ln)) for i, ln in enumerate(lines)]
    df = ct.load_records(recs, source=corpus, dedupe="none").articles
    df = df[df["published"].notna()].head(n).reset_index(drop=True)
    df["tokens"] = [[w for s in ct.segment(t) for w in s] for t in df["text"]]
    rng = np.random.default_rng(seed)
    df["outlet"] = [f"site{k}" for k in rng.integers(0, 8, len(df))]
    df["level"] = np.where(rng.random(len(df)) < 0.3, "central", "provincial")
    return df[["doc_id", "tokens", "published", "outlet", "level"]]


def score(found: pd.DataFrame, truth: pd.DataFrame, base_pairs: set) -> dict:
    cascade_of = {}
    for r in found.itertuples():
        cascade_of[r.copy] = r.cascade_id
        cascade_of[r.origin] = r.cascade_id
    hit = [cascade_of.get(c) is not None and cascade_of.get(c) == cascade_of.get(o)
           for o, c in zip(truth["origin"], truth["copy"])]
    planted = set(truth["copy"])
    true_origin = dict(zip(truth["copy"], truth["origin"]))
    members: dict = {}
    for r in found.itertuples():
        members.setdefault(r.cascade_id, set()).update((r.origin, r.copy))
    false = 0
    for r in found.itertuples():
        if r.copy in planted:
            false += true_origin[r.copy] not in members[r.cascade_id]
        elif r.origin not in planted:
            false += (r.origin, r.copy) not in base_pairs
    m = found.merge(truth, on=["origin", "copy"], suffixes=("", "_true"))
    err = (m["lag"] / np.where(m["lag_unit"] == "hours", 24, 1) - m["lag_true"]).abs()
    return {"recall": float(np.mean(hit)), "precision": 1 - false / max(len(found), 1),
            "lag_ok": float((err <= 1).mean()) if len(err) else float("nan"), "n_true": len(truth),
            "n_found": len(found)}


def main() -> None:
    import corpus_tools as ct
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="unc_dantri")
    ap.add_argument("--n", type=int, default=1500)
    ap.add_argument("--cascades", type=int, default=60)
    ap.add_argument("--sims", type=int, default=3)
    args = ap.parse_args()
    t = time.perf_counter()
    frame = real_frame(args.corpus, args.n, 0)
    print(f"{len(frame)} real articles of {args.corpus} segmented in {time.perf_counter() - t:.0f}s")
    levels = dict(zip(frame["doc_id"], frame["level"]))
    base = ct.find_reprints(frame, levels=levels)
    base_pairs = set(zip(base.pairs["origin"], base.pairs["copy"]))
    print(f"reprints already in the corpus (random outlets): {len(base_pairs)} pairs")
    rows = []
    for s in range(args.sims):
        planted, truth = ct.plant_cascades(frame, n_cascades=args.cascades, random_state=s)
        t = time.perf_counter()
        found = ct.find_reprints(planted, levels={**levels, **dict(zip(planted["doc_id"], planted["level"]))})
        res = score(found.pairs, truth, base_pairs)
        res["seconds"] = time.perf_counter() - t
        rows.append(res)
        print(f"  sim {s}: " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                                         for k, v in res.items()), flush=True)
    df = pd.DataFrame(rows)
    print(f"mean over {len(df)} simulations: recall {df['recall'].mean():.3f}, precision "
          f"{df['precision'].mean():.3f} (targets >= 0.95); lag within 1 day {df['lag_ok'].mean():.3f} "
          f"(target >= 0.95)")


if __name__ == "__main__":
    main()
