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

``--coverage SIMS``: the amplification intervals against a planted reprint probability
(see :func:`coverage`); target 93-97% of 200 simulations. ``--formulaic``: Spearman of
``formula_share`` with a planted template share from 0 to 0.9 (target >= 0.95).
``--store DIR``: the time of find_reuse, find_reprints, amplification and formulaicness
on a store (issue 28: minutes, not hours, at 40k articles).
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
    ap.add_argument("--coverage", type=int, default=0, metavar="SIMS",
                    help="only the amplification coverage simulation, with SIMS runs (issue 28: 200)")
    ap.add_argument("--formulaic", action="store_true", help="only the planted template share check")
    ap.add_argument("--store", default=None, help="only the timings on this store")
    args = ap.parse_args()
    if args.coverage:
        return coverage(args.coverage)
    if args.formulaic:
        return formulaic(args.corpus)
    if args.store:
        return timings(args.store)
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



def coverage(sims: int, n_central: int = 150, n_own: int = 300, p: float = 0.3, n_boot: int = 500) -> None:
    """Amplification intervals against a planted value: each of ``n_central`` central
    articles is reprinted by the provincial papers with probability ``p`` (1-3 copies,
    0-3 days later, 0-10% edits); the provincial papers also write ``n_own`` articles of
    their own. The interval of the provincial share of the centre reprinted should hold
    ``p`` in 93-97% of the simulations (issue 28)."""
    import corpus_tools as ct
    held, widths = 0, []
    t = time.perf_counter()
    for s in range(sims):
        rng = np.random.default_rng(1000 + s)
        day = pd.Timestamp("2021-01-01")
        rows = []
        for i in range(n_central):
            words = [f"w{int(x)}" for x in rng.integers(0, 50000, 80)]
            pub = day + pd.Timedelta(days=int(rng.integers(0, 60)))
            rows.append((f"c{i}", words, pub, "nhandan.vn", "central"))
            if rng.random() < p:
                for k in rng.choice(6, size=int(rng.integers(1, 4)), replace=False):
                    copy = [w if rng.random() >= rng.uniform(0, 0.1) else f"e{int(rng.integers(10**6))}" for w in words]
                    rows.append((f"c{i}-{k}", copy, pub + pd.Timedelta(days=int(rng.integers(0, 4))),
                                 f"tinh{k}.vn", "provincial"))
        for j in range(n_own):
            rows.append((f"o{j}", [f"w{int(x)}" for x in rng.integers(0, 50000, 80)],
                         day + pd.Timedelta(days=int(rng.integers(0, 60))), f"tinh{j % 6}.vn", "provincial"))
        frame = pd.DataFrame(rows, columns=["doc_id", "tokens", "published", "outlet", "level"])
        rp = ct.find_reprints(frame, levels=dict(zip(frame["doc_id"], frame["level"])))
        amp = ct.amplification(rp, by="level", n_boot=n_boot, random_state=s).set_index("group")
        lo, hi = amp.loc["provincial", ["centre_reprinted_lo", "centre_reprinted_hi"]]
        held += lo <= p <= hi
        widths.append(hi - lo)
    print(f"amplification coverage: the 95% interval of the share of the centre reprinted held the planted "
          f"{p} in {held}/{sims} = {held / sims:.3f} simulations (target 0.93-0.97); mean width "
          f"{np.mean(widths):.3f}; {time.perf_counter() - t:.0f}s")



def formulaic(corpus: str, n: int = 400, seed: int = 0) -> None:
    """Real articles with a planted share (0-0.9) of template words: 12 phrases of 8 words,
    scattered through the text in any order; Spearman of ``formula_share`` with it."""
    import scipy.stats as st
    import corpus_tools as ct
    frame = real_frame(corpus, n, seed)
    rng = np.random.default_rng(seed)
    phrases = [[f"mẫu{i}_{j}" for j in range(8)] for i in range(12)]
    shares = rng.uniform(0, 0.9, len(frame))
    toks = []
    for t, s in zip(frame["tokens"], shares):
        body = list(t)[:300]
        for _ in range(int(round(s * len(body) / (1 - s) / 8))):
            at = int(rng.integers(0, len(body) + 1))
            body[at:at] = phrases[int(rng.integers(12))]
        toks.append(body)
    frame = frame.assign(tokens=toks)
    t = time.perf_counter()
    fm = ct.formulaicness(frame, levels=dict(zip(frame["doc_id"], frame["level"])))
    planted = [sum(w.startswith("mẫu") for w in x) / len(x) for x in toks]
    rho = st.spearmanr(planted, fm["formula_share"]).statistic
    print(f"formulaicness on {len(frame)} {corpus} articles with planted template shares 0-0.9: Spearman "
          f"{rho:.3f} (target >= 0.95); {time.perf_counter() - t:.1f}s")


def timings(store: str) -> None:
    import corpus_tools as ct
    c = ct.open_corpus(store)
    print(f"{store}: {c.info()['articles']} articles")
    t = time.perf_counter()
    reuse = ct.find_reuse(c)
    print(f"  find_reuse: {time.perf_counter() - t:.0f}s, {len(reuse.passages)} passages", flush=True)
    t = time.perf_counter()
    rp = ct.find_reprints(reuse=reuse)
    print(f"  find_reprints: {time.perf_counter() - t:.1f}s, {len(rp.cascades)} cascades, {len(rp.pairs)} reprints")
    t = time.perf_counter()
    amp = ct.amplification(rp, by="level") if len(rp.pairs) else None
    print(f"  amplification (1000 resamples): {time.perf_counter() - t:.1f}s"
          + ("" if amp is not None else " (no reprints)"))
    t = time.perf_counter()
    fm = ct.formulaicness(c, reuse=reuse)
    print(f"  formulaicness (find_formulas included): {time.perf_counter() - t:.0f}s, {len(fm)} articles", flush=True)


if __name__ == "__main__":
    main()
