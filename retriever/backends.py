"""Search backends: where a question's BM25 and dense candidate lists come from.

The retriever asks its backend for ranked lists of chunk rows (rows of the local build's chunk
records) and does everything else itself: the best-sentence list, fusion, duplicate collapsing,
citations. So answers, filters, duplicates and citations are the same whichever backend serves.

* :class:`EmbeddedBackend` (``backend = "embedded"``, the default): BM25 and FAISS of the local
  build, in this process.
* :class:`MilvusBackend` (``backend = "milvus"``): BM25 and HNSW searches in a Milvus collection
  filled from the local build (``index/milvus/``); Milvus returns chunk ids, mapped back to rows.

:func:`open_backend` is the one place that chooses. pymilvus is imported only there, only for
Milvus, so the embedded path never loads it.

Usage::

    backend = open_backend(stored, settings, Tokenizer("words+bigrams"))
    rows, scores = backend.sparse("哪些社区办公用房不达标", 100, Scope.of(chunks, files=["a.txt"]))
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from core.settings import Settings
from index.dense import search_faiss, set_ef_search, set_threads
from index.store import StoredIndex
from index.text.records import Chunk
from index.tokenize import Tokenizer

if TYPE_CHECKING:
    from index.milvus import MilvusIndex

log = logging.getLogger(__name__)

Ranked = tuple[np.ndarray, np.ndarray]
"""Chunk rows (int64) and their scores (float64), best first."""


@dataclass(frozen=True)
class Scope:
    """The passages a search may return: those of ``files`` or of ``(file, report)`` pairs.

    ``mask`` marks the same passages over the local chunk rows (for the embedded backend, and to
    check what a remote backend returns); ``files`` and ``reports`` become a Milvus filter.
    """

    files: frozenset[str]
    reports: frozenset[tuple[str, int]]
    mask: np.ndarray

    @classmethod
    def of(cls, chunks: Sequence[Chunk], files: Iterable[str] | None = None,
           reports: Iterable[tuple[str, int]] | None = None) -> Scope | None:
        """The scope of the filters over ``chunks``; None when there is no filter."""
        names = frozenset(files or ())
        pairs = frozenset((str(f), int(r)) for f, r in reports or ())
        if not names and not pairs:
            return None
        mask = np.array([c.file in names or (c.file, c.report) in pairs for c in chunks], dtype=bool)
        return cls(names, pairs, mask)


class SearchBackend(Protocol):
    """What the retriever needs from a backend: two candidate lists, optionally one fused by the engine."""

    name: str
    tokenizer: Tokenizer
    """The index's own tokenizer (its manifest names it): the retriever cuts questions with it too."""

    def sparse(self, query: str, k: int, scope: Scope | None) -> Ranked:
        """BM25 top ``k`` for the question text (only passages with a positive score)."""
        ...

    def dense(self, vector: np.ndarray, k: int, scope: Scope | None) -> Ranked:
        """Cosine top ``k`` for the unit question vector."""
        ...

    def fused(self, query: str, vector: np.ndarray, k: int, scope: Scope | None) -> Ranked | None:
        """BM25 and dense fused by the engine, or None when the retriever fuses the two lists itself."""
        ...

    def close(self) -> None:
        """Release connections (no-op for the embedded backend)."""
        ...


class EmbeddedBackend:
    """BM25 (sparse matrix) and FAISS from the local build, searched in this process."""

    name = "embedded"

    def __init__(self, stored: StoredIndex, tokenizer: Tokenizer, settings: Settings) -> None:
        self.stored = stored
        self.tokenizer = tokenizer
        set_threads(settings.threads)
        set_ef_search(stored.faiss_index, settings.hnsw_ef_search)

    def sparse(self, query: str, k: int, scope: Scope | None) -> Ranked:
        """BM25 over the app tokenizer's tokens."""
        return self.stored.bm25.top_k(self.tokenizer(query), k, allowed=None if scope is None else scope.mask)

    def dense(self, vector: np.ndarray, k: int, scope: Scope | None) -> Ranked:
        """Exact (or HNSW above ``ann_threshold``) inner product in FAISS."""
        allowed = None if scope is None else np.flatnonzero(scope.mask)
        return search_faiss(self.stored.faiss_index, vector, k, allowed)

    def fused(self, query: str, vector: np.ndarray, k: int, scope: Scope | None) -> Ranked | None:
        """Never: the retriever fuses."""
        return None

    def close(self) -> None:
        """Nothing to release."""


