"""Votes on answers (👍/👎 with a reason), kept as an append-only JSON Lines file beside the app's data.

The chat app appends one :class:`FeedbackRecord` per vote; ``eval/`` reads them back
(``python -m eval.feedback candidates``) to turn 👎 answers into gold-set candidates.
Both sides use :class:`FeedbackLog`, so the file format lives in this one place.

Why a lock and fsync: several users (and several app processes) may vote at the same
moment, and a record of a long answer is larger than what one ``write`` is guaranteed
to append atomically. Every append takes ``<file>.lock`` (filelock), writes one whole
line and syncs it to disk before releasing the lock. A line that cannot be read (a
crash mid-write on another machine, a hand edit) is skipped with a warning, never an
error, and the next append starts on a fresh line.

Example::

    >>> log = FeedbackLog(Path("data/feedback.jsonl"))  # doctest: +SKIP
    >>> log.append(FeedbackRecord(question="社区经费从哪里来", answer="……[1]", chunk_ids=["3f…"], vote=DOWN,
    ...                           reason="出处不对"))  # doctest: +SKIP
    >>> [r.vote for r in log.read()]  # doctest: +SKIP
    ['down']
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from filelock import FileLock

from core.clock import now_text
from core.files import create_private
from core.settings import Settings

log = logging.getLogger(__name__)

UP, DOWN, UNDO = "up", "down", "undo"
"""Votes: 👍, 👎, and taking back an earlier vote on the same answer."""
VOTES = (UP, DOWN, UNDO)
REASONS = ("答案不对", "出处不对", "漏了应有内容", "其他")
"""Why an answer got 👎 (the choices the app offers)."""
LOCK_TIMEOUT_S = 30.0
"""How long an append waits for another writer before giving up with an error."""


@dataclass
class FeedbackRecord:
    """One vote on one answer: what was asked, what was answered and cited, under which settings, and the verdict.

    ``answer_id`` ties the votes on the same answer together (a 👎 later taken back is
    followed by an ``undo`` record with the same id); ``chunk_ids`` are the cited passages
    in citation order ([1], [2], …).
    """

    question: str
    answer: str
    vote: str
    chunk_ids: list[str] = field(default_factory=list)
    reason: str = ""
    comment: str = ""
    user: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    answer_id: str = ""
    time: str = field(default_factory=now_text)

    def to_json(self) -> str:
        """One line of the log (no newline), non-ASCII kept readable."""
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict) -> FeedbackRecord:
        """A record read back; raises ``ValueError`` when a required field is missing or of the wrong kind."""
        if not isinstance(data, dict):
            raise ValueError("不是 JSON 对象")
        names = {f.name for f in fields(cls)}
        record = cls(**{k: v for k, v in data.items() if k in names})
        if record.vote not in VOTES or not isinstance(record.question, str) or not isinstance(record.answer, str):
            raise ValueError(f"vote 应为 {'/'.join(VOTES)}，question 与 answer 应为字符串")
        if not isinstance(record.chunk_ids, list) or not all(isinstance(c, str) for c in record.chunk_ids):
            raise ValueError("chunk_ids 应为字符串列表")
        return record


class FeedbackLog:
    """The append-only feedback file: :meth:`append` from any thread or process, :meth:`read` skipping bad lines."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_S)

    @classmethod
    def of(cls, settings: Settings) -> FeedbackLog:
        """The log named by ``settings.feedback_file`` inside ``settings.data_dir``."""
        return cls(settings.data_dir / settings.feedback_file)

    def append(self, record: FeedbackRecord) -> None:
        """Append one record as one line, durably: locked, written whole, flushed and fsynced.

        If the file ends in the middle of a line (a writer that crashed), a newline is
        written first, so the new record is never glued onto the broken one.
        """
        line = record.to_json() + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.lock:
            create_private(self.path)  # every user's questions and answers: readable by its owner only
            with open(self.path, "ab") as handle:
                if handle.tell() > 0 and not self._ends_with_newline():
                    line = "\n" + line
                handle.write(line.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())

    def _ends_with_newline(self) -> bool:
        with open(self.path, "rb") as handle:
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"

    def read(self) -> list[FeedbackRecord]:
        """Every readable record in file order; a malformed line is logged as a warning and skipped."""
        if not self.path.exists():
            return []
        records = []
        with self.lock:
            data = self.path.read_bytes()
        for number, raw in enumerate(data.split(b"\n"), start=1):
            if not raw.strip():
                continue
            try:
                records.append(FeedbackRecord.from_dict(json.loads(raw.decode("utf-8"))))
            except (ValueError, TypeError) as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
                log.warning("反馈文件 %s 第%d行无法读取，已跳过：%s", self.path.name, number, error)
        return records


def last_votes(records: list[FeedbackRecord]) -> list[FeedbackRecord]:
    """Per answer (``answer_id``, else user + question + answer), its latest vote; answers whose last vote was undone
    are left out. In order of first appearance."""
    latest: dict[tuple, FeedbackRecord] = {}
    for record in records:
        key = (record.answer_id,) if record.answer_id else (record.user, record.question, record.answer)
        latest[key] = record
    return [r for r in latest.values() if r.vote != UNDO]
