"""Every event and route checks who is asking (ui/access.py): a reader is refused every admin API, event and
route; a password reset in another process ends the running app's sessions.

The shared app of tests/ui/conftest.py (``app``: login on, an admin ``boss``, a reader ``li``), over real
HTTP on loopback.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from core.settings import PROJECT_ROOT
from office.accounts import Accounts
from tests.helpers import READER, REMOVED, audit, logged_in, tree_state

pytestmark = pytest.mark.slow  # a server over a copy of the slices index

DENIED = "权限不足：只有管理员可以执行此操作。"
ADMIN_CALLS = {  # every admin API with arguments that would change something
    "/reports": (),
    "/update_index": (),
    "/upload_report": ("upload", "x.txt", False),
    "/remove_report": (REMOVED, True),
    "/add_user": ("mallory", "mallory password", "admin"),
    "/reset_password": ("boss", "taken over!"),
    "/set_role": ("li", "admin"),
    "/remove_user": ("boss",),
    "/audit_log": ("", "全部", "", "", ""),
}


def test_a_reader_is_refused_every_admin_api_event_and_route(app, reader):
    before = tree_state(app["settings"].corpus)
    for api_name, args in ADMIN_CALLS.items():
        args = tuple(handle_file(str(app["upload"])) if a == "upload" else a for a in args)
        with pytest.raises(AppError, match=DENIED):
            reader.predict(*args, api_name=api_name)
    http = logged_in(app, READER)
    route = http.get("/admin/audit")
    assert route.status_code == 403 and route.text == DENIED
    # Hiding the tab is not what protects it: the upload button's event called by its index is refused too.
    config = http.get("/config").json()
    upload_button = next(c["id"] for c in config["components"] if c["props"].get("elem_id") == "report-send")
    fn_index = next(d["id"] for d in config["dependencies"] if [upload_button, "click"] in d["targets"])
    joined = http.post("/gradio_api/queue/join", json={"data": [None, "x.txt", False], "fn_index": fn_index,
                                                        "session_hash": "reader1", "event_data": None,
                                                        "trigger_id": None})
    assert joined.status_code == 200, joined.text
    body = ""
    with http.stream("GET", "/gradio_api/queue/data", params={"session_hash": "reader1"}) as stream:
        for line in stream.iter_lines():
            body += line + "\n"
            if "process_completed" in line:
                break
    assert DENIED in body and '"success":false' in body.replace(" ", "")
    assert tree_state(app["settings"].corpus) == before
    assert Accounts(app["settings"]).get("li").role == "reader" and Accounts(app["settings"]).get("mallory") is None
    denied = audit(app, action="denied", user="li")
    assert len(denied) >= len(ADMIN_CALLS) + 2 and all(e.client == "127.0.0.1" for e in denied)
    # Each refusal says what was tried, and on what: a reader making themself admin is told apart.
    tried = {(e.detail.get("attempted"), e.detail.get("target")) for e in denied}
    assert {("user_role", "li"), ("user_password", "boss"), ("user_add", "mallory"), ("remove", REMOVED),
            ("audit_log", None), ("GET /admin/audit", None)} <= tried, tried


def test_a_password_reset_on_the_command_line_ends_the_running_apps_sessions(app, admin):
    """``python -m office.users reset-password`` runs in another process: the app notices the new password."""
    url, settings = app["url"], app["settings"]
    admin.predict("qian", "qian password 1", "reader", api_name="/add_user")
    qian = Client(url, auth=("qian", "qian password 1"), verbose=False)
    assert qian.predict("三社联动", api_name="/ask")[1]
    reset = subprocess.run([sys.executable, "-m", "office.users", "reset-password", "qian", "--password-stdin"],
                           input="qian password 2\n", capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120,
                           env={**os.environ, "REPORTQA_DATA_DIR": str(settings.data_dir)})
    assert reset.returncode == 0 and "已重设 qian 的密码" in reset.stdout, reset.stderr
    with pytest.raises(AppError, match="该账号的密码已重设，请用新密码重新登录。"):
        qian.predict("三社联动", api_name="/ask")
    with pytest.raises(AppError, match="该账号的密码已重设"):  # the old session stays refused
        qian.predict("三社联动", api_name="/ask")
    again = Client(url, auth=("qian", "qian password 2"), verbose=False)
    assert again.predict("三社联动", api_name="/ask")[1]
    assert again.predict("社区经费从哪里来", api_name="/ask")[1]  # the new session is not ended in turn
    unused = Client(url, auth=("qian", "qian password 2"), verbose=False)  # logged in, no request made yet
    reset = subprocess.run([sys.executable, "-m", "office.users", "reset-password", "qian", "--password-stdin"],
                           input="qian password 3\n", capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120,
                           env={**os.environ, "REPORTQA_DATA_DIR": str(settings.data_dir)})
    assert reset.returncode == 0, reset.stderr
    with pytest.raises(AppError, match="该账号的密码已重设"):  # its first request comes after the reset
        unused.predict("三社联动", api_name="/ask")
    admin.predict("qian", api_name="/remove_user")
