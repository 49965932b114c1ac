"""Split a file's clean paragraphs into reports, and each report into sections.

A file may hold many reports. New reports are recognised by

* explicit markers: ``篇一：……`` / ``…… 篇3`` / ``第3篇``;
* a repeated report title: a title line ending in ``报告`` after body text;
* a restart of the top-level numbering (a second ``一、`` in the same report),
  in which case the new report starts with the un-numbered introduction
  paragraphs right before that heading.

Each report gets a title: the title lines right after its marker, else the
marker's own text, else the file's collection title with the report number.
Sections follow the Chinese heading hierarchy (see :mod:`index.text.headings`).

Example::

    >>> from index.text.clean import clean_lines
    >>> lines = ["关于社区建设的调研报告", "一、基本情况", "全县共有城市社区12个，", "办公用房普遍不足。",
    ...          "二、存在的问题", "（一）经费短缺", "社区工作经费每年仅3万元，难以开展服务。"]
    >>> collection, reports = split_reports(clean_lines(lines))
    >>> reports[0].title, [s.path for s in reports[0].sections]
    ('关于社区建设的调研报告', [('一、基本情况',), ('二、存在的问题',), ('二、存在的问题', '（一）经费短缺')])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.text.clean import Paragraph
from index.text.headings import (
    RANKS,
    TOP_KIND,
    heading_marker,
    heading_title,
    is_standalone_heading,
    is_title_like,
    report_marker,
)

_COUNT_SUFFIX = re.compile(r"[（(](?:精选)?\s*\d+\s*篇[）)]$")


@dataclass
class Section:
    """A run of body paragraphs under one heading path."""

    path: tuple[str, ...]
    heading: Paragraph | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class Report:
    """One report of a file: its number (1-based within the file) and title.

    ``label`` is how the file itself numbers the report when that differs from ``number``: a file marked
    篇一–篇五 whose 篇五 holds three reports (each with its title and its own 一、二、…) has reports 5–7, and
    the file's reader finds them as 篇五's first, second and third ("第5篇之一" … "第5篇之三"). Empty when the
    number is the file's own (第3篇 is 篇三).
    """

    number: int
    title: str
    paragraphs: list[Paragraph]
    sections: list[Section] = field(default_factory=list)
    label: str = ""


def _is_heading(paragraph: Paragraph) -> bool:
    """A heading line: numbered and short, or a plain title-like line."""
    return is_standalone_heading(paragraph.text) or is_title_like(paragraph.text)


def _collection_title(preamble: list[Paragraph]) -> str:
    """The file's overall title: its first title-like line, without a ``（N篇）`` count."""
    for paragraph in preamble:
        if is_title_like(paragraph.text) or _COUNT_SUFFIX.search(paragraph.text):
            return _COUNT_SUFFIX.sub("", paragraph.text).strip()
    return ""


def _restart_start(paragraphs: list[Paragraph], index: int, floor: int) -> int:
    """Where a report that restarts numbering at ``index`` begins: after the last numbered paragraph."""
    start = index
    while start - 1 > floor:
        previous = paragraphs[start - 1]
        if heading_marker(previous.text) or _is_heading(previous):
            break
        start -= 1
    return start


