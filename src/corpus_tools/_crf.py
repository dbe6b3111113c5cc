"""underthesea's word-segmentation CRF without feature strings: the same tags, faster.

underthesea 9.5 tags a token sequence in two Rust calls: ``CRFFeaturizer.process``
builds 43 feature *strings* per token (``"T[-1,0].lower=bộ chính"``) and
``CRFTagger.tag`` looks each up in a hash map, sums the weights of the two labels and
runs Viterbi. Most of that time is making, freeing and converting strings. This
module reads the same model (the CRFsuite file and the feature templates shipped in
the wheel) once. A feature over two or three tokens is the tokens joined by a space,
so the model's multi-token values and the dictionary's entries are kept as packed ids
of their parts; a text's token is looked up once (cached: its one-token attributes,
its part ids raw and lower-cased, its title flag), and every pair and triple of a text
is then an integer lookup. The compiled kernel (:mod:`corpus_tools.crf_kernel`, built
by ``make setup``) does those lookups in hash tables, sums the weights and runs Viterbi;
without a C compiler the same is done with numpy (``searchsorted``), more slowly. No
library does this: it is underthesea's model, re-read.

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


class _SpanPlan:
    """How the attribute ids of every template over ``span`` tokens are found with no
    feature string: templates reading the raw or lower-cased text look the value up (a
    dictionary for one token, packed model-token ids for more); ``istitle``, ``isdigit``
    and ``is_in_dict`` give True or False, whose attribute ids per template are constants.
    ``order`` maps the concatenation raw + lower + title + digit + dict to template order."""

    def __init__(self, span: int, members: list[int], templates: list[_Template], attrs: dict[str, int]):
        self.span, self.members = span, members
        by_fn: dict[str | None, list[int]] = {}
        for k in members:
            by_fn.setdefault(templates[k].fn, []).append(k)
        self.raw, self.low = by_fn.get(None, []), by_fn.get("lower", [])
        index = {templates[k].syntax: k for k in members}
        pos = {k: j for j, k in enumerate(self.raw)} | {k: j for j, k in enumerate(self.low)}
        raw_vals: dict[str, list[int]] = {}
        low_vals: dict[str, list[int]] = {}
        for attr, i in attrs.items():
            syntax, eq, value = attr.partition("=")
            k = index.get(syntax)
            if not eq or k is None or value in ("BOS", "EOS") or k not in pos:
                continue
            vals, width = (raw_vals, len(self.raw)) if templates[k].fn is None else (low_vals, len(self.low))
            vals.setdefault(value, [-1] * width)[pos[k]] = i
        self.raw_vals = {v: tuple(ids) for v, ids in raw_vals.items()}
        self.low_vals = {v: tuple(ids) for v, ids in low_vals.items()}
        self.raw_none, self.low_none = (-1,) * len(self.raw), (-1,) * len(self.low)
        self.flags = {fn: [tuple(attrs.get(f"{templates[k].syntax}={b}", -1) for k in by_fn.get(fn, []))
                           for b in ("False", "True")] for fn in ("istitle", "isdigit", "is_in_dict")}
        concat = self.raw + self.low + by_fn.get("istitle", []) + by_fn.get("isdigit", []) \
            + by_fn.get("is_in_dict", [])
        self.order = np.array([concat.index(k) for k in members], dtype=np.int64)


class FastCRF:
    """underthesea's word-segmentation CRF, read from its files: :meth:`tag` returns the
    labels ``CRFTagger.tag(CRFFeaturizer.process(...))`` returns.

    Every feature value over two or three tokens is a join of single tokens with a space,
    so the model's multi-token values (and the dictionary's entries) are stored as packed
    ids of their parts. A text's token is looked up once (its unigram attributes, its
    model-token ids raw and lower-cased, its title flag are cached by token); every pair
    and triple of the text is then found for all positions at once (hash tables in the
    compiled kernel, ``searchsorted`` without it).
    A span's ``isdigit`` is always False (Rust's i32 parse fails on the space) and its
    ``istitle`` is the AND of its tokens'. No per-span Python, no string built per span."""

    #: Distinct tokens kept before the token cache starts afresh (memory stays bounded).
    MAX_CACHED = 200_000

    def __init__(self, model_path: Path, features: list[str], dictionary: set[str]):
        self.labels, attrs, state, trans = _read_crfsuite(Path(model_path))
        self._dictionary = dictionary
        self._templates = [_Template(s) for s in features]
        groups: dict[int, list[int]] = {}
        for k, t in enumerate(self._templates):
            groups.setdefault(t.span, []).append(k)
        if max(groups) > 3 or 1 not in groups:
            raise ValueError("only templates over one to three tokens are supported")
        self._plans = {span: _SpanPlan(span, members, self._templates, attrs) for span, members in groups.items()}
        L = len(self.labels)
        self._state_ext = np.vstack([state, np.zeros((1, L))])  # row -1: no such feature
        self._state, self._trans = np.ascontiguousarray(state), np.ascontiguousarray(trans)
        self._trans_list = trans.tolist()
        self._bos = np.array([attrs.get(f"{t.syntax}=BOS", -1) for t in self._templates], dtype=np.int64)
        self._eos = np.array([attrs.get(f"{t.syntax}=EOS", -1) for t in self._templates], dtype=np.int64)
        # where each template's column comes from: its span's matrix, column j, shifted by o1
        self._col = [(t.span, self._plans[t.span].members.index(k), t.o1) for k, t in enumerate(self._templates)]
        self._kernel_spec = tuple(np.ascontiguousarray(a, dtype=np.int64) for a in (
            [c[0] for c in self._col], [c[1] for c in self._col], [c[2] for c in self._col], self._bos, self._eos))
        self._no_span = np.zeros((0, 1), dtype=np.int64)
        self._model_tables()
        self._reset()

    def _model_tables(self) -> None:
        """Model tokens (the parts of every multi-token value and dictionary entry) get ids;
        each multi-token value becomes a packed code in a sorted array, with its attribute ids."""
        mtok: dict[str, int] = {}

        def code(value: str) -> int:
            c = 0
            for part in value.split(" "):
                c = c * self._base + mtok.setdefault(part, len(mtok))
            return c
        # first pass: ids of every part, so the base of the packing is known
        values = [v for span, plan in self._plans.items() if span > 1 for v in (*plan.raw_vals, *plan.low_vals)]
        entries = [e for e in self._dictionary if " " in e and len(e.split(" ")) in self._plans]
        for v in values + entries:
            for part in v.split(" "):
                mtok.setdefault(part, len(mtok))
        self._base = len(mtok) + 1
        if self._base ** 3 >= 1 << 62:
            raise ValueError("too many model tokens to pack three in 62 bits")
        self._mtok = mtok
        self._tables = {}
        for span, plan in self._plans.items():
            if span == 1:
                continue
            tabs = {}
            for kind, vals, width in (("raw", plan.raw_vals, len(plan.raw)), ("low", plan.low_vals, len(plan.low))):
                vals = {v: ids for v, ids in vals.items() if len(v.split(" ")) == span}
                codes = np.array([code(v) for v in vals], dtype=np.int64)
                ids = np.array(list(vals.values()), dtype=np.int64).reshape(len(vals), width)
                o = np.argsort(codes, kind="stable")
                tabs[kind] = (codes[o], ids[o])
            dcodes = np.unique(np.array([code(e) for e in entries if len(e.split(" ")) == span], dtype=np.int64))
            tabs["dict"] = dcodes
            self._tables[span] = tabs
        self._kernel_tables()

    def _kernel_tables(self) -> None:
        """The same tables as hash tables, for the compiled kernel (None without it)."""
        kernel = _kernel()
        self._ktabs = None
        if kernel is None:
            return

        def hashed(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            size = 1 << max(4, (2 * len(codes)).bit_length())
            keys, rows = np.full(size, -1, dtype=np.int64), np.zeros(size, dtype=np.int64)
            kernel.hash_table(np.ascontiguousarray(codes), keys, rows)
            return keys, rows
        self._ktabs = {}
        for span, tabs in self._tables.items():
            plan = self._plans[span]
            (rc, rids), (lc, lids) = tabs["raw"], tabs["low"]
            consts = [np.ascontiguousarray(np.array(plan.flags[fn], dtype=np.int64).reshape(2, -1))
                      for fn in ("istitle", "isdigit", "is_in_dict")]
            self._ktabs[span] = (*hashed(rc), np.ascontiguousarray(rids), *hashed(lc), np.ascontiguousarray(lids),
                                 hashed(tabs["dict"])[0], *consts, np.ascontiguousarray(plan.order))

    def _reset(self) -> None:
        self._vocab: dict[str, int] = {}
        # per token id, with room to grow (doubling: a text's new tokens cost no copy of the rest);
        # only ids below len(self._vocab) are ever read
        self._uni = np.empty((1024, len(self._plans[1].members)), dtype=np.int64)  # its one-token attribute ids
        self._raw_m = np.empty(1024, dtype=np.int64)   # model-token id of the token (-1: none)
        self._low_m = np.empty(1024, dtype=np.int64)   # model-token id of its lower case
        self._title = np.empty(1024, dtype=bool)

    def _add_tokens(self, new: list[str]) -> None:
        """Cache the unigram attributes, model-token ids and title flag of tokens new to the vocabulary."""
        p1, mtok, dictionary = self._plans[1], self._mtok, self._dictionary
        t_title, t_digit, t_dict = (p1.flags[f] for f in ("istitle", "isdigit", "is_in_dict"))
        rows, raw_m, low_m, title = [], [], [], []
        for tok in new:
            low = tok.lower()
            ti = _istitle(tok)
            rows.append(p1.raw_vals.get(tok, p1.raw_none) + p1.low_vals.get(low, p1.low_none) + t_title[ti]
                        + t_digit[_isdigit(tok)] + t_dict[low in dictionary])
            raw_m.append(mtok.get(tok, -1))
            low_m.append(mtok.get(low, -1))
            title.append(ti)
        end = len(self._vocab)  # the new tokens' ids are end - len(new) .. end - 1
        start = end - len(new)
        if end > len(self._title):
            size = max(end, 2 * len(self._title))
            for name in ("_uni", "_raw_m", "_low_m", "_title"):
                old = getattr(self, name)
                grown = np.empty((size,) + old.shape[1:], dtype=old.dtype)
                grown[:start] = old[:start]
                setattr(self, name, grown)
        self._uni[start:end] = np.array(rows, dtype=np.int64).reshape(len(rows), len(p1.members))[:, p1.order]
        self._raw_m[start:end] = raw_m
        self._low_m[start:end] = low_m
        self._title[start:end] = title

    def _ids(self, tokens: list[str]) -> np.ndarray:
        vocab = self._vocab
        get = vocab.get
        ids = [get(t) for t in tokens]
        if None in ids:
            new = []
            for i, v in enumerate(ids):
                if v is None:
                    tok = tokens[i]
                    v = vocab.get(tok)
                    if v is None:
                        v = vocab[tok] = len(vocab)
                        new.append(tok)
                    ids[i] = v
            self._add_tokens(new)
        return np.fromiter(ids, dtype=np.int64, count=len(ids))

    @staticmethod
    def _lookup(table: tuple[np.ndarray, np.ndarray] | np.ndarray, codes: np.ndarray, valid: np.ndarray):
        """Row of each code in a sorted code array (-1 where absent or not valid)."""
        keys = table[0] if isinstance(table, tuple) else table
        if not len(keys):
            return np.full(len(codes), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(keys, codes), len(keys) - 1)
        return np.where(valid & (keys[at] == codes), at, -1)

    def _span_matrix(self, span: int, ids: np.ndarray) -> np.ndarray:
        """Attribute ids (positions x this span's templates, template order) of the spans
        starting at each position."""
        plan, tabs = self._plans[span], self._tables[span]
        m = len(ids) - span + 1
        raw, low, title = self._raw_m[ids], self._low_m[ids], self._title[ids]
        parts = []
        for kind, ms in (("raw", raw), ("low", low)):
            code = ms[:m].copy()
            valid = ms[:m] >= 0
            for j in range(1, span):
                code = code * self._base + ms[j:j + m]
                valid &= ms[j:j + m] >= 0
            if kind == "low":
                low_code, low_valid = code, valid
            width = len(plan.raw) if kind == "raw" else len(plan.low)
            if width:
                codes, tab_ids = tabs[kind]
                at = self._lookup((codes, tab_ids), code, valid)
                parts.append(np.where((at >= 0)[:, None], tab_ids[at], -1))
        t = title[:m].copy()
        for j in range(1, span):
            t &= title[j:j + m]
        in_dict = self._lookup(tabs["dict"], low_code, low_valid) >= 0
        for fn, flag in (("istitle", t), ("isdigit", np.zeros(m, dtype=bool)), ("is_in_dict", in_dict)):
            consts = np.array(plan.flags[fn], dtype=np.int64).reshape(2, -1)
            if consts.shape[1]:
                parts.append(consts[flag.astype(np.int64)])
        return np.ascontiguousarray(np.concatenate(parts, axis=1)[:, plan.order])

    @property
    def compiled(self) -> bool:
        """True when :meth:`tag` runs the compiled kernel (False: the numpy path, same labels)."""
        return self._ktabs is not None

    @staticmethod
    def can_tag(tokens) -> bool:
        """True when every character's case mapping is known to equal Rust's (see the module
        doc) and no token holds a space (a span's value would then not split into its tokens)."""
        if not all(tokens):
            return False
        joined = "".join(tokens)
        return " " not in joined and _SAFE.fullmatch(joined) is not None

    def _matrices(self, tokens: list[str]) -> tuple[np.ndarray, dict[int, np.ndarray]]:
        """Token ids, and the attribute ids of every span of two and three tokens."""
        n = len(tokens)
        if len(self._vocab) + n > self.MAX_CACHED:
            self._reset()
        ids = self._ids(tokens)
        mats = {}
        for span, plan in self._plans.items():
            if span == 1:
                continue
            if self._ktabs is not None:  # the kernel's hash lookups
                mats[span] = np.empty((max(n - span + 1, 0), len(plan.members)), dtype=np.int64)
                _kernel().span_attrs(ids, self._raw_m, self._low_m, self._title.view(np.int8), self._base,
                                     *self._ktabs[span], mats[span])
            else:
                mats[span] = (self._span_matrix(span, ids) if n >= span
                              else np.empty((0, len(plan.members)), dtype=np.int64))
        return ids, mats

    def emissions(self, tokens: list[str]) -> np.ndarray:
        """Per token and label, the summed weights of its features, in template order."""
        n = len(tokens)
        ids, mats = self._matrices(tokens)
        mats[1] = self._uni[ids]
        A = np.empty((n, len(self._templates)), dtype=np.int64)
        for k, (span, j, o1) in enumerate(self._col):
            lo = min(n, max(0, -o1))
            hi = max(lo, min(n, n - o1 - span + 1))
            A[:lo, k] = self._bos[k]
            A[hi:, k] = self._eos[k]
            if hi > lo:
                A[lo:hi, k] = mats[span][lo + o1:hi + o1, j]
        # one addition at a time, in template order, as the Rust tagger sums (add.accumulate is
        # sequential, unlike sum's pairwise reduction): bit-identical floats
        return np.add.accumulate(self._state_ext[A], axis=1)[:, -1]

    def tag(self, tokens: list[str]) -> list[str]:
        """Labels of ``tokens`` (one sequence), as underthesea's tagger gives them."""
        n = len(tokens)
        if n == 0:
            return []
        if self.compiled and len(self.labels) == 2:
            ids, mats = self._matrices(tokens)
            out = np.empty(n, dtype=np.int8)
            _kernel().viterbi2(ids, self._uni, mats.get(2, self._no_span), mats.get(3, self._no_span),
                               *self._kernel_spec, self._state, self._trans, out)
            names = self.labels
            return [names[y] for y in out.tolist()]
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
def _kernel():
    """The compiled inner loop (:mod:`corpus_tools.crf_kernel`), or None when the install had
    no C compiler: then the numpy path gives the same labels, more slowly (said once)."""
    try:
        from . import crf_kernel
    except ImportError as e:
        warnings.warn(f"the compiled segmentation kernel is not built ({e}); segmenting with the "
                      "numpy path (the same words, about 3 x slower). Re-run `make setup` with a C compiler.",
                      RuntimeWarning, stacklevel=3)
        return None
    return crf_kernel


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
