"""corpus-tools command line: ingest | info | kwic."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from corpus_tools.cli import main
from corpus_tools.store import open_corpus

from conftest import shared_corpus

SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw" / "seeds"


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "seeds"
    assert main(["ingest", str(SEEDS), "--out", str(out), "--jobs", "1", "--no-progress"]) == 0
    return out


def test_ingest_then_rerun_is_up_to_date(seed_store, capsys):
    assert open_corpus(seed_store).info()["articles"] == 5
    capsys.readouterr()
    assert main(["ingest", str(SEEDS), "--out", str(seed_store), "--no-progress"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_info_prints_counts(seed_store, capsys):
    assert main(["info", str(seed_store)]) == 0
    out = capsys.readouterr().out
    assert "articles" in out and "tokens" in out and "2019-11-14" in out
    assert main(["info", str(seed_store), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["articles"] == 5 and info["files"] == 5


def test_kwic_prints_hits_and_exit_codes(seed_store, capsys, tmp_path):
    csv = tmp_path / "hits.csv"
    assert main(["kwic", str(seed_store), "Bộ Chính trị", "--window", "4", "-n", "3",
                 "--csv", str(csv)]) == 0
    cap = capsys.readouterr()
    lines = cap.out.strip().splitlines()
    assert len(lines) == 3 and all("[Bộ Chính trị]" in ln for ln in lines)
    assert "3 of" in cap.err
    assert len(csv.read_text(encoding="utf-8").splitlines()) > 3  # all hits + header
    assert main(["kwic", str(seed_store), "từkhôngcó"]) == 1
    assert "no hits" in capsys.readouterr().err


def test_errors_go_to_stderr_with_exit_code_2(tmp_path, capsys):
    assert main(["info", str(tmp_path / "missing")]) == 2
    assert "error" in capsys.readouterr().err
    assert main(["ingest", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "s")]) == 2
    assert "nope.jsonl" in capsys.readouterr().err
    assert main(["ingest", str(SEEDS)]) == 2  # --out missing: argparse usage error
    assert "--out" in capsys.readouterr().err
    assert main(["ingest", str(SEEDS), "--out", str(tmp_path / "s"), "--columns", "text"]) == 2
    assert main([]) == 2
    assert main(["--version"]) == 0


@pytest.mark.shared
@pytest.mark.parametrize("name,columns", [("vietnews_party.jsonl.gz", "vietnews"),
                                          ("unc_dantri.jsonl.gz", "unc_dantri")])
def test_shared_corpora_ingest_through_the_cli(name, columns, tmp_path, capsys):
    src = shared_corpus(name)
    out = tmp_path / "store"
    assert main(["ingest", str(src), "--out", str(out), "--columns", columns, "--limit", "40",
                 "--jobs", "2", "--chunk-size", "20", "--no-progress"]) == 0
    info = open_corpus(out).info()
    assert 35 <= info["articles"] <= 40 and info["tokens"] > 5000
    if columns == "unc_dantri":
        assert info["dated"] == info["articles"]


def test_console_script_runs_as_a_subprocess(seed_store):
    exe = Path(sys.executable).with_name("corpus-tools")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "corpus_tools.cli"]
    proc = subprocess.run(cmd + ["kwic", str(seed_store), "chuyển đổi số", "--window", "3"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "[chuyển đổi số]" in proc.stdout and "hits" in proc.stderr


def test_output_piped_into_a_closed_reader_is_not_an_error(seed_store):
    # `corpus-tools info store | head -1`: the reader closes the pipe early
    exe = Path(sys.executable).with_name("corpus-tools")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "corpus_tools.cli"]
    proc = subprocess.Popen(cmd + ["kwic", str(seed_store), "Đảng", "--window", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # nobody reads: the first write fails with EPIPE
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 0 and "Broken pipe" not in err, err


def test_an_empty_folder_is_an_error_not_zero_articles(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["ingest", str(empty), "--out", str(tmp_path / "store"), "--no-progress"]) != 0
    assert "no input files" in capsys.readouterr().err
    assert not (tmp_path / "store" / "manifest.json").exists()


def test_the_makefile_refuses_a_variable_it_does_not_know():
    import shutil
    if shutil.which("make") is None:
        pytest.skip("no make on this machine")
    root = Path(__file__).resolve().parents[1]
    r = subprocess.run(["make", "-n", "run", "PROCESED=/tmp/elsewhere"], cwd=root, capture_output=True, text=True)
    assert r.returncode != 0 and "PROCESED" in r.stderr and "PROCESSED" in r.stderr
    ok = subprocess.run(["make", "-n", "ingest", "RAW=data/raw/seeds"], cwd=root, capture_output=True, text=True)
    assert ok.returncode == 0
