"""The places, bodies and communities a question names: they narrow its answer to the reports about them.

A report names its place in its first lines and then writes 我市 / 我县; a question names the place (临沂, 白河县,
攀枝花) or a community, village or street (鱼儿山社区, 洁源村). These functions find those names in the
question's tagged words, the way the reports write them.

Example:

    >>> place_words([("临沂", "ns"), ("社区", "n")])
    ['临沂']
    >>> community_names("鱼儿山社区的办公用房", ["鱼儿山", "社区", "办公用房"])
    ['鱼儿山']
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable

from retriever.answer.question.kinds import GENERIC_NAMES
from retriever.answer.question.words import ADMIN_SUFFIXES, NOUN_FLAG

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
