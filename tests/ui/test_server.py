"""The app as ui/server.py serves it, over real HTTP on loopback: with the login on, anonymous clients get
nothing, REPORTQA_USER / REPORTQA_PASSWORD alone turn the login on (and that user is an admin), and an upload
over twice the limit is stopped before any handler.

The REPORTQA_USER app reads the real index (only), with a temporary data folder; the other tests use the shared
app of tests/ui/conftest.py (``app``).
"""

from __future__ import annotations

import httpx
import pytest
from gradio_client import Client

from office.audit import AuditLog
from retriever.answer.service import AnswerService
from tests.helpers import ADMIN, logged_in, serve


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


@pytest.mark.slow  # a server over a copy of the slices index
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


@pytest.mark.slow  # a server over a copy of the slices index
def test_an_upload_over_twice_the_limit_is_stopped_before_any_handler(app):
    http = logged_in(app, ADMIN)
    answer = http.post("/gradio_api/upload", files={"files": ("huge.txt", b"x" * (2 * 2**20 + 1))})
    assert answer.status_code == 413
    assert "huge.txt" not in {p.name for p in app["settings"].corpus.iterdir()}


def test_an_app_without_login_refuses_an_address_other_pcs_reach_and_serves_with_one(retriever, tmp_path):
    from core.errors import ConfigError
    from tests.helpers import free_port
    from ui.server import start

    anonymous = AnswerService(retriever, retriever.settings.override(data_dir=tmp_path / "anonymous"))
    port = free_port()
    for host, share in [("0.0.0.0", False), ("10.0.0.8", False), ("127.0.0.1", True)]:
        with pytest.raises(ConfigError, match="没有设置登录") as refused:
            start(anonymous, host, port, share=share, block=False, quiet=True)
        assert "office.users add" in str(refused.value) and "open_without_login=true" in str(refused.value)
    with pytest.raises(httpx.ConnectError):  # refused before anything listened
        httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
    with_login = AnswerService(retriever, retriever.settings.override(
        data_dir=tmp_path / "login", user="office", password="env-secret"))
    demo, url = start(with_login, "0.0.0.0", port, block=False, quiet=True)
    try:
        assert httpx.get(f"http://127.0.0.1:{port}/config", timeout=10).status_code == 401  # served, behind the login
    finally:
        demo.close()
    allowed = AnswerService(retriever, retriever.settings.override(data_dir=tmp_path / "open",
                                                                   open_without_login=True))
    demo, url = start(allowed, "0.0.0.0", free_port(), block=False, quiet=True)
    demo.close()
