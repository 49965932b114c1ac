"""Optional cross-encoder reranking of the top passages (off unless a model is configured).

No Chinese cross-encoder ships with its weights on PyPI, so the default is
off; set ``REPORTQA_RERANKER`` to a local sentence-transformers CrossEncoder
folder (e.g. a downloaded ``BAAI/bge-reranker-base``) to enable it.

Usage::

    reranker = Reranker("/models/bge-reranker-base")
    hits = reranker(question, hits)
"""

from __future__ import annotations

from dataclasses import replace

from core.errors import EncoderLoadError
from index.models import prepare_runtime
from retriever.hits import Hit


class Reranker:
    """Re-order hits by a cross-encoder's relevance score for (question, passage)."""

    def __init__(self, model: str) -> None:
        prepare_runtime()
        # Imported here: torch is loaded only when reranking is switched on.
        from sentence_transformers import CrossEncoder

        try:
            self.model = CrossEncoder(model, device="cpu")
        except Exception as error:  # the hub/transformers raise many kinds
            raise EncoderLoadError(
                f"无法加载重排序模型 '{model}'：请给出本机 CrossEncoder 模型文件夹，或不设置 REPORTQA_RERANKER。"
                f"（{type(error).__name__}）"
            ) from error

    def __call__(self, question: str, hits: list[Hit]) -> list[Hit]:
        """The same hits, best cross-encoder score first, renumbered, scores replaced."""
        if not hits:
            return hits
        scores = self.model.predict([(question, hit.text) for hit in hits], show_progress_bar=False)
        order = sorted(range(len(hits)), key=lambda i: -float(scores[i]))
        return [replace(hits[i], rank=rank, score=round(float(scores[i]), 6)) for rank, i in enumerate(order, 1)]
