"""Learning furniture by repetition across the articles of one source (see the package)."""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Sequence

from .._trie import Trie, Vocab, lcp_intervals
from ._furniture import Furniture
from ._units import (
    _CLOSERS,
    _DELIMS,
    _DIVERGE,
    _FRAGMENT_SHARE,
    _GLUED_SHARE,
    _HEAD_LINES,
    _INLINE_AFTER,
    _INLINE_BEFORE,
    _INLINE_COMMON_SHARE,
    _INLINE_RARE_DOCS,
    _INLINE_RELATED,
    _INLINE_SAMPLE,
    _INLINE_SHARE,
    _INLINE_SHINGLE,
    _MAX_HEAD_CHARS,
    _MAX_ROUNDS,
    _RE_DIGITS,
    _RE_SENTENCE,
    _RE_SERIES,
    _SENTENCE_SHARE,
    _TAIL_LINES,
    _at_edge,
    _context_share,
    _edge_lines,
    _guard_at,
    _is_opening,
    _join,
    _masked,
    _n_words,
    _pattern,
    _strip_delims,
    _tail_units,
    _undoubled,
    _units,
    line_key,
)


def _edge_stats(edge: Trie, prefix: tuple) -> tuple[int, float, float, float, float]:
    """(articles, share of the commonest next unit, share of copies, share
    whose fragment is bounded by a sentence end or delimiter or glued, share
    followed by a delimiter)."""
    d = len(prefix)
    docs, nxt, windows = set(), Counter(), set()
    copies = bounded = delim = 0
    for s, doc, u, last in edge.next_units(prefix):
        if doc in docs:
            continue
        docs.add(doc)
        nxt[u] += 1
        core = u.strip()
        delim += core in _DELIMS
        if core in _CLOSERS or core in _DELIMS or not last.startswith(" "):
            bounded += 1
        # copies of one story go on alike after the fragment; chrome is followed by
        # text that differs (the next unit is skipped: "Sáng" opens many)
        w = edge.window(s, d + 1, d + 30)  # past a second fragment stacked behind this one
        if w:
            copies += w in windows
            windows.add(w)
    n = len(docs)
    if n == 0:
        return 0, 1.0, 1.0, 0.0, 0.0
    top = nxt.most_common(1)[0][1]
    return n, top / n, copies / n, bounded / n, delim / n


def find_furniture(docs: Iterable[Sequence[str]], *, min_docs: int = 3, min_share: float = 0.05,
                   max_words: int = 25, max_fragment_words: int = 50) -> Furniture:
    """Lines and fragments that recur across the articles of one source (see the module).

    A candidate counts once per article (document frequency). A whole line is
    furniture when it occurs in at least ``min_docs`` articles and in at least
    ``min_share`` of them; lines longer than ``max_words`` words need half of the
    articles (a long recurring paragraph is more likely a syndicated story than
    site chrome). Fragments follow the rules of the module docstring, up to
    ``max_fragment_words`` words. Date lines and series headings
    (``"... - Bài 2"``) are never furniture.
    """
    learner = FurnitureLearner(min_docs=min_docs, min_share=min_share, max_words=max_words,
                               max_fragment_words=max_fragment_words)
    for doc in docs:
        learner.add(doc)
    return learner.result()


#: What :meth:`FurnitureLearner.add` computes from one article alone: its lines (spaces
#: collapsed), the keys of its short and long lines, and the units and line key of its edge
#: lines (heads, then tails); None for an article with no line.
ArticleFeatures = tuple[list[str], set[str], set[str], list[tuple[list[str], str]], list[tuple[list[str], str]]]


