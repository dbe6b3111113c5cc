"""Word segmentation against the project's gold standard (prints figures; not a test).

    python benchmarks/bench_segmentation.py [--gold benchmarks/gold/segmentation.tsv] [--boot 2000]
    python benchmarks/bench_segmentation.py --speed [--n 600] [--passes 2]
    python benchmarks/bench_segmentation.py --identity-all
    python benchmarks/bench_segmentation.py --words-digest words.tsv   # at two commits, then diff

``--speed``: CPU seconds of bare underthesea ``word_tokenize``, of ``segment()`` with the
fast engine and with ``engine="underthesea"``, and of the CRF labelling alone (the fast
engine's ``tag`` against underthesea's featurizer + tagger on the same token sequences),
over the first ``n`` articles of vietnews_40k, in ABBA order (``--passes``; this machine's
speed drifts), with the words of both engines compared text by text. ``--identity-all``:
the fast engine's labels against underthesea's on every article of every shared corpus.

For bare underthesea ``word_tokenize`` and for ``corpus_tools.segment``: word
precision, recall and F1 over all words and over multi-syllable words, with
95% percentile intervals from a bootstrap over sentences (the same resamples
for both systems, so the interval of the difference is paired), then the most
frequent error types of each. A word is right when its span matches the gold
span exactly. Spans are compared on a skeleton of the text (no spaces or
underscores, no diacritics, case-folded) so that underthesea's tone-placement
normalisation does not count as an error; where a system rewrites the text
itself (a spelling variant written in its canonical form, a dropped word) the
skeletons are aligned with difflib and the rewritten words count as errors.
The convention of the gold standard is in docs/segmentation.md.
"""
from __future__ import annotations

import argparse
import difflib
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "benchmarks" / "gold" / "segmentation.tsv"


def skeleton(s: str) -> str:
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if not unicodedata.combining(c) and not c.isspace() and c != "_"
                   ).casefold().replace("đ", "d")


