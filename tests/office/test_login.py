"""The login check Gradio awaits: right passwords pass, failures for one name slow down and take turns."""

from __future__ import annotations

import asyncio
import inspect
import time

import pytest

from office.accounts import Accounts
from office.login import LoginGuard


@pytest.fixture()
def guard(settings) -> LoginGuard:
    settings = settings.override(login_delay=0.1, login_delay_max=0.4, login_forget_s=60)
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


def test_right_password_passes_at_once_and_wrong_ones_wait_longer_each_time(guard):
    assert timed(guard, "li", "reader password")[0] is True
    waits = []
    for _ in range(4):
        ok, seconds = timed(guard, "li", "wrong")
        assert ok is False
        waits.append(seconds)
    for wait, expected in zip(waits, [0.1, 0.2, 0.4, 0.4]):  # doubling, capped at login_delay_max
        assert expected <= wait < expected + 0.09, waits
    assert guard.failures("li") == 4 and guard.failures("wang") == 0
    ok, seconds = timed(guard, "wang", "wrong")
    assert not ok and seconds < 0.2  # another name is not slowed by li's failures
    ok, seconds = timed(guard, "li", "reader password")
    assert ok and seconds < 0.1 and guard.failures("li") == 0  # success resets the count


def test_parallel_guesses_for_one_name_take_turns_while_other_names_go_through(guard):
    async def attack_and_login() -> tuple[list[bool], float, float]:
        started = time.monotonic()
        guesses = [asyncio.create_task(guard.check("li", f"guess {n}")) for n in range(3)]
        await asyncio.sleep(0.05)
        login_started = time.monotonic()
        assert await guard.check("wang", "other password")
        login_seconds = time.monotonic() - login_started
        results = await asyncio.gather(*guesses)
        return results, time.monotonic() - started, login_seconds

    results, total, login_seconds = asyncio.run(attack_and_login())
    assert results == [False, False, False]
    assert total >= 0.1 + 0.2 + 0.4 - 0.02  # one after another, each with its own, growing delay
    assert login_seconds < 0.15


def test_failures_are_forgotten_after_login_forget_s(guard):
    guard.settings = guard.settings.override(login_forget_s=0.3)
    assert timed(guard, "li", "wrong")[0] is False
    assert guard.failures("li") == 1
    time.sleep(0.35)
    assert guard.failures("li") == 0
    assert 0.1 <= timed(guard, "li", "wrong")[1] < 0.19  # starts again at the first delay


def test_unknown_names_fail_like_known_ones(guard):
    ok, seconds = timed(guard, "nobody", "reader password")
    assert ok is False and 0.1 <= seconds < 0.19