def _split_segment(paragraphs: list[Paragraph]) -> list[list[Paragraph]]:
    """Cut one marker-delimited segment into reports by repeated titles or restarted numbering."""
    cuts = [0]
    seen_body = seen_top = False
    for i, paragraph in enumerate(paragraphs):
        text = paragraph.text
        marker = heading_marker(text)
        if is_title_like(text) and text.endswith("报告") and seen_body:
            cuts.append(i)
            seen_body = seen_top = False
            continue
        if marker and marker.kind == TOP_KIND:
            if seen_top and marker.number == 1:
                cuts.append(_restart_start(paragraphs, i, cuts[-1]))
                seen_body = False
            seen_top = True
        if not _is_heading(paragraph):
            seen_body = True
    cuts.append(len(paragraphs))
    return [paragraphs[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


def _title_and_body(
    paragraphs: list[Paragraph], fallback: str
) -> tuple[str, list[Paragraph]]:
    """Take the report's leading title lines off its paragraphs; return the title and the rest."""
    title = ""
    start = 0
    while start < len(paragraphs) and is_title_like(paragraphs[start].text):
        if title and paragraphs[start].text != title:
            break
        title = paragraphs[start].text
        start += 1
    return title or fallback, paragraphs[start:]


def listed_items(paragraphs: list[Paragraph]) -> set[int]:
    """The indices of short numbered lines that follow each other with no text between them: a list, not headings.

    003 篇17 lists "1、新农村建设服务所。" to "4、农业生产服务所。" one per line, then goes on with its text; read as
    headings, that text sat under "4、农业生产服务所" in every citation. Two numbered lines of one kind, the second
    numbered one more than the first, cannot both be headings: the first would head nothing.

    >>> from index.text.clean import clean_lines
    >>> listed_items(clean_lines(["（二）九江", "1、服务所。", "2、事务所。", "以村落社区为足。", "3、整合资源"]))
    {1, 2}
    """
    listed: set[int] = set()
    for i, (first, second) in enumerate(zip(paragraphs, paragraphs[1:])):
        a, b = heading_marker(first.text), heading_marker(second.text)
        if (a and b and a.kind == b.kind and b.number == a.number + 1
                and is_standalone_heading(first.text) and is_standalone_heading(second.text)):
            listed |= {i, i + 1}
    return listed


def build_sections(paragraphs: list[Paragraph]) -> list[Section]:
    """Group a report's paragraphs into sections along its heading hierarchy.

    A heading closes every open heading of its rank or deeper. A paragraph that starts
    with a number but goes on with sentences opens a section whose title is
    its first sentence, and is itself body text of that section. Numbered lines that
    follow each other with nothing between them are a list (:func:`listed_items`): body text.
    """
    sections = [Section(path=())]
    stack: list[tuple[int, str]] = []
    previous_text = ""
    listed = listed_items(paragraphs)
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        if text == previous_text and _is_heading(paragraph):
            continue
        previous_text = text
        if index in listed:
            sections[-1].paragraphs.append(paragraph)
            continue
        marker = heading_marker(text)
        standalone = _is_heading(paragraph)
        if not standalone and marker is None:
            sections[-1].paragraphs.append(paragraph)
            continue
        rank = RANKS[marker.kind if marker else "plain"]
        while stack and stack[-1][0] >= rank:
            stack.pop()
        stack.append((rank, heading_title(text)))
        section = Section(path=tuple(t for _, t in stack))
        if standalone:
            section.heading = paragraph
        else:
            section.paragraphs.append(paragraph)
        sections.append(section)
    return [s for s in sections if s.paragraphs or s.heading]


def chinese_numeral(number: int) -> str:
    """一 … 十 for 1–10 (the file's own way of counting), the digits above."""
    return "一二三四五六七八九十"[number - 1] if 1 <= number <= 10 else str(number)


def _file_label(marked: int, piece: int, pieces: int, number: int) -> str:
    """How the file numbers the ``piece``-th of the ``pieces`` reports under its marker 篇``marked`` ("第5篇之二"),
    or "" when that is report ``number``'s own "第N篇" (or the file has no markers)."""
    if not marked:
        return ""
    if pieces > 1:
        return f"第{marked}篇之{chinese_numeral(piece)}"
    return "" if marked == number else f"第{marked}篇"


def split_reports(paragraphs: list[Paragraph]) -> tuple[str, list[Report]]:
    """Split a file's paragraphs into titled reports with sections; also return the collection title."""
    marks = [i for i, p in enumerate(paragraphs) if report_marker(p.text)]
    if marks:
        preamble = paragraphs[: marks[0]]
        segments = [(paragraphs[a], paragraphs[a + 1 : b]) for a, b in zip(marks, marks[1:] + [len(paragraphs)])]
    else:
        first_is_collection = bool(paragraphs) and bool(_COUNT_SUFFIX.search(paragraphs[0].text))
        preamble = paragraphs[:1] if first_is_collection else []
        segments = [(None, paragraphs[len(preamble):])]
    collection = _collection_title(preamble)
    reports: list[Report] = []
    if any(not _is_heading(p) for p in preamble):
        reports.append(Report(1, collection or "前言", preamble, label="前言" if marks else ""))
    for marker_paragraph, body in segments:
        marker_title, marked = "", 0
        if marker_paragraph is not None:
            marked, marker_title = report_marker(marker_paragraph.text) or (0, "")
            marker_title = marker_title or marker_paragraph.text
        parts = [(title, rest) for title, rest in (_title_and_body(part, marker_title) for part in _split_segment(body))
                 if rest]
        for piece, (title, rest) in enumerate(parts, start=1):
            number = len(reports) + 1
            if not title:
                title = f"{collection}（第{number}篇）" if collection else f"第{number}篇"
            reports.append(Report(number, title, rest, label=_file_label(marked, piece, len(parts), number)))
    for report in reports:
        report.sections = build_sections(report.paragraphs)
    return collection, reports
