"""The record a search returns: one passage with its location, rank, score and duplicate places.

Example:

    >>> hit = Hit(id="c1", file="a.txt", report=1, report_title="调研报告", section_path=[],
    ...           line_start=3, line_end=4, rank=1, score=0.9, text="……")
    >>> hit.to_dict()["line_start"], hit.source()
    (3, '《调研报告》a.txt 第3—4行')
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from index.text.records import Location, quoted_lines, quoted_location


@dataclass
class Hit(Location):
    """One search result; ``to_dict`` is the JSON contract of ``python -m retriever --json``.

    ``duplicates`` lists the other places where the same (near-duplicate) passage appears;
    ``line_starts`` and ``section_starts`` map its text back to the report's lines and sections
    (:func:`index.text.records.quoted_location`); ``index`` is the passage's row in the stored index.
    """

    rank: int
    score: float
    text: str
    duplicates: list[Location] = field(default_factory=list)
    line_starts: list[tuple[int, int]] = field(default_factory=list, repr=False)
    section_starts: list[tuple[int, list[str]]] = field(default_factory=list, repr=False)
    index: int = -1

    def to_dict(self) -> dict:
        """JSON-ready fields (the internal row ``index`` is left out)."""
        data = asdict(self)
        del data["index"]
        return data

    def quoted(self, spans: list[tuple[int, int]]) -> Location:
        """Where the sentences at ``spans`` of its text lie in the report: their section and original lines."""
        return quoted_location(self, self.line_starts, self.section_starts, spans)

    def quoted_lines(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The original line ranges that the sentences at ``spans`` lie on ([] without spans or marks)."""
        return quoted_lines(self.line_starts, spans) if spans and self.line_starts else []
