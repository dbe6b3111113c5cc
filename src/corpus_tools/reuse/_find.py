"""``find_reuse``: passages shared between articles, and clusters of one passage
across many (Wilkerson, Smith & Stramp 2015; Smith, Cordell & Mullen 2015)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from .._options import check_choice, named_options
from ._align import align, anchors, chain, extend_end, matches
from ._candidates import candidate_pairs, rare_shingles, shingles
from ..dedupe import publication_rank, union_find
from ._docs import Docs, char_spans, read_docs

__all__ = ["find_reuse", "Reuse", "ReuseBackend", "ReuseKind", "PASSAGE_COLUMNS", "CLUSTER_COLUMNS", "MEMBER_COLUMNS"]

ReuseBackend = Literal["serial", "dask"]
#: What a passage, a cluster or a cluster member is marked as.
ReuseKind = Literal["reuse", "duplicate", "furniture"]

PASSAGE_COLUMNS = ["passage_id", "cluster_id", "kind", "doc_id_a", "doc_id_b", "start_a", "end_a", "start_b",
                   "end_b", "char_start_a", "char_end_a", "char_start_b", "char_end_b", "text_a", "text_b",
                   "aligned_length", "matched", "identity", "shared_ngrams", "published_a", "published_b",
                   "site_a", "site_b", "level_a", "level_b"]
CLUSTER_COLUMNS = ["cluster_id", "kind", "n_articles", "n_sites", "n_levels", "first_doc_id", "first_published",
                   "first_site", "first_level", "last_published", "spread_days", "levels", "text"]
MEMBER_COLUMNS = ["cluster_id", "doc_id", "start", "end", "published", "site", "level", "is_first"]


@dataclass
class Reuse:
    """What :func:`find_reuse` found. ``passages``: one row per aligned passage pair
    (side ``a`` is the earlier article); ``clusters``: one row per passage found in
    several articles, with its first appearance and spread; ``members``: each
    article's span in each cluster."""
    passages: pd.DataFrame
    clusters: pd.DataFrame
    members: pd.DataFrame
    params: dict
    docs: Docs = field(repr=False)

    def diff(self, passage_id: int) -> pd.DataFrame:
        """The alignment of one passage pair, op by op: ``tag`` (``equal``,
        ``replace``, ``delete``, ``insert``), ``text_a``, ``text_b`` (surface words)."""
        row = self.passages.set_index("passage_id").loc[passage_id]
        meta = self.docs.meta
        ra = int(np.flatnonzero(meta["doc_id"].to_numpy() == row["doc_id_a"])[0])
        rb = int(np.flatnonzero(meta["doc_id"].to_numpy() == row["doc_id_b"])[0])
        a = self.docs.tokens(ra)[row["start_a"]:row["end_a"]]
        b = self.docs.tokens(rb)[row["start_b"]:row["end_b"]]
        surf = self.docs.surfaces([ra, rb])
        wa = surf[ra][0][row["start_a"]:row["end_a"]]
        wb = surf[rb][0][row["start_b"]:row["end_b"]]
        rows = [{"tag": tag, "text_a": " ".join(wa[i0:i1]).replace("_", " "),
                 "text_b": " ".join(wb[j0:j1]).replace("_", " ")} for tag, i0, i1, j0, j1 in align(a, b)[2]]
        return pd.DataFrame(rows, columns=["tag", "text_a", "text_b"])


def _pair_passages(docs: Docs, ra: int, rb: int, idx, p: dict) -> list[tuple]:
    (H, P, bounds) = idx
    sa, ea, sb, eb = bounds[ra], bounds[ra + 1], bounds[rb], bounds[rb + 1]
    i, j = matches(H[sa:ea], P[sa:ea], H[sb:eb], P[sb:eb])
    A, B = docs.tokens(ra), docs.tokens(rb)
    out = []
    for a0, a1, b0, b1 in chain(anchors(i, j, p["ngram"]), p["max_gap"], A, B):
        if min(a1 - a0, b1 - b0) <= p["ngram"]:
            continue  # one lone shared n-gram: a coincidence, not a passage
        x, y = extend_end(A[:a0][::-1], B[:b0][::-1], p["extend"])
        a0, b0 = a0 - x, b0 - y
        x, y = extend_end(A[a1:], B[b1:], p["extend"])
        a1, b1 = a1 + x, b1 + y
        matched, columns, _ = align(A[a0:a1], B[b0:b1])
        if columns >= p["min_length"] and matched >= p["min_identity"] * columns:
            out.append((a0, a1, b0, b1, matched, columns))
    out = _merge_neighbours(sorted(out), A, B, p)
    # one alignment per stretch of text: a shorter passage of the same pair lying
    # mostly inside a longer one on either side is a repeat, not another passage
    out.sort(key=lambda q: (-(q[1] - q[0]), q[0], q[2]))
    kept: list[tuple] = []
    for q in out:
        if not any(_inside(q[0], q[1], o[0], o[1]) or _inside(q[2], q[3], o[2], o[3]) for o in kept):
            kept.append(q)
    return sorted(kept, key=lambda q: (q[0], q[2]))


