"""One way to start the web app, used by ``python app.py`` and by the tests: same pages, routes, scripts, login.

Usage::

    demo, url = start(service, host="127.0.0.1", port=7860)
"""

from __future__ import annotations

import gradio as gr

from retriever.answer.service import AnswerService
from ui.chat import CSS, build_app
from ui.routes import build_routes

PAGE_JS = "() => {}"
"""Script run once in the page (keyboard handling and citation links are added here)."""


def login_check(service: AnswerService):  # noqa: ANN201 - what gradio's launch(auth=) accepts
    """The single login of ``REPORTQA_USER`` / ``REPORTQA_PASSWORD``, or None when no login is configured."""
    settings = service.settings
    return (settings.user, settings.password) if settings.user and settings.password else None


def start(service: AnswerService, host: str, port: int, share: bool = False, block: bool = True,
          quiet: bool = False) -> tuple[gr.Blocks, str]:
    """Build the pages for ``service`` and serve them; returns ``(demo, url)`` (with ``block`` only when stopped)."""
    demo = build_app(service)
    demo.queue(default_concurrency_limit=1)
    demo.launch(server_name=host, server_port=port, share=share, auth=login_check(service), css=CSS, js=PAGE_JS,
                app_kwargs={"routes": build_routes(service)}, prevent_thread_lock=not block, quiet=quiet)
    return demo, f"http://{host}:{port}/"
