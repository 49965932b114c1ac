"""The live collection against the local build: another term id scheme, old schema, other settings, stale or lost rows.

On a server (``sync=False``) each is an error naming the build command; on Milvus Lite the app re-syncs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from index.__main__ import main
from index.build import build_index
from index.milvus import open_milvus
from index.milvus.errors import MilvusSchemaError, MilvusStaleError
from index.milvus.schema import PROP_SCHEMA, PROP_TERM_IDS
from index.store import load_index
from tests.helpers import change_corpus, milvus_build_args, milvus_search_ids


def test_a_collection_with_vocabulary_place_term_ids_is_rebuilt(milvus, settings, synced, tokenizer):
    old = milvus.live_collection()
    milvus.client.alter_collection_properties(old, properties={PROP_TERM_IDS: "vocab"})
    with pytest.raises(MilvusSchemaError, match="BM25 词编号方式（vocab）与程序（crc32）不同.*python -m index build"):
        open_milvus(synced, settings, tokenizer, sync=False)
    report = milvus.sync(synced, tokenizer, mode="in-place")
    assert report.mode == "switch" and report.collection != old and milvus.status(synced).ok


def test_old_schema_and_stale_content_are_reported(milvus, settings, synced, tokenizer):
    with pytest.raises(MilvusSchemaError, match="设置与当前设置不同"):
        open_milvus(synced, settings.override(milvus_hnsw_m=8), tokenizer, sync=False)
    milvus.client.alter_collection_properties(milvus.live_collection(), properties={PROP_SCHEMA: "0"})
    with pytest.raises(MilvusSchemaError, match="结构版本为 0，程序需要版本 1，需要重建"):
        open_milvus(synced, settings, tokenizer, sync=False)
    milvus.sync(synced, tokenizer)  # rebuilds the old collection
    change_corpus(settings)
    build_index(settings, show_bar=False)
    with pytest.raises(MilvusStaleError, match="与本机索引.*不一致"):
        open_milvus(load_index(settings.index_dir), settings, tokenizer, sync=False)


def damage_lite_manifest(settings: Settings) -> None:
    """Overwrite the live collection's manifest in the (closed) Lite folder: Lite then reopens it empty."""
    manifests = list(Path(settings.milvus_uri).glob("collections/reportqa_*/manifest.json"))
    assert len(manifests) == 1
    manifests[0].write_text("xx\n", encoding="utf-8")


def test_a_damaged_lite_collection_is_not_taken_as_complete(settings, tokenizer, capsys):
    stored = load_index(settings.index_dir)
    open_milvus(stored, settings, tokenizer).close()
    damage_lite_manifest(settings)
    with pytest.raises(MilvusStaleError, match=f"只有 0 行，而本机索引有 {len(stored.chunks)} 个片段.*"
                                               "python -m index build --backend milvus"):
        open_milvus(stored, settings, tokenizer, sync=False)  # how a server behaves
    assert main(milvus_build_args(settings)) == 0  # the build command rewrites it (it said 已一致 before)
    assert "已同步到 Milvus（新集合并切换别名）" in capsys.readouterr().out
    damage_lite_manifest(settings)
    milvus = open_milvus(stored, settings, tokenizer)  # the app on Lite re-syncs by itself
    try:
        assert milvus.count() == len(stored.chunks) and milvus.status(stored).ok
        assert milvus_search_ids(milvus, stored, tokenizer, "撤地设市")
    finally:
        milvus.close()
