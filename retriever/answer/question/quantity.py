"""What a quantity question counts and in which unit its answer is written.

A quantity or list question that asks for money, households, people, area, a share or a date
has an asked unit (:func:`asked_unit`): sentences holding a number with that unit are
its likeliest answers. A quantity question counts the words after its 多少 / 几 (:func:`counted_words`), and a
question of pay asks the pay of a post (:func:`paid_posts`): a point must state the amount of what was asked.

Example:

    >>> asked_unit("社区干部一个月拿多少钱").search("每月1500元")[0]
    '1500元'
"""

from __future__ import annotations

import re
from collections.abc import Callable

from retriever.answer.question.kinds import WHEN
from retriever.answer.question.words import NOUN_FLAG

ASKED_COUNT = re.compile(r"多少|几(?!乎)")
"""Where a quantity question asks its number."""
CLAUSE_END = re.compile(r"[，。？！、；,?!;]")
MONEY = re.compile(r"块?(?:钱|元|万元)")
"""多少钱 asks an amount of what the question names before it (补贴多少钱), not a thing counted after it."""
COUNTED_FLAGS = ("n", "v")
"""jieba's flags (first letter) of words that can be counted (补贴, 人家, 手续 — jieba calls some verbs)."""


def counted_words(question: str, words: list[str], tagged: list[tuple[str, str]]) -> list[str]:
    """The ``words`` naming what a quantity question asks the number of: those after 多少 / 几 in its clause
    (多少驻村补贴, 几个监控摄像头), else, when it asks an amount (多少 / 多少钱), the word just before it (工资多少).
    No words when it counts a unit (多少户, 多少人次): the unit itself is what the answer's number must carry; and
    none when any of its asked numbers counts a unit (几个医生，服务了多少人次: the 人次 may be given).

    >>> tagged = [("机关干部", "n"), ("每月", "r"), ("驻村", "n"), ("补贴", "n")]
    >>> counted_words("机关干部每月有多少驻村补贴？", ["机关干部", "每月", "驻村", "补贴"], tagged)
    ['驻村', '补贴']
    >>> counted_words("兼职老师一个月工资多少？", ["兼职", "老师", "工资"], [("老师", "n"), ("工资", "vn")])
    ['工资']
    >>> counted_words("社区拆了多少户？", ["社区", "拆"], [("社区", "n")])
    []
    """
    flags = dict(tagged)
    countable = [(at, w) for at, w in ((question.find(w), w) for w in words)
                 if at >= 0 and flags.get(w, "n")[0] in COUNTED_FLAGS]
    counted: list[str] = []
    for asked in ASKED_COUNT.finditer(question):
        end = CLAUSE_END.search(question, asked.end())
        clause_end = end.start() if end else len(question)
        after = [w for at, w in countable if asked.end() <= at < clause_end]
        rest = question[asked.end():clause_end]
        if not after and not (rest and not MONEY.match(rest)):
            before = [(asked.start() - at - len(w), w) for at, w in countable
                      if 0 <= asked.start() - at - len(w) <= 4]
            after = [min(before)[1]] if before else []
        if not after:
            return []
        counted += [w for w in after if w not in counted]
    return counted


PAY_PERIOD = r"(?:每个?月|每年|一个?月|[每一]?年)?"
"""How often a post is paid, between the post and its pay (保洁员每月工资, 明白人每个月补贴)."""
PAY = re.compile(r"补贴|补助|津贴|工资|报酬|待遇|收入|薪")
"""What a post is paid (补贴, 工资 …): an amount of it is the amount of the post named right before it."""


def paid_posts(question: str, words: list[str], counted: list[str], tagged: list[tuple[str, str]],
               held: Callable[[str], bool]) -> list[str]:
    """The nouns the reports write that stand right before a ``counted`` word of pay (:data:`PAY`): whose pay the
    question asks. 网格长补贴一个月发多少钱 asks the 补贴 of a 网格长; the 补贴 of other posts in 元 is no answer.

    >>> paid_posts("网格长补贴一个月发多少钱", ["网格长", "补贴"], ["补贴"], [("网格", "n"), ("长", "a")], bool)
    ['网格长']
    >>> paid_posts("社区设施改造花了多少钱", ["社区设施", "改造"], ["改造"], [("社区设施", "n")], bool)
    []
    >>> paid_posts("社区聘用的3名保洁员每月工资是多少", ["保洁员", "每月", "工资"], ["工资"], [("每月", "r")], bool)
    ['保洁员']
    """
    flags = dict(tagged)
    return [w for w in words if w not in counted and flags.get(w, NOUN_FLAG).startswith(NOUN_FLAG) and held(w)
            and any(re.search(re.escape(w) + PAY_PERIOD + re.escape(c), question) for c in counted if PAY.search(c))]


