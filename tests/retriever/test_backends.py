"""Search backends on the real corpus: Milvus Lite (in tmp) gives the embedded backend's hits and answers.

The Milvus retriever searches a Milvus Lite folder filled from the real local build (the app
syncs Lite itself when it opens it). Hits, filters, duplicates, citations and answers are
compared with the embedded backend's; the embedded path must never import pymilvus.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from core.settings import PROJECT_ROOT, Settings
from eval.evaluate import GOLD, load_gold
from index.milvus import MilvusUnavailableError
from retriever.answer.service import AnswerService
from retriever.backends import EmbeddedBackend, MilvusBackend, Scope, open_backend
from retriever.search import Retriever
from tests.helpers import BrokenBackend

OFFICE = "哪些社区办公用房不达标"
MODES = ("bm25", "dense", "hybrid")

EMBEDDED_ONLY = """
import sys
from core.settings import Settings
from retriever.answer.service import AnswerService
service = AnswerService.open(Settings(), show_bar=False)
service.ask("社区工作者待遇怎么样")
import eval.evaluate, index.__main__
print(sorted({m.split(".")[0] for m in sys.modules} & {"pymilvus", "milvus_lite", "grpc"}))
"""


@pytest.fixture(scope="module")
def milvus_settings(retriever: Retriever, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The real index's settings with the Milvus backend on a Milvus Lite folder in tmp (sync record there too)."""
    folder = tmp_path_factory.mktemp("milvus")
    return retriever.settings.override(backend="milvus", milvus_uri=str(folder / "milvus.db"), index_dir=folder)


@pytest.fixture(scope="module")
def on_milvus(retriever: Retriever, milvus_settings: Settings):
    """A retriever over the real local build whose BM25 and dense lists come from Milvus Lite."""
    searcher = Retriever(retriever.stored, milvus_settings, open_backend(retriever.stored, milvus_settings),
                         retriever.encoder)
    yield searcher
    searcher.close()


def roots(retriever: Retriever, hits) -> list[int]:
    """The near-duplicate group of each hit."""
    return [int(retriever.canonical[h.index]) for h in hits]


def test_the_embedded_path_never_imports_pymilvus():
    run = subprocess.run([sys.executable, "-c", EMBEDDED_ONLY], cwd=PROJECT_ROOT, capture_output=True, text=True,
                         timeout=300, check=True)
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_backends_are_chosen_in_one_place(retriever, on_milvus):
    assert isinstance(retriever.backend, EmbeddedBackend) and isinstance(on_milvus.backend, MilvusBackend)
    embedded = open_backend(retriever.stored, Settings(), retriever.tokenizer)
    assert isinstance(embedded, EmbeddedBackend)


def test_same_hits_as_embedded_in_every_mode(retriever, on_milvus):
    questions = [g.question for g in load_gold(GOLD) if g.evidence][::5]
    for question in questions:
        for mode in MODES:
            expected = retriever.search(question, k=10, mode=mode)
            got = on_milvus.search(question, k=10, mode=mode)
            assert roots(on_milvus, got) == roots(retriever, expected), (question, mode)
            # BM25 and cosine scores agree to float32; fused scores move a little when the 100th candidate of a
            # list (its min-max floor) differs between exact FAISS and Milvus's HNSW or among tied scores.
            tolerance = {"atol": 0.01} if mode == "hybrid" else {"rtol": 1e-4, "atol": 1e-5}
            np.testing.assert_allclose([h.score for h in got], [h.score for h in expected], **tolerance)


def test_filters_by_file_and_report(retriever, on_milvus):
    name = next(c.file for c in retriever.chunks if c.file.startswith("002"))
    for mode in MODES:
        hits = on_milvus.search("法治宣传", k=5, mode=mode, files=[name])
        assert hits and all(h.file == name for h in hits)
        assert [h.id for h in hits] == [h.id for h in retriever.search("法治宣传", k=5, mode=mode, files=[name])]
        hits = on_milvus.search("法治宣传", k=5, mode=mode, reports=[(name, 2)])
        assert hits and all((h.file, h.report) == (name, 2) for h in hits)
    assert on_milvus.search("法治宣传", k=5, files=["没有这个文件.txt"]) == []


def test_near_duplicates_shown_once_with_their_other_places(on_milvus):
    hits = on_milvus.search("管辖面积最大的是南城街道桐梓社区", k=10)
    top = hits[0]
    assert "桐梓社区" in top.text and top.report in (1, 4)
    assert {(d.file, d.report) for d in top.duplicates} == {(top.file, 5 - top.report)}
    assert len(set(roots(on_milvus, hits))) == len(hits)


def test_answers_and_citations_are_the_same(retriever, on_milvus):
    for question in (OFFICE, "社区工作者待遇怎么样"):
        expected = AnswerService(retriever).ask(question)
        got = AnswerService(on_milvus).ask(question)
        assert got.text == expected.text and got.found == expected.found
        assert [c.source_line() for c in got.citations] == [c.source_line() for c in expected.citations]


def test_engine_fusion_and_milvus_bm25_variants_still_find_the_office_passages(retriever, milvus_settings):
    variants = [milvus_settings.override(milvus_fusion="server"),
                milvus_settings.override(milvus_fusion="server", fusion="rrf"),
                milvus_settings.override(milvus_bm25="app", milvus_collection="reportqa_app"),
                milvus_settings.override(milvus_bm25="jieba", milvus_collection="reportqa_jieba")]
    for settings in variants:
        searcher = Retriever(retriever.stored, settings, open_backend(retriever.stored, settings), retriever.encoder)
        try:
            hits = searcher.search(OFFICE, k=5, mode="hybrid")
            top5 = "\n".join(h.text for h in hits)
            assert "截山社区办公用房仅144平方米" in top5, settings
            assert [h.rank for h in hits] == [1, 2, 3, 4, 5]
            assert searcher.search("的", mode="bm25") == []  # only a stopword: no BM25 candidates
        finally:
            searcher.close()


def test_unknown_ids_and_rows_outside_the_scope_are_dropped(retriever, on_milvus):
    backend = on_milvus.backend
    first, second = retriever.chunks[0], next(c for c in retriever.chunks if c.file != retriever.chunks[0].file)
    rows, scores = backend._ranked(["not-a-chunk", first.id, second.id], [3.0, 2.0, 1.0], None)
    assert rows.tolist() == [0, retriever.chunks.index(second)] and scores.tolist() == [2.0, 1.0]
    scope = Scope.of(retriever.chunks, files=[first.file])
    assert backend._ranked([first.id, second.id], [2.0, 1.0], scope)[0].tolist() == [0]


def test_unreachable_server_is_reported_in_chinese(retriever):
    settings = retriever.settings.override(backend="milvus", milvus_uri="http://127.0.0.1:1")
    with pytest.raises(MilvusUnavailableError, match="无法连接 Milvus 服务器"):
        open_backend(retriever.stored, settings)


def test_a_backend_failure_mid_session_becomes_a_notice(retriever):
    broken = Retriever(retriever.stored, retriever.settings,
                       BrokenBackend(retriever.stored, retriever.tokenizer, retriever.settings), retriever.encoder)
    reply = AnswerService(broken).ask(OFFICE)
    assert not reply.found and not reply.citations and reply.unavailable
    assert reply.text.startswith("检索服务暂时不可用") and "连接中断" in reply.text
