"""The admin tab (报告, 账号, 审计日志), shown only to admins; every one of its events checks the role itself.

Usage::

    with gr.Tab("管理", visible=False) as admin_tab:
        fills = build_admin(place)      # filled by the page's load event, for admins only
"""

from __future__ import annotations

import gradio as gr

from office.workplace import Workplace
from ui.admin.accounts import build_accounts
from ui.admin.audit import build_audit
from ui.admin.fill import Fill
from ui.admin.reports import build_reports


def build_admin(place: Workplace) -> list[Fill]:
    """The admin pages as sub-tabs, in the current Blocks context; what each fills for an admin."""
    with gr.Tabs():
        with gr.Tab("报告", id="admin-reports"):
            reports = build_reports(place)
        with gr.Tab("账号", id="admin-accounts"):
            accounts = build_accounts(place)
        with gr.Tab("审计日志", id="admin-audit"):
            audit = build_audit(place)
    return [reports, accounts, audit]
