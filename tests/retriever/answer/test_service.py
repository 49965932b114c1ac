"""AnswerService, the one routine every entry point calls: clean → search → compose, on the real index."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from retriever.answer.service import AnswerService
from retriever.query import EMPTY_QUESTION


@pytest.fixture(scope="module")
def service(retriever) -> AnswerService:
    return AnswerService(retriever)


def test_ask_cleans_searches_and_composes_a_cited_answer(service):
    reply = service.ask("  社区工作者待遇\u200b怎么样？ ")
    assert reply.found and reply.citations
    assert reply.text == service.ask("社区工作者待遇怎么样？").text  # the same question once cleaned


def test_stream_grows_point_by_point_and_ends_with_the_whole_answer(service):
    parts = list(service.stream("哪些社区办公用房不达标"))
    assert len(parts) > 3 and parts[-1].final and not any(p.final for p in parts[:-1])
    assert all(later.text.startswith(earlier.text) for earlier, later in zip(parts, parts[1:]))
    assert parts[-1].text == service.ask("哪些社区办公用房不达标").text


def test_an_empty_question_gets_the_hint_and_no_search(service):
    reply = service.ask(" \n ")
    assert reply.text == EMPTY_QUESTION and not reply.citations and not reply.found


def test_an_unknown_mode_is_refused_not_replaced_by_the_default(service):
    """Before, ``ask(…, mode="bm2")`` silently searched in hybrid mode; the caller never learnt of the typo."""
    with pytest.raises(ConfigError, match="bm2"):
        service.ask("社区工作者待遇怎么样", mode="bm2")
    assert service.ask("社区工作者待遇怎么样", mode="bm25").found


def test_a_quantity_answer_without_the_asked_amount_searches_deeper_for_it(service):
    """沙市's report gives its 1301万元 in a passage below the 8 searched: the answer quoted 沙市's remarks and
    no amount. A question asking for an amount in a unit (多少钱 → 元) whose points state none is answered from
    list_top_k passages when that answer states one."""
    reply = service.ask("沙市这几年在社区基础设施上一共投了多少钱？")
    assert reply.found and "全区共投入资金1301万元" in reply.text, reply.text
