"""A report laid out for reading: its headings and paragraphs in order, and its outline of anchored sections.

The view is built from the report as the index split it (:class:`index.text.split.Report`),
so the reader shows what the index saw; every paragraph keeps its original line numbers
(:attr:`index.text.clean.Paragraph.runs`), which the page puts in the margin.

Usage::

    view = ReportView.of(file, report)      # or ReportLibrary.view(file, number), cached
    view.outline[0].anchor                  # "h1": the id of a section's first block
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.text.clean import Paragraph
from index.text.split import Report


@dataclass
class Block:
    """A heading or body paragraph of the report in reading order; ``anchor`` is set on a section's first block."""

    paragraph: Paragraph
    heading: bool = False
    depth: int = 0
    anchor: str = ""


@dataclass
class OutlineEntry:
    """One heading of the outline: its anchor, title and depth (1 = 一、, 2 = （一）, …)."""

    anchor: str
    title: str
    depth: int


@dataclass
class ReportView:
    """A report laid out for reading: its blocks in order and its outline."""

    file: str
    number: int
    title: str
    label: str = ""
    """The file's own name for the report when it is not 第{number}篇 ("第5篇之二"), else empty."""
    blocks: list[Block] = field(default_factory=list)
    outline: list[OutlineEntry] = field(default_factory=list)

    @classmethod
    def of(cls, file: str, report: Report) -> ReportView:
        """Lay out a split report: headings and paragraphs in order, each section's first block anchored."""
        view = cls(file, report.number, report.title, report.label)
        for number, section in enumerate(report.sections, start=1):
            first = len(view.blocks)
            if section.heading is not None:
                view.blocks.append(Block(section.heading, heading=True, depth=len(section.path)))
            view.blocks += [Block(p) for p in section.paragraphs]
            if section.path and len(view.blocks) > first:
                view.blocks[first].anchor = f"h{number}"
                view.outline.append(OutlineEntry(f"h{number}", section.path[-1], len(section.path)))
        return view

    def line_range(self) -> tuple[int, int]:
        """First and last original line of the report's text."""
        lines = [line for b in self.blocks for _, line in b.paragraph.runs]
        return (min(lines), max(lines)) if lines else (0, 0)
