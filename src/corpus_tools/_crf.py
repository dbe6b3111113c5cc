"""underthesea's word-segmentation CRF without feature strings: the same tags, faster.

underthesea 9.5 tags a token sequence in two Rust calls: ``CRFFeaturizer.process``
builds 43 feature *strings* per token (``"T[-1,0].lower=bộ chính"``) and
``CRFTagger.tag`` looks each up in a hash map, sums the weights of the two labels and
runs Viterbi. Most of that time is making, freeing and converting strings. This
module reads the same model (the CRFsuite file and the feature templates shipped in
the wheel) once, and computes per *distinct* token, pair and triple of tokens the
weights their features carry, so a text costs a few dictionary lookups per token and
numpy sums. No library does this: it is underthesea's model, re-read.

Identity with the reference is exact, not approximate:

- the templates are parsed as underthesea_core 3.3.2 parses them and evaluated with
  its semantics: ``isdigit`` means "parses as a 32-bit integer" (``+5`` yes, ``٣`` no),
  ``istitle`` compares each part's first character with its upper case (so ``5`` and
  ``,`` are "title"), ``is_in_dict`` looks up the lower-cased value, a template that
  reaches outside the sequence is ``BOS``/``EOS``;
- each label's emission is summed in template order, one addition at a time, as the
  Rust tagger does, so the floats are bit-identical; Viterbi keeps the first label on
  ties, as it does;
- characters whose case mapping could differ between Rust and this Python (outside
  Latin, Vietnamese, general punctuation and the caseless CJK and Hangul blocks) are
  not evaluated here: :meth:`FastCRF.can_tag` says no and the caller uses underthesea.

The files read are pinned (:data:`PINNED`): another underthesea version or model file
makes :func:`load_fast_crf` return None with a warning, and segmentation falls back
to underthesea itself.
"""
from __future__ import annotations

import hashlib
import re
import struct
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["FastCRF", "load_fast_crf", "PINNED", "model_dir"]

#: What the engine was checked against: underthesea's version and the sha256 of the files it reads.
PINNED = {
    "underthesea": "9.5.0",
    "models.bin": "c3a64c64349f1d73304f89babacaa8f8cd6078b1ec1a1b2c104e9e411ac1d2c3",
    "features.bin": "cf93263c7c7973bf50122b0be76a394443ff61be00c1368713dee1b7d5b8a435",
    "dictionary.bin": "ec8c62b3881c6682c18959988e1fe08800cc835777778845bded470ca02745d9",
}

_TEMPLATE = re.compile(r"T\[(?P<i1>-?\d+)(?:,(?P<i2>-?\d+))?](?:\[(?P<col>.*)])?(?:\.(?P<fn>.*))?")
_INT32 = re.compile(r"[+-]?[0-9]+")
# Characters whose lower/upper case is the same in Rust's std and Python 3.11's str: Latin
# (with IPA and combining marks), Vietnamese, general punctuation to miscellaneous symbols,
# CJK and Hangul (caseless), and the ASCII-range controls. Anything else goes to underthesea.
_SAFE = re.compile(r"[\u0000-\u036f\u1e00-\u1eff\u2000-\u2bff\u3000-\u9fff\uac00-\ud7af\uff00-\uff20\uff3b-\uff40\uff5b-\uffef]*")


def model_dir() -> Path:
    """Where underthesea keeps its word-segmentation model."""
    import underthesea.pipeline.word_tokenize as wt
    return Path(wt.__file__).resolve().parent / "models" / "ws_crf_vlsp2013_20230727"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_cqdb_strings(buf: bytes, start: int, count: int) -> list[str | None]:
    """The strings of a CQDB block by id (the backward links), as underthesea_core reads them."""
    magic, _size, _flag, _order, bwd_size, bwd_offset = struct.unpack_from("<4s5I", buf, start)
    if magic != b"CQDB":
        raise ValueError("not a CQDB block")
    n = min(count, bwd_size)
    offsets = struct.unpack_from(f"<{n}I", buf, start + bwd_offset)
    out: list[str | None] = []
    for off in offsets:
        if off == 0:
            out.append(None)
            continue
        _id, ksize = struct.unpack_from("<2I", buf, start + off)
        key = buf[start + off + 8:start + off + 8 + ksize]
        key = key.split(b"\0", 1)[0]
        out.append(key.decode("utf-8", errors="replace"))
    return out


