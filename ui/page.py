"""The whole page: the chat, "我的提问", and the admin tab that only admins see, with who is logged in.

The chat (:func:`ui.chat.build_app`) is built as its own Blocks and rendered into the first
tab, so its events and the ``/ask`` API stay as they are. One load event tells the page who
is logged in, shows the admin tab to admins only and fills it; the tab's events check the
role again on every call, since a hidden tab is not a protection.

Usage::

    demo = build_page(place)
"""

from __future__ import annotations

import gradio as gr

from office.accounts import ROLES
from office.workplace import Workplace
from ui.access import client_of
from ui.admin import build_admin
from ui.chat import build_app
from ui.history import build_history

ANONYMOUS_LINE = "未启用登录：所有人都是读者（管理功能需要登录，见 README“多人使用”）。"


def build_page(place: Workplace) -> gr.Blocks:
    """The app's page for one workplace."""
    chat = build_app(place.live.current, place)
    with gr.Blocks(title="报告问答", analytics_enabled=False) as demo:
        user_line = gr.Markdown(elem_id="user-line")
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                chat.render()
            with gr.Tab("我的提问", id="history") as history_tab:
                build_history(place, history_tab)
            with gr.Tab("管理", id="admin", visible=False, elem_id="admin-tab") as admin_tab:
                fills = build_admin(place)
        outputs = [output for fill in fills for output in fill.outputs]

        def on_load(request: gr.Request):
            """Who is logged in; the admin tab shown and filled for admins only."""
            name = getattr(request, "username", None)
            account = place.accounts.get(name) if place.login_required else None
            if not place.login_required:
                line = ANONYMOUS_LINE
            elif account is None:
                line = "账号不存在或已被删除，请重新登录。"
            else:
                line = f"当前用户：{account.name}（{ROLES[account.role]}）· [退出登录](/logout)"
            if account is None or not account.is_admin:
                return line, gr.Tab(visible=False), *[gr.update() for _ in outputs]
            place.grant(account.name, client_of(request), need="admin")  # the same rule as every admin event
            return line, gr.Tab(visible=True), *[value for fill in fills for value in fill.values()]

        demo.load(on_load, None, [user_line, admin_tab, *outputs], api_visibility="private")
    return demo
