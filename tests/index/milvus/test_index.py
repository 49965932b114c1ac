"""open_milvus, the app's way in: a missing collection is an error on a server and synced by the app on Milvus Lite."""

from __future__ import annotations

import pytest

from index.milvus import open_milvus
from index.milvus.errors import MilvusMissingError
from index.store import load_index


def test_missing_collection_is_an_error_on_a_server_and_synced_on_lite(settings, tokenizer):
    stored = load_index(settings.index_dir)
    with pytest.raises(MilvusMissingError, match="没有别名为 reportqa 的集合.*python -m index build --backend milvus"):
        open_milvus(stored, settings, tokenizer, sync=False)  # how a server behaves
    milvus = open_milvus(stored, settings, tokenizer)  # Milvus Lite: the app syncs by itself
    try:
        assert milvus.status(stored).ok
    finally:
        milvus.close()
