"""The admin "审计日志" page: the audit log filtered by user, action, dates and text, newest first.

Usage::

    with gr.Tab("审计日志"):
        fill = build_audit(place)
"""

from __future__ import annotations

import gradio as gr

from office.audit import ACTIONS, AuditEvent, AuditQuery, AuditQueryError
from office.workplace import Workplace
from ui.access import session
from ui.admin.fill import Fill

COLUMNS = ["时间", "用户", "地址", "操作", "详情"]
ALL = "全部"


def event_row(event: AuditEvent) -> list[str]:
    """One table row of an event."""
    return [event.time.replace("T", " "), event.user or "", event.client or "", ACTIONS.get(event.action, event.action),
            event.detail_text()]


def audit_query(user: str, action: str, since: str, until: str, text: str, limit: int) -> AuditQuery:
    """The query of the page's filters; raise ``gr.Error`` for a day that is not a real ``YYYY-MM-DD``."""
    action = "" if action in (None, "", ALL) else action
    try:
        return AuditQuery((user or "").strip(), action, (since or "").strip(), (until or "").strip(),
                          (text or "").strip(), limit)
    except AuditQueryError as error:
        raise gr.Error(str(error), title="查询条件有误") from None


def build_audit(place: Workplace) -> Fill:
    """The page's components and events (in the current Blocks context)."""
    limit = place.settings.audit_rows
    gr.Markdown(f"最新的在前，每次最多显示 {limit} 条。日志文件：`{place.audit.path}`（按大小轮换）。")
    with gr.Row():
        user = gr.Textbox(label="用户", elem_id="audit-user")
        action = gr.Dropdown([ALL, *[(label, key) for key, label in ACTIONS.items()]], value=ALL, label="操作",
                             elem_id="audit-action")
        since = gr.Textbox(label="起始日期（YYYY-MM-DD）", elem_id="audit-since")
        until = gr.Textbox(label="截止日期（YYYY-MM-DD）", elem_id="audit-until")
        text = gr.Textbox(label="包含文字", elem_id="audit-text")
    search = gr.Button("查询", variant="primary", elem_id="audit-search")
    table = gr.Dataframe(headers=COLUMNS, interactive=False, label="审计日志", elem_id="audit-table", wrap=True,
                         column_widths=["17%", "10%", "11%", "9%", "53%"])

    def audit_log(user_name: str, action_key: str, since_day: str, until_day: str, contains: str,
                  request: gr.Request):
        session(place, request, need="admin", attempted="audit_log")
        query = audit_query(user_name, action_key, since_day, until_day, contains, limit)
        return [event_row(event) for event in place.audit.read(query)]

    search.click(audit_log, [user, action, since, until, text], table, api_name="audit_log",
                 api_visibility="undocumented")
    return Fill([table], lambda: ([event_row(e) for e in place.audit.read(AuditQuery(limit=limit))],))
