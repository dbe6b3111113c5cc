"""The README is the user's manual: every name its code examples call exists.

(Each example running whole on a corpus is the next step; see the session notes.)
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import corpus_tools as ct

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _code(path: Path) -> str:
    """The Python code blocks of a Markdown file (indented ones included)."""
    blocks = re.findall(r"^[ \t]*```python\n(.*?)^[ \t]*```", path.read_text(encoding="utf-8"), re.M | re.S)
    return "\n".join(blocks)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_name_the_examples_call_exists(path):
    code = _code(path)
    names = set(re.findall(r"\bct\.([A-Za-z_][A-Za-z0-9_]*)", code))
    missing = sorted(n for n in names if not hasattr(ct, n))
    assert not missing, f"{path.name} calls ct.{missing}, which the package does not export"
    for mod, name in re.findall(r"from (corpus_tools[\w.]*) import \(?([^)\n]+)", code):
        module = __import__(mod, fromlist=["x"])
        for n in (x.strip() for x in name.split(",") if x.strip()):
            assert hasattr(module, n), f"{path.name}: {mod} has no {n}"


def test_the_examples_compile():
    for path in DOCS:
        for i, block in enumerate(re.findall(r"^[ \t]*```python\n(.*?)^[ \t]*```",
                                             path.read_text(encoding="utf-8"), re.M | re.S)):
            lines = block.splitlines()
            indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
            compile("\n".join(x[indent:] for x in lines), f"{path.name} block {i + 1}", "exec")


def test_every_function_the_prose_names_exists():
    """``flag_duplicates(df)`` written in the text is a promise too (it once named a
    function the package did not export)."""
    from corpus_tools import plots
    from corpus_tools.store import Corpus
    methods = {n for n in dir(Corpus) if not n.startswith("_")}
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        names = set(re.findall(r"`([a-z_][a-z0-9_]*)\(", text)) - {"max", "min", "len"}
        missing = sorted(n for n in names if not (hasattr(ct, n) or hasattr(plots, n) or n in methods))
        assert not missing, f"{path.name} names {missing}"


def _blocks(path: Path) -> list[str]:
    out = []
    for block in re.findall(r"^[ \t]*```python\n(.*?)^[ \t]*```", path.read_text(encoding="utf-8"), re.M | re.S):
        lines = block.splitlines()
        indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
        out.append("\n".join(x[indent:] for x in lines))
    return out


def _sandbox(root: Path) -> Path:
    """The files the README's examples name: the bundled folder (here 250 real
    articles, so topics and effects have something to fit), a scrape folder, a
    news-API export, and ../shared beside it."""
    import csv
    import gzip
    import json
    import shutil
    from conftest import SEEDS_DIR, SHARED_DIR, shared_corpus
    recs = []
    with gzip.open(shared_corpus("unc_dantri.jsonl.gz"), "rt", encoding="utf-8") as fh:
        for line in fh:
            recs.append(json.loads(line))
            if len(recs) >= 250:
                break
    work = root / "work"
    (work / "data" / "raw" / "seeds").mkdir(parents=True)
    (work / "data" / "raw" / "seeds" / "export.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in recs), encoding="utf-8")
    shutil.copytree(SEEDS_DIR, work / "data" / "raw" / "my_scrapes")
    shutil.copytree(SEEDS_DIR, work / "path" / "to" / "scrapes")
    with open(work / "export.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "title", "published_at", "source.name", "url", "content.text", "noi_dung", "ngay_dang"])
        for i, r in enumerate(recs[:6]):
            w.writerow([i, r["title"], r["date"], "RSS_Feed", r["url"], r["text"], r["text"], r["date"]])
    (root / "shared").symlink_to(SHARED_DIR)
    return work


def test_the_readme_examples_run(tmp_path, monkeypatch):
    """Every Python example of the README, in order, in one session, as a reader
    would paste them (on 250 real articles in place of the five samples)."""
    import matplotlib
    matplotlib.use("Agg")
    work = _sandbox(tmp_path)
    monkeypatch.chdir(work)
    ns: dict = {}
    for i, code in enumerate(_blocks(ROOT / "README.md")):
        exec(compile(code, f"README.md example {i + 1}", "exec"), ns)
