"""Index updates in the background: built incrementally, swapped in when complete, a failure keeps the old index.

Real builds on a copy of the small real-slices index (``slices_index``); each update embeds only what changed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

import office.updater
from core.errors import BackendError
from office.live import LiveService
from office.updater import IndexUpdater
from retriever.answer.service import AnswerService
from tests.helpers import NEW_REPORT, copy_slices, real_lines

pytestmark = pytest.mark.slow  # real incremental builds (the encoder is loaded for each)


@pytest.fixture()
def live(slices_index, tmp_path) -> LiveService:
    return LiveService(AnswerService.open(copy_slices(slices_index, tmp_path), show_bar=False))


def test_an_update_is_built_in_the_background_and_swapped_in_when_complete(live):
    old = live.current
    settings = old.settings
    (settings.corpus / "新报告.txt").write_text("\n".join(real_lines(NEW_REPORT[0], *NEW_REPORT[1])), encoding="utf-8")
    finished, seen = [], []
    updater = IndexUpdater(live, on_finish=lambda state, by: finished.append((state.state, by)))
    assert "截山社区办公用房仅144平方米" not in old.ask("截山社区办公用房面积").text

    answers, stop = [], threading.Event()

    def ask_meanwhile() -> None:
        while not stop.is_set():
            answers.append(live.current.ask("社区办公用房不足").found)
            seen.append(updater.state().progress)

    asker = threading.Thread(target=ask_meanwhile)
    state = updater.request("上传 新报告.txt", by="boss")
    asker.start()
    assert state.running and state.reason == "上传 新报告.txt"
    final = updater.wait(600)
    stop.set()
    asker.join()
    assert final.state == "done" and final.progress == 1.0 and final.runs == 1 and final.error == ""
    assert finished == [("done", "boss")] and live.version == 2 and live.current is not old
    assert answers and all(answers)  # questions went on being answered during the update
    assert any(0 < p < 1 for p in seen)  # progress was reported on the way
    assert live.current.retriever.encoder is old.retriever.encoder  # the query encoder is shared, not reloaded
    reply = live.current.ask("截山社区办公用房面积")
    assert "截山社区办公用房仅144平方米" in reply.text
    assert any(c.hit.file == "新报告.txt" for c in reply.citations)


def test_a_change_during_an_update_makes_exactly_one_more_run(live):
    settings = live.current.settings
    (settings.corpus / "a.txt").write_text("关于社区的调研报告\n一、基本情况\n社区办公用房普遍不足，经费短缺。",
                                           encoding="utf-8")
    finished = []
    updater = IndexUpdater(live, on_finish=lambda state, by: finished.append((state.runs, by)))
    updater.request("上传 a.txt", by="boss")
    while updater.state().message == "等待开始…":  # the first run has taken its request
        time.sleep(0.01)
    (settings.corpus / "b.txt").write_text("关于养老的调研报告\n一、基本情况\n居家养老服务站运转困难，护理人员流失。",
                                           encoding="utf-8")
    updater.request("上传 b.txt", by="wang")
    updater.request("上传 b.txt（再次）", by="boss")
    updater.request("上传 b.txt（又一次）", by="wang")
    final = updater.wait(600)
    assert final.state == "done" and final.runs == 2  # the later requests made one more run together
    assert finished == [(1, "boss"), (2, "wang"), (2, "boss")]  # that run is reported to each of its requesters
    assert {"a.txt", "b.txt"} <= set(live.current.retriever.stored.manifest.files)
    assert any(c.file == "b.txt" for c in live.current.retriever.chunks)


def test_a_failed_update_keeps_the_old_index_answering(live):
    old = live.current
    for path in old.settings.corpus.iterdir():
        path.write_bytes(b"\x00binary")
    finished = []
    updater = IndexUpdater(live, on_finish=lambda state, by: finished.append(state))
    updater.request("删除 全部", by="boss")
    final = updater.wait(120)
    assert final.state == "failed" and "没有可用的报告文本" in final.error and final.message.startswith("索引未能更新")
    assert final.progress == 0.0  # not a full bar: nothing of the run was applied
    assert finished == [final] and live.current is old and live.version == 1
    assert old.ask("社区办公用房不足").found


def watch(updater: IndexUpdater) -> list[tuple[str, float]]:
    """Every (message, progress) the running update shows, collected by a thread until it ends."""
    seen: list[tuple[str, float]] = []

    def look() -> None:
        while (state := updater.state()).running:
            if not seen or seen[-1] != (state.message, state.progress):
                seen.append((state.message, state.progress))
            time.sleep(0.002)

    watcher = threading.Thread(target=look)
    watcher.start()
    updater.wait(600)
    watcher.join()
    return seen


@contextmanager
def on_milvus_with_a_new_report(slices_index, tmp_path) -> Iterator[LiveService]:
    """A live service over the slices on Milvus Lite, with a new report waiting in its corpus for an update."""
    settings = copy_slices(slices_index, tmp_path).override(backend="milvus",
                                                            milvus_uri=str(tmp_path / "milvus.db"))
    live = LiveService(AnswerService.open(settings, show_bar=False))
    try:
        (settings.corpus / "新报告.txt").write_text("\n".join(real_lines(NEW_REPORT[0], *NEW_REPORT[1])),
                                                  encoding="utf-8")
        yield live
    finally:
        live.current.retriever.close()


def test_a_failed_milvus_sync_ends_on_its_own_message_with_an_empty_bar(slices_index, tmp_path, monkeypatch):
    with on_milvus_with_a_new_report(slices_index, tmp_path) as live:
        old = live.current
        shown_at_sync: list[str] = []

        def broken(*args, **kwargs):
            shown_at_sync.append(updater.state().message)  # read here: a poller may miss a step this short
            raise BackendError("同步到 Milvus 失败：写入时连接中断（模拟）。")

        monkeypatch.setattr(old.retriever.backend.milvus, "sync", broken)
        updater = IndexUpdater(live)
        updater.request("上传 新报告.txt")
        final = updater.wait(600)
        assert shown_at_sync == ["正在同步到 Milvus…"]  # it failed at the sync, after the local build
        assert (final.state, final.progress) == ("failed", 0.0)
        assert final.message == "索引未能更新，仍使用之前的索引回答" and "写入时连接中断" in final.error
        assert live.current is old


def test_with_the_milvus_backend_an_update_syncs_the_collection_before_the_swap(slices_index, tmp_path,
                                                                               monkeypatch):
    with on_milvus_with_a_new_report(slices_index, tmp_path) as live:
        old = live.current
        assert not any(h.file == "新报告.txt" for h in old.search("截山社区办公用房面积", 5, "bm25"))
        updater = IndexUpdater(live)
        shown: dict[str, list[tuple[str, float]]] = {"load": [], "sync": [], "swap": []}

        def shown_during(step: str, original):
            """``original``, noting what the bar shows as it runs (a poller may miss a step this short)."""
            def spy(*args, **kwargs):
                state = updater.state()
                shown[step].append((state.message, state.progress))
                return original(*args, **kwargs)
            return spy

        monkeypatch.setattr(office.updater, "load_index", shown_during("load", office.updater.load_index))
        milvus = old.retriever.backend.milvus
        monkeypatch.setattr(milvus, "sync", shown_during("sync", milvus.sync))
        monkeypatch.setattr(live, "swap", shown_during("swap", live.swap))
        updater.request("上传 新报告.txt")
        seen = watch(updater)
        final = updater.wait(600)
        assert final.state == "done", final.error
        assert final.progress == 1.0 and final.message.startswith("索引已更新")
        (loading, at_load), = shown["load"]
        (syncing, at_sync), = shown["sync"]
        (swapping, at_swap), = shown["swap"]
        assert (loading, syncing, swapping) == ("正在载入新索引…", "正在同步到 Milvus…", "正在同步到 Milvus…")
        assert at_load < at_sync == at_swap < 1.0  # a full bar only once the new index answers
        assert all(progress < 1.0 for _, progress in seen)
        new = live.current
        assert new is not old and new.retriever.backend.name == "milvus"
        assert new.retriever.backend.milvus is old.retriever.backend.milvus  # one connection to Milvus Lite
        for mode in ("bm25", "dense", "hybrid"):  # the collection holds the new report's passages
            assert any(h.file == "新报告.txt" for h in new.search("截山社区办公用房面积", 5, mode)), mode
