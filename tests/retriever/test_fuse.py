"""The Joiner that fuses BM25 and dense rankings: RRF and weighted, by hand, then on the real index."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import ConfigError
from retriever.fuse import Joiner

BM25_LIST = ([3, 1, 5], [9.0, 4.0, 1.0])
DENSE_LIST = ([1, 7], [0.8, 0.5])


def test_rrf_sums_weight_over_k_plus_rank():
    fused = Joiner("rrf", rrf_k=60)([BM25_LIST, DENSE_LIST])
    assert [doc for doc, _ in fused] == [1, 3, 7, 5]
    assert [score for _, score in fused] == pytest.approx([1 / 62 + 1 / 61, 1 / 61, 1 / 62, 1 / 63])


def test_rrf_ignores_the_scale_of_the_scores():
    scaled = ([3, 1, 5], [900.0, 0.4, -7.0])
    assert Joiner("rrf")([scaled, DENSE_LIST]) == Joiner("rrf")([BM25_LIST, DENSE_LIST])


def test_weighted_min_max_normalises_each_list_then_sums():
    fused = Joiner("weighted", weights=[0.6, 0.4])([BM25_LIST, DENSE_LIST])
    # BM25 9, 4, 1 → 1, 0.375, 0; dense 0.8, 0.5 → 1, 0.
    assert [doc for doc, _ in fused] == [1, 3, 5, 7]
    assert [score for _, score in fused] == pytest.approx([0.6 * 0.375 + 0.4, 0.6, 0.0, 0.0])


def test_equal_scores_in_a_list_all_count_as_best():
    fused = Joiner("weighted")([([4, 2, 9], [0.5, 0.5, 0.5])])
    assert fused == [(4, 1.0), (2, 1.0), (9, 1.0)]


@pytest.mark.parametrize("method", ["rrf", "weighted"])
def test_empty_lists_give_an_empty_ranking(method):
    assert Joiner(method)([]) == []
    assert Joiner(method)([([], []), ([], [])]) == []
    assert Joiner(method, weights=[0.5, 0.5])([([], []), DENSE_LIST]) == Joiner(method, weights=[0.5])([DENSE_LIST])


def test_a_single_list_keeps_its_order():
    ids, scores = BM25_LIST
    assert [doc for doc, _ in Joiner("rrf")([BM25_LIST])] == ids
    assert Joiner("weighted")([BM25_LIST]) == [(3, 1.0), (1, 0.375), (5, 0.0)]
    assert [score for _, score in Joiner("rrf", rrf_k=10)([BM25_LIST])] == pytest.approx([1 / 11, 1 / 12, 1 / 13])


@pytest.mark.parametrize("method", ["rrf", "weighted"])
def test_ties_keep_the_order_of_first_appearance(method):
    joiner = Joiner(method)
    swapped = [([10, 20], [2.0, 1.0]), ([20, 10], [2.0, 1.0])]  # each is first once: equal fused scores
    fused = joiner(swapped)
    assert fused[0][1] == fused[1][1]
    assert [doc for doc, _ in fused] == [10, 20]
    assert [doc for doc, _ in joiner(swapped[::-1])] == [20, 10]


@pytest.mark.parametrize("method", ["rrf", "weighted"])
def test_weight_one_on_dense_gives_the_dense_order(method):
    bm25 = ([3, 1, 5, 8], [9.0, 4.0, 2.0, 1.0])
    dense = ([7, 5, 1, 2, 3], [0.9, 0.8, 0.7, 0.6, 0.5])
    fused = Joiner(method, weights=[0.0, 1.0])([bm25, dense])
    positive = [doc for doc, score in fused if score > 0]
    # Min-max maps the last dense score to 0 as well, where it ties with the BM25-only passages.
    assert positive == (dense[0] if method == "rrf" else dense[0][:-1])
    assert dict(fused)[8] == 0.0
    fused = Joiner(method, weights=[1.0, 0.0])([bm25, dense])
    assert [doc for doc, score in fused if score > 0] == (bm25[0] if method == "rrf" else bm25[0][:-1])


def test_numpy_inputs_as_the_retriever_passes_them():
    lists = [(np.array(ids, dtype=np.int64), np.array(scores)) for ids, scores in (BM25_LIST, DENSE_LIST)]
    fused = Joiner("weighted", weights=[0.6, 0.4])(lists)
    assert fused == Joiner("weighted", weights=[0.6, 0.4])([BM25_LIST, DENSE_LIST])
    assert all(type(doc) is int and type(score) is float for doc, score in fused)


def test_unknown_method_is_a_config_error():
    with pytest.raises(ConfigError, match="未知的融合方式 'max'，可选：rrf, weighted"):
        Joiner("max")


@pytest.mark.parametrize("method", ["rrf", "weighted"])
def test_real_rankings_with_all_weight_on_one_side_keep_that_sides_order(retriever, method):
    """The BM25 and dense candidate lists of a real question, as the retriever makes them, fused."""
    from index.dense import search_faiss

    question = "社区工作者待遇怎么样"
    bm25 = retriever.stored.bm25.top_k(retriever.tokenizer(question), 50)
    dense = search_faiss(retriever.stored.faiss_index, retriever.query_vector(question), 50)
    assert len(bm25[0]) == len(dense[0]) == 50 and set(bm25[0]) != set(dense[0])
    last = None if method == "rrf" else -1  # min-max puts a list's last score at 0
    for weights, (ids, scores) in (([0.0, 1.0], dense), ([1.0, 0.0], bm25)):
        fused = Joiner(method, weights=weights)([bm25, dense])
        assert len(fused) == len(set(bm25[0]) | set(dense[0]))
        ranked = [doc for doc, score in fused if score > 0]
        if method == "rrf":
            assert ranked == ids.tolist()
        else:  # the same order, except that passages of equal score (duplicates) keep their first appearance
            side_score = dict(zip(ids.tolist(), scores.tolist()))
            assert set(ranked) == set(ids[:last].tolist())
            assert [side_score[doc] for doc in ranked] == scores[:last].tolist()
    mixed = [doc for doc, _ in Joiner(method, weights=[0.6, 0.4])([bm25, dense])]
    assert mixed[:10] != dense[0][:10].tolist() and mixed[:10] != bm25[0][:10].tolist()