def _merge_neighbours(out: list[tuple], A, B, p: dict) -> list[tuple]:
    """Two passages of a pair that overlap or nearly touch on both sides, on nearby
    diagonals, are one passage cut by a dense run of edits: re-aligned as one, they
    are kept as one when the whole still has the identity asked for."""
    merged: list[tuple] = []
    for q in out:
        for k, m in enumerate(merged):
            near = (q[0] <= m[1] + p["max_gap"] and m[0] <= q[1] + p["max_gap"] and q[2] <= m[3] + p["max_gap"]
                    and m[2] <= q[3] + p["max_gap"] and abs((q[2] - q[0]) - (m[2] - m[0])) <= p["max_gap"])
            if near:
                a0, a1, b0, b1 = min(m[0], q[0]), max(m[1], q[1]), min(m[2], q[2]), max(m[3], q[3])
                matched, columns, _ = align(A[a0:a1], B[b0:b1])
                if matched >= p["min_identity"] * columns:
                    merged[k] = (a0, a1, b0, b1, matched, columns)
                    break
        else:
            merged.append(q)
    return merged


def _inside(s: int, e: int, os_: int, oe: int, share: float = 0.8) -> bool:
    return min(e, oe) - max(s, os_) >= share * (e - s)


def _spans_to_chars(docs: Docs, rows, starts, ends) -> tuple[list, list, list]:
    """Character spans and texts of token spans (text as written where it can be found)."""
    surf = docs.surfaces(set(rows))
    spans = {r: char_spans(w, t) for r, (w, t) in surf.items()}
    n_tok = docs.meta["n_tokens"].to_numpy()
    cs, ce, texts = [], [], []
    for r, s, e in zip(rows, starts, ends):
        words, text = surf[r]
        sp = spans[r]
        ok = sp is not None and len(words) == n_tok[r] and sp[s, 0] >= 0 and sp[e - 1, 1] >= 0
        if ok:
            cs.append(int(sp[s, 0]))
            ce.append(int(sp[e - 1, 1]))
            texts.append(text[cs[-1]:ce[-1]])
        else:
            cs.append(None)
            ce.append(None)
            texts.append(" ".join(words[s:e]).replace("_", " "))
    return cs, ce, texts


def _passage_table(docs: Docs, found: list[tuple]) -> pd.DataFrame:
    meta = docs.meta
    rank = publication_rank(meta["published"])
    rows = []
    for ra, rb, shared, (a0, a1, b0, b1, matched, columns) in found:
        if rank[rb] < rank[ra]:  # side a is the earlier article
            ra, rb, a0, a1, b0, b1 = rb, ra, b0, b1, a0, a1
        rows.append((ra, rb, a0, a1, b0, b1, matched, columns, shared))
    cols = ["ra", "rb", "start_a", "end_a", "start_b", "end_b", "matched", "aligned_length", "shared_ngrams"]
    df = pd.DataFrame(rows, columns=cols).astype(np.int64)
    df = df.sort_values(["ra", "rb", "start_a", "start_b"], kind="stable").reset_index(drop=True)
    for side, r in (("a", "ra"), ("b", "rb")):
        cs, ce, texts = _spans_to_chars(docs, df[r].tolist(), df[f"start_{side}"].tolist(),
                                        df[f"end_{side}"].tolist())
        df[f"char_start_{side}"] = pd.array(cs, dtype="Int64")
        df[f"char_end_{side}"] = pd.array(ce, dtype="Int64")
        df[f"text_{side}"] = texts
        for col in ("doc_id", "published", "site", "level"):
            df[f"{col}_{side}"] = meta[col].to_numpy()[df[r].to_numpy()]
    df["identity"] = df["matched"] / df["aligned_length"].where(df["aligned_length"] > 0, 1)
    df["passage_id"] = np.arange(len(df))
    return df


