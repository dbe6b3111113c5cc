"""The main command (``make run RAW=...``) on corpora of every shape: one day, one
outlet over months, no dates, a single article, 1,000 articles. No notebook may
fail; each states what it derived from the corpus and what it cannot show."""
from __future__ import annotations

import gzip
import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, shared_corpus


def _records(n: int | None = None) -> list[dict]:
    out = []
    with gzip.open(shared_corpus("unc_dantri.jsonl.gz"), "rt", encoding="utf-8") as fh:
        for line in fh:
            out.append(json.loads(line))
            if n is not None and len(out) >= n:
                break
    return out


def _write(folder: Path, records: list[dict], fields=("title", "date", "url", "text")) -> Path:
    folder.mkdir(parents=True)
    with open(folder / "export.jsonl", "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps({k: r[k] for k in fields if k in r}, ensure_ascii=False) + "\n")
    return folder


def _shape(name: str, root: Path) -> Path:
    recs = _records()
    if name == "one_day":
        day = max({r["date"][:10] for r in recs}, key=lambda d: sum(r["date"][:10] == d for r in recs))
        return _write(root / name, [r for r in recs if r["date"][:10] == day][:60])
    if name == "one_outlet_months":  # every 25th: one outlet, spread over the months
        return _write(root / name, recs[::25][:80])
    if name == "undated":  # no date field, and no digits left for a date in the text
        undated = [{"title": re.sub(r"\d", "", r["title"]), "text": re.sub(r"\d", "", r["text"])}
                   for r in recs[:40]]
        return _write(root / name, undated, fields=("title", "text"))
    if name == "single":
        return _write(root / name, recs[:1])
    if name == "thousand":
        return _write(root / name, recs[:1000])
    raise ValueError(name)


def _outputs(nb: Path) -> str:
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    out = []
    for c in cells:
        for o in c.get("outputs", []):
            out.append("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", "")))
    return "\n".join(out)


@pytest.mark.shared
@pytest.mark.parametrize("shape", ["one_day", "one_outlet_months", "undated", "single", "thousand"])
def test_main_command_on_every_corpus_shape(shape, tmp_path):
    raw = _shape(shape, tmp_path / "raw")
    build, figures = tmp_path / "build", tmp_path / "figures"
    proc = subprocess.run(
        ["make", "run", f"RAW={raw}", f"PROCESSED={tmp_path / 'store'}", f"FIGURES={figures}",
         f"BUILD={build}"], cwd=ROOT, capture_output=True, text=True, timeout=1500)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "figures:" in proc.stdout and "written from your corpus" in proc.stdout
    nbs = sorted((build / "notebooks").glob("*.ipynb"))
    assert [p.name for p in nbs] == sorted(p.name for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
    trends, topics, effects, scripts = _outputs(nbs[1]), _outputs(nbs[2]), _outputs(nbs[4]), _outputs(nbs[6])
    # notebook 07 states its corpus, and its cascades or why it has none
    assert re.search(r"\d+ articles from \d+ site\(s\)", scripts)
    assert any(s in scripts for s in ("one site only", "no reprint:", "fewer than two dated", "cascades,"))
    assert "formula = " in effects  # notebook 05 states its model, or why there is none
    assert "by = " in trends and "split = " in trends  # the derived choices are stated
    pngs = {p.stem for p in figures.glob("*.png")}
    assert "01_article_lengths" in pngs and "04_articles_by_level" in pngs
    if shape in ("one_day", "undated", "single"):
        assert "no time axis" in topics or "too few documents" in topics
        assert not any(p.startswith("01_articles_per_") for p in pngs)
    if shape == "one_outlet_months":  # 2019-09 .. 2021-05: a time axis, and two halves
        by = re.search(r"by = '(\w+)'", trends).group(1)
        assert by in ("year", "quarter", "month") and f"01_articles_per_{by}" in pngs
        assert "02_keyness" in pngs and "03_topic_prevalence" in pngs
    if shape == "single":
        assert "keyness needs two groups" in trends
    if shape == "thousand":
        assert "unit = 'article'" in topics and "03_topic_terms" in pngs
