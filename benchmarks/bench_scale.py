"""Analysis at scale: a store of up to a million articles (prints figures; not a test).

    python benchmarks/bench_scale.py --articles 1000000 [--source STORE] [--workdir DIR]
    python benchmarks/bench_scale.py --heap            # heap growth per token, 1k vs 2.6k store

The big store is the 40k vietnews store (``--source``, else ingested first)
replicated with new doc ids (``<id>~r``) until it holds ``--articles`` articles
(whole replicas: 25 x 40,000 = 1,000,000); its token arrays are then written as
ingest writes them. Replicas repeat the vocabulary, so the store has the token
count of a million articles but the vocabulary of 40,000: say so when quoting.

On it, in a fresh process: ``dtm(min_df=5)``, 5 KWIC queries and 100 term rates
by month, each with its wall time; then peak RSS (VmHWM) and heap growth
(RssAnon after the work minus RssAnon before opening the store), per token.
``--heap``: the same work on the first 1,000 and on all 2,653 articles of
unc_dantri; the growth between them per token (issue 27's target: <= 8 bytes).
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpora"
TABLE_DIRS = ("articles", "paragraphs", "sentences", "tokens", "terms", "signatures")

_WORK = textwrap.dedent("""
    import json, re, sys, time
    def status(key):
        for ln in open("/proc/self/status"):
            if ln.startswith(key + ":"):
                return int(ln.split()[1]) * 1024
    anon0 = status("RssAnon")
    import corpus_tools as ct
    from corpus_tools.store import open_corpus
    t = time.perf_counter()
    c = open_corpus(sys.argv[1])
    info = c.info()
    print(f"open + info: {time.perf_counter() - t:.1f}s, {info['articles']} articles, {info['tokens']} tokens", flush=True)
    t = time.perf_counter(); X, vocab, rows = c.dtm(min_df=5)
    print(f"dtm(min_df=5): {time.perf_counter() - t:.1f}s, shape {X.shape}, {X.nnz} entries", flush=True)
    for q in ["chính phủ", "Quốc hội", "chuyển đổi số", "Bộ Chính trị", "tham nhũng"]:
        t = time.perf_counter(); n = len(c.kwic(q))
        print(f"kwic {q!r}: {time.perf_counter() - t:.2f}s, {n} lines", flush=True)
    terms = [w for w in vocab if re.fullmatch(r"[^\\W\\d_]+(?:_[^\\W\\d_]+)*", w)][:: max(1, len(vocab) // 400)][:100]
    t = time.perf_counter(); r = ct.term_rates(c, terms, by="month", n_boot=200)
    print(f"term_rates(100 terms, by month, 200 resamples): {time.perf_counter() - t:.1f}s, {len(r)} rows", flush=True)
    print(json.dumps({"tokens": info["tokens"], "anon_growth": status("RssAnon") - anon0,
                      "peak": status("VmHWM")}))
""")


def work(store: Path) -> dict:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _WORK, str(store)], capture_output=True, text=True)
    if out.returncode:
        print(out.stdout, out.stderr[-3000:])
        raise SystemExit(f"the analysis of {store} failed")
    lines = out.stdout.strip().splitlines()
    for ln in lines[:-1]:
        print("   ", ln)
    res = json.loads(lines[-1])
    res["wall"] = time.perf_counter() - t
    gib = 2 ** 30
    print(f"    total {res['wall']:.0f}s; peak RSS {res['peak'] / gib:.2f} GiB; heap (RssAnon) growth "
          f"{res['anon_growth'] / gib:.2f} GiB = {res['anon_growth'] / max(res['tokens'], 1):.1f} bytes/token",
          flush=True)
    return res


def replicate(source: Path, out: Path, articles: int) -> Path:
    """``source`` replicated (new doc ids per replica) to ``articles`` articles."""
    from corpus_tools.store._arrays import write_token_arrays
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    n_src = manifest["counts"]["articles"]
    reps = max(1, -(-articles // n_src))
    shutil.rmtree(out, ignore_errors=True)
    for d in TABLE_DIRS:
        (out / d).mkdir(parents=True)
    sources, parts = {}, []
    t = time.perf_counter()
    for r in range(reps):
        for key, src in manifest["sources"].items():
            new = json.loads(json.dumps(src))
            for part in new["parts"]:
                name = part["name"].replace(".parquet", f"-r{r:03d}.parquet")
                for d in TABLE_DIRS:
                    f = source / d / part["name"]
                    if f.exists():
                        pq.write_table(_renamed(pq.read_table(f), r), out / d / name)
                part["name"] = name
                parts.append(name)
            new["records"] = {f"{k}~{r}": v for k, v in new["records"].items()}
            sources[f"{key}~{r:03d}"] = new
        print(f"    replica {r + 1}/{reps} written ({time.perf_counter() - t:.0f}s)", flush=True)
    manifest["sources"] = dict(sorted(sources.items()))
    manifest["counts"] = {k: v * reps if k != "files" else v for k, v in manifest["counts"].items()}
    parts = [p["name"] for s in manifest["sources"].values() for p in s["parts"]]
    t = time.perf_counter()
    write_token_arrays(out, parts)
    print(f"    token arrays written in {time.perf_counter() - t:.0f}s", flush=True)
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (out / "ingest_report.json").write_text(json.dumps({"sources": {}}), encoding="utf-8")
    from corpus_tools.store._corpus import Corpus
    t = time.perf_counter()
    Corpus(out)._save_token_index()  # as ingest saves it
    print(f"    token index saved in {time.perf_counter() - t:.0f}s", flush=True)
    return out


def _renamed(t: pa.Table, r: int) -> pa.Table:
    if r == 0:
        return t
    for col in ("doc_id", "duplicate_of", "base_id"):
        if col in t.column_names:
            i = t.schema.get_field_index(col)
            t = t.set_column(i, col, pc.binary_join_element_wise(t[col], pa.scalar(f"~{r}"), ""))
    return t


def heap() -> None:
    from corpus_tools.store import ingest
    corpus = SHARED / "unc_dantri.jsonl.gz"
    with tempfile.TemporaryDirectory() as d:
        res = {}
        for n in (1000, None):
            store = Path(d) / f"s{n}"
            ingest(corpus, store, limit=n, progress=False)
            print(f"unc_dantri, {'all' if n is None else n} articles:")
            res[n] = work(store)
        small, big = res[1000], res[None]
        per = (big["anon_growth"] - small["anon_growth"]) / (big["tokens"] - small["tokens"])
        print(f"heap growth between the 1,000- and the 2,653-article store: {per:.1f} bytes/token "
              f"(target <= 8)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--source", default=None, help="a store to replicate (default: ingest vietnews_40k)")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--heap", action="store_true")
    args = ap.parse_args()
    if args.heap:
        return heap()
    work_dir = Path(args.workdir or tempfile.mkdtemp(prefix="bench_scale_"))
    source = Path(args.source) if args.source else work_dir / "store40k"
    if not (source / "manifest.json").exists():
        from corpus_tools.store import ingest
        t = time.perf_counter()
        ingest(SHARED / "vietnews_40k.jsonl.gz", source, progress=False)
        print(f"40k store ingested in {time.perf_counter() - t:.0f}s")
    from corpus_tools.store._arrays import ARRAYS_DIR, write_token_arrays
    from corpus_tools.store._corpus import Corpus
    if not (source / ARRAYS_DIR / "index").exists():  # a store from before arrays were written at ingest
        m = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
        write_token_arrays(source, [p["name"] for s in m["sources"].values() for p in s["parts"]])
        Corpus(source)._save_token_index()
    print(f"the 40k store ({source}):")
    work(source)
    t = time.perf_counter()
    big = replicate(source, work_dir / f"store{args.articles}", args.articles)
    print(f"{args.articles:,}-article store built by replication in {time.perf_counter() - t:.0f}s:")
    work(big)
    print(f"work dir {work_dir}")


if __name__ == "__main__":
    main()
