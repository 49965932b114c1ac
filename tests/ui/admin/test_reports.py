"""The shared app over real HTTP on loopback: logins, rights on every event and route, uploads, removals, audit.

One app with login on, over a private copy of the small real-slices index (``slices_index``) with its own
data folder: an admin ``boss``, a reader ``li``. Nothing here touches the real corpus/ or data/.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import unicodedata

import httpx
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from core.settings import PROJECT_ROOT
from office.accounts import Accounts
from office.audit import AuditLog, AuditQuery
from retriever.answer.service import AnswerService
from tests.helpers import (
    CHEAP_ARGON2,
    NEW_REPORT,
    copy_slices,
    real_lines,
    serve,
    tree_state,
    write_zip_bomb,
)

pytestmark = pytest.mark.slow  # a server plus real incremental index builds

ADMIN, READER = ("boss", "boss password 1"), ("li", "reader password 1")
COMPOSED = ("zoé", "composed password 1")  # typed decomposed ("zoe" + U+0301) it is still this account
DENIED = "权限不足：只有管理员可以执行此操作。"
REMOVED = "004_关于加快全市城市社区建设工作情况调查报告.txt"
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


@pytest.fixture(scope="module")
def app(slices_index, tmp_path_factory):
    """The app (login on), its settings and URL; the text file ``upload`` an attacker would send."""
    root = tmp_path_factory.mktemp("office")
    settings = copy_slices(slices_index, root).override(login_delay=0.05, upload_max_mb=1, **CHEAP_ARGON2)
    accounts = Accounts(settings)
    accounts.add(*ADMIN, role="admin")
    accounts.add(*READER)
    accounts.add(*COMPOSED)
    demo, url = serve(AnswerService.open(settings, show_bar=False), data_dir=settings.data_dir)
    upload = root / "upload.txt"
    upload.write_text("\n".join(real_lines(NEW_REPORT[0], *NEW_REPORT[1])), encoding="utf-8")
    yield {"settings": settings, "url": url, "upload": upload, "root": root}
    demo.close()


@pytest.fixture(scope="module")
def admin(app) -> Client:
    return Client(app["url"], auth=ADMIN, verbose=False)


@pytest.fixture(scope="module")
def reader(app) -> Client:
    return Client(app["url"], auth=READER, verbose=False)


def audit(app, **query) -> list:
    return AuditLog.open(app["settings"]).read(AuditQuery(**query))


def logged_in(app, user: tuple[str, str]) -> httpx.Client:
    http = httpx.Client(base_url=app["url"], timeout=60)
    assert http.post("/login", data={"username": user[0], "password": user[1]}).status_code == 200
    return http


def wait_for_update(admin: Client, runs_before: int, timeout: float = 600) -> tuple[dict, list[float]]:
    """Poll the admin API until the index update that followed a change has finished; its state and progress."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        update = admin.predict(api_name="/reports")["update"]
        seen.append(update["progress"])
        if update["state"] != "running" and update["runs"] > runs_before:
            return update, seen
        time.sleep(0.3)
    raise AssertionError(f"index update did not finish: {update}")


def sources_of(client: Client, question: str) -> set[str]:
    _, sources, _ = client.predict(question, api_name="/ask")
    return {s["file"] for s in sources}


def test_anonymous_clients_get_nothing(app):
    anon = httpx.Client(base_url=app["url"], timeout=10)
    for path in ["/config", "/gradio_api/info", "/admin/audit", "/gradio_api/queue/data?session_hash=x"]:
        assert anon.get(path).status_code == 401, path
    assert anon.post("/gradio_api/call/ask", json={"data": ["三社联动"]}).status_code == 401
    assert anon.post("/gradio_api/call/reports", json={"data": []}).status_code == 401
    assert anon.post("/gradio_api/queue/join", json={"data": [], "fn_index": 0, "session_hash": "x"}).status_code == 401
    assert anon.post("/gradio_api/upload", files={"files": ("a.txt", b"x")}).status_code == 401
    page = anon.get("/").text.replace(" ", "")
    assert '"auth_required":true' in page and '"components":[]' in page
    assert "upload_report" not in page and "audit_log" not in page  # admin APIs are not even named to strangers
    with pytest.raises(ValueError):  # gradio_client cannot log in with a wrong password (Gradio answers 400)
        Client(app["url"], auth=("li", "wrong password"), verbose=False)


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


