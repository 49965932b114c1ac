"""The collection's layout: one row per chunk, its column limits, and the properties a collection carries.

The local build (``index/build.py``) stays the source of truth: it chunks, embeds (reusing
unchanged vectors) and saves chunk records, passage and sentence vectors. A Milvus sync copies
what search needs into one collection, one row per chunk::

    id            VARCHAR primary key: the chunk id (content-derived, the same in every build)
    text          VARCHAR   the passage as shown to the user
    bm25_text     VARCHAR   what BM25 indexes (section path, places and text, see ``bm25_fields``):
                            the app tokenizer's tokens joined by spaces (``milvus_bm25`` "app" and
                            "weights"; analysed by a whitespace/standard tokenizer for "app") or the
                            cleaned text cut by Milvus's jieba analyser with the domain dictionary and
                            stopwords ("jieba")
    sparse        SPARSE_FLOAT_VECTOR  "app"/"jieba": output of Milvus's BM25 function over bm25_text
                            (metric BM25, never written by us); "weights": the local build's BM25 weight
                            of each term (term id → weight), searched by inner product with the
                            question's term counts, so scores equal the embedded BM25's. A term id is
                            a hash of the term (:func:`index.milvus.terms.term_id`), not its place in
                            the build's vocabulary, so it means the same term in every build: an app
                            still holding an older build asks a newer collection correctly
    dense         FLOAT_VECTOR  the passage vector of the local build; HNSW index, metric IP (= cosine)
    file, report, report_title, section_path (ARRAY<VARCHAR>), line_start, line_end,
    duplicate_of (nullable)   the citation, as scalars (filters run on file and report)
    embed_key     VARCHAR   hash of (model, embedded text), as in the local build
    row_hash      VARCHAR   hash of every field above except the vectors: what a sync compares

Collection properties hold the schema version, the term id scheme of "weights" (``reportqa.term_ids``;
a collection without it numbered terms by vocabulary place and is rebuilt), a fingerprint of the settings baked into the
collection (analyser, tokenizer, HNSW build parameters, dimension, model) and, once a sync has
finished, a hash of all row hashes (``reportqa.content``): the app compares it with its local
build before serving, so it never maps Milvus's ids onto other chunk records.
"""

from __future__ import annotations

SCHEMA_VERSION = 1
"""Bump when fields or their meaning change: an older collection is then reported (server) or rebuilt (Lite)."""

PROP_SCHEMA = "reportqa.schema_version"
PROP_FINGERPRINT = "reportqa.fingerprint"
PROP_CONTENT = "reportqa.content"
PROP_BUILT_AT = "reportqa.built_at"
PROP_LOCAL_BUILD = "reportqa.local_build"
PROP_TERM_IDS = "reportqa.term_ids"
PROP_MODEL = "reportqa.model"


# Byte limits of the VARCHAR columns. A server counts max_length in UTF-8 bytes, Milvus Lite 3.2.2 in
# characters, so rows are checked in bytes here to behave the same on both.
MAX_ID = 64
MAX_TEXT = 65535
MAX_FILE = 1024
MAX_TITLE = 2048
MAX_PATH_ELEMENTS = 64
MAX_PATH_ELEMENT = 1024
MAX_KEY = 64
