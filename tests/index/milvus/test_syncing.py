"""Sync from the local build: schema and version properties, new collection and alias switch or in place,
incremental changes and removals, a failed sync, and the build command's report.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import BackendError
from index.__main__ import main
from index.build import build_index
from index.milvus import MilvusIndex
from index.milvus.schema import (
    PROP_CONTENT,
    PROP_FINGERPRINT,
    PROP_LOCAL_BUILD,
    PROP_SCHEMA,
    PROP_TERM_IDS,
    SCHEMA_VERSION,
)
from index.milvus.status import SYNC_RECORD
from index.milvus.terms import TERM_IDS
from index.store import load_index
from tests.helpers import (
    ADDED_SECTION,
    FILE_000,
    REFUSED_ADDRESS,
    change_corpus,
    milvus_build_args,
    milvus_search_ids,
)


def test_sync_writes_one_row_per_chunk_with_schema_version_and_citation_fields(milvus, settings, tokenizer):
    stored = load_index(settings.index_dir)
    report = milvus.sync(stored, tokenizer)
    n = len(stored.chunks)
    assert (report.mode, report.added, report.written, report.previous) == ("switch", n, n, None)
    name = milvus.live_collection()
    assert name == report.collection and name.startswith("reportqa_")
    props = milvus.properties(name)
    assert props[PROP_SCHEMA] == str(SCHEMA_VERSION) and props[PROP_FINGERPRINT] == milvus.fingerprint(stored)
    assert props[PROP_CONTENT] == report.content and props[PROP_LOCAL_BUILD] == stored.path.name
    info = milvus.client.describe_collection(name)
    assert info["consistency_level"] == 0  # Strong
    assert {f["name"] for f in info["fields"]} >= {"id", "text", "bm25_text", "sparse", "dense", "file", "report",
                                                    "report_title", "section_path", "line_start", "line_end",
                                                    "duplicate_of", "embed_key", "row_hash"}
    dense = milvus.client.describe_index(name, "dense")
    assert (dense["index_type"], dense["metric_type"]) == ("HNSW", "IP")
    assert dense["params"] == {"M": 16, "efConstruction": 200}  # the settings reached Lite (nested form)
    assert milvus.client.describe_index(name, "sparse")["metric_type"] == "IP"  # milvus_bm25 = "weights"
    chunk = stored.chunks[3]
    row = milvus.client.get(milvus.alias, ids=[chunk.id], output_fields=[
        "file", "report", "report_title", "section_path", "line_start", "line_end", "duplicate_of", "dense"])[0]
    assert (row["file"], row["report"], row["report_title"], list(row["section_path"]), row["line_start"],
            row["line_end"], row["duplicate_of"]) == (chunk.file, chunk.report, chunk.report_title,
                                                     chunk.section_path, chunk.line_start, chunk.line_end, None)
    np.testing.assert_allclose(row["dense"], stored.embeddings[3], atol=1e-6)  # the local vector, not re-embedded
    assert milvus.status(stored).ok and milvus.count() == n
    assert (settings.index_dir / SYNC_RECORD).is_file()
    again = milvus.sync(stored, tokenizer)
    assert (again.written, again.deleted, again.unchanged, again.collection) == (0, 0, n, name)
    assert "已与本机索引一致" in again.text()
    forced = milvus.sync(stored, tokenizer, force=True)  # python -m index build --rebuild
    assert forced.written == n and forced.collection != name and milvus.live_collection() == forced.collection


def test_term_ids_mean_the_same_term_in_every_build(milvus, settings, synced, tokenizer):
    """An app still holding build A asks a collection synced from build B: the BM25 scores are B's own."""
    question = "城市社区建设工作 办公用房 社区居委会"
    (settings.corpus / FILE_000).unlink()  # the first file's words go: every later word is renumbered
    build_index(settings, show_bar=False)
    after = load_index(settings.index_dir)
    words = [w for w in tokenizer(question) if w in synced.bm25.vocab and w in after.bm25.vocab]
    assert any(synced.bm25.vocab[w] != after.bm25.vocab[w] for w in words)  # vocab places moved
    milvus.sync(after, tokenizer)
    ids, scores = milvus.sparse(milvus.bm25_query(question, tokenizer, synced.bm25.vocab), 10)  # A's vocabulary
    rows, expected = after.bm25.top_k(words, 10)
    assert ids == [after.chunks[r].id for r in rows]
    np.testing.assert_allclose(scores, expected, rtol=1e-5)
    assert milvus.properties(milvus.live_collection())[PROP_TERM_IDS] == TERM_IDS