def spans(words: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, word) of each word over the concatenated skeletons."""
    out, at = [], 0
    for w in words:
        n = len(skeleton(w))
        if n:
            out.append((at, at + n, w))
        at += n
    return out


def aligned(words: list[str], text_skel: str) -> list[tuple[int, int, str]]:
    """Spans of a system's words mapped onto the text's skeleton (difflib where
    the system rewrote characters; words touching a rewrite get a span that
    matches nothing)."""
    sp = spans(words)
    out_skel = "".join(skeleton(w) for w in words)
    if out_skel == text_skel:
        return sp
    sm = difflib.SequenceMatcher(None, out_skel, text_skel, autojunk=False)
    pos = {}
    for a, b, size in sm.get_matching_blocks():
        for k in range(size):
            pos[a + k] = b + k
    res = []
    for s, e, w in sp:
        if s in pos and (e - 1) in pos and pos[e - 1] - pos[s] == e - 1 - s:
            res.append((pos[s], pos[e - 1] + 1, w))
        else:
            res.append((-1 - s, -1 - s, w))  # rewritten: never equals a gold span
    return res


def n_syllables(w: str) -> int:
    return len([p for p in w.replace("_", " ").split() if p])


def score(gold: list, pred: list) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """Per sentence counts [tp, n_pred, n_gold, tp_multi, n_pred_multi, n_gold_multi]
    and the error list (kind, description)."""
    counts = np.zeros((len(gold), 6), dtype=np.int64)
    errors: list[tuple[str, str]] = []
    for i, (g, p) in enumerate(zip(gold, pred)):
        gs = {(s, e) for s, e, _ in g}
        ps = {(s, e) for s, e, _ in p}
        gm = {(s, e) for s, e, w in g if n_syllables(w) > 1}
        pm = {(s, e) for s, e, w in p if n_syllables(w) > 1}
        counts[i] = [len(gs & ps), len(ps), len(gs), len(gm & pm), len(pm), len(gm)]
        for s, e, w in g:
            if (s, e) in ps:
                continue
            inside = [x for x in p if x[0] >= s and x[1] <= e and x[0] >= 0]
            outer = [x for x in p if x[0] <= s and x[1] >= e and x[0] >= 0]
            if inside and sum(x[1] - x[0] for x in inside) == e - s:
                errors.append(("split", f"{w}  ->  {' | '.join(x[2] for x in inside)}"))
            elif outer:
                errors.append(("merged", f"{w}  in  {outer[0][2]}"))
            elif any(x[0] < 0 for x in p):
                errors.append(("rewritten", w))
            else:
                over = [x[2] for x in p if x[0] < e and x[1] > s]
                errors.append(("crossing", f"{w}  vs  {' | '.join(over)}"))
    return counts, errors


def prf(c: np.ndarray) -> tuple[float, ...]:
    tp, npred, ngold, tpm, npm, ngm = c.sum(axis=0) if c.ndim == 2 else c
    p, r = tp / max(npred, 1), tp / max(ngold, 1)
    pm, rm = tpm / max(npm, 1), tpm / max(ngm, 1)
    f = 2 * p * r / max(p + r, 1e-12)
    fm = 2 * pm * rm / max(pm + rm, 1e-12)
    return p, r, f, pm, rm, fm


def _corpus(name: str, n: int | None = None):
    import gzip
    import itertools
    import json
    path = ROOT.parent / "shared" / "corpora" / f"{name}.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in itertools.islice(fh, n):
            r = json.loads(line)
            yield r.get("content") or r.get("text") or ""


def _token_sequences(texts):
    """The token sequence segment() hands the CRF for each text."""
    from underthesea import sent_tokenize

    from corpus_tools.syllables import split_syllables
    return [[t for p in text.split("\n") if p.strip() for s in sent_tokenize(p) for t in split_syllables(s)[0]]
            for text in texts]


def speed(n: int, passes: int) -> None:
    import time

    from underthesea import word_tokenize

    import corpus_tools as ct
    from corpus_tools._crf import load_fast_crf
    from corpus_tools.syllables import clear_caches
    from corpus_tools.tokens import _crf
    texts = list(_corpus("vietnews_40k", n))
    seqs = _token_sequences(texts)
    fast, ref = load_fast_crf(), _crf()
    runs = {
        "word_tokenize": lambda: [word_tokenize(t) for t in texts],
        "segment(fast)": lambda: [ct.segment(t) for t in texts],
        "segment(underthesea)": lambda: [ct.segment(t, engine="underthesea") for t in texts],
        "crf fast tag": lambda: [fast.tag(s) for s in seqs],
        "crf underthesea": lambda: [ref.estimator.tag(ref.featurizer.process([[[t] for t in s]])[0]) for s in seqs],
    }
    word_tokenize("khởi động")  # load the models; the fast engine's caches start empty in every pass below
    ct.segment("khởi động", engine="underthesea")
    names = list(runs)
    total = dict.fromkeys(names, 0.0)
    for p in range(passes):
        order = names if p % 2 == 0 else names[::-1]
        for name in order:
            if name in ("segment(fast)", "crf fast tag"):
                fast._reset()  # every pass starts cold: no credit for caches a previous pass filled
            if name.startswith("segment"):
                clear_caches()  # chunks, syllable keys and flags too
            t0 = time.process_time()
            runs[name]()
            total[name] += time.process_time() - t0
    n_tok = sum(map(len, seqs))
    print(f"{len(texts)} articles, {n_tok} tokens, {passes} passes in ABBA order (CPU seconds summed)")
    for name in names:
        print(f"  {name:22s} {total[name]:8.2f} s  {n_tok * passes / total[name] / 1000:8.1f} k tokens/s")
    print(f"segment(fast) vs bare word_tokenize: {total['word_tokenize'] / total['segment(fast)']:.2f} x "
          f"(target >= 8); vs segment(underthesea): {total['segment(underthesea)'] / total['segment(fast)']:.2f} x")
    print(f"CRF labelling alone, fast vs underthesea: {total['crf underthesea'] / total['crf fast tag']:.2f} x")
    same = sum(ct.segment(t) == ct.segment(t, engine="underthesea") for t in texts)
    print(f"texts with identical words (fast vs underthesea engine): {same}/{len(texts)}")


def identity_all() -> None:
    from corpus_tools._crf import load_fast_crf
    from corpus_tools.tokens import _crf
    fast, ref = load_fast_crf(), _crf()
    for name in ("vietnews_party", "unc_dantri", "baomoi_2013", "vietnews_40k"):
        n = same = tokens = fallback = 0
        for text in _corpus(name):
            for seq in _token_sequences([text]):
                if not seq:
                    continue
                n += 1
                tokens += len(seq)
                if not fast.can_tag(seq):
                    fallback += 1
                    continue
                same += fast.tag(seq) == ref.estimator.tag(ref.featurizer.process([[[t] for t in seq]])[0])
        print(f"{name}: {same}/{n - fallback} articles with identical labels ({tokens} tokens); "
              f"{fallback} left to underthesea (characters the engine does not vouch for)", flush=True)


def words_digest(out: str) -> None:
    """One line per article of every shared corpus: corpus, row, sha1 of segment()'s words,
    their number. Run it at two commits and compare the files: a change that should not
    touch the words must leave every line as it was."""
    import hashlib
    import json
    import time

    import corpus_tools as ct
    with open(out, "w", encoding="utf-8") as fh:
        for name in ("vietnews_party", "unc_dantri", "baomoi_2013", "vietnews_40k"):
            t, n = time.process_time(), 0
            for n, text in enumerate(_corpus(name), 1):
                words = ct.segment(text)
                digest = hashlib.sha1(json.dumps(words, ensure_ascii=False).encode()).hexdigest()
                fh.write(f"{name}\t{n - 1}\t{digest}\t{sum(map(len, words))}\n")
            print(f"{name}: {n} articles, {time.process_time() - t:.1f} CPU-s", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--boot", type=int, default=2000)
    ap.add_argument("--errors", type=int, default=12)
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--passes", type=int, default=2)
    ap.add_argument("--identity-all", action="store_true")
    ap.add_argument("--words-digest", metavar="OUT", help="write a digest of the words of every article")
    args = ap.parse_args()
    if args.words_digest:
        return words_digest(args.words_digest)
    if args.speed:
        return speed(args.n, args.passes)
    if args.identity_all:
        return identity_all()
    rows = [ln.rstrip("\n").split("\t") for ln in open(args.gold, encoding="utf-8")][1:]
    from underthesea import word_tokenize
    import corpus_tools as ct
    systems = {
        "underthesea": lambda t: [w.replace(" ", "_") for w in word_tokenize(t)],
        "corpus_tools": lambda t: [w for s in ct.segment(t) for w in s],
        # ablation: the rules without the words lexicon (resources/words.txt)
        "ct_no_words": lambda t: [w for s in ct.segment(t, words=False) for w in s],
    }
    gold = []
    for _id, _src, text, g in rows:
        sk = skeleton(text)
        gsp = spans(g.split())
        assert "".join(skeleton(w) for w in g.split()) == sk, f"gold of {_id} does not spell its text"
        gold.append(gsp)
    results = {}
    for name, fn in systems.items():
        pred = [aligned(fn(text), skeleton(text)) for _id, _src, text, _g in rows]
        results[name] = score(gold, pred)
    n = len(rows)
    rng = np.random.default_rng(0)
    idx = rng.integers(0, n, size=(args.boot, n))
    print(f"gold: {n} sentences, {sum(len(g) for g in gold)} words "
          f"({sum(1 for g in gold for w in g if n_syllables(w[2]) > 1)} multi-syllable); "
          f"{args.boot} sentence-bootstrap resamples")
    print(f"{'system':14s} {'P':>6s} {'R':>6s} {'F1':>6s} {'F1 95% CI':>15s}   "
          f"{'P(multi)':>8s} {'R(multi)':>8s} {'F1(multi)':>9s} {'F1(multi) CI':>15s}")
    boots = {}
    for name, (c, _) in results.items():
        p, r, f, pm, rm, fm = prf(c)
        bs = np.array([prf(c[k])[2] for k in idx])
        bm = np.array([prf(c[k])[5] for k in idx])
        boots[name] = (bs, bm)
        print(f"{name:14s} {p:6.3f} {r:6.3f} {f:6.3f}   [{np.quantile(bs, .025):.3f}, {np.quantile(bs, .975):.3f}]"
              f"   {pm:8.3f} {rm:8.3f} {fm:9.3f}   [{np.quantile(bm, .025):.3f}, {np.quantile(bm, .975):.3f}]")
    a, b = list(results)[:2]
    d = prf(results[b][0])[2] - prf(results[a][0])[2]
    db = boots[b][0] - boots[a][0]
    dm = prf(results[b][0])[5] - prf(results[a][0])[5]
    dmb = boots[b][1] - boots[a][1]
    print(f"difference {b} - {a}: F1 {d:+.3f} [{np.quantile(db, .025):+.3f}, {np.quantile(db, .975):+.3f}]; "
          f"F1(multi) {dm:+.3f} [{np.quantile(dmb, .025):+.3f}, {np.quantile(dmb, .975):+.3f}] "
          f"(target: F1 >= +0.010)")
    for name, (_, errors) in results.items():
        kinds = Counter(k for k, _ in errors)
        print(f"\n{name}: {len(errors)} gold words missed — " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
        for (kind, desc), cnt in Counter(errors).most_common(args.errors):
            print(f"   {cnt:3d}  {kind:9s} {desc}")


if __name__ == "__main__":
    main()
