"""``GET /admin/audit``: the audit log as JSON lines, filtered like the page, for admins (a backup or a script).

Anyone not logged in gets 401, a logged-in non-admin 403, both with a Chinese message;
the query parameters are the page's filters (``user``, ``action``, ``since``, ``until``,
``text``, ``limit``); a day that is not a real ``YYYY-MM-DD`` or an unknown action gets 400
with a Chinese message.

Usage::

    routes = admin_routes(place)     # handed to launch(app_kwargs={"routes": ...}) with the other routes
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response
from fastapi.routing import APIRoute

from office.audit import AuditQuery, AuditQueryError
from office.workplace import Workplace
from ui.routes import refusal


def admin_routes(place: Workplace) -> list[APIRoute]:
    """The admin-only HTTP routes."""

    def audit_lines(request: Request, user: str = "", action: str = "", since: str = "", until: str = "",
                    text: str = "", limit: int = 10_000) -> Response:
        refused = refusal(place, request, need="admin")
        if refused is not None:
            return refused
        try:
            query = AuditQuery(user.strip(), action.strip(), since.strip(), until.strip(), text, max(1, limit))
        except AuditQueryError as error:
            return PlainTextResponse(str(error), status_code=400)
        events = place.audit.read(query)
        body = "".join(event.to_json() + "\n" for event in events)
        return Response(body, media_type="application/x-ndjson; charset=utf-8",
                        headers={"Cache-Control": "no-store"})

    return [APIRoute("/admin/audit", audit_lines, methods=["GET"], include_in_schema=False)]