@pytest.mark.parametrize("mode", ["switch", "in-place"])
def test_incremental_change_and_removal(milvus, settings, synced, tokenizer, mode):
    before, first = synced, milvus.live_collection()
    change_corpus(settings)
    build = build_index(settings, show_bar=False)  # the local build re-embeds only the new passage
    assert build.embedded <= 2
    after = load_index(settings.index_dir)
    assert not milvus.status(after).ok and milvus.status(after).state == "content"
    report = milvus.sync(after, tokenizer, mode=mode)
    removed = {c.id for c in before.chunks} - {c.id for c in after.chunks}
    added = {c.id for c in after.chunks} - {c.id for c in before.chunks}
    assert (report.added, report.removed) == (len(added), len(removed)) and removed and added
    assert milvus.count() == len(after.chunks) and milvus.status(after).ok
    assert milvus.client.get(milvus.alias, ids=sorted(removed)) == []
    assert set(milvus_search_ids(milvus, after, tokenizer, "养老服务站")) & added
    assert milvus_search_ids(milvus, after, tokenizer, "撤地设市") == []  # only in the removed file
    if mode == "switch":
        assert report.collection != first and first not in milvus.client.list_collections()
        assert report.written == len(after.chunks)
    else:  # the same collection; every row rewritten here because the BM25 weights depend on the whole corpus
        assert report.collection == first and report.deleted == len(removed)
        assert report.written == report.added + report.changed


def test_in_place_sync_of_app_tokens_writes_only_changed_rows(settings, tokenizer):
    app = settings.override(milvus_bm25="app", milvus_sync="in-place")
    milvus = MilvusIndex.connect(app, create=True)
    try:
        milvus.sync(load_index(app.index_dir), tokenizer)
        path = app.corpus / FILE_000
        path.write_text(path.read_text(encoding="utf-8") + ADDED_SECTION, encoding="utf-8")
        build_index(app, show_bar=False)
        after = load_index(app.index_dir)
        report = milvus.sync(after, tokenizer)
        assert report.mode == "in-place" and 1 <= report.written <= 2 < report.unchanged
        assert report.written == report.added + report.changed and report.deleted == report.removed
        ids = milvus_search_ids(milvus, after, tokenizer, "养老服务站")
        assert ids and all(i in {c.id for c in after.chunks} for i in ids)
    finally:
        milvus.close()


def test_failed_sync_leaves_the_previous_collection_serving(milvus, settings, synced, tokenizer, monkeypatch):
    live, collections = milvus.live_collection(), set(milvus.client.list_collections())
    change_corpus(settings)
    build_index(settings, show_bar=False)

    def broken(*args, **kwargs):
        raise BackendError("写入时连接中断（模拟）")

    monkeypatch.setattr(milvus, "_write", broken)
    with pytest.raises(BackendError, match=f"同步到 Milvus 失败，原集合 {live} 仍在使用"):
        milvus.sync(load_index(settings.index_dir), tokenizer)
    assert milvus.live_collection() == live and set(milvus.client.list_collections()) == collections
    assert milvus.status(synced).ok  # still the previous build's rows
    assert milvus_search_ids(milvus, synced, tokenizer, "撤地设市")


def test_build_command_syncs_and_reports_in_chinese(settings, capsys):
    assert main(milvus_build_args(settings)) == 0
    out = capsys.readouterr().out
    assert "已同步到 Milvus（新集合并切换别名）" in out and "新增 17" in out
    assert main(milvus_build_args(settings)) == 0
    assert "已与本机索引一致" in capsys.readouterr().out


def test_build_command_against_a_refused_server_prints_one_line(settings, capsys):
    assert main(milvus_build_args(settings.override(milvus_uri=REFUSED_ADDRESS))) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：无法连接 Milvus 服务器 http://127.0.0.1:1") and "Traceback" not in err
