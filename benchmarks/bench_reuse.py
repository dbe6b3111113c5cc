"""Text reuse: recovery of planted passages, reuse inside baomoi's event clusters,
and the 40k-article run.

    python benchmarks/bench_reuse.py [--n 1600] [--per-cell 25] [--seed 0]
                                     [--store-40k PATH] [--skip-40k]

A. **Recovery.** ``n`` real unc_dantri articles, segmented by the pipeline
   (``ct.tokenize``); ``per-cell`` passages of each length (20, 50, 100, 200 words)
   at each edit rate (0, 5, 10, 15% of words substituted, deleted or followed by an
   insertion) copied from one article into another (each article used once), by
   :func:`corpus_tools.plant_passages`. ``find_reuse`` runs on the original and on
   the planted articles; :func:`corpus_tools.score_recovery` prints recall,
   boundaries within 3 words (of the planted span, and of its core: first to last
   unchanged word) and precision per cell. Targets: precision and recall >= 0.95.
B. **baomoi_2013.** Its 628 articles in 200 same-event clusters: how much of the
   reuse found falls inside one cluster (by passages and by aligned words).
C. **Scale.** ``find_reuse`` on the 40,000-article vietnews store (build one with
   ``corpus-tools ingest ../shared/corpora/vietnews_40k.jsonl.gz --out PATH``):
   wall time (target <= 600 s on 2 cores) and peak memory, against a baseline in
   the same run (reading the token stream and sorting its word 4-gram hashes, the
   least any n-gram method does), measured before and after; and ``backend="dask"``
   on a local cluster, whose passages must equal the serial run's.
"""
from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import numpy as np
import pandas as pd

import corpus_tools as ct

from _shared import CORPORA, read_corpus as _read  # noqa: E402


def _frame(arts: list[dict], **cols) -> pd.DataFrame:
    from tqdm.auto import tqdm
    toks = [ct.tokenize(a.get("text") or a.get("content") or "", lowercase=False)
            for a in tqdm(arts, desc="segmenting")]
    return pd.DataFrame({"doc_id": [str(a["id"]) for a in arts], "tokens": toks,
                         **{k: [a.get(v) for a in arts] for k, v in cols.items()}})


def recovery(n: int, per_cell: int, seed: int) -> None:
    frame = _frame(_read("unc_dantri", n), published="date", outlet="category")
    t0 = time.perf_counter()
    base = ct.find_reuse(frame, levels=None)
    planted, truth = ct.plant_passages(frame, per_cell=per_cell, random_state=seed)
    found = ct.find_reuse(planted, levels=None)
    secs = time.perf_counter() - t0
    _, summary = ct.score_recovery(found.passages, truth, base.passages)
    print(f"A. recovery: {len(truth)} passages planted in {n} unc_dantri articles (seed {seed}); "
          f"{len(base.passages)} passages already shared before planting; both runs {secs:.1f} s")
    print(summary.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    allp = summary["plants"].sum()
    rec = (summary["recall"] * summary["plants"]).sum() / allp
    bnd = (summary["boundaries_within"] * summary["plants"]).sum() / allp
    core = (summary["core_boundaries_within"] * summary["plants"]).sum() / allp
    print(f"   overall: recall {rec:.3f}, precision {summary.attrs['precision_overall']:.3f} "
          f"({summary.attrs['stray_false_passages']} new passages outside every plant), boundaries within 3 words "
          f"{bnd:.3f} (core {core:.3f}); worst cell recall {summary['recall'].min():.3f}, "
          f"precision {summary['precision'].min():.3f}")


def baomoi() -> None:
    arts = _read("baomoi_2013")
    frame = _frame(arts, published="date", url="url", cluster="cluster")
    r = ct.find_reuse(frame, levels=None)
    p = r.passages
    cl = frame.set_index("doc_id")["cluster"]
    same = p["doc_id_a"].map(cl).to_numpy() == p["doc_id_b"].map(cl).to_numpy()
    words = p["aligned_length"].to_numpy()
    print(f"B. baomoi_2013: {len(p)} passages in {len(frame)} articles "
          f"({p['kind'].value_counts().to_dict()}); inside one event cluster: {same.mean():.3f} of passages, "
          f"{words[same].sum() / max(words.sum(), 1):.3f} of aligned words; "
          f"{len(r.clusters)} reuse clusters, {(r.clusters['n_articles'] > 2).sum()} in 3+ articles")
    if (~same).any():
        print("   passages across clusters, by kind:", p.loc[~same, "kind"].value_counts().to_dict(),
              "median aligned length", int(np.median(words[~same])))


def _baseline(store) -> float:
    t0 = time.perf_counter()
    corpus = ct.open_corpus(store)
    _, codes, _, _ = corpus.token_ids(include_duplicates=True)
    c = codes.astype(np.uint64)
    with np.errstate(over="ignore"):
        h = c[:-3] * np.uint64(1_000_003 ** 3) + c[1:-2] * np.uint64(1_000_003 ** 2) \
            + c[2:-1] * np.uint64(1_000_003) + c[3:]
    np.sort(h)
    return time.perf_counter() - t0


def scale(store: Path) -> None:
    if not (store / "manifest.json").exists():
        print(f"C. scale: no store at {store}; build it with corpus-tools ingest "
              f"{CORPORA / 'vietnews_40k.jsonl.gz'} --out {store}")
        return
    b1 = _baseline(store)
    t0 = time.perf_counter()
    r = ct.find_reuse(ct.open_corpus(store), progress=True)
    secs = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    b2 = _baseline(store)
    n = ct.open_corpus(store).manifest["counts"]
    print(f"C. scale: {n['articles']:,} articles, {n['tokens']:,} tokens: find_reuse {secs:.0f} s "
          f"(target <= 600 s), x{secs / ((b1 + b2) / 2):.1f} the baseline ({b1:.1f} s before, {b2:.1f} s after); "
          f"peak RSS {rss:.2f} GB; {len(r.passages):,} passages {r.passages['kind'].value_counts().to_dict()}, "
          f"{len(r.clusters):,} clusters")
    t0 = time.perf_counter()
    d = ct.find_reuse(ct.open_corpus(store), backend="dask")
    dsecs = time.perf_counter() - t0
    same = d.passages.drop(columns=["text_a", "text_b"]).equals(r.passages.drop(columns=["text_a", "text_b"])) \
        and d.passages[["text_a", "text_b"]].equals(r.passages[["text_a", "text_b"]])
    print(f"   backend='dask' (local cluster, 2 workers): {dsecs:.0f} s; passages equal to serial: {same}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1600)
    ap.add_argument("--per-cell", type=int, default=25)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--store-40k", type=Path, default=Path("/work/bench/v40k"))
    ap.add_argument("--skip-40k", action="store_true")
    args = ap.parse_args()
    recovery(args.n, args.per_cell, args.seed)
    baomoi()
    if not args.skip_40k:
        scale(args.store_40k)


if __name__ == "__main__":
    main()
