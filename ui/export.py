"""Answers taken into a draft: the copy box's texts, and Word (.docx) and Markdown exports, without Gradio.

Each exported answer has its question, its answer laid out as in the chat (the lead line,
each report's title over its points, the points with their ``[n]`` markers), and its
numbered sources: for every ``[n]`` the formatted source line (《报告》章节，文件 第a—b行,
:meth:`index.text.records.Location.source`) and the whole cited passage, the cited
sentences in bold (Word) or marked (Markdown).

The chat tab calls these with the answers of the session; the tests call them directly.

Example::

    >>> item = ExportItem("哪些社区办公用房不达标", "- 截山社区办公用房仅144平方米 [1]", [citation])  # doctest: +SKIP
    >>> markdown_text([item])                                                                # doctest: +SKIP
    >>> write_docx([item], Path("out.docx"))                                                 # doctest: +SKIP
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from retriever.answer.citation import Citation, whole_answer_text

TITLE = "报告问答导出"
WHOLE_ANSWER = "回答全文与出处"
"""The copy box's choice that copies the whole answer with its numbered sources."""
EXPORT_KEEP_S = 3600
"""Exported files older than this are removed from the temporary folder at the next export."""
# Characters XML 1.0 cannot hold (python-docx refuses them); cleaned text has none, but a pasted question might.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Markdown and HTML punctuation in report text: escaped, so a rendered .md shows the text as written.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_~#\[\]<>|{}])")
_BULLET = re.compile(r"^\s*(?:[-*•·]\s+)")
_REPORT_LINE = re.compile(r"《[^》\n]+》(?:（[^）\n]*）)?")
"""The line naming the report the points under it come from: 《标题》, with （003 第5篇） when titles repeat."""


@dataclass
class ExportItem:
    """One answer to export: the question, the answer text with ``[n]`` markers, and the passages it cites."""

    question: str
    answer: str
    citations: list[Citation] = field(default_factory=list)


@dataclass(frozen=True)
class AnswerLine:
    """One line of an answer as a draft lays it out: a ``point`` (a bulleted, cited sentence), the ``report``
    its points come from (《标题》), or other ``text`` (the lead line, a notice, 未找到, a 可能相关 passage)."""

    kind: str
    text: str


def answer_lines(answer: str) -> list[AnswerLine]:
    """The answer's non-empty lines, each with its kind; list bullets ("- ") removed from points.

    >>> [(x.kind, x.text) for x in answer_lines("关于“经费”，找到 1 条内容：\\n\\n《调研报告》\\n- 经费不足。 [1]")]
    [('text', '关于“经费”，找到 1 条内容：'), ('report', '《调研报告》'), ('point', '经费不足。 [1]')]
    """
    lines = []
    for line in (raw.strip() for raw in answer.splitlines()):
        if not line:
            continue
        if _BULLET.match(line):
            lines.append(AnswerLine("point", _BULLET.sub("", line).strip()))
        elif _REPORT_LINE.fullmatch(line):
            lines.append(AnswerLine("report", line))
        else:
            lines.append(AnswerLine("text", line))
    return lines


def answer_points(answer: str) -> list[str]:
    """The answer's points (its bulleted lines), bullets removed."""
    return [line.text for line in answer_lines(answer) if line.kind == "point"]


def cited_pieces(citation: Citation) -> list[tuple[str, bool]]:
    """The passage cut into ``(text, cited)`` pieces along the cited sentence spans."""
    text, pieces, cursor = citation.hit.text, [], 0
    for start, end in sorted(citation.spans):
        start, end = max(start, cursor), min(end, len(text))
        if start >= end:
            continue
        if start > cursor:
            pieces.append((text[cursor:start], False))
        pieces.append((text[start:end], True))
        cursor = end
    if cursor < len(text):
        pieces.append((text[cursor:], False))
    return pieces


def source_heading(citation: Citation) -> str:
    """``[n] 《报告》章节，文件 第a—b行``, then where the cited sentences lie when that is narrower:
    ``（引用句：1、…，第b行）``."""
    note = citation.quoted_note()
    return f"[{citation.n}] {citation.hit.source()}" + (f"（{note}）" if note else "")


def xml_safe(text: str) -> str:
    """``text`` without the control characters a Word file cannot hold."""
    return _NOT_XML.sub("", text)


