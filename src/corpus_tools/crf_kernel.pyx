# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The inner loop of :mod:`corpus_tools._crf`, compiled: each token's emission summed
feature by feature in template order (one addition at a time, as underthesea's Rust
tagger sums, so the floats are the same) and Viterbi over two labels (ties keep the
first label, as the Rust loop does). numpy cannot do either without building an
n x templates x labels array per text; this touches each weight once."""
from libc.stdint cimport int64_t, int8_t, uint64_t
from libc.stdlib cimport free, malloc

__all__ = ["viterbi2", "hash_table", "span_attrs"]


def viterbi2(const int64_t[::1] ids, const int64_t[:, ::1] uni, const int64_t[:, ::1] m2,
             const int64_t[:, ::1] m3, const int64_t[::1] span, const int64_t[::1] col,
             const int64_t[::1] off, const int64_t[::1] bos, const int64_t[::1] eos,
             const double[:, ::1] state, const double[:, ::1] trans, int8_t[::1] out):
    """Best label path (0/1 per token) into ``out``. A template's attribute at token i is
    ``bos`` when its span starts before the text, ``eos`` when it ends after it, else
    column ``col`` of the unigram table (by token id), of ``m2`` or of ``m3`` (by the
    span's first position); -1 means no such feature."""
    cdef Py_ssize_t n = ids.shape[0], K = span.shape[0], i, k, p, s
    cdef int64_t a
    cdef double e0, e1, s0 = 0, s1 = 0, x, y, n0, n1
    cdef double t00 = trans[0, 0], t01 = trans[0, 1], t10 = trans[1, 0], t11 = trans[1, 1]
    cdef int8_t *back = NULL
    cdef int8_t last
    if n == 0:
        return
    back = <int8_t *> malloc(2 * n * sizeof(int8_t))
    if back == NULL:
        raise MemoryError()
    try:
        for i in range(n):
            e0 = 0.0
            e1 = 0.0
            for k in range(K):
                s = span[k]
                p = i + off[k]
                if p < 0:
                    a = bos[k]
                elif p + s > n:
                    a = eos[k]
                elif s == 1:
                    a = uni[ids[p], col[k]]
                elif s == 2:
                    a = m2[p, col[k]]
                else:
                    a = m3[p, col[k]]
                if a >= 0:
                    e0 = e0 + state[a, 0]
                    e1 = e1 + state[a, 1]
            if i == 0:
                s0 = e0
                s1 = e1
                continue
            x = s0 + t00
            y = s1 + t10
            if y > x:
                n0 = y + e0
                back[2 * i] = 1
            else:
                n0 = x + e0
                back[2 * i] = 0
            x = s0 + t01
            y = s1 + t11
            if y > x:
                n1 = y + e1
                back[2 * i + 1] = 1
            else:
                n1 = x + e1
                back[2 * i + 1] = 0
            s0 = n0
            s1 = n1
        last = 1 if s1 > s0 else 0
        out[n - 1] = last
        for i in range(n - 1, 0, -1):
            last = back[2 * i + last]
            out[i - 1] = last
    finally:
        free(back)


cdef inline Py_ssize_t _probe(const int64_t[::1] keys, int64_t key) noexcept nogil:
    """Slot of ``key`` in an open-addressing table (linear probing; -1 marks an empty slot),
    or -1 when absent. Fibonacci hashing of the packed code."""
    cdef Py_ssize_t mask = keys.shape[0] - 1
    cdef Py_ssize_t at = <Py_ssize_t> ((<uint64_t> key * 0x9E3779B97F4A7C15ULL) >> 20) & mask
    while True:
        if keys[at] == key:
            return at
        if keys[at] == -1:
            return -1
        at = (at + 1) & mask


def hash_table(const int64_t[::1] codes, int64_t[::1] keys, int64_t[::1] slot_row):
    """Fill ``keys`` (a power-of-two size, all -1) with ``codes`` (non-negative, distinct);
    ``slot_row[slot]`` is the code's index in ``codes``."""
    cdef Py_ssize_t i, at, mask = keys.shape[0] - 1
    for i in range(codes.shape[0]):
        at = <Py_ssize_t> ((<uint64_t> codes[i] * 0x9E3779B97F4A7C15ULL) >> 20) & mask
        while keys[at] != -1:
            at = (at + 1) & mask
        keys[at] = codes[i]
        slot_row[at] = i


def span_attrs(const int64_t[::1] ids, const int64_t[::1] raw_m, const int64_t[::1] low_m,
               const int8_t[::1] title, int64_t base,
               const int64_t[::1] raw_keys, const int64_t[::1] raw_rows, const int64_t[:, ::1] raw_ids,
               const int64_t[::1] low_keys, const int64_t[::1] low_rows, const int64_t[:, ::1] low_ids,
               const int64_t[::1] dict_keys, const int64_t[:, ::1] title_c, const int64_t[:, ::1] digit_c,
               const int64_t[:, ::1] dict_c, const int64_t[::1] order, int64_t[:, ::1] out):
    """Attribute ids of every span of ``out.shape`` ... tokens: row p is the span starting at
    token p, columns in template order (``order`` maps them from raw + lower + title + digit
    + dict). A span's value is found by the packed model-token ids of its tokens (raw or
    lower-cased); one missing part means no such value. Its isdigit is False (the space)."""
    cdef Py_ssize_t m = out.shape[0], width = order.shape[0], p, j, c, slot
    cdef Py_ssize_t span = ids.shape[0] - m + 1
    cdef Py_ssize_t n_raw = raw_ids.shape[1], n_low = low_ids.shape[1]
    cdef Py_ssize_t n_title = title_c.shape[1], n_digit = digit_c.shape[1], n_dict = dict_c.shape[1]
    cdef int64_t rc, lc, r, l
    cdef bint raw_ok, low_ok, t, d
    cdef int64_t buf[64]
    if width > 64:
        raise ValueError("more than 64 templates of one span length")
    for p in range(m):
        rc = 0
        lc = 0
        raw_ok = True
        low_ok = True
        t = True
        for j in range(span):
            r = raw_m[ids[p + j]]
            l = low_m[ids[p + j]]
            raw_ok = raw_ok and r >= 0
            low_ok = low_ok and l >= 0
            rc = rc * base + r
            lc = lc * base + l
            t = t and title[ids[p + j]] != 0
        c = 0
        slot = _probe(raw_keys, rc) if raw_ok and n_raw else -1
        for j in range(n_raw):
            buf[c] = raw_ids[raw_rows[slot], j] if slot >= 0 else -1
            c += 1
        slot = _probe(low_keys, lc) if low_ok and n_low else -1
        for j in range(n_low):
            buf[c] = low_ids[low_rows[slot], j] if slot >= 0 else -1
            c += 1
        for j in range(n_title):
            buf[c] = title_c[1 if t else 0, j]
            c += 1
        for j in range(n_digit):
            buf[c] = digit_c[0, j]
            c += 1
        d = low_ok and n_dict and _probe(dict_keys, lc) >= 0
        for j in range(n_dict):
            buf[c] = dict_c[1 if d else 0, j]
            c += 1
        for j in range(width):
            out[p, j] = buf[order[j]]
