"""The report reader: one whole cleaned report as a web page, scrolled to a cited passage (no Gradio here).

The page shows the report the way the index saw it (the file read by
:func:`index.text.load.read_document`, then cleaned and split by the index's own
:func:`index.text.pipeline.split_document`), so .txt, .md, .docx and .pdf reports all
read the same way:

* each original line of the file is one row, its line number in the margin (the
  number is drawn by CSS, so copying text does not copy the numbers);
* the cited passage is marked lightly (``<mark class="hl">``); the sentences the answer
  quoted, when the link names them (``&s=120-164,170-200``, character offsets into the
  passage's text, as :attr:`retriever.answer.citation.Citation.spans`), are marked strongly
  (``<mark class="hl cited">``) and the box above the text names their original lines
  (``引用句：第595行``). The anchor ``#c-<chunk id>`` that the link jumps to sits on the first
  quoted sentence, or on the passage's start when the link names none;
* the section outline sits beside the text (a sticky bar on narrow screens); every
  heading is an anchor ``#hN``, every row ``#L<line>``;
* a link downloads the original file (route ``download``, see :mod:`ui.routes`).

Everything taken from a report (text, titles, headings, file names) is HTML-escaped:
a report holding ``<script>`` shows it as text. The route adds a Content-Security-Policy
that allows only this page's own script, as a second wall.

Links are relative (``reader?chunk=…``), so the app also works under a path prefix. The
``s`` of a link is untrusted: :func:`parse_spans` keeps only well-formed spans inside the
passage and drops the rest, and a file changed since indexing shows no quoted sentences.

Example::

    >>> library = ReportLibrary(Settings())                                 # doctest: +SKIP
    >>> page = reader_html(library.view(chunk.file, chunk.report), chunk, chunk.text, chunk.id)  # doctest: +SKIP
    >>> reader_url(chunk.id)                                                # doctest: +SKIP
    'reader?chunk=3f2a…#c-3f2a…'
    >>> reader_url(chunk.id, [(120, 164)])                                  # doctest: +SKIP
    'reader?chunk=3f2a…&s=120-164#c-3f2a…'
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from core.errors import UnreadableFileError
from core.settings import Settings
from index.text.clean import Paragraph
from index.text.load import read_document
from index.text.pipeline import split_document
from index.text.records import Location
from index.text.split import Report

INDEX_CATCHING_UP = "索引更新后即会一致（上传或删除报告后会自动更新）；如长时间不一致，请联系管理员重建索引。"
"""Said to readers when a report changed after the index was built: they cannot rebuild it themselves."""
CACHE_FILES = 16
"""Parsed report files kept in memory (a large file takes ~0.3 s to clean)."""
MAX_SPANS = 20
"""Quoted spans a reader link may carry; any beyond are ignored (an answer quotes a few sentences per passage)."""
_SPAN = re.compile(r"([0-9]{1,9})-([0-9]{1,9})")

Span = tuple[int, int]
"""Character offsets ``(start, end)`` into a passage's text: ``text[start:end]`` was quoted."""


def anchor_id(chunk_id: str) -> str:
    """The HTML id of a passage's start: ``c-`` and the chunk id (anything but ``[A-Za-z0-9_-]`` replaced)."""
    return "c-" + re.sub(r"[^A-Za-z0-9_-]", "_", chunk_id)


def reader_url(chunk_id: str, spans: Iterable[Span] = ()) -> str:
    """Relative link that opens the reader at a passage (query for the server, fragment for the scroll).

    ``spans`` are the quoted sentences (offsets into the passage's text); they travel as
    ``&s=120-164,170-200`` so the reader marks them. Without any the link is the plain one.
    """
    cited = ",".join(f"{start}-{end}" for start, end in ((int(a), int(b)) for a, b in spans)
                     if 0 <= start < end)
    query = f"&s={cited}" if cited else ""
    return f"reader?chunk={quote(chunk_id, safe='')}{query}#{anchor_id(chunk_id)}"


def parse_spans(raw: str, length: int) -> list[Span]:
    """The quoted spans of a link's ``s`` (``"120-164,170-200"``) for a passage text of ``length`` characters.

    Anyone can edit a link, so only the first :data:`MAX_SPANS` parts are read and a part
    that is not ``start-end`` with ``start < end`` and ``start`` inside the text is dropped,
    never an error; ends past the text are clipped. Sorted, overlapping ones merged.
    """
    spans = []
    for part in raw.split(",", MAX_SPANS)[:MAX_SPANS]:
        match = _SPAN.fullmatch(part.strip())
        if match:
            start, end = int(match[1]), min(int(match[2]), length)
            if start < end:
                spans.append((start, end))
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def report_url(file: str, report: int) -> str:
    """Relative link that opens a whole report at its top."""
    return f"reader?file={quote(file, safe='')}&report={int(report)}"


