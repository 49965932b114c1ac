"""Typed records of the text layer: where a passage is (:class:`Location`) and the passage itself (:class:`Chunk`).

A chunk is written to the stored index as ``Chunk.to_dict()`` and read back with
``Chunk.from_dict``; every later layer works on these records, never on dicts.
The citation of a passage (title, section path, file, line span) is formatted here
and only here.

Example:

    >>> chunk = Chunk(id="c1", file="a.txt", report=1, report_title="社区建设调研报告",
    ...               section_path=["一、存在的问题"], line_start=12, line_end=14, text="办公用房不足。")
    >>> chunk.source()
    '《社区建设调研报告》一、存在的问题，a.txt 第12—14行'
    >>> Chunk.from_dict(chunk.to_dict()) == chunk
    True
    >>> collected = Chunk(id="c2", file="002_调研报告（5篇）.txt", report=5, report_title="社区治理调研报告",
    ...                   section_path=[], line_start=223, line_end=223, text="……", reports_in_file=7)
    >>> collected.source(), collected.file_label()
    ('《社区治理调研报告》002_调研报告（5篇）.txt 第5篇 第223行', '002')
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import PurePath

CONTEXT_SEPARATOR = " > "


@dataclass
class Location:
    """Where a passage is: report, section, file and original line span.

    ``reports_in_file`` is how many reports its file holds: in a collection (one file, many reports,
    some sharing a title) the citation names the report's number too, 第5篇. ``report_label`` is the file's own
    name for the report when it is not 第N篇 (the second of three reports under 篇五: "第5篇之二").
    """

    id: str
    file: str
    report: int
    report_title: str
    section_path: list[str]
    line_start: int
    line_end: int
    reports_in_file: int = field(default=1, kw_only=True)
    report_label: str = field(default="", kw_only=True)

    def location(self) -> Location:
        """Only the location fields (of a chunk or a hit)."""
        return Location(**{f.name: getattr(self, f.name) for f in fields(Location)}
                        | {"section_path": list(self.section_path)})

    def path_text(self, empty: str = "") -> str:
        """The section path as "一、… > （一）…", or ``empty`` for text before the first heading."""
        return CONTEXT_SEPARATOR.join(self.section_path) or empty

    def line_span(self) -> str:
        """The original line span, "第12—14行", or "第12行" for a passage of one line."""
        return lines_text([(self.line_start, self.line_end)])

    def report_name(self) -> str:
        """The report as its file numbers it: "第5篇", or its label ("第5篇之二")."""
        return self.report_label or f"第{self.report}篇"

    def report_number(self) -> str:
        """"第5篇 " when the file holds several reports, else "" (a file of one report needs no number)."""
        return f"{self.report_name()} " if self.reports_in_file > 1 else ""

    def where(self, lines: str = "") -> str:
        """File, report number in a collection and line span: "a.txt 第12—14行", "b.txt 第5篇 第3行" (``lines``:
        other line text, e.g. the quoted sentences' "第12行、第14行")."""
        return f"{self.file} {self.report_number()}{lines or self.line_span()}"

    def file_label(self) -> str:
        """A short name of the file: its leading number ("002" of "002_基层….txt"), else its name without the
        extension, cut at 12 characters."""
        stem = PurePath(self.file).stem
        number = re.match(r"\d+(?=[_\-\s])", stem)
        return number.group(0) if number else (stem if len(stem) <= 12 else stem[:12] + "…")

    def source(self, lines: str = "") -> str:
        """The full citation: "《报告》章节，文件 第a—b行" (the section left out when there is none)."""
        path = self.path_text()
        return f"《{self.report_title}》{path + '，' if path else ''}{self.where(lines)}"


@dataclass
class Chunk(Location):
    """A passage of one section of one report, with exact provenance.

    ``places`` are the places and bodies its report is about (:mod:`index.text.context`).
    ``line_starts`` and ``section_starts`` map the text back to the report (:func:`quoted_location`): where each
    original line's text begins, and, in a passage that merges sections (a short lead-in with its first
    sub-section, or short sibling sections), where each section's text begins, with its whole heading path.
    ``pieces`` (not exported) lists ``(text, original line)`` fragments so that
    tests can check every character against the original file.
    """

    text: str
    duplicate_of: str | None = None
    places: list[str] = field(default_factory=list)
    line_starts: list[tuple[int, int]] = field(default_factory=list, repr=False)
    section_starts: list[tuple[int, list[str]]] = field(default_factory=list, repr=False)
    pieces: list[tuple[str, int]] = field(default_factory=list, repr=False, compare=False)

    @property
    def context(self) -> str:
        """Report title and section path, put in front of the text for embedding."""
        return CONTEXT_SEPARATOR.join([self.report_title, *self.section_path])

    def to_dict(self) -> dict:
        """The exported fields (the JSONL export and the stored index use this)."""
        data = asdict(self)
        del data["pieces"]
        data["context"] = self.context
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Chunk:
        """A chunk as exported by :meth:`to_dict` (derived fields such as ``context`` are recomputed)."""
        names = {f.name for f in fields(cls)} - {"pieces"}
        values = {name: data[name] for name in names if name in data}
        return cls(**values | {"section_path": list(data["section_path"]), "places": list(data.get("places", []))}
                   | text_marks(data))


def text_marks(data: dict) -> dict:
    """``line_starts`` and ``section_starts`` read back from JSON (lists) as the records hold them (tuples);
    empty in an index or answer saved before they existed."""
    return {"line_starts": [(int(offset), int(line)) for offset, line in data.get("line_starts", [])],
            "section_starts": [(int(offset), list(path)) for offset, path in data.get("section_starts", [])]}


def lines_text(ranges: list[tuple[int, int]]) -> str:
    """Original line ranges as a citation writes them: "第12行", "第12—14行", "第12—14行、第20行".

    >>> lines_text([(12, 12)]), lines_text([(12, 14), (20, 20)])
    ('第12行', '第12—14行、第20行')
    """
    return "、".join(f"第{first}行" if first == last else f"第{first}—{last}行" for first, last in ranges)


def _mark_at(marks: list, offset: int):  # noqa: ANN202 - the value of the last mark at or before ``offset``
    return next((value for start, value in reversed(marks) if start <= offset), marks[0][1])


def quoted_lines(line_starts: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The original lines that the text ``spans`` lie on, as ranges, overlapping and adjacent ones merged.

    >>> quoted_lines([(0, 10), (5, 12), (30, 14)], [(6, 8), (31, 40)])
    [(12, 12), (14, 14)]
    """
    return merge_line_ranges([(_mark_at(line_starts, a), _mark_at(line_starts, max(a, b - 1))) for a, b in spans])


def merge_line_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Line ranges sorted, overlapping and adjacent ones merged (for :func:`lines_text`).

    >>> merge_line_ranges([(14, 14), (12, 13), (20, 21)])
    [(12, 14), (20, 21)]
    """
    merged: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    return merged


def quoted_location(passage: Location, line_starts: list[tuple[int, int]],
                    section_starts: list[tuple[int, list[str]]], spans: list[tuple[int, int]]) -> Location:
    """Where the quoted ``spans`` of a passage lie: the section that holds them all and the original lines from the
    first to the last, so a citation names the sentence and not only the passage that holds it.

    Spans in two sub-sections are named by the section over both: the first one's sub-section would label the
    other's sentence wrongly (a point from "6.大数据平台…" shown under "5.辖区居民学法守法…").
    Without spans or marks (an index or answer saved before marks existed) it is the passage's own location.

    >>> passage = Location(id="c1", file="a.txt", report=1, report_title="调研报告", section_path=["三、建议"],
    ...                    line_start=10, line_end=14)
    >>> sections = [(0, ["三、建议"]), (5, ["三、建议", "1、加强用房建设"]), (20, ["三、建议", "2、配齐人员"])]
    >>> quoted_location(passage, [(0, 10), (5, 12), (30, 14)], sections, [(31, 40)]).source()
    '《调研报告》三、建议 > 2、配齐人员，a.txt 第14行'
    >>> quoted_location(passage, [(0, 10), (5, 12), (30, 14)], sections, [(6, 9), (31, 40)]).source()
    '《调研报告》三、建议，a.txt 第12—14行'
    """
    if not spans or not line_starts:
        return passage.location()
    path = passage.section_path
    if section_starts:
        paths = [_mark_at(section_starts, start) for start, _ in spans]
        paths += [mark for offset, mark in section_starts if any(a < offset < b for a, b in spans)]
        path = paths[0][: next((i for i, parts in enumerate(zip(*paths)) if len(set(parts)) > 1),
                               min(len(p) for p in paths))]
    ranges = quoted_lines(line_starts, spans)
    return replace(passage.location(), section_path=list(path), line_start=ranges[0][0], line_end=ranges[-1][1])


def quoted_sub_section(passage: Location, line_starts: list[tuple[int, int]],
                       section_starts: list[tuple[int, list[str]]], spans: list[tuple[int, int]]) -> str:
    """The sub-section under the passage's own section where the quoted ``spans`` begin ("3、社区办公用房尚未达标"),
    or "" when they are in the passage's own section (the citation's path already names it)."""
    path = quoted_location(passage, line_starts, section_starts, spans).section_path
    return CONTEXT_SEPARATOR.join(path[len(passage.section_path):])
