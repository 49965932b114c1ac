"""Cited passages and answers: the ``[n]`` a sentence points at, and the text pasted into a draft.

Example:

    >>> hit = Hit(id="c1", file="a.txt", report=1, report_title="社区建设调研报告", section_path=["一、存在的问题"],
    ...           line_start=12, line_end=14, rank=1, score=0.9, text="办公用房不足。")
    >>> Citation(1, hit, spans=[(0, 7)]).source_line()
    '（来源：《社区建设调研报告》一、存在的问题，a.txt 第12—14行）'
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.text.records import Location, lines_text, quoted_sub_section, text_marks
from retriever.hits import Hit


@dataclass
class Citation:
    """A cited passage: its marker number, the hit, and the cited sentence offsets."""

    n: int
    hit: Hit
    spans: list[tuple[int, int]] = field(default_factory=list)

    def quoted(self) -> Location:
        """Where the cited sentences lie: their own section (in a passage that merges sections, the
        sub-section they are under) and original lines; the passage's location when nothing is cited."""
        return self.hit.quoted(self.spans)

    def quoted_lines_text(self) -> str:
        """The original lines of the cited sentences ("第595行", "第590行、第595行"); "" without marks."""
        return lines_text(self.hit.quoted_lines(self.spans))

    def source_line(self) -> str:
        """Formatted source of the cited sentences: report title, their section path, file and lines."""
        return f"（来源：{self.quoted().source(self.quoted_lines_text())}）"

    def copy_text(self) -> str:
        """The whole passage with its own source line, as pasted into a draft."""
        return f"{self.hit.text}\n（来源：{self.hit.source()}）"

    def quoted_note(self) -> str:
        """"引用句：第595行", with the sub-section when it is deeper than the passage's ("引用句：1、加强…，第595行");
        "" when the cited sentences are the whole passage's place, so it would say nothing new."""
        hit = self.hit
        deeper = quoted_sub_section(hit, hit.line_starts, hit.section_starts, self.spans)
        lines = self.quoted_lines_text() or hit.line_span()
        if not deeper and lines == hit.line_span():
            return ""
        return f"引用句：{'，'.join([*([deeper] if deeper else []), lines])}"

    def to_dict(self) -> dict:
        """``n`` plus the retriever's JSON fields plus the cited sentence offsets and where they lie (``quoted``:
        their section path, first and last original line, and the line ranges they cover)."""
        quoted = self.quoted()
        return {"n": self.n, **self.hit.to_dict(), "highlights": [list(s) for s in self.spans],
                "quoted": {"section_path": quoted.section_path, "line_start": quoted.line_start,
                           "line_end": quoted.line_end,
                           "lines": [list(lines) for lines in self.hit.quoted_lines(self.spans)]}}

    @classmethod
    def from_dict(cls, data: dict) -> Citation:
        """A citation back from :meth:`to_dict`'s JSON (``/ask``'s sources, a user's question history).

        >>> citation = Citation(1, Hit(id="c1", file="a.txt", report=1, report_title="调研报告", section_path=[],
        ...                            line_start=3, line_end=4, rank=1, score=0.9, text="办公用房不足。"), [(0, 4)])
        >>> Citation.from_dict(citation.to_dict()) == citation
        True
        """
        fields = dict(data)
        n, spans = fields.pop("n"), [tuple(span) for span in fields.pop("highlights", [])]
        fields.pop("quoted", None)  # derived from the marks below
        duplicates = [Location(**d) for d in fields.pop("duplicates", [])]
        return cls(n, Hit(**fields | text_marks(fields), duplicates=duplicates), spans)


@dataclass
class Answer:
    """Answer text with ``[n]`` markers, the passages the markers point at, and whether the reports answer it."""

    text: str
    citations: list[Citation]
    found: bool
    uncounted: bool = False
    """Not found only because no point states what the quantity question counts: more passages may."""


def whole_answer_text(text: str, citations: list[Citation]) -> str:
    """The answer as plain text followed by its numbered sources, each naming where its quoted sentences lie:
    what the copy box's 回答全文与出处 pastes into a draft, and what ``python -m retriever --answer`` prints."""
    sources = [f"[{c.n}] {c.source_line()}" for c in citations]
    return "\n".join(part for part in (text, "\n出处：" if citations else "", *sources) if part)
