"""Retriever.explain: the BM25 and cosine scores behind a hit, for the search page, without changing search()."""

from __future__ import annotations

import pytest

QUESTION = "社区办公用房面积不达标"


def test_explain_gives_the_scores_each_single_mode_ranks_by(retriever):
    bm25_hits = retriever.search(QUESTION, k=5, mode="bm25")
    for hit, scores in zip(bm25_hits, retriever.explain(QUESTION, [h.index for h in bm25_hits])):
        assert scores.bm25 == pytest.approx(hit.score, abs=1e-5)
    dense_hits = retriever.search(QUESTION, k=5, mode="dense")
    for hit, scores in zip(dense_hits, retriever.explain(QUESTION, [h.index for h in dense_hits])):
        assert scores.cosine == pytest.approx(hit.score, abs=1e-4)
    bm25 = [s.bm25 for s in retriever.explain(QUESTION, [h.index for h in bm25_hits])]
    assert bm25 == sorted(bm25, reverse=True)


def test_explain_gives_the_best_sentence_cosine_the_third_list_ranks_by(retriever):
    hits = retriever.search(QUESTION, k=10)
    vector = retriever.query_vector(QUESTION)
    for hit, scores in zip(hits, retriever.explain(QUESTION, [h.index for h in hits])):
        rows = range(retriever.first_sentence[hit.index], retriever.first_sentence[hit.index + 1])
        closest = max(float(retriever.stored.sentence_vectors[row] @ vector) for row in rows)
        assert scores.best_sentence == pytest.approx(closest, abs=1e-6)


def test_explain_does_not_change_hybrid_search(retriever):
    before = retriever.search(QUESTION, k=10)
    scores = retriever.explain(QUESTION, [h.index for h in before])
    assert len(scores) == 10 and all(s.bm25 >= 0 and -1 <= s.cosine <= 1 for s in scores)
    assert retriever.search(QUESTION, k=10) == before
    assert retriever.explain(QUESTION, []) == []
    unrelated = retriever.explain("量子芯片", [before[0].index])[0]
    assert unrelated.bm25 == 0.0 and unrelated.cosine < scores[0].cosine
