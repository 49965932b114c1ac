"""What a question asks for: its kind (list, quantity, problem, measure, reason, general), the section role
that answers it first, and for a list question the kind of item it names.

Kinds are recognised by rules on the raw question, in this order:

* ``list`` — 哪些 / 哪几 / 有哪 / 各地 / 各个 / 分别 / 列举: one point per report or named place
  (but "有哪些问题 / 建议 …" asks for problems or measures: those kinds);
* ``quantity`` — 多少 / 几 / 比例 / 多大 / 标准 / 金额 / 面积 / 人数, and 哪一年 / 什么时候 (a year or a date):
  points holding a number first;
* ``problem`` — 问题 / 困难 / 不足 / 短板 / 难点 / 瓶颈 / 制约;
* ``measure`` — 建议 / 对策 / 措施 / 怎么办 / 如何 / 怎样 / 做法 / 经验 / 办法 / 路径;
* ``reason`` — 为什么 / 原因 / 为何;
* ``general`` otherwise.

Example:

    >>> question_kind("哪些社区办公用房不达标"), question_kind("社区工作者工资多少")
    ('list', 'quantity')
    >>> question_kind("社区治理存在哪些问题")
    'problem'
"""

from __future__ import annotations

import re

from index.tokenize import Tokenizer

WHEN = r"哪一?年|什么时[候间]|啥时候|何时|哪一?天|哪个月|几月"
"""Asking when: answered by a year or a date (:data:`UNIT_RULES`), like a quantity by its number."""
KINDS = ("list", "quantity", "problem", "measure", "reason", "general")
KIND_RULES = (
    ("list", re.compile(r"哪些|哪几|有哪|各地|各个|分别|列举|都有什么|有什么(?:模式|类型|形式|做法)")),
    ("quantity", re.compile(r"多少|几(?:点(?!建议|意见|做法|经验|体会|思考|措施|要求|启示|看法|打算)"
                            r"|[个种项次年月天人名户件家条所座间套位岁亩块])|百分之几|比例|比重|多大|多高|多长"
                            r"|多久|标准|金额|面积|人数|数量|几成|" + WHEN)),
    ("problem", re.compile(r"问题|难题|困难|不足|短板|难点|难在|难处|瓶颈|制约|矛盾|困境")),
    ("measure", re.compile(r"建议|对策|措施|怎么办|如何|怎样|怎么(?!样)|做法|经验|办法|路径|举措")),
    ("reason", re.compile(r"为什么|原因|为何")),
)
SOLVING = re.compile(r"(?:怎么|如何|怎样|咋|该怎么)(?:来|去|才能)?(?:解决|破解|应对|缓解|改善|弥补|化解)|怎么办|咋办"
                     r"|解决(?:办法|途径|对策|思路|措施)")
"""Asking how to solve (怎么解决 / 怎么办 / 解决办法): measures wanted, whatever problem the question names."""
ROLE_WANTED = (("problem", KIND_RULES[2][1]), ("problem", KIND_RULES[4][1]), ("measure", KIND_RULES[3][1]))
"""Which section role answers a question first (see :mod:`retriever.answer.roles`), whatever its kind."""


LISTED_ROLE = re.compile(r"(?:哪些|哪几[个种条点项]?|有什么)(?:方面的|主要)?"
                         r"(?P<word>问题|难题|困难|不足|短板|难点|瓶颈|矛盾|建议|对策|措施|做法|经验|办法|举措|路径)")
"""A list of problems or measures ("有哪些建议") is answered as a problem / measure question, not one per report."""


ONE_LIST = re.compile(r"哪几|哪[两三四五六七八九十]"
                      r"|几[点条项](?:建议|意见|做法|经验|体会|思考|措施|要求|启示|看法|打算)")
"""Asking for a counted set of items (分哪几步, 哪三个重点, 哪几个统一, 提的几点建议): one enumeration of one report."""
ACROSS_REPORTS = re.compile(r"各地|各个|分别|都")
"""Asking across the reports (各地…有哪几种, 都设了哪几个): one item per report."""


def asks_one_list(question: str) -> bool:
    """Whether the question asks for the items of one enumeration, not for an item of every report.

    >>> asks_one_list("大学生调研服务队在社区行走绘图分哪几步？"), asks_one_list("各地社区建了哪几种服务站")
    (True, False)
    """
    return bool(ONE_LIST.search(question)) and not ACROSS_REPORTS.search(question)


ASKED_SET = re.compile(r"[几哪][点条项个]?(建议|意见|做法|经验|体会|措施|对策|启示)")
"""The set a question asks for by name (几点建议, 哪些经验): a list headed "四、几点建议" is what it asks for."""