def download_url(file: str) -> str:
    """Relative link that downloads an original corpus file (``file`` relative to the corpus folder)."""
    return f"download?name={quote(file, safe='')}"


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
    blocks: list[Block] = field(default_factory=list)
    outline: list[OutlineEntry] = field(default_factory=list)

    @classmethod
    def of(cls, file: str, report: Report) -> ReportView:
        """Lay out a split report: headings and paragraphs in order, each section's first block anchored."""
        view = cls(file, report.number, report.title)
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


class ReportLibrary:
    """Reports of the corpus files, read, cleaned and split on demand, the last few files kept in memory.

    A file is re-read when its size or modification time changes. Only names under the
    corpus folder are read; the routes pass names taken from the index, never raw paths.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.corpus.resolve()
        self._cache: dict[str, tuple[tuple[int, int], list[Report]]] = {}
        self._lock = threading.Lock()  # one parse at a time: the cleaner's word splitter is shared

    def path(self, file: str) -> Path | None:
        """The file's path if it lies inside the corpus folder and exists, else None."""
        path = (self.root / file).resolve()
        return path if path.is_relative_to(self.root) and path.is_file() else None

    def reports(self, file: str) -> list[Report]:
        """The reports of one corpus file; raises :class:`UnreadableFileError` when it is gone or unreadable."""
        path = self.path(file)
        if path is None:
            raise UnreadableFileError(f"报告文件 {file} 已不在报告文件夹中")
        stat = path.stat()
        key = (stat.st_size, stat.st_mtime_ns)
        with self._lock:
            cached = self._cache.get(file)
            if cached is not None and cached[0] == key:
                return cached[1]
            _, reports = split_document(read_document(path, self.root), self.settings)
            self._cache[file] = (key, reports)
            while len(self._cache) > CACHE_FILES:
                self._cache.pop(next(iter(self._cache)))
            return reports

    def view(self, file: str, number: int) -> ReportView | None:
        """Report ``number`` of ``file`` laid out for reading, or None if the file has no such report."""
        match = [r for r in self.reports(file) if r.number == number]
        return ReportView.of(file, match[0]) if match else None

    def quoted_lines(self, passage: Location, text: str, spans: Sequence[Span]) -> str:
        """The original lines that hold the quoted ``spans`` of a passage ("第595行"); "" if they cannot be found
        (no spans, the file gone, or changed since indexing): the passage's own line span still stands."""
        if not spans:
            return ""
        try:
            view = self.view(passage.file, passage.report)
        except UnreadableFileError:
            return ""
        pieces = locate_pieces(view, passage, text) if view else []
        return cited_lines(view, map_spans(pieces, spans)) if pieces else ""

    @classmethod
    def shared(cls, settings: Settings) -> ReportLibrary:
        """One library per corpus folder for the whole process (the reader route and the source cards share
        its cache of parsed files)."""
        key = (settings.corpus.resolve(), settings.watermark_min_share, settings.watermark_min_lines)
        with _SHARED_LOCK:
            return _SHARED.setdefault(key, cls(settings))


_SHARED: dict[tuple, ReportLibrary] = {}
_SHARED_LOCK = threading.Lock()


