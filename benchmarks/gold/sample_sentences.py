"""Draw the sentences of the segmentation gold standard (reproducible; not a test).

    python benchmarks/gold/sample_sentences.py > /tmp/sample.tsv

From each shared corpus (vietnews_party, unc_dantri, baomoi_2013) and the five
bundled samples: articles loaded and cleaned by ``load_articles`` (spacing of the
pre-tokenised corpora restored), paragraphs split into sentences by underthesea's
``sent_tokenize`` as ``segment`` does, then a seeded draw of sentences of 8 to 45
syllables, at most two per article. Prints ``id, source, text`` as TSV; the gold
segmentation in ``segmentation.tsv`` was then written by reading each sentence
(starting from underthesea's output; the corrections are ``corrections.txt``).
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
PLAN = [("vp", SHARED / "corpora" / "vietnews_party.jsonl.gz", "vietnews", 90),
        ("dt", SHARED / "corpora" / "unc_dantri.jsonl.gz", "unc_dantri", 80),
        ("bm", SHARED / "corpora" / "baomoi_2013.jsonl.gz", "baomoi", 80),
        ("sd", ROOT / "data" / "raw" / "seeds", None, 70)]


def main() -> None:
    import corpus_tools as ct
    from underthesea import sent_tokenize
    print("id\tsource\ttext")
    for prefix, path, columns, n in PLAN:
        df = ct.load_articles(path, columns=columns, progress=False, dedupe="drop",
                              limit=None if prefix == "sd" else 1500)
        rng = random.Random(f"segmentation-gold-{prefix}")
        pool = []
        for _, art in df.iterrows():
            sents = [(p, s) for p, para in enumerate(art["paragraphs"] or [])
                     for s in sent_tokenize(para)]
            sents = [(p, s) for p, s in sents if 8 <= len(s.split()) <= 45]
            rng.shuffle(sents)
            per_article = 2 if prefix != "sd" else 14
            pool += [(art["doc_id"], p, s) for p, s in sents[:per_article]]
        rng.shuffle(pool)
        for i, (doc, p, s) in enumerate(pool[:n], 1):
            print(f"{prefix}-{i:03d}\t{path.name}:{doc}:p{p}\t{s}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
