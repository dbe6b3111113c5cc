"""Planted reuse, to measure what :func:`find_reuse` recovers: passages copied from
real articles into other real articles with token edits, and their scoring."""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["plant_passages", "score_recovery", "plant_cascades"]


def _edit(words: list[str], rate: float, pool: list[str], rng) -> tuple[list[str], list[tuple[int, int]]]:
    """Each word, with probability ``rate``, substituted by a corpus word, deleted, or
    followed by an inserted corpus word (one of the three at random). Also returns
    ``(source index, copy index)`` of every word copied unchanged."""
    out, kept = [], []
    for i, w in enumerate(words):
        if rng.random() >= rate:
            kept.append((i, len(out)))
            out.append(w)
            continue
        op = int(rng.integers(3))
        if op == 0:
            out.append(pool[int(rng.integers(len(pool)))])
        elif op == 2:
            kept.append((i, len(out)))
            out.extend((w, pool[int(rng.integers(len(pool)))]))
    return out, kept


def plant_passages(frame: pd.DataFrame, *, lengths=(20, 50, 100, 200), edit_rates=(0.0, 0.05, 0.10, 0.15),
                   per_cell: int = 10, random_state: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Copy ``per_cell`` passages of each length (words) at each edit rate from one
    article of ``frame`` (``doc_id``, ``tokens``) into another, at a random word
    position; every article is used at most once, as a source or a target.

    Returns the planted frame and the truth: one row per plant with ``length``,
    ``edit_rate``, ``source``/``target`` doc ids and the token spans
    ``source_start/end`` and ``target_start/end`` in the planted frame, and the
    ``*_core_*`` spans from the first to the last word copied unchanged (edits at the
    very edge of a passage leave nothing to align there)."""
    rng = np.random.default_rng(random_state)
    tokens = [list(t) for t in frame["tokens"]]
    ids = frame["doc_id"].tolist()
    pool = [w for t in tokens for w in t]
    free = list(rng.permutation(len(tokens)))
    rows = []
    for length in lengths:
        for rate in edit_rates:
            for _ in range(per_cell):
                src = next((i for i in free if len(tokens[i]) >= length + 10), None)
                if src is None:
                    raise ValueError(f"not enough articles of {length + 10}+ words for {len(lengths) * len(edit_rates) * per_cell} plants")
                free.remove(src)
                tgt = free.pop(0)
                s0 = int(rng.integers(0, len(tokens[src]) - length + 1))
                copy, kept = _edit(tokens[src][s0:s0 + length], rate, pool, rng)
                p = int(rng.integers(0, len(tokens[tgt]) + 1))
                tokens[tgt][p:p] = copy
                rows.append({"length": length, "edit_rate": rate, "source": ids[src], "target": ids[tgt],
                             "source_start": s0, "source_end": s0 + length, "target_start": p,
                             "target_end": p + len(copy),
                             # what an aligner can see: from the first to the last word copied unchanged
                             "source_core_start": s0 + kept[0][0], "source_core_end": s0 + kept[-1][0] + 1,
                             "target_core_start": p + kept[0][1], "target_core_end": p + kept[-1][1] + 1})
    out = frame.copy()
    out["tokens"] = pd.Series(tokens, index=frame.index, dtype=object)
    return out, pd.DataFrame(rows)


def _near(found, true, tolerance: int) -> bool:
    return all(abs(int(f) - int(t)) <= tolerance for f, t in zip(found, true))


def _overlap(s0, e0, s1, e1) -> int:
    return max(0, min(e0, e1) - max(s0, s1))


def score_recovery(found: pd.DataFrame, truth: pd.DataFrame, base: pd.DataFrame, *,
                   tolerance: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per plant and per (length, edit rate) cell: recall (a passage between source
    and target covering half the planted span), boundaries within ``tolerance`` words
    on both sides (of the planted span, and of its core: first to last unchanged
    word), and precision.

    ``found``/``base``: ``find_reuse(...).passages`` on the planted and on the
    original frame. A found passage that overlaps a planted span is right when it
    pairs the plant's target with its source, or with an article the source already
    shared that text with (``base``); one that overlaps no plant is right when
    ``base`` has it (positions in targets shifted by the insert), else it is a false
    positive of no cell."""
    plants = truth.reset_index(drop=True)
    by_target = {t: i for i, t in enumerate(plants["target"])}
    base_pairs = {}
    for r in base.itertuples():
        base_pairs.setdefault(frozenset((r.doc_id_a, r.doc_id_b)), []).append(r)
    hit = np.zeros(len(plants), bool)
    exact = np.zeros(len(plants), bool)
    core = np.zeros(len(plants), bool)
    cell_fp = np.zeros(len(plants), int)
    cell_tp = np.zeros(len(plants), int)
    stray = shared_elsewhere = 0
    for r in found.itertuples():
        sides = [(r.doc_id_a, r.start_a, r.end_a, r.doc_id_b, r.start_b, r.end_b),
                 (r.doc_id_b, r.start_b, r.end_b, r.doc_id_a, r.start_a, r.end_a)]
        placed = False
        for doc, s, e, other, os_, oe in sides:
            k = by_target.get(doc)
            if k is None:
                continue
            pl = plants.iloc[k]
            if not _overlap(s, e, pl.target_start, pl.target_end):
                continue
            placed = True
            if other != pl.source:
                shared_elsewhere += 1  # the planted text is also like a third article's
            elif _overlap(os_, oe, pl.source_start, pl.source_end):
                cell_tp[k] += 1
                if _overlap(s, e, pl.target_start, pl.target_end) >= 0.5 * (pl.target_end - pl.target_start):
                    hit[k] = True
                    exact[k] |= _near((s, e, os_, oe), (pl.target_start, pl.target_end, pl.source_start,
                                                        pl.source_end), tolerance)
                    core[k] |= _near((s, e, os_, oe), (pl.target_core_start, pl.target_core_end,
                                                       pl.source_core_start, pl.source_core_end), tolerance)
            else:
                cell_fp[k] += 1  # the right pair, the wrong place
            break
        if not placed and not _pre_existing(r, base_pairs, plants, by_target):
            stray += 1
    per_plant = plants.assign(found=hit, boundaries=exact, core_boundaries=core, true_passages=cell_tp,
                              false_passages=cell_fp)
    g = per_plant.groupby(["length", "edit_rate"])
    summary = pd.DataFrame({"plants": g.size(), "recall": g["found"].mean(),
                            "boundaries_within": g["boundaries"].mean(),
                            "core_boundaries_within": g["core_boundaries"].mean(),
                            "precision": g["true_passages"].sum() / (g["true_passages"].sum()
                                                                     + g["false_passages"].sum())}).reset_index()
    summary.attrs["stray_false_passages"] = stray
    summary.attrs["shared_elsewhere"] = shared_elsewhere
    summary.attrs["precision_overall"] = per_plant["true_passages"].sum() / max(
        1, per_plant["true_passages"].sum() + per_plant["false_passages"].sum() + stray)
    return per_plant, summary


def _pre_existing(r, base_pairs, plants, by_target) -> bool:
    """Whether the base run has this passage (target positions shifted back)."""
    def back(doc, s, e):
        k = by_target.get(doc)
        if k is None:
            return s, e
        pl = plants.iloc[k]
        m = pl.target_end - pl.target_start
        return (s - m if s >= pl.target_end else s), (e - m if e > pl.target_start else e)
    sa, ea = back(r.doc_id_a, r.start_a, r.end_a)
    sb, eb = back(r.doc_id_b, r.start_b, r.end_b)
    for q in base_pairs.get(frozenset((r.doc_id_a, r.doc_id_b)), []):
        qa = (q.start_a, q.end_a) if q.doc_id_a == r.doc_id_a else (q.start_b, q.end_b)
        qb = (q.start_b, q.end_b) if q.doc_id_a == r.doc_id_a else (q.start_a, q.end_a)
        if _overlap(sa, ea, *qa) and _overlap(sb, eb, *qb):
            return True
    return False


def plant_cascades(frame: pd.DataFrame, *, n_cascades: int = 50, copies=(2, 5), lag_days=(0, 3),
                   edit_rate=(0.0, 0.2), around=(0.0, 0.5), random_state: int = 0
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reprint cascades planted in real articles, to measure :func:`find_reprints`.

    ``frame``: real articles (``doc_id``, ``tokens``, ``published``, ``outlet``,
    ``level``). Each cascade takes one article as its origin and adds 2-5 copies
    (``copies``), each in another outlet of the frame, published 0-3 days later
    (``lag_days``, whole days), with 0-20% of the words edited (``edit_rate``, drawn
    per copy: substituted, deleted or followed by an inserted word) and real text of
    another article around it (``around``: its share of the copy's length, half
    before, half after). Returns the frame with the copies appended and the truth:
    ``origin``, ``copy``, ``lag``, ``edit_rate``, ``around``.
    """
    rng = np.random.default_rng(random_state)
    tokens = [list(t) for t in frame["tokens"]]
    pool = [w for t in tokens for w in t]
    outlets = sorted(set(frame["outlet"].dropna()))
    lo, hi = copies
    if len(outlets) < hi + 1:
        raise ValueError(f"copies in other outlets need {hi + 1} outlets; the frame has {len(outlets)}")
    order = list(rng.permutation(len(frame)))
    origins = [i for i in order if len(tokens[i]) >= 60][:n_cascades]
    if len(origins) < n_cascades:
        raise ValueError(f"only {len(origins)} articles of 60+ words for {n_cascades} cascades")
    fillers = [i for i in order if i not in set(origins)]
    new, truth = [], []
    for c, o in enumerate(origins):
        src = frame.iloc[o]
        others = [x for x in outlets if x != src["outlet"]]
        for k, outlet in enumerate(rng.choice(others, size=int(rng.integers(lo, hi + 1)), replace=False)):
            rate = float(rng.uniform(*edit_rate))
            body, _ = _edit(tokens[o], rate, pool, rng)
            share = float(rng.uniform(*around))
            n_extra = int(round(share * len(body) / max(1 - share, 1e-9)))
            # the text around: a slice of an article at most 40% of it, so that the copy
            # is not a reprint of that article too
            for j in range(len(fillers)):
                extra = tokens[fillers[(c * 7 + k + j) % len(fillers)]]
                if 0.4 * len(extra) >= n_extra:
                    break
            n_extra = min(n_extra, int(0.4 * len(extra)))
            at = int(rng.integers(0, len(extra) - n_extra + 1))
            extra = extra[at:at + n_extra]
            half = n_extra // 2
            lag = int(rng.integers(lag_days[0], lag_days[1] + 1))
            doc = f"copy-{c}-{k}"
            new.append({"doc_id": doc, "tokens": extra[:half] + body + extra[half:n_extra],
                        "published": src["published"] + pd.Timedelta(days=lag), "outlet": outlet,
                        "level": "provincial"})
            truth.append({"origin": src["doc_id"], "copy": doc, "lag": lag, "edit_rate": rate, "around": share})
    planted = pd.concat([frame, pd.DataFrame(new)], ignore_index=True)
    return planted, pd.DataFrame(truth)
