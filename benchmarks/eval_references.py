"""Cited documents against a gold set read by hand: precision and recall per kind, and the
issuing term, with bootstrap intervals over articles.

    .venv/bin/python benchmarks/eval_references.py [--boot 1000] [--show-errors]

The gold set (``gold/references.tsv``, rules in ``docs/references_gold.md``) holds every
candidate mention of the sampled articles of ``../shared/corpora`` and the bundled samples:
a type word with a number or code, a bare code, ``Luật``/``Bộ luật`` with a name, the
named documents; each judged a reference (``ref=1``, with its ``kind``, canonical id and
issuing ``term``) or not (``ref=0``: law schools and firms, treaties, the CCDI …).

A gold mention is found when a row of :func:`corpus_tools.references.references_table`
overlaps it with the same canonical id (the term suffix ``(XII)`` set aside: the term is
scored apart). A row is right when it overlaps a gold reference with its id; a row over
a ``ref=0`` mention is a false positive. The extraction runs on the whole shared corpora
(7,571 articles), so the corpus's evidence about codes is what a user's corpus of that
size would give. Targets (issue 25): central Party documents (``pc``) precision >= 0.95,
recall >= 0.90, term right in >= 0.95 of the found central codes with a known term.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold" / "references.tsv"
SEEDS = HERE.parent / "data" / "raw" / "seeds"
KINDS = ("pc", "po", "pl", "st", "law", "fx", "other")
KIND_NAMES = {"pc": "central Party", "po": "central Party organs", "pl": "local Party", "st": "state",
              "law": "laws and codes", "fx": "foreign", "other": "other bodies", "unresolved": "unresolved"}
_TERM = re.compile(r"^(\d+[a-z]?-[A-Za-zĐđ]+/TW) \([IVXL]+\)$")  # a code's term, not a plenum's khóa


def load_articles() -> pd.DataFrame:
    """The shared corpora and the samples, cleaned as the gold set's offsets expect."""
    sys.path.insert(0, str(HERE))
    from _shared import CORPORA, read_corpus

    from corpus_tools.clean import DEFAULT_STEPS, clean_spaced_punctuation, clean_text
    from corpus_tools.load import load_articles as load_folder
    rows = []
    for name in ("vietnews_party", "unc_dantri", "baomoi_2013"):
        if not (CORPORA / f"{name}.jsonl.gz").exists():
            continue
        steps = (*DEFAULT_STEPS, clean_spaced_punctuation) if name.startswith("vietnews") else DEFAULT_STEPS
        for r in read_corpus(name):
            text = "\n".join(x for x in (r.get("title"), r.get("content") or r.get("text")) if x)
            rows.append(dict(doc_id=f"{name}:{r['id']}", published=pd.to_datetime(r.get("date"), errors="coerce")
                             if r.get("date") else pd.NaT, text=clean_text(text, steps=steps)))
    seeds = load_folder(SEEDS, progress=False)
    rows += [dict(doc_id=f"seeds:{d}", published=p, text=t)
             for d, p, t in zip(seeds["doc_id"], seeds["published"], seeds["text"])]
    return pd.DataFrame(rows)


def text_digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def system_kind(r) -> str:
    if r.level == "foreign":
        return "fx"
    if r.doc_type == "Luật" or r.canonical == "Hiến pháp":
        return "law"
    if r.system == "party":
        if r.level == "central" and not re.match(r"NQ ĐH [IVXL]+ \(", r.canonical):
            return "pc"
        return "po" if r.level == "commission" else "pl"
    if r.system == "state":
        return "st"
    return "unresolved"


def bare(canonical: str) -> str:
    return _TERM.sub(r"\1", canonical or "")


def score(gold: pd.DataFrame, refs: pd.DataFrame):
    """Per gold mention: found; per system row: right, false positive or outside the gold."""
    by_doc = {d: g for d, g in refs.groupby("doc_id")}
    g_rows, s_rows = [], []
    for doc, gd in gold.groupby("doc_id"):
        sd = by_doc.get(doc, refs.iloc[0:0])
        for gr in gd.itertuples():
            over = sd[(sd["start"] < gr.end) & (sd["end"] > gr.start)]
            hit = over[over["canonical"].map(bare) == gr.canonical] if gr.ref else over.iloc[0:0]
            g_rows.append(dict(doc_id=doc, kind=gr.kind, ref=gr.ref, found=bool(len(hit)), gold_term=gr.term,
                               term=hit["term"].iloc[0] if len(hit) else None,
                               term_from=hit["term_from"].iloc[0] if len(hit) else None,
                               canonical=gr.canonical, text=gr.text,
                               got="; ".join(over["canonical"]) if len(over) else ""))
        for sr in sd.itertuples():
            over = gd[(gd["start"] < sr.end) & (gd["end"] > sr.start)]
            refs_over = over[over["ref"] == 1]
            right = bool((refs_over["canonical"] == bare(sr.canonical)).any())
            s_rows.append(dict(doc_id=doc, kind=system_kind(sr), right=right, judged=bool(len(over)),
                               canonical=sr.canonical, text=sr.text, start=sr.start))
    return pd.DataFrame(g_rows), pd.DataFrame(s_rows)


def _rate(num: pd.Series, den: pd.Series) -> float:
    return float(num.sum() / den.sum()) if den.sum() else float("nan")


