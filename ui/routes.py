"""HTTP routes served beside the Gradio pages (report reader, downloads, exports), and who is asking.

Routes are FastAPI ``APIRoute`` objects handed to Gradio's app at launch
(``launch(app_kwargs={"routes": ...})``), so they exist before the server starts
and sit behind the same login: :func:`route_user` reads Gradio's session cookie
the way Gradio itself does (``app.tokens``; pinned gradio, tested by the 401 tests).

Usage::

    routes = build_routes(service)
    demo.launch(app_kwargs={"routes": routes}, ...)
"""

from __future__ import annotations

from fastapi import Request
from fastapi.routing import APIRoute

from retriever.answer.service import AnswerService

ANONYMOUS = "anonymous"
"""The user name of every request when no login is configured."""


def route_user(request: Request) -> str | None:
    """The logged-in user of a request to a custom route, ``ANONYMOUS`` without login, None if not logged in."""
    app = request.app
    if getattr(app, "auth", None) is None and getattr(app, "auth_dependency", None) is None:
        return ANONYMOUS
    cookies, cookie_id = request.cookies, app.cookie_id
    token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
    return app.tokens.get(token)


def build_routes(service: AnswerService) -> list[APIRoute]:
    """Every custom route of the app (none yet)."""
    return []