def _read_crfsuite(path: Path):
    """``(labels, attributes, state weights (attrs x labels), transitions (labels x labels))``."""
    buf = path.read_bytes()
    (magic, _size, _type, _version, num_features, num_labels, num_attrs, off_features, off_labels,
     off_attrs, _olr, _oar) = struct.unpack_from("<4sI4s9I", buf, 0)
    if magic != b"lCRF":
        raise ValueError(f"{path} is not a CRFsuite model")
    # ids are given in reading order, skipping empty slots (underthesea_core's get_or_insert)
    labels: dict[str, int] = {}
    label_of_slot: dict[int, int] = {}
    for slot, s in enumerate(_read_cqdb_strings(buf, off_labels, num_labels)):
        if s is not None:
            label_of_slot[slot] = labels.setdefault(s, len(labels))
    attrs: dict[str, int] = {}
    for s in _read_cqdb_strings(buf, off_attrs, num_attrs):
        if s is not None:
            attrs.setdefault(s, len(attrs))
    fmagic, _fsize, nfeat = struct.unpack_from("<4s2I", buf, off_features)
    if fmagic != b"FEAT":
        raise ValueError(f"{path}: no FEAT chunk")
    nfeat = nfeat or num_features
    rec = np.frombuffer(buf, dtype=np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("w", "<f8")]),
                        count=nfeat, offset=off_features + 12)
    L = len(labels)
    state = np.zeros((len(attrs), L), dtype=np.float64)
    trans = np.zeros((L, L), dtype=np.float64)
    for t, s, d, w in zip(rec["type"].tolist(), rec["src"].tolist(), rec["dst"].tolist(), rec["w"].tolist()):
        if t == 0 and s < len(attrs) and d < L:
            state[s, d] = w  # the last record of a pair wins, as set_state_weight does
        elif t == 1 and s < L and d < L:
            trans[s, d] = w
    names = [None] * L
    for s, i in labels.items():
        names[i] = s
    return names, attrs, state, trans


class _Template:
    __slots__ = ("syntax", "o1", "o2", "fn")

    def __init__(self, syntax: str):
        m = _TEMPLATE.search(syntax)
        if m is None or (m.group("col") not in (None, "0")):
            raise ValueError(f"unsupported feature template {syntax!r}")
        self.syntax = syntax
        self.o1 = int(m.group("i1"))
        self.o2 = int(m.group("i2")) if m.group("i2") is not None else None
        self.fn = m.group("fn")
        if self.fn not in (None, "lower", "isdigit", "istitle", "is_in_dict"):
            raise ValueError(f"unsupported feature function in {syntax!r}")

    @property
    def span(self) -> int:
        return 1 if self.o2 is None else self.o2 - self.o1 + 1


def _isdigit(text: str) -> bool:
    """Rust's ``text.parse::<i32>().is_ok()``."""
    return _INT32.fullmatch(text) is not None and -2147483648 <= int(text) <= 2147483647


def _istitle(text: str) -> bool:
    """underthesea_core's istitle: every space-separated part starts with a character
    equal to its own upper case (digits and punctuation count as title)."""
    for part in text.split(" "):
        c = part[0]
        if c != c.upper():
            return False
    return True


