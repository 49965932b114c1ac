"""Retriever.explain: the BM25 and cosine scores behind a hit, for the search page, without changing search()."""

from __future__ import annotations

import pytest

QUESTION = "社区办公用房面积不达标"


def test_explain_gives_the_scores_each_single_mode_ranks_by(retriever):
    bm25_hits = retriever.search(QUESTION, k=5, mode="bm25")
    for hit, (bm25, _) in zip(bm25_hits, retriever.explain(QUESTION, [h.index for h in bm25_hits])):
        assert bm25 == pytest.approx(hit.score, abs=1e-5)
    dense_hits = retriever.search(QUESTION, k=5, mode="dense")
    for hit, (_, cosine) in zip(dense_hits, retriever.explain(QUESTION, [h.index for h in dense_hits])):
        assert cosine == pytest.approx(hit.score, abs=1e-4)
    scores = retriever.explain(QUESTION, [h.index for h in bm25_hits])
    assert [b for b, _ in scores] == sorted((b for b, _ in scores), reverse=True)


def test_explain_does_not_change_hybrid_search(retriever):
    before = retriever.search(QUESTION, k=10)
    scores = retriever.explain(QUESTION, [h.index for h in before])
    assert len(scores) == 10 and all(b >= 0 and -1 <= c <= 1 for b, c in scores)
    assert retriever.search(QUESTION, k=10) == before
    assert retriever.explain(QUESTION, []) == []
    unrelated = retriever.explain("量子芯片", [before[0].index])[0]
    assert unrelated[0] == 0.0 and unrelated[1] < scores[0][1]
