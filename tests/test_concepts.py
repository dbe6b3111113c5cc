"""Tests for corpus_tools.concepts: the shipped families and custom files."""
from __future__ import annotations

import pytest

from corpus_tools.concepts import load_concept_labels, load_concepts
from corpus_tools.tokens import query_tokens


def test_concepts():
    fams = load_concepts()
    for fam in ["anti_corruption", "ideological_degradation", "digital_transformation",
                "administrative_reform", "personnel_work", "congress_preparation",
                "epidemic_control", "party_building"]:
        assert fams.get(fam), fam
    assert "phòng, chống tham nhũng" in fams["anti_corruption"]
    labels = load_concept_labels()
    assert labels["digital_transformation"] == "Chuyển đổi số"
    # every term is a query a user can run, and no term is counted twice in a family
    for fam, terms in fams.items():
        phrases = [tuple(query_tokens(t)) for t in terms]
        assert all(phrases), fam
        assert len(set(phrases)) == len(phrases), fam
        singles = {p[0] for p in phrases if len(p) == 1}
        for p in phrases:
            if len(p) > 1:
                assert not set(p) <= singles, (fam, p)


def test_concepts_custom_file(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("[a] label: A\nx y\n\n[b]\nz\n", encoding="utf-8")
    assert load_concepts(path) == {"a": ["x y"], "b": ["z"]}
    assert load_concept_labels(path) == {"a": "A", "b": "b"}
    path.write_text("orphan\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_concepts(path)
