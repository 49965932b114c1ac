"""``GET /admin/audit``: the audit log as JSON lines, filtered like the page, for admins (a backup or a script).

Anyone not logged in gets 401, a logged-in non-admin 403, both with a Chinese message;
the query parameters are the page's filters (``user``, ``action``, ``since``, ``until``,
``text``, ``limit`` up to 10,000); a day that is not a real ``YYYY-MM-DD``, an unknown action
or a limit that is no number in range gets 400 with a Chinese message. Rights are checked
before any parameter, so a reader's request is refused (403, audited) whatever it asks.

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

MAX_ROWS = 10_000
"""The most audit events one request returns (newest first)."""


def admin_routes(place: Workplace) -> list[APIRoute]:
    """The admin-only HTTP routes."""

    def audit_lines(request: Request, user: str = "", action: str = "", since: str = "", until: str = "",
                    text: str = "", limit: str = "") -> Response:
        refused = refusal(place, request, need="admin")  # before any parameter is looked at
        if refused is not None:
            return refused
        rows = limit.strip() or str(MAX_ROWS)
        if not rows.isdigit() or not 1 <= int(rows) <= MAX_ROWS:
            return PlainTextResponse(f"limit 应为 1—{MAX_ROWS} 的整数（最多返回的条数），收到 {limit[:20]}。",
                                     status_code=400)
        try:
            query = AuditQuery(user.strip(), action.strip(), since.strip(), until.strip(), text, int(rows))
        except AuditQueryError as error:
            return PlainTextResponse(str(error), status_code=400)
        events = place.audit.read(query)
        body = "".join(event.to_json() + "\n" for event in events)
        return Response(body, media_type="application/x-ndjson; charset=utf-8",
                        headers={"Cache-Control": "no-store"})

    return [APIRoute("/admin/audit", audit_lines, methods=["GET"], include_in_schema=False)]
