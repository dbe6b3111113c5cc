"""Shared test fixtures: paths to the bundled seeds and the optional ../shared corpora."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "data" / "raw" / "seeds"
SHARED_DIR = ROOT.parent / "shared"
CORPORA_DIR = SHARED_DIR / "corpora"
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS_DIR


@pytest.fixture(scope="session")
def gold() -> dict:
    """gold.json from ../shared/seeds; skipped when ../shared is absent."""
    path = SHARED_DIR / "seeds" / "gold.json"
    if not path.exists():
        pytest.skip("../shared/seeds/gold.json not present")
    return json.loads(path.read_text(encoding="utf-8"))["articles"]


def shared_corpus(name: str) -> Path:
    """Path to a corpus in ../shared/corpora, or skip the test when absent."""
    path = CORPORA_DIR / name
    if not path.exists():
        pytest.skip(f"shared corpus {name} not present")
    return path


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES_DIR


@pytest.fixture(scope="session")
def seed_store_corpus(tmp_path_factory):
    """The bundled seeds ingested (serially) and opened: a Corpus for the analysis tests."""
    import corpus_tools as ct
    out = tmp_path_factory.mktemp("seedcorpus") / "store"
    ct.ingest(SEEDS_DIR, out, backend="serial", progress=False)
    return ct.open_corpus(out)
