"""What the pages of a shared app work with, and who may do what: one object per running app.

A :class:`Workplace` holds the live answer service, the accounts and login guard, the
audit log, the question history, the corpus folder and the index updater, all for the
folders of one :class:`~core.settings.Settings`. :meth:`Workplace.grant` is the single
rule for rights: without a login configured everyone is an anonymous reader; with one,
a request must come from an account that still exists, and admin actions need the
admin role. It is asked again on every event, so a removed or demoted account loses
its rights at once, not at its next login.

Usage::

    place = Workplace(AnswerService.open(settings))
    session = place.grant("王芳", "10.0.0.7", need="admin")      # or AccessDenied
    place.record(session, "upload", file="报告.docx")
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import AccessDenied
from core.settings import Settings
from office.accounts import ANONYMOUS, Account, Accounts
from office.audit import AuditLog
from office.catalogue import Digests
from office.corpus import ManagedCorpus
from office.history import History
from office.live import LiveService
from office.login import LoginGuard
from office.updater import IndexUpdater, UpdateState
from retriever.answer.service import AnswerService

AUDIT_QUESTION_CHARS = 500
"""A question is written to the audit log up to this many characters (the history keeps it whole)."""
NOT_LOGGED_IN = "请先登录。"
NO_ACCOUNT = "账号不存在或已被删除，请重新登录。"
NOT_ADMIN = "权限不足：只有管理员可以执行此操作。"
PASSWORD_CHANGED = "该账号的密码已重设，请用新密码重新登录。"
MAX_TRACKED_SESSIONS = 10_000
"""Login sessions whose password mark is remembered; beyond that, marks of ended sessions are forgotten."""


@dataclass(frozen=True)
class Session:
    """Who is acting (user name and role) and from which address."""

    user: str
    role: str
    client: str | None

    @property
    def is_admin(self) -> bool:
        """True for the admin role."""
        return self.role == "admin"


class Workplace:
    """The shared stores and jobs of one running app, and the check of every request's rights."""

    def __init__(self, service: AnswerService) -> None:
        settings: Settings = service.settings
        self.settings = settings
        self.live: LiveService[AnswerService] = LiveService(service)
        self.accounts = Accounts(settings)
        self.audit = AuditLog.open(settings)
        self.history = History.open(settings)
        self.corpus = ManagedCorpus(settings.corpus)
        self.digests = Digests()
        self.guard = LoginGuard(self.accounts, settings)
        self.updater = IndexUpdater(self.live, self._updated)
        self.login_required = self.accounts.login_required()
        """Decided at start: login is on when an account or the REPORTQA_USER admin exists (restart to change)."""
        self._app = None
        self._marks: dict[str, str] = {}  # login session cookie → password mark at login (or when first seen)

    def grant(self, user: str | None, client: str | None, need: str = "reader", token: str | None = None,
              attempted: str = "", target: str = "") -> Session:
        """The session allowed to act, or raise :class:`AccessDenied` (and log the refusal).

        ``token`` is the login session's cookie: a session logged in before the account's password was
        set again (also by ``python -m office.users reset-password`` in another process) is ended.
        ``attempted`` (the event or route, e.g. ``user_role``) and its ``target`` (an account or file)
        go into the audit entry of a refusal, so an auditor can tell what was tried.
        """
        try:
            account = self._account(user)
            self._check_password_mark(token, account)
            if need == "admin" and not account.is_admin:
                raise AccessDenied(NOT_ADMIN)
        except AccessDenied as error:
            tried = {key: value for key, value in (("attempted", attempted), ("target", target[:100])) if value}
            self.audit.write("denied", user, client, need=need, reason=str(error), **tried)
            raise
        return Session(account.name, account.role, client)

    def record(self, session: Session, action: str, **detail: object) -> None:
        """Write one audit event for the session's user and address."""
        self.audit.write(action, session.user, session.client, **detail)

    def asked(self, session: Session, question: str, answer: str, found: bool, sources: list[dict],
              via: str) -> int:
        """Keep an answered question in the user's history and the audit log; the history entry's id (0: none kept).

        Without a login everyone is the same anonymous reader, so nothing goes into a history
        (it would show one person's questions to everybody); the audit log still has the question.
        """
        entry = self.history.add(session.user, question, answer, found, sources) if self.login_required else 0
        self.record(session, "question", question=question[:AUDIT_QUESTION_CHARS], found=found,
                    sources=len(sources), via=via)
        return entry

    def bind(self, app: object) -> None:
        """Remember the running Gradio app, whose login sessions :meth:`end_sessions` ends."""
        self._app = app

    def end_sessions(self, name: str) -> int:
        """Log out every session of a user (after removal or a new password); how many there were."""
        tokens: dict = getattr(self._app, "tokens", None) or {}
        ended = [token for token, user in list(tokens.items()) if user == name]
        for token in ended:
            tokens.pop(token, None)
        return len(ended)

    def note_login(self, token: str, name: str) -> None:
        """Remember the password a new login session was made with (its account's mark now), so a reset or a
        removal in another process ends it even if it makes no request before then."""
        account = self.accounts.get(name)
        if token and account is not None and account.password_mark:
            self._marks[token] = account.password_mark

    def _check_password_mark(self, token: str | None, account: Account) -> None:
        """Refuse a session whose account's password changed since the session was first seen.

        The session keeps its old mark, so every later event and route of it is refused too, until the
        user logs in again (a new session). Its cookie is left to Gradio: dropping it in the middle of an
        event would cut the reply, and the user would never see why.
        """
        if not token or not account.password_mark:
            return
        if self._marks.setdefault(token, account.password_mark) != account.password_mark:
            raise AccessDenied(PASSWORD_CHANGED)
        if len(self._marks) > MAX_TRACKED_SESSIONS:  # forget sessions Gradio no longer knows
            live = getattr(self._app, "tokens", None) or {}
            for old in [t for t in list(self._marks) if t not in live]:
                self._marks.pop(old, None)

    def _account(self, user: str | None) -> Account:
        if not self.login_required:
            return Account(ANONYMOUS, "reader", source="none")
        if not user:
            raise AccessDenied(NOT_LOGGED_IN)
        account = self.accounts.get(user)
        if account is None:
            raise AccessDenied(NO_ACCOUNT)
        return account

    def _updated(self, state: UpdateState, by: str | None) -> None:
        """Audit the end of an index update."""
        manifest = self.live.current.retriever.stored.manifest
        self.audit.write("index", by, None, result="完成" if state.state == "done" else "失败", reason=state.reason,
                         reports=manifest.reports, passages=manifest.chunks, error=state.error)
