"""The 检索 tab's plain helpers (ui/search_page.py): word marking, result cards with their scores, filters by
report and file (no server, no browser)."""

from __future__ import annotations

import gradio as gr
import pytest

from retriever.search import Explanation
from tests.helpers import hit
from ui.search_page import choose_filters, chosen_reports, highlight, match_terms, result_html


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
