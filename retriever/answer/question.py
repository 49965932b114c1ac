"""What a question asks for (its kind) and which of its words name the subject the reports must hold.

Kinds are recognised by rules on the raw question, in this order:

* ``list`` — 哪些 / 哪几 / 有哪 / 各地 / 各个 / 分别 / 列举: one point per report or named place
  (but "有哪些问题 / 建议 …" asks for problems or measures: those kinds);
* ``quantity`` — 多少 / 几 / 比例 / 多大 / 标准 / 金额 / 面积 / 人数, and 哪一年 / 什么时候 (a year or a date):
  points holding a number first;
* ``problem`` — 问题 / 困难 / 不足 / 短板 / 难点 / 瓶颈 / 制约;
* ``measure`` — 建议 / 对策 / 措施 / 怎么办 / 如何 / 怎样 / 做法 / 经验 / 办法 / 路径;
* ``reason`` — 为什么 / 原因 / 为何;
* ``general`` otherwise.

Content words are the tokenizer's words of two characters or more, without the
asking words of ``resources/question_words.txt``, without a one-character verb with
its aspect particle (交了, 做过: "交了没有" asks whether, it names no subject), and with a
word jieba guessed by gluing a function word onto a content word (或奖, 不高) replaced by
its dictionary words (:func:`subject_pieces`). A word no passage holds that jieba cut across a
word of the reports (村 / 部里 of 村部里) is re-cut into that word (:func:`recut_to_corpus`).

A quantity or list question that asks for money, households, people, area or a share
has an asked unit (:func:`asked_unit`): sentences holding a number with that unit are
its likeliest answers.

Example:

    >>> question_kind("哪些社区办公用房不达标"), question_kind("社区工作者工资多少")
    ('list', 'quantity')
    >>> question_kind("社区治理存在哪些问题")
    'problem'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable
from functools import cache
from pathlib import Path

from index.tokenize import Tokenizer, read_word_list

QUESTION_WORDS = Path(__file__).resolve().parent / "resources" / "question_words.txt"
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


@cache
def asking_words() -> frozenset[str]:
    """Words that ask rather than name a subject (``resources/question_words.txt``)."""
    return frozenset(read_word_list(QUESTION_WORDS))


def is_name_like(word: str, flag: str) -> bool:
    """A noun (jieba flag ``n…``: things, places, bodies) or a Latin-letter word: what a question is about."""
    return flag.startswith("n") or flag == "eng" or word.isascii()


PHRASING_FLAGS = frozenset({"d", "r", "f", "m", "mq", "q", "t", "z", "c", "p", "u", "y", "e", "o"})
"""jieba's flags of words that phrase a question rather than name its subject: adverbs (一边, 大概), pronouns
(为啥, 这块), positions (以后), numbers and measures (一吨, 几成), times (晚上), states (哪些方面), conjunctions,
prepositions, particles and interjections."""


ASKING_PART = re.compile(r"哪些|哪个|哪几|什么|多少|多大|多长|多久|多高|多远|多深|多宽|怎么|怎样|如何|哪里|咋"
                         r"|^几|之几")
"""Asking words that jieba glues onto a word (哪些因素, 哪几个, 多少倍, 怎么弄, 几块钱, 百分之几, 多长时间;
占多大 of 占多大比例, 率多高 of 抽调率多高); 几 only where it opens a word or follows 之 (not 茶几)."""
TENTATIVE = re.compile(r"(.)一\1")
"""A verb said twice around 一 (挡一挡, 管一管) asks to try it: how the question is put, not its subject."""
PER = "每"
"""每 glued onto a unit the reports write (每平米 of 物业费每平米几块钱) asks a rate: the unit is held, not the
phrase."""


IN_PLACE = re.compile(r".里")
"""One character and 里, "in the …" (镇里, 户里 of 出租户里, 县里): where, said the spoken way, not a subject."""
VERB_COMPLEMENT = re.compile(r".(?:[出进回起过上下][来去]|[进出到起回过开住完掉来去上下好得]"
                             r"|[不得][好了清上下动起完成])")
"""A one-character verb with the complement spoken Chinese puts after it, of direction (搬进, 出去, 回来), result
(碰到, 办起, 评上, 编好), degree (减得 of 哪个区减得最多) or whether it can be done (治不好, 摸不清, 顾不上): how the
verb is said, not a subject."""
ADMIN_SUFFIXES = "省市县区镇乡"
"""The last character of a place a report is about that names its level (攀枝花市, 白河县, 沂堂镇)."""
LEVEL_CHARS = ADMIN_SUFFIXES + "村"
"""Levels of government a question refers back to (那个县, 这个区): glued onto the verb after them (县建 of
"那个县建了多少个"), they make a phrase, never a subject."""


def phrasing_words(words: list[str], tagged: list[tuple[str, str]], held: Callable[[str], bool],
                   question: str = "") -> set[str]:
    """The ``words`` no passage holds (``held`` false) that jieba tags as phrasing, not naming (:data:`PHRASING_FLAGS`).

    Such a word cannot be what the reports lack: 社区自来水一吨收多少钱 asks a price, and the reports write
    0.7元/吨, never 一吨; 社区一边喊人手不够一边又人浮于事 asks about 人手 and 人浮于事, never about 一边.
    Counted as subjects, they lowered the question's relevance into a false 未找到 that named them.
    A word the reports hold is kept whatever its flag: it still says which sentences speak of the question.
    So is a word that holds an asking word, whatever jieba tags it: 哪些因素 (a verb to jieba) asks which 因素,
    占多大 of 占多大比例 asks how large.

    So is a verb said with its complement, which the reports say another way: 农民搬进社区以后 asks about the
    move, and the reports write 搬迁 or 入住, never 搬进; but a noun of that shape is what it names. So is a level of
    government glued onto the verb after it (县建 of 那个县建了). So is a word right after 哪 in the ``question``:
    jieba cut the asking word apart (哪 / 天装 of 是哪天装上的).

    >>> tagged = [("社区", "n"), ("自来水", "l"), ("一吨", "m"), ("哪些因素", "v"), ("搬进", "v"), ("治不好", "v")]
    >>> held = {"社区", "自来水"}.__contains__
    >>> sorted(phrasing_words(["社区", "自来水", "一吨", "哪些因素", "搬进", "治不好"], tagged, held))
    ['一吨', '哪些因素', '搬进', '治不好']
    >>> phrasing_words(["溺水", "走失", "套房"], [("溺水", "v"), ("走失", "v"), ("套房", "n")], held)
    set()
    >>> sorted(phrasing_words(["县建", "编好", "县志"], [("县", "n"), ("建", "v"), ("编好", "v"), ("县志", "n")], held))
    ['县建', '编好']
    """
    flags = dict(tagged)
    return {w for w in words
            if not held(w) and (flags.get(w) in PHRASING_FLAGS or ASKING_PART.search(w) or TENTATIVE.fullmatch(w)
                                or (len(w) > 2 and w.startswith(PER) and held(w[1:])) or IN_PLACE.fullmatch(w)
                                or (VERB_COMPLEMENT.fullmatch(w) and not is_name_like(w, flags.get(w, "")))
                                or (len(w) == 2 and w[0] in LEVEL_CHARS and flags.get(w[1], "")[:1] == "v")
                                or (bool(question) and "哪" + w in question))}


def subject_nouns(tagged: list[tuple[str, str]]) -> set[str]:
    """The words of a tagged question (:meth:`Tokenizer.tagged_words`) that jieba tags as nouns or names."""
    return {w for w, flag in tagged if is_name_like(w, flag)}


FUNCTION_FLAGS = frozenset("dcpur")
"""jieba's flags (first letter) of function words: adverbs 不/都/太, conjunctions 或, prepositions 对,
particles, pronouns 该/哪. A word they are part of is a phrase, not a subject."""
NOUN_FLAG = "n"
"""jieba's flag of common nouns (names and places have longer flags that open with it: nr, ns)."""
POSITION_FLAG = "f"
"""jieba's flag of positions (上, 里, 后). A guessed word that opens with one is the end of a phrase glued onto
the next word (上试 of "在信息化上试过"); one that ends with one is a place (线上, 小区内) and stays."""
COPULAS = frozenset("是有")
"""The question's own "is" and "has" (压力大是什么原因, 参选率有多少): jieba tags them verbs, but a word glued onto
one is a phrase too (大是, 率有 of 参选 / 率有)."""
MODAL_VERBS = frozenset("要能应")
"""Auxiliaries jieba's HMM glues onto the verb after them (要花 of "一年要花多少钱", 能省 of "能省出多少地"):
a guessed word holding one says what must or can be done, never what is asked about."""
DEGREE_ADVERBS = "太很挺蛮"
"""Adverbs that make a dictionary word of an adjective (太重, 很大, 太差): a degree, never what is asked about."""