NUMBER_WITH = r"\d+(?:[.．]\d+)?\s*"
"""A number as the reports write it ("600", "12.5 "), before its unit."""
ABOUT_NUMBER = r"(?:\d+(?:[.．]\d+)?|[一二三四五六七八九十百千万两]+)\s*多?"
"""A number in figures or in words, with the 多 of "more than" (一千多人, 20多名), before its unit."""
COUNTED = "件家条所座间套处项支批"
"""Measure words of counted things: 几件 is answered by "4件", 多少家 by "7家" (个 counts anything: no unit)."""
UNIT_RULES = (
    (re.compile(r"(?:钱|工资|薪|收入|补贴|经费|资金|费用|报酬|待遇|投入).{0,6}(?:多少|几)|(?:多少|几)块?(?:钱|万元|元)"),
     re.compile(r"(?:" + NUMBER_WITH + r"(?:万|千|百)?|[几数上]?[十百千万]+)元")),
    (re.compile(WHEN),
     re.compile(r"(?:\d{4}|[12]\d[xX×_*]{2}|[〇零一二三四五六七八九]{4})\s*年|\d{1,2}月(?:\d{1,2}日)?")),
    (re.compile(r"(?:多少|几)户"), re.compile(NUMBER_WITH + r"户")),
    (re.compile(r"(?:多少|几)[个名]?[人名]|(?:人员|干部|社工|党员|工作者|家属|职工).{0,4}(?:多少|几)"),
     re.compile(ABOUT_NUMBER + r"(?:人|名)")),
    (re.compile(r"多大(?:岁数|年纪|年龄)|几岁|多少岁|(?:年龄|岁数|年纪).{0,4}(?:多少|多大)"),
     re.compile(NUMBER_WITH + r"多?岁")),
    (re.compile(r"比例|占多少|占比|百分之|比重|多大比"), re.compile(NUMBER_WITH + r"(?:%|％|成)")),
    (re.compile(r"平方米|面积|(?:房|场地|场所|地方|阵地|活动室).{0,6}多大|多大.{0,2}(?:地方|房|场地)"),
     re.compile(NUMBER_WITH + r"(?:平方米|平米|㎡)")),
    *((re.compile(rf"(?:多少|几){measure}"), re.compile(NUMBER_WITH + measure)) for measure in COUNTED),
)
"""(what the question asks, a number with the unit that answers it), first match wins."""


def asks_money(question: str) -> bool:
    """Whether the question asks an amount of money (多少钱, 经费多少, 几块钱): its answer must state one in 元.

    >>> asks_money("培训花了多少钱"), asks_money("社区有多少户")
    (True, False)
    """
    return bool(UNIT_RULES[0][0].search(question))


def asked_unit(question: str) -> re.Pattern | None:
    """A number with the unit the question asks for (多少钱 → "600元"), or None when it asks for none.

    >>> asked_unit("社区干部一个月拿多少钱").search("工资水平大都在600—800元")[0]
    '800元'
    >>> asked_unit("一个社区管多少户比较合适").search("平均管辖户数2500户左右")[0], asked_unit("三社联动")
    ('2500户', None)
    >>> asked_unit("社区干部平均多大岁数").search("都在50岁以上")[0], asked_unit("党员占多大比例").search("占35.8%")[0]
    ('50岁', '35.8%')
    >>> asked_unit("职工家属有多少人").search("家属一千多人")[0], asked_unit("用房有多大").search("144平方米")[0]
    ('一千多人', '144平方米')
    """
    return next((answer for rule, answer in UNIT_RULES if rule.search(question)), None)
