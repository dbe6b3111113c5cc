"""Full loads of the shared corpora: articles yielded, skipped, duplicates, time.

    python benchmarks/bench_load.py [--limit N] [--only NAME ...]

Prints, per corpus, what ``load_articles`` yields and how long it took, in wall
and CPU seconds (the machine is shared, so CPU seconds are the steadier
figure), and the ratio to a baseline measured in the same run: reading and
JSON-parsing the same file without any cleaning.
"""
from __future__ import annotations

import argparse
import gzip
import json
import resource
import time
from pathlib import Path

from corpus_tools import load_articles

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
NAMES = ["baomoi_2013", "unc_dantri", "vietnews_party", "vietnews_40k"]


def _baseline(path: Path, limit: int | None) -> tuple[float, float]:
    """CPU seconds and MB to gunzip + json.loads every line."""
    c = time.process_time()
    size = 0
    with gzip.open(path, "rb") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                break
            size += len(line)
            json.loads(line)
    return time.process_time() - c, size / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="records per corpus (default: all)")
    ap.add_argument("--only", nargs="*", default=NAMES, choices=NAMES)
    args = ap.parse_args()
    if not CORPORA.exists():
        print(f"skipped: {CORPORA} not present")
        return
    print(f"{'corpus':<16}{'inputs':>8}{'loaded':>8}{'skipped':>8}{'dups':>6}{'dated':>7}"
          f"{'wall s':>8}{'cpu s':>7}{'MB':>7}{'MB/cpu-s':>9}{'x parse':>8}")
    for name in args.only:
        path = CORPORA / f"{name}.jsonl.gz"
        if not path.exists():
            print(f"{name:<16} absent")
            continue
        base_cpu, mb = _baseline(path, args.limit)
        t, c = time.perf_counter(), time.process_time()
        df = load_articles(path, progress=False, limit=args.limit)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        r = df.attrs["report"]
        print(f"{name:<16}{r.inputs:>8}{r.loaded:>8}{r.skipped:>8}{r['duplicates']:>6}"
              f"{int(df['published'].notna().sum()):>7}{wall:>8.1f}{cpu:>7.1f}{mb:>7.1f}"
              f"{mb / cpu:>9.2f}{cpu / base_cpu:>8.1f}", flush=True)
        del df
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")


if __name__ == "__main__":
    main()
