"""Cut a report's sections into retrieval chunks that keep their provenance.

Rules: a chunk never crosses a section boundary; a long section is split at
paragraph, then sentence boundaries (。！？；) under ``max_chars``; a section
smaller than ``min_chars`` is merged with a neighbouring sibling section (same
parent heading), and a parent's short lead-in with its first sub-section; the
merged chunk carries the common parent path and the sub-headings in its text.
Every chunk knows its file, report, section path and original line span, and
carries a heading context for embedding.

Example::

    >>> from index.text.clean import clean_lines
    >>> from index.text.split import split_reports
    >>> lines = ["关于社区建设的调研报告", "一、基本情况", "全县共有城市社区12个，", "办公用房普遍不足。"]
    >>> _, reports = split_reports(clean_lines(lines))
    >>> chunk = chunk_report("a.txt", reports[0], max_chars=500, min_chars=10)[0]
    >>> chunk.section_path, chunk.line_start, chunk.line_end, chunk.text
    (['一、基本情况'], 3, 4, '全县共有城市社区12个，办公用房普遍不足。')
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from index.text.clean import Paragraph
from index.text.records import Chunk
from index.text.sentences import sentence_spans
from index.text.split import Report, Section


@dataclass
class _Segment:
    """Part of a paragraph: ``paragraph.text[start:end]``."""

    paragraph: Paragraph
    start: int
    end: int
    path: tuple[str, ...] = ()
    """The heading path of the section the text belongs to."""

    @property
    def size(self) -> int:
        return self.end - self.start


def _common_prefix(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    """Longest shared leading part of several heading paths."""
    prefix: list[str] = []
    for parts in zip(*paths):
        if len(set(parts)) != 1:
            break
        prefix.append(parts[0])
    return tuple(prefix)


def _units(section: Section, merged: bool, leaf: bool) -> list[_Segment]:
    """The text a section contributes: its body, led by its heading line when merged.

    A heading without body text is content in itself when nothing is nested
    under it (``（一）进一步统一思想认识……。``); above sub-sections it is only
    their path, unless merged with them.
    """
    units = [_Segment(p, 0, len(p.text), section.path) for p in section.paragraphs]
    if section.heading is not None and (merged or (leaf and not units)):
        units.insert(0, _Segment(section.heading, 0, len(section.heading.text), section.path))
    return units


def _is_leaf(sections: list[Section], index: int) -> bool:
    """True if the next section is not nested under this one."""
    path = sections[index].path
    following = sections[index + 1].path if index + 1 < len(sections) else ()
    return not (len(following) > len(path) and following[: len(path)] == path)


def _group_sections(
    sections: list[Section], min_chars: int, max_chars: int
) -> list[list[tuple[Section, bool]]]:
    """Merge tiny sections with a neighbouring sibling, or a parent's tiny lead-in with its first child.

    Returns groups of ``(section, is_leaf)``.
    """
    groups: list[list[tuple[Section, bool]]] = []
    for index, section in enumerate(sections):
        leaf = _is_leaf(sections, index)
        size = sum(u.size for u in _units(section, merged=False, leaf=leaf))
        if groups:
            last = groups[-1]
            merged_size = sum(u.size for s, is_leaf in last for u in _units(s, merged=False, leaf=is_leaf))
            previous = last[-1][0].path
            sibling = previous[:-1] == section.path[:-1] and len(section.path) == len(previous) > 0
            child = section.path[:-1] == previous and len(previous) > 0
            fits = merged_size + size + len(last) <= max_chars
            if (sibling and size > 0 or child) and min(merged_size, size) < min_chars and fits:
                last.append((section, leaf))
                continue
        groups.append([(section, leaf)])
    return groups


def _split_paragraph(unit: _Segment, max_chars: int) -> list[_Segment]:
    """Cut a long paragraph into balanced sentence-aligned segments under ``max_chars``."""
    paragraph = unit.paragraph
    spans = []
    for start, end in sentence_spans(paragraph.text):
        while end - start > max_chars:  # a single over-long sentence: hard cut
            spans.append((start, start + max_chars))
            start += max_chars
        spans.append((start, end))
    parts = -(-len(paragraph.text) // max_chars)
    target = len(paragraph.text) / parts
    limit = min(max_chars, int(target * 1.2))
    segments: list[_Segment] = []
    for start, end in spans:
        if segments and end - segments[-1].start <= limit:
            segments[-1].end = end
        else:
            segments.append(_Segment(paragraph, start, end, unit.path))
    return segments


def _pack(units: list[_Segment], max_chars: int) -> list[list[_Segment]]:
    """Pack consecutive segments into chunks of at most ``max_chars`` characters."""
    chunks: list[list[_Segment]] = []
    size = 0
    for unit in units:
        pieces = [unit] if unit.size <= max_chars else _split_paragraph(unit, max_chars)
        for piece in pieces:
            if chunks and size + 1 + piece.size <= max_chars and unit.size <= max_chars:
                chunks[-1].append(piece)
                size += 1 + piece.size  # one line break between segments
            else:
                chunks.append([piece])
                size = piece.size
    return chunks


def _chunk_id(file: str, report: int, path: tuple[str, ...], text: str) -> str:
    """Stable content hash of a chunk and where it lives."""
    key = "\x1f".join([file, str(report), *path, text])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _text_marks(segments: list[_Segment], merged: bool) -> tuple[list[tuple[int, int]], list[tuple[int, list[str]]]]:
    """Where, in the chunk text that joins ``segments`` with line breaks, each original line's text begins, and
    (when the chunk merges sections) where each section's text begins, with its whole heading path."""
    line_starts: list[tuple[int, int]] = []
    section_starts: list[tuple[int, list[str]]] = []
    offset = 0
    for index, segment in enumerate(segments):
        offset += 1 if index else 0  # the line break that joins two segments
        if merged and (not section_starts or section_starts[-1][1] != list(segment.path)):
            section_starts.append((offset, list(segment.path)))
        for text, line in segment.paragraph.pieces(segment.start, segment.end):
            if not line_starts or line_starts[-1][1] != line:
                line_starts.append((offset, line))
            offset += len(text)
    return line_starts, section_starts


def chunk_report(file: str, report: Report, max_chars: int, min_chars: int) -> list[Chunk]:
    """Chunks of one report, in reading order."""
    chunks: list[Chunk] = []
    for group in _group_sections(report.sections, min_chars, max_chars):
        path = group[0][0].path if len(group) == 1 else _common_prefix([s.path for s, _ in group])
        units = [unit for section, leaf in group for unit in _units(section, len(group) > 1, leaf)]
        for segments in _pack(units, max_chars):
            text = "\n".join(s.paragraph.text[s.start : s.end] for s in segments)
            pieces = [piece for s in segments for piece in s.paragraph.pieces(s.start, s.end)]
            lines = [line for _, line in pieces]
            line_starts, section_starts = _text_marks(segments, len(group) > 1)
            chunks.append(
                Chunk(
                    id=_chunk_id(file, report.number, path, text),
                    file=file,
                    report=report.number,
                    report_title=report.title,
                    report_label=report.label,
                    section_path=list(path),
                    line_start=min(lines),
                    line_end=max(lines),
                    text=text,
                    line_starts=line_starts,
                    section_starts=section_starts,
                    pieces=pieces,
                )
            )
    return chunks
