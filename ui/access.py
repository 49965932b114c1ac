"""Who is asking, for Gradio events: the request's user and address, checked by the workplace's rules.

Every event handler of the app calls :func:`session` first (``need="admin"`` on the admin
page): hiding a tab is not security, since any event can be called by its index or API
name. A refusal becomes a ``gr.Error`` with the Chinese reason, which the page shows as a
toast and ``gradio_client`` raises as ``AppError``.

Usage::

    def upload(path, request: gr.Request):
        who = session(place, request, need="admin")
"""

from __future__ import annotations

import gradio as gr

from core.errors import AccessDenied
from office.workplace import Session, Workplace

DENIED_TITLE = "拒绝访问"


def client_of(request: gr.Request | None) -> str | None:
    """The address the request came from (the proxy's, behind a reverse proxy), or None."""
    client = getattr(request, "client", None)
    return getattr(client, "host", None)


def session_token(request: object) -> str | None:
    """The login session's cookie of a request (Gradio's ``access-token``), or None without a login.

    Takes a starlette request or a ``gr.Request`` (whose attributes would come back as objects: its
    underlying ``request`` is read instead).
    """
    raw = getattr(request, "request", None) if isinstance(request, gr.Request) else request
    app = getattr(raw, "app", None)
    cookies = getattr(raw, "cookies", None) or {}
    cookie_id = getattr(app, "cookie_id", None)
    if not cookie_id:
        return None
    return cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")


def session(place: Workplace, request: gr.Request | None, need: str = "reader", attempted: str = "",
            target: str = "") -> Session:
    """The session allowed to run this event; raise ``gr.Error`` (拒绝访问) otherwise (a refusal's audit entry
    names what was ``attempted`` and its ``target``)."""
    try:
        return place.grant(getattr(request, "username", None), client_of(request), need, session_token(request),
                           attempted, target)
    except AccessDenied as error:
        raise gr.Error(str(error), title=DENIED_TITLE) from None
