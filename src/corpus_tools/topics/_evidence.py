"""What a topic is and how much of the corpus it takes: terms, tables, passages,
prevalence per period with bootstrap intervals, correspondence with seed families."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from .._options import check_ci
from ..periods import THIN_DOCS, By, code_periods, is_time_unit

__all__ = ["topic_terms", "topic_table", "topic_representatives", "topic_prevalence",
           "topic_match_seeds"]



def topic_terms(model, n: int = 10, *, lambda_: float = 1.0) -> pd.DataFrame:
    """Top ``n`` terms per topic as a tidy table ``topic, label, rank, term,
    probability, relevance`` (relevance at ``lambda_``, Sievert & Shirley 2014;
    ``lambda_=1`` orders by probability)."""
    R = model.relevance(lambda_)
    phi = model.topic_word_
    order = np.argsort(-R, axis=1, kind="stable")[:, :n]
    rows = []
    for k, cols in enumerate(order):
        for r, j in enumerate(cols):
            rows.append((k, model.labels_[k], r + 1, model.vocabulary_[j], float(phi[k, j]),
                         float(R[k, j])))
    return pd.DataFrame(rows, columns=["topic", "label", "rank", "term", "probability",
                                       "relevance"])


def _theta(model, frame):
    """Document-topic shares of ``frame`` (the training documents if None)."""
    if frame is None:
        return model.doc_index_.copy(), model.doc_topic_, model.doc_lengths_
    from ._vocab import topic_dtm
    X = topic_dtm(frame, model.vocabulary_)
    return frame.reset_index(drop=True), model.transform(X), np.asarray(X.sum(axis=1)).ravel()


def topic_table(model, n: int = 8, *, lambda_: float = 0.6, decimals: int = 3) -> pd.DataFrame:
    """One row per topic: ``topic, label, share`` (mean topic share over the
    training documents that have vocabulary terms), ``top_terms`` (by
    probability) and ``relevant_terms`` (by relevance at ``lambda_``)."""
    theta = model.doc_topic_[model.doc_lengths_ > 0]
    share = theta.mean(axis=0) if len(theta) else np.full(model.components_.shape[0], np.nan)
    prob = model.top_terms(n, lambda_=1.0)
    rel = model.top_terms(n, lambda_=lambda_)
    return pd.DataFrame({
        "topic": np.arange(len(share)),
        "label": model.labels_,
        "share": np.round(share, decimals),
        "top_terms": [", ".join(t) for t in prob],
        "relevant_terms": [", ".join(t) for t in rel],
    })


def topic_representatives(model, frame=None, *, n: int = 5, topics: Sequence[int] | None = None,
                          min_tokens: int = 10, chars: int = 300) -> pd.DataFrame:
    """The ``n`` documents with the highest share of each topic: the evidence to
    read before naming it.

    ``frame``: documents to rank (an article or a paragraph frame; transformed
    with the model), or None for the training documents. Documents with fewer
    than ``min_tokens`` vocabulary tokens are skipped (a two-word paragraph can
    be 100 % one topic). ``text`` is the frame's ``text`` column when it has
    one, else its tokens joined, cut to ``chars`` characters.
    """
    index, theta, lengths = _theta(model, frame)
    K = theta.shape[1]
    topics = range(K) if topics is None else topics
    ok = lengths >= min_tokens
    rows = []
    for k in topics:
        score = np.where(ok, theta[:, k], -1.0)
        order = np.lexsort((np.arange(len(score)), -lengths, -score))
        order = [i for i in order[:n] if score[i] > 0]
        for r, i in enumerate(order):
            rec = {"topic": int(k), "label": model.labels_[k], "rank": r + 1,
                   "share": float(theta[i, k]), "n_tokens": int(lengths[i])}
            for c in ("doc_id", "para_id", "published", "outlet", "title"):
                if c in index:
                    rec[c] = index[c].iloc[i]
            if "text" in index:
                text = str(index["text"].iloc[i])
            elif "tokens" in index:
                text = " ".join(index["tokens"].iloc[i]).replace("_", " ")
            else:
                text = ""
            rec["text"] = text if len(text) <= chars else text[:chars].rsplit(" ", 1)[0] + " …"
            rows.append(rec)
    return pd.DataFrame(rows)


def topic_prevalence(model, frame=None, *, by: By = "year", n_boot: int = 1000,
                     ci: float = 0.95, min_docs: int = THIN_DOCS, random_state: int = 0) -> pd.DataFrame:
    """Topic shares per period (or outlet) with bootstrap confidence intervals.
    ``by``: any grouping of :func:`corpus_tools.periods.code_periods` (a calendar
    unit, a column, a ``doc_id -> label`` Series, a callable).

    The share of topic k in a period is the mean of the documents' topic shares
    (each document counts once, whatever its length). The interval resamples
    the period's documents with replacement ``n_boot`` times (percentile
    bootstrap, Efron & Tibshirani 1993), so it reflects how many documents a
    period has and how much they differ. Calendar periods without documents
    between the first and last appear with ``n_docs = 0`` and NaN shares, and
    every period with fewer than ``min_docs`` documents is flagged ``thin``.
    Undated documents (for time periods) and documents without vocabulary
    terms are left out; their counts are in ``attrs["excluded"]``.

    Returns a tidy frame: ``period, period_start`` (time only), ``topic, label,
    share, share_low, share_high, n_docs, thin``.
    """
    check_ci(ci)
    if isinstance(by, str) and not is_time_unit(by) and frame is not None and by not in frame.columns:
        code_periods(frame.head(0), by)  # the period coder's error, naming what by= takes
    if n_boot < 1:
        raise ValueError("n_boot must be >= 1")
    index, theta, lengths = _theta(model, frame)
    if is_time_unit(by) and "published" not in index:
        raise ValueError(f"by={by!r} needs a 'published' column")
    has_terms = lengths > 0
    # the period coding of trends: calendar periods filled between first and last
    if not is_time_unit(by) or index["published"].notna().any():
        codes, periods, is_time = code_periods(index, by)
    else:
        codes, periods, is_time = np.full(len(index), -1), pd.Index([]), True
    has_key = codes >= 0
    missing = "date" if is_time_unit(by) else by if isinstance(by, str) else "group"
    excluded = {"no_vocabulary_terms": int((~has_terms).sum()),
                "no_" + missing: int((has_terms & ~has_key).sum())}
    use = has_terms & has_key
    key_codes, theta = codes[use], theta[use]
    K = theta.shape[1]
    rng = np.random.default_rng(random_state)
    a = (1 - ci) / 2
    rows = []
    for pi, p in enumerate(periods):
        th = theta[key_codes == pi]
        nd = len(th)
        if nd:
            est = th.mean(axis=0)
            boots = np.empty((n_boot, K))
            step = max(1, 2_000_000 // max(nd, 1))
            for s in range(0, n_boot, step):
                m = min(step, n_boot - s)
                counts = rng.multinomial(nd, np.full(nd, 1.0 / nd), size=m)
                boots[s:s + m] = counts @ th / nd
            lo, hi = np.quantile(boots, [a, 1 - a], axis=0)
        else:
            est = lo = hi = np.full(K, np.nan)
        for k in range(K):
            rec = {"period": str(p)}
            if is_time:
                rec["period_start"] = p.start_time
            rec.update(topic=k, label=model.labels_[k], share=float(est[k]),
                       share_low=float(lo[k]), share_high=float(hi[k]), n_docs=nd, thin=nd < min_docs)
            rows.append(rec)
    out = pd.DataFrame(rows)
    out.attrs["excluded"] = excluded
    out.attrs["by"] = by if isinstance(by, str) or by is None else getattr(by, "name", None) or "custom"
    return out


def topic_match_seeds(model, seeds=None, *, n: int = 20) -> pd.DataFrame:
    """Which topics correspond to which seed family.

    ``seeds``: as ``TopicModel(seed_topics=...)`` (default: the model's own
    seed families, else every concept family of ``load_concepts()``).
    For each family and topic: ``seed_mass`` (probability of the family's words
    in the topic), ``lift`` (that mass over the words' share of the corpus; > 1
    means the topic over-uses them), ``in_top`` (family words among the topic's
    top ``n``), ``matched`` (one-to-one best match by seed mass, Hungarian) and
    ``anchored`` (the topic was initialised from this family). Rows sorted by
    family, then lift.
    """
    from ._model import _seed_terms
    if seeds is None:
        seeds = model.seed_topics if model.seed_topics is not None else "concepts"
    fam_terms = _seed_terms(seeds)
    pos = {t: i for i, t in enumerate(model.vocabulary_)}
    phi = model.topic_word_
    pw = model.term_frequency_ / max(model.term_frequency_.sum(), 1)
    top = np.argsort(-phi, axis=1, kind="stable")[:, :n]
    fams = [f for f, toks in fam_terms.items() if any(t in pos for t in toks)]
    K = phi.shape[0]
    mass = np.zeros((len(fams), K))
    lift = np.zeros((len(fams), K))
    in_top = np.zeros((len(fams), K), dtype=int)
    terms_in = {}
    for i, f in enumerate(fams):
        cols = np.array(sorted({pos[t] for t in fam_terms[f] if t in pos}))
        terms_in[f] = [model.vocabulary_[j] for j in cols]
        mass[i] = phi[:, cols].sum(axis=1)
        lift[i] = mass[i] / max(pw[cols].sum(), 1e-300)
        in_top[i] = [len(set(cols.tolist()) & set(top[k].tolist())) for k in range(K)]
    matched = np.zeros_like(in_top, dtype=bool)
    if len(fams):
        r, c = linear_sum_assignment(-mass)
        matched[r, c] = True
    anchored = {(f, k) for k, f in getattr(model, "seed_topics_", {}).items()}
    rows = []
    for i, f in enumerate(fams):
        for k in range(K):
            rows.append({"family": f, "topic": k, "label": model.labels_[k],
                         "seed_mass": float(mass[i, k]), "lift": float(lift[i, k]),
                         "in_top": int(in_top[i, k]), "matched": bool(matched[i, k]),
                         "anchored": (f, k) in anchored, "n_seed_terms": len(terms_in[f])})
    out = pd.DataFrame(rows)
    if len(out):
        out = out.sort_values(["family", "lift", "topic"], ascending=[True, False, True],
                              kind="stable").reset_index(drop=True)
    return out
