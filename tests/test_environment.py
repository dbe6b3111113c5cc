"""environment.yml (conda users) and pyproject.toml must list the same dependencies."""
from __future__ import annotations

import tomllib

import yaml
from packaging.requirements import Requirement

from conftest import ROOT


def _canon(spec: str) -> tuple[str, str, str]:
    req = Requirement(spec)
    extras = ",".join(sorted(req.extras))
    return (req.name.lower().replace("_", "-"), extras, str(req.specifier))


def _pyproject_specs() -> set[tuple[str, str, str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"]) + list(project["optional-dependencies"]["dev"])
    return {_canon(s) for s in specs}


def _environment_specs() -> set[tuple[str, str, str]]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    return {_canon(s) for s in pip if not s.startswith("-e")}


def test_environment_yml_matches_pyproject():
    py, env = _pyproject_specs(), _environment_specs()
    assert py - env == set(), f"in pyproject.toml only: {sorted(py - env)}"
    assert env - py == set(), f"in environment.yml only: {sorted(env - py)}"


def test_environment_python_is_311():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]


def test_results_relevant_versions_are_pinned():
    """underthesea ships its models in the wheel: a new release can change tokens."""
    pinned = {name for name, _, spec in _pyproject_specs() if spec.startswith("==")}
    assert {"underthesea", "underthesea-core", "scikit-learn", "matplotlib"} <= pinned