def bad_uploads(app) -> list[tuple[str, str, str]]:
    """(file, name to save as, expected message) for each refused upload."""
    root = app["root"] / "bad"
    root.mkdir()
    (root / "empty.txt").write_bytes(b"")
    (root / "截图.txt").write_bytes((PROJECT_ROOT / "docs" / "screenshot.png").read_bytes()[:200_000])  # a binary
    (root / "big.txt").write_text("社区建设。\n" * 80_000, encoding="utf-8")  # 1.2 MB, over upload_max_mb=1
    write_zip_bomb(root / "炸弹.docx", unpacked_mb=30)
    good = str(app["upload"])
    return [
        (good, "../x.txt", "文件名不能包含上级目录“..”（../x.txt）"),
        (good, "/etc/x.txt", "文件名不能是绝对路径（/etc/x.txt）"),
        (good, "sub/x.txt", "文件名不能包含路径分隔符"),
        (str(root / "empty.txt"), "", "文件为空（0 字节）：empty.txt"),
        (str(root / "截图.txt"), "", "无法作为报告读取（看起来是二进制文件，不是文本）：截图.txt"),
        (str(root / "big.txt"), "", "文件过大（1.2 MB，上限 1 MB）：big.txt"),
        (str(root / "炸弹.docx"), "", "疑似压缩炸弹，已拒绝"),
        (good, REMOVED, f"已有同名报告“{REMOVED}”：如要替换，请勾选“替换同名报告”"),
    ]


def test_bad_uploads_are_refused_in_chinese_and_change_neither_corpus_nor_index(app, admin):
    settings = app["settings"]
    corpus, index = tree_state(settings.corpus), tree_state(settings.index_dir)
    cases = bad_uploads(app)
    for path, name, message in cases:
        with pytest.raises(AppError, match=re.escape(message)):
            admin.predict(handle_file(path), name, False, api_name="/upload_report")
    assert tree_state(settings.corpus) == corpus and tree_state(settings.index_dir) == index
    assert admin.predict(api_name="/reports")["update"]["state"] == "idle"  # no index update was started
    refused = audit(app, action="upload", user="boss")
    assert len(refused) == len(cases) and all(e.detail["result"] == "拒绝" for e in refused)
    assert {e.detail["file"] for e in refused} >= {"../x.txt", "/etc/x.txt", "炸弹.docx", "empty.txt"}


def test_an_upload_over_twice_the_limit_is_stopped_before_any_handler(app):
    http = logged_in(app, ADMIN)
    answer = http.post("/gradio_api/upload", files={"files": ("huge.txt", b"x" * (2 * 2**20 + 1))})
    assert answer.status_code == 413
    assert "huge.txt" not in {p.name for p in app["settings"].corpus.iterdir()}


