"""Question kinds, content words and section roles: the rules the answer is shaped by."""

from __future__ import annotations

import pytest

from index.tokenize import Tokenizer
from retriever.answer.question import (
    asked_unit,
    content_words,
    facility_compounds,
    list_target,
    names_an_item,
    phrasing_words,
    place_words,
    question_kind,
    wanted_role,
)
from retriever.answer.roles import section_role


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


def test_content_words_drop_asking_words_but_keep_the_subject(tokenizer):
    words = content_words("社区办公用房不够怎么解决", tokenizer)
    assert "办公用房" in words and "怎么" not in words
    assert content_words("社区干部一个月拿多少钱", tokenizer) == ["社区干部"]


def test_a_verb_with_an_aspect_particle_is_no_subject(tokenizer):
    """交了 (did they pay) asks whether; no report writes 交了, and a "未找到关于“交了”" answer would be wrong."""
    assert content_words("社区工作者社保五险一金交了没有", tokenizer) == ["社区工作者", "社保", "五险一金"]


def test_a_function_word_jieba_glued_onto_a_word_is_no_subject(tokenizer):
    # jieba guesses 或奖 (或 + 奖 of 奖补资金) and 不高: phrases no report holds, not missing subjects
    words = content_words("各地财政拿出多少专项资金或奖补资金支持社区建设", tokenizer)
    assert "或奖" not in words and "专项资金" in words
    assert content_words("居民参与社区事务积极性不高", tokenizer) == ["居民", "参与", "社区", "事务", "积极性"]
    # a guessed word without a function word may be a subject the reports lack: it stays whole
    assert "托育点" in content_words("社区托育点怎么申请开办", tokenizer)


def test_asking_for_an_account_of_the_reports_names_no_subject(tokenizer):
    # 请概括 / 简要介绍一下 / 报告中关于…的论述 / 报告提出了哪些 ask for what the reports say; 起草 is the asker's draft
    assert content_words("请概括淮北市在农村社区建设中构建的长效机制", tokenizer) == [
        "淮北市", "农村社区", "建设", "构建", "长效机制"]
    assert content_words("关于社区工作者晋升和职业发展，各地报告提出了哪些建议？", tokenizer) == [
        "社区工作者", "晋升", "职业", "发展", "各地"]
    assert content_words("简要介绍一下社区网格化管理的做法", tokenizer) == ["社区", "网格化管理"]
    assert "起草" not in content_words("我局在起草新型农村社区建设资金保障的材料", tokenizer)


def test_a_description_jieba_glued_character_by_character_is_no_subject(tokenizer):
    # 权小责大 is cut 权小责 / 大 (a guessed "name"), 钱少事多 钱少事 / 多: sayings about 街道, not missing subjects
    assert content_words("街道权小责大、钱少事多", tokenizer) == ["街道"]
    assert content_words("社区人多事杂怎么办", tokenizer) == ["社区"]
    # a guessed name stays whole: it may be what the reports never mention
    assert content_words("张小明是谁", tokenizer) == ["张小明"]


def test_how_much_or_how_often_is_no_subject(tokenizer):
    assert content_words("社区为什么越来越行政化", tokenizer) == ["社区", "行政化"]
    assert content_words("社区工作者为什么总是留不住", tokenizer) == ["社区工作者", "留不住"]


def test_a_degree_or_the_questions_own_is_is_no_subject(tokenizer):
    # 太重 is a dictionary word (jieba tags it a noun) that only says how heavy; 大是 glues 大 onto the copula
    assert content_words("哪些报告反映社区行政事务太多、负担太重？", tokenizer) == ["反映", "社区", "行政事务", "负担"]
    assert content_words("女社工心理压力大是什么原因？", tokenizer) == ["社工", "心理压力"]
    assert content_words("社区工作者很少怎么办", tokenizer) == ["社区工作者"]
    # a noun that only starts like a degree stays a subject
    assert "太阳能" in content_words("社区太阳能路灯", tokenizer) and "太空" in content_words("太空育种", tokenizer)


def test_a_facility_is_the_word_the_suffix_follows_in_the_question(tokenizer):
    corpus_holds = {"社区", "调解", "调解室", "北海", "街道", "配齐"}.__contains__
    assert facility_compounds("社区调解室怎么建", ["社区", "调解"], tokenizer, corpus_holds) == (
        ["社区", "调解", "调解室"], set())
    # 哪些 stands between 配齐 and 室: the question asks of rooms, not of a "配齐室" no report holds
    assert facility_compounds("北海街道建议社区配齐哪些室、站？", ["北海", "街道", "社区", "配齐"], tokenizer,
                              corpus_holds) == (["北海", "街道", "社区", "配齐"], set())


