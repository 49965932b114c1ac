"""Audit of logins: a middleware on Gradio's ``POST /login`` that sees the user name, the answer and the address.

Gradio's auth callable receives only the user name and password, never the request, so
it cannot log where a login came from. This ASGI middleware (handed to Gradio's app with
``launch(app_kwargs={"middleware": [Middleware(LoginAudit, place=...)]})``) reads the login
form itself (it keeps the body and replays it to Gradio unchanged), watches the status of
Gradio's answer (200 = logged in, 400 = wrong name or password) and writes ``login`` or
``login_failed`` with the client address; a successful login's session is noted with the
password it was made with (:meth:`office.workplace.Workplace.note_login`), so a password reset
in another process ends it even before its first request. The password is never read from the form. A
failed login under a name that has no account is logged without the name, since people
type their password into the name field. A login form larger than any real one
(``MAX_FORM_BYTES``) is refused with 413 and logged as a failure: passed on unread, it
would be a login, or a password guess, that leaves no trace in the log.

Usage::

    Middleware(LoginAudit, place=place)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from http.cookies import SimpleCookie

from starlette.requests import Request

from office.accounts import comparable_name
from office.workplace import Workplace
from ui.asgi import Message, Receive, Scope, Send, kept_body, refuse, replaying

MAX_FORM_BYTES = 64 * 1024
"""A login form is a few dozen bytes; a larger body is refused (413) rather than passed on unlogged."""
TOO_LARGE = "登录表单过大，已拒绝。请只填写用户名和密码。"
UNKNOWN_NAME = "（未知用户名，未记录）"


class LoginAudit:
    """ASGI middleware: log every answered ``POST /login`` (success or failure) to the audit log."""

    def __init__(self, app: Callable, place: Workplace) -> None:
        self.app = app
        self.place = place

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip("/") != "/login":
            await self.app(scope, receive, send)
            return
        messages, size = await kept_body(receive, MAX_FORM_BYTES)  # to read the user name, then hand it on
        if size > MAX_FORM_BYTES:
            client = (scope.get("client") or (None,))[0]
            await asyncio.to_thread(self.place.audit.write, "login_failed", None, client,
                                    name=UNKNOWN_NAME, reason=TOO_LARGE)
            await refuse(send, 413, TOO_LARGE)
            return

        async def watched(message: Message) -> None:
            # Logged before the answer leaves: whoever sees the login's result finds it in the log already.
            if message["type"] == "http.response.start" and message["status"] in (200, 400):
                name = await _form_name(scope, messages)
                client = (scope.get("client") or (None,))[0]
                await asyncio.to_thread(self._write, message["status"] == 200, name, client)
                token = _session_cookie(message.get("headers") or [])
                if message["status"] == 200 and token:
                    await asyncio.to_thread(self.place.note_login, token, name)
            await send(message)

        await self.app(scope, replaying(messages, receive), watched)

    def _write(self, success: bool, name: str, client: str | None) -> None:
        if success:
            self.place.audit.write("login", name, client)
        elif name and self.place.accounts.get(name) is not None:
            self.place.audit.write("login_failed", name, client)
        else:
            self.place.audit.write("login_failed", None, client, name=UNKNOWN_NAME)


def _session_cookie(headers: list[tuple[bytes, bytes]]) -> str:
    """The login session token Gradio's answer sets (its ``access-token…`` cookie), or ""."""
    for key, value in headers:
        if key.lower() == b"set-cookie":
            cookie = SimpleCookie()
            cookie.load(value.decode("latin-1"))
            for morsel in cookie.values():
                if morsel.key.startswith("access-token") and morsel.value:
                    return morsel.value
    return ""


async def _form_name(scope: Scope, messages: list[Message]) -> str:
    """The ``username`` field of the kept login form (urlencoded or multipart), as the accounts compare it:
    trimmed and NFC-normalised, so one user's events carry one name however their keyboard composed it."""
    queue = list(messages)

    async def receive() -> Message:
        return queue.pop(0) if queue else {"type": "http.request", "body": b"", "more_body": False}

    try:
        form = await Request(scope, receive).form()
    except Exception:  # a malformed form: Gradio refused it too; the failure is logged without a name
        return ""
    name = form.get("username")
    return comparable_name(name) if isinstance(name, str) else ""
