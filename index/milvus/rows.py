"""What a sync compares and checks about rows: row and content hashes, and column sizes.

A row hash covers every field of a chunk's row except the vectors (see :mod:`index.milvus.schema`);
the content hash of all of them is what the collection records once a sync has finished.

Usage::

    hashes = row_hashes(stored, settings)
    content = content_hash((c.id for c in stored.chunks), hashes)   # == the collection's reportqa.content
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from core.errors import BackendError
from core.settings import Settings
from index.build import bm25_text
from index.milvus.schema import (
    MAX_FILE,
    MAX_ID,
    MAX_KEY,
    MAX_PATH_ELEMENT,
    MAX_PATH_ELEMENTS,
    MAX_TEXT,
    MAX_TITLE,
)
from index.milvus.terms import sparse_weights
from index.store import StoredIndex


def json_hash(data: object) -> str:
    """SHA-1 of ``data`` as canonical JSON (sorted keys, UTF-8)."""
    return hashlib.sha1(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def row_hashes(stored: StoredIndex, settings: Settings) -> list[str]:
    """Per chunk, a hash of what its Milvus row holds (citation, text, BM25 source text, embed key).

    The dense vector is left out: its embed key names it. With ``milvus_bm25="weights"`` the BM25
    weights are in (they change with every corpus change). Cheap otherwise (no tokenizing), so the
    app compares its local build with the collection at every start.
    """
    weights = sparse_weights(stored) if settings.milvus_bm25 == "weights" else [{} for _ in stored.chunks]
    return [json_hash([c.id, c.text, c.file, c.report, c.report_title, c.section_path, c.line_start, c.line_end,
                       c.duplicate_of, key, bm25_text(c, settings.bm25_fields), sorted(w.items())])
            for c, key, w in zip(stored.chunks, stored.embed_keys, weights)]


def content_hash(ids: Iterable[str], hashes: Iterable[str]) -> str:
    """One hash of a whole set of rows (order-free)."""
    return hashlib.sha1("\n".join(sorted(f"{i}:{h}" for i, h in zip(ids, hashes))).encode("utf-8")).hexdigest()


def check_sizes(row: dict[str, Any]) -> None:
    """Refuse, in Chinese, a field longer than its column (in UTF-8 bytes)."""
    limits = {"id": MAX_ID, "text": MAX_TEXT, "bm25_text": MAX_TEXT, "file": MAX_FILE, "report_title": MAX_TITLE,
              "duplicate_of": MAX_ID, "embed_key": MAX_KEY}
    for name, limit in limits.items():
        value = row.get(name)
        if value is not None and len(value.encode("utf-8")) > limit:
            raise BackendError(f"片段 {row['id']} 的字段 {name} 有 {len(value.encode('utf-8'))} 字节，"
                               f"超过 Milvus 列的上限 {limit} 字节，无法同步。")
    path = row["section_path"]
    if len(path) > MAX_PATH_ELEMENTS or any(len(p.encode("utf-8")) > MAX_PATH_ELEMENT for p in path):
        raise BackendError(f"片段 {row['id']} 的章节路径过长（最多 {MAX_PATH_ELEMENTS} 级、每级 "
                           f"{MAX_PATH_ELEMENT} 字节），无法同步到 Milvus。")

