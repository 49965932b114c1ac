"""What one browser session asked and was answered: typed records behind the question list, export and feedback.

The chat keeps a list of :class:`SessionEntry` in a ``gr.State`` (one list per browser
tab); the question list reopens an entry's answer and sources, the export writes
entries, and a vote turns an entry into a :class:`retriever.answer.feedback.FeedbackRecord`.
No Gradio here, so all of it is unit-testable.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from retriever.answer.citation import Citation
from retriever.answer.feedback import FeedbackRecord
from ui.export import ExportItem
from ui.reader import reader_url

LABEL_CHARS = 28
"""Question list labels are cut to this many characters."""
_MARKER = re.compile(r"\\\[(\d+)\\\]")
"""A citation marker ``[n]`` after :func:`ui.chat.chat_text` escaped it for Markdown (``\\[n\\]``)."""


@dataclass
class SessionEntry:
    """One answered question: what was asked and searched, the answer with its sources, and where it is in the chat.

    ``message_index`` is the position of the answer in the chat history (what
    ``gr.LikeData.index`` names); ``answer_id`` ties votes on this answer together.
    """

    question: str
    answer: str
    citations: list[Citation] = field(default_factory=list)
    found: bool = False
    message_index: int = -1
    query: str = ""
    top_k: int = 0
    mode: str = ""
    reports: list[tuple[str, int]] = field(default_factory=list)
    produced_by: dict[str, Any] = field(default_factory=dict)
    """The index and retrieval settings that produced the answer (kept with a vote on it)."""
    answer_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def label(self, number: int) -> str:
        """``"3. 社区经费从哪里来"`` for the question list (long questions cut with …)."""
        text = " ".join(self.question.split())
        return f"{number}. {text[:LABEL_CHARS]}{'…' if len(text) > LABEL_CHARS else ''}"

    def export_item(self) -> ExportItem:
        """The entry as an export record."""
        return ExportItem(self.question, self.answer, list(self.citations))

    def feedback(self, vote: str, user: str | None, reason: str = "", comment: str = "") -> FeedbackRecord:
        """A feedback record of this answer, with the settings that produced it."""
        used = self.produced_by | {"top_k": self.top_k, "mode": self.mode, "reports": [list(r) for r in self.reports]}
        if self.query and self.query != self.question:
            used["query"] = self.query  # a follow-up searched together with the previous question
        return FeedbackRecord(question=self.question, answer=self.answer, vote=vote,
                              chunk_ids=[c.hit.id for c in self.citations], reason=reason, comment=comment.strip(),
                              user=user, settings=used, answer_id=self.answer_id)


def question_choices(entries: list[SessionEntry]) -> list[tuple[str, int]]:
    """``(label, message index)`` pairs for the session's question list, in asking order.

    The value is the answer's position in the chat, unique per answer, so the page can scroll to it.
    """
    return [(entry.label(number), entry.message_index) for number, entry in enumerate(entries, start=1)]


def entry_at_message(entries: list[SessionEntry], message_index: int | None) -> SessionEntry | None:
    """The entry whose answer sits at ``message_index`` of the chat, if any (a hint message has none)."""
    return next((e for e in entries if e.message_index == message_index), None)


def link_citations(chat_markup: str, citations: list[Citation]) -> str:
    """Turn each escaped ``[n]`` of a cited passage into a Markdown link to the reader at its quoted sentences."""
    urls = {c.n: reader_url(c.hit.id, c.spans) for c in citations}

    def link(match: re.Match) -> str:
        n = int(match.group(1))
        return f"[\\[{n}\\]]({urls[n]})" if n in urls else match.group(0)

    return _MARKER.sub(link, chat_markup)
