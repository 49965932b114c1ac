"""Dense side: a FAISS inner-product index over unit-length passage vectors.

Up to ``ann_threshold`` vectors the index is exact (``IndexFlatIP``); above it
an HNSW graph (``IndexHNSWFlat`` with inner-product metric) answers in
logarithmic time. Its search breadth (``efSearch``) is set after loading, so it
can be tuned without a rebuild; its recall against exact search is measured by
``eval/bench.py``.
Filters (by file or report) are applied inside FAISS with an ID selector, so a
filtered search still returns k results when k matching passages exist.

Example::

    >>> vectors = np.eye(3, dtype=np.float32)                 # three unit-length passage vectors
    >>> index = build_faiss(vectors, ann_threshold=200_000, m=32, ef_construction=40)
    >>> query = np.array([0.6, 0.8, 0.0], dtype=np.float32)
    >>> ids, scores = search_faiss(index, query, k=2)
    >>> index_kind(index), ids.tolist(), [round(float(s), 2) for s in scores]
    ('flat', [1, 0], [0.8, 0.6])
    >>> search_faiss(index, query, k=2, allowed_ids=np.array([0, 2]))[0].tolist()
    [0, 2]
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


def set_threads(threads: int) -> None:
    """Limit FAISS's OpenMP threads (one is fastest for single queries on 2 cores)."""
    faiss.omp_set_num_threads(max(1, threads))


def build_faiss(vectors: np.ndarray, ann_threshold: int, m: int = 32, ef_construction: int = 40) -> faiss.Index:
    """Exact inner-product index up to ``ann_threshold`` vectors, HNSW (degree ``m``) above it."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dimension = vectors.shape[1]
    if len(vectors) > ann_threshold:
        index = faiss.IndexHNSWFlat(dimension, m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = ef_construction
    else:
        index = faiss.IndexFlatIP(dimension)
    index.add(vectors)
    return index


def set_ef_search(index: faiss.Index, ef_search: int) -> None:
    """Set how many graph nodes an HNSW search visits (more: higher recall, slower); no-op for exact."""
    if isinstance(index, faiss.IndexHNSWFlat):
        index.hnsw.efSearch = ef_search


def index_kind(index: faiss.Index) -> str:
    """``"hnsw"`` or ``"flat"``, for the manifest and the status line."""
    return "hnsw" if isinstance(index, faiss.IndexHNSWFlat) else "flat"


def search_faiss(
    index: faiss.Index, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Top ``k`` passage ids and cosine scores for one unit-length query vector.

    ``allowed_ids`` (int64 array) restricts the search to those passages.
    """
    k = min(k, index.ntotal)
    if k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    params = None
    if allowed_ids is not None:
        if len(allowed_ids) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        selector = faiss.IDSelectorBatch(np.ascontiguousarray(allowed_ids, dtype=np.int64))
        if isinstance(index, faiss.IndexHNSWFlat):
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(index.hnsw.efSearch, k))
        else:
            params = faiss.SearchParameters(sel=selector)
    scores, ids = index.search(query.reshape(1, -1).astype(np.float32), k, params=params)
    keep = ids[0] >= 0
    return ids[0][keep].astype(np.int64), scores[0][keep]


def save_faiss(index: faiss.Index, path: Path) -> None:
    """Write the FAISS index file (FAISS's own format, no pickle)."""
    faiss.write_index(index, str(path))


def load_faiss(path: Path, expected_size: int, dimension: int) -> faiss.Index:
    """Read a FAISS index and check it matches the stored chunks; raise ValueError if not."""
    try:
        index = faiss.read_index(str(path))
    except RuntimeError as error:
        raise ValueError(f"向量索引文件损坏：{path.name}（{str(error).splitlines()[0][:120]}）") from error
    if index.ntotal != expected_size or index.d != dimension:
        raise ValueError(
            f"向量索引与片段不一致：{index.ntotal} 条向量/{index.d} 维，应为 {expected_size} 条/{dimension} 维"
        )
    return index
