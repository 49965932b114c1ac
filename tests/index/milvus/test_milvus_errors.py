"""Milvus failures in Chinese, naming what to do: a collection dropped behind the app, a damaged Lite data file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.milvus import open_milvus
from index.milvus.errors import MilvusDamagedError, MilvusMissingError
from index.store import load_index
from tests.helpers import english_words


def test_a_collection_dropped_behind_the_app_names_the_build_command(synced, milvus, tokenizer):
    milvus.client.drop_collection(milvus.live_collection())
    with pytest.raises(MilvusMissingError, match="已不存在.*请运行 python -m index build --backend milvus") as caught:
        milvus.dense(synced.embeddings[0], 5)
    assert not english_words(str(caught.value), milvus.uri)


def test_a_damaged_lite_data_file_says_to_delete_the_folder_and_sync(settings, tokenizer):
    stored = load_index(settings.index_dir)
    open_milvus(stored, settings, tokenizer).close()
    data = list(Path(settings.milvus_uri).glob("collections/reportqa_*/partitions/*/data/*.parquet"))
    assert data
    data[0].write_bytes(b"these bytes are not a parquet file at all")
    with pytest.raises(MilvusDamagedError, match=f"本地向量库 {re.escape(settings.milvus_uri)} 已损坏.*"
                                                    "请删除这个文件夹后运行 python -m index build --backend milvus.*"
                                                    "报告和本机索引不受影响") as caught:
        open_milvus(stored, settings, tokenizer)
    assert not english_words(str(caught.value), settings.milvus_uri)