def test_a_good_upload_is_searchable_without_restart_and_questions_never_fail_meanwhile(app, admin, reader):
    question = "截山社区办公用房面积"
    name = "2024年度社区建设调研（截山）.txt"
    assert name not in sources_of(reader, question)
    runs = admin.predict(api_name="/reports")["update"]["runs"]
    answers, failures, stop = [], [], threading.Event()

    def keep_asking() -> None:
        asker = Client(app["url"], auth=READER, verbose=False)
        while not stop.is_set():
            try:
                text, _, _ = asker.predict("社区办公用房不足", api_name="/ask")
                answers.append(text)
            except Exception as error:  # any failure during the update is what this test is about
                failures.append(repr(error))

    askers = [threading.Thread(target=keep_asking) for _ in range(2)]
    for thread in askers:
        thread.start()
    try:
        message, *_ = admin.predict(handle_file(str(app["upload"])), name, False, api_name="/upload_report")
        assert message.startswith(f"已上传“{name}”") and "正在更新索引" in message
        update, progress = wait_for_update(admin, runs)
    finally:
        stop.set()
        for thread in askers:
            thread.join(120)
    assert update["state"] == "done" and update["error"] == "" and update["progress"] == 1.0
    assert failures == [] and len(answers) >= 2 and all(answers)
    assert any(0 < p < 1 for p in progress)
    assert name in sources_of(reader, question)  # searchable, without a restart
    row = next(r for r in admin.predict(api_name="/reports")["reports"] if r["file"] == name)
    assert row["state"] == "已索引" and row["passages"] > 0 and row["format"] == "TXT" and row["added"]
    upload, = audit(app, action="upload", user="boss", text="新增")
    assert upload.detail["file"] == name and upload.client == "127.0.0.1"
    assert audit(app, action="index")[0].detail["result"] == "完成"


def test_a_file_put_into_the_corpus_folder_directly_is_indexed_on_request(app, admin, reader):
    """A report copied into corpus/ (a shared folder) is listed as waiting; 按报告文件夹更新索引 indexes it."""
    name = "直接放入的报告.txt"
    question = "青石社区办公用房面积"  # a community no other report names: the answer must come from this file
    lines = [line.replace("截山社区", "青石社区") for line in real_lines(NEW_REPORT[0], *NEW_REPORT[1])]
    assert any("青石社区" in line for line in lines)
    (app["settings"].corpus / name).write_text("\n".join(lines), encoding="utf-8")
    row = next(r for r in admin.predict(api_name="/reports")["reports"] if r["file"] == name)
    assert row["state"] == "等待索引更新" and name not in sources_of(reader, question)
    runs = admin.predict(api_name="/reports")["update"]["runs"]
    message, *_ = admin.predict(api_name="/update_index")
    assert message.startswith("正在更新索引")
    update, _ = wait_for_update(admin, runs)
    assert update["state"] == "done" and update["error"] == ""
    assert name in sources_of(reader, question)
    row = next(r for r in admin.predict(api_name="/reports")["reports"] if r["file"] == name)
    assert row["state"] == "已索引" and row["passages"] > 0
    assert audit(app, action="index")[0].detail["reason"] == "按报告文件夹更新"
    (app["settings"].corpus / name).unlink()
    admin.predict(api_name="/update_index")
    wait_for_update(admin, runs + 1)


def test_a_removal_takes_the_report_out_of_answers(app, admin, reader):
    question = "全市城区范围内共有多少个居委会"
    assert REMOVED in sources_of(reader, question)
    runs = admin.predict(api_name="/reports")["update"]["runs"]
    with pytest.raises(AppError, match="请勾选“确认删除”后再删除"):
        admin.predict(REMOVED, False, api_name="/remove_report")
    with pytest.raises(AppError, match="报告文件夹中没有“../etc/passwd”"):
        admin.predict("../etc/passwd", True, api_name="/remove_report")
    message, *_ = admin.predict(REMOVED, True, api_name="/remove_report")
    assert message.startswith(f"已删除“{REMOVED}”")
    update, _ = wait_for_update(admin, runs)
    assert update["state"] == "done"
    assert not (app["settings"].corpus / REMOVED).exists()
    assert REMOVED not in sources_of(reader, question)
    assert REMOVED not in {r["file"] for r in admin.predict(api_name="/reports")["reports"]}
    removal = audit(app, action="remove", user="boss")
    assert [e.detail["result"] for e in removal] == ["已删除", "拒绝"] and removal[0].detail["file"] == REMOVED


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


