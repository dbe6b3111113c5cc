"""Tests for corpus_tools.collocations: measures by hand and against scipy, options, real news."""
from __future__ import annotations

import gzip
import itertools
import json
import math
from pathlib import Path

import pytest

from corpus_tools.collocations import term_collocations
from corpus_tools.tokens import is_punct, tokenize

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _toy_docs():
    # bigram table for (a, b): n11=6, n1p=8, np1=8, N=20
    return [["a", "b"]] * 6 + [["a", "c"]] * 2 + [["d", "b"]] * 2 + [["d", "c"]] * 10


def test_collocations_hand_computed():
    df = term_collocations(_toy_docs(), measure="pmi", min_count=1, n=None)
    row = df.set_index("ngram").loc["a b"]
    n, n11, n1p, np1 = 20, 6, 8, 8
    e11 = n1p * np1 / n  # 3.2
    assert row["count"] == 6 and row["expected"] == pytest.approx(e11)
    assert row["pmi"] == pytest.approx(math.log2(n11 / e11))
    # G² by hand over the 2x2 table: O = 6, 2, 2, 10; E = 3.2, 4.8, 4.8, 7.2
    g2 = 2 * (6 * math.log(6 / 3.2) + 2 * math.log(2 / 4.8) + 2 * math.log(2 / 4.8)
              + 10 * math.log(10 / 7.2))
    assert row["log_likelihood"] == pytest.approx(g2)
    assert row["t_score"] == pytest.approx((6 - 3.2) / math.sqrt(6))
    scipy_stats = pytest.importorskip("scipy.stats")
    g, *_ = scipy_stats.chi2_contingency([[6, 2], [2, 10]], correction=False,
                                         lambda_="log-likelihood")
    assert row["log_likelihood"] == pytest.approx(g)


def test_collocations_known_answer_and_options():
    docs = [["chuyển_đổi", "số", "là", "ưu_tiên", ",", "chuyển_đổi", "số", "nhanh"]] * 5 + \
        [["số", "liệu", "là", "mới"], ["ưu_tiên", "số", "1"]]
    df = term_collocations(docs, measure="log_likelihood", min_count=3)
    assert df.iloc[0]["ngram"] == "chuyển_đổi số" and df.iloc[0]["count"] == 10
    assert "ưu_tiên chuyển_đổi" not in set(df["ngram"])  # never crosses punctuation
    assert (df["count"] >= 3).all()
    tri = term_collocations(docs, ngram=3, min_count=3, measure="t_score")
    assert "chuyển_đổi số là" in set(tri["ngram"])
    assert list(tri.columns[-3:]) == ["count_1", "count_2", "count_3"]
    no_stop = term_collocations(docs, ngram=3, min_count=3, stopwords=["là"])
    assert "chuyển_đổi số là" not in set(no_stop["ngram"])
    for bad in [dict(measure="chi2"), dict(ngram=4)]:
        with pytest.raises(ValueError):
            term_collocations(docs, **bad)
    assert term_collocations([], min_count=1).empty


def test_collocations_on_party_news():
    path = SHARED / "corpora" / "vietnews_party.jsonl.gz"
    if not path.exists():
        pytest.skip("vietnews_party corpus not present")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        texts = [json.loads(line)["content"] for line in itertools.islice(f, 80)]
    docs = [tokenize(t, words=False, keep_punct=True) for t in texts]
    df = term_collocations(docs, measure="log_likelihood", min_count=5, n=100,
                           stopwords="general")
    # organs and formulas the plain segmenter leaves in pieces: lexicon candidates
    found = set(df["ngram"])
    assert {"ủy_ban kiểm_tra", "Ban thường_vụ", "nêu gương", "chủ_tịch nước"} <= found, sorted(found)
    assert df["score"].is_monotonic_decreasing
    assert not any(is_punct(t) for g in df["ngram"] for t in g.split(" "))
