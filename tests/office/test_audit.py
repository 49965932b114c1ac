"""Audit log: one JSON line per event, append-only, rotated by size keeping N files, filtered newest first,
no passwords."""

from __future__ import annotations

import json
import multiprocessing
import re
import stat

import pytest

from office.audit import ACTIONS, AuditLog, AuditQuery, AuditQueryError


def test_events_are_json_lines_with_time_user_client_action_detail(settings):
    log = AuditLog.open(settings)
    log.write("upload", "王芳", "10.0.0.7", file="报告.docx", size=100)
    log.write("question", "li", "10.0.0.8", question="社区经费从哪里来", found=True)
    lines = log.path.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    assert list(first) == ["time", "user", "client", "action", "detail"]
    assert first["user"] == "王芳" and first["client"] == "10.0.0.7" and first["action"] == "upload"
    assert first["detail"] == {"file": "报告.docx", "size": 100} and first["time"][10] == "T"
    assert "报告.docx" in lines[0]  # Chinese written as is, readable with any text tool
    assert [e.action for e in log.read()] == ["question", "upload"]  # newest first


def test_a_password_or_an_unknown_action_is_refused(settings):
    log = AuditLog.open(settings)
    for detail in ({"password": "x"}, {"new_password": "x"}, {"密码": "x"}):
        with pytest.raises(ValueError, match="password"):
            log.write("user_add", "boss", None, **detail)
    with pytest.raises(ValueError, match="unknown audit action"):
        log.write("delete_everything", "boss", None)
    assert not log.path.exists()


def test_the_log_is_rotated_by_size_keeping_n_files(settings):
    log = AuditLog(settings.data_dir / "audit", max_bytes=400, keep=2)
    for n in range(30):
        log.write("question", "li", None, n=n)
    files = log.files()
    assert [f.name for f in files] == ["audit.jsonl", "audit.jsonl.1", "audit.jsonl.2"]
    assert all(f.stat().st_size <= 400 for f in files)
    numbers = [e.detail["n"] for e in log.read()]
    assert numbers == list(range(29, 29 - len(numbers), -1))  # newest first, no gap across files
    assert numbers[-1] > 0  # the oldest events went with the dropped file


def test_filters_by_user_action_dates_and_text(settings):
    log = AuditLog.open(settings)
    log.write("login", "li", "10.0.0.8")
    log.write("question", "li", "10.0.0.8", question="三社联动")
    log.write("question", "wang", "10.0.0.9", question="社区经费")
    today = log.read()[0].time[:10]
    assert [e.user for e in log.read(AuditQuery(action="question"))] == ["wang", "li"]
    assert [e.action for e in log.read(AuditQuery(user="li"))] == ["question", "login"]
    assert [e.user for e in log.read(AuditQuery(text="三社"))] == ["li"]
    assert len(log.read(AuditQuery(since=today, until=today))) == 3
    assert log.read(AuditQuery(since="2999-01-01")) == [] and log.read(AuditQuery(until="2000-01-01")) == []
    assert len(log.read(AuditQuery(limit=2))) == 2


@pytest.mark.parametrize("fields, message", [
    ({"since": "2026-13-45"}, "起始日期应写成 2025-03-01 这样的日期（收到：2026-13-45）"),
    ({"until": "2026/11/25"}, "截止日期应写成 2025-03-01 这样的日期（收到：2026/11/25）"),
    ({"since": "abc"}, "起始日期应写成 2025-03-01 这样的日期（收到：abc）"),
    ({"since": "2026-02-30"}, "起始日期应写成"),
    ({"since": "2026-11-25", "until": "2026-11-01"}, "起始日期 2026-11-25 晚于截止日期 2026-11-01"),
    ({"action": "nosuch"}, "没有名为 nosuch 的操作（可选：login、"),
])
def test_a_filter_that_is_no_date_or_action_is_refused_not_an_empty_log(fields, message):
    with pytest.raises(AuditQueryError, match=re.escape(message)):
        AuditQuery(**fields)


def test_a_damaged_line_is_skipped(settings):
    log = AuditLog.open(settings)
    log.write("login", "li", None)
    with open(log.path, "a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    log.write("login", "wang", None)
    assert [e.user for e in log.read()] == ["wang", "li"]


def _write_many(folder, start: int) -> None:
    log = AuditLog(folder, max_bytes=2000, keep=50)
    for n in range(start, start + 100):
        log.write("question", "p", None, n=n)


def test_two_processes_writing_at_once_lose_no_event(settings):
    folder = settings.data_dir / "audit"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(folder, start)) for start in (0, 1000)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    numbers = sorted(e.detail["n"] for e in AuditLog(folder, 2000, 50).read(AuditQuery(limit=10_000)))
    assert numbers == [*range(100), *range(1000, 1100)]


def test_every_action_has_a_chinese_name():
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in name) for name in ACTIONS.values())


def test_the_audit_log_is_readable_by_its_owner_only(settings, usual_umask):
    log = AuditLog.open(settings)
    log.write("question", "li", "127.0.0.1", question="三社联动")
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600