def test_how_a_question_asks_is_no_subject_the_reports_lack(tokenizer):
    """Words no report holds that only ask (几块钱, 百分之几, 多长时间), try (挡一挡) or make a rate of a unit the
    reports write (每平米) stay off the "报告中没有出现…" caveat; a real subject (无偿献血, 茶几) stays on it."""
    def asking(question: str) -> set[str]:
        words = content_words(question, tokenizer)
        return phrasing_words(words, tokenizer.tagged_words(question), held=HELD.__contains__)

    HELD = {"社区", "物业费", "平米", "农村", "党员队伍", "大专", "以上学历", "白河", "农民", "建房", "手续",
            "政府部门", "临时", "任务", "制度", "动员", "居民"}
    assert asking("社区物业费每平米几块钱？") == {"每平米", "几块钱"}
    assert asking("农村党员队伍里大专以上学历只占百分之几？") == {"百分之几"}
    assert asking("白河农民办建房手续一般要多长时间？") == {"多长时间"}
    assert "挡一挡" in asking("政府部门往社区压临时任务，有没有什么挡一挡的制度？")
    assert asking("社区怎么动员居民去无偿献血？") == set()
    assert asking("社区活动室里的茶几坏了") == set()


def test_one_character_and_里_is_where_not_a_subject(tokenizer):
    """镇里 (a place to jieba) and 户里 (of 出租户里) are "in the town / in the households", said the spoken way: no
    report writes them and none needs to."""
    def asking(question: str, held: set[str]) -> set[str]:
        words = content_words(question, tokenizer)
        return phrasing_words(words, tokenizer.tagged_words(question), held=held.__contains__)

    assert "镇里" in asking("镇里借着3月宣传月开展了哪些集中宣传？", {"宣传", "开展", "集中"})
    assert "户里" in asking("辖区私房出租户里的外来人员，社区是怎么管的？",
                            {"辖区", "私房", "出租", "外来人员", "社区"})


def test_a_verb_with_its_complement_is_how_it_is_said_not_a_subject(tokenizer):
    """搬进, 治不好, 碰到, 拿来: a one-character verb and its complement, which the reports say another way (搬迁,
    遇到); a verb or noun that names what is asked about (溺水, 走失, 套房) stays a subject."""
    def asking(question: str, held: set[str]) -> set[str]:
        words = content_words(question, tokenizer)
        return phrasing_words(words, tokenizer.tagged_words(question), held=held.__contains__)

    assert "搬进" in asking("农民对集中搬进新社区有哪些顾虑", {"农民", "集中", "社区", "顾虑"})
    assert "治不好" in asking("小区脏乱差一直治不好是什么原因", {"小区", "脏乱差", "原因"})
    assert "碰到" in asking("爱民佳苑社区在建设中碰到了哪些难处", {"社区", "建设", "难处"})
    assert "拿来" in asking("流动票箱是拿来干什么用的？", {"流动", "票箱"})
    assert "编好" in asking("白河县30个生态新村的总体规划编好了没有？", {"白河", "生态", "新村", "总体规划"})
    assert "县建" in asking("甘肃那个县建了多少个社区卫生服务站", {"甘肃", "社区卫生", "服务站"})
    assert asking("暑假防溺水社区要做些啥？", {"暑假", "社区"}) & {"溺水"} == set()
    assert asking("老人走失了社区怎么帮着找？", {"老人", "社区"}) & {"走失"} == set()
    assert asking("农民在新型农村社区建一套房要花多少钱？", {"农民", "新型农村社区"}) & {"套房"} == set()


def test_list_target_and_named_items(tokenizer):
    assert list_target("哪些社区办公用房不达标", tokenizer) == "社区"
    assert list_target("三社联动", tokenizer) is None
    assert names_an_item("除鱼儿山社区未能达到百平米外", "社区")
    assert not names_an_item("多数社区达标，部分社区没有", "社区")


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


def test_place_words_are_the_places_and_bodies_a_question_names(tokenizer):
    assert place_words(tokenizer.tagged_words("临沂社区建设存在的问题")) == ["临沂"]
    assert place_words(tokenizer.tagged_words("社区建设存在的问题")) == []


@pytest.mark.parametrize("path, role", [
    (["三、存在的主要问题", "（一）经费保障不足"], "problem"),
    (["四、对策建议"], "measure"),
    (["一、基本情况"], "facts"),
    ([], "other"),
    (["二、存在问题", "（二）几点建议"], "measure"),  # the innermost heading decides
])
def test_section_role(path, role):
    assert section_role(path) == role
