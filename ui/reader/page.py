"""The reader's HTML page: one whole cleaned report, scrolled to a cited passage with its quoted sentences
marked (no Gradio here; the route is :mod:`ui.routes`).

The page shows the report the way the index saw it (a :class:`ui.reader.view.ReportView`
of the file as the index read, cleaned and split it), so .txt, .md, .docx and .pdf reports
all read the same way:

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
that allows only this page's own script, as a second wall. A file changed since indexing
is marked by the passage's lines, with a notice, and shows no quoted sentences.

Usage::

    html = reader_html(library.view(chunk.file, chunk.report), chunk, chunk.text, chunk.id, nonce, spans)
    html = message_page("没有这份报告。", nonce)     # an unknown passage or report, a hint
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from index.text.records import Chunk, Location, quoted_sub_section
from ui.reader.links import Span, anchor_id, download_url, reader_url, report_url
from ui.reader.locate import cited_lines, lines_as_ranges, locate_pieces, map_spans, passage_ranges, rows
from ui.reader.view import ReportView

INDEX_CATCHING_UP = "索引更新后即会一致（上传或删除报告后会自动更新）；如长时间不一致，请联系管理员重建索引。"
"""Said to readers when a report changed after the index was built: they cannot rebuild it themselves."""

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


def reader_html(view: ReportView, passage: Location | None = None, text: str = "", chunk_id: str = "",
                nonce: str = "", spans: Sequence[Span] = ()) -> str:
    """The reader page for ``view``, with ``passage`` (a chunk or hit and its ``text``) marked if given.

    ``spans`` (offsets into ``text``, see :func:`ui.reader.links.parse_spans`) are the quoted sentences: marked
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
        if quoted and isinstance(passage, Chunk) and spans:  # with its own sub-section, as the source cards name it
            deeper = quoted_sub_section(passage, passage.line_starts, passage.section_starts, list(spans))
            quoted = f"{_escape(deeper)}，{quoted}" if deeper else quoted
        quoted_html = f'<span class="quoted" id="quoted">引用句：{quoted}</span>' if quoted else ""
        cite = f'<div class="cite">引用段落：{_escape(passage.source())}{quoted_html}</div>'
        back = f'<a href="#{anchor}" id="back">回到引用处</a>'
    nonce_attr = f' nonce="{_escape(nonce)}"' if nonce else ""
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{_escape(view.title)} · 报告阅读</title><style{nonce_attr}>{READER_CSS}</style></head>
<body><nav id="outline" aria-label="目录"><div class="ot">目录</div>{outline or '<span>（本篇无小标题）</span>'}</nav>
<main><header><h1>{_escape(view.title)}</h1>
<div class="meta">{_escape(view.file)} · {_escape(view.label or f"第{view.number}篇")} · 原文第{first}—{last}行
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
