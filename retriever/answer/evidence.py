"""Score every sentence of the retrieved passages as evidence for a question.

Each sentence gets four signals, all computed without a model call (the sentence
vectors were embedded when the index was built; the question vector is the one
search already computed):

* ``semantic`` — cosine of the sentence vector and the question vector;
* ``lexical`` — the share of the question's content words the sentence holds,
  each weighted by its IDF over the passages, so 办公用房 counts and 社区 hardly does;
  a place the question names counts as held by every sentence of the report about it;
* the rank of its passage in the search;
* its section's role (问题 / 对策 / 做法 / 基本情况), whether it holds a number, and whether
  that number has the unit the question asks for (元 for 多少钱).

:class:`TermStats` also tells which content words the corpus never mentions:
the basis of an honest "未找到".

Usage::

    stats = TermStats(retriever.stored)
    stats.idf("办公用房") > stats.idf("社区"), stats.absent(["图书馆", "社区"])   # (True, ['图书馆'])
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from index.store import StoredIndex
from index.text.normalise import normalise_for_match

NUMBER = re.compile(r"\d+(?:[.．]\d+)?\s*多?(?:%|％|元|万|亿|个|人|名|户|家|所|处|间|平方米|平米|㎡|米|公里"
                    r"|次|项|年|月|天|小时|岁|倍|成)|[一二三四五六七八九十百千万两]+多?(?:个|名|人|户|项|类|种|万元|元)")


ABBREVIATION_SPAN = 8
"""Most characters between the two characters of an abbreviated word ("达标" ← "达到示范社区创建标准")."""


class TermStats:
    """Document frequencies of words over the stored passages (substring counts, so any word can be asked)."""

    def __init__(self, stored: StoredIndex) -> None:
        self.texts = stored.match_texts
        self.count = len(self.texts)
        self._df = lru_cache(maxsize=65536)(self._document_frequency)

    def _document_frequency(self, word: str) -> int:
        return sum(1 for text in self.texts if word in text)

    def df(self, word: str) -> int:
        """Number of passages holding ``word`` (normalised like the passages)."""
        return self._df(normalise_for_match(word).lower())

    def idf(self, word: str) -> float:
        """BM25's always-positive IDF of ``word``: rare words weigh more."""
        df = self.df(word)
        return math.log((self.count - df + 0.5) / (df + 0.5) + 1.0)

    def holds(self, word: str) -> bool:
        """Whether some passage holds ``word``."""
        return self.df(word) > 0

    def absent(self, words: list[str]) -> list[str]:
        """The words no passage holds."""
        return [word for word in words if not self.holds(word)]


@dataclass
class Sentence:
    """One candidate sentence: where it is (hit position and offsets) and its signals."""

    hit: int
    start: int
    end: int
    text: str
    semantic: float
    lexical: float
    matched: list[str]
    has_number: bool
    role: str
    report: tuple[str, int]
    score: float = 0.0
    names_item: bool = False
    has_unit: bool = False
    lead: int = -1  # start of the short sentences that open its line before it ("一是…。"), −1: none
    at_place: bool = False  # its report (or passage) is about a place the question names
    quoted: bool = False  # its passage holds every term the question quotes (“流动票箱”)
    enumerated: bool = False  # an item of an enumeration the answer quotes whole (临沂's 一是/二是/三是 problems)


@dataclass
class Evidence:
    """The sentences of the hits, scored, and the question-level figures the "未找到" decision reads."""

    sentences: list[Sentence]
    absent: list[str]
    best_semantic: float
    best_coverage: float
    weights: dict[str, float] = field(default_factory=dict)
    absent_nouns: list[str] = field(default_factory=list)
    unquoted: list[str] = field(default_factory=list)
    """Terms the question puts in quotation marks that no passage holds: an answer needs them."""
    counted: list[str] = field(default_factory=list)
    """The words a quantity question asks the number of (驻村补贴 of 多少驻村补贴): a point must hold one."""
    said: dict[int, set[str]] = field(default_factory=dict)
    """For each hit (by position), the places the question names that its report is about (they count as held)."""
    uncounted: list[str] = field(default_factory=list)
    """Words a quantity question asks the number of that no report holds (联名 of 多少选民联名): no number of
    what the reports never mention can be quoted."""
    compared: list[str] = field(default_factory=list)
    """The places a question compares (赣州、九江、淮北三地…): each is owed a point."""
    posts: list[str] = field(default_factory=list)
    """Whose pay a question of money asks (网格长 of 网格长补贴多少钱): the amount must be stated of them."""

    @property
    def absent_share(self) -> float:
        """IDF-weighted share of the content words that are nouns or names no passage holds."""
        total = sum(self.weights.values())
        return sum(self.weights[w] for w in self.absent_nouns) / total if total else 0.0


def named_by_report(words: list[str], places: list[str]) -> set[str]:
    """Which of ``words`` (a question's place words) are places its report is about.

    A report names its city once and then writes 我市, so each of its sentences speaks of that city.

    >>> sorted(named_by_report(["临沂", "兰山区"], ["临沂市", "各县区"]))
    ['临沂']
    """
    return {w for w in words if any(w in place or place in w for place in places if len(place) >= 2)}


def weighted_share(words: list[str], weights: dict[str, float], text: str,
                   partial: bool = False, said: set[str] | frozenset[str] = frozenset()) -> tuple[float, list[str]]:
    """The IDF-weighted share of ``words`` inside (normalised) ``text``, and the words found whole.

    Words in ``said`` count as found wherever they are (the report's own place, see :func:`named_by_report`).

    With ``partial``, a word of four or more characters that is not found whole earns the share
    of its character bigrams that are, when that is at least half ("一站式服务" in "一站式代理服务": 3 of 4),
    and a two-character word earns half when its characters stand apart within a few characters,
    as an abbreviation's do ("达标" in "达到……标准").
    """
    total = sum(weights[w] for w in words)
    found, credit = [], 0.0
    for word in words:
        norm = normalise_for_match(word).lower()
        if norm in text or word in said:
            found.append(word)
            credit += weights[word]
        elif partial and len(norm) >= 4:
            grams = [norm[i : i + 2] for i in range(len(norm) - 1)]
            share = sum(g in text for g in grams) / len(grams)
            credit += weights[word] * share if share >= 0.5 else 0.0
        elif partial and len(norm) == 2 and re.search(f"{re.escape(norm[0])}.{{1,{ABBREVIATION_SPAN}}}"
                                                      f"{re.escape(norm[1])}", text):
            credit += weights[word] * 0.5
    return (credit / total if total else 0.0), found


