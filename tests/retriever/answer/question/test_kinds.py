"""Question kinds, the section role wanted, and the item a list question names."""

from __future__ import annotations

import pytest

from index.tokenize import Tokenizer
from retriever.answer.question.kinds import list_target, names_an_item, question_kind, wanted_role


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer("words+bigrams")


@pytest.mark.parametrize("question, kind", [
    ("哪些社区办公用房不达标", "list"),
    ("农村社区建设有哪几种模式", "general"),  # the items of one enumeration: 一是…二是…三是… of 篇23
    ("大学生调研服务队在社区行走绘图分哪几步？", "general"),
    ("各地社区建了哪几种养老服务设施", "list"),  # across the reports: one item per report
    ("社区和村部里一般都设了哪几个功能室", "list"),
    ("X示范区依法治村总结出了哪几条经验？", "measure"),
    ("加强社区工作人员队伍建设有哪些建议", "measure"),  # a list of measures is answered as a measure question
    ("拆迁安置社区管理有哪些难题", "problem"),
    ("社区干部一个月拿多少钱", "quantity"),
    ("社区工作人员按什么比例配", "quantity"),
    ("社区物业费每平米几块钱", "quantity"),
    ("大专以上学历只占百分之几", "quantity"),
    ("办建房手续要多久", "quantity"),
    ("社区服务中心每天几点开门", "quantity"),
    ("淮北是什么时候建市的", "quantity"),  # asking when: answered by a year, as a quantity by its number
    ("临沂是哪一年撤地设市的", "quantity"),
    ("街道给决策部门提的几点建议是怎么说的", "general"),  # one report's set of suggestions (like 哪几条), not an hour
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


SOLVING_QUESTIONS = ["各地是怎么解决社区经费不足的", "新型农村社区建设缺钱怎么解决？", "社区工作者流失怎么办",
                     "土地问题的解决办法有哪些", "如何破解社区办公用房不足的难题"]


@pytest.mark.parametrize("question", SOLVING_QUESTIONS)
def test_asking_how_to_solve_a_problem_wants_measures(question):
    assert wanted_role(question) == "measure"


@pytest.mark.parametrize("question", ["社区还有哪些需要解决的问题", "社区经费不足的原因是什么", "社区建设存在哪些困难",
                                      "社区计划生育工作难在哪", "拆迁安置的难处是什么"])
def test_asking_for_the_problems_themselves_wants_problems(question):
    assert wanted_role(question) == "problem"


def test_list_target_and_named_items(tokenizer):
    assert list_target("哪些社区办公用房不达标", tokenizer) == "社区"
    assert list_target("三社联动", tokenizer) is None
    assert names_an_item("除鱼儿山社区未能达到百平米外", "社区")
    assert not names_an_item("多数社区达标，部分社区没有", "社区")
