"""An explorer for JupyterLab and Voilà: type a term, see its trend and its contexts.

What researchers like in Voyant — a word box, its rate over time, the lines behind
it — over a corpus store, with the project's statistics: rates per period with
bootstrap intervals over articles (:func:`corpus_tools.term_rates`), split by outlet
on demand, and a keyword-in-context table that follows the selected period, paged.
With a fitted topic model, a second tab in the manner of LDAvis (Sievert & Shirley
2014): the inter-topic map, a relevance slider λ, the topic's top terms and the
passages that carry it.

Figures are drawn with matplotlib and shown as inline SVG whose text stays text,
so what is on screen can be read (and tested) in the page itself. Every update is
timed (``Explorer.timings``); on the 40,000-article store they take well under a
second once the token index is built (``benchmarks/bench_explorer.py``).
"""
from __future__ import annotations

import html
import io
import time
from typing import Any

import pandas as pd

from .periods import TIME_UNITS

__all__ = ["Explorer", "explore"]


def _svg(fig) -> str:
    """A figure as inline SVG, text kept as text (searchable, testable)."""
    import matplotlib.pyplot as plt
    buf = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "corpus-tools"}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


def _table(df: pd.DataFrame, css: str) -> str:
    if df.empty:
        return f'<p class="{css}-empty">no lines</p>'
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = "".join("<tr>" + "".join(f'<td class="{css}-{html.escape(str(c))}">{html.escape(str(v))}</td>'
                                    for c, v in zip(df.columns, r)) + "</tr>" for r in df.itertuples(index=False))
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


