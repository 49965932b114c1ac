"""The source cards under an answer: each cited passage with its quoted sentences marked, where it comes from,
and links to the reader and the original file (HTML, no Gradio here).

The chat draws them under each answer and 我的提问 draws them the same way when an answer
is reopened (:mod:`ui.chat`, :mod:`ui.history`). Everything taken from a report is
HTML-escaped. With the shared :class:`ui.reader.ReportLibrary`, a card also names the
original lines of its quoted sentences (引用句：第595行).

Usage::

    html = sources_html(entry, library)              # the cards of one answer under a line naming its question
    html = cards_html(citations, library)            # the cards alone
"""

from __future__ import annotations

import html

from retriever.answer.citation import Citation
from ui.reader import ReportLibrary, download_url, reader_url
from ui.session import SessionEntry

HEAD_CHARS = 80
"""A longer question is cut with … in the line above its sources (the chat shows it whole)."""

CARD_CSS = """
.card {border:1px solid #ddd; border-radius:8px; padding:10px 12px; margin:8px 0; background:#fafafa}
.card .meta {color:#555; font-size:0.9em; margin-bottom:6px}
.card .meta .quoted {color:#7a4d00; font-weight:bold}
.card .text {white-space:pre-wrap; line-height:1.6}
.card mark {background:#ffe58f}
.card .dups {color:#777; font-size:0.85em; margin-top:6px}
.card .links a {margin-right:12px; font-size:0.9em}
.sources-head {color:#333; font-weight:bold; margin:6px 0 2px}
"""
"""The cards' styles (the page adds them to its own)."""


def card_html(citation: Citation, quoted: str = "") -> str:
    """A source card: everything from the report is escaped; cited sentences are marked; links to reader and file.

    ``quoted`` says where the quoted sentences lie when that narrows the passage's own place ("引用句：第595行",
    "引用句：1、加强…，第595行", see :func:`quoted_note`), shown after the passage's line span.
    """
    hit = citation.hit
    text, parts, cursor = hit.text, [], 0
    for start, end in citation.spans:
        parts += [html.escape(text[cursor:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        cursor = end
    parts.append(html.escape(text[cursor:]))
    reader = html.escape(reader_url(hit.id, citation.spans))  # opens at the quoted sentences
    dups = "".join(
        f"<div>同一段落也见于《{html.escape(d.report_title)}》{html.escape(d.where())}</div>"
        for d in hit.duplicates
    )
    return (
        f"<div class='card' data-n='{citation.n}'><div class='meta'><b>[{citation.n}] "
        f"《{html.escape(hit.report_title)}》</b> "
        f"{html.escape(hit.path_text('正文开头'))}<br>{html.escape(hit.where())}"
        + (f" · <span class='quoted'>{html.escape(quoted)}</span>" if quoted else "") + "</div>"
        f"<div class='text'>{''.join(parts)}</div>"
        + (f"<div class='dups'>{dups}</div>" if dups else "")
        + f"<div class='links'><a class='open-reader' href='{reader}' target='reader'>"
        f"阅读原文</a><a href='{html.escape(download_url(hit.file))}' download>下载原文件</a></div>"
        "</div>"
    )


def quoted_note(citation: Citation, library: ReportLibrary | None = None) -> str:
    """Where the quoted sentences lie ("引用句：1、加强…，第595行"), from the index's marks of the passage; for an
    answer saved before the index kept them, the lines found in the report file through ``library`` (else "")."""
    if citation.hit.line_starts or library is None:
        return citation.quoted_note()
    lines = library.quoted_lines(citation.hit, citation.hit.text, citation.spans)
    return f"引用句：{lines}" if lines and lines != citation.hit.line_span() else ""


def cards_html(citations: list[Citation], library: ReportLibrary | None = None) -> str:
    """The source cards of an answer, each naming where its quoted sentences lie."""
    return "".join(card_html(c, quoted_note(c, library)) for c in citations)


def sources_html(entry: SessionEntry, library: ReportLibrary | None = None) -> str:
    """The source cards of one answer under a line naming its question (with ``library``, each card also names
    the lines of its quoted sentences)."""
    if not entry.citations:
        return ""
    question = entry.question if len(entry.question) <= HEAD_CHARS else entry.question[:HEAD_CHARS] + "…"
    head = f"<div class='sources-head'>出处 · 问题：{html.escape(question)}</div>"
    return head + cards_html(entry.citations, library)
