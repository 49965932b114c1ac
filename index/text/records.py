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
from dataclasses import asdict, dataclass, field, fields
from pathlib import PurePath

CONTEXT_SEPARATOR = " > "


@dataclass
class Location:
    """Where a passage is: report, section, file and original line span.

    ``reports_in_file`` is how many reports its file holds: in a collection (one file, many reports,
    some sharing a title) the citation names the report's number too, 第5篇.
    """

    id: str
    file: str
    report: int
    report_title: str
    section_path: list[str]
    line_start: int
    line_end: int
    reports_in_file: int = field(default=1, kw_only=True)

    def location(self) -> Location:
        """Only the location fields (of a chunk or a hit)."""
        return Location(**{f.name: getattr(self, f.name) for f in fields(Location)}
                        | {"section_path": list(self.section_path)})

    def path_text(self, empty: str = "") -> str:
        """The section path as "一、… > （一）…", or ``empty`` for text before the first heading."""
        return CONTEXT_SEPARATOR.join(self.section_path) or empty

    def line_span(self) -> str:
        """The original line span, "第12—14行", or "第12行" for a passage of one line."""
        if self.line_start == self.line_end:
            return f"第{self.line_start}行"
        return f"第{self.line_start}—{self.line_end}行"

    def report_number(self) -> str:
        """"第5篇 " when the file holds several reports, else "" (a file of one report needs no number)."""
        return f"第{self.report}篇 " if self.reports_in_file > 1 else ""

    def where(self) -> str:
        """File, report number in a collection and line span: "a.txt 第12—14行", "b.txt 第5篇 第3行"."""
        return f"{self.file} {self.report_number()}{self.line_span()}"

    def file_label(self) -> str:
        """A short name of the file: its leading number ("002" of "002_基层….txt"), else its name without the
        extension, cut at 12 characters."""
        stem = PurePath(self.file).stem
        number = re.match(r"\d+(?=[_\-\s])", stem)
        return number.group(0) if number else (stem if len(stem) <= 12 else stem[:12] + "…")

    def source(self) -> str:
        """The full citation: "《报告》章节，文件 第a—b行" (the section left out when there is none)."""
        path = self.path_text()
        return f"《{self.report_title}》{path + '，' if path else ''}{self.where()}"


@dataclass
class Chunk(Location):
    """A passage of one section of one report, with exact provenance.

    ``places`` are the places and bodies its report is about (:mod:`index.text.context`).
    ``pieces`` (not exported) lists ``(text, original line)`` fragments so that
    tests can check every character against the original file.
    """

    text: str
    duplicate_of: str | None = None
    places: list[str] = field(default_factory=list)
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
        return cls(**values | {"section_path": list(data["section_path"]), "places": list(data.get("places", []))})