def _sides(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
    """Both sides of every passage as one long table: ``cluster_id``, ``row`` and
    ``cols`` (named without their ``_a``/``_b`` suffix)."""
    return pd.concat([df[["cluster_id", r, *(f"{c}_{s}" for c in cols)]].set_axis(["cluster_id", "row", *cols], axis=1)
                      for s, r in (("a", "ra"), ("b", "rb"))])


def _clusters(df: pd.DataFrame) -> np.ndarray:
    """Cluster of each passage: the two sides of a passage are one passage, and so are
    spans of one article that overlap by half of the shorter (union-find)."""
    nodes = pd.DataFrame({"row": np.concatenate((df["ra"], df["rb"])),
                          "start": np.concatenate((df["start_a"], df["start_b"])),
                          "end": np.concatenate((df["end_a"], df["end_b"]))})
    n = len(df)
    find, union = union_find(2 * n)
    for p in range(n):
        union(p, n + p)
    for _, g in nodes.sort_values(["row", "start"], kind="stable").groupby("row", sort=False):
        active: list[tuple[int, int, int]] = []
        for node, s, e in zip(g.index, g["start"], g["end"]):
            active = [x for x in active if x[2] > s]
            for other, os_, oe in active:
                if min(e, oe) - max(s, os_) >= 0.5 * min(e - s, oe - os_):
                    union(other, node)
            active.append((node, s, e))
    return np.array([find(p) for p in range(n)], dtype=np.int64)


def _kinds(df: pd.DataFrame, members: pd.DataFrame, meta: pd.DataFrame, furniture_min: int) -> pd.Series:
    """``duplicate``: copies of one article (one duplicate group, or the passage covers
    80% of both); ``furniture``: a passage at an article's edge in ``furniture_min`` or
    more articles of one site only; else ``reuse``."""
    n_tok = meta["n_tokens"].to_numpy()
    group = meta["group"].to_numpy()
    dup = (group[df["ra"]] == group[df["rb"]]) | (
        (df["end_a"] - df["start_a"] >= 0.8 * n_tok[df["ra"]]) & (df["end_b"] - df["start_b"] >= 0.8 * n_tok[df["rb"]]))
    m = members.assign(edge=(members["start"] <= 2) | (members["end"] >= n_tok[members["row"]] - 2))
    g = m.groupby("cluster_id").agg(n=("row", "size"), sites=("site", "nunique"), edge=("edge", "all"))
    furn = set(g.index[(g["n"] >= furniture_min) & (g["sites"] == 1) & g["edge"]])
    kind = np.where(dup, "duplicate", "reuse").astype(object)
    kind[df["cluster_id"].isin(furn).to_numpy() & ~dup.to_numpy()] = "furniture"
    return pd.Series(kind, index=df.index)


def _members(df: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    m = _sides(df, "start", "end").groupby(["cluster_id", "row"], as_index=False).agg(start=("start", "min"),
                                                                                     end=("end", "max"))
    for col in ("doc_id", "published", "site", "level"):
        m[col] = meta[col].to_numpy()[m["row"].to_numpy()]
    m["rank"] = publication_rank(meta["published"])[m["row"].to_numpy()]
    m = m.sort_values(["cluster_id", "rank"], kind="stable").reset_index(drop=True)
    m["is_first"] = ~m["cluster_id"].duplicated()
    return m


def _cluster_table(df: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    if not len(members):
        return pd.DataFrame(columns=CLUSTER_COLUMNS)
    g = members.groupby("cluster_id", sort=True)
    first = members[members["is_first"]].set_index("cluster_id")
    out = pd.DataFrame({"n_articles": g.size(), "n_sites": g["site"].nunique(),
                        "n_levels": members[members["level"] != "unknown"].groupby("cluster_id")["level"].nunique(),
                        "first_doc_id": first["doc_id"], "first_published": first["published"],
                        "first_site": first["site"], "first_level": first["level"],
                        "last_published": g["published"].max()})
    out["n_levels"] = out["n_levels"].fillna(0).astype(np.int64)
    out["spread_days"] = (out["last_published"] - g["published"].min()).dt.days
    lv = members.groupby(["cluster_id", "level"]).size()
    out["levels"] = lv.groupby(level=0).apply(lambda s: "; ".join(f"{k[1]} {v}" for k, v in s.items()))
    kinds = df.groupby("cluster_id")["kind"].agg(set)
    out["kind"] = kinds.map(lambda k: "reuse" if "reuse" in k else ("furniture" if "furniture" in k else "duplicate"))
    # the passage as its first article wrote it: the longest of its passages there
    sides = _sides(df, "text")
    sides = sides[sides["row"].to_numpy() == first["row"].reindex(sides["cluster_id"]).to_numpy()]
    sides = sides.assign(n=sides["text"].str.len()).sort_values(["cluster_id", "n"], ascending=[True, False],
                                                                 kind="stable")
    out["text"] = sides.drop_duplicates("cluster_id").set_index("cluster_id")["text"]
    return out.rename_axis("cluster_id").reset_index()[CLUSTER_COLUMNS]


@named_options
def find_reuse(corpus, *, ngram: int = 4, min_shared: int = 3, max_df: int = 100, min_length: int = 15,
               min_identity: float = 0.5, max_gap: int = 20, extend: int = 20, furniture_min: int = 3,
               levels: Any = "auto", where=None, start=None, end=None, backend: ReuseBackend = "serial",
               client: Any = None, n_buckets: int = 16, progress: bool = False) -> Reuse:
    """Passages that articles share: the text-reuse method of political science
    (Wilkerson, Smith & Stramp 2015, *AJPS*) with passim's pipeline (Smith, Cordell
    & Mullen 2015) over the segmented words.

    Candidates are article pairs sharing ``min_shared`` or more word ``ngram``-grams
    found in at most ``max_df`` articles (an inverted index; more common n-grams are
    formulas and boilerplate, see :func:`formula_table`). In each pair, shared
    n-grams are chained and extended into local alignments tolerant of edits,
    insertions and re-punctuation (punctuation and case are not compared); a passage
    is kept when its aligned length is at least ``min_length`` words and its identity
    (matched words / aligned length) at least ``min_identity``. ``backend="dask"``
    counts the candidate pairs on Dask (``client``: a ``distributed.Client`` or its
    address; none: a local cluster), with output equal to ``"serial"``.

    Passages and clusters are marked ``duplicate`` (copies of one article) or
    ``furniture`` (a site's own edge text, see :func:`_kinds`), else ``reuse``.
    ``levels``: ``"auto"`` (:func:`corpus_tools.classify_level`), None, or a mapping
    ``doc_id -> level``. ``corpus``: a :class:`corpus_tools.Corpus` (``where``,
    ``start``, ``end`` select as in :meth:`Corpus.frame`) or a frame with ``doc_id``
    and ``tokens``.
    """
    check_choice("backend", backend, ReuseBackend)
    for name, value, lo in (("ngram", ngram, 2), ("min_shared", min_shared, 1), ("max_df", max_df, 2),
                            ("min_length", min_length, 1), ("max_gap", max_gap, 0), ("extend", extend, 0),
                            ("n_buckets", n_buckets, 1), ("furniture_min", furniture_min, 2)):
        if not isinstance(value, (int, np.integer)) or value < lo:
            raise ValueError(f"{name} must be an integer >= {lo}; got {value!r}")
    if not 0.0 < min_identity <= 1.0:
        raise ValueError(f"min_identity must be in (0, 1]; got {min_identity!r}")
    if client is not None and backend != "dask":
        raise ValueError("client= is only used with backend='dask'")
    params = {"ngram": ngram, "min_shared": min_shared, "max_df": max_df, "min_length": min_length,
              "min_identity": min_identity, "max_gap": max_gap, "extend": extend, "furniture_min": furniture_min}
    docs = read_docs(corpus, levels=levels, where=where, start=start, end=end)
    n = len(docs.meta)
    H, R, P, _ = rare_shingles(*shingles(docs.codes, docs.offsets, ngram), max_df=max_df)
    a, b, shared = candidate_pairs(H, R, max(n, 1), min_shared=min_shared, n_buckets=n_buckets,
                                   backend=backend, client=client, progress=progress)
    idx = (H, P, np.searchsorted(R, np.arange(n + 1)))
    found = []
    for ra, rb, s in tqdm(zip(a.tolist(), b.tolist(), shared.tolist()), total=len(a),
                          desc="reuse: aligning", disable=not progress):
        found.extend((ra, rb, s, q) for q in _pair_passages(docs, ra, rb, idx, params))
    return _assemble(docs, found, params)


def _assemble(docs: Docs, found: list, params: dict) -> Reuse:
    df = _passage_table(docs, found)
    roots = _clusters(df) if len(df) else np.zeros(0, np.int64)
    df["cluster_id"] = roots
    members = _members(df, docs.meta)
    # clusters numbered by first appearance: date of their first article, then size
    first = members[members["is_first"]].set_index("cluster_id")["rank"]
    size = members.groupby("cluster_id").size()
    order = pd.DataFrame({"rank": first, "size": -size}).sort_values(["rank", "size"], kind="stable").index
    renum = pd.Series(np.arange(len(order)), index=order)
    df["cluster_id"] = df["cluster_id"].map(renum).astype(np.int64)
    members["cluster_id"] = members["cluster_id"].map(renum).astype(np.int64)
    members = members.sort_values(["cluster_id", "rank"], kind="stable").reset_index(drop=True)
    df["kind"] = _kinds(df, members, docs.meta, params["furniture_min"])
    clusters = _cluster_table(df, members)
    members = members.merge(clusters[["cluster_id", "kind"]], on="cluster_id", how="left")
    passages = df[PASSAGE_COLUMNS].reset_index(drop=True)
    return Reuse(passages=passages, clusters=clusters, members=members[MEMBER_COLUMNS + ["kind"]],
                 params=params, docs=docs)
