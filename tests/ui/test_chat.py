"""The chat app on a real HTTP server on loopback, asked through gradio_client.

``app_url`` (the app over the real index) and ``chat_server`` (a loopback chat-completions server) are
session fixtures in tests/conftest.py.
"""

from __future__ import annotations

import json
import re
import time

import httpx
import pytest
from gradio_client import Client

from core.settings import Settings
from retriever.answer.citation import Citation
from retriever.answer.service import AnswerService
from retriever.hits import Hit
from retriever.query import EMPTY_QUESTION
from retriever.search import Retriever
from tests.helpers import BrokenBackend, serve
from ui.cards import card_html, sources_html
from ui.chat import chat_text, combine_with_history, index_status_text
from ui.export import whole_answer_text
from ui.session import SessionEntry


@pytest.fixture(scope="module")
def client(app_url):
    return Client(app_url, verbose=False)


def test_ask_api_returns_cited_answer_and_sources_as_data(client):
    answer, sources, found = client.predict("哪些社区办公用房不达标", api_name="/ask")
    assert found is True and "[1]" in answer and "截山社区办公用房仅144平方米" in answer
    assert "70平米的临时性用房" in answer and "鱼儿山社区" in answer  # a list question gathers several reports
    numbers = {s["n"] for s in sources}
    assert numbers == set(range(1, len(sources) + 1))
    jieshan = next(s for s in sources if "截山社区" in s["text"])
    assert jieshan["file"].startswith("003") and jieshan["line_start"] <= jieshan["line_end"]
    for source in sources:
        for start, end in source["highlights"]:
            assert source["text"][start:end].strip() in answer  # cited sentence is an exact slice
        quoted = source["quoted"]  # where the cited sentences lie: within the passage, under its section
        assert source["line_start"] <= quoted["line_start"] <= quoted["line_end"] <= source["line_end"]
        assert quoted["section_path"][: len(source["section_path"])] == source["section_path"]
    office = next(s for s in sources if "只有70平米" in s["text"])
    assert office["quoted"]["section_path"] == ["二、存在问题", "3、社区办公用房尚未达标"]
    assert office["quoted"]["lines"] == [[595, 595]] and office["line_start"] == 587


def test_ask_api_optional_arguments_and_empty_question(client):
    answer, sources, *_ = client.predict("三社联动", 3, "bm25", api_name="/ask")
    assert sources and len(sources) <= 3
    for blank in ("", "   ", "\t\n\u3000", "\x00\u200b"):
        assert client.predict(blank, api_name="/ask") == [EMPTY_QUESTION, [], False]


@pytest.mark.parametrize("question", ["？？？！！", "😀🎉🙂", "……——《》"])
def test_punctuation_or_emoji_question_says_not_found_without_sources(client, question):
    answer, sources, *_ = client.predict(question, api_name="/ask")
    assert answer.startswith(f"报告中未找到与“{question}”") and sources == []


def test_traditional_and_control_characters_answered_like_the_plain_question(client):
    plain = client.predict("社区工作者待遇怎么样", api_name="/ask")
    assert client.predict("社區工作者\x00待遇\x07怎麼樣", api_name="/ask") == plain


def test_lone_surrogate_in_raw_api_call_is_dropped_not_a_crash(app_url):
    """gradio_client cannot even encode a lone surrogate; a raw JSON body can carry one."""
    body = b'{"data": ["\\ud800\\u793e\\u533a\\u7ecf\\u8d39", 8, "hybrid"]}'  # "\ud800社区经费" escaped
    call = httpx.post(app_url + "gradio_api/call/ask", content=body, headers={"Content-Type": "application/json"})
    events = httpx.get(f"{app_url}gradio_api/call/ask/{call.json()['event_id']}", timeout=60).text
    assert "event: complete" in events, events
    (answer, sources, found), = json.loads(events.split("event: complete\ndata: ", 1)[1].splitlines()[0])
    assert answer.startswith("关于“社区、经费”") and sources and found


def raw_ask(app_url: str, body: str) -> tuple[str, object]:
    """One raw-HTTP /ask call (no gradio_client): the kind of its last event and that event's data."""
    call = httpx.post(app_url + "gradio_api/call/ask", content=body.encode(),
                      headers={"Content-Type": "application/json"})
    events = httpx.get(f"{app_url}gradio_api/call/ask/{call.json()['event_id']}", timeout=60).text
    kind, data = events.strip().split("\n")[-2:]
    return kind.removeprefix("event: "), json.loads(data.removeprefix("data: "))