class MilvusBackend:
    """BM25 and dense searches in a Milvus collection; its chunk ids mapped back to the local rows.

    The collection was checked against the local build when it was opened (same rows, same
    settings), so every id maps to a row; an id that does not (the collection was re-synced from
    another build while this app runs) is skipped with a warning rather than shown wrongly.
    """

    name = "milvus"

    def __init__(self, milvus: MilvusIndex, stored: StoredIndex, tokenizer: Tokenizer, settings: Settings) -> None:
        self.milvus = milvus
        self.tokenizer = tokenizer
        self.settings = settings
        self.vocab = stored.bm25.vocab
        self.row_of = {chunk.id: row for row, chunk in enumerate(stored.chunks)}

    def _expr(self, scope: Scope | None) -> str:
        from index.milvus import filter_expr

        return "" if scope is None else filter_expr(scope.files, scope.reports)

    def _ranked(self, ids: list[str], scores: list[float], scope: Scope | None) -> Ranked:
        rows, kept = [], []
        for chunk_id, score in zip(ids, scores):
            row = self.row_of.get(chunk_id)
            if row is None:
                log.warning("Milvus 返回了本机索引中没有的片段 %s（集合可能已由另一次建立的索引同步），已跳过",
                            chunk_id)
                continue
            if scope is not None and not scope.mask[row]:
                continue
            rows.append(row)
            kept.append(score)
        return np.array(rows, dtype=np.int64), np.array(kept, dtype=np.float64)

    def sparse(self, query: str, k: int, scope: Scope | None) -> Ranked:
        """Milvus BM25 (see ``milvus_bm25``)."""
        prepared = self.milvus.bm25_query(query, self.tokenizer, self.vocab)
        return self._ranked(*self.milvus.sparse(prepared, k, self._expr(scope)), scope)

    def dense(self, vector: np.ndarray, k: int, scope: Scope | None) -> Ranked:
        """Milvus HNSW, metric IP."""
        return self._ranked(*self.milvus.dense(vector, k, self._expr(scope)), scope)

    def fused(self, query: str, vector: np.ndarray, k: int, scope: Scope | None) -> Ranked | None:
        """Milvus's hybrid search when ``milvus_fusion`` is "server" and the question has BM25 words."""
        if self.settings.milvus_fusion != "server":
            return None
        prepared = self.milvus.bm25_query(query, self.tokenizer, self.vocab)
        if prepared is None:  # nothing for BM25: the retriever fuses the dense list as usual
            return None
        return self._ranked(*self.milvus.hybrid(prepared, vector, k, self._expr(scope)), scope)

    def close(self) -> None:
        """Close the connection (and stop Milvus Lite's in-process server)."""
        self.milvus.close()


def open_backend(stored: StoredIndex, settings: Settings, tokenizer: Tokenizer | None = None) -> SearchBackend:
    """The backend of ``settings.backend`` over the local build ``stored``, cutting text with ``tokenizer``
    (by default the one the build's manifest names).

    Milvus: connect, and check that the collection serves exactly this build (on Milvus Lite,
    sync it first when it does not; on a server, raise an error saying what to run).
    """
    tokenizer = tokenizer or Tokenizer(stored.manifest.tokenizer)
    if settings.backend == "milvus":
        from index.milvus import open_milvus  # imports pymilvus: only when Milvus is chosen

        return MilvusBackend(open_milvus(stored, settings, tokenizer), stored, tokenizer, settings)
    return EmbeddedBackend(stored, tokenizer, settings)


def updated_backend(current: SearchBackend, stored: StoredIndex, settings: Settings,
                    tokenizer: Tokenizer) -> SearchBackend:
    """The backend for a new local build ``stored`` while ``current`` keeps serving the old one.

    Milvus: the collection is synced from the new build through ``current``'s open connection
    (Milvus Lite lets one client hold its folder; a sync that fails leaves the old collection
    serving and raises), and the new backend shares that connection. Embedded: a backend over
    the new build.
    """
    if isinstance(current, MilvusBackend):
        current.milvus.sync(stored, tokenizer)
        return MilvusBackend(current.milvus, stored, tokenizer, settings)
    return open_backend(stored, settings, tokenizer)