def bootstrap(df: pd.DataFrame, stat, n_boot: int, seed: int = 0) -> tuple[float, float]:
    """Percentile interval of ``stat(df)`` resampling articles (mentions of one article move together)."""
    if df.empty or n_boot <= 0:
        return float("nan"), float("nan")
    groups = [g for _, g in df.groupby("doc_id")]
    rng = np.random.default_rng(seed)
    vals = []
    for _ in range(n_boot):
        pick = rng.integers(0, len(groups), len(groups))
        vals.append(stat(pd.concat([groups[i] for i in pick])))
    vals = np.asarray(vals, dtype=float)
    vals = vals[~np.isnan(vals)]
    return (float(np.quantile(vals, 0.025)), float(np.quantile(vals, 0.975))) if len(vals) else (np.nan, np.nan)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--boot", type=int, default=1000)
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args(argv)
    from corpus_tools.references import references_table

    gold = pd.read_csv(args.gold, sep="\t", dtype=str, keep_default_na=False)
    gold[["start", "end", "ref"]] = gold[["start", "end", "ref"]].astype(int)
    arts = load_articles()
    if not set(gold["doc_id"]) <= set(arts["doc_id"]):
        missing = sorted(set(gold["doc_id"]) - set(arts["doc_id"]))
        print(f"gold articles not found (is ../shared there?): {len(missing)}, e.g. {missing[:3]}")
        return 0
    digests = dict(zip(arts["doc_id"], arts["text"].map(text_digest)))
    stale = gold[gold["digest"] != gold["doc_id"].map(digests)]["doc_id"].unique()
    if len(stale):
        print(f"{len(stale)} gold articles read differently now (cleaning changed): their offsets may not "
              f"point at the mentions; e.g. {list(stale[:3])}")
    t0 = time.perf_counter()
    refs = references_table(arts)
    took = time.perf_counter() - t0
    refs = refs[refs["doc_id"].isin(set(gold["doc_id"]))]
    g, s = score(gold, refs)
    n_art = gold["doc_id"].nunique()
    print(f"gold: {len(gold)} candidate mentions in {n_art} articles; {int(gold['ref'].sum())} references, "
          f"{int((gold['ref'] == 0).sum())} non-references (decoys); extraction on {len(arts)} articles "
          f"took {took:.1f}s")
    print(f"\n{'kind':<22}{'gold':>6}{'recall':>8}  {'95% CI':<15}{'rows':>6}{'precision':>11}  {'95% CI':<15}")
    for k in KINDS + ("unresolved",):
        gk = g[(g["ref"] == 1) & (g["kind"] == k)]
        sk = s[s["judged"] & (s["kind"] == k)]
        rec = gk["found"].mean() if len(gk) else float("nan")
        prec = sk["right"].mean() if len(sk) else float("nan")
        rlo, rhi = bootstrap(gk, lambda d: d["found"].mean(), args.boot)
        plo, phi = bootstrap(sk, lambda d: d["right"].mean(), args.boot)
        print(f"{KIND_NAMES[k] + ' (' + k + ')':<22}{len(gk):>6}{rec:>8.3f}  [{rlo:.3f}, {rhi:.3f}]  "
              f"{len(sk):>6}{prec:>11.3f}  [{plo:.3f}, {phi:.3f}]")
    allg, alls = g[g["ref"] == 1], s[s["judged"]]
    print(f"{'all':<22}{len(allg):>6}{allg['found'].mean():>8.3f}  {'':<15}{len(alls):>6}{alls['right'].mean():>11.3f}")
    decoys = g[g["ref"] == 0]
    fp = decoys[decoys["got"] != ""]
    print(f"\nnon-references taken for documents: {len(fp)} of {len(decoys)}")
    # the issuing term of the found central codes whose term the gold set knows
    t = g[(g["kind"] == "pc") & g["found"] & g["gold_term"].str.fullmatch(r"[IVXL]+")].copy()
    t["right"] = t["term"] == t["gold_term"]
    t["guess"] = t["term_from"].isin(["article", "numbering"])
    lo, hi = bootstrap(t, lambda d: d["right"].mean(), args.boot)
    print(f"\nterm of the found central codes (gold term known): {int(t['right'].sum())}/{len(t)} = "
          f"{t['right'].mean():.3f} [{lo:.3f}, {hi:.3f}]")
    ev = t[~t["guess"] & t["term"].notna()]
    print(f"  from evidence (date, khóa, text, corpus, table): {int(ev['right'].sum())}/{len(ev)} right; "
          f"guessed (article, numbering): {int(t[t['guess']]['right'].sum())}/{int(t['guess'].sum())} right; "
          f"no term given: {int(t['term'].isna().sum())}")
    print("  term_from of the found central codes:", t["term_from"].value_counts().to_dict())
    outside = s[~s["judged"]]
    if len(outside):
        print(f"\nrows over no gold candidate (the candidate net missed them; not scored): {len(outside)}")
    if args.show_errors:
        print("\nmissed or wrong gold references:")
        for r in g[(g["ref"] == 1) & ~g["found"]].itertuples():
            print(f"  {r.kind:<6}{r.doc_id:<34}{r.text[:40]!r:<44} gold={r.canonical!r} got={r.got!r}")
        print("\nrows over a gold reference with another id:")
        for r in s[s["judged"] & ~s["right"]].itertuples():
            print(f"  {r.kind:<6}{r.doc_id:<34}{r.text[:40]!r:<44} got={r.canonical!r}")
        print("\nnon-references taken for documents:")
        for r in fp.itertuples():
            print(f"  {r.doc_id:<34}{r.text[:40]!r:<44} got={r.got!r}")
        print("\nwrong terms:")
        for r in t[~t["right"]].itertuples():
            print(f"  {r.doc_id:<34}{r.canonical:<14} gold={r.gold_term:<6} got={r.term} ({r.term_from})")
        for r in outside.itertuples():
            print(f"  outside the gold: {r.doc_id} {r.start} {r.canonical!r} {r.text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