READER_CSS = """
*{box-sizing:border-box}
:root{--side:230px}
@media (max-width:900px){:root{--side:180px}}
body{margin:0;font-family:"Noto Serif CJK SC","Source Han Serif SC","SimSun","WenQuanYi Zen Hei",serif;
  color:#1f1f1f;background:#fff;line-height:1.9;font-size:16px}
#outline{position:fixed;top:0;left:0;bottom:0;width:var(--side);overflow:auto;padding:14px 10px 24px 14px;
  background:#f4f5f7;border-right:1px solid #e1e3e8;font-size:13.5px;line-height:1.5}
#outline .ot{font-weight:bold;color:#555;margin-bottom:6px}
#outline a{display:block;padding:3px 4px;color:#1a4fa0;text-decoration:none;border-radius:4px}
#outline a:hover{background:#e4e9f2}
#outline a.cur{background:#fff0b3;color:#5c4400}
#outline .d2{padding-left:16px}#outline .d3{padding-left:28px}#outline .d4,#outline .d5{padding-left:40px}
main{margin-left:var(--side);padding:10px 28px 60vh 18px;max-width:940px}
header{position:sticky;top:0;z-index:1;background:#fff;border-bottom:1px solid #e1e3e8;margin-bottom:10px;
  padding:4px 0 6px}
h1{font-size:20px;margin:2px 0;line-height:1.4}
.meta{color:#555;font-size:13.5px;line-height:1.6}
.meta .links{white-space:nowrap;margin-left:10px}
.meta a{color:#1a4fa0;margin-right:12px}
.cite{background:#fffbe6;border:1px solid #f0d98c;border-radius:6px;padding:4px 10px;margin:8px 0 4px;
  font-size:13.5px;color:#5c4400;line-height:1.6}
.cite a{color:#1a4fa0}
.cite .quoted{margin-left:10px;font-weight:bold;white-space:nowrap}
.notice{background:#fdecea;border:1px solid #f3b7b0;border-radius:6px;padding:4px 10px;margin:6px 0;font-size:13.5px}
.p{margin:0 0 10px}
.ln{position:relative;padding-left:3.6em;white-space:pre-wrap;word-break:break-all}
.ln::before{content:attr(data-n);position:absolute;left:0;width:2.8em;text-align:right;color:#9aa0a6;
  font:12px/2.4 ui-monospace,monospace;user-select:none;-webkit-user-select:none}
.h .ln{font-weight:bold;font-family:"WenQuanYi Zen Hei",sans-serif;color:#1d3b6b}
.h.d1{margin-top:18px;font-size:18px}.h.d2{margin-top:12px;font-size:16.5px}
mark.hl{background:#fff4c9;box-shadow:0 0 0 2px #fff4c9;color:inherit}
mark.hl.cited{background:#ffd45c;box-shadow:0 0 0 2px #ffd45c;text-decoration:underline 2px #b26b00;
  text-underline-offset:4px}
[id]{scroll-margin-top:30vh}
@media (max-width:560px){
  #outline{position:sticky;top:0;bottom:auto;width:auto;max-height:6.2em;display:flex;flex-wrap:wrap;
    gap:0 12px;padding:6px 10px;z-index:2;border-right:0;border-bottom:1px solid #e1e3e8}
  #outline .ot{display:none}
  #outline a{display:inline;padding:0}
  main{margin-left:0;padding:8px 12px 60vh}
  header{position:static}
  [id]{scroll-margin-top:8em}
}
"""

