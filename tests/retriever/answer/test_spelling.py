"""Homophone typos, on the real index: corrected to the reports' word, never a real word the reports lack."""

from __future__ import annotations

import json

import pytest

from eval.evaluate import GOLD
from retriever.answer.service import AnswerService, typo_note
from retriever.answer.spelling import sound


@pytest.fixture(scope="module")
def service(retriever) -> AnswerService:
    return AnswerService(retriever)


@pytest.mark.parametrize(("typed", "meant"),
                         [("工做者", "工作者"), ("待育", "待遇"), ("办工", "办公"), ("打标", "达标")])
def test_a_homophone_typo_becomes_the_reports_word(service, typed, meant):
    assert sound(typed) == sound(meant) and service.composer.speller.replacement(typed) == meant


@pytest.mark.parametrize("word", ["驿站", "扰民", "托育点", "反诈", "社区"])
def test_a_real_word_or_a_word_without_homophone_is_left_alone(service, word):
    """驿站 and 扰民 are words the reports lack, not typos; 托育点 and 反诈 have no homophone in the reports."""
    assert service.composer.speller.replacement(word) is None


def test_a_word_sounding_like_a_function_word_is_no_typo_of_it(service):
    """医养 (医养结合, care with medical services) is a guessed word no report holds; it sounds like 一样, which
    the reports write often, but a question never asks about 一样."""
    assert sound("医养") == sound("一样") and service.composer.speller.replacement("医养") is None
    reply = service.ask("社区医养结合服务是怎么收费的")
    assert "一样" not in reply.text.splitlines()[0] and "医养" in reply.text.splitlines()[0], reply.text


def test_a_question_with_typos_is_answered_as_meant_and_says_so(service):
    typed, meant = service.ask("社区工做者待育怎么样"), service.ask("社区工作者待遇怎么样")
    assert typed.found and typed.text == f"{typo_note('社区工作者待遇怎么样')}\n{meant.text}"
    assert [c.hit.id for c in typed.citations] == [c.hit.id for c in meant.citations]


def test_no_gold_question_is_corrected(service):
    """Correctly typed questions, answerable or not, are never rewritten (so 未找到 stays honest)."""
    questions = [json.loads(line)["question"] for line in GOLD.read_text(encoding="utf-8").splitlines() if line]
    assert len(questions) > 150
    assert [q for q in questions if service.composer.typo_correction(q)] == []


def test_the_questions_own_is_is_never_corrected(service):
    """压力大是什么原因: jieba guesses 大是, which sounds like the reports' 大事; it is the question's 是."""
    reply = service.ask("女社工心理压力大是什么原因？")
    assert reply.found and "同音错字" not in reply.text and "心理压力" in reply.text


def test_a_word_sharing_no_character_with_its_homophone_is_no_typo_of_it(service):
    """失独 (parents who lost their only child) is in no report; it sounds like the reports' 适度, but a typo gets
    one character wrong, not both: the question was answered as 适度老人社区怎么关爱."""
    assert sound("失独") == sound("适度") and service.composer.speller.replacement("失独") is None
    reply = service.ask("失独老人社区怎么关爱？")
    assert "同音错字" not in reply.text and "失独" in reply.text.splitlines()[0], reply.text


def test_a_position_glued_onto_the_next_word_is_no_typo(service):
    """在信息化上试过: jieba guesses 上试, which sounds like the reports' 上市; the question was rewritten to
    "在信息化上市过" and said so on its first line."""
    reply = service.ask("爱民佳苑社区在信息化上试过哪些办法？")
    assert reply.found and "同音错字" not in reply.text and "上市" not in reply.text.splitlines()[0], reply.text
