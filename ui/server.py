"""One way to start the web app, used by ``python app.py`` and by the tests: same pages, routes, scripts, login.

The accounts, audit log, question history and managed corpus of the app are those of
``service.settings`` (its ``data_dir`` and ``corpus``). Login is on when the REPORTQA_USER
admin or at least one stored account exists; the login form's answers are audited by
:class:`ui.login_audit.LoginAudit`. Uploads larger than twice ``upload_max_mb`` are
stopped by Gradio itself (HTTP 413) before any handler runs; the handler refuses,
in Chinese, anything above ``upload_max_mb``.

Usage::

    demo, url = start(service, host="127.0.0.1", port=7860)
"""

from __future__ import annotations

import gradio as gr
from starlette.middleware import Middleware

from office.workplace import Workplace
from retriever.answer.service import AnswerService
from ui.admin.route import admin_routes
from ui.chat import CSS
from ui.login_audit import LoginAudit
from ui.page import build_page
from ui.routes import build_routes

PAGE_JS = "() => {}"
"""Script run once in the page (keyboard handling and citation links are added here)."""
AUTH_MESSAGE = "报告问答：请登录"


def start(service: AnswerService, host: str, port: int, share: bool = False, block: bool = True,
          quiet: bool = False) -> tuple[gr.Blocks, str]:
    """Build the pages for ``service`` and serve them; returns ``(demo, url)`` (with ``block`` only when stopped)."""
    place = Workplace(service)
    demo = build_page(place)
    demo.queue(default_concurrency_limit=1)
    app, _, _ = demo.launch(
        server_name=host, server_port=port, share=share, css=CSS, js=PAGE_JS, quiet=quiet,
        auth=place.guard.check if place.login_required else None, auth_message=AUTH_MESSAGE,
        max_file_size=int(2 * service.settings.upload_max_mb * 2**20),
        app_kwargs={"routes": build_routes(service) + admin_routes(place),
                    "middleware": [Middleware(LoginAudit, place=place)]},
        prevent_thread_lock=True)
    place.bind(app)
    if block:
        demo.block_thread()
    return demo, f"http://{host}:{port}/"
