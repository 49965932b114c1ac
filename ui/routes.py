"""HTTP routes served beside the Gradio pages (report reader, downloads of original files), and who is asking.

Routes are FastAPI ``APIRoute`` objects handed to Gradio's app at launch
(``launch(app_kwargs={"routes": ...})``), so they exist before the server starts
and sit behind the same login: :func:`route_user` reads Gradio's session cookie
the way Gradio itself does (``app.tokens``; pinned gradio, tested by the 401 tests),
and the workplace's rule (:meth:`office.workplace.Workplace.grant`) decides, as for
every event: a removed account is refused at once. Passages are looked up in the live
index, which an index update swaps.

* ``GET /reader?chunk=<id>`` — the whole report of a passage, scrolled to it (:mod:`ui.reader`);
  ``&s=120-164,170-200`` also marks the quoted sentences (offsets into the passage's text) and
  scrolls to the first; malformed or out-of-range spans are dropped (:func:`ui.reader.parse_spans`);
  ``/reader?file=<name>&report=<n>`` a report from its top; ``/reader`` alone a hint.
  Only passages and files of the index are looked up, by id or name, never as paths.
* ``GET /download?name=<file>`` — an original report file, only from inside the corpus folder.

Usage::

    routes = build_routes(place)
    demo.launch(app_kwargs={"routes": routes}, ...)
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from pathlib import Path
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from fastapi.routing import APIRoute

from core.errors import AccessDenied, UnreadableFileError
from index.text.load import SUPPORTED_SUFFIXES
from index.text.records import Chunk
from office.workplace import NOT_LOGGED_IN, Workplace
from ui.access import session_token
from ui.reader import INDEX_CATCHING_UP, ReportLibrary, message_page, parse_spans, reader_html

ANONYMOUS = "anonymous"
"""The user name of every request when no login is configured."""
READER_HINT = "点击回答中的 [n]、出处卡片或检索结果中的“阅读原文”，在这里阅读报告原文。"


def route_user(request: Request) -> str | None:
    """The logged-in user of a request to a custom route, ``ANONYMOUS`` without login, None if not logged in."""
    app = request.app
    if getattr(app, "auth", None) is None and getattr(app, "auth_dependency", None) is None:
        return ANONYMOUS
    return app.tokens.get(session_token(request))


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / RFC 5987)."""
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", fallback).strip("._") or "download"
    suffix = Path(name).suffix
    if suffix and not fallback.endswith(suffix) and suffix.isascii():
        fallback += suffix
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def safe_name(name: str) -> bool:
    """A relative name of plain parts: no ``..``, ``.``, hidden part, empty part, backslash, drive or NUL."""
    return bool(name) and "\x00" not in name and "\\" not in name and not name.startswith("/") \
        and not re.match(r"^[A-Za-z]:", name) \
        and all(part and not part.startswith(".") for part in name.split("/"))


def page_headers(nonce: str) -> dict[str, str]:
    """A reader page runs only its own style and script (nonce); it may be framed by the app only."""
    return {
        "Content-Security-Policy": (f"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; "
                                    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
        "Referrer-Policy": "same-origin",
    }


def refusal(place: Workplace, request: Request, need: str = "reader") -> Response | None:
    """None if the request has the right ``need``; else 401 (not logged in) or 403 (no such account, or not an
    admin), in Chinese."""
    name = route_user(request)
    if name is None:
        return PlainTextResponse(NOT_LOGGED_IN, status_code=401)
    try:
        place.grant(None if name == ANONYMOUS else name, request.client.host if request.client else None, need,
                    session_token(request), attempted=f"{request.method} {request.url.path}")
    except AccessDenied as error:
        return PlainTextResponse(str(error), status_code=403)
    return None


class ChunkLookup:
    """Passages of the live index by id and its file names, rebuilt when the live index changes."""

    def __init__(self, place: Workplace) -> None:
        self.place = place
        self._source: list[Chunk] | None = None
        self.by_id: dict[str, Chunk] = {}
        self.files: set[str] = set()

    def refresh(self) -> ChunkLookup:
        chunks = self.place.live.current.retriever.chunks
        if chunks is not self._source:
            self.by_id = {c.id: c for c in chunks}
            self.files = {c.file for c in chunks}
            self._source = chunks
        return self


def build_routes(place: Workplace) -> list[APIRoute]:
    """The app's custom routes: ``/reader`` and ``/download``."""
    library = ReportLibrary.shared(place.settings)
    lookup = ChunkLookup(place)

    def page(message: str, status: int, nonce: str) -> HTMLResponse:
        return HTMLResponse(message_page(message, nonce), status_code=status, headers=page_headers(nonce))

    def reader(request: Request, chunk: str = "", file: str = "", report: str = "", s: str = "") -> Response:
        refused = refusal(place, request)
        if refused is not None:
            return refused
        nonce = secrets.token_urlsafe(16)
        known = lookup.refresh()
        passage = None
        if chunk:
            passage = known.by_id.get(chunk)
            if passage is None:
                return page("没有找到这个段落：索引可能已经更新，请重新提问或检索。", 404, nonce)
            file, number = passage.file, passage.report
        elif file:
            if file not in known.files or not report.isdigit():
                return page("没有这份报告。", 404, nonce)
            number = int(report)
        else:
            return page(READER_HINT, 200, nonce)
        try:
            view = library.view(file, number)
        except UnreadableFileError as error:
            return page(f"无法打开报告：{error}", 404, nonce)
        if view is None:
            return page(f"这份报告已不在文件中：索引尚未更新。{INDEX_CATCHING_UP}", 404, nonce)
        text = passage.text if passage else ""
        spans = parse_spans(s, len(text)) if passage else []
        html_text = reader_html(view, passage, text, passage.id if passage else "", nonce, spans)
        return HTMLResponse(html_text, headers=page_headers(nonce))

    def download(request: Request, name: str = "") -> Response:
        refused = refusal(place, request)
        if refused is not None:
            return refused
        if not safe_name(name) or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            return PlainTextResponse("文件名不合法。", status_code=400)
        path = library.path(name)  # resolved inside the corpus folder (a symlink leading out is refused)
        if path is None:
            return PlainTextResponse("没有这个文件。", status_code=404)
        return FileResponse(path, headers={"Content-Disposition": content_disposition(path.name),
                                           "X-Content-Type-Options": "nosniff"})

    return [
        APIRoute("/reader", reader, methods=["GET"], include_in_schema=False),
        APIRoute("/download", download, methods=["GET"], include_in_schema=False),
    ]
