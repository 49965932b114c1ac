"""The approximate (HNSW) side of FAISS on the real passage vectors: agreement with exact search, filters."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.dense import build_faiss, index_kind, load_faiss, save_faiss, search_faiss, set_ef_search
from retriever.backends import Scope


def test_hnsw_agrees_with_exact_search_and_keeps_its_breadth_setting(retriever, tmp_path: Path):
    vectors = retriever.stored.embeddings
    exact = build_faiss(vectors, ann_threshold=len(vectors))
    approximate = build_faiss(vectors, ann_threshold=0, m=16, ef_construction=40)
    assert (index_kind(exact), index_kind(approximate)) == ("flat", "hnsw")
    set_ef_search(approximate, 256)
    queries = [retriever.query_vector(q) for q in ("社区工作者待遇怎么样", "哪些社区办公用房不达标", "三社联动")]
    for query in queries:
        expected, _ = search_faiss(exact, query, 10)
        found, scores = search_faiss(approximate, query, 10)
        assert len(set(found) & set(expected)) >= 9 and np.all(np.diff(scores) <= 1e-6)
    save_faiss(approximate, tmp_path / "dense.faiss")
    loaded = load_faiss(tmp_path / "dense.faiss", len(vectors), vectors.shape[1])
    assert index_kind(loaded) == "hnsw"
    set_ef_search(loaded, 64)
    assert loaded.hnsw.efSearch == 64


def test_filtered_hnsw_search_returns_only_allowed_passages(retriever):
    vectors = retriever.stored.embeddings
    approximate = build_faiss(vectors, ann_threshold=0)
    allowed = np.flatnonzero(Scope.of(retriever.chunks, files=[retriever.chunks[0].file]).mask)
    found, _ = search_faiss(approximate, retriever.query_vector("社区工作者待遇怎么样"), 10, allowed)
    assert len(found) == 10 and set(found) <= set(allowed.tolist())
    assert len(search_faiss(approximate, vectors[0], 10, np.zeros(0, dtype=np.int64))[0]) == 0