@pytest.mark.parametrize("arguments, message", [
    ('"abc", "hybrid"', "top_k 应为 1—50 的整数（检索的段落数），收到 abc。"),
    ('-5, "hybrid"', "top_k 应为 1—50 的整数（检索的段落数），收到 -5。"),
    ('0, "hybrid"', "top_k 应为 1—50 的整数（检索的段落数），收到 0。"),
    ('8, "xxx"', "mode 应为 hybrid、bm25、dense 之一，收到 xxx。"),
])
def test_raw_api_call_with_a_wrong_argument_is_refused_in_chinese(app_url, arguments, message):
    kind, data = raw_ask(app_url, f'{{"data": ["三社联动", {arguments}]}}')
    assert (kind, data["error"]) == ("error", message)


def test_raw_api_call_with_the_question_alone_uses_the_defaults_like_the_client(client, app_url):
    """Gradio wants every value of an API call: `{"data": ["问题"]}` got `{"error": null}` over plain HTTP."""
    full = client.predict("社区工作者待遇怎么样", api_name="/ask")
    kind, (alone,) = raw_ask(app_url, '{"data": ["社区工作者待遇怎么样"]}')
    assert kind == "complete" and list(alone) == list(full)
    kind, (with_top_k,) = raw_ask(app_url, '{"data": ["社区工作者待遇怎么样", 8]}')
    assert kind == "complete" and list(with_top_k) == list(full)


@pytest.mark.parametrize("body", ['{"data": []}', '{"data": "社区经费"}', '{"question": "社区经费"}'])
def test_raw_api_call_without_a_question_list_is_refused_in_chinese(app_url, body):
    call = httpx.post(app_url + "gradio_api/call/ask", content=body.encode(),
                      headers={"Content-Type": "application/json"})
    assert call.status_code == 400 and call.json()["detail"].startswith("请求的 data 应是一个列表，第一项是问题")


def test_a_refused_api_call_leaves_no_traceback_in_the_log(app_url, capfd):
    capfd.readouterr()
    assert raw_ask(app_url, '{"data": ["三社联动", 0, "hybrid"]}')[0] == "error"
    assert "Traceback" not in capfd.readouterr().err


def test_raw_api_call_with_a_question_that_is_not_text_is_refused(app_url):
    kind, data = raw_ask(app_url, '{"data": [123, 8, "hybrid"]}')
    assert (kind, data["error"]) == ("error", "问题应为文字，收到 int 类型的值。")
    kind, ((answer, sources, found),) = raw_ask(app_url, '{"data": ["三社联动", 8.0, "bm25"]}')
    assert kind == "complete" and "三社联动" in answer and sources and found


def test_very_long_question_is_cut_with_a_notice(client):
    answer, sources, *_ = client.predict("社区经费从哪里来。" + "农村社区建设" * 830, api_name="/ask")
    assert answer.startswith("（问题过长（4989 字），只使用了前 2000 字）\n关于“社区、经费") and sources


def test_a_long_question_is_cut_in_the_line_above_its_sources():
    hit = Hit(id="x", file="a.txt", report=1, report_title="标题", section_path=["一、情况"],
              line_start=3, line_end=4, rank=1, score=1.0, text="社区经费不足。")
    entry = SessionEntry("社区" * 1500, "……", [Citation(1, hit, [(0, 7)])])
    head = sources_html(entry).split("</div>", 1)[0]
    assert head.endswith("问题：" + "社区" * 40 + "…") and len(head) < 200
    short = SessionEntry("社区经费从哪里来", "……", [Citation(1, hit, [(0, 7)])])
    assert sources_html(short).split("</div>", 1)[0].endswith("问题：社区经费从哪里来")


def test_the_index_line_gives_its_build_time_as_an_official_reads_it(retriever):
    line = index_status_text(AnswerService(retriever))
    assert re.search(r"，建立于 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d$", line), line


def test_unrelated_question_says_nothing_was_found(client):
    answer, _, found = client.predict("量子计算机芯片制程", api_name="/ask")
    assert found is False
    assert answer.startswith("报告中未找到")


def test_script_and_img_in_report_text_are_escaped_in_source_cards():
    hit = Hit(id="x", file="a<b>.txt", report=1, report_title="《标题》<i>", section_path=["一、<b>情况</b>"],
              line_start=3, line_end=4, rank=1, score=1.0,
              text="正文<script>alert(1)</script><img src=x onerror=alert(2)>结束。")
    html_text = card_html(Citation(1, hit, [(0, 10)]))
    assert "<script" not in html_text and "<img" not in html_text and "<i>" not in html_text
    assert "&lt;script&gt;" in html_text and "&lt;img src=x onerror=alert(2)&gt;" in html_text
    assert "href='reader?chunk=x&amp;s=0-10#c-x'" in html_text  # 阅读原文 opens at the quoted sentence


