"""Logins are audited with the address (ui/login_audit.py), failures slow down, an oversized login form is
refused.

The shared app of tests/ui/conftest.py (``app``: login on, an admin ``boss``, a reader ``li``), over real
HTTP on loopback.
"""

from __future__ import annotations

import json
import time
import unicodedata

import httpx
import pytest

from tests.helpers import COMPOSED, READER, audit

pytestmark = pytest.mark.slow  # a server over a copy of the slices index


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
