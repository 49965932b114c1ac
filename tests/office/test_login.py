"""The login check Gradio awaits: right passwords pass, failures for one name slow down and take turns.

The delay schedule is checked on :meth:`LoginGuard.delay` itself; timed attempts check only that a delay
that must happen does (lower bounds). Where a test needs to show that something is *not* slowed, it
compares with a delay the guard would have used instead (many times the expected wait), or checks the
order in which attempts finish, never a tight wall-clock ceiling: the tests run on a loaded 2-core machine.
"""

from __future__ import annotations

import asyncio
import inspect
import time

import pytest

from core.settings import Settings
from office.accounts import Accounts
from office.login import LoginGuard


@pytest.fixture()
def guard(settings) -> LoginGuard:
    settings = settings.override(login_delay=0.05, login_delay_max=1.6, login_forget_s=60)
    accounts = Accounts(settings)
    accounts.add("li", "reader password")
    accounts.add("wang", "other password")
    return LoginGuard(accounts, settings)


def timed(guard: LoginGuard, name: str, password: str) -> tuple[bool, float]:
    started = time.monotonic()
    ok = asyncio.run(guard.check(name, password))
    return ok, time.monotonic() - started


def test_check_is_a_coroutine_function_as_gradio_requires(guard):
    # Gradio awaits the auth callable only if inspect says it is a coroutine function; otherwise it would
    # call it and take the (truthy) coroutine object as a successful login.
    assert inspect.iscoroutinefunction(guard.check)


def test_the_delay_doubles_with_each_failure_up_to_the_max(guard, tmp_path):
    assert [guard.delay(n) for n in range(1, 9)] == [0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 1.6, 1.6]
    # The defaults README states: 0.5 s, 1 s, 2 s … up to 30 s.
    defaults = LoginGuard(Accounts(Settings(data_dir=tmp_path)), Settings(data_dir=tmp_path))
    assert [defaults.delay(n) for n in range(1, 9)] == [0.5, 1, 2, 4, 8, 16, 30, 30]


def test_wrong_passwords_wait_their_delay_and_a_right_one_resets_the_count(guard):
    assert timed(guard, "li", "reader password")[0] is True
    assert guard.failures("li") == 0
    for n in range(1, 5):
        ok, seconds = timed(guard, "li", "wrong")
        assert ok is False and guard.failures("li") == n
        assert seconds >= guard.delay(n), (n, seconds)  # 0.05, 0.1, 0.2, 0.4 s
    # Another name counts its own failures: wang's first wait is the first delay, not li's fifth (0.8 s,
    # 16 times as long: a generous margin, not a timing target).
    ok, seconds = timed(guard, "wang", "wrong")
    assert not ok and guard.failures("wang") == 1 and guard.failures("li") == 4
    assert guard.delay(1) <= seconds < guard.delay(5)
    # A right password is answered without li's pending delay (0.8 s) and forgets the failures.
    ok, seconds = timed(guard, "li", "reader password")
    assert ok and guard.failures("li") == 0 and seconds < guard.delay(5)
    ok, seconds = timed(guard, "li", "wrong")
    assert not ok and guard.failures("li") == 1 and seconds >= guard.delay(1)  # starts again at the first delay


def test_parallel_guesses_for_one_name_take_turns_while_other_names_go_through(guard):
    async def attack_and_login() -> tuple[list[bool], float, list[bool]]:
        started = time.monotonic()
        guesses = [asyncio.create_task(guard.check("li", f"guess {n}")) for n in range(5)]
        await asyncio.sleep(0.01)
        assert await guard.check("wang", "other password")
        done_when_wang_was_in = [g.done() for g in guesses]
        results = await asyncio.gather(*guesses)
        return results, time.monotonic() - started, done_when_wang_was_in

    results, total, done_when_wang_was_in = asyncio.run(attack_and_login())
    assert results == [False] * 5
    # One after another, each with its own, growing delay: 0.05 + 0.1 + 0.2 + 0.4 + 0.8 s.
    assert total >= sum(guard.delay(n) for n in range(1, 6))
    # wang did not queue behind li's guesses: logged in while the last of them (1.5 s away) was still waiting.
    assert not done_when_wang_was_in[-1], done_when_wang_was_in


def test_failures_are_forgotten_after_login_forget_s(guard):
    guard.settings = guard.settings.override(login_forget_s=0.3)
    assert timed(guard, "li", "wrong")[0] is False
    assert guard.failures("li") == 1
    time.sleep(0.35)
    assert guard.failures("li") == 0
    ok, seconds = timed(guard, "li", "wrong")
    assert not ok and guard.failures("li") == 1 and seconds >= guard.delay(1)  # starts again at the first delay


def test_unknown_names_fail_like_known_ones(guard):
    ok, seconds = timed(guard, "nobody", "reader password")
    assert ok is False and guard.failures("nobody") == 1 and seconds >= guard.delay(1)
