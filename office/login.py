"""The login check handed to Gradio (``launch(auth=guard.check)``): argon2 off the event loop, failures slowed.

Gradio's ``/login`` awaits a coroutine function but calls a plain one on its event loop,
so :meth:`LoginGuard.check` is ``async``: the argon2 verification (~0.3 s of CPU) runs
in a worker thread and the delay after a failure is an ``asyncio.sleep``, so neither
holds up anyone else's request. (It must stay a real ``async def``: Gradio tests
``inspect.iscoroutinefunction``, and an object with an async ``__call__`` would be
called without being awaited, its coroutine counting as a successful login.)

Repeated failures for one user name are slowed: the n-th failure in a row is answered
after ``login_delay·2^(n−1)`` seconds (at most ``login_delay_max``), and attempts for
the same name take turns, so sending guesses in parallel gains nothing. Other names are
not affected. Gradio's auth callable never sees the client address; the audit log gets
it from :mod:`ui.login_audit`, a middleware on ``/login``.

Usage::

    guard = LoginGuard(Accounts(settings), settings)
    demo.launch(auth=guard.check, ...)
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from core.settings import Settings
from office.accounts import Accounts, comparable_name

MAX_TRACKED_NAMES = 10_000
"""Names whose failures are remembered at once; beyond that the oldest are forgotten (memory stays bounded)."""


@dataclass
class Failures:
    """Failed logins in a row for one name, and when the last one happened (``time.monotonic``)."""

    count: int
    last: float


class LoginGuard:
    """Check a user name and password against :class:`~office.accounts.Accounts`, slowing repeated failures."""

    def __init__(self, accounts: Accounts, settings: Settings) -> None:
        self.accounts = accounts
        self.settings = settings
        self._failures: dict[str, Failures] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}

    def delay(self, count: int) -> float:
        """Seconds the ``count``-th failure in a row waits before it is answered."""
        s = self.settings
        return min(s.login_delay * 2 ** max(count - 1, 0), s.login_delay_max)

    def failures(self, name: str) -> int:
        """Failed logins in a row for that name that are still remembered."""
        entry = self._failures.get(comparable_name(name))
        if entry is None or time.monotonic() - entry.last > self.settings.login_forget_s:
            return 0
        return entry.count

    async def check(self, username: str, password: str) -> bool:
        """True if the password is right; a wrong one is answered only after the name's growing delay."""
        key = comparable_name(username)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:  # one attempt per name at a time, its delay included
                account = await asyncio.to_thread(self.accounts.verify, username, password)
                if account is not None:
                    self._failures.pop(key, None)
                    return True
                count = self.failures(key) + 1
                self._remember(key, count)
                await asyncio.sleep(self.delay(count))
                return False
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key]
                self._locks.pop(key, None)

    def _remember(self, key: str, count: int) -> None:
        """Record a failure; forget stale names, and the oldest when too many are tracked."""
        self._failures.pop(key, None)  # re-inserted last: the dict stays ordered by last failure
        self._failures[key] = Failures(count, time.monotonic())
        horizon = time.monotonic() - self.settings.login_forget_s
        while self._failures:
            oldest, entry = next(iter(self._failures.items()))
            if entry.last >= horizon and len(self._failures) <= MAX_TRACKED_NAMES:
                break
            del self._failures[oldest]