def is_degree_phrase(word: str, tokenizer: Tokenizer) -> bool:
    """A two-character dictionary word of a degree adverb and an adjective, a number word or a verb (太重 of
    负担太重, 很少, 太忙), not a noun that happens to start with one (太阳, 太空, 太平).

    >>> t = Tokenizer("words")
    >>> is_degree_phrase("太重", t), is_degree_phrase("很少", t), is_degree_phrase("太空", t)
    (True, True, False)
    """
    if len(word) != 2 or word[0] not in DEGREE_ADVERBS:
        return False
    return any(flag[:1] in "amv" for _, flag in tokenizer.dictionary_tags(word[1]))


def is_description(pieces: list[tuple[str, str]]) -> bool:
    """Whether the dictionary cut of a guessed word is a description glued character by character: a noun, then
    an adjective or a number word among single characters (权小责 of 权小责大, 钱少事 of 钱少事多, 人多事杂): a
    saying about the subject, not a name. A guessed name opens otherwise (张小明: 张 is a measure word to jieba).

    >>> is_description([("权", "n"), ("小", "a"), ("责", "n")]), is_description([("张", "q"), ("小", "a"), ("明", "a")])
    (True, False)
    """
    return (len(pieces) > 1 and all(len(piece) == 1 for piece, _ in pieces) and pieces[0][1] == NOUN_FLAG
            and any(flag[:1] in "am" for _, flag in pieces[1:]))


