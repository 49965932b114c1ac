"""``python -m office.users`` as a real process: passwords from a prompt (not echoed) or stdin, never printed
or logged."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time

import pytest

from core.settings import PROJECT_ROOT
from office.accounts import Accounts
from office.audit import AuditLog
from tests.helpers import CHEAP_ARGON2

SECRET = "sehr-geheim-密码-42"


@pytest.fixture()
def env(settings) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("REPORTQA_")}
    return clean | {"REPORTQA_DATA_DIR": str(settings.data_dir), "PYTHONPATH": str(PROJECT_ROOT)} | {
        f"REPORTQA_{k.upper()}": str(v) for k, v in CHEAP_ARGON2.items()}


def users(env: dict, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "office.users", *args], input=stdin, env=env, cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=60)


def test_create_list_change_and_remove_accounts(settings, env):
    assert "还没有账号" in users(env, "list").stdout
    run = users(env, "add", "王芳", "--role", "admin", "--password-stdin", stdin=SECRET + "\n")
    assert run.returncode == 0 and "已新建账号 王芳（管理员）" in run.stdout, run.stderr
    assert users(env, "add", "li", "--password-stdin", stdin="another password\n").returncode == 0
    listing = users(env, "list").stdout
    assert "王芳\t管理员" in listing and "li\t读者" in listing and "$argon2" not in listing
    accounts = Accounts(settings)
    assert accounts.verify("王芳", SECRET).is_admin
    assert users(env, "reset-password", "li", "--password-stdin", stdin="changed password\n").returncode == 0
    assert accounts.verify("li", "changed password") and not accounts.verify("li", "another password")
    assert users(env, "set-role", "li", "admin").stdout.strip() == "li 现在是管理员"
    assert users(env, "remove", "王芳").returncode == 0 and accounts.get("王芳") is None
    log = AuditLog.open(settings)
    assert [e.action for e in reversed(log.read())] == ["user_add", "user_add", "user_password", "user_role",
                                                        "user_remove"]
    assert all(e.user.startswith("命令行:") and e.client == "本机命令行" for e in log.read())
    assert SECRET not in log.path.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, stdin, message", [
    (["add", "li", "--password-stdin"], "short\n", "错误：密码太短：至少 8 个字符"),
    (["add", "a/b", "--password-stdin"], "long enough\n", "错误：用户名不能包含空白、斜杠"),
    (["add", "li"], "long enough\n", "错误：请在终端中运行以输入密码，或加 --password-stdin"),
    (["remove", "nobody"], None, "错误：没有账号 nobody"),
    (["reset-password", "nobody", "--password-stdin"], "long enough\n", "错误：没有账号 nobody"),
])
def test_refusals_exit_1_with_a_chinese_message(env, args, stdin, message):
    run = users(env, *args, stdin=stdin)
    assert run.returncode == 1 and message in run.stderr and "Traceback" not in run.stderr


def test_the_last_admin_stays_and_bad_settings_exit_2(env):
    users(env, "add", "boss", "--role", "admin", "--password-stdin", stdin="boss password\n")
    run = users(env, "set-role", "boss", "reader")
    assert run.returncode == 1 and "boss 是最后一个管理员" in run.stderr
    run = users(env | {"REPORTQA_PASSWORD_MIN_CHARS": "many"}, "list")
    assert run.returncode == 2 and "应为整数" in run.stderr


def test_the_prompted_password_is_not_echoed(settings, env):
    """At a real terminal (a pseudo-terminal here) getpass asks twice and the typed password never appears."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, with the pty as its terminal
        os.chdir(PROJECT_ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "office.users", "add", "zhao"], env)
    transcript = b""

    def read_until(marker: bytes) -> None:
        nonlocal transcript
        deadline = time.monotonic() + 30
        while marker not in transcript and time.monotonic() < deadline:
            try:
                transcript += os.read(fd, 1024)
            except OSError:
                break

    read_until("新密码".encode())
    os.write(fd, SECRET.encode() + b"\n")
    read_until("再输入一次".encode())
    os.write(fd, SECRET.encode() + b"\n")
    read_until("已新建账号".encode())
    read_until(b"\n\n")  # the rest, until the child exits
    _, status = os.waitpid(pid, 0)
    text = transcript.decode("utf-8", errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "已新建账号 zhao（读者）" in text and SECRET not in text
    assert Accounts(settings).verify("zhao", SECRET)
