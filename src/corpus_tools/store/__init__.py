"""Processed corpus store: incremental, atomic ingest to Parquet; the ``Corpus`` reader.

Layout of a store directory::

    manifest.json          input file hashes, per-article content hashes,
                           pipeline version, counts, part list
    ingest_report.json     what the loader kept or skipped, per input file
    articles/part-*.parquet     article schema (docs/architecture.md)
    paragraphs/part-*.parquet   doc_id, para_id, text
    sentences/part-*.parquet    doc_id, para_id, sent_id, text
    tokens/part-*.parquet       doc_id, para_id, sent_id, position, token, norm, punct

One part per chunk of one input file, so neither ingest nor a re-run holds
the corpus whole. ``sent_id`` and ``position`` count within the document, so
``(doc_id, position)`` addresses a token. ``doc_id`` is unique per row over the
whole store (the k-th copy of a text gets the id of ``key#k``, as in
``load_articles``) and duplicates are flagged corpus-wide after all parts are
written, from compact MinHash signatures kept per part in::

    signatures/part-*.parquet   base_id, exact word hash, 64 x uint32 MinHash
"""
from ._corpus import Corpus, open_corpus
from ._ingest import IngestResult, ingest
from ._layout import STORE_TABLES

__all__ = ["ingest", "open_corpus", "Corpus", "IngestResult", "STORE_TABLES"]