def subject_pieces(word: str, tokenizer: Tokenizer) -> list[str]:
    """``word``, or its dictionary words when jieba's HMM glued a function word onto them.

    jieba guesses words it does not know; in a question it often glues an adverb or a conjunction onto a
    content word ("奖补资金" of "专项资金或奖补资金" is cut 或奖 / 补; "积极性不高" gives 不高), and such a
    phrase occurs nowhere in the reports, so it would count as a missing subject. A guessed word without a
    function word (托育点, 反诈) stays whole: it may be a real subject the reports never mention.

    The same holds for the copula (大是 of "压力大是什么原因", which the typo rule would otherwise "correct" to
    大事), for a modal verb (要花 of "一年要花多少钱", :data:`MODAL_VERBS`), for a position that ends the phrase
    before (上试 of "在信息化上试过", :data:`POSITION_FLAG`) and for a dictionary word that only says how much
    (太重 of "负担太重", :func:`is_degree_phrase`).

    >>> t = Tokenizer("words")
    >>> subject_pieces("或奖", t), subject_pieces("托育点", t), subject_pieces("办公用房", t)
    ([], ['托育点'], ['办公用房'])
    >>> subject_pieces("大是", t), subject_pieces("太重", t), subject_pieces("要花", t), subject_pieces("上试", t)
    ([], [], [], [])
    """
    if is_degree_phrase(word, tokenizer):
        return []
    if tokenizer.knows(word) or word.isascii():
        return [word]
    pieces = tokenizer.dictionary_tags(word)
    if is_description(pieces):
        return []
    if not (any(flag[:1] in FUNCTION_FLAGS or piece in COPULAS or piece in MODAL_VERBS for piece, flag in pieces)
            or pieces[0][1] == POSITION_FLAG):
        return [word]
    return [piece for piece, _ in pieces if len(piece) >= 2]


ASKED_PLACE = re.compile(r"(?:哪些|哪个|哪几个|什么|有些|有的|一些)地方")
"""哪些地方 asks which places: it (and 地方 in it) is then the asked kind, not words the reports must hold
(地方财政 keeps 地方)."""


