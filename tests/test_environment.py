"""The lock is the one source of versions: requirements.lock (pip-compile of
pyproject.toml), environment.yml (generated from it) and the installed packages
agree; the published figure checksums are well formed."""
from __future__ import annotations

import importlib.metadata as md
import re
import sys
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from make_environment import locked  # noqa: E402


def _lock() -> dict[str, str]:
    return {canonicalize_name(n): v for n, v in locked(ROOT / "requirements.lock")}


def _pyproject_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(s) for s in list(project["dependencies"]) + list(project["optional-dependencies"]["dev"])]


def test_lock_satisfies_every_pyproject_requirement():
    lock = _lock()
    for req in _pyproject_requirements():
        name = canonicalize_name(req.name)
        assert name in lock, f"{req.name} is not in requirements.lock: run `make lock`"
        assert Version(lock[name]) in req.specifier, f"{req.name}=={lock[name]} breaks {req}"


def test_environment_yml_is_the_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    pins = {canonicalize_name(s.split("==")[0]): s.split("==")[1] for s in pip if "==" in s}
    assert pins == _lock(), "environment.yml differs from requirements.lock: run `make lock`"
    assert "-e ." in pip


def test_installed_versions_are_the_locked_ones():
    """make setup installs from the lock: what runs is what is pinned."""
    wrong = {}
    for name, version in _lock().items():
        try:
            got = md.version(name)
        except md.PackageNotFoundError:
            got = None
        if got != version:
            wrong[name] = (version, got)
    assert not wrong, f"installed versions differ from requirements.lock: {wrong}"


def test_results_relevant_versions_are_pinned():
    """underthesea ships its models in the wheel: a new release can change tokens."""
    pinned = {canonicalize_name(r.name) for r in _pyproject_requirements() if str(r.specifier).startswith("==")}
    assert {"underthesea", "underthesea-core", "scikit-learn", "matplotlib"} <= pinned


def test_figure_manifest_lists_every_figure_once():
    lines = [ln for ln in (ROOT / "figures.sha256").read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]
    names = [ln.split(maxsplit=1)[1] for ln in lines]
    assert len(names) == len(set(names)) >= 20
    assert all(re.fullmatch(r"[0-9a-f]{64}", ln.split()[0]) for ln in lines)
    assert {n.rsplit(".", 1)[1] for n in names} == {"png", "svg"}
