"""Each user's earlier questions with their answers and sources, in ``history.sqlite3`` of the data folder.

A user sees and reopens only their own entries: every read names the user, and an
entry of someone else is simply not found. The newest ``history_keep`` questions of
each user are kept. Sources are stored as the JSON that ``/ask`` returns
(:meth:`retriever.answer.citation.Citation.to_dict`), so a reopened answer shows the
same cards as when it was asked, even after its report has left the corpus.

Usage::

    history = History.open(settings)
    entry_id = history.add("王芳", "哪些社区办公用房不达标", reply.text, True, [c.to_dict() for c in reply.citations])
    history.recent("王芳")            # [HistoryEntry(...)], newest first
    history.get("王芳", entry_id)     # the entry, or None (also for another user's id)
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from core.clock import now_text
from core.files import create_private
from core.settings import Settings

HISTORY_FILE = "history.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    found INTEGER NOT NULL,
    sources TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS questions_by_user ON questions (user, id);
"""


@dataclass(frozen=True)
class HistoryEntry:
    """One question a user asked, and the answer and sources they got."""

    id: int
    user: str
    asked_at: str
    question: str
    answer: str
    found: bool
    sources: list[dict] = field(default_factory=list)

    def label(self) -> str:
        """How the history list shows the entry: time, then the question's start."""
        question = self.question if len(self.question) <= 40 else self.question[:40] + "…"
        return f"{self.asked_at[:16].replace('T', ' ')} · {question}"


class History:
    """The question history of one data folder; safe to share between threads (a connection per call)."""

    def __init__(self, path: Path, keep: int) -> None:
        self.path = path
        self.keep = keep

    @classmethod
    def open(cls, settings: Settings) -> History:
        """The history of the settings' data folder."""
        return cls(settings.data_dir / HISTORY_FILE, settings.history_keep)

    def add(self, user: str, question: str, answer: str, found: bool, sources: list[dict]) -> int:
        """Store one answered question and return its id; the user's oldest entries beyond ``keep`` are dropped."""
        with self._db() as db:
            cursor = db.execute(
                "INSERT INTO questions (user, asked_at, question, answer, found, sources) VALUES (?, ?, ?, ?, ?, ?)",
                (user, now_text(), question, answer, int(found), json.dumps(sources, ensure_ascii=False)))
            db.execute("DELETE FROM questions WHERE user = ? AND id NOT IN "
                       "(SELECT id FROM questions WHERE user = ? ORDER BY id DESC LIMIT ?)", (user, user, self.keep))
            return int(cursor.lastrowid)

    def recent(self, user: str, limit: int = 100) -> list[HistoryEntry]:
        """The user's newest entries first."""
        if not self.path.exists():
            return []
        with self._db() as db:
            rows = db.execute("SELECT * FROM questions WHERE user = ? ORDER BY id DESC LIMIT ?",
                              (user, limit)).fetchall()
        return [_entry(row) for row in rows]

    def get(self, user: str, entry_id: int) -> HistoryEntry | None:
        """One of the user's entries, or None (unknown id, or the entry of another user)."""
        if not self.path.exists():
            return None
        with self._db() as db:
            row = db.execute("SELECT * FROM questions WHERE user = ? AND id = ?", (user, entry_id)).fetchone()
        return _entry(row) if row else None

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """A connection to the history file (made, readable by its owner only, on first use), committed on exit."""
        create_private(self.path)
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            db.executescript(SCHEMA)
            yield db


def _entry(row: tuple) -> HistoryEntry:
    entry_id, user, asked_at, question, answer, found, sources = row
    return HistoryEntry(entry_id, user, asked_at, question, answer, bool(found), json.loads(sources))