def markdown_escape(text: str) -> str:
    """Report or answer text for Markdown: punctuation that Markdown or HTML would act on is backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def markdown_text(items: Sequence[ExportItem], title: str = TITLE, note: str = "") -> str:
    """The answers as one Markdown document (``note``: e.g. who exported it and when, under the title)."""
    lines = [f"# {markdown_escape(title)}", ""]
    if note:
        lines += [markdown_escape(note), ""]
    for number, item in enumerate(items, start=1):
        heading = f"问题 {number}：" if len(items) > 1 else "问题："
        lines += [f"## {heading}{markdown_escape(item.question)}", "", "### 回答", ""]
        for line in answer_lines(item.answer) or [AnswerLine("text", "（无）")]:
            if line.kind == "point":
                lines.append(f"- {markdown_escape(line.text)}")
            else:  # a report's title opens its points; other lines are paragraphs of their own
                if lines[-1]:
                    lines.append("")
                lines += [f"#### {markdown_escape(line.text)}" if line.kind == "report" else markdown_escape(line.text),
                          ""]
        if lines[-1]:
            lines.append("")
        if item.citations:
            lines += ["### 出处", ""]
        for citation in item.citations:
            lines += [f"**{markdown_escape(source_heading(citation))}**", ""]
            blocks = _paragraph_pieces(cited_pieces(citation))
            for index, block in enumerate(blocks):
                lines.append("> " + "".join(_markdown_piece(text, cited) for text, cited in block))
                if index < len(blocks) - 1:
                    lines.append(">")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _markdown_piece(text: str, cited: bool) -> str:
    """One piece of a passage in Markdown: cited text in bold (spaces kept outside the ``**``)."""
    core = text.strip()
    if not cited or not core:
        return markdown_escape(text)
    lead, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{lead}**{markdown_escape(core)}**{tail}"


def write_markdown(items: Sequence[ExportItem], path: Path, title: str = TITLE, note: str = "") -> Path:
    """Write :func:`markdown_text` to ``path`` (UTF-8) and return the path."""
    path.write_text(markdown_text(items, title, note), encoding="utf-8")
    return path


def write_docx(items: Sequence[ExportItem], path: Path, title: str = TITLE, note: str = "") -> Path:
    """Write the answers as a Word document to ``path`` and return the path.

    Layout: title; per answer a "问题" heading, the answer's lead line as a paragraph, each
    report's title as a heading over its points, the points as a bulleted list, and a "出处"
    section where each source line is a bold paragraph followed by the passage, its cited
    sentences in bold.
    """
    import docx  # python-docx; imported here so that importing this module stays cheap
    from docx.oxml.ns import qn

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "SimSun"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")  # Chinese text in a Chinese font in Word
    document.add_heading(xml_safe(title), level=0)
    if note:
        document.add_paragraph(xml_safe(note))
    for number, item in enumerate(items, start=1):
        heading = f"问题 {number}：" if len(items) > 1 else "问题："
        document.add_heading(xml_safe(heading + item.question), level=1)
        document.add_heading("回答", level=2)
        for line in answer_lines(item.answer) or [AnswerLine("text", "（无）")]:
            if line.kind == "point":
                document.add_paragraph(xml_safe(line.text), style="List Bullet")
            elif line.kind == "report":
                document.add_heading(xml_safe(line.text), level=3)
            else:
                document.add_paragraph(xml_safe(line.text))
        if item.citations:
            document.add_heading("出处", level=2)
        for citation in item.citations:
            document.add_paragraph().add_run(xml_safe(source_heading(citation))).bold = True
            for block in _paragraph_pieces(cited_pieces(citation)):
                paragraph = document.add_paragraph()
                for text, cited in block:
                    paragraph.add_run(xml_safe(text)).bold = cited
    document.save(str(path))
    return path


def _paragraph_pieces(pieces: list[tuple[str, bool]]) -> list[list[tuple[str, bool]]]:
    """The ``(text, cited)`` pieces regrouped into paragraphs at the passage's line breaks."""
    blocks: list[list[tuple[str, bool]]] = [[]]
    for text, cited in pieces:
        for index, part in enumerate(text.split("\n")):
            if index:
                blocks.append([])
            if part:
                blocks[-1].append((part, cited))
    return [block for block in blocks if block]


def copy_choices(text: str, citations: list[Citation]) -> dict[str, str]:
    """Copy-box choices (each cited passage, then the whole answer) and the plain text each one copies."""
    choices = {f"[{c.n}] 《{c.hit.report_title}》{c.hit.report_number()}{c.hit.line_span()}": c.copy_text()
               for c in citations}
    return choices | {WHOLE_ANSWER: whole_answer_text(text, citations)}


def export_file_name(questions: list[str], stamp: str) -> str:
    """The exported file's name (no extension): what it holds and when, so repeated exports stay apart.

    >>> export_file_name(["哪些社区办公用房不达标？"], "2026-11-25T14:03:09+08:00")
    '报告问答导出_哪些社区办公用房不达标_20261125-1403'
    >>> export_file_name(["社区经费从哪里来", "三社联动"], "2026-11-25T14:03:09+08:00")
    '报告问答导出_社区经费从哪里来等2问_20261125-1403'
    """
    head = "".join(re.findall(r"\w+", questions[0] if questions else ""))[:16]  # \w: letters, digits, 汉字
    more = f"等{len(questions)}问" if len(questions) > 1 else ""
    when = re.sub(r"[^0-9]", "", stamp[:16])
    return f"{TITLE}_{head}{more}_{when[:8]}-{when[8:12]}"


def export_folder() -> Path:
    """A fresh folder for one export under the system temporary folder (Gradio serves files from there)."""
    base = Path(tempfile.gettempdir()) / "reportqa-export"
    base.mkdir(exist_ok=True)
    for old in base.iterdir():
        try:
            if time.time() - old.stat().st_mtime > EXPORT_KEEP_S:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass
    folder = base / uuid.uuid4().hex
    folder.mkdir()
    return folder
