"""Cited passages and answers: the ``[n]`` a sentence points at, and the text pasted into a draft.

Example:

    >>> hit = Hit(id="c1", file="a.txt", report=1, report_title="社区建设调研报告", section_path=["一、存在的问题"],
    ...           line_start=12, line_end=14, rank=1, score=0.9, text="办公用房不足。")
    >>> Citation(1, hit, spans=[(0, 7)]).source_line()
    '（来源：《社区建设调研报告》一、存在的问题，a.txt 第12—14行）'
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.text.records import Location
from retriever.hits import Hit


@dataclass
class Citation:
    """A cited passage: its marker number, the hit, and the cited sentence offsets."""

    n: int
    hit: Hit
    spans: list[tuple[int, int]] = field(default_factory=list)

    def source_line(self) -> str:
        """Formatted source: report title, section path, file and line span."""
        return f"（来源：{self.hit.source()}）"

    def copy_text(self) -> str:
        """The passage with its source line, as pasted into a draft."""
        return f"{self.hit.text}\n{self.source_line()}"

    def to_dict(self) -> dict:
        """``n`` plus the retriever's JSON fields plus the cited sentence offsets."""
        return {"n": self.n, **self.hit.to_dict(), "highlights": [list(s) for s in self.spans]}

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
        duplicates = [Location(**d) for d in fields.pop("duplicates", [])]
        return cls(n, Hit(**fields, duplicates=duplicates), spans)


@dataclass
class Answer:
    """Answer text with ``[n]`` markers, the passages the markers point at, and whether the reports answer it."""

    text: str
    citations: list[Citation]
    found: bool
