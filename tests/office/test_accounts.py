"""Accounts: argon2id hashes in users.sqlite3, names and passwords checked, roles, the REPORTQA_USER admin,
no lock-out."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from core.errors import AccountError
from office.accounts import ANONYMOUS, Accounts, check_name


def test_an_account_is_stored_with_an_argon2id_hash_never_the_password(settings):
    accounts = Accounts(settings.override(argon2_time_cost=3, argon2_memory_kib=65536, argon2_parallelism=4))
    assert not accounts.login_required() and accounts.everyone() == []
    accounts.add("王芳", "correct horse battery", "admin")
    assert accounts.login_required()
    raw = accounts.path.read_bytes()
    assert b"correct horse battery" not in raw and b"$argon2id$" in raw
    assert stat.S_IMODE(accounts.path.stat().st_mode) == 0o600  # hashes readable by the owner only
    (name, role, hashed), = sqlite3.connect(accounts.path).execute("SELECT name, role, hash FROM users").fetchall()
    assert (name, role) == ("王芳", "admin") and hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_verify_accepts_only_the_right_password(settings):
    accounts = Accounts(settings)
    accounts.add("li", "reader-password", "reader")
    assert accounts.verify("li", "reader-password").role == "reader"
    assert accounts.verify(" li ", "reader-password") is not None  # Gradio trims the name too
    assert accounts.verify("li", "reader-password ") is None
    assert accounts.verify("li", "") is None
    assert accounts.verify("nobody", "reader-password") is None
    assert accounts.verify("", "") is None


def test_a_hash_made_with_a_lower_cost_is_upgraded_at_login(settings):
    Accounts(settings).add("li", "reader-password")
    accounts = Accounts(settings.override(argon2_time_cost=2, argon2_memory_kib=2048))
    assert accounts.verify("li", "reader-password") is not None
    hashed = sqlite3.connect(accounts.path).execute("SELECT hash FROM users").fetchone()[0]
    assert "m=2048,t=2,p=1" in hashed and accounts.verify("li", "reader-password") is not None


@pytest.mark.parametrize("name, message", [
    ("", "用户名不能为空"),
    ("a b", "用户名不能包含空白"),
    ("../admin", "用户名不能包含空白、斜杠"),
    ("x\x00", "控制字符"),
    ("x" * 65, "用户名过长"),
    ("Anonymous", "已被程序保留"),
])
def test_bad_names_are_refused(name, message):
    with pytest.raises(AccountError, match=message):
        check_name(name)


def test_names_are_trimmed_and_normalised():
    assert check_name(" 王芳\t") == "王芳" and check_name("Cafe\u0301") == "Café" and ANONYMOUS == "anonymous"


def test_changes_are_checked(settings):
    accounts = Accounts(settings)
    with pytest.raises(AccountError, match="密码太短：至少 8 个字符"):
        accounts.add("li", "short")
    with pytest.raises(AccountError, match="密码不能全是空格"):
        accounts.add("li", " " * 8 + "\u3000\t")
    accounts.add("wang", "long enough")
    for similar in ("WANG", "Ｗａｎｇ", "Wang"):  # one person to whoever reads the audit log
        with pytest.raises(AccountError, match=f"已有账号 wang，与 {similar} 只差大小写或全角/半角"):
            accounts.add(similar, "long enough")
    with pytest.raises(AccountError, match="未知的角色 'owner'"):
        accounts.add("li", "long enough", "owner")
    accounts.add("li", "long enough")
    with pytest.raises(AccountError, match="账号 li 已存在"):
        accounts.add("li", "another password")
    with pytest.raises(AccountError, match="没有账号 zhang"):
        accounts.set_password("zhang", "long enough")
    accounts.set_password("li", "a new password")
    assert accounts.verify("li", "long enough") is None and accounts.verify("li", "a new password")
    assert accounts.set_role("li", "admin").role == "admin"
    assert accounts.get("li").updated_at >= accounts.get("li").created_at


def test_the_last_admin_can_be_neither_removed_nor_demoted(settings):
    accounts = Accounts(settings)
    accounts.add("boss", "boss password", "admin")
    accounts.add("li", "reader password")
    for change in (lambda: accounts.remove("boss"), lambda: accounts.set_role("boss", "reader")):
        with pytest.raises(AccountError, match="boss 是最后一个管理员"):
            change()
    accounts.set_role("li", "admin")
    accounts.remove("boss")
    assert [a.name for a in accounts.everyone()] == ["li"] and accounts.get("boss") is None


def test_the_environment_admin_is_an_admin_that_cannot_be_changed_here(settings):
    accounts = Accounts(settings.override(user="office", password="env-secret"))
    assert accounts.login_required() and accounts.get("office").role == "admin"
    assert accounts.verify("office", "env-secret").source == "env"
    assert accounts.verify("office", "env-secre") is None
    assert [a.name for a in accounts.everyone()] == ["office"]
    with pytest.raises(AccountError, match="由环境变量 REPORTQA_USER"):
        accounts.add("office", "another password")
    accounts.add("boss", "boss password", "admin")
    accounts.remove("boss")  # not the last admin: the environment one remains
    assert accounts.stored() == []