def content_words(question: str, tokenizer: Tokenizer) -> list[str]:
    """The question's subject words, in order, each once: the words the reports must hold to answer it.

    >>> t = Tokenizer("words")
    >>> content_words("哪些地方给社区配了法律顾问", t), content_words("地方财政怎么支持社区", t)[:2]
    (['社区', '法律顾问'], ['地方', '财政'])
    """
    words = []
    asking = (asking_words() | {"地方", *ASKED_PLACE.findall(question)} if ASKED_PLACE.search(question)
              else asking_words())
    for word in (piece for token in tokenizer.words(question) for piece in subject_pieces(token, tokenizer)):
        phrasing = len(word) == 2 and word[1] in "了过着"  # 交了 / 做过: a verb and its aspect, no subject
        if len(word) >= 2 and not phrasing and word not in asking and word not in words:
            words.append(word)
    return words


CLASSIFIERS = frozenset("个件家条名位项所座间套户次种批支处")
"""Measure words: after a number or 多少 / 几 they count the noun that follows (多少条通村道路)."""
COUNTING = re.compile(r"(?:多少|几|[\d一二两三四五六七八九十百千万]+)$")
"""A question piece that ends with a number or asks how many: the measure word after it belongs to it."""


def recut_to_corpus(question: str, words: list[str], tokenizer: Tokenizer,
                    held: Callable[[str], bool], corpus_words: Container[str]) -> list[str]:
    """``words`` with a word no passage holds re-cut, with a one-character neighbour, into a word of the reports.

    jieba cuts a question without the reports' context: "村部里" is cut 村 / 部里 (部里 is a dictionary word,
    "in the ministry"), while the reports, where 村部 stands alone, are cut 村部. 部里 then counts as a
    subject the reports never mention, and the question gets "未找到". A word that no passage holds
    (``held`` is false) and that joins a one-character piece beside it in the question into a word of
    the reports' vocabulary (``corpus_words``, the BM25 index's terms) is replaced by that word, and by
    what is left of it when that is a dictionary word and a content word (:func:`content_words`). A word that
    opens with a measure word after 多少, 几 or a number (多少 / 条通村 / 道路) is the rest of it, when the
    reports write that. A subject the reports really lack (反诈, 托育点) has no such neighbour and stays.

    >>> t = Tokenizer("words")
    >>> recut_to_corpus("社区和村部里设了哪些功能室", ["社区", "部里", "功能"], t, lambda w: w != "部里", {"村部"})
    ['社区', '村部', '功能']
    >>> recut_to_corpus("硬化了多少条通村道路", ["硬化", "条通村", "道路"], t, lambda w: w != "条通村", {"通村"})
    ['硬化', '通村', '道路']
    >>> recut_to_corpus("社区反诈宣传", ["社区", "反诈", "宣传"], t, lambda w: w != "反诈", {"区反", "诈宣"})
    ['社区', '反诈', '宣传']
    """
    if all(held(word) for word in words):  # the usual case: no second cut of the question
        return words
    pieces = [piece.strip() for piece in tokenizer.pieces(question)]
    recut: list[str] = []
    for word in words:
        if held(word) or word not in pieces:
            recut.append(word)
            continue
        at = pieces.index(word)
        left = pieces[at - 1] if at > 0 else ""
        right = pieces[at + 1] if at + 1 < len(pieces) else ""
        if len(word) > 2 and word[0] in CLASSIFIERS and COUNTING.search(left) and word[1:] in corpus_words:
            if word[1:] not in recut:  # 多少 / 条通村 / 道路: the measure word 条 counts the 通村道路
                recut.append(word[1:])
            continue
        joins = []  # (the reports' word, what is left of ``word``)
        for cut in range(1, len(word)):
            if len(left) == 1 and left + word[:cut] in corpus_words:
                joins.append((left + word[:cut], word[cut:]))
            if len(right) == 1 and word[cut:] + right in corpus_words:
                joins.append((word[cut:] + right, word[:cut]))
        joins = [(joined, rest) for joined, rest in joins if len(rest) == 1 or tokenizer.knows(rest)]
        if not joins:
            recut.append(word)
            continue
        joined, rest = max(joins, key=lambda join: len(join[0]))
        recut.extend(w for w in (joined, *content_words(rest, tokenizer)) if w not in recut)
    return recut


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


