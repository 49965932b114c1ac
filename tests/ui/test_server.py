"""The simplest setup still works: REPORTQA_USER / REPORTQA_PASSWORD alone turn the login on, and that user is
an admin.

Real HTTP on loopback over the real index (only read); the app's data folder is a temporary one.
"""

from __future__ import annotations

import httpx
import pytest
from gradio_client import Client

from office.audit import AuditLog
from retriever.answer.service import AnswerService
from tests.helpers import serve


@pytest.fixture(scope="module")
def env_app(retriever, tmp_path_factory):
    root = tmp_path_factory.mktemp("env-login")
    settings = retriever.settings.override(user="office", password="env-secret", corpus=root / "corpus",
                                           index_dir=root / "index", data_dir=root / "data")
    demo, url = serve(AnswerService(retriever, settings), data_dir=settings.data_dir)
    yield url, settings
    demo.close()


def test_the_environment_login_is_an_admin_and_the_only_way_in(env_app):
    url, settings = env_app
    assert httpx.get(url + "config").status_code == 401
    assert httpx.get(url + "reader", params={"chunk": "x"}).status_code == 401
    assert httpx.get(url + "download", params={"name": "a.txt"}).status_code == 401
    with pytest.raises(Exception):  # noqa: B017 - gradio_client raises different types per version
        Client(url, verbose=False).predict("三社联动", api_name="/ask")
    with pytest.raises(ValueError):
        Client(url, auth=("office", "wrong"), verbose=False)
    client = Client(url, auth=("office", "env-secret"), verbose=False)
    assert client.predict("三社联动", api_name="/ask")[1]
    assert client.predict(api_name="/reports")["update"]["state"] == "idle"  # an admin API answers
    actions = [(e.action, e.user) for e in AuditLog.open(settings).read()]
    assert {("login", "office"), ("login_failed", "office"), ("question", "office")} <= set(actions)
