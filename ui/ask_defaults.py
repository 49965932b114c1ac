"""``/ask`` over plain HTTP with only the question: the optional values filled in before Gradio checks them.

``/ask``'s ``top_k`` and ``mode`` have defaults, and ``gradio_client`` fills them in; but a program
that posts ``{"data": ["问题"]}`` to ``/gradio_api/call/ask`` got Gradio's ``{"error": null}``, because
Gradio wants every value of an API call. This ASGI middleware reads such a request (up to
``MAX_ASK_BYTES``), appends the missing defaults to ``data`` and hands the request on; a body whose
``data`` holds no question is refused with 400 and a Chinese message saying what to send.
Other requests, and anything it cannot read as JSON, pass unchanged.

Usage::

    Middleware(AskDefaults, defaults=[8, "hybrid"])
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from ui.asgi import Message, Receive, Scope, Send, kept_body, refuse, replaying

ASK_PATH = re.compile(r"/gradio_api/(call|call/v2|run|api)/ask/?")
"""Gradio's routes that call an API function by name; the client's own queue sends every value already."""
MAX_ASK_BYTES = 1024 * 1024
"""A question is at most a few thousand characters; a larger body is handed on unread (Gradio refuses it)."""
NO_QUESTION = '请求的 data 应是一个列表，第一项是问题，例如 {"data": ["社区工作者待遇怎么样"]}；top_k 与 mode 可省略。'


class AskDefaults:
    """ASGI middleware: append ``/ask``'s default ``top_k`` and ``mode`` to a plain-HTTP call that leaves them out."""

    def __init__(self, app: Callable, defaults: list) -> None:
        self.app = app
        self.defaults = defaults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not ASK_PATH.fullmatch(scope["path"]):
            await self.app(scope, receive, send)
            return
        messages, size = await kept_body(receive, MAX_ASK_BYTES)
        body = b"".join(m.get("body", b"") for m in messages) if size <= MAX_ASK_BYTES else None
        try:
            request = json.loads(body) if body else None
        except ValueError:
            request = None
        if not isinstance(request, dict):
            await self.app(scope, replaying(messages, receive), send)
            return
        data = request.get("data")
        if not isinstance(data, list) or not data:
            await refuse(send, 400, NO_QUESTION)
            return
        if len(data) > len(self.defaults):  # every value given: the body goes on as it came
            await self.app(scope, replaying(messages, receive), send)
            return
        request["data"] = data + self.defaults[len(data) - 1:]
        filled = json.dumps(request).encode("ascii")  # escaped, so a lone surrogate reaches Gradio's own check
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-length"]
        scope = dict(scope, headers=[*headers, (b"content-length", str(len(filled)).encode())])
        message: Message = {"type": "http.request", "body": filled, "more_body": False}
        await self.app(scope, replaying([message], receive), send)