NAME_FLAGS = frozenset({"ns", "nt", "nz", "nr"})
"""jieba's flags for places, bodies and other proper names: a question may name any of them
(wider than the report side's ``index.text.context.PLACE_FLAGS``, which reads only places)."""


def place_bases(places: Iterable[str]) -> frozenset[str]:
    """The names of the reports' places without their level (攀枝花 of 攀枝花市), when two characters or more remain.

    >>> sorted(place_bases(["攀枝花市", "白河", "三区", "北海市"]))
    ['北海', '攀枝花']
    """
    return frozenset(p[:-1] for p in places if len(p) >= 3 and p[-1] in ADMIN_SUFFIXES)


PLACE_FLAGS = frozenset({"ns"})
"""jieba's flag for places: the words that may narrow an answer to the reports about them."""


def place_words(tagged: list[tuple[str, str]], bases: Container[str] = frozenset(),
                flags: Container[str] = NAME_FLAGS) -> list[str]:
    """The words of a tagged question that jieba tags as places, bodies or names (临沂 of 临沂社区建设存在的问题),
    and those that name a report's place without its level (``bases``): jieba tags 攀枝花 an idiom.

    >>> place_words([("攀枝花", "i"), ("社区", "n")], {"攀枝花"}), place_words([("临沂", "ns")])
    (['攀枝花'], ['临沂'])
    """
    return [w for w, flag in tagged if len(w) >= 2 and (flag in flags or w in bases)]


def place_level_to_corpus(words: list[str], tagged: list[tuple[str, str]],
                          held: Callable[[str], bool]) -> list[str]:
    """``words`` with a place the reports never write with its level named without it (白河县 → 白河).

    A report writes 白河 and then 我县; the question's 白河县 occurs in no passage, so it would count
    as a subject the reports lack, and the answer would warn "报告中没有出现“白河县”".

    >>> place_level_to_corpus(["白河县", "标准"], [("白河县", "ns"), ("标准", "n")], lambda w: w != "白河县")
    ['白河', '标准']
    """
    places = {w for w, flag in tagged if flag == "ns"}

    def base(word: str) -> str:
        if word in places and len(word) >= 3 and word[-1] in ADMIN_SUFFIXES and not held(word) and held(word[:-1]):
            return word[:-1]
        return word

    return list(dict.fromkeys(base(word) for word in words))


def prefixed_compounds(question: str, words: list[str], tagged: list[tuple[str, str]],
                       held: Callable[[str], bool]) -> tuple[list[str], set[str]]:
    """``words`` with a noun that a one-character noun before it makes into another thing put back together, when
    no report holds that compound; and those compounds.

    群租房 is cut 群 / 租房, and 群 (one character) is dropped, so the question asked about 租房, which the
    reports hold (廉租房, 租房等实际困难): a confident answer about 整治 with no caveat. A one-character noun
    right before a noun of the question, nothing between them in the question, is joined to it; when no report
    holds the compound, it replaces the noun, as the subject the reports lack (公租房, 群租房). Not a measure word
    (多少项手续 counts 手续), a level of government (县建设局 is a county's 建设局) or the end of the noun before it
    (比特 / 币 / 挖矿 is 比特币挖矿).

    >>> prefixed_compounds("群租房整治", ["租房", "整治"], [("群", "n"), ("租房", "n"), ("整治", "vn")],
    ...                    lambda w: w != "群租房")
    (['群租房', '整治'], {'群租房'})
    """
    out, missing = list(words), set()
    for (before, before_flag), (piece, flag), (word, word_flag) in zip([("", "x"), *tagged], tagged, tagged[1:]):
        if (len(piece) != 1 or flag != NOUN_FLAG or piece in CLASSIFIERS or piece in ADMIN_SUFFIXES or word not in out
                or not word_flag.startswith(NOUN_FLAG) or piece + word not in question or held(piece + word)):
            continue
        if before_flag.startswith(NOUN_FLAG) and before + piece + word in question:
            continue  # the character ends the noun before it: 比特 / 币 / 挖矿 is 比特币挖矿
        out[out.index(word)] = piece + word
        missing.add(piece + word)
    return out, missing


