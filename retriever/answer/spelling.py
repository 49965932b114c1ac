"""Homophone typos in a question: a word no report holds, typed with a wrong character of the same sound.

Officials type with a pinyin input method, so a typo is usually a character that sounds the same:
工做者 for 工作者, 待育 for 待遇, 办工 for 办公. Such a word is in no dictionary (jieba guessed it), no
report holds it, and without a correction the answer would say the reports do not mention it. A word
of the question that no passage holds and that no dictionary knows is replaced by the word of the
reports' vocabulary with the same toneless pinyin and as many characters (the most frequent one if
several); a real word the reports lack (驿站, 扰民) is a dictionary word and is never "corrected", and
a guessed word with no homophone in the reports (托育点, 反诈), whose homophone is a function word
(医养 ~ 一样), or that shares no character with it (失独 ~ 适度), stays as it is.

Usage::

    speller = Speller(stored.bm25.vocab, tokenizer, commonness=lambda word: -stats.idf(word))
    speller.correct("社区工做者待育怎么样", ["工做者", "待育"])   # '社区工作者待遇怎么样'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from pypinyin import lazy_pinyin

from index.tokenize import Tokenizer
from retriever.answer.question.words import FUNCTION_FLAGS

CHINESE_WORD = re.compile(r"[\u4e00-\u9fff]{2,6}")
"""Words a correction may use or replace: two to six Chinese characters."""


def sound(word: str) -> tuple[str, ...]:
    """The toneless pinyin of each character.

    >>> sound("工作者") == sound("工做者"), sound("待遇") == sound("待育"), sound("办公") == sound("半公")
    (True, True, True)
    """
    return tuple(lazy_pinyin(word))


def shares_a_character(word: str, other: str) -> bool:
    """Whether the two words of the same sound have a character in common at the same place.

    A typo picks one wrong character (工做者 for 工作者, 待育 for 待遇); a word whose every character differs
    from the reports' homophone (失独 ~ 适度) was picked as a whole from the input method's list: it is the
    word meant, one the reports lack.

    >>> shares_a_character("工做者", "工作者"), shares_a_character("失独", "适度")
    (True, False)
    """
    return any(a == b for a, b in zip(word, other))


class Speller:
    """Corrects homophone typos against the words of the reports (built once per index)."""

    def __init__(self, vocabulary: Iterable[str], tokenizer: Tokenizer, commonness: Callable[[str], float]) -> None:
        """``vocabulary``: the reports' words; ``commonness``: larger for a word more reports use (of homophones,
        the most common is taken)."""
        self.tokenizer = tokenizer
        best: dict[tuple[str, ...], tuple[float, str]] = {}
        for word in vocabulary:
            if CHINESE_WORD.fullmatch(word) and tokenizer.knows(word):  # words, not the index's bigrams
                value, key = commonness(word), sound(word)
                if key not in best or value > best[key][0]:
                    best[key] = (value, word)
        self.by_sound = {key: word for key, (_, word) in best.items()}

    def replacement(self, word: str) -> str | None:
        """The reports' word that ``word`` is a typo of, or None (a dictionary word is never a typo)."""
        if not CHINESE_WORD.fullmatch(word) or self.tokenizer.knows(word):
            return None
        found = self.by_sound.get(sound(word))
        if not found or found == word or self.is_function_word(found) or not shares_a_character(word, found):
            return None
        return found

    def is_function_word(self, word: str) -> bool:
        """A pronoun, adverb, conjunction, preposition or particle (一样, 已经): what a question asks about is never
        one, so a guessed word that sounds like it (医养 ~ 一样) is a word the reports lack, not its typo."""
        tags = self.tokenizer.dictionary_tags(word)
        return len(tags) == 1 and tags[0][1][:1] in FUNCTION_FLAGS

    def correct(self, question: str, absent: Iterable[str]) -> str | None:
        """``question`` with its typos among ``absent`` (words no passage holds) replaced, or None if none is one."""
        corrected = question
        for word in absent:
            replacement = self.replacement(word)
            if replacement:
                corrected = corrected.replace(word, replacement)
        return corrected if corrected != question else None
