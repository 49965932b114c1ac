"""The admin 账号 page (ui/admin/accounts.py): accounts an admin adds, resets, demotes or removes change at once.

The shared app of tests/ui/conftest.py (``app``: login on, an admin ``boss``, a reader ``li``), over real
HTTP on loopback.
"""

from __future__ import annotations

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from office.audit import AuditLog
from tests.helpers import ADMIN, READER, audit

pytestmark = pytest.mark.slow  # a server over a copy of the slices index


def test_accounts_changed_by_an_admin_take_effect_at_once(app, admin):
    url = app["url"]
    result, password_box, table = admin.predict("zhao", "zhao password 1", "reader", api_name="/add_user")
    assert result == "已新建账号 zhao（读者）。" and password_box == ""
    assert ["zhao", "读者"] in [row[:2] for row in table["data"]]
    zhao = Client(url, auth=("zhao", "zhao password 1"), verbose=False)
    assert zhao.predict("三社联动", api_name="/ask")[1]
    admin.predict("zhao", "zhao password 2", api_name="/reset_password")
    with pytest.raises(Exception):  # noqa: B017 - the old session was ended: the client is logged out
        zhao.predict("三社联动", api_name="/ask")
    zhao = Client(url, auth=("zhao", "zhao password 2"), verbose=False)
    with pytest.raises(AppError, match="不能删除自己的账号"):
        admin.predict("boss", api_name="/remove_user")
    with pytest.raises(AppError, match="不能取消自己的管理员身份"):
        admin.predict("boss", "reader", api_name="/set_role")
    with pytest.raises(AppError, match="密码太短"):
        admin.predict("wu", "short", "reader", api_name="/add_user")
    admin.predict("zhao", api_name="/remove_user")
    with pytest.raises(Exception):  # noqa: B017 - removed: logged out, and could not act anyway
        zhao.predict("三社联动", api_name="/ask")
    changes = [(e.action, e.detail.get("target")) for e in reversed(audit(app, user="boss"))
               if e.action.startswith("user_")]
    assert changes == [("user_add", "zhao"), ("user_password", "zhao"), ("user_remove", "boss"),
                       ("user_role", "boss"), ("user_add", "wu"), ("user_remove", "zhao")]
    refused = [e for e in audit(app, user="boss") if e.detail.get("result") == "拒绝" and e.action.startswith("user_")]
    assert [e.detail["target"] for e in reversed(refused)] == ["boss", "boss", "wu"]
    assert "不能删除自己的账号" in refused[-1].detail["reason"]
    text = AuditLog.open(app["settings"]).path.read_text(encoding="utf-8")
    for secret in ("zhao password 1", "zhao password 2", ADMIN[1], READER[1], "mallory password"):
        assert secret not in text