def test_logins_are_audited_with_the_address_and_failures_slow_down(app):
    url = app["url"]
    for _ in range(3):
        assert httpx.post(url + "login", data={"username": "li", "password": "wrong"}).status_code == 400
    started = time.monotonic()
    assert httpx.post(url + "login", data={"username": "li", "password": "wrong"}).status_code == 400
    assert time.monotonic() - started >= 0.05 * 2 ** 3  # the fourth failure in a row waits 0.4 s
    assert httpx.post(url + "login", data={"username": "li", "password": READER[1]}).status_code == 200
    httpx.post(url + "login", data={"username": "reader password 1", "password": "x"})  # the password as the name
    failed = audit(app, action="login_failed")
    assert [e.user for e in failed[1:5]] == ["li"] * 4 and all(e.client == "127.0.0.1" for e in failed)
    assert failed[0].user is None and "reader password 1" not in json.dumps(failed[0].detail, ensure_ascii=False)
    assert audit(app, action="login", user="li")[0].client == "127.0.0.1"
    decomposed = unicodedata.normalize("NFD", COMPOSED[0])
    assert httpx.post(url + "login", data={"username": decomposed, "password": "wrong"}).status_code == 400
    assert httpx.post(url + "login", data={"username": decomposed, "password": COMPOSED[1]}).status_code == 200
    assert audit(app, action="login_failed", user=COMPOSED[0]) and audit(app, action="login", user=COMPOSED[0])
    padded = {"username": "li", "password": READER[1], "padding": "x" * 70_000}  # too big to read for the log
    refused = httpx.post(url + "login", data=padded)
    assert refused.status_code == 413 and "登录表单过大" in refused.json()["detail"]
    assert "set-cookie" not in refused.headers
    assert "登录表单过大" in audit(app, action="login_failed")[0].detail["reason"]


def test_each_user_sees_and_reopens_only_their_own_questions(app, admin, reader):
    reader.predict("社区经费从哪里来", api_name="/ask")
    listing, _ = reader.predict(api_name="/my_history")
    entries = listing["choices"]
    assert entries and entries[0][0].endswith("社区经费从哪里来")
    entry_id = entries[0][1]
    messages, cards, note = reader.predict(entry_id, api_name="/reopen_history")
    question, answer = ("".join(part["text"] for part in m["content"]) for m in messages)
    assert question == "社区经费从哪里来" and "\\[1\\]" in answer  # escaped for Markdown, as the chat shows it
    assert "class='card'" in cards and note.startswith("提问时间：")
    with pytest.raises(AppError, match="没有这条提问记录"):
        admin.predict(entry_id, api_name="/reopen_history")
    own, _ = admin.predict(api_name="/my_history")
    assert all(not label.endswith("社区经费从哪里来") for label, _ in own["choices"])
    asked = audit(app, action="question", user="li")
    assert asked[0].detail["question"] == "社区经费从哪里来" and asked[0].detail["via"] == "api"


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


def test_the_audit_route_and_page_refuse_a_filter_that_is_no_date_in_chinese(app, admin):
    http = logged_in(app, ADMIN)
    bad = http.get("/admin/audit", params={"since": "2026-13-45"})
    assert (bad.status_code, bad.text) == (400, "起始日期应写成 2025-03-01 这样的日期（收到：2026-13-45）")
    assert http.get("/admin/audit", params={"action": "nosuch"}).status_code == 400
    good = http.get("/admin/audit", params={"action": "login"})
    assert good.status_code == 200 and all(json.loads(line)["action"] == "login" for line in good.text.splitlines())
    assert len(http.get("/admin/audit", params={"limit": "2"}).text.splitlines()) == 2
    for limit in ("abc", "0", "-1", "10001"):  # FastAPI's own check answered 422 in English
        refused = http.get("/admin/audit", params={"limit": limit})
        assert refused.status_code == 400 and refused.text.startswith("limit 应为 1—10000 的整数"), limit
    reader = logged_in(app, READER).get("/admin/audit", params={"limit": "abc"})
    assert reader.status_code == 403 and "权限不足" in reader.text  # rights first, whatever the parameters
    with pytest.raises(AppError, match="截止日期应写成 2025-03-01 这样的日期（收到：2026/11/25）"):
        admin.predict("", "全部", "", "2026/11/25", "", api_name="/audit_log")
