"""What the benchmark scripts share: where the shared corpora are, and reading one."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"


def read_corpus(name: str, n: int | None = None) -> list[dict]:
    """The first ``n`` articles (all: None) of ``../shared/corpora/<name>.jsonl.gz``."""
    out = []
    with gzip.open(CORPORA / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            out.append(json.loads(line))
            if n is not None and len(out) >= n:
                break
    return out
