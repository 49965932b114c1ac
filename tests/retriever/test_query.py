"""Question cleaning: unit rules, then its effect on real retrieval and on ``python -m retriever``."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.settings import Settings
from retriever.__main__ import main as retriever_main
from retriever.query import EMPTY_QUESTION, prepare_query


def ids(retriever, question: str) -> list[str]:
    return [hit.id for hit in retriever.search(prepare_query(question, 2000).text, k=8)]


@pytest.mark.parametrize("raw", [None, "", "   ", "\t\n\u3000", "\x00\x07\u200b"])
def test_empty_or_blank_question_gets_the_hint_and_nothing_to_search(raw):
    assert prepare_query(raw, 2000) == prepare_query("", 2000)
    assert prepare_query(raw, 2000).text == "" and prepare_query(raw, 2000).hint == EMPTY_QUESTION


@pytest.mark.parametrize("raw", ["？？？！！", "😀🎉", "……——", "<>&\"'", "🙂 ？"])
def test_punctuation_or_emoji_only_says_not_found_without_a_search(raw):
    prepared = prepare_query(raw, 2000)
    assert prepared.hint.startswith("报告中未找到") and prepared.text


def test_control_and_format_characters_removed_whitespace_collapsed():
    raw = "社区\x00经费\x07从\u200b哪里来\ud800？\t\r\n  还有\u3000\x1f农村"
    assert prepare_query(raw, 2000).text == "社区经费从哪里来？ 还有 农村"


def test_traditional_characters_become_simplified_english_kept():
    assert prepare_query("社區工作者待遇怎麼樣 Salary", 2000).text == "社区工作者待遇怎么样 Salary"


def test_long_question_cut_with_a_notice():
    prepared = prepare_query("社区经费" * 1000 + "\x00", 2000)
    assert len(prepared.text) == 2000 and not prepared.hint
    assert prepared.notice == "（问题过长（4000 字），只使用了前 2000 字）"
    assert prepare_query("社区经费" * 500, 2000).notice == ""  # exactly at the limit


def test_html_kept_as_text():
    assert prepare_query("<script>alert(1)</script>社区", 2000).text == "<script>alert(1)</script>社区"


@pytest.mark.parametrize("traditional, simplified", [
    ("哪些社區辦公用房不達標", "哪些社区办公用房不达标"),
    ("社區工作者待遇怎麼樣", "社区工作者待遇怎么样"),
])
def test_traditional_question_finds_the_same_passages_as_simplified(retriever, traditional, simplified):
    assert ids(retriever, traditional) == [hit.id for hit in retriever.search(simplified, k=8)]


def test_control_characters_do_not_change_the_results(retriever):
    assert ids(retriever, "社区\x00经费\x07从哪里来") == [hit.id for hit in retriever.search("社区经费从哪里来", k=8)]


def test_mixed_language_question_still_finds_the_salary_passages(retriever):
    hits = retriever.search(prepare_query("社区 workers 待遇 salary", 2000).text, k=3)
    assert any("月工资基本标准按照600、700、800元" in hit.text for hit in hits)
    assert all("工资" in hit.text and "待遇" in hit.text for hit in hits)


def test_dense_side_of_a_long_question_embeds_only_its_start(retriever):
    start = ("社区经费从哪里来。" * 100)[: Settings().dense_query_chars]
    rural, urban = start + "农村社区建设" * 200, start + "城市社区治理" * 200
    assert np.array_equal(retriever.query_vector(rural), retriever.query_vector(urban))


def test_command_line_cleans_questions_the_same_way(tmp_path, capsys):
    batch = tmp_path / "questions.txt"
    batch.write_text("哪些社區辦公用房不達標\n哪些社区办公用房不达标\n？？😀\n", encoding="utf-8")
    assert retriever_main(["--batch", str(batch), "-k", "5", "--json"]) == 0
    traditional, simplified, emoji = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert traditional == simplified and len(simplified) == 5 and emoji == []
