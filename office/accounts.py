"""Accounts and roles: user names with argon2id password hashes in ``users.sqlite3`` of the data folder.

Two roles. A ``reader`` asks, reads, exports and gives feedback; an ``admin`` also manages
reports and accounts and reads the audit log. Besides the stored accounts, the single
login of ``REPORTQA_USER`` / ``REPORTQA_PASSWORD`` (``Settings.user`` / ``password``)
keeps working as the simplest setup: that user is an admin who lives only in the
environment and cannot be changed here. Plain passwords are never stored or logged.

Example:

    >>> check_name("  王芳 ")
    '王芳'
    >>> check_name("a/b")
    Traceback (most recent call last):
    ...
    core.errors.AccountError: 用户名不能包含空白、斜杠、引号或控制字符：'a/b'

Usage::

    accounts = Accounts(Settings())
    accounts.add("王芳", "一个足够长的密码", "admin")
    accounts.verify("王芳", "一个足够长的密码")   # Account(name='王芳', role='admin', ...) or None
    accounts.get("王芳").role                     # 'admin'; get() is None for a removed account
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from core.clock import now_text
from core.errors import AccountError
from core.files import create_private
from core.settings import Settings

USERS_FILE = "users.sqlite3"
ROLES = {"reader": "读者", "admin": "管理员"}
"""Role names and how the pages show them; ``admin`` includes every right of ``reader``."""
ANONYMOUS = "anonymous"
"""Who asks when no login is configured (a reader)."""
RESERVED = {ANONYMOUS}
"""Names no account may take."""
MAX_NAME_CHARS = 64
MAX_PASSWORD_CHARS = 1024
_BAD_NAME_CHARS = set("/\\\"'<>`")

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('reader', 'admin')),
    hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Account:
    """One login: its name, role, and when it was made and last changed (``source`` "env" for REPORTQA_USER)."""

    name: str
    role: str
    created_at: str = ""
    updated_at: str = ""
    source: str = "store"
    password_mark: str = field(default="", compare=False, repr=False)
    """A digest of the stored password hash: it changes when the password is set again (from the pages or the
    command line), so a running app can tell that a session was logged in with the old one."""

    @property
    def is_admin(self) -> bool:
        """True for the admin role."""
        return self.role == "admin"


def comparable_name(name: str | None) -> str:
    """A user name as it is stored and compared: trimmed and NFC-normalised (one name however it was typed).

    >>> comparable_name(" zoe\u0301 ") == "zo\u00e9"
    True
    """
    return unicodedata.normalize("NFC", (name or "").strip())


def look_alike(name: str) -> str:
    """What a name looks like to a person: full-width and half-width letters alike, upper and lower case alike.

    >>> look_alike("Ｗａｎｇ") == look_alike("WANG") == look_alike("wang")
    True
    """
    return unicodedata.normalize("NFKC", name).casefold()


def check_name(name: str) -> str:
    """The user name as stored (trimmed, NFC); raise :class:`AccountError` if it cannot be one."""
    cleaned = comparable_name(name)
    if not cleaned:
        raise AccountError("用户名不能为空")
    if len(cleaned) > MAX_NAME_CHARS:
        raise AccountError(f"用户名过长（{len(cleaned)} 字，最多 {MAX_NAME_CHARS} 字）")
    if any(ch.isspace() or ch in _BAD_NAME_CHARS or unicodedata.category(ch).startswith("C") for ch in cleaned):
        raise AccountError(f"用户名不能包含空白、斜杠、引号或控制字符：{cleaned!r}")
    if cleaned.lower() in RESERVED:
        raise AccountError(f"用户名 {cleaned} 已被程序保留，请换一个")
    return cleaned


def check_role(role: str) -> str:
    """The role if it is one of :data:`ROLES`; raise :class:`AccountError` otherwise."""
    if role not in ROLES:
        raise AccountError(f"未知的角色 {role!r}，可选：{'、'.join(f'{k}（{v}）' for k, v in ROLES.items())}")
    return role


def check_password(password: str, min_chars: int) -> str:
    """The password if it is long enough, not only spaces, and not absurdly long; raise :class:`AccountError`
    otherwise."""
    if len(password or "") < min_chars:
        raise AccountError(f"密码太短：至少 {min_chars} 个字符")
    if not password.strip():
        raise AccountError("密码不能全是空格")
    if len(password) > MAX_PASSWORD_CHARS:
        raise AccountError(f"密码过长：最多 {MAX_PASSWORD_CHARS} 个字符")
    return password


class Accounts:
    """The accounts of one data folder plus the optional environment admin, with the rules for changing them.

    Each call opens its own SQLite connection, so the object can be shared by the
    server's threads and used at the same time by the ``python -m office.users`` command.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.path = settings.data_dir / USERS_FILE
        self.hasher = PasswordHasher(time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib,
                                     parallelism=settings.argon2_parallelism)
        self._dummy_hash: str | None = None

    # ------------------------------------------------------------------ reading

    @property
    def env_admin(self) -> str | None:
        """The name of the REPORTQA_USER admin, or None when that login is not configured."""
        s = self.settings
        return comparable_name(s.user) if s.user.strip() and s.password else None

    def login_required(self) -> bool:
        """True when anyone can log in: an environment admin or at least one stored account."""
        return self.env_admin is not None or bool(self.stored())

    def get(self, name: str | None) -> Account | None:
        """The account of that name (the environment admin first), or None."""
        if not name:
            return None
        name = comparable_name(name)
        if name == self.env_admin:
            return Account(name, "admin", source="env")
        if not self.path.exists():
            return None
        with self._db() as db:
            row = db.execute("SELECT name, role, created_at, updated_at, hash FROM users WHERE name = ?",
                             (name,)).fetchone()
        if not row:
            return None
        *values, stored_hash = row
        return Account(*values, password_mark=hashlib.sha256(stored_hash.encode()).hexdigest()[:16])

    def stored(self) -> list[Account]:
        """The stored accounts by name (the environment admin is not among them)."""
        if not self.path.exists():
            return []
        with self._db() as db:
            rows = db.execute("SELECT name, role, created_at, updated_at FROM users ORDER BY name").fetchall()
        return [Account(*row) for row in rows]

    def stored_account(self, name: str) -> Account:
        """The stored account of that name; refuse the environment admin and unknown names."""
        name = check_name(name)
        self._refuse_env(name)
        account = self.get(name)
        if account is None:
            raise AccountError(f"没有账号 {name}")
        return account

    def everyone(self) -> list[Account]:
        """Every account: the environment admin first (if configured), then the stored ones."""
        env = [Account(self.env_admin, "admin", source="env")] if self.env_admin else []
        return env + [a for a in self.stored() if a.name != self.env_admin]

    def verify(self, name: str, password: str) -> Account | None:
        """The account if the password is right, else None; takes one argon2 verification either way (~0.3 s).

        Unknown names are checked against a dummy hash so that the time taken does not tell
        which names exist. A hash made with older cost settings is upgraded on success.
        """
        name = comparable_name(name)
        password = password or ""
        if name and name == self.env_admin:
            self._matches(self._dummy(), password)  # the same work as for a stored account
            return self.get(name) if hmac.compare_digest(password.encode(), self.settings.password.encode()) else None
        stored = self._hash_of(name) if name else None
        if not self._matches(stored or self._dummy(), password) or stored is None:
            return None
        if self.hasher.check_needs_rehash(stored):
            self._update(name, "hash = ?", (self.hasher.hash(password),))
        return self.get(name)

    # ------------------------------------------------------------------ changing

    def add(self, name: str, password: str, role: str = "reader") -> Account:
        """Make a new account; raise :class:`AccountError` if the name is taken or a value is not acceptable."""
        name, role = check_name(name), check_role(role)
        check_password(password, self.settings.password_min_chars)
        self._refuse_env(name)
        similar = next((a.name for a in self.everyone() if look_alike(a.name) == look_alike(name)), None)
        if similar is not None:  # wang, WANG and Ｗａｎｇ would read as one person in the audit log
            raise AccountError(f"账号 {similar} 已存在" if similar == name else
                               f"已有账号 {similar}，与 {name} 只差大小写或全角/半角，请换一个用户名")
        stamp = now_text()
        try:
            with self._db() as db:
                db.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?)",
                           (name, role, self.hasher.hash(password), stamp, stamp))
        except sqlite3.IntegrityError:
            raise AccountError(f"账号 {name} 已存在") from None
        return Account(name, role, stamp, stamp)

    def remove(self, name: str) -> None:
        """Delete an account; refused for an unknown name, the environment admin and the last admin."""
        account = self.stored_account(name)
        if account.is_admin:
            self._keep_an_admin(account.name)
        with self._db() as db:
            db.execute("DELETE FROM users WHERE name = ?", (account.name,))

    def set_password(self, name: str, password: str) -> None:
        """Give an account a new password (its sessions should then be ended by the caller)."""
        account = self.stored_account(name)
        check_password(password, self.settings.password_min_chars)
        self._update(account.name, "hash = ?", (self.hasher.hash(password),))

    def set_role(self, name: str, role: str) -> Account:
        """Change an account's role; refused if it would leave no admin."""
        account, role = self.stored_account(name), check_role(role)
        if account.is_admin and role != "admin":
            self._keep_an_admin(account.name)
        self._update(account.name, "role = ?", (role,))
        return self.get(account.name)

    # ------------------------------------------------------------------ internals

    def _refuse_env(self, name: str) -> None:
        if name == self.env_admin:
            raise AccountError(f"账号 {name} 由环境变量 REPORTQA_USER / REPORTQA_PASSWORD 设定，只能在那里修改")

    def _keep_an_admin(self, leaving: str) -> None:
        """Refuse a change that leaves no admin at all (the environment admin counts)."""
        others = [a for a in self.everyone() if a.is_admin and a.name != leaving]
        if not others:
            raise AccountError(f"{leaving} 是最后一个管理员：请先让另一个账号成为管理员")

    def _hash_of(self, name: str) -> str | None:
        if not self.path.exists():
            return None
        with self._db() as db:
            row = db.execute("SELECT hash FROM users WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def _update(self, name: str, assignment: str, values: tuple) -> None:
        with self._db() as db:
            db.execute(f"UPDATE users SET {assignment}, updated_at = ? WHERE name = ?", (*values, now_text(), name))

    def _matches(self, stored: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(os.urandom(16).hex())
        return self._dummy_hash

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """A connection to the user file (made, readable by its owner only, on first use), committed on exit."""
        create_private(self.path)
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            db.execute(SCHEMA)
            yield db
