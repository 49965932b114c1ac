"""The read path: BM25, dense and hybrid searches in the collection the alias names.

Each search returns chunk ids and scores, best first, within a filter (:mod:`index.milvus.filters`).
A collection that is not loaded (a restarted server releases it) is loaded and asked once more;
a vector search that fails on a collection of another dimension says so, naming both models.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import numpy as np
from pymilvus import AnnSearchRequest, RRFRanker, WeightedRanker

from core.errors import BackendError
from index.milvus.collection import AliasedCollection
from index.milvus.errors import REBUILD, MilvusMissingError, MilvusNotLoadedError, MilvusSchemaError
from index.milvus.schema import PROP_MODEL
from index.milvus.terms import term_id

log = logging.getLogger(__name__)


class CollectionSearch(AliasedCollection):
    """Searching: a question prepared for BM25, and BM25, dense and hybrid requests."""

    def bm25_query(self, text: str, tokenize: Callable[[str], list[str]] | None,
                   vocab: dict[str, int]) -> str | dict[int, float] | None:
        """What a sparse search sends for a question: text for Milvus's BM25 function, or (``weights``)
        the question's term counts by :func:`term_id` (words of ``vocab`` only), like the embedded BM25;
        None when nothing is left to match."""
        if self.settings.milvus_bm25 != "weights":
            prepared = self.bm25_input(text, tokenize)
            return prepared if prepared.strip() else None
        if tokenize is None:
            raise ValueError("milvus_bm25='weights' needs the app's tokenizer")
        counts: dict[int, float] = {}
        for token in tokenize(text):
            if token in vocab:  # a word no passage holds scores nothing (as in the embedded BM25)
                counts[term_id(token)] = counts.get(term_id(token), 0.0) + 1.0
        return counts or None

    # searching ------------------------------------------------------------------------------------

    def _hits(self, result: Any, score: Callable[[float], float] = float) -> tuple[list[str], list[float]]:
        hits = result[0] if result else []
        return [str(h["id"]) for h in hits], [score(h["distance"]) for h in hits]

    def _dense_params(self, k: int) -> dict[str, Any]:
        return {"metric_type": "IP", "params": {"ef": max(self.settings.milvus_hnsw_ef, k)}}

    def _search(self, what: str, request: Callable[[], Any]) -> Any:
        """Run a search; a collection not loaded (a restarted server releases it) is loaded, then asked again."""
        try:
            with self._requests(what):
                return request()
        except MilvusNotLoadedError:
            log.warning("Milvus 集合未载入（%s），载入后重试一次", what)
            name = self.live_collection()
            if name is None:
                raise MilvusMissingError(f"Milvus（{self.uri}）中没有别名为 {self.alias} 的集合（{what}）："
                                         f"请运行 {REBUILD} 重新同步。") from None
            self.ensure_loaded(name)
            with self._requests(what):
                return request()

    def dimension_error(self, dim: int) -> BackendError | None:
        """The error naming both sizes when the live collection's vectors are not ``dim``-dimensional, else None."""
        try:
            name = self.live_collection()
            if name is None:
                return None
            with self._requests(f"读取集合 {name} 的结构"):
                info = self.client.describe_collection(name, timeout=self.settings.milvus_search_timeout)
        except BackendError:
            return None
        dense = [f for f in info.get("fields", []) if f["name"] == "dense"]
        built = int(dense[0].get("params", {}).get("dim", 0)) if dense else 0
        if not built or built == dim:
            return None
        model = (info.get("properties") or {}).get(PROP_MODEL) or "未记录"
        return MilvusSchemaError(f"Milvus 集合 {name} 的向量是 {built} 维（模型 {model}），"
                                 f"而本程序的问题向量是 {dim} 维（模型 {self.settings.model}）："
                                 f"请用本程序的模型运行 {REBUILD} 重新同步。")

    def _vector_search(self, what: str, vector: np.ndarray, request: Callable[[], Any]) -> Any:
        """A search with a question vector: a failure from a dimension mismatch is reported as such."""
        try:
            return self._search(what, request)
        except BackendError as error:
            raise self.dimension_error(len(vector)) or error from None

    def sparse(self, query: str | dict[int, float] | None, k: int, expr: str = "") -> tuple[list[str], list[float]]:
        """BM25 top ``k`` ids and scores for a prepared question (:meth:`bm25_query`) within ``expr``.

        Milvus Lite returns ``-score`` as the distance of a plain BM25 search, a server ``+score``;
        a BM25 score is never negative, so its absolute value is right on both.
        """
        if not query:
            return [], []
        result = self._search("BM25 检索", lambda: self.client.search(
            self.alias, data=[query], anns_field="sparse", limit=k, filter=expr, output_fields=["id"],
            search_params={"metric_type": self.sparse_metric}, timeout=self.settings.milvus_search_timeout))
        return self._hits(result, lambda d: abs(float(d)))

    def dense(self, vector: np.ndarray, k: int, expr: str = "") -> tuple[list[str], list[float]]:
        """Inner product (cosine for unit vectors) top ``k`` ids and scores within ``expr``."""
        result = self._vector_search("向量检索", vector, lambda: self.client.search(
            self.alias, data=[np.asarray(vector, dtype=np.float32).tolist()], anns_field="dense", limit=k,
            filter=expr, output_fields=["id"], search_params=self._dense_params(k),
            timeout=self.settings.milvus_search_timeout))
        return self._hits(result)

    def hybrid(self, query: str | dict[int, float], vector: np.ndarray, k: int, expr: str = ""
               ) -> tuple[list[str], list[float]]:
        """BM25 and dense fused by Milvus in one request.

        ``WeightedRanker(1 − dense_weight, dense_weight)`` when ``fusion`` is weighted: Milvus maps each
        score through a fixed arctan curve, not the app's per-question min-max, so the same weights
        rank differently. ``RRFRanker(rrf_k)`` when ``fusion`` is rrf (unweighted).
        """
        s = self.settings
        searches = [
            AnnSearchRequest(data=[query], anns_field="sparse", param={"metric_type": self.sparse_metric}, limit=k,
                             expr=expr or None),
            AnnSearchRequest(data=[np.asarray(vector, dtype=np.float32).tolist()], anns_field="dense",
                             param=self._dense_params(k), limit=k, expr=expr or None),
        ]
        ranker = (WeightedRanker(1 - s.dense_weight, s.dense_weight, norm_score=True) if s.fusion == "weighted"
                  else RRFRanker(s.rrf_k))
        result = self._vector_search("混合检索", vector, lambda: self.client.hybrid_search(
            self.alias, searches, ranker, limit=k, output_fields=["id"], timeout=s.milvus_search_timeout))
        return self._hits(result)
