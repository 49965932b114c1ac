"""What the app's ASGI middlewares share: the message types, a request body kept to be replayed, a JSON refusal.

A middleware that reads a request's body before Gradio does (the login audit, ``/ask``'s defaults)
keeps the messages it received and hands Gradio a ``receive`` that replays them, so the body
reaches Gradio unchanged (or as the middleware rewrote it).

Usage::

    messages, size = await kept_body(receive, limit=64 * 1024)
    await self.app(scope, replaying(messages, receive), send)
    await refuse(send, 400, "请求有误")
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


async def kept_body(receive: Receive, limit: int) -> tuple[list[Message], int]:
    """The request's messages up to its last body part, or until more than ``limit`` bytes came; and their size."""
    messages, size = [], 0
    while True:
        message = await receive()
        messages.append(message)
        size += len(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body") or size > limit:
            return messages, size


def replaying(messages: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that hands out ``messages`` first, then whatever ``receive`` gives."""
    queue = list(messages)

    async def replayed() -> Message:
        return queue.pop(0) if queue else await receive()

    return replayed


async def refuse(send: Send, status: int, text: str) -> None:
    """Answer the request with ``status`` and a JSON ``{"detail": text}``, as Gradio answers a refused login."""
    body = json.dumps({"detail": text}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
