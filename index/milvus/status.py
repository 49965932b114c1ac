"""Typed records of the collection's state and of a sync: what the app checks before serving, what a sync did.

Usage::

    status = milvus.status(stored)              # MilvusStatus
    if not status.ok:
        raise status.error()                    # Chinese: why, and what to run
    report = milvus.sync(stored, tokenizer)     # SyncReport, also saved as milvus_sync.json
    print(report.text())
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from core.errors import BackendError
from index.milvus.errors import MilvusMissingError, MilvusSchemaError, MilvusStaleError

SYNC_RECORD = "milvus_sync.json"
"""The last sync's report, written into the index folder."""


@dataclass
class MilvusStatus:
    """Whether the live collection can serve the local build; if not, why (Chinese) and which error."""

    state: str  # "ok", "missing", "schema" (old version), "settings" (other fingerprint), "content" or "damaged"
    reasons: list[str] = field(default_factory=list)
    collection: str | None = None

    @property
    def ok(self) -> bool:
        """True if the collection matches the local build and these settings."""
        return self.state == "ok"

    def error(self) -> BackendError:
        """The error to raise when the app may not sync by itself (a Milvus server)."""
        text = "；".join(self.reasons) + "。请在建索引的机器上运行：python -m index build --backend milvus"
        kind = {"missing": MilvusMissingError, "schema": MilvusSchemaError, "settings": MilvusSchemaError}
        return kind.get(self.state, MilvusStaleError)(text)


@dataclass
class SyncReport:
    """What one sync did; printed by ``python -m index build --backend milvus`` and saved as milvus_sync.json."""

    uri: str
    alias: str
    mode: str
    collection: str
    previous: str | None
    rows: int
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    written: int = 0
    deleted: int = 0
    seconds: float = 0.0
    reason: str = ""
    content: str = ""
    local_build: str = ""
    finished_at: str = ""

    def text(self) -> str:
        """One line for the command line."""
        if not self.written and not self.deleted:
            return f"Milvus 集合 {self.collection}（别名 {self.alias}）已与本机索引一致：{self.rows} 个片段。"
        how = "新集合并切换别名" if self.mode == "switch" else "原地更新"
        return (f"已同步到 Milvus（{how}）：集合 {self.collection}（别名 {self.alias}，{self.uri}），"
                f"片段 {self.rows} 个；"
                f"新增 {self.added}、修改 {self.changed}、删除 {self.removed}、未变 {self.unchanged}；"
                f"写入 {self.written} 行，删除 {self.deleted} 行，用时 {self.seconds:.1f} 秒"
                + (f"（{self.reason}）" if self.reason else ""))


def record_sync(index_dir: Path, report: SyncReport) -> None:
    """Save the sync report as ``<index_dir>/milvus_sync.json`` (written atomically; never the token)."""
    target = index_dir / SYNC_RECORD
    partial = index_dir / f".{SYNC_RECORD}.{uuid.uuid4().hex[:6]}"
    partial.write_text(json.dumps(asdict(report), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(partial, target)