def asked_set(question: str) -> list[str]:
    """The names of the sets of items a question asks for (提的几点建议 → 建议).

    >>> asked_set("写材料要用，那个街道给决策部门提的几点建议是怎么说的？"), asked_set("社区有多少户")
    (['建议'], [])
    """
    return [m.group(1) for m in ASKED_SET.finditer(question)]


def question_kind(question: str) -> str:
    """The first kind whose rule matches the question, else ``general``.

    A question that asks for the items of one enumeration (:func:`asks_one_list`) is not a list question: answered
    one point per report, 农村社区共驻共建要实行哪几个“联” quoted the one sentence naming the 联 and 9 sentences of
    five other reports that mention 共驻共建.

    >>> question_kind("加强社区工作人员队伍建设有哪些建议"), question_kind("拆迁安置社区管理有哪些难题")
    ('measure', 'problem')
    >>> question_kind("农村社区共驻共建要实行哪几个“联”？"), question_kind("各地社区都组建了哪些志愿者队伍")
    ('general', 'list')
    """
    listed = LISTED_ROLE.search(question)
    if listed:
        return next(kind for kind, rule in KIND_RULES[2:4] if rule.search(listed["word"]))
    if asks_one_list(question):
        return "general"
    for kind, rule in KIND_RULES:
        if rule.search(question):
            return kind
    return "general"


LIST_WORDS = ("哪些", "哪几个", "哪几种", "哪几类", "哪个", "哪几")
GENERIC_CHARS = set("一二三四五六七八九十百千万几个些数各全本该这那其余部分所有多少大新老此每某")
GENERIC_NAMES = {"示范", "城市", "农村", "和谐", "试点", "新型", "我们", "现有", "基层", "城区", "市区", "县区",
                 "街道", "乡镇", "居民", "村级", "涉农", "纯居", "精品", "先进", "特色", "重点", "中心", "撤并"}


def list_target(question: str, tokenizer: Tokenizer) -> str | None:
    """What a list question asks to be named: the word after 哪些 ("哪些社区办公用房不达标" → 社区), else None.

    When that word is a verbal noun qualifying the noun after it (哪几种建设模式, 哪些工作制度), the noun is the kind
    of the items ("村委组织、群众筹资模式", "错时工作制"), not the verbal noun.

    >>> t = Tokenizer("words")
    >>> list_target("哪些社区办公用房不达标", t), list_target("分别采取了哪几种建设模式", t)
    ('社区', '模式')
    """
    tagged = tokenizer.tagged_words(question.replace("有哪", "哪")) if any(
        w in question for w in LIST_WORDS) else []
    words = [w for w, _ in tagged]
    raw = [p for p in re.split(r"(哪些|哪几个|哪几种|哪几类|哪个|哪几)", question) if p]
    for i, piece in enumerate(raw[:-1]):
        if piece in LIST_WORDS:
            following = [w for w in words if raw[i + 1].startswith(w)]
            if not following:
                return None
            at = words.index(following[0])
            if (tagged[at][1] == "vn" and at + 1 < len(tagged) and tagged[at + 1][1] == "n"
                    and raw[i + 1].startswith(following[0] + words[at + 1])):
                return words[at + 1]  # 哪几种建设模式: a verbal noun qualifies the kind, the items are "…模式"
            return following[0]
    return None


def names_an_item(sentence: str, target: str) -> bool:
    """Whether a sentence names a specific item of the asked kind: "截山社区", "金钟社区" for 社区, not "多数社区".

    >>> names_an_item("如截山社区办公用房仅144平方米", "社区"), names_an_item("其余八个社区均达到示范社区标准", "社区")
    (True, False)
    """
    for match in re.finditer(f"([\u4e00-\u9fff]{{2}}){re.escape(target)}", sentence):
        name = match.group(1)
        if not GENERIC_CHARS & set(name) and name not in GENERIC_NAMES:
            return True
    return False


def wanted_role(question: str) -> str | None:
    """``problem`` for questions about problems or reasons, ``measure`` for measures, else None.

    A question that asks how to solve a problem ("经费不足怎么解决", "土地问题怎么办") wants measures, although
    it names the problem: the problem is what it is about, the measures are what it asks for.

    >>> wanted_role("社区治理存在哪些问题"), wanted_role("如何加强社区队伍建设"), wanted_role("三社联动")
    ('problem', 'measure', None)
    >>> wanted_role("各地是怎么解决社区经费不足的"), wanted_role("社区还有哪些需要解决的问题")
    ('measure', 'problem')
    """
    if SOLVING.search(question):
        return "measure"
    for role, rule in ROLE_WANTED:
        if rule.search(question):
            return role
    return None
