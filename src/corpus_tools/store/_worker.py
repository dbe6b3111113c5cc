"""The pure per-chunk work of an ingest, run in worker processes: load, segment,
normalise, fingerprint; returns Arrow tables ready to write."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..dedupe import NUM_PERM as _NUM_PERM
from ._layout import _SCHEMAS, _SIG_SCHEMA, _articles_table, _content_hash, _detok

# token -> (norm inside a sentence, punct) and token -> norm at sentence start.
# Kept across the tasks of a worker process: the vocabulary of the next chunk
# is mostly known, so normalisation is paid once per word type, not per chunk.
_NORM_CACHE: dict[str, tuple[str, bool]] = {}
_INITIAL_CACHE: dict[str, str] = {}
_NORM_CACHE_MAX = 400_000


def _segment_chunk(args) -> dict[str, pa.Table]:
    """Pure worker: segment and normalise a chunk of articles.

    ``args`` = (segment, items) with items a list of ``(doc_id, paragraphs)``
    and ``segment`` None for ``tokens.segment``. Returns the chunk's paragraph,
    sentence, token and term tables (:func:`_rows_to_tables`). ``norm`` follows
    ``tokens.tokens_from_segments``: the case policy of ``normalize_token``
    with the sentence-initial flag on the first word of each sentence.
    """
    from ..syllables import is_punct
    from ..terms import find_terms
    from ..tokens import normalize_token
    segment, items = args
    if segment is None:  # the shipped segmenter: one CRF call per document
        from ..tokens import segment_paragraphs as by_paragraph
    else:
        def by_paragraph(paras):
            return [segment(p) for p in paras]
    if len(_NORM_CACHE) > _NORM_CACHE_MAX or len(_INITIAL_CACHE) > _NORM_CACHE_MAX:
        _NORM_CACHE.clear()
        _INITIAL_CACHE.clear()
    cache, initial_norm = _NORM_CACHE, _INITIAL_CACHE
    p_doc, p_para, p_text = [], [], []
    s_doc, s_para, s_text, s_len = [], [], [], []
    t_tok, t_norm, t_punct = [], [], []
    terms = {"doc_id": [], "para_id": [], "sent_id": [], "position": [], "length": [], "term": []}

    def fill(tok: str) -> tuple[str, bool]:
        punct = is_punct(tok)
        hit = cache[tok] = (tok if punct else normalize_token(tok, sentence_initial=False), punct)
        return hit

    for doc_id, paragraphs in items:
        doc_start, sent_no = len(t_tok), 0
        tok_para: list[int] = []
        tok_sent: list[int] = []
        for para_id, (para, sents) in enumerate(zip(paragraphs, by_paragraph(paragraphs))):
            p_doc.append(doc_id)
            p_para.append(para_id)
            p_text.append(para)
            for sent in sents:
                if not sent:
                    continue
                hits = [cache.get(t) or fill(t) for t in sent]
                norms = [h[0] for h in hits]
                for i, h in enumerate(hits):  # first word: sentence-initial case rule
                    if not h[1]:
                        tok = sent[i]
                        n0 = initial_norm.get(tok)
                        if n0 is None:
                            n0 = initial_norm[tok] = normalize_token(tok, sentence_initial=True)
                        norms[i] = n0
                        break
                s_doc.append(doc_id)
                s_para.append(para_id)
                s_text.append(_detok(sent))
                s_len.append(len(sent))
                t_tok.extend(sent)
                t_norm.extend(norms)
                t_punct.extend([h[1] for h in hits])
                tok_para.extend([para_id] * len(sent))
                tok_sent.extend([sent_no] * len(sent))
                sent_no += 1
        # the terms layer: spans of lexicon terms over the document's words
        for start, end, term in find_terms(t_tok[doc_start:], sentences=tok_sent):
            terms["doc_id"].append(doc_id)
            terms["para_id"].append(tok_para[start])
            terms["sent_id"].append(tok_sent[start])
            terms["position"].append(start)
            terms["length"].append(end - start)
            terms["term"].append(term)
    # Arrow tables here, in the worker: they travel back as buffers, not a Python string per
    # token, and the parent (serial) only concatenates them
    return _rows_to_tables({"paragraphs": {"doc_id": p_doc, "para_id": p_para, "text": p_text},
                            "sentences": {"doc_id": s_doc, "para_id": s_para, "text": s_text, "n": s_len},
                            "tokens": {"token": t_tok, "norm": t_norm, "punct": t_punct},
                            "terms": terms})


def _rows_to_tables(rows: dict) -> dict[str, pa.Table]:
    """Arrow tables from :func:`_segment_chunk` output; sentence ids and token
    positions count within each document."""
    S = rows["sentences"]
    s_doc = pa.array(S["doc_id"], type=pa.string())
    n = np.asarray(S["n"], dtype=np.int64)
    m = len(n)
    if m:
        codes = pc.dictionary_encode(s_doc).indices.to_numpy(zero_copy_only=False)
        new_doc = np.ones(m, dtype=bool)
        new_doc[1:] = codes[1:] != codes[:-1]
        starts = np.flatnonzero(new_doc)
        sent_id = np.arange(m) - np.repeat(starts, np.diff(np.append(starts, m)))
        tok_start = np.concatenate(([0], np.cumsum(n)[:-1]))
        doc_tok_start = np.repeat(tok_start[starts], np.diff(np.append(starts, m)))
        total = int(n.sum())
        position = np.arange(total) - np.repeat(doc_tok_start, n)
    else:
        sent_id = np.zeros(0, dtype=np.int64)
        position = np.zeros(0, dtype=np.int64)
    sent_idx = np.repeat(np.arange(m), n)
    s_para = np.asarray(S["para_id"], dtype=np.int32)
    T = rows["tokens"]
    tables = {
        "paragraphs": pa.Table.from_arrays(
            [pa.array(rows["paragraphs"]["doc_id"], type=pa.string()),
             pa.array(np.asarray(rows["paragraphs"]["para_id"], dtype=np.int32)),
             pa.array(rows["paragraphs"]["text"], type=pa.string())],
            schema=_SCHEMAS["paragraphs"]),
        "sentences": pa.Table.from_arrays(
            [s_doc, pa.array(s_para), pa.array(sent_id.astype(np.int32)),
             pa.array(S["text"], type=pa.string())], schema=_SCHEMAS["sentences"]),
        "tokens": pa.Table.from_arrays(
            [s_doc.take(pa.array(sent_idx)), pa.array(s_para[sent_idx]),
             pa.array(sent_id[sent_idx].astype(np.int32)), pa.array(position.astype(np.int32)),
             pa.array(T["token"], type=pa.string()), pa.array(T["norm"], type=pa.string()),
             pa.array(T["punct"], type=pa.bool_())], schema=_SCHEMAS["tokens"]),
        "terms": pa.table({k: rows["terms"][k] for k in _SCHEMAS["terms"].names},
                          schema=_SCHEMAS["terms"]),
    }
    return tables


def _load_task(args) -> dict:
    """Worker: load one chunk of decoded records (read once, by the parent) and
    fingerprint its articles.

    ``args`` = (records, load options, segmenter, skip, profiles): ``records`` a
    compressed pickle of :class:`~corpus_tools.readers.RawRecord`; ``skip`` holds
    content hashes already in the store, whose rows the parent copies instead;
    ``profiles`` what the parent learnt over their whole source.
    """
    import pickle
    import zlib
    from ..dedupe import article_id, minhash_signatures
    from ..load import load_records
    blob, load_kwargs, segmenter, skip, profiles = args
    records = pickle.loads(zlib.decompress(blob))
    # duplicates are flagged corpus-wide by the parent, from the signatures
    df, report = load_records(records, **{**load_kwargs, "dedupe": "none", "profiles": profiles})
    df.attrs = {}  # the report travels in the task's result, not with the frame
    doc_ids = df["doc_id"].tolist()
    paras = [list(p) if p is not None else [] for p in df["paragraphs"].tolist()]
    hashes = [_content_hash(d, p) for d, p in zip(doc_ids, paras)]
    titles = df["title"].tolist() if len(df) else []
    texts = df["text"].tolist() if len(df) else []
    base_ids = [article_id(t, x) for t, x in zip(titles, texts)]  # copies: numbered corpus-wide
    sig, exact = minhash_signatures(texts, num_perm=_NUM_PERM)
    signatures = pa.Table.from_arrays(
        [pa.array(base_ids, type=pa.string()), pa.array(exact, type=pa.uint64()),
         pa.FixedSizeListArray.from_arrays(pa.array(sig.ravel(), type=pa.uint32()), _NUM_PERM)],
        schema=_SIG_SCHEMA)
    items, seen = [], set()
    for d, p, h in zip(doc_ids, paras, hashes):
        if d in seen or h in skip:
            continue
        seen.add(d)
        items.append((d, p))
    return {"articles": _articles_table(df), "doc_ids": doc_ids, "hashes": hashes,
            "source_paths": df["source_path"].tolist(), "report": report,
            "signatures": signatures, "segmenter": segmenter, "items": items}


#: Characters of text per segmentation task: small enough that the last chunks
#: of a run spread over every worker, large enough that a task's overhead
#: (pickling, scheduling) stays well under 1% of its CPU time.
SEGMENT_TASK_CHARS = 40_000


def split_items(loaded: dict, budget: int | None = None) -> list[tuple]:
    """The segmentation tasks of a loaded chunk: runs of whole articles of
    about ``budget`` characters (default :data:`SEGMENT_TASK_CHARS`), in order."""
    budget = budget or SEGMENT_TASK_CHARS
    tasks, batch, size = [], [], 0
    for item in loaded.pop("items"):
        batch.append(item)
        size += sum(len(p) for p in item[1])
        if size >= budget:
            tasks.append((loaded["segmenter"], batch))
            batch, size = [], 0
    if batch:
        tasks.append((loaded["segmenter"], batch))
    return tasks


def merge_rows(loaded: dict, pieces: list[dict]) -> dict:
    """A loaded chunk with ``tables``: its segmented pieces joined in order (the rows
    count within each article, so joining equals one segmentation)."""
    if not pieces:
        pieces = [_segment_chunk((None, []))]  # empty tables of the right schemas
    loaded.pop("segmenter", None)
    loaded["tables"] = {name: pa.concat_tables([p[name] for p in pieces]).combine_chunks()
                        for name in pieces[0]}
    return loaded


def run_chunk(args) -> dict:
    """Load and segment one chunk in this process (both stages of an ingest task)."""
    loaded = _load_task(args)
    return merge_rows(loaded, [_segment_chunk(t) for t in split_items(loaded)])
