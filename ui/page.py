"""The whole page: 问答, 检索, 我的提问, and the 管理 tab that only admins see, with who is logged in.

Each tab's builder works in this page's Blocks: the chat and the ``/ask`` API
(:func:`ui.chat.build_chat`), the search page (:func:`ui.search_page.build_search_tab`),
the user's own history (:func:`ui.history.build_history`) and the admin pages
(:func:`ui.admin.build_admin`). One load event tells the page who is logged in, shows
the admin tab to admins only and fills it, and shows the live index's status and
report lists (an index update since the last visit shows at once). The tabs' events
check the user again on every call, since a hidden tab is not a protection.

Usage::

    demo = build_page(place)
"""

from __future__ import annotations

import gradio as gr

from office.accounts import ROLES
from office.workplace import Workplace
from ui.access import session
from ui.admin import build_admin
from ui.chat import build_chat, index_status_text
from ui.history import build_history
from ui.search_page import build_search_tab, index_files

HEADER = "# 报告问答\n向社区建设、基层治理调研报告提问，回答中的每一条都标注出处 [n]；点 [n] 在右侧阅读报告原文。"
ANONYMOUS_LINE = ("未启用登录：所有人都是读者（管理功能需要登录：在服务器上用 .venv/bin/python -m office.users "
                  "新建管理员，然后重启本程序）。")


def build_page(place: Workplace) -> gr.Blocks:
    """The app's page for one workplace."""
    with gr.Blocks(title="报告问答", analytics_enabled=False) as demo:
        gr.Markdown(HEADER)
        user_line = gr.Markdown(elem_id="user-line")
        with gr.Tabs():
            with gr.Tab("问答", id="chat-tab"):
                chat = build_chat(place)
            with gr.Tab("检索", id="search-tab"):
                search = build_search_tab(place, chat.reports)
            # Without a login there is no "own" history: everyone would be the same anonymous reader.
            with gr.Tab("我的提问", id="history", visible=place.login_required) as history_tab:
                build_history(place, history_tab)
            with gr.Tab("管理", id="admin", visible=False, elem_id="admin-tab") as admin_tab:
                fills = build_admin(place)
        outputs = [output for fill in fills for output in fill.outputs]
        index_parts = [chat.status, chat.only_reports, search.report_filter, search.file_filter]

        def on_load(request: gr.Request):
            """Who is logged in; the live index's status and lists; the admin tab shown and filled for admins only."""
            name = getattr(request, "username", None)
            account = place.accounts.get(name) if place.login_required else None
            if not place.login_required:
                line = ANONYMOUS_LINE
            elif account is None:
                line = "账号不存在或已被删除，请重新登录。"
            else:
                line = f"当前用户：{account.name}（{ROLES[account.role]}）· [退出登录](/logout)"
            index = [gr.update() for _ in index_parts]
            if account is not None or not place.login_required:
                session(place, request)
                live = place.live.current
                labels = list(chat.reports(live))
                index = [index_status_text(live), gr.update(choices=labels), gr.update(choices=labels),
                         gr.update(choices=index_files(live))]
            if account is None or not account.is_admin:
                return line, *index, gr.Tab(visible=False), *[gr.update() for _ in outputs]
            session(place, request, need="admin")  # the same rule as every admin event
            return line, *index, gr.Tab(visible=True), *[value for fill in fills for value in fill.values()]

        demo.load(on_load, None, [user_line, *index_parts, admin_tab, *outputs], api_visibility="private")
    return demo
