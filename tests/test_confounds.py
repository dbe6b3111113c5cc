"""Tests for corpus_tools.confounds: a comparison that is really source A against source B is named."""
from __future__ import annotations

import numpy as np
import pandas as pd

import corpus_tools as ct


def _two_exports(one_file: bool = False, n: int = 120, seed: int = 0) -> pd.DataFrame:
    """Articles over 19 days from two exports, the first half of the days in export A,
    the rest in B (as a folder of two exports of consecutive weeks is), all under one
    feed label as outlet."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        day = pd.Timestamp("2026-01-20") + pd.Timedelta(days=int(19 * i / n))
        src = "exports/a.csv" if (one_file or i < n // 2) else "exports/b.json"
        rows.append({"doc_id": f"d{i}", "published": day, "outlet": "RSS_Feed", "source_path": src,
                     "tokens": ["lạm_phát" if rng.random() < 0.05 else "giá" for _ in range(60)]})
    return pd.DataFrame(rows)


def test_a_split_that_is_two_exports_is_named_in_keyness_rates_and_effects():
    f = _two_exports()
    cut = f["published"].median()
    a, b = f[f["published"] < cut], f[f["published"] >= cut]
    notes = ct.term_keyness(a, b, labels=("before", "after"), min_count=1).attrs["notes"]
    assert len(notes) == 1 and "file" in notes[0] and "'b.json'" in notes[0]
    rates = ct.term_rates(f, [("lạm_phát",)], by="week", n_boot=20)
    assert any("the periods are confounded with the file" in n for n in rates.attrs["notes"])
    f["half"] = np.where(f["published"] < cut, "early", "late")
    fx = ct.estimate_effects(("lạm_phát",), f, "~ C(half)")
    assert any("levels of 'half' are confounded with the file" in n for n in fx.notes)


def test_one_source_or_a_mixed_split_says_nothing():
    f = _two_exports(one_file=True)
    cut = f["published"].median()
    assert ct.term_keyness(f[f["published"] < cut], f[f["published"] >= cut], min_count=1).attrs["notes"] == []
    mixed = _two_exports().assign(source_path=lambda d: np.where(np.arange(len(d)) % 2, "a.csv", "b.csv"))
    assert ct.term_rates(mixed, [("lạm_phát",)], by="week", n_boot=0).attrs["notes"] == []
    # grouping by the outlet is no confound of the outlet
    by_outlet = mixed.assign(outlet=np.where(np.arange(len(mixed)) < 60, "Dân trí", "Nhân Dân"))
    notes = ct.term_rates(by_outlet, [("lạm_phát",)], by="outlet", n_boot=0).attrs["notes"]
    assert not any("with the outlet" in n for n in notes)


def test_source_confounds_threshold_by_hand():
    meta = pd.DataFrame({"outlet": ["X"] * 8 + ["Y"] * 2 + ["X"] * 4 + ["Y"] * 6})
    groups = ["g1"] * 10 + ["g2"] * 10
    # g1 is 80% X, g2 40% X: named
    assert len(ct.source_confounds(groups, meta)) == 1
    meta2 = pd.DataFrame({"outlet": ["X"] * 7 + ["Y"] * 3 + ["X"] * 4 + ["Y"] * 6})
    assert ct.source_confounds(groups, meta2) == []  # 70%: under the threshold