THING_SUFFIXES = "金费证卡码"
"""One-character nouns that make a thing of the word before them (自治金, 物业费, 社工证): jieba cuts such a word
off a term it knows (居民自治 / 金), and the lone character is no content word."""
HEAD_SUFFIXES = "长"
"""The head of what the word before it names (网格长, 楼栋长): jieba tags it an adjective, "long"."""
SINGLE_RUN_MAX = 4
"""The longest word :func:`single_character_words` puts together from one-character pieces."""


def single_character_words(question: str, words: list[str], tokenizer: Tokenizer,
                           held: Callable[[str], bool]) -> tuple[list[str], set[str]]:
    """``words`` with the names jieba cut into single characters put back together, and those no report holds.

    Content words are two characters or more, so a name jieba does not know and cuts character by character
    was lost: 鸠江 of "镜湖、鸠江、弋江三个区" is cut 鸠 / 江, and 年金 of "社区工作者职业年金怎么缴" 年 / 金 (jieba
    prefers 职业 / 年 / 金 to 职业 / 年金), so the question asked only about 社区工作者 and 职业, and got a confident
    answer about 职业化. Consecutive one-character pieces with a noun among them and no function word (不, 在,
    的, 谁 …) are joined when the reports write the joined word (鸠江) or it is a dictionary word (年金); a
    dictionary word no report holds is returned as a subject the reports lack. A content word followed by one
    noun or adjective character that makes a word the reports write (网格 + 长 of 网格长补贴, 鱼儿 + 山 of
    鱼儿山社区) is followed by that word: it names what the question asks of (the word stays, for the reports
    that say it otherwise: 文艺 of 文艺队). A word and a character that makes a thing of
    it (:data:`THING_SUFFIXES`) that no report writes is the subject they lack (居民自治 + 金 of 居民自治金).

    >>> t = Tokenizer("words")
    >>> held = {"社区工作者", "职业", "网格", "补贴", "网格长"}.__contains__
    >>> single_character_words("社区工作者职业年金怎么缴", ["社区工作者", "职业"], t, held)
    (['社区工作者', '职业', '年金'], {'年金'})
    >>> single_character_words("网格长补贴多少钱", ["网格", "补贴"], t, held)
    (['网格', '网格长', '补贴'], set())
    >>> single_character_words("居民自治金有多少", ["居民自治"], t, held)
    (['居民自治金'], {'居民自治金'})
    """
    tagged = [(piece, flag) for piece, flag in tokenizer.dictionary_tags(question) if piece.strip()]
    out, missing = list(words), set()
    start = 0
    while start < len(tagged):
        end = start
        while end < len(tagged) and len(tagged[end][0]) == 1 and tagged[end][0].isalnum():
            end += 1
        at = start
        while at < end - 1:  # the longest word of two or more of the run's characters from ``at``
            for stop in range(min(end, at + SINGLE_RUN_MAX), at + 1, -1):
                run = tagged[at:stop]
                word = "".join(piece for piece, _ in run)
                if (any(flag[:1] in FUNCTION_FLAGS or flag[:1] == POSITION_FLAG for _, flag in run)
                        or not any(flag.startswith(NOUN_FLAG) for _, flag in run) or any(word in w for w in out)):
                    continue
                if tokenizer.knows(word) or (held(word) and all(flag.startswith(NOUN_FLAG) for _, flag in run)):
                    out.append(word)
                    if not held(word):
                        missing.add(word)
                    at = stop - 1
                    break
            at += 1
        start = max(end, start + 1)
    for (word, word_flag), (piece, flag), (after, _) in zip(tagged, tagged[1:], [*tagged[2:], ("", "")]):
        # not when the character begins another word: 集镇 + 朱 of 练集镇朱集, 社区 + 报 of 社区报到
        if (word in out and word_flag.startswith(NOUN_FLAG) and len(piece) == 1 and not (len(after) == 1
                                                                                      and after.isalnum())
                and (flag.startswith(NOUN_FLAG) or piece in HEAD_SUFFIXES) and piece not in CLASSIFIERS
                and piece not in ADMIN_SUFFIXES + FACILITY_SUFFIXES and word + piece in question and held(word + piece)
                and word + piece not in out):
            out.insert(out.index(word) + 1, word + piece)  # 文艺 stays: 文艺队 of 艺术团、文艺队 is one of them
        elif (word in out and piece in THING_SUFFIXES and word + piece in question and not held(word + piece)
              and word + piece not in out):  # 居民自治 + 金: a fund no report writes, not 居民自治
            out[out.index(word)] = word + piece
            missing.add(word + piece)
    return out, missing


