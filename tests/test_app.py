"""The chat app on a real HTTP server on loopback, asked through gradio_client."""

from __future__ import annotations

import socket

import httpx
import pytest
from gradio_client import Client

from app import CSS, build_app, card_html, combine_with_history
from retriever.answer import Citation
from retriever.search import Hit


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(retriever):
    """The real app served on a free loopback port."""
    demo = build_app(retriever)
    demo.queue(default_concurrency_limit=1)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, css=CSS)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.fixture(scope="module")
def client(app_url):
    return Client(app_url, verbose=False)


def test_ask_api_returns_cited_answer_and_sources_as_data(client):
    answer, sources = client.predict("哪些社区办公用房不达标", api_name="/ask")
    assert "[1]" in answer and "截山社区办公用房仅144平方米" in answer
    assert "70平米的临时性用房" in answer and "双四百" in answer  # a list question gathers several reports
    numbers = {s["n"] for s in sources}
    assert numbers == set(range(1, len(sources) + 1))
    jieshan = next(s for s in sources if "截山社区" in s["text"])
    assert jieshan["file"].startswith("003") and jieshan["line_start"] <= jieshan["line_end"]
    for source in sources:
        for start, end in source["highlights"]:
            assert source["text"][start:end].strip() in answer  # cited sentence is an exact slice


def test_ask_api_optional_arguments_and_empty_question(client):
    answer, sources = client.predict("三社联动", 3, "bm25", api_name="/ask")
    assert sources and len(sources) <= 3
    answer, sources = client.predict("   ", api_name="/ask")
    assert answer == "请输入问题。" and sources == []


def test_unrelated_question_says_nothing_was_found(client):
    answer, _ = client.predict("量子计算机芯片制程", api_name="/ask")
    assert answer.startswith("报告中未找到与")


def test_script_and_img_in_report_text_are_escaped_in_source_cards():
    hit = Hit(id="x", file="a<b>.txt", report=1, report_title="《标题》<i>", section_path=["一、<b>情况</b>"],
              line_start=3, line_end=4, rank=1, score=1.0,
              text="正文<script>alert(1)</script><img src=x onerror=alert(2)>结束。")
    html_text = card_html(Citation(1, hit, [(0, 10)]))
    assert "<script" not in html_text and "<img" not in html_text and "<i>" not in html_text
    assert "&lt;script&gt;" in html_text and "&lt;img src=x onerror=alert(2)&gt;" in html_text


def test_elliptical_follow_up_uses_the_previous_question():
    history = [{"role": "user", "content": "城市社区办公用房不达标的情况"}, {"role": "assistant", "content": "……"}]
    assert combine_with_history("那农村社区呢？", history) == "城市社区办公用房不达标的情况 那农村社区呢？"
    assert combine_with_history("社区经费从哪里来", history) == "社区经费从哪里来"


def test_login_protects_pages_and_api(retriever):
    demo = build_app(retriever)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                auth=("official", "s3cret"))
    url = f"http://127.0.0.1:{port}/"
    try:
        assert httpx.get(url + "config", timeout=10).status_code in (401, 403)
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises different types per version
            Client(url, verbose=False).predict("三社联动", api_name="/ask")
        answer, sources = Client(url, auth=("official", "s3cret"), verbose=False).predict("三社联动", api_name="/ask")
        assert sources
    finally:
        demo.close()
