"""Which of a question's words name the subject the reports must hold, and which only phrase the question.

Content words are the tokenizer's words of two characters or more, without the
asking words of ``resources/question_words.txt``, without a one-character verb with
its aspect particle (交了, 做过: "交了没有" asks whether, it names no subject), and with a
word jieba guessed by gluing a function word onto a content word (或奖, 不高) replaced by
its dictionary words (:func:`subject_pieces`). A word no passage holds that jieba cut across a
word of the reports (村 / 部里 of 村部里) is re-cut into that word (:func:`recut_to_corpus`).
A word no report holds that jieba tags as phrasing (一吨, 为啥) is kept off the 未找到 line
(:func:`phrasing_words`).

Example:

    >>> content_words("哪些地方给社区配了法律顾问", Tokenizer("words"))
    ['社区', '法律顾问']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from functools import cache
from pathlib import Path

from index.tokenize import Tokenizer, read_word_list

QUESTION_WORDS = Path(__file__).resolve().parent.parent / "resources" / "question_words.txt"
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
    government glued onto the verb after it (县建 of 那个县建了), or cut off the name it ends (榴园 / 村种 of
    榴园村种石榴). So is a word right after 哪 in the ``question``: jieba cut the asking word apart (哪 / 天装 of
    是哪天装上的).

    >>> tagged = [("社区", "n"), ("自来水", "l"), ("一吨", "m"), ("哪些因素", "v"), ("搬进", "v"), ("治不好", "v")]
    >>> held = {"社区", "自来水"}.__contains__
    >>> sorted(phrasing_words(["社区", "自来水", "一吨", "哪些因素", "搬进", "治不好"], tagged, held))
    ['一吨', '哪些因素', '搬进', '治不好']
    >>> phrasing_words(["溺水", "走失", "套房"], [("溺水", "v"), ("走失", "v"), ("套房", "n")], held)
    set()
    >>> sorted(phrasing_words(["县建", "编好", "县志"], [("县", "n"), ("建", "v"), ("编好", "v"), ("县志", "n")], held))
    ['县建', '编好']
    >>> phrasing_words(["榴园", "村种", "产值"], [("榴园", "n"), ("村种", "n"), ("产值", "n")], held)
    {'村种'}
    """
    flags = dict(tagged)
    after_noun = {w for (_, before), (w, _) in zip(tagged, tagged[1:]) if before.startswith(NOUN_FLAG)}
    return {w for w in words
            if not held(w) and (flags.get(w) in PHRASING_FLAGS or ASKING_PART.search(w) or TENTATIVE.fullmatch(w)
                                or (len(w) > 2 and w.startswith(PER) and held(w[1:])) or IN_PLACE.fullmatch(w)
                                or (VERB_COMPLEMENT.fullmatch(w) and not is_name_like(w, flags.get(w, "")))
                                or (len(w) == 2 and w[0] in LEVEL_CHARS
                                    and (flags.get(w[1], "")[:1] == "v" or w in after_noun))
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
