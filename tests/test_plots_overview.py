"""plots.overview: figures that show what a user checks by eye (bar heights, labels)."""
from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

from corpus_tools.plots import plot_article_lengths, plot_articles_per_period, plot_removed_reasons


def _frame():
    return pd.DataFrame({
        "published": pd.to_datetime(["2019-11-14", "2020-04-26", "2020-08-07", None, "2022-05-09"]),
        "outlet": ["A", "B", "A", "B", "A"],
        "text": ["x" * 100, "y" * 1000, "z" * 50, "w" * 300, "v" * 2000],
        "removed": [[{"line": 1, "text": "Bình luận", "reason": "comment-widget"}],
                    [{"line": 3, "text": "TAG: a", "reason": "tag-line"}, {"line": 4, "text": "x", "reason": "tag-line"}],
                    [], [], [{"line": 9, "text": "Bình luận", "reason": "comment-widget"}]],
    })


def test_articles_per_year_bars_include_empty_years_and_note_undated():
    fig = plot_articles_per_period(_frame(), by="year")
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    assert heights == [1, 2, 0, 1]  # 2019, 2020, 2021 (empty, still drawn), 2022
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2019", "2020", "2021", "2022"]
    assert any("1 undated not shown" in t.get_text() for t in ax.texts)
    assert isinstance(fig, matplotlib.figure.Figure)


def test_articles_per_period_stacked_and_validation():
    fig = plot_articles_per_period(_frame(), by="quarter", group="outlet")
    ax = fig.axes[0]
    assert sum(p.get_height() for p in ax.patches) == 4
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B"]
    with pytest.raises(ValueError, match="by must be one of"):
        plot_articles_per_period(_frame(), by="fortnight")


def test_removed_reasons_counts_lines_and_articles():
    fig = plot_removed_reasons(_frame())
    ax = fig.axes[0]
    widths = {t.get_text(): p.get_width() for t, p in zip(ax.get_yticklabels(), ax.patches)}
    assert widths == {"comment-widget": 2, "tag-line": 2}
    assert any(t.get_text() == "2 lines, 2 articles" for t in ax.texts)
    assert any(t.get_text() == "2 lines, 1 article" for t in ax.texts)


def test_article_lengths_marks_the_median():
    fig = plot_article_lengths(_frame())
    assert any(t.get_text() == "median 300" for t in fig.axes[0].texts)


def test_decimal_years_never_show_an_offset_and_groups_are_points_with_n():
    import matplotlib.pyplot as plt
    from corpus_tools.plots import plot_effects, plot_topic_prevalence
    exp = pd.DataFrame({"outcome": "t", "covariate": "time", "value": [2026.05, 2026.06, 2026.07],
                        "estimate": [1.0, 1.2, 1.1], "ci_low": [0.8, 1.0, 0.9], "ci_high": [1.2, 1.4, 1.3]})
    fig = plot_effects(exp)
    fig.canvas.draw()
    assert all(ax.xaxis.get_offset_text().get_text() == "" for ax in fig.axes)
    plt.close(fig)
    prev = pd.DataFrame({"period": ["Dân trí", "Nhân Dân", "VnExpress"] * 2, "topic": [0] * 3 + [1] * 3,
                         "label": ["a"] * 3 + ["b"] * 3, "share": [0.2, 0.5, 0.3, 0.8, 0.5, 0.7],
                         "share_low": [0.1] * 6, "share_high": [0.9] * 6, "n_docs": [120, 4, 30] * 2,
                         "thin": [False, True, False] * 2})
    prev.attrs["by"] = "outlet"
    fig = plot_topic_prevalence(prev)
    ax = fig.axes[0]
    assert not [ln for ln in ax.lines if len(ln.get_xdata()) > 1 and ln.get_linestyle() not in ("None", "")]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Dân trí (n=120)", "Nhân Dân (n=4*)",
                                                            "VnExpress (n=30)"]
    plt.close(fig)


def test_saved_figures_have_no_overlapping_tick_labels(tmp_path):
    import matplotlib.pyplot as plt
    from corpus_tools.plots import save_figure
    from corpus_tools.plots._common import _overlapping
    fig, ax = plt.subplots(figsize=(5, 3))
    names = [f"Báo Đảng bộ tỉnh số {i}" for i in range(40)]
    ax.bar(range(40), range(40))
    ax.set_xticks(range(40), labels=names)
    fig.canvas.draw()
    assert _overlapping(ax.get_xticklabels())  # as drawn: unreadable
    save_figure(fig, "crowded", tmp_path)
    fig.canvas.draw()
    assert not _overlapping(ax.get_xticklabels())
    assert sum(t.get_visible() for t in ax.get_xticklabels()) >= 4  # thinned, not emptied
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.set_xticks(range(3), labels=["2021", "2022", "2023"])
    save_figure(fig, "roomy", tmp_path)
    assert all(t.get_rotation() == 0 and t.get_visible() for t in ax.get_xticklabels())
    plt.close(fig)