class FastCRF:
    """underthesea's word-segmentation CRF, read from its files: :meth:`tag` returns the
    labels ``CRFTagger.tag(CRFFeaturizer.process(...))`` returns, computed from cached
    per-token, per-pair and per-triple weights."""

    def __init__(self, model_path: Path, features: list[str], dictionary: set[str]):
        self.labels, self._attrs, self._state, self._trans = _read_crfsuite(Path(model_path))
        self._dictionary = dictionary
        self._templates = [_Template(s) for s in features]
        L = len(self.labels)
        self._zero = np.zeros(L)
        # BOS/EOS weights of each template
        self._bos = np.array([self._w(f"{t.syntax}=BOS") for t in self._templates])
        self._eos = np.array([self._w(f"{t.syntax}=EOS") for t in self._templates])
        # templates grouped by span length; within a group their row order
        self._groups: dict[int, list[int]] = {}
        for k, t in enumerate(self._templates):
            self._groups.setdefault(t.span, []).append(k)
        self._trans_list = self._trans.tolist()
        self._state_ext = np.vstack([self._state, np.zeros((1, L))])  # row -1: no such feature
        self._plans = {span: self._plan(span, members) for span, members in self._groups.items()}
        self._row_of = {k: j for members in self._groups.values() for j, k in enumerate(members)}
        self._prefix_sets()
        self._reset()

    def _prefix_sets(self) -> None:
        """Which tokens and pairs can begin a multi-token feature value (a raw or lower-cased
        span the model weighs, or a dictionary entry): every other span has no such feature,
        so its attributes follow from its tokens' title flags alone, with no lookup. Most
        spans of a text are of that kind, and most are new to the caches."""
        raw_first, low_first = set(), set()
        raw_pair3, low_pair3 = set(), set()
        for span, (raw_d, _, low_d, _, _, _) in self._plans.items():
            if span < 2:
                continue
            for value in raw_d:
                parts = value.split(" ")
                raw_first.add(parts[0])
                if span == 3:
                    raw_pair3.add((parts[0], parts[1]))
            for value in low_d:
                parts = value.split(" ")
                low_first.add(parts[0])
                if span == 3:
                    low_pair3.add((parts[0], parts[1]))
        for entry in self._dictionary:
            parts = entry.split(" ")
            if len(parts) in self._plans and len(parts) >= 2:
                low_first.add(parts[0])
                if len(parts) == 3:
                    low_pair3.add((parts[0], parts[1]))
        self._raw_first, self._low_first = frozenset(raw_first), frozenset(low_first)
        self._raw_pair3, self._low_pair3 = frozenset(raw_pair3), frozenset(low_pair3)
        if max(self._plans) > 3 or (3 in self._plans and 2 not in self._plans):
            raise ValueError("only templates over one to three tokens (with pairs) are supported")
        # the attribute ids of a span with no multi-token feature, by its title flag
        self._plain = {}
        for span, (raw_d, raw_none, low_d, low_none, flags, perm) in self._plans.items():
            if span >= 2:
                self._plain[span] = np.array(
                    [(raw_none + low_none + flags["istitle"][b] + flags["isdigit"]["False"]
                      + flags["is_in_dict"]["False"]) for b in ("False", "True")], dtype=np.int32)[:, perm]

    def _plan(self, span: int, members: list[int]):
        """How a span's attribute ids are found without building a feature string: the
        templates of this span length that read the raw text share one dictionary (text ->
        their ids), those that read the lower case another; istitle, isdigit and
        is_in_dict give True or False, whose ids per template are constants. Returns the
        two dictionaries, the True/False id tuples, and the permutation from that
        concatenation to the templates' own order."""
        index = {self._templates[k].syntax: k for k in members}
        by_fn: dict[str | None, list[int]] = {}
        for k in members:
            by_fn.setdefault(self._templates[k].fn, []).append(k)
        raw = by_fn.get(None, [])
        low = by_fn.get("lower", [])
        pos_raw = {k: j for j, k in enumerate(raw)}
        pos_low = {k: j for j, k in enumerate(low)}
        raw_d: dict[str, list[int]] = {}
        low_d: dict[str, list[int]] = {}
        for attr, i in self._attrs.items():
            syntax, eq, value = attr.partition("=")
            k = index.get(syntax)
            if not eq or k is None or value in ("BOS", "EOS"):
                continue
            if k in pos_raw:
                raw_d.setdefault(value, [-1] * len(raw))[pos_raw[k]] = i
            elif k in pos_low:
                low_d.setdefault(value, [-1] * len(low))[pos_low[k]] = i
        raw_d2 = {v: tuple(ids) for v, ids in raw_d.items()}
        low_d2 = {v: tuple(ids) for v, ids in low_d.items()}
        flags = {}
        for fn in ("istitle", "isdigit", "is_in_dict"):
            ks = by_fn.get(fn, [])
            flags[fn] = {b: tuple(self._attrs.get(f"{self._templates[k].syntax}={b}", -1) for k in ks)
                         for b in ("True", "False")}
        order = raw + low + by_fn.get("istitle", []) + by_fn.get("isdigit", []) + by_fn.get("is_in_dict", [])
        perm = np.array([order.index(k) for k in members])
        return (raw_d2, (-1,) * len(raw), low_d2, (-1,) * len(low), flags, perm)

    def _w(self, attr: str) -> np.ndarray:
        i = self._attrs.get(attr)
        return self._state[i] if i is not None else self._zero

    def _span_attrs(self, span: int, ids: np.ndarray, tokens: list[str],
                    begins3: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None]:
        """Attribute ids (spans x templates of this length) of the span starting at each
        position: a span no multi-token feature can match (see :meth:`_prefix_sets`) from its
        title flags, the others from the cache, by their packed token ids. For pairs, also
        whether each begins a three-token value (for the triples that follow)."""
        m = len(ids) - span + 1
        if m <= 0:
            return np.zeros((0, len(self._groups[span])), dtype=np.int32), np.zeros(0, dtype=bool)
        if span == 1:
            rows = self._span_rows(1, ids, tokens, np.arange(m)) // 2 - 1
            return self._tables[1][rows], None
        title = self._title_arr[ids]
        flag = title[:m].copy()
        for j in range(1, span):
            flag &= title[j:j + m]
        out = self._plain[span][flag.astype(np.int64)]
        need = self._starts_arr[ids[:m]]
        if span == 3:  # the pair must begin a three-token value too
            need &= begins3[:m] if begins3 is not None else False
        where = np.flatnonzero(need)
        nxt = np.zeros(m, dtype=bool)
        if len(where):
            coded = self._span_rows(span, ids, tokens, where)  # may grow the table: index it after
            rows = coded // 2 - 1
            own = rows >= 0
            out[where[own]] = self._tables[span][rows[own]]
            nxt[where] = (coded & 1).astype(bool)
        return out, nxt

    def _span_rows(self, span: int, ids: np.ndarray, tokens: list[str], where: np.ndarray) -> np.ndarray:
        """Row index, in this span length's cache, of the spans starting at ``where``."""
        m = len(where)
        code = ids[where].astype(np.int64)
        for j in range(1, span):  # a span's code: its token ids packed 21 bits each
            code = (code << 21) | ids[where + j]
        index = self._index[span]
        get = index.get
        codes = code.tolist()
        rows = [get(c) for c in codes]
        if None in rows:
            raw_d, raw_none, low_d, low_none, flags, _ = self._plans[span]
            t_title, t_digit, t_dict = flags["istitle"], flags["isdigit"], flags["is_in_dict"]
            dictionary = self._dictionary
            new: list[tuple] = []
            for pos, r in enumerate(rows):
                if r is not None:
                    continue
                c = codes[pos]
                r = get(c)
                if r is None:
                    p = int(where[pos])
                    text = " ".join(tokens[p:p + span])
                    low = text.lower()
                    raw_ids, low_ids, in_dict = raw_d.get(text), low_d.get(low), low in dictionary
                    if span > 1 and raw_ids is None and low_ids is None and not in_dict:
                        r = -1  # no feature of its own: the plain row of its title flags
                    else:
                        r = self._count[span]
                        self._count[span] += 1
                        new.append((raw_ids or raw_none) + (low_ids or low_none)
                                   + t_title["True" if _istitle(text) else "False"]
                                   + t_digit["True" if _isdigit(text) else "False"]
                                   + t_dict["True" if in_dict else "False"])
                    # a pair's entry also says whether it begins a three-token value (low bit)
                    begins3 = span == 2 and ((tokens[p], tokens[p + 1]) in self._raw_pair3 or
                                             (tokens[p].lower(), tokens[p + 1].lower()) in self._low_pair3)
                    r = index[c] = (r + 1) * 2 + begins3
                rows[pos] = r
            if new:
                new_ids = np.array(new, dtype=np.int32)[:, self._plans[span][5]]  # to the templates' order
                self._tables[span] = self._grow(self._tables[span], self._count[span], new_ids)
        return np.fromiter(rows, dtype=np.int64, count=m)  # (row + 1) * 2 + begins3

    @staticmethod
    def _grow(table: np.ndarray, size: int, new: np.ndarray) -> np.ndarray:
        start = size - len(new)
        if size > len(table):
            bigger = np.empty((max(size, 2 * len(table), 1024),) + table.shape[1:], dtype=table.dtype)
            bigger[:start] = table[:start]
            table = bigger
        table[start:size] = new
        return table

    def _ids(self, tokens: list[str]) -> np.ndarray:
        vocab = self._vocab
        get = vocab.get
        ids = [get(t) for t in tokens]
        if None in ids:
            title, starts = [], []  # flags of the tokens new to the vocabulary, in id order
            for i, v in enumerate(ids):
                if v is None:
                    tok = tokens[i]
                    v = vocab.get(tok)
                    if v is None:
                        v = vocab[tok] = len(vocab)
                        title.append(_istitle(tok))
                        starts.append(tok in self._raw_first or tok.lower() in self._low_first)
                    ids[i] = v
            if title:
                self._title_arr = self._grow(self._title_arr, len(vocab), np.array(title, dtype=bool))
                self._starts_arr = self._grow(self._starts_arr, len(vocab), np.array(starts, dtype=bool))
        return np.fromiter(ids, dtype=np.int64, count=len(ids))

    #: Distinct spans kept per span length before the caches start afresh (memory stays bounded).
    MAX_CACHED = 100_000

    def _reset(self) -> None:
        self._vocab: dict[str, int] = {}
        self._title_arr = np.zeros(0, dtype=bool)
        self._starts_arr = np.zeros(0, dtype=bool)
        self._index = {n: {} for n in self._groups}
        self._count = {n: 0 for n in self._groups}
        self._tables = {n: np.empty((0, len(m)), dtype=np.int32) for n, m in self._groups.items()}

    @staticmethod
    def can_tag(tokens) -> bool:
        """True when every character's case mapping is known to equal Rust's (see the module doc)."""
        return all(tokens) and _SAFE.fullmatch("".join(tokens)) is not None

    def emissions(self, tokens: list[str]) -> np.ndarray:
        """Per token and label, the summed weights of its features, in template order."""
        n = len(tokens)
        # bounded memory, and token ids that fit the 21 bits a packed span code gives them
        if len(self._vocab) + n >= 1 << 21 or max(map(len, self._index.values())) > self.MAX_CACHED:
            self._reset()
        ids = self._ids(tokens)
        L = len(self.labels)
        weights = {}
        begins3 = None
        for span in sorted(self._groups):  # weights of every template of this length at every span
            attrs, nxt = self._span_attrs(span, ids, tokens, begins3)
            if span == 2:
                begins3 = nxt
            weights[span] = self._state_ext[attrs] if len(attrs) else None
        em = np.zeros((n, L))
        # one addition at a time, in template order, as the Rust tagger sums: bit-identical floats
        for k, t in enumerate(self._templates):
            span = t.span
            lo, hi = min(n, max(0, -t.o1)), max(0, min(n, n - t.o1 - span + 1))  # spans inside
            hi = max(hi, lo)
            if lo:
                em[:lo] += self._bos[k]
            if hi < n:
                em[hi:] += self._eos[k]
            if hi > lo:
                em[lo:hi] += weights[span][lo + t.o1:hi + t.o1, self._row_of[k]]
        return em

    def tag(self, tokens: list[str]) -> list[str]:
        """Labels of ``tokens`` (one sequence), as underthesea's tagger gives them."""
        n = len(tokens)
        if n == 0:
            return []
        em = self.emissions(tokens)
        if len(self.labels) != 2:
            return self._tag_general(em)
        # Viterbi over two labels, unrolled; ties keep the first label, as the Rust loop does
        (t00, t01), (t10, t11) = self._trans_list
        e = em.tolist()
        s0, s1 = e[0]
        back0, back1 = [], []
        for e0, e1 in e[1:]:
            a, b = s0 + t00, s1 + t10
            if b > a:
                n0, p0 = b + e0, 1
            else:
                n0, p0 = a + e0, 0
            a, b = s0 + t01, s1 + t11
            if b > a:
                n1, p1 = b + e1, 1
            else:
                n1, p1 = a + e1, 0
            s0, s1 = n0, n1
            back0.append(p0)
            back1.append(p1)
        last = 1 if s1 > s0 else 0
        path = [last]
        for p0, p1 in zip(reversed(back0), reversed(back1)):
            last = p1 if last else p0
            path.append(last)
        names = self.labels
        return [names[y] for y in reversed(path)]

    def _tag_general(self, em: np.ndarray) -> list[str]:
        L = len(self.labels)
        tr = self._trans_list
        e = em.tolist()
        score = e[0][:]
        back = []
        for row in e[1:]:
            new, bp = [0.0] * L, [0] * L
            for y in range(L):
                best, arg = -np.inf, 0
                for yp in range(L):
                    s = score[yp] + tr[yp][y]
                    if s > best:
                        best, arg = s, yp
                new[y], bp[y] = best + row[y], arg
            score = new
            back.append(bp)
        last = max(range(L), key=lambda y: (score[y], -y))
        path = [last]
        for bp in reversed(back):
            last = bp[last]
            path.append(last)
        return [self.labels[y] for y in reversed(path)]


@lru_cache(maxsize=1)
def load_fast_crf() -> FastCRF | None:
    """The fast engine, or None (with a warning) when underthesea's files are not the ones
    it was checked against: then segmentation uses underthesea itself."""
    import joblib
    import underthesea
    d = model_dir()
    found = {"underthesea": underthesea.__version__}
    try:
        for name in ("models.bin", "features.bin", "dictionary.bin"):
            found[name] = _sha256(d / name)
    except OSError as e:
        warnings.warn(f"fast segmentation off: cannot read underthesea's model ({e}); using underthesea",
                      RuntimeWarning, stacklevel=2)
        return None
    wrong = [k for k, v in PINNED.items() if v and found.get(k) != v]
    if wrong:
        warnings.warn(f"fast segmentation off: {', '.join(wrong)} differ from the pinned ones "
                      f"({found}); segmenting with underthesea itself, which is slower but the reference",
                      RuntimeWarning, stacklevel=2)
        return None
    return FastCRF(d / "models.bin", list(joblib.load(d / "features.bin")), set(joblib.load(d / "dictionary.bin")))
