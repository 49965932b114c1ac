"""The report reader: one whole cleaned report as a web page, scrolled to a cited passage (no Gradio here).

The route (:mod:`ui.routes`), the source cards and the [n] links import it through this
package's names; each job is its own module, and imports go down this list only:

* :mod:`ui.reader.page` — the HTML page: rows with their original line numbers, the
  passage and its quoted sentences marked, the outline, everything from a report escaped;
* :mod:`ui.reader.library` — the corpus files read, cleaned and split on demand, the last
  few kept in memory (one library per corpus folder, shared by the route and the cards);
* :mod:`ui.reader.locate` — where a passage and its quoted sentences lie in a report, and
  on which original lines;
* :mod:`ui.reader.view` — a report laid out for reading: blocks and outline;
* :mod:`ui.reader.links` — the reader's and the downloads' links, and the quoted spans a
  link carries (untrusted: parsed leniently).

Example::

    >>> library = ReportLibrary(Settings())                                 # doctest: +SKIP
    >>> page = reader_html(library.view(chunk.file, chunk.report), chunk, chunk.text, chunk.id)  # doctest: +SKIP
    >>> reader_url(chunk.id)                                                # doctest: +SKIP
    'reader?chunk=3f2a…#c-3f2a…'
    >>> reader_url(chunk.id, [(120, 164)])                                  # doctest: +SKIP
    'reader?chunk=3f2a…&s=120-164#c-3f2a…'
"""

from __future__ import annotations

from ui.reader.library import ReportLibrary
from ui.reader.links import MAX_SPANS, Span, anchor_id, download_url, parse_spans, reader_url, report_url
from ui.reader.page import INDEX_CATCHING_UP, message_page, reader_html
from ui.reader.view import ReportView

__all__ = [
    "INDEX_CATCHING_UP",
    "MAX_SPANS",
    "ReportLibrary",
    "ReportView",
    "Span",
    "anchor_id",
    "download_url",
    "message_page",
    "parse_spans",
    "reader_html",
    "reader_url",
    "report_url",
]
