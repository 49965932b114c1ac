"""Words jieba cut apart in a question, put back together: the subject the question really asks about.

jieba cuts a question without the reports around it, and drops one-character pieces as no content words:
乡镇社工站 loses its 站 (:func:`facility_compounds`), 群租房 its 群 (:func:`prefixed_compounds`), and 鸠江,
网格长 or 居民自治金 fall into single characters (:func:`single_character_words`). Put back together, a
compound the reports write is searched as they write it, and one they never write is the subject they lack
(the answer says 未找到 for it).

Example:

    >>> facility_compounds("乡镇社工站怎么建设运营", ["乡镇", "社工", "建设", "运营"], Tokenizer("words"),
    ...                    lambda w: w != "社工站")
    (['乡镇', '社工站', '建设', '运营'], {'社工站'})
"""

from __future__ import annotations

from collections.abc import Callable

from index.tokenize import Tokenizer
from retriever.answer.question.words import ADMIN_SUFFIXES, CLASSIFIERS, FUNCTION_FLAGS, NOUN_FLAG, POSITION_FLAG


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