def article_features(doc: Sequence[str], max_words: int) -> ArticleFeatures | None:
    """The part of learning that depends on one article only (the costly part: units and
    keys). Plain strings, no hashes: it may run in another process."""
    lines = [" ".join(str(ln).split()) for ln in doc if ln is not None and str(ln).strip()]
    if not lines:
        return None
    keys, long_keys = set(), set()
    for ln in lines:
        key = line_key(ln)
        (keys if key.count(" ") < max_words else long_keys).add(key)
    heads = [(_units(_undoubled(ln, False)[:_MAX_HEAD_CHARS]), line_key(ln))
             for ln in _edge_lines(lines, _HEAD_LINES)]
    tails = [(_tail_units(_undoubled(ln, True)), line_key(ln))
             for ln in _edge_lines(lines[::-1], _TAIL_LINES)]
    return lines, keys, long_keys, heads, tails


class FurnitureLearner:
    """:func:`find_furniture` fed one article at a time (``add``, then ``result``),
    for sources too large to hold: it keeps keys and masked text, not articles."""

    def __init__(self, *, min_docs: int = 3, min_share: float = 0.05, max_words: int = 25,
                 max_fragment_words: int = 50):
        if min_docs < 1:
            raise ValueError("min_docs must be >= 1")
        if not 0.0 <= min_share <= 1.0:
            raise ValueError("min_share must be in [0, 1]")
        self.min_docs, self.min_share, self.max_fragment_words = min_docs, min_share, max_fragment_words
        self.max_words = max_words
        self.line_df: Counter[str] = Counter()
        self.long_df: Counter[str] = Counter()
        self.vocab = Vocab()
        self.heads: list[tuple[bytes, int, int]] = []  # (units, article, hash of line key)
        self.tails: list[tuple[bytes, int, int]] = []
        self.bodies: list[str] = []  # the text, digits masked: inline blocks and guards
        self._folded: list[str] | None = None
        self.seen: set[int] = set()

    def add(self, doc: Sequence[str]) -> None:
        self.add_features(article_features(doc, self.max_words))

    def add_features(self, features: "ArticleFeatures | None") -> None:
        """:meth:`add` given :func:`article_features` of the article (computed anywhere:
        they depend on the article alone, so a pool may compute them; what is counted
        depends on the order of the articles, so this runs in order)."""
        if features is None:
            return
        lines, keys, long_keys, heads, tails = features
        # copies of one story (syndicated, re-run, lightly edited) would make their own
        # lines recur: an article most of whose long lines were seen before is not counted
        long = {hash(ln) for ln in lines if ln.count(" ") >= 19} or {hash(tuple(lines))}
        if 2 * len(long & self.seen) > len(long):
            return
        self.seen |= long
        k = len(self.bodies)
        self.line_df.update(keys)
        self.long_df.update(long_keys)
        enc = self.vocab.encode
        for units, key in heads:
            self.heads.append((enc(units), k, hash(key)))
        for units, key in tails:
            self.tails.append((enc(units), k, hash(key)))
        self.bodies.append(_RE_DIGITS.sub("0", "\n".join(lines)))

    def result(self) -> Furniture:
        n = len(self.bodies)
        if n == 0:
            return Furniture()
        need = max(self.min_docs, self.min_share * n)
        need_long = max(need, 0.5 * n)
        # a line that reads as a sentence (a quotation repeated in a follow-up) needs a
        # fifth of the articles; chrome lines rarely end like sentences
        need_sentence = max(need, _SENTENCE_SHARE * n)
        lines = {k for k, c in self.line_df.items() if c >= need and not _RE_SERIES.search(k)
                 and (c >= need_sentence or not _RE_SENTENCE.search(k))} | {
            k for k, c in self.long_df.items() if c >= need_long}
        self.need, self.n, self.lines = need, n, lines
        prefixes = self._edge(self.heads, reverse=False)
        suffixes = self._edge(self.tails, reverse=True)
        for _ in range(_MAX_ROUNDS):  # fragments stacked behind the ones just learnt
            more_p, more_s = self._behind(Furniture(frozenset(lines), tuple(sorted(prefixes)),
                                                    tuple(sorted(suffixes))))
            more_p, more_s = more_p - prefixes, more_s - suffixes
            if not more_p and not more_s:
                break
            prefixes |= more_p
            suffixes |= more_s
        inline = self._inline()
        self.bodies, self._folded = [], None
        return Furniture(frozenset(lines), tuple(sorted(prefixes)), tuple(sorted(suffixes)),
                         tuple(sorted(inline)), articles=n)

    def _behind(self, furniture: "Furniture") -> tuple[set[str], set[str]]:
        """Fragments at the edges left once ``furniture``'s fragments are cut off
        (from the lines that had one): what was stacked behind them."""
        enc = self.vocab.encode
        heads, tails, stripped = [], [], []
        for k, body in enumerate(self.bodies):
            lines = [ln for ln in body.split("\n") if ln]
            cut = [furniture.split(ln) for ln in lines]
            stripped.append("\n".join(rest for _, rest, _ in cut))
            # every line that lost a fragment has a new edge, wherever it stands, when
            # the cut was between two units (punctuation, or a capital opening the
            # next): a cut between two lower-case words (a template peeled) is none
            for pre, rest, suf in cut:
                if pre and rest and (not pre.rstrip()[-1:].isalnum() or not rest[:1].islower()):
                    heads.append((enc(_units(_undoubled(rest, False)[:_MAX_HEAD_CHARS])), k, hash(line_key(rest))))
                if suf and rest and not suf.lstrip()[:1].islower():
                    tails.append((enc(_tail_units(_undoubled(rest, True))), k, hash(line_key(rest))))
        # what is left inside the text is judged on the text as it will be read
        bodies, folded = self.bodies, self._folded
        self.bodies, self._folded, self._stacked = stripped, None, True
        try:
            return self._edge(heads, reverse=False), self._edge(tails, reverse=True)
        finally:
            self.bodies, self._folded, self._stacked = bodies, folded, False

    def _needed(self, words: int, delimited: bool, least: float = 0.0) -> float:
        share = self.min_share if delimited else max(self.min_share, _GLUED_SHARE / max(words, 1))
        return max(self.need, max(share, least) * self.n)

    def _edge(self, entries, *, reverse: bool) -> set[str]:
        """Fragments at one edge: candidates from the trie's branching nodes,
        cut at guards, checked, and only the shortest of nested ones kept."""
        # lines that are furniture as a whole do not vote for fragments
        whole = {hash(k) for k in self.lines}
        entries = [(s, d) for s, d, h in entries if h not in whole]
        if len(entries) < self.need:
            return set()
        edge = Trie(entries, self.vocab)
        tried: dict[tuple, bool] = {}
        found: list[tuple] = []
        for depth, lo, hi, big in lcp_intervals(edge.seqs):
            if depth == 0 or hi - lo < self.need or big >= _DIVERGE * (hi - lo):
                continue
            node = edge.node(lo, depth)
            cands = [node]
            if reverse:  # a credit after a sentence end that many articles share
                cands += [node[:j] for j in range(1, depth) if node[j].strip() in _CLOSERS]
            for cand in cands:
                cut = self._cut(cand, reverse)
                if not cut[0] or cut in tried:
                    continue
                tried[cut] = ok = self._accept(edge, cut, reverse)
                if ok:
                    found.append(cut[0])
        if not reverse:  # "A - B" learnt: A alone too, for the lines where B is missing
            for frag in list(found):
                for j in range(1, len(frag)):
                    if frag[j].strip() in _DELIMS and self._head_of_stack(edge, tuple(frag[:j])):
                        found.append(tuple(frag[:j]))
                        break
        found.sort(key=len)
        kept: list[tuple] = []
        for p in found:
            if not any(p[:len(q)] == q for q in kept):
                kept.append(p)
        out = set()
        for p in kept:
            units = list(p[::-1]) if reverse else list(p)
            out.add(_masked(_join(units)))
        return out

    def _head_of_stack(self, edge: Trie, head: tuple) -> bool:
        """Is ``head``, the part of a learnt prefix before its inner delimiter, a
        fragment of its own? It needs the articles (a delimited fragment's share)
        and must not occur inside the text; its divergence is the learnt prefix's."""
        units = _strip_delims(list(head))
        if not units or _n_words(units) == 0:
            return False
        docs = _edge_stats(edge, head)[0]
        return docs >= self._needed(_n_words(units), True, _FRAGMENT_SHARE) and \
            not self._inside_text(_masked(_join(units)), docs, False)

    def _cut(self, prefix: tuple, reverse: bool) -> tuple[tuple, tuple]:
        """The candidate cut before a dateline or series marker, at most
        ``max_fragment_words`` words: ``(fragment, fragment with the delimiters
        at its inner end)``, both in trie order; ``((), ())`` if nothing is left."""
        units = list(prefix[::-1]) if reverse else list(prefix)
        g = _guard_at(units + [" x"])
        if g is not None:
            if reverse:
                return (), ()  # a credit does not hold the start of a dated sentence
            units = units[:g]
        full = units
        if reverse:
            while units and units[0].strip() in _DELIMS:
                units = units[1:]
        else:
            units = _strip_delims(units)
        if not units or _n_words(units) == 0 or _n_words(units) > self.max_fragment_words:
            return (), ()
        if reverse:
            return tuple(units[::-1]), tuple(full[::-1])
        return tuple(units), tuple(full)

    def _accept(self, edge: Trie, cut: tuple[tuple, tuple], reverse: bool) -> bool:
        frag, full = cut
        if reverse and getattr(self, "_stacked", False) and frag[0].strip() in (".", "!", "?", "…") \
                and not self._capitalised_ends(_masked(_join(list(frag[::-1])))):
            return False  # behind a credit, the end of a sentence is text; a second credit starts like one
        docs, top, copies, bounded, delim = _edge_stats(edge, full)
        delimited = len(full) > len(frag) or (top < _DIVERGE and delim >= 0.5)
        units = list(frag[::-1]) if reverse else list(frag)
        if reverse and bounded < 0.5 and not delimited and _n_words(units) < 4 \
                and not self._capitalised_ends(_masked(_join(units))):
            return False  # a common end of real sentences, not a credit after one
        # a credit after a sentence end is bounded by it: the text before may be shared
        diverges = top < _DIVERGE or (reverse and bounded >= 0.5)
        if docs < self._needed(_n_words(units), delimited, _FRAGMENT_SHARE) or not diverges or copies > 0.5:
            return False
        if not reverse and not delimited and _is_opening(units):
            return False  # "Trong khi đó," opens real sentences everywhere: language, not chrome
        return not self._inside_text(_masked(_join(units)), docs, reverse)

    def _capitalised_ends(self, key: str) -> bool:
        """Do most lines that end with ``key`` begin it with a capital letter? A
        credit or widget starts like a sentence; the end of a sentence does not."""
        if self._folded is None:
            self._folded = [b.casefold() for b in self.bodies]
        up = total = 0
        for body, folded in zip(self.bodies, self._folded):
            if key not in folded:
                continue
            for line, low in zip(body.split("\n"), folded.split("\n")):
                if low.endswith(key) and len(low) > len(key):
                    total += 1
                    up += line[len(line) - len(key)].isupper()
        return total > 0 and up >= 0.8 * total

    def _inside_text(self, key: str, support: int, reverse: bool) -> bool:
        """Does the fragment also occur inside lines (not at their edge) in the source?"""
        if len(key) < 4:
            return False
        inside = 0
        limit = max(2.0, 0.1 * support)
        if self._folded is None:
            self._folded = [b.casefold() for b in self.bodies]
        for body in self._folded:
            start = 0
            while True:
                k = body.find(key, start)
                if k < 0:
                    break
                end = k + len(key)
                at_edge = _at_edge(body, k, end, key, reverse)
                before = body[k - 1] if k else "\n"
                after = body[end] if end < len(body) else "\n"
                word_edges = not before.isalnum() and not after.isalnum()
                if not at_edge and word_edges:
                    inside += 1
                    break
                start = k + 1
            if inside >= limit:
                return True
        return False

    def _inline(self) -> set[str]:
        """Blocks that recur inside lines, between sentences: runs of word
        4-grams frequent in a sample of the source, then checked on all of it."""
        n = self.n
        # evenly spaced articles (deterministic): the same sample for the same input
        m = min(n, _INLINE_SAMPLE)
        picks = sorted({int(round(i * (n - 1) / max(m - 1, 1))) for i in range(m)})
        sample = [self.bodies[i] for i in picks]
        need = max(self.min_docs, max(self.min_share, _INLINE_SHARE) * len(sample))
        df: Counter[int] = Counter()
        lines_of = [[ln.casefold().split() for ln in body.split("\n")] for body in sample]
        for doc in lines_of:
            df.update({hash(tuple(ws[i:i + _INLINE_SHINGLE])) for ws in doc
                       for i in range(len(ws) - _INLINE_SHINGLE + 1)})
        frequent = {h for h, c in df.items() if c >= need}
        spans: Counter[str] = Counter()
        for doc in lines_of:
            found = set()
            for ws in doc:
                hits = [hash(tuple(ws[i:i + _INLINE_SHINGLE])) in frequent
                        for i in range(len(ws) - _INLINE_SHINGLE + 1)]
                i = 0
                while i < len(hits):
                    if not hits[i]:
                        i += 1
                        continue
                    j = i
                    while j + 1 < len(hits) and hits[j + 1]:
                        j += 1
                    a, b = i, j + _INLINE_SHINGLE  # words a..b-1
                    if a > 0 and b < len(ws) and b - a <= self.max_fragment_words:
                        found.add(" ".join(ws[a:b]))  # strictly inside the line
                    i = j + 1
            spans.update(found)
        out: list[str] = []
        for span, c in sorted(spans.items(), key=lambda kv: (-len(kv[0]), kv[0])):
            if c < need or any(span in o for o in out):
                continue
            if _guard_at(_units(span) + [" x"]) is not None:
                continue
            if self._inline_ok(span):
                out.append(span)
        return set(out)

    def _inline_ok(self, span: str) -> bool:
        """Enough articles hold the block between sentences, it is not language
        used inside sentences too, and not the shared text of copies."""
        words = span.count(" ") + 1
        pat = _pattern(_units(span))
        between = re.compile(rf"{_INLINE_BEFORE}(?i:{pat}){_INLINE_AFTER}")
        anywhere = re.compile(rf"(?i:{pat})")
        good = embedded = copies = 0
        seen: set[str] = set()
        related: list[float] = []
        # a literal piece of the block, searched in the folded text, picks the
        # articles worth a regex (most are not)
        probe = max(re.split(r"0", span), key=len)
        if self._folded is None:
            self._folded = [b.casefold() for b in self.bodies]
        for body, folded in zip(self.bodies, self._folded):
            if probe not in folded:
                continue
            m = between.search(body)
            if m is None:
                embedded += anywhere.search(body) is not None
                continue
            good += 1
            after = body[m.end():m.end() + 60]
            if len(after) == 60:
                copies += after in seen
                seen.add(after)
            if len(related) < 50:
                related.append(_context_share(span, body[:m.start()] + " " + body[m.end():]))
        if good < self._needed(words, False, _INLINE_SHARE) or copies > 0.5 * good:
            return False
        rare = good < self._needed(words, False, _INLINE_COMMON_SHARE)
        if rare and good < _INLINE_RARE_DOCS:
            return False  # too few articles to tell a rare block from a repeated sentence
        if rare and \
                sorted(related)[len(related) // 2] >= _INLINE_RELATED:
            return False  # rare and about the article's own subject: a repeated sentence, not a promo
        return embedded < max(2.0, 0.1 * good)