CENTRE_SCRIPT = (
    "if(!location.hash){const e=document.querySelector('mark.cited')||document.querySelector('mark.hl');"
    "const h=document.querySelector('header');"
    "const above=getComputedStyle(h).position==='sticky'?h.offsetHeight:"
    "document.getElementById('outline').offsetHeight;"
    "if(e)window.scrollTo(0,e.getBoundingClientRect().top+window.scrollY-above-72);}"
)
"""Scrolls to the first quoted sentence, else the passage, when the link carried no ``#fragment``.

The app's reader panel loads links without their fragment: a fragment scroll inside a frame
also scrolls the app page around it, ``window.scrollTo`` moves only the frame."""


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _segments(start: int, end: int, passage: list[tuple[int, int]],
              cited: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The row ``[start, end)`` cut where a mark begins or ends: ``(lo, hi, class)``, class "", "hl" or "hl cited"."""
    def inside(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(max(a, start), min(b, end)) for a, b in ranges if max(a, start) < min(b, end)]

    passage, cited = inside(passage), inside(cited)
    cuts = sorted({start, end, *(x for r in passage + cited for x in r)})
    segments: list[tuple[int, int, str]] = []
    for lo, hi in zip(cuts, cuts[1:]):
        kind = ("hl cited" if any(a <= lo < b for a, b in cited)
                else "hl" if any(a <= lo < b for a, b in passage) else "")
        if segments and segments[-1][2] == kind:
            segments[-1] = (segments[-1][0], hi, kind)
        else:
            segments.append((lo, hi, kind))
    return segments


def _row_html(text: str, start: int, end: int, line: int, passage: list[tuple[int, int]],
              cited: list[tuple[int, int]], anchor: list[str], anchor_kind: str) -> str:
    """One original line: its text with the passage and quoted ranges marked.

    ``anchor`` holds the anchor id until the first mark of ``anchor_kind`` takes it (then it is emptied).
    """
    parts = []
    for lo, hi, kind in _segments(start, end, passage, cited):
        if not kind:
            parts.append(_escape(text[lo:hi]))
            continue
        id_attr = ""
        if anchor and kind == anchor_kind:
            id_attr = f' id="{anchor.pop()}"'
        parts.append(f'<mark class="{kind}"{id_attr}>{_escape(text[lo:hi])}</mark>')
    return f'<div class="ln" id="L{line}" data-n="{line}">{"".join(parts)}</div>'


def cited_lines(view: ReportView, mapped: list[dict[int, list[tuple[int, int]]]]) -> str:
    """The original lines the quoted spans lie on: "第595行", "第593—595行", several joined with "、"."""
    spans = []
    for ranges in mapped:
        lines = [line for index, marks in ranges.items() for start, end, line in rows(view.blocks[index].paragraph)
                 if any(max(a, start) < min(b, end) for a, b in marks)]
        if lines:
            spans.append((min(lines), max(lines)))
    merged: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    return "、".join(f"第{a}行" if a == b else f"第{a}—{b}行" for a, b in merged)


def reader_html(view: ReportView, passage: Location | None = None, text: str = "", chunk_id: str = "",
                nonce: str = "", spans: Sequence[Span] = ()) -> str:
    """The reader page for ``view``, with ``passage`` (a chunk or hit and its ``text``) marked if given.

    ``spans`` (offsets into ``text``, see :func:`parse_spans`) are the quoted sentences: marked
    strongly, named by line in the box above the text, the anchor and first view on the first.
    """
    marks: dict[int, list[tuple[int, int]]] = {}
    mapped: list[dict[int, list[tuple[int, int]]]] = []
    notice = ""
    anchor = anchor_id(chunk_id or (passage.id if passage else ""))
    if passage is not None:
        pieces = locate_pieces(view, passage, text)
        if pieces:
            marks = passage_ranges(pieces)
            mapped = map_spans(pieces, spans)
        else:
            marks = lines_as_ranges(view, passage)
            notice = ("此文件在建立索引后已有改动，下面按行号标出引用的位置，内容可能已不同"
                      + ("，引用的句子无法单独标出" if spans else "") + f"。{INDEX_CATCHING_UP}")
    cited: dict[int, list[tuple[int, int]]] = {}
    for ranges in mapped:
        for index, block_ranges in ranges.items():
            cited.setdefault(index, []).extend(block_ranges)
    target = cited or marks
    current = current_section = ""
    body, pending = [], [anchor]
    for index, block in enumerate(view.blocks):
        if block.anchor:
            current_section = block.anchor
        if index in target and not current:
            current = current_section if view.outline else ""
        classes = f"p h d{min(block.depth, 5)}" if block.heading else "p"
        id_attr = f' id="{block.anchor}"' if block.anchor else ""
        paragraph = block.paragraph
        rows_html = "".join(
            _row_html(paragraph.text, start, end, line, marks.get(index, []), cited.get(index, []), pending,
                      "hl cited" if cited else "hl")
            for start, end, line in rows(paragraph)
        )
        body.append(f'<div class="{classes}"{id_attr}>{rows_html}</div>')
    outline = "".join(
        f'<a href="#{e.anchor}" class="d{min(e.depth, 5)}{" cur" if e.anchor == current else ""}">'
        f"{_escape(e.title)}</a>"
        for e in view.outline
    )
    first, last = view.line_range()
    cite = back = ""
    if passage is not None:
        quoted = cited_lines(view, mapped)
        quoted_html = f'<span class="quoted" id="quoted">引用句：{quoted}</span>' if quoted else ""
        cite = f'<div class="cite">引用段落：{_escape(passage.source())}{quoted_html}</div>'
        back = f'<a href="#{anchor}" id="back">回到引用处</a>'
    nonce_attr = f' nonce="{_escape(nonce)}"' if nonce else ""
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{_escape(view.title)} · 报告阅读</title><style{nonce_attr}>{READER_CSS}</style></head>
<body><nav id="outline" aria-label="目录"><div class="ot">目录</div>{outline or '<span>（本篇无小标题）</span>'}</nav>
<main><header><h1>{_escape(view.title)}</h1>
<div class="meta">{_escape(view.file)} · 第{view.number}篇 · 原文第{first}—{last}行
<span class="links"><a href="{_escape(download_url(view.file))}" id="download" download>下载原文件</a>
<a href="{_escape(reader_url(chunk_id, spans) if chunk_id else report_url(view.file, view.number))}" target="_blank"
 rel="noopener" id="new-tab">在新窗口打开</a>{back}</span></div>{cite}</header>
{f'<div class="notice">{notice}</div>' if notice else ''}
<article id="text">{"".join(body)}</article></main>
<script{nonce_attr}>{CENTRE_SCRIPT}</script></body></html>"""


def message_page(message: str, nonce: str = "") -> str:
    """A small page with one message (unknown passage, hint before anything was opened)."""
    nonce_attr = f' nonce="{_escape(nonce)}"' if nonce else ""
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>报告阅读</title>'
            f'<style{nonce_attr}>body{{font-family:"WenQuanYi Zen Hei",sans-serif;color:#555;padding:24px;'
            f'line-height:1.8}}</style></head><body><p>{_escape(message)}</p></body></html>')
