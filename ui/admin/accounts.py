"""The admin "账号" page: list accounts, add one, reset a password, change a role, remove one.

The rules are :class:`office.accounts.Accounts`'s (names, password length, never leave
no admin); this page adds two of its own so an admin cannot lock themself out: no
removing or demoting one's own account here. A removed account, or one whose password
was reset, is logged out at once. Every change is audited (never the password), and
the password box is emptied after each action.

Usage::

    with gr.Tab("账号"):
        fill = build_accounts(place)
"""

from __future__ import annotations

import gradio as gr

from core.errors import AccountError
from office.accounts import ROLES
from office.workplace import Workplace
from ui.access import session
from ui.admin.fill import Fill

COLUMNS = ["用户名", "角色", "建立时间", "修改时间", "来源"]


def account_rows(place: Workplace) -> list[list[str]]:
    """The account table (no hashes)."""
    return [[a.name, ROLES[a.role], a.created_at.replace("T", " "), a.updated_at.replace("T", " "),
             "环境变量" if a.source == "env" else "账号文件"] for a in place.accounts.everyone()]


def build_accounts(place: Workplace) -> Fill:
    """The page's components and events (in the current Blocks context)."""
    gr.Markdown(f"读者可以提问、阅读、导出和反馈；管理员还可以管理报告和账号、查看审计日志。"
                f"密码至少 {place.settings.password_min_chars} 个字符。")
    table = gr.Dataframe(headers=COLUMNS, interactive=False, label="账号", elem_id="account-table")
    with gr.Row():
        name = gr.Textbox(label="用户名", elem_id="account-name")
        role = gr.Radio([(label, key) for key, label in ROLES.items()], value="reader", label="角色",
                        elem_id="account-role")
        password = gr.Textbox(label="密码（新建或重设时填写）", type="password", elem_id="account-password")
    with gr.Row():
        add = gr.Button("新建账号", variant="primary", elem_id="account-add")
        reset = gr.Button("重设密码", elem_id="account-reset")
        change = gr.Button("修改角色", elem_id="account-role-set")
        remove = gr.Button("删除账号", variant="stop", elem_id="account-remove")
    result = gr.Markdown(elem_id="account-result")

    def act(action, audited: str, request: gr.Request, target: str, *args: str):
        """Run one account change for an admin; the page's new state (password box emptied).

        A refused change is audited too, under ``audited`` (the action a done change writes).
        """
        who = session(place, request, need="admin", attempted=audited, target=str(target or "").strip())
        try:
            message = action(who, (target or "").strip(), *args)
        except AccountError as error:
            place.record(who, audited, target=(target or "").strip()[:100], result="拒绝", reason=str(error))
            raise gr.Error(str(error), title="账号未改变") from None
        return message, "", account_rows(place)

    def adding(who, target, password_text, role_name):
        account = place.accounts.add(target, password_text, role_name)
        place.record(who, "user_add", target=account.name, role=account.role)
        return f"已新建账号 {account.name}（{ROLES[account.role]}）。"

    def resetting(who, target, password_text):
        place.accounts.set_password(target, password_text)
        ended = place.end_sessions(target)
        place.record(who, "user_password", target=target, sessions_ended=ended)
        return f"已重设 {target} 的密码" + (f"，并结束了它的 {ended} 个登录。" if ended else "。")

    def changing(who, target, role_name):
        if target == who.user and role_name != "admin":
            raise AccountError("不能取消自己的管理员身份：请让另一位管理员操作")
        account = place.accounts.set_role(target, role_name)
        place.record(who, "user_role", target=account.name, role=account.role)
        return f"{account.name} 现在是{ROLES[account.role]}。"

    def removing(who, target):
        if target == who.user:
            raise AccountError("不能删除自己的账号：请让另一位管理员操作")
        place.accounts.remove(target)
        ended = place.end_sessions(target)
        place.record(who, "user_remove", target=target, sessions_ended=ended)
        return f"已删除账号 {target}。"

    def add_user(target: str, password_text: str, role_name: str, request: gr.Request):
        return act(adding, "user_add", request, target, password_text, role_name)

    def reset_password(target: str, password_text: str, request: gr.Request):
        return act(resetting, "user_password", request, target, password_text)

    def set_role(target: str, role_name: str, request: gr.Request):
        return act(changing, "user_role", request, target, role_name)

    def remove_user(target: str, request: gr.Request):
        return act(removing, "user_remove", request, target)

    outputs = [result, password, table]
    add.click(add_user, [name, password, role], outputs, api_name="add_user", api_visibility="undocumented")
    reset.click(reset_password, [name, password], outputs, api_name="reset_password", api_visibility="undocumented")
    change.click(set_role, [name, role], outputs, api_name="set_role", api_visibility="undocumented")
    remove.click(remove_user, name, outputs, api_name="remove_user", api_visibility="undocumented")
    return Fill([table], lambda: (account_rows(place),))