class Explorer:
    """The explorer's state and widgets; ``widget`` is what a notebook displays
    (the object itself displays as it). Methods ``show_term``, ``show_period``,
    ``page`` and ``show_topic`` do what the controls do, for scripts and tests."""

    def __init__(self, corpus, *, model=None, frame=None, by: Any = "auto", term: str | None = None,
                 n_boot: int = 200, page_size: int = 10, random_state: int = 0):
        import ipywidgets as w
        from .defaults import corpus_defaults
        self.corpus, self.model, self.frame = corpus, model, frame
        self.n_boot, self.page_size, self.random_state = n_boot, page_size, random_state
        auto = corpus_defaults(corpus)
        self.by = auto.by if isinstance(by, str) and by == "auto" else by
        self.timings: list[tuple[str, float]] = []
        self.rates = pd.DataFrame()
        self.lines = pd.DataFrame()
        self.period = "all"
        self._page = 0
        units = [u for u in TIME_UNITS if auto.n_dated] + ["outlet", "(none)"]
        if isinstance(self.by, pd.Series):  # periods of your own (doc_id -> label)
            units = ["(given)"] + units
        self._given = self.by if isinstance(self.by, pd.Series) else None
        self.term_box = w.Text(value=term or auto.kwic_term or "", description="term",
                               placeholder="a word, phrase or concept family", continuous_update=False)
        by_value = "(given)" if self._given is not None else self.by if isinstance(self.by, str) else "(none)"
        self.by_box = w.Dropdown(options=units, value=by_value if by_value in units else "(none)",
                                 description="by")
        self.split_box = w.Checkbox(value=False, description="split by outlet")
        self.plot = w.HTML()
        self.plot.add_class("ct-plot")
        self.period_box = w.Dropdown(options=["all"], value="all", description="period")
        self.kwic = w.HTML()
        self.kwic.add_class("ct-kwic-box")
        self.prev_btn, self.next_btn = w.Button(description="◀ previous"), w.Button(description="next ▶")
        self.page_label = w.HTML()
        self.status = w.HTML()
        self.status.add_class("ct-status")
        self._quiet = False  # set while the code itself changes a control
        self.term_box.observe(lambda ch: None if self._quiet else self.show_term(ch["new"]), names="value")
        self.by_box.observe(lambda ch: self._set_by(ch["new"]), names="value")
        self.split_box.observe(lambda ch: self.show_term(self.term_box.value), names="value")
        self.period_box.observe(lambda ch: None if self._quiet else self.show_period(ch["new"]),
                                names="value")
        self.prev_btn.on_click(lambda _: self.page(-1))
        self.next_btn.on_click(lambda _: self.page(+1))
        terms_tab = w.VBox([w.HBox([self.term_box, self.by_box, self.split_box]), self.plot,
                            w.HBox([self.period_box, self.prev_btn, self.next_btn, self.page_label]),
                            self.kwic, self.status])
        tabs = [terms_tab]
        if model is not None:
            tabs.append(self._topic_tab(w))
        self.widget = w.Tab(children=tabs, titles=["Terms", "Topics"][:len(tabs)]) if len(tabs) > 1 \
            else terms_tab
        self.show_term(self.term_box.value)

    # -- terms
    def _set_by(self, value: str) -> None:
        self.by = None if value == "(none)" else self._given if value == "(given)" else value
        self.show_term(self.term_box.value)

    def _timed(self, what: str, t0: float) -> None:
        dt = time.perf_counter() - t0
        self.timings.append((what, dt))
        self.status.value = f'<span class="ct-time">{html.escape(what)}: {dt:.2f} s</span>'

    def show_term(self, term: str) -> None:
        """Trend ``term`` (rates per period, intervals) and show its first lines."""
        from .plots import plot_term_rates
        from .trends import term_rates
        t0 = time.perf_counter()
        term = " ".join(str(term).split())
        self.term = term
        if self.term_box.value != term:
            self._quiet = True
            self.term_box.value = term
            self._quiet = False
        if not term:
            self.plot.value = "<p>type a term</p>"
            self.rates = pd.DataFrame()
        else:
            by = self.by
            if self.split_box.value:
                rates = self._by_outlet(term, by)
            else:
                rates = term_rates(self.corpus, [term], by=by, n_boot=self.n_boot,
                                   random_state=self.random_state)
            self.rates = rates
            title = f"“{term}” per 10,000 tokens" + (f" per {by}" if isinstance(by, str) else "")
            self.plot.value = _svg(plot_term_rates(rates, title=title)) if len(rates) else \
                f"<p>“{html.escape(term)}” is not in the corpus</p>"
        periods = ["all"] + ([str(p) for p in self.rates["period"].unique()] if len(self.rates) and
                             self.by is not None else [])
        self._quiet = True  # new options: the lines are drawn once, below
        self.period_box.options = periods
        self.period_box.value = "all"
        self._quiet = False
        self._lines("all")
        self._timed(f"term “{term}”", t0)

    def _by_outlet(self, term: str, by) -> pd.DataFrame:
        """One series per outlet (the five largest), as separate terms of one table."""
        from .trends import term_rates
        arts = self.corpus.articles
        top = arts["outlet"].dropna().value_counts().index[:5]
        parts = []
        for o in top:
            ids = set(arts.loc[arts["outlet"] == o, "doc_id"])
            sub = self.corpus.frame(where=lambda m, ids=ids: m["doc_id"].isin(ids))
            r = term_rates(sub, [term], by=by, n_boot=self.n_boot, random_state=self.random_state)
            parts.append(r.assign(term=f"{term} · {o}"))
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def _period_ids(self, period: str):
        if period == "all" or self.by is None:
            return None
        from .periods import code_periods
        meta = self.corpus.articles[["doc_id", "published", "outlet"]]
        coding = code_periods(meta, self.by)
        labels = [str(x) for x in coding.labels]
        if period not in labels:
            return set()
        k = labels.index(period)
        return set(meta["doc_id"][coding.codes == k])

    def _lines(self, period: str) -> None:
        self.period = period
        ids = self._period_ids(period)
        where = None if ids is None else (lambda m: m["doc_id"].isin(ids))
        if not self.term:
            self.lines = pd.DataFrame()
        else:
            k = self.corpus.kwic(self.term, window=8, n=500, where=where)
            cols = [c for c in ("published", "outlet", "left", "keyword", "right") if c in k]
            k = k[cols].copy()
            if "published" in k:
                k["published"] = pd.to_datetime(k["published"]).dt.strftime("%Y-%m-%d").fillna("")
            self.lines = k.fillna("").reset_index(drop=True)
        self._page = 0
        self._render_lines()

    def show_period(self, period: str) -> None:
        """Show the lines of ``period`` (``"all"``: of every period)."""
        t0 = time.perf_counter()
        self._lines(str(period))
        self._timed(f"period {period}", t0)

    def page(self, step: int) -> None:
        """Page through the lines (``+1`` next, ``-1`` previous)."""
        t0 = time.perf_counter()
        last = max(0, (len(self.lines) - 1) // self.page_size)
        self._page = min(max(0, self._page + step), last)
        self._render_lines()
        self._timed("page", t0)

    def _render_lines(self) -> None:
        a = self._page * self.page_size
        shown = self.lines.iloc[a:a + self.page_size]
        self.kwic.value = _table(shown, "ct-kwic")
        n = len(self.lines)
        more = " (first 500)" if n >= 500 else ""
        self.page_label.value = (f'<span class="ct-page">lines {a + 1}–{a + len(shown)} of {n}{more}'
                                 f' · period {html.escape(self.period)}</span>' if n else
                                 '<span class="ct-page">no lines</span>')

    # -- topics
    def _topic_tab(self, w):
        from .topics import topic_ldavis
        if self.frame is None:
            raise ValueError("explore(model=...) needs frame=, the frame the model was fitted on")
        self._ldavis = topic_ldavis(self.model)
        order = self._ldavis["topic.order"]
        labels = getattr(self.model, "labels_", [str(k) for k in range(len(order))])
        self.topic_box = w.Dropdown(options=[(f"{i + 1}: {labels[k - 1]}", k - 1) for i, k in enumerate(order)],
                                    description="topic")
        self.lambda_box = w.FloatSlider(value=0.6, min=0.0, max=1.0, step=0.05, description="λ",
                                        continuous_update=False)
        self.topic_map, self.topic_terms, self.passages = w.HTML(), w.HTML(), w.HTML()
        self.topic_map.add_class("ct-topic-map")
        self.topic_terms.add_class("ct-topic-terms")
        self.topic_box.observe(lambda ch: self.show_topic(ch["new"]), names="value")
        self.lambda_box.observe(lambda ch: self.show_topic(self.topic_box.value), names="value")
        from .topics import topic_representatives
        self._reps = topic_representatives(self.model, self.frame, n=3, chars=240)
        tab = w.VBox([w.HBox([self.topic_box, self.lambda_box]),
                      w.HBox([self.topic_map, self.topic_terms]), self.passages])
        self.show_topic(self.topic_box.value)
        return tab

    def show_topic(self, topic: int, lambda_: float | None = None) -> None:
        """Show ``topic`` (the model's index): its place on the map, its terms by
        relevance at λ, and its passages."""
        import matplotlib.pyplot as plt
        import numpy as np
        t0 = time.perf_counter()
        lam = self.lambda_box.value if lambda_ is None else lambda_
        d = self._ldavis
        order = d["topic.order"]
        pos = order.index(topic + 1)
        fig, ax = plt.subplots(figsize=(4.2, 4))
        size = np.array(d["mdsDat"]["Freq"])
        ax.scatter(d["mdsDat"]["x"], d["mdsDat"]["y"], s=40 + 25 * size, alpha=0.5,
                   c=["#d62728" if i == pos else "#1f77b4" for i in range(len(order))])
        for i, (x, y) in enumerate(zip(d["mdsDat"]["x"], d["mdsDat"]["y"])):
            ax.annotate(str(i + 1), (x, y), ha="center", va="center", fontsize=9)
        ax.set_title("Inter-topic map (PCoA of Jensen-Shannon)", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        self.topic_map.value = _svg(fig)
        R = self.model.relevance(lam)[topic]
        top = np.argsort(-R, kind="stable")[:15]
        vocab = np.asarray(self.model.vocabulary_)
        fig, ax = plt.subplots(figsize=(4.6, 4))
        ax.barh([str(vocab[i]).replace("_", " ") for i in top][::-1], self.model.topic_word_[topic, top][::-1],
                color="#d62728")
        ax.set_title(f"Topic {pos + 1}: top terms by relevance, λ = {lam:.2f}", fontsize=9)
        ax.tick_params(labelsize=8)
        self.topic_terms.value = _svg(fig)
        reps = self._reps[self._reps["topic"] == topic]
        cols = [c for c in ("rank", "share", "title", "text") if c in reps]
        self.passages.value = _table(reps[cols].round(3), "ct-passages")
        self._timed(f"topic {pos + 1}, λ {lam:.2f}", t0)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def explore(corpus, *, model=None, frame=None, by: Any = "auto", term: str | None = None,
            n_boot: int = 200, page_size: int = 10, random_state: int = 0) -> Explorer:
    """An interactive explorer of ``corpus`` (a store) for JupyterLab or Voilà.

    A term box (a word, a phrase or a concept family): its rate per period (``by``,
    ``"auto"`` from the dates; or ``"outlet"``) with bootstrap intervals
    (``n_boot`` replicates over articles), split by outlet on demand, and a KWIC
    table beneath that follows the selected period, ``page_size`` lines a page.
    With ``model`` (a fitted :class:`TopicModel`) and its ``frame``, a Topics tab:
    inter-topic map, relevance slider, top terms, representative passages.
    """
    return Explorer(corpus, model=model, frame=frame, by=by, term=term, n_boot=n_boot,
                    page_size=page_size, random_state=random_state)
