"""The admin 报告 page (ui/admin/reports.py): uploads refused in Chinese or searchable without a restart, reports
put into the corpus folder directly, removals, the index update's progress.

The shared app of tests/ui/conftest.py (``app``: login on, an admin ``boss``, a reader ``li``), over real
HTTP on loopback. The tests run in order: the refusals first, then each change.
"""

from __future__ import annotations

import re
import threading
import time

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from core.settings import PROJECT_ROOT
from tests.helpers import NEW_REPORT, READER, REMOVED, audit, real_lines, tree_state, write_zip_bomb

pytestmark = pytest.mark.slow  # a server plus real incremental index builds


def wait_for_update(admin: Client, runs_before: int, timeout: float = 600) -> tuple[dict, list[float]]:
    """Poll the admin API until the index update that followed a change has finished; its state and progress."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        update = admin.predict(api_name="/reports")["update"]
        seen.append(update["progress"])
        if update["state"] != "running" and update["runs"] > runs_before:
            return update, seen
        time.sleep(0.3)
    raise AssertionError(f"index update did not finish: {update}")


def sources_of(client: Client, question: str) -> set[str]:
    _, sources, _ = client.predict(question, api_name="/ask")
    return {s["file"] for s in sources}


def bad_uploads(app) -> list[tuple[str, str, str]]:
    """(file, name to save as, expected message) for each refused upload."""
    root = app["root"] / "bad"
    root.mkdir()
    (root / "empty.txt").write_bytes(b"")
    (root / "截图.txt").write_bytes((PROJECT_ROOT / "docs" / "screenshot.png").read_bytes()[:200_000])  # a binary
    (root / "big.txt").write_text("社区建设。\n" * 80_000, encoding="utf-8")  # 1.2 MB, over upload_max_mb=1
    write_zip_bomb(root / "炸弹.docx", unpacked_mb=30)
    good = str(app["upload"])
    return [
        (good, "../x.txt", "文件名不能包含上级目录“..”（../x.txt）"),
        (good, "/etc/x.txt", "文件名不能是绝对路径（/etc/x.txt）"),
        (good, "sub/x.txt", "文件名不能包含路径分隔符"),
        (str(root / "empty.txt"), "", "文件为空（0 字节）：empty.txt"),
        (str(root / "截图.txt"), "", "无法作为报告读取（看起来是二进制文件，不是文本）：截图.txt"),
        (str(root / "big.txt"), "", "文件过大（1.2 MB，上限 1 MB）：big.txt"),
        (str(root / "炸弹.docx"), "", "疑似压缩炸弹，已拒绝"),
        (good, REMOVED, f"已有同名报告“{REMOVED}”：如要替换，请勾选“替换同名报告”"),
    ]


def test_bad_uploads_are_refused_in_chinese_and_change_neither_corpus_nor_index(app, admin):
    settings = app["settings"]
    corpus, index = tree_state(settings.corpus), tree_state(settings.index_dir)
    cases = bad_uploads(app)
    for path, name, message in cases:
        with pytest.raises(AppError, match=re.escape(message)):
            admin.predict(handle_file(path), name, False, api_name="/upload_report")
    assert tree_state(settings.corpus) == corpus and tree_state(settings.index_dir) == index
    assert admin.predict(api_name="/reports")["update"]["state"] == "idle"  # no index update was started
    refused = audit(app, action="upload", user="boss")
    assert len(refused) == len(cases) and all(e.detail["result"] == "拒绝" for e in refused)
    assert {e.detail["file"] for e in refused} >= {"../x.txt", "/etc/x.txt", "炸弹.docx", "empty.txt"}


def test_a_good_upload_is_searchable_without_restart_and_questions_never_fail_meanwhile(app, admin, reader):
    question = "截山社区办公用房面积"
    name = "2024年度社区建设调研（截山）.txt"
    assert name not in sources_of(reader, question)
    runs = admin.predict(api_name="/reports")["update"]["runs"]
    answers, failures, stop = [], [], threading.Event()

    def keep_asking() -> None:
        asker = Client(app["url"], auth=READER, verbose=False)
        while not stop.is_set():
            try:
                text, _, _ = asker.predict("社区办公用房不足", api_name="/ask")
                answers.append(text)
            except Exception as error:  # any failure during the update is what this test is about
                failures.append(repr(error))

    askers = [threading.Thread(target=keep_asking) for _ in range(2)]
    for thread in askers:
        thread.start()
    try:
        message, *_ = admin.predict(handle_file(str(app["upload"])), name, False, api_name="/upload_report")
        assert message.startswith(f"已上传“{name}”") and "正在更新索引" in message
        update, progress = wait_for_update(admin, runs)
    finally:
        stop.set()
        for thread in askers:
            thread.join(120)
    assert update["state"] == "done" and update["error"] == "" and update["progress"] == 1.0
    assert failures == [] and len(answers) >= 2 and all(answers)
    assert any(0 < p < 1 for p in progress)
    assert name in sources_of(reader, question)  # searchable, without a restart
    row = next(r for r in admin.predict(api_name="/reports")["reports"] if r["file"] == name)
    assert row["state"] == "已索引" and row["passages"] > 0 and row["format"] == "TXT" and row["added"]
    upload, = audit(app, action="upload", user="boss", text="新增")
    assert upload.detail["file"] == name and upload.client == "127.0.0.1"
    assert audit(app, action="index")[0].detail["result"] == "完成"


def test_a_file_put_into_the_corpus_folder_directly_is_indexed_on_request(app, admin, reader):
    """A report copied into corpus/ (a shared folder) is listed as waiting; 按报告文件夹更新索引 indexes it."""
    name = "直接放入的报告.txt"
    question = "青石社区办公用房面积"  # a community no other report names: the answer must come from this file
    lines = [line.replace("截山社区", "青石社区") for line in real_lines(NEW_REPORT[0], *NEW_REPORT[1])]
    assert any("青石社区" in line for line in lines)
    (app["settings"].corpus / name).write_text("\n".join(lines), encoding="utf-8")
    row = next(r for r in admin.predict(api_name="/reports")["reports"] if r["file"] == name)
    assert row["state"] == "等待索引更新" and name not in sources_of(reader, question)
    runs = admin.predict(api_name="/reports")["update"]["runs"]
    message, *_ = admin.predict(api_name="/update_index")
    assert message.startswith("正在更新索引")
    update, _ = wait_for_update(admin, runs)
    assert update["state"] == "done" and update["error"] == ""
    assert name in sources_of(reader, question)
    row = next(r for r in admin.predict(api_name="/reports")["reports"] if r["file"] == name)
    assert row["state"] == "已索引" and row["passages"] > 0
    assert audit(app, action="index")[0].detail["reason"] == "按报告文件夹更新"
    (app["settings"].corpus / name).unlink()
    admin.predict(api_name="/update_index")
    wait_for_update(admin, runs + 1)


def test_a_removal_takes_the_report_out_of_answers(app, admin, reader):
    question = "全市城区范围内共有多少个居委会"
    assert REMOVED in sources_of(reader, question)
    runs = admin.predict(api_name="/reports")["update"]["runs"]
    with pytest.raises(AppError, match="请勾选“确认删除”后再删除"):
        admin.predict(REMOVED, False, api_name="/remove_report")
    with pytest.raises(AppError, match="报告文件夹中没有“../etc/passwd”"):
        admin.predict("../etc/passwd", True, api_name="/remove_report")
    message, *_ = admin.predict(REMOVED, True, api_name="/remove_report")
    assert message.startswith(f"已删除“{REMOVED}”")
    update, _ = wait_for_update(admin, runs)
    assert update["state"] == "done"
    assert not (app["settings"].corpus / REMOVED).exists()
    assert REMOVED not in sources_of(reader, question)
    assert REMOVED not in {r["file"] for r in admin.predict(api_name="/reports")["reports"]}
    removal = audit(app, action="remove", user="boss")
    assert [e.detail["result"] for e in removal] == ["已删除", "拒绝"] and removal[0].detail["file"] == REMOVED
