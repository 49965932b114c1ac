"""Generative mode against a real chat-completions HTTP server on loopback (no mocks).

The server (:class:`tests.helpers.ChatServer`) is the session fixture ``chat_server``; its behaviour is
chosen by the model name in each request.
"""

from __future__ import annotations

import time

import pytest

from retriever.answer.extractive import Answer, Citation
from retriever.answer.generate import Generator, check_markers
from retriever.search import Hit


def citations() -> list[Citation]:
    hits = [Hit(id=f"c{i}", file="f.txt", report=1, report_title="报告", section_path=["一、情况"],
                line_start=i, line_end=i, rank=i, score=1.0, text=text) for i, text in
            enumerate(["截山社区办公用房仅144平方米。", "社区办公用房是只有70平米的临时性用房。"], start=1)]
    return [Citation(h.rank, h) for h in hits]


FALLBACK = Answer("摘录式回答 [1]", citations(), True)


def run(server, model: str, timeout: float = 5.0):
    generator = Generator(server.url, model, api_key="k", timeout=timeout)
    return list(generator.stream("哪些社区办公用房不达标", citations(), FALLBACK))


def test_streamed_answer_keeps_valid_markers_and_drops_invented_ones(chat_server):
    parts = run(chat_server, "stream")
    assert len(parts) >= 3 and not parts[0].final and parts[-1].final
    assert "[1]" in parts[-1].text and "[2]" in parts[-1].text and "[7]" not in parts[-1].text
    assert "[7]" in parts[-1].notice
    request = chat_server.requests[-1]
    assert request["stream"] is True and "[2] 《报告》" in request["messages"][1]["content"]


def test_non_streamed_reply_accepted(chat_server):
    final = run(chat_server, "plain")[-1]
    assert final.text.startswith("截山社区") and "[7]" not in final.text


@pytest.mark.parametrize("model", ["garbage", "error"])
def test_broken_endpoint_falls_back_to_extractive_with_a_notice(chat_server, model):
    final = run(chat_server, model)[-1]
    assert final.final and final.text == FALLBACK.text and "摘录式回答" in final.notice


def test_hanging_endpoint_falls_back_within_the_time_limit(chat_server):
    started = time.monotonic()
    final = run(chat_server, "hang", timeout=1.0)[-1]
    # ReadTimeout proves the read timeout fired (the server answers normally after 3 s, and the whole-reply
    # deadline would say TimeoutError); the bound, 10x the timeout, only catches a wait that never ends.
    assert time.monotonic() - started < 10 and "ReadTimeout" in final.notice
    assert final.text == FALLBACK.text and final.notice


@pytest.mark.parametrize("model", ["trickle-sse", "trickle-json"])
def test_trickling_endpoint_falls_back_within_the_time_limit(chat_server, model):
    started = time.monotonic()
    final = run(chat_server, model, timeout=1.0)[-1]
    # TimeoutError in the notice proves the deadline fired (the server trickles for 3 s, then closes, which
    # gives another notice); the bound, 10x the timeout, only catches a wait that never ends.
    assert time.monotonic() - started < 10
    assert final.text == FALLBACK.text and "TimeoutError" in final.notice


def test_unreachable_endpoint_falls_back():
    parts = list(Generator("http://127.0.0.1:9/v1", "m", timeout=1).stream("问", citations(), FALLBACK))
    assert parts[-1].text == FALLBACK.text and parts[-1].notice


def test_check_markers_unit():
    assert check_markers("甲[1]乙[3]丙[12]", citations()) == ("甲[1]乙丙", [3, 12])
