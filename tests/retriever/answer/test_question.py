"""Question kinds, content words and section roles: the rules the answer is shaped by."""

from __future__ import annotations

import pytest

from index.tokenize import Tokenizer
from retriever.answer.question import content_words, list_target, names_an_item, question_kind, wanted_role
from retriever.answer.roles import section_role


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer("words+bigrams")


@pytest.mark.parametrize("question, kind", [
    ("哪些社区办公用房不达标", "list"),
    ("农村社区建设有哪几种模式", "list"),
    ("加强社区工作人员队伍建设有哪些建议", "measure"),  # a list of measures is answered as a measure question
    ("拆迁安置社区管理有哪些难题", "problem"),
    ("社区干部一个月拿多少钱", "quantity"),
    ("社区工作人员按什么比例配", "quantity"),
    ("居民参与社区事务积极性不高的困难", "problem"),
    ("社区警务工作应该怎么加强", "measure"),
    ("为什么社工留不住", "reason"),
    ("社区工作者待遇怎么样", "general"),  # 怎么样 asks how things are, not what to do
    ("三社联动", "general"),
])
def test_question_kind(question, kind):
    assert question_kind(question) == kind


def test_role_wanted_is_independent_of_the_list_form():
    assert wanted_role("社区治理存在哪些问题") == "problem"
    assert wanted_role("发展社区养老有哪些做法和建议") == "measure"
    assert wanted_role("社区经费从哪里来") is None


def test_content_words_drop_asking_words_but_keep_the_subject(tokenizer):
    words = content_words("社区办公用房不够怎么解决", tokenizer)
    assert "办公用房" in words and "怎么" not in words
    assert content_words("社区干部一个月拿多少钱", tokenizer) == ["社区干部"]


def test_list_target_and_named_items(tokenizer):
    assert list_target("哪些社区办公用房不达标", tokenizer) == "社区"
    assert list_target("三社联动", tokenizer) is None
    assert names_an_item("除鱼儿山社区未能达到百平米外", "社区")
    assert not names_an_item("多数社区达标，部分社区没有", "社区")


@pytest.mark.parametrize("path, role", [
    (["三、存在的主要问题", "（一）经费保障不足"], "problem"),
    (["四、对策建议"], "measure"),
    (["一、基本情况"], "facts"),
    ([], "other"),
    (["二、存在问题", "（二）几点建议"], "measure"),  # the innermost heading decides
])
def test_section_role(path, role):
    assert section_role(path) == role
