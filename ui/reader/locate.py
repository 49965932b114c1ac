"""Where a passage and its quoted sentences lie in a report view: block index → character ranges, and the
original lines they fall on.

A passage's text (a chunk's or a hit's) is found again in the report rather than trusted
by offsets, so a file changed since indexing is noticed (:func:`locate_pieces` finds
nothing) and the page falls back to marking the passage's lines (:func:`lines_as_ranges`).
The page marks these ranges (:mod:`ui.reader.page`); the source cards name the lines
(:func:`cited_lines`, through :meth:`ui.reader.library.ReportLibrary.quoted_lines`).

Usage::

    pieces = locate_pieces(view, chunk, chunk.text)     # [] when the file changed since indexing
    marks = passage_ranges(pieces)                       # the passage, per block
    quoted = map_spans(pieces, [(120, 164)])             # each quoted span, per block
    cited_lines(view, quoted)                            # "第595行"
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from index.text.clean import Paragraph
from index.text.records import Location, lines_text, merge_line_ranges
from ui.reader.links import Span
from ui.reader.view import ReportView


@dataclass(frozen=True)
class Piece:
    """One line of a passage's text found in the report: where it starts in the passage text, its block and range."""

    offset: int
    block: int
    start: int
    end: int


def locate_pieces(view: ReportView, passage: Location, text: str) -> list[Piece]:
    """Where each line of a passage's text lies in the report; empty if any is not found.

    A chunk's text is its paragraph pieces joined with line breaks, each piece an exact
    slice of one paragraph within the chunk's line span, so each piece is looked up in
    order in the blocks of that span. A file changed since indexing may no longer hold it.
    """
    candidates = [i for i, b in enumerate(view.blocks)
                  if b.paragraph.line_end >= passage.line_start and b.paragraph.line_start <= passage.line_end]
    found: list[Piece] = []
    position, offset, at = 0, 0, 0
    for piece in text.split("\n"):
        piece_offset, at = at, at + len(piece) + 1
        if not piece:
            continue
        for index in range(position, len(candidates)):
            block_text = view.blocks[candidates[index]].paragraph.text
            start = block_text.find(piece, offset if index == position else 0)
            if start >= 0:
                found.append(Piece(piece_offset, candidates[index], start, start + len(piece)))
                position, offset = index, start + len(piece)
                break
        else:
            return []
    return found


def passage_ranges(pieces: list[Piece]) -> dict[int, list[tuple[int, int]]]:
    """Where the located pieces of a passage lie: block index → character ranges."""
    found: dict[int, list[tuple[int, int]]] = {}
    for piece in pieces:
        found.setdefault(piece.block, []).append((piece.start, piece.end))
    return found


def map_spans(pieces: list[Piece], spans: Iterable[Span]) -> list[dict[int, list[tuple[int, int]]]]:
    """Each quoted span as block index → character ranges; a span crossing line breaks gets a range per piece.

    A span that covers only line breaks (or lies past the text) maps to nothing and is left out.
    """
    mapped = []
    for start, end in spans:
        ranges: dict[int, list[tuple[int, int]]] = {}
        for piece in pieces:
            lo, hi = max(start, piece.offset), min(end, piece.offset + piece.end - piece.start)
            if lo < hi:
                ranges.setdefault(piece.block, []).append((piece.start + lo - piece.offset,
                                                           piece.start + hi - piece.offset))
        if ranges:
            mapped.append(ranges)
    return mapped


def lines_as_ranges(view: ReportView, passage: Location) -> dict[int, list[tuple[int, int]]]:
    """Fallback highlight: every row whose original line lies in the passage's line span."""
    found: dict[int, list[tuple[int, int]]] = {}
    for index, block in enumerate(view.blocks):
        for start, end, line in rows(block.paragraph):
            if passage.line_start <= line <= passage.line_end:
                found.setdefault(index, []).append((start, end))
    return found


def rows(paragraph: Paragraph) -> list[tuple[int, int, int]]:
    """The paragraph's rows: ``(start, end, original line)``, one per original line that gave it text."""
    bounds = [offset for offset, _ in paragraph.runs] + [len(paragraph.text)]
    return [(start, end, line) for (start, line), end in zip(paragraph.runs, bounds[1:]) if end > start]


def cited_lines(view: ReportView, mapped: list[dict[int, list[tuple[int, int]]]]) -> str:
    """The original lines the quoted spans lie on: "第595行", "第593—595行", several joined with "、"."""
    spans = []
    for ranges in mapped:
        lines = [line for index, marks in ranges.items() for start, end, line in rows(view.blocks[index].paragraph)
                 if any(max(a, start) < min(b, end) for a, b in marks)]
        if lines:
            spans.append((min(lines), max(lines)))
    return lines_text(merge_line_ranges(spans))