def test_html_in_report_text_is_copied_literally():
    hit = Hit(id="x", file="a.txt", report=1, report_title="<b>标题</b>", section_path=["一、情况"], line_start=3,
              line_end=4, rank=1, score=1.0, text="正文<script>alert(1)</script>&amp;结束。")
    citation = Citation(1, hit, [(0, 10)])
    source = "（来源：《<b>标题</b>》一、情况，a.txt 第3—4行）"
    assert citation.copy_text() == f"正文<script>alert(1)</script>&amp;结束。\n{source}"
    whole = whole_answer_text("- 正文<script>alert(1)</script>&amp;结束。 [1]", [citation])
    assert whole == f"- 正文<script>alert(1)</script>&amp;结束。 [1]\n\n出处：\n[1] {source}"


def test_elliptical_follow_up_uses_the_previous_question():
    history = [{"role": "user", "content": "城市社区办公用房不达标的情况"}, {"role": "assistant", "content": "……"}]
    limit = Settings().follow_up_max_chars
    assert combine_with_history("那农村社区呢？", history, limit) == "城市社区办公用房不达标的情况 那农村社区呢？"
    assert combine_with_history("农村呢", history, limit) == "城市社区办公用房不达标的情况 农村呢"  # short
    assert combine_with_history("农村的呢？", history, limit) == "城市社区办公用房不达标的情况 农村的呢？"
    # A short question that names its own subject (the page's own example 三社联动) is not a follow-up.
    for own in ("三社联动", "网格化", "社区减负", "物业管理"):
        assert combine_with_history(own, history, limit) == own
    assert combine_with_history("我国农村社区建设情况呢", history, limit) == "我国农村社区建设情况呢"  # long
    assert combine_with_history("社区经费从哪里来", history, limit) == "社区经费从哪里来"
    assert combine_with_history("那农村社区呢？", [], limit) == "那农村社区呢？"  # nothing to follow


def test_follow_up_reads_the_previous_question_from_gradio_6_message_parts():
    history = [{"role": "user", "content": [{"type": "text", "text": chat_text("城市社区*办公用房*")}]},
               {"role": "assistant", "content": [{"type": "text", "text": "……"}]}]
    assert combine_with_history("那农村呢", history, 6) == "城市社区*办公用房* 那农村呢"


@pytest.mark.parametrize("model, reason", [("hang", "ReadTimeout"), ("garbage", "JSONDecodeError")])
def test_broken_llm_endpoint_falls_back_to_extractive_through_the_api(retriever, client, chat_server, model, reason):
    settings = retriever.settings.override(llm_base_url=chat_server.url, llm_model=model, llm_timeout=1.0)
    demo, url = serve(AnswerService(Retriever(retriever.stored, settings, retriever.backend, retriever.encoder)))
    try:
        extractive, sources, *_ = client.predict("哪些社区办公用房不达标", api_name="/ask")
        llm_client = Client(url, verbose=False)
        started = time.monotonic()
        answer, llm_sources, *_ = llm_client.predict("哪些社区办公用房不达标", api_name="/ask")
        # ReadTimeout in the answer proves the timeout fired (the "hang" server answers normally after 3 s);
        # the bound, 10x llm_timeout, only catches a wait that never ends.
        assert time.monotonic() - started < 10
    finally:
        demo.close()
    assert answer == f"（大模型服务不可用或回复异常（{reason}），以下为摘录式回答）\n{extractive}"
    assert llm_sources == sources


@pytest.mark.parametrize(("answer_top_k", "top_k"), [(20, 3), (1, 50), (8, 10)])
def test_the_pages_sliders_hold_any_allowed_default(retriever, tmp_path, answer_top_k, top_k):
    """A default outside a slider's fixed range made the slider refuse its own value, so every question failed."""
    from office.workplace import Workplace
    from ui.page import build_page

    settings = retriever.settings.override(data_dir=tmp_path, answer_top_k=answer_top_k, top_k=top_k)
    demo = build_page(Workplace(AnswerService(retriever, settings)))
    sliders = {c["props"]["label"]: c["props"] for c in demo.config["components"] if c["type"] == "slider"}
    for label, default in (("检索段落数", answer_top_k), ("结果数", top_k)):
        assert sliders[label]["minimum"] <= default == sliders[label]["value"] <= sliders[label]["maximum"]


def test_ask_api_reports_a_search_outage_as_an_error_not_as_not_found(retriever):
    """A program calling /ask must tell "the reports do not say" (found = False) from "search is down"."""
    from gradio_client.exceptions import AppError

    broken = Retriever(retriever.stored, retriever.settings,
                       BrokenBackend(retriever.stored, retriever.tokenizer, retriever.settings), retriever.encoder)
    demo, url = serve(AnswerService(broken))
    try:
        with pytest.raises(AppError, match="检索服务暂时不可用.*连接中断"):
            Client(url, verbose=False).predict("哪些社区办公用房不达标", 8, "hybrid", api_name="/ask")
    finally:
        demo.close()

