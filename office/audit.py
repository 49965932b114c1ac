"""The audit log: one JSON line per event (who, from where, did what, when), append-only, rotated by size.

Events: login success and failure, question, export, upload, removal of a report,
account changes, index updates. Each line holds ``time`` (local, with offset),
``user``, ``client`` (the address the request came from), ``action`` and ``detail``.
Passwords never reach it: :meth:`AuditLog.write` refuses any detail whose key mentions
a password, and failed logins with an unknown user name record no name (people type
their password into the name field).

Files: ``<data_dir>/audit/audit.jsonl``, and when that would pass ``audit_max_mb``
it becomes ``audit.jsonl.1`` (the older ones move up to ``.2`` …, ``audit_keep`` kept).
A file lock makes the app and the ``python -m office.users`` command safe to write at
the same time.

Usage::

    log = AuditLog.open(settings)
    log.write("upload", "王芳", "10.0.0.7", file="2025年社区报告.docx", size=48213)
    log.read(AuditQuery(user="王芳", action="upload"))    # newest first
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from filelock import FileLock

from core.clock import now_text
from core.errors import ReportQAError
from core.settings import Settings

AUDIT_FOLDER = "audit"
AUDIT_FILE = "audit.jsonl"
ACTIONS = {
    "login": "登录成功",
    "login_failed": "登录失败",
    "question": "提问",
    "search": "检索",
    "export": "导出",
    "feedback": "反馈",
    "upload": "上传报告",
    "remove": "删除报告",
    "index": "索引更新",
    "user_add": "新建账号",
    "user_remove": "删除账号",
    "user_password": "重设密码",
    "user_role": "修改角色",
    "denied": "拒绝访问",
}
"""Every action the log knows, with the name the admin page shows."""


@dataclass(frozen=True)
class AuditEvent:
    """One line of the log."""

    time: str
    user: str | None
    client: str | None
    action: str
    detail: dict = field(default_factory=dict)

    def to_json(self) -> str:
        """The event as one JSON line (without the newline)."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=False)

    def detail_text(self) -> str:
        """``key=value`` pairs of the detail, for the admin page's table."""
        return "；".join(f"{key}={value}" for key, value in self.detail.items())


class AuditQueryError(ReportQAError):
    """An audit filter that is not a date or an action (the page and the route say so in Chinese)."""


def _is_day(value: str) -> bool:
    """Whether ``value`` is a real calendar day written ``YYYY-MM-DD``."""
    try:
        return len(value) == 10 and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


@dataclass(frozen=True)
class AuditQuery:
    """What the admin page filters by; empty fields match everything. Dates are ``YYYY-MM-DD``, inclusive."""

    user: str = ""
    action: str = ""
    since: str = ""
    until: str = ""
    text: str = ""
    limit: int = 500

    def __post_init__(self) -> None:
        """Refuse a filter that could only match nothing by mistake (2026-13-45, 2026/11/25, an unknown action)."""
        for label, value in (("起始日期", self.since), ("截止日期", self.until)):
            if value and not _is_day(value):
                raise AuditQueryError(f"{label}应写成 2025-03-01 这样的日期（收到：{value[:40]}）")
        if self.since and self.until and self.since > self.until:
            raise AuditQueryError(f"起始日期 {self.since} 晚于截止日期 {self.until}")
        if self.action and self.action not in ACTIONS:
            raise AuditQueryError(f"没有名为 {self.action[:40]} 的操作（可选：{'、'.join(ACTIONS)}）")

    def matches(self, event: AuditEvent) -> bool:
        """True if the event passes every given filter."""
        day = event.time[:10]
        return ((not self.user or event.user == self.user)
                and (not self.action or event.action == self.action)
                and (not self.since or day >= self.since)
                and (not self.until or day <= self.until)
                and (not self.text or self.text in event.to_json()))


class AuditLog:
    """Append events to the log file, rotating it by size; read them back filtered, newest first."""

    def __init__(self, folder: Path, max_bytes: int, keep: int) -> None:
        self.folder = folder
        self.path = folder / AUDIT_FILE
        self.max_bytes = max_bytes
        self.keep = keep
        self._lock = FileLock(folder / ".audit.lock")

    @classmethod
    def open(cls, settings: Settings) -> AuditLog:
        """The log of the settings' data folder."""
        return cls(settings.data_dir / AUDIT_FOLDER, int(settings.audit_max_mb * 2**20), settings.audit_keep)

    def write(self, action: str, user: str | None, client: str | None, **detail: object) -> AuditEvent:
        """Append one event and return it; raise ValueError for an unknown action or a password in the detail."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        if any("password" in key.lower() or "密码" in key for key in detail):
            raise ValueError("a password must never be written to the audit log")
        event = AuditEvent(now_text(), user, client, action, dict(detail))
        line = (event.to_json() + "\n").encode("utf-8")
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._lock:
            if self.path.exists() and self.path.stat().st_size + len(line) > self.max_bytes:
                self._rotate()
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)
        return event

    def files(self) -> list[Path]:
        """The log files, newest first (the current file, then ``.1``, ``.2`` …)."""
        rotated = [self.folder / f"{AUDIT_FILE}.{n}" for n in range(1, self.keep + 1)]
        return [path for path in [self.path, *rotated] if path.exists()]

    def read(self, query: AuditQuery | None = None) -> list[AuditEvent]:
        """Events that match ``query``, newest first, at most ``query.limit``."""
        query = query or AuditQuery()
        found: list[AuditEvent] = []
        for event in self.events():
            if query.matches(event):
                found.append(event)
                if len(found) >= query.limit:
                    break
        return found

    def events(self) -> Iterator[AuditEvent]:
        """Every readable event, newest first; a damaged line is skipped."""
        for path in self.files():
            try:
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:  # rotated away between listing and reading
                continue
            for line in reversed(lines):
                event = _parse(line)
                if event is not None:
                    yield event

    def _rotate(self) -> None:
        """``audit.jsonl`` → ``.1`` → ``.2`` …; the file beyond ``keep`` is dropped (under the lock)."""
        if self.keep == 0:
            self.path.unlink()
            return
        oldest = self.folder / f"{AUDIT_FILE}.{self.keep}"
        oldest.unlink(missing_ok=True)
        for n in range(self.keep - 1, 0, -1):
            source = self.folder / f"{AUDIT_FILE}.{n}"
            if source.exists():
                os.replace(source, self.folder / f"{AUDIT_FILE}.{n + 1}")
        os.replace(self.path, self.folder / f"{AUDIT_FILE}.1")


def _parse(line: str) -> AuditEvent | None:
    """An event from one JSON line, or None if the line is not one."""
    try:
        data = json.loads(line)
        return AuditEvent(str(data["time"]), data.get("user"), data.get("client"), str(data["action"]),
                          dict(data.get("detail") or {}))
    except (ValueError, KeyError, TypeError):
        return None
