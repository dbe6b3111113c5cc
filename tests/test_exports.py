"""The package's public names: complete, and importable without loading every module."""
import json
import subprocess
import sys

import pytest

import corpus_tools
from corpus_tools._exports import declared_names

MODULES = list(corpus_tools._MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_declared_names_equal_the_imported_all(module):
    import importlib
    mod = importlib.import_module(f"corpus_tools.{module}")
    assert declared_names("corpus_tools", module) == list(mod.__all__)


def test_every_public_name_resolves_to_its_module_object():
    import importlib
    for module in MODULES:
        mod = importlib.import_module(f"corpus_tools.{module}")
        for name in mod.__all__:
            if name in corpus_tools._HELPERS:  # reachable with a warning, not exported
                assert name not in corpus_tools.__all__
                continue
            # the resolver, not the attribute: importing corpus_tools.explore (a module
            # named like its function) sets the attribute to the module
            assert corpus_tools.__getattr__(name) is getattr(mod, name), name
            assert name in corpus_tools.__all__ and name in dir(corpus_tools)
    assert callable(corpus_tools.plots.plot_term_rates)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        corpus_tools.nope  # noqa: B018


def test_import_is_light_until_a_name_is_used():
    # a fresh interpreter: importing the package loads neither scikit-learn,
    # matplotlib nor the segmenter; using ct.tokenize loads tokens only
    code = ("import sys, json, corpus_tools as ct\n"
            "heavy = ['sklearn', 'matplotlib', 'underthesea', 'corpus_tools.trends']\n"
            "before = [m for m in heavy if m in sys.modules]\n"
            "ct.parse_date\n"
            "after = [m for m in heavy if m in sys.modules]\n"
            "print(json.dumps([before, after]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after = json.loads(out.stdout.splitlines()[-1])
    assert before == []
    assert "sklearn" not in after and "matplotlib" not in after


def test_helpers_leave_the_top_level_with_a_warning():
    import warnings

    import corpus_tools as ct
    from corpus_tools.index import offsets
    assert "offsets" not in ct.__all__ and "hc3_cov" not in ct.__all__
    assert "term_rates" in ct.__all__ and "meaning_change" in ct.__all__
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert ct.offsets is offsets
    assert any(issubclass(w.category, FutureWarning) and "corpus_tools.index" in str(w.message) for w in caught)
