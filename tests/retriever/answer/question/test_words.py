"""Content words: what the reports must hold, without the words that only phrase the question."""

from __future__ import annotations

import pytest

from index.tokenize import Tokenizer
from retriever.answer.question.words import content_words, phrasing_words


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer("words+bigrams")


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


def test_how_a_colloquial_question_asks_why_is_no_subject(tokenizer):
    """jieba cuts 咋回事 as 咋 / 回事: 回事 named no subject, yet drew "报告中没有出现“回事”" over a right answer."""
    assert content_words("小区装了监控，可晚上啥也拍不清，这是咋回事", tokenizer)[:2] == ["小区", "监控"]
    assert "回事" not in content_words("小区装了监控，可晚上啥也拍不清，这是咋回事", tokenizer)
    assert "回事" not in content_words("社区人手说是不够，可有人在岗不干事，这是怎么回事", tokenizer)


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
