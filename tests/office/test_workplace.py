"""Who may do what: anonymous readers without login; with login, existing accounts only, admins for admin work."""

from __future__ import annotations

import pytest

from core.errors import AccessDenied
from office.accounts import Accounts
from office.audit import AuditQuery
from office.workplace import Workplace
from retriever.answer.service import AnswerService
from tests.helpers import CHEAP_ARGON2


@pytest.fixture(scope="module")
def service(retriever, tmp_path_factory) -> AnswerService:
    """The real index (only read), with corpus, index and data folders elsewhere: nothing real is written."""
    root = tmp_path_factory.mktemp("place")
    return AnswerService(retriever, retriever.settings.override(corpus=root / "corpus", index_dir=root / "index"))


def place_for(service: AnswerService, tmp_path, **changes) -> Workplace:
    settings = service.settings.override(data_dir=tmp_path / "data", **CHEAP_ARGON2, **changes)
    return Workplace(AnswerService(service.retriever, settings))


def test_without_login_everyone_is_an_anonymous_reader(service, tmp_path):
    place = place_for(service, tmp_path)
    assert not place.login_required
    session = place.grant(None, "127.0.0.1")
    assert (session.user, session.role, session.client) == ("anonymous", "reader", "127.0.0.1")
    with pytest.raises(AccessDenied, match="权限不足：只有管理员可以执行此操作。"):
        place.grant(None, "127.0.0.1", need="admin")


def test_with_login_only_existing_accounts_act_and_only_admins_administer(service, tmp_path):
    Accounts(service.settings.override(data_dir=tmp_path / "data", **CHEAP_ARGON2)).add("boss", "boss password",
                                                                                         "admin")
    place = place_for(service, tmp_path)
    place.accounts.add("li", "reader password")
    assert place.login_required
    assert place.grant("boss", "10.0.0.1", need="admin").is_admin
    assert place.grant("li", "10.0.0.2").role == "reader"
    for user, need, message in [(None, "reader", "请先登录。"), ("ghost", "reader", "账号不存在或已被删除"),
                                ("li", "admin", "权限不足：只有管理员可以执行此操作。")]:
        with pytest.raises(AccessDenied, match=message):
            place.grant(user, "10.0.0.3", need=need)
    place.accounts.remove("li")
    with pytest.raises(AccessDenied, match="账号不存在或已被删除"):  # at once, not at the next login
        place.grant("li", "10.0.0.2")
    denied = place.audit.read(AuditQuery(action="denied"))
    assert [(e.user, e.client) for e in denied] == [("li", "10.0.0.2"), ("li", "10.0.0.3"), ("ghost", "10.0.0.3"),
                                                    (None, "10.0.0.3")]


def test_the_environment_admin_turns_login_on(service, tmp_path):
    place = place_for(service, tmp_path, user="office", password="env-secret")
    assert place.login_required and place.grant("office", None, need="admin").is_admin


def test_an_answered_question_goes_to_the_users_history_and_the_audit_log(service, tmp_path):
    place = place_for(service, tmp_path, user="office", password="env-secret")
    session = place.grant("office", "10.0.0.9")
    reply = place.live.current.ask("社区办公用房不足")
    entry = place.asked(session, "社区办公用房不足", reply.text, reply.found, [c.to_dict() for c in reply.citations],
                        via="api")
    assert place.history.get("office", entry).sources[0]["text"] == reply.citations[0].hit.text
    assert place.history.get("someone else", entry) is None
    event, = place.audit.read()
    assert (event.action, event.user, event.client) == ("question", "office", "10.0.0.9")
    assert event.detail == {"question": "社区办公用房不足", "found": reply.found, "sources": len(reply.citations),
                            "via": "api"}


def test_without_login_questions_are_audited_but_kept_in_no_shared_history(service, tmp_path):
    place = place_for(service, tmp_path)
    session = place.grant(None, "10.0.0.9")
    reply = place.live.current.ask("社区办公用房不足")
    assert place.asked(session, "社区办公用房不足", reply.text, reply.found, [], via="chat") == 0
    assert place.history.recent("anonymous", 10) == []  # everyone is "anonymous": one history would show all
    assert [e.action for e in place.audit.read()] == ["question"]
