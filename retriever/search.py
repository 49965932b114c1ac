"""Hybrid search over a built index: BM25, dense, or both fused; duplicates collapsed.

The retriever is handed a loaded index and the backend that searches it, and
never builds or syncs either (see :func:`retriever.answer.service.open_retriever`
for the usual way to get both). Its BM25 and dense candidate lists come from that
backend (:mod:`retriever.backends`: the local BM25 and FAISS, or a Milvus collection);
the best-sentence list, fusion, filters and duplicate collapsing are done here,
the same for every backend.

Usage::

    stored = load_index(settings.index_dir)
    retriever = Retriever(stored, settings, open_backend(stored, settings))
    hits = retriever.search("哪些社区办公用房不达标", k=5)
    hits[0].report_title, hits[0].line_start, hits[0].duplicates
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np

from core.errors import ConfigError
from core.settings import MODES, Settings
from index.query_encoder import QueryEncoder, load_query_encoder
from index.store import StoredIndex
from index.text.dedup import says_less
from retriever.backends import Scope, SearchBackend
from retriever.fuse import Joiner
from retriever.hits import Hit
from retriever.query import quoted_terms
from retriever.rerank import Reranker


@dataclass(frozen=True)
class Explanation:
    """The three scores behind a hybrid hit: BM25, the passage's cosine, its best sentence's cosine."""

    bm25: float
    cosine: float
    best_sentence: float


class Retriever:
    """Search one loaded index with the configured tokenizer, encoder, backend and fusion.

    ``backend``: where the BM25 and dense lists come from, opened by the caller over the same
    build (:func:`retriever.backends.open_backend`); its tokenizer is the retriever's.
    """

    def __init__(self, stored: StoredIndex, settings: Settings, backend: SearchBackend,
                 encoder: QueryEncoder | None = None) -> None:
        self.stored = stored
        self.settings = settings
        self.chunks = stored.chunks
        self.backend = backend
        self.tokenizer = backend.tokenizer
        self.encoder = encoder or load_query_encoder(stored.manifest.model, num_threads=settings.threads)
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self.reranker = Reranker(settings.reranker) if settings.reranker else None
        spans = stored.sentence_spans
        self.first_sentence = np.searchsorted(spans[:, 0], np.arange(len(self.chunks) + 1)) if len(spans) else \
            np.zeros(len(self.chunks) + 1, dtype=np.int64)
        index_of = {c.id: i for i, c in enumerate(self.chunks)}
        self.canonical = np.array(
            [index_of.get(c.duplicate_of or c.id, i) for i, c in enumerate(self.chunks)], dtype=np.int64
        )
        self.group: dict[int, list[int]] = {}
        for i, root in enumerate(self.canonical):
            self.group.setdefault(int(root), []).append(i)
        # A passage that says what its group's most complete passage says, or less (a collection's copy of a
        # report, placeholders aside, or one that lost characters: 格化管理 for 网格化管理), is shown as that
        # one, so one report is cited and its whole text quoted; a near-duplicate that says something else
        # (another community's name) is shown as itself when it ranks first.
        self.original = np.array([
            root if root != i and says_less(c.text, self.chunks[root].text) else i
            for i, (c, root) in enumerate(zip(self.chunks, self.canonical.tolist()))], dtype=np.int64)

    def close(self) -> None:
        """Release the backend (a Milvus connection; Milvus Lite's folder lock)."""
        self.backend.close()

    def clear_cache(self) -> None:
        """Forget cached query vectors (so that timings include query encoding)."""
        self._query_vectors.clear()

    def query_vector(self, query: str) -> np.ndarray:
        """Unit-length embedding of the query's first ``settings.dense_query_chars`` characters, cached."""
        vector = self._query_vectors.get(query)
        if vector is None:
            vector = self.encoder.encode_queries([query[: self.settings.dense_query_chars]])[0]
            self._query_vectors[query] = vector
            if len(self._query_vectors) > self.settings.query_cache_size:
                self._query_vectors.popitem(last=False)
        else:
            self._query_vectors.move_to_end(query)
        return vector

    def quoted_first(self, ranked: list[tuple[int, float]], terms: list[str],
                     scope: Scope | None) -> list[tuple[int, float]]:
        """``ranked`` with the passages holding more of the quoted ``terms`` first, each group in its own order.

        A passage that holds a term but is not among the candidates (its other words matched little) joins the
        end of its group, so a quoted name the reports write is always found.
        """
        held = {row: count for row, text in enumerate(self.stored.match_texts)
                if (count := sum(term in text for term in terms)) and (scope is None or scope.mask[row])}
        if not held:
            return ranked
        listed = {row for row, _ in ranked}
        extra = [(row, 0.0) for row in held if row not in listed]
        return sorted(ranked + extra, key=lambda item: -held.get(item[0], 0))

    def ranked(self, query: str, mode: str, scope: Scope | None, candidates: int) -> list[tuple[int, float]]:
        """Chunk rows and scores, best first, before duplicate collapsing."""
        if mode == "hybrid":
            engine = self.backend.fused(query, self.query_vector(query), candidates, scope)
            if engine is not None:  # Milvus fused BM25 and dense (milvus_fusion = "server")
                return self.fuse_with_sentences(query, [engine], [1.0])
        lists = []
        if mode in ("bm25", "hybrid"):
            lists.append(self.backend.sparse(query, candidates, scope))
        if mode in ("dense", "hybrid"):
            lists.append(self.backend.dense(self.query_vector(query), candidates, scope))
        if mode != "hybrid":
            ids, scores = lists[0]
            return [(int(i), float(s)) for i, s in zip(ids, scores)]
        return self.fuse_with_sentences(query, lists, [1 - self.settings.dense_weight, self.settings.dense_weight])

    def fuse_with_sentences(self, query: str, lists: list[tuple], weights: list[float]) -> list[tuple[int, float]]:
        """``lists`` fused with their weights, plus the best-sentence list of their candidates (if configured)."""
        lists, weights = list(lists), list(weights)
        if self.settings.sentence_weight > 0 and len(self.stored.sentence_vectors):
            lists.append(self.best_sentence_ranking(query, lists))
            weights.append(self.settings.sentence_weight)
        return Joiner(self.settings.fusion, self.settings.rrf_k, weights)(lists)

    def best_sentence_ranking(self, query: str, lists: list[tuple]) -> tuple[list[int], list[float]]:
        """The candidates of ``lists`` ranked by their best sentence's cosine to the query (a third list to fuse).

        A passage that holds one sentence answering the question ranks above one that is
        about the topic throughout; the sentence vectors were stored with the index.
        """
        rows = sorted({int(i) for ids, _ in lists for i in ids})
        best = self.best_sentence_cosines(rows, self.query_vector(query))
        order = np.argsort(best, kind="stable")[::-1]
        return [rows[i] for i in order], [best[i] for i in order]

    def best_sentence_cosines(self, rows: list[int], vector: np.ndarray) -> list[float]:
        """For each passage row, the cosine of its sentence closest to the unit question ``vector`` (0 if none)."""
        best = []
        for row in rows:
            start, end = self.first_sentence[row], self.first_sentence[row + 1]
            best.append(float((self.stored.sentence_vectors[start:end] @ vector).max()) if end > start else 0.0)
        return best

    def explain(self, query: str, rows: Iterable[int]) -> list[Explanation]:
        """The scores hybrid search fuses, for each passage row: BM25, passage cosine, best sentence cosine.

        The BM25 score is the raw score of :meth:`index.bm25.BM25.get_scores` (text, section path and
        places, as indexed); the cosines are the question vector's with the passage vector and with the
        passage's closest sentence. Shown beside a hit's fused ``score`` on the search page; :meth:`search`
        itself is not affected.
        """
        rows = [int(row) for row in rows]
        if not rows:
            return []
        vector = self.query_vector(query)
        bm25 = self.stored.bm25.get_scores(self.tokenizer(query))[rows] if query.strip() else np.zeros(len(rows))
        cosine = self.stored.embeddings[rows] @ vector
        best = self.best_sentence_cosines(rows, vector)
        return [Explanation(float(b), float(c), s) for b, c, s in zip(bm25, cosine, best)]

    def search(
        self,
        query: str,
        k: int | None = None,
        mode: str | None = None,
        files: Iterable[str] | None = None,
        reports: Iterable[tuple[str, int]] | None = None,
    ) -> list[Hit]:
        """Top ``k`` passages for ``query``; each near-duplicate group appears once."""
        k = k or self.settings.top_k
        mode = mode or self.settings.mode
        if mode not in MODES:
            raise ConfigError(f"未知的检索方式 {mode!r}，可选：{', '.join(MODES)}")
        if not query.strip():
            return []
        scope = Scope.of(self.chunks, files, reports)
        final_k = k
        if self.reranker is not None:
            k = max(k, self.settings.rerank_depth)
        candidates = max(self.settings.candidates, 3 * k)
        hits: list[Hit] = []
        seen: set[int] = set()
        ranked = self.ranked(query, mode, scope, candidates)
        terms = quoted_terms(query)
        if terms:
            ranked = self.quoted_first(ranked, terms, scope)
        for row, score in ranked:
            root = int(self.canonical[row])
            if root in seen:
                continue
            seen.add(root)
            if scope is None or scope.mask[self.original[row]]:  # the original report, not a collection's copy
                row = int(self.original[row])
            chunk = self.chunks[row]
            others = [self.chunks[i] for i in self.group[root] if i != row]
            hits.append(Hit(
                **asdict(chunk.location()), rank=len(hits) + 1, score=round(score, 6), text=chunk.text,
                duplicates=[c.location() for c in others], line_starts=chunk.line_starts,
                section_starts=chunk.section_starts, index=row,
            ))
            if len(hits) == k:
                break
        if self.reranker is not None:
            hits = self.reranker(query, hits)
        return hits[:final_k]
