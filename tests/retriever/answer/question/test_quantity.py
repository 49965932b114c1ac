"""The unit a quantity question's answer is written in."""

from __future__ import annotations

import pytest

from retriever.answer.question.quantity import asked_unit


@pytest.mark.parametrize("question, sentence, number", [
    ("社区干部一个月拿多少钱", "居委会主任补贴为1500元/月,其他干部1200元/月", "1500元"),
    ("社区办公经费一年有多少", "每年仅靠2万元经费开展工作", "2万元"),
    ("一个社区管多少户比较合适", "拆迁安置区的规模原则上应控制在1500户以内", "1500户"),
    ("各地社区工作人员、社区干部有多少人", "全县共有228名社区干部", "228名"),
    ("社区办公服务用房面积标准是多少平方米", "使其非共享面积达到400平方米", "400平方米"),
    ("社区农村党员35岁以下的占多少", "35岁以下的仅占16.5% , 60岁以上的占35.8%", "16.5%"),
    ("物业费每平米几块钱", "有居民414户，物业费按照1.5元/平米收取", "1.5元"),
    ("社区聘用干部补助多少钱", "其余多数聘用干部的补助金额仅有几十元,最多者也不过百元", "几十元"),
    ("淮北是什么时候建市的", "淮北是安徽省的北大门，1960年因开发闸河煤田而建市", "1960年"),
    ("南瑞街道办事处撤销是哪天", "xx年7月1日，南瑞街道办事处正式撤销", "7月1日"),
])
def test_asked_unit_finds_the_number_that_answers(question, sentence, number):
    assert asked_unit(question).search(sentence)[0] == number


def test_asked_unit_ignores_numbers_of_another_unit_and_questions_without_one():
    money = asked_unit("社区干部一个月拿多少钱")
    assert money.search("全县共有228名社区干部") is None
    assert asked_unit("三社联动") is None and asked_unit("社区工作者待遇怎么样") is None