COMMUNITY_SUFFIXES = ("社区", "村", "街道", "小区", "居委会")
"""What follows the name of a community, a village or a street the question asks about (鱼儿山社区, 洁源村)."""


def community_names(question: str, words: list[str], held: Callable[[str], bool] = lambda _: True,
                    tagged: Iterable[tuple[str, str]] = ()) -> list[str]:
    """The names of a community, a village or a street in the question: the word right before 社区 / 村 / 街道 …
    (鱼儿山 of 鱼儿山社区的办公用房达标了没有), with the word before it when the reports write the two together
    (工人新村 of 工人新村社区: 新村 alone is written across the collection); not a kind of them (城市社区,
    新型农村社区: GENERIC_NAMES) or a level (镇级社区).

    >>> community_names("鱼儿山社区的办公用房达标了没有", ["鱼儿山", "社区", "办公用房", "达标"])
    ['鱼儿山']
    >>> community_names("城市社区办公用房", ["城市", "社区", "办公用房"])
    []
    >>> community_names("工人新村社区被评过什么称号", ["工人", "新村", "社区", "称号"])
    ['工人新村']
    >>> community_names("如何培育发展社区社会组织", ["培育", "发展", "社区"], tagged=[("培育", "v"), ("发展", "vn")])
    []
    """
    flags = dict(tagged)  # a name is a noun (a word joined after tagging has no flag): 发展社区 names none

    def noun(word: str) -> bool:
        return flags.get(word, NOUN_FLAG).startswith(NOUN_FLAG)

    names = []
    for before, word in zip(["", *words], words):
        if (word in COMMUNITY_SUFFIXES or word.endswith("级") or not noun(word)
                or not any(word + suffix in question for suffix in COMMUNITY_SUFFIXES)):
            continue
        joined = before + word
        name = joined if before and noun(before) and joined in question and held(joined) else word
        if name not in GENERIC_NAMES:
            names.append(name)
    return names


FACILITY_SUFFIXES = "站室所馆院屋"
"""One-character nouns that make a facility of the word before them (社工 + 站, 警务 + 室): jieba cuts such a
compound apart when its dictionary lacks it, and the lone character is no content word."""


def facility_compounds(question: str, words: list[str], tokenizer: Tokenizer,
                       held: Callable[[str], bool]) -> tuple[list[str], set[str]]:
    """``words`` with the facilities jieba cut apart put back together, and the ones no report holds.

    乡镇社工站 is cut 乡镇 / 社工 / 站, and 站 (one character) is dropped, so the question asked about 社工, which
    the reports hold: a confident answer about 女社工. The word and the suffix are joined. When the reports write
    the facility (警务室 of 社区警务 + 室), that form is added; when they never do (社工站), it replaces the word, as
    the subject the reports lack.

    >>> t = Tokenizer("words")
    >>> facility_compounds("乡镇社工站怎么建设运营", ["乡镇", "社工", "建设", "运营"], t, lambda w: w != "社工站")
    (['乡镇', '社工站', '建设', '运营'], {'社工站'})
    """
    tokens = tokenizer.words(question)
    out, missing = list(words), set()
    for before, piece in zip(tokens, tokens[1:]):
        if len(piece) != 1 or piece not in FACILITY_SUFFIXES or before not in out or before + piece not in question:
            continue  # the suffix must follow the word in the question: 配齐哪些室 asks of no "配齐室"
        held_form = next((before[-k:] + piece for k in range(2, len(before) + 1) if held(before[-k:] + piece)), None)
        if held_form:
            if held_form not in out:
                out.insert(out.index(before) + 1, held_form)
        else:
            out[out.index(before)] = before + piece
            missing.add(before + piece)
    return out, missing
