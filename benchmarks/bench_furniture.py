"""Furniture learnt by repetition, on synthetic sites built from real articles.

    python benchmarks/bench_furniture.py [--per-site 40] [--seed 0] [--quick]

Real unc_dantri articles (multi-line) are grouped into synthetic sites: a folder
of ``.txt`` files per site, or, for the one-line kinds, one JSONL export per site
whose texts are flattened to one line. Each site gets furniture of one kind, with
text drawn from baomoi_2013 articles (real Vietnamese, another corpus), of 3, 8,
17 or 40 words, in every article or in 70% of them:

- ``lead-glued``: glued to the first body sentence, no space, no delimiter;
- ``lead-space``: before it with a space only; ``lead-dash``: before ``" - "``;
- ``lead-line``: a line of its own above the body;
- ``trail-glued`` / ``trail-space`` / ``trail-line``: the same at the end;
- ``inline``: a widget between two sentences of a middle paragraph;
- ``lead-vary`` / ``trail-vary``: with a view counter or an update time inside,
  different in every article;
- ``flat-lead`` / ``flat-trail`` / ``flat-inline``: one-line texts (an export);
- ``trail-doubled``: a credit written twice and glued at the end, as a real site
  did (``…Nguồn: [Link nguồn]Nguồn: [Link nguồn]``);
- ``lead-stacked``: a delimited prefix in every article with a second, glued one
  (half its length) stacked behind it in 60% of them (``SHO - Bạn đã lưu bài viết …``);
  the first of at most 24 words, as for ``trail-doubled`` (together within 50 words);
- ``inline-promo``: a block of 8 to 40 words between sentences in only 10-20% of
  the articles of a site four times the usual size (a betting promo; a 3-word block that rare cannot be told from
  language: the length rule asks a fifth of the articles for it);
- ``inline-credit``: photo and source credits in parentheses inside paragraphs,
  ``(Ảnh: Forbes)``, with another agency in every article.

Control sites get nothing. Every article is loaded twice: as injected with
furniture learnt, and clean with learning off (the reference: what the line
rules alone make of it). Prints per kind: **removed** (share of injected
fragments absent from the output), **kept** (share of the reference's words
still in the output, as a multiset), and for the controls the **false
removals**: reference lines changed or lost, as a share of the controls' lines.
Targets: removed >= 0.95 for every kind, kept >= 0.99, false removals <= 0.1%.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

from corpus_tools import load_with_report

from _shared import CORPORA, read_corpus as _read  # noqa: E402
KINDS = ["lead-glued", "lead-space", "lead-dash", "lead-line", "trail-glued", "trail-space",
         "trail-line", "inline", "lead-vary", "trail-vary", "flat-lead", "flat-trail", "flat-inline",
         "trail-doubled", "lead-stacked", "inline-promo", "inline-credit"]
_AGENCIES = ["Forbes", "AFP", "Reuters", "TTXVN", "Getty Images", "AP", "Xinhua", "internet", "Bloomberg",
             "VnExpress", "Tuổi Trẻ", "BBC"]
LENGTHS = [3, 8, 17, 40]


_DATELINE = re.compile(r"(?:^|[.!?…]\s+)(?:Sáng|Trưa|Chiều|Tối|Đêm|Ngày|Hôm|Rạng sáng)\s+(?:\d|nay|qua|mai)")


def _fragment(rng: random.Random, pool: list[str], words: int) -> str:
    """``words`` consecutive words of a random baomoi text, as chrome would read."""
    while True:
        toks = rng.choice(pool).split()
        if len(toks) < words + 5:
            continue
        i = rng.randrange(0, len(toks) - words)
        frag = " ".join(toks[i:i + words]).strip(",;:-–")
        # chrome does not open a sentence with a dateline, which the loader keeps as text
        if frag and not re.search(r"[.!?…]\S*$", frag[:-1] or "x") and not _DATELINE.search(frag):
            return frag[0].upper() + frag[1:]


def _variation(rng: random.Random, template: int) -> str:
    """A view counter or an update time: one template per site, new numbers per article."""
    if template == 0:
        return f"Lượt xem: {rng.randint(10, 99999)}"
    return (f"Cập nhật {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} "
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2026")


def _with_variation(rng: random.Random, frag: str) -> str:
    words = frag.split()
    k = max(1, len(words) // 2)
    return " ".join(words[:k] + [_variation(rng, len(frag) % 2)] + words[k:])


def _between_sentences(rng: random.Random, p: list[str], block: str) -> list[str]:
    """``block`` between two sentences of the paragraph nearest the middle that has two."""
    split = [re.split(r"(?<=[.!?…])\s+(?=[A-ZĐÀ-Ỹ])", x) for x in p]
    multi = [i for i, x in enumerate(split) if len(x) > 1] or [len(p) // 2]
    k = min(multi, key=lambda i: abs(i - len(p) // 2))
    sents = split[k]
    j = rng.randrange(1, len(sents)) if len(sents) > 1 else 1
    p[k] = " ".join(sents[:j] + [block] + sents[j:])
    return p


def _inject(kind: str, rng: random.Random, paras: list[str], frag: str, frag2: str = "") -> tuple[list[str], list[str]]:
    """(paragraphs with furniture, the injected pieces: each must be gone)."""
    p = list(paras)
    if kind == "trail-doubled":
        credit = f"Nguồn: {frag}"
        p[-1] = p[-1] + credit + credit
        return p, [credit]
    if kind == "lead-stacked":
        second = rng.random() < 0.6
        p[0] = frag + " - " + (frag2 + " " if second else "") + p[0]
        return p, [frag] + ([frag2] if second else [])
    if kind == "inline-credit":
        credits = []
        for _ in range(2):
            c = f"({rng.choice(['Ảnh', 'Nguồn', 'Ảnh minh họa'])}: {rng.choice(_AGENCIES)})"
            k = rng.randrange(len(p))
            sents = re.split(r"(?<=[.!?…])\s+", p[k])
            j = rng.randrange(len(sents))
            sents[j] = re.sub(r"([.!?…]?)$", lambda m: " " + c + m.group(1), sents[j], count=1)
            p[k] = " ".join(sents)
            credits.append(c)
        return p, credits
    if kind == "inline-promo":
        return _between_sentences(rng, p, frag), [frag]
    if kind.endswith("vary"):
        frag = _with_variation(rng, frag)
    if kind in ("lead-glued", "flat-lead"):
        p[0] = frag + p[0]
    elif kind in ("lead-space", "lead-vary"):
        p[0] = frag + " " + p[0]
    elif kind == "lead-dash":
        p[0] = frag + " - " + p[0]
    elif kind == "lead-line":
        p = [frag] + p
    elif kind in ("trail-glued", "flat-trail"):
        p[-1] = p[-1] + frag
    elif kind in ("trail-space", "trail-vary"):
        p[-1] = p[-1] + " " + frag
    elif kind == "trail-line":
        p = p + [frag]
    elif kind in ("inline", "flat-inline"):
        p = _between_sentences(rng, p, frag)
    else:
        raise ValueError(kind)
    return p, [frag]


def _norm(s: str) -> str:
    return " ".join(s.casefold().split())


def _words(texts) -> Counter:
    return Counter(w for t in texts for w in t.casefold().split())


def _site_docs(articles, flat: bool):
    out = []
    for a in articles:
        paras = [ln.strip() for ln in a["text"].split("\n") if ln.strip()]
        if flat:
            paras = [" ".join(paras)]
        out.append((a["title"].strip(), paras))
    return out


def _write_site(root: Path, name: str, docs, flat: bool) -> Path:
    if flat:
        path = root / f"{name}.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for i, (title, paras) in enumerate(docs):
                fh.write(json.dumps({"id": i, "title": title, "text": paras[0]}, ensure_ascii=False) + "\n")
        return path
    folder = root / name
    folder.mkdir()
    for i, (title, paras) in enumerate(docs):
        (folder / f"{i:04d}.txt").write_text(title + "\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    return folder


LAST: dict = {}


def _outputs(path: Path, learn: bool) -> dict[str, list[str]]:
    df, rep = load_with_report(path, progress=False, dedupe="none", learn_furniture=learn)
    LAST["sources"] = rep.get("sources", {})
    LAST["bylines"] = {Path(str(sp)).name: [r["text"] for r in rm if r["reason"] == "byline"]
                       for sp, rm in zip(df["source_path"], df["removed"])}
    key = "source_path"
    return {Path(str(sp)).name.split("#")[0] + ("#" + str(sp).split("#")[1] if "#" in str(sp) else ""):
            list(p) for sp, p in zip(df[key], df["paragraphs"])}


def run(per_site: int, seed: int, quick: bool, verbose: bool = False, only=()) -> None:
    rng = random.Random(seed)
    arts = [a for a in _read("unc_dantri") if a.get("text") and a["text"].count("\n") >= 2]
    pool = [a["text"] for a in _read("baomoi_2013")]
    kinds = KINDS[:4] + ["inline", "flat-inline"] if quick else KINDS
    kinds = [k for k in kinds if not only or k in only]
    lengths = LENGTHS[1:3] if quick else LENGTHS
    n_controls = 2 if quick else 16
    table = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for kind in kinds:
            flat = kind.startswith("flat")
            removed = total = 0
            kept = ref_words = 0
            for li, words in enumerate(lengths):
                rate = 1.0 if li % 2 == 0 else 0.7
                if kind == "inline-promo":  # a promo in a tenth to a fifth of the articles
                    rate = (0.12, 0.18, 0.1, 0.2)[li % 4]
                    words = max(words, 8)  # 3 words in a tenth cannot be told from language
                name = f"{kind}-{words}" + (f"-{li}" if kind == "inline-promo" else "")
                # a rare block needs a site of some size to be seen at all (a tenth of 40 is 4)
                chosen = rng.sample(arts, per_site * (4 if kind == "inline-promo" else 1))
                clean_docs = _site_docs(chosen, flat)
                # a credit written twice: up to 24 words (twice, the longest fragment learnt: 50)
                # a credit written twice, or two fragments stacked: 24 words at most for the
                # first (together, within the longest fragment learnt: 50 words)
                frag = _fragment(rng, pool, min(words, 24) if kind in ("trail-doubled", "lead-stacked") else words)
                frag2 = _fragment(rng, pool, max(3, words // 2)) if kind == "lead-stacked" else ""
                dirty, injected = [], []
                # a promo in exactly its share of the articles (the kind is defined by the share)
                promo = set(rng.sample(range(len(clean_docs)), round(rate * len(clean_docs)))) \
                    if kind == "inline-promo" else None
                for d, (title, paras) in enumerate(clean_docs):
                    if (d in promo) if promo is not None else rng.random() < rate:
                        paras, text = _inject(kind, rng, paras, frag, frag2)
                        injected.append(text)
                    else:
                        injected.append(None)
                    dirty.append((title, paras))
                (root / "clean").mkdir(exist_ok=True)
                ref = _outputs(_write_site(root / "clean", name, clean_docs, flat), learn=False)
                out = _outputs(_write_site(root, name, dirty, flat), learn=True)
                site_removed, site_total = removed, total
                for key, ref_paras in ref.items():
                    i = int(key.split("#")[1]) - 1 if "#" in key else int(key.split(".")[0])
                    got = out.get(key, [])
                    if injected[i] is not None:
                        total += 1
                        removed += not any(_norm(x) in _norm(" ".join(got)) for x in injected[i])
                    rw, gw = _words(ref_paras), _words(got)
                    ref_words += sum(rw.values())
                    kept += sum(min(c, gw[w]) for w, c in rw.items())
                if verbose and removed - site_removed < total - site_total:
                    print(f"    {name} (rate {rate}): {removed - site_removed}/{total - site_total}: {frag!r}")
                    for v in LAST["sources"].values():
                        print("      learnt:", {k: x for k, x in v["furniture"].items() if k != "lines"})
            table.append((kind, removed / max(total, 1), kept / max(ref_words, 1), total))
            print(f"  {kind:<12} removed {removed}/{total}  kept {kept / max(ref_words, 1):.4f}", flush=True)
        # controls: clean sites, furniture learnt vs not
        lines = changed = bylines = 0
        for c in range(n_controls):
            flat = c % 2 == 1
            docs = _site_docs(rng.sample(arts, per_site), flat)
            ref = _outputs(_write_site(root / "clean", f"control-{c}", docs, flat), learn=False)
            out = _outputs(_write_site(root, f"control-{c}", docs, flat), learn=True)
            for key, ref_paras in ref.items():
                got = set(out.get(key, []))
                lines += len(ref_paras)
                lost = [p for p in ref_paras if p not in got]
                moved = [p for p in lost if any(b.strip() and p.endswith(b.strip())
                                                and p[:-len(b.strip())].strip() in got
                                                for b in LAST["bylines"].get(key, []))]
                bylines += len(moved)
                lost = [p for p in lost if p not in moved]
                changed += len(lost)
                if verbose and lost:
                    print(f"    control-{c} {key}: {[x[:80] for x in lost]}")
            if verbose:
                for v in LAST["sources"].values():
                    print(f"      control-{c} learnt:", {k: x for k, x in v["furniture"].items()})
    print()
    print(f"{'kind':<14}{'fragments':>10}{'removed':>9}{'kept':>8}")
    for kind, rem, kp, total in table:
        print(f"{kind:<14}{total:>10}{rem:>9.3f}{kp:>8.4f}")
    print(f"{'controls':<14}{lines:>10} lines, false removals {changed} "
          f"({100 * changed / max(lines, 1):.3f}%); a signature moved from the text to author: {bylines}")
    worst_removed = min(r for _, r, _, _ in table)
    worst_kept = min(k for _, _, k, _ in table)
    ok = worst_removed >= 0.95 and worst_kept >= 0.99 and changed <= 0.001 * lines
    print(f"targets (removed >= 0.95 every kind, kept >= 0.99, false <= 0.1%): "
          f"{'met' if ok else 'NOT met'} — worst removed {worst_removed:.3f}, worst kept {worst_kept:.4f}; "
          f"{time.perf_counter() - t0:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-site", type=int, default=40)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="fewer kinds, lengths and controls")
    ap.add_argument("--verbose", action="store_true", help="name the sites that miss fragments")
    ap.add_argument("--only", nargs="*", default=(), choices=KINDS)
    args = ap.parse_args()
    if not CORPORA.exists():
        print(f"skipped: {CORPORA} not present")
        return
    run(args.per_site, args.seed, args.quick, args.verbose, args.only)


if __name__ == "__main__":
    main()
