"""Recognise Chinese heading markers, report markers and title-like lines.

Chinese reports number their headings ``一、`` > ``（一）`` > ``1、``/``1.`` >
``（1）`` (the order of GB/T 9704), sometimes ``第一，``; this module says which
style a line starts with, its number, and the style's rank in that order.
Inline enumerations such as ``一是……二是……`` are not headings.

Example::

    >>> heading_marker("（二）社区服务水平不断提升")
    Marker(kind='paren_cn', number=2, length=3)
    >>> is_standalone_heading("（二）社区服务水平不断提升"), heading_marker("一是加强领导。二是完善制度。")
    (True, None)
    >>> report_marker("篇一:基层治理体系和治理能力现代化建设调研报告")
    (1, '基层治理体系和治理能力现代化建设调研报告')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "一二三四五六七八九十"

_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("cn", re.compile(rf"^([{_CN}]{{1,3}})[、，．.]")),
    ("paren_cn", re.compile(rf"^[（(]([{_CN}]{{1,3}})[）)][、，．.]?")),
    ("arabic", re.compile(r"^(\d{1,2})(?:[、．]|\.(?!\d)|，)")),
    ("paren_arabic", re.compile(r"^[（(](\d{1,2})[）)][、，．.]?")),
    ("ordinal", re.compile(rf"^第([{_CN}]{{1,3}})[，、：:](?!\d)")),
    ("circled", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩])")),
]
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"

# Rank of each style in the national standard order 一、 > （一） > 1. > （1）;
# an un-numbered heading line ("plain") stands at the top level.
RANKS = {"plain": 1, "cn": 1, "paren_cn": 2, "ordinal": 2, "arabic": 3, "paren_arabic": 4, "circled": 5}
TOP_KIND = "cn"

REPORT_MARKER = re.compile(
    rf"^(?:篇\s*([{_CN}\d]{{1,3}})\s*[:：]?\s*(.*)|(.*?)\s*篇\s*([{_CN}\d]{{1,3}})|第\s*([{_CN}\d]{{1,3}})\s*篇\s*[:：]?\s*(.*))$"
)
SENTENCE_END = "。！？!?；;…"
CLOSERS = "”’」』）)】》\"'"
CONTINUATION_START = "，,、。；;：:）)」』”’》！？!?…"
TITLE_ENDINGS = ("报告", "调研", "调查", "思考", "研究", "对策", "建议", "探析", "综述", "总结")
INNER_PUNCT = re.compile(r"[，,。；;！？!?]")
_NUM = "\\dxX○〇零一二三四五六七八九十"
DATE_LINE = re.compile(rf"^[{_NUM}]{{2,4}}年[{_NUM}]{{1,2}}月(?:[{_NUM}]{{1,3}}日)?$")


@dataclass(frozen=True)
class Marker:
    """A heading number at the start of a line: its style, value and length."""

    kind: str
    number: int
    length: int


def chinese_number(text: str) -> int:
    """Value of a small Chinese or Arabic numeral (一 → 1, 十二 → 12, 二十 → 20)."""
    if text in _CIRCLED:  # checked first: "①".isdigit() is true, but int("①") fails
        return _CIRCLED.index(text) + 1
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(ones, 0)
    return _CN_DIGITS.get(text, 0)


def heading_marker(text: str) -> Marker | None:
    """The heading marker the text starts with, or None (``一是`` is not one)."""
    for kind, pattern in _MARKERS:
        match = pattern.match(text)
        if match:
            return Marker(kind, chinese_number(match.group(1)), match.end())
    return None


def report_marker(text: str) -> tuple[int, str] | None:
    """``(number, title after the marker)`` for ``篇一：…`` / ``第3篇：…``; ``(3, "")`` for ``… 篇3``."""
    if len(text) > 60:
        return None
    match = REPORT_MARKER.match(text.strip())
    if not match:
        return None
    if match.group(1):
        return chinese_number(match.group(1)), match.group(2).strip()
    if match.group(4):
        return chinese_number(match.group(4)), ""
    return chinese_number(match.group(5)), match.group(6).strip()


def ends_sentence(text: str) -> bool:
    """True if the text ends with sentence-final punctuation (closing quotes allowed)."""
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


def has_inner_sentence_end(text: str) -> bool:
    """True if sentence-final punctuation occurs before the last character."""
    body = text.rstrip().rstrip(CLOSERS)[:-1]
    return any(ch in SENTENCE_END for ch in body)


def is_standalone_heading(text: str, max_chars: int = 40) -> bool:
    """A numbered heading line: marker, short, no sentence inside it."""
    marker = heading_marker(text)
    return (
        marker is not None
        and len(text) <= max_chars
        and len(text) > marker.length
        and not has_inner_sentence_end(text)
    )


def is_title_like(text: str, max_chars: int = 40) -> bool:
    """A short un-numbered line without sentence punctuation (nor a date): a title or plain heading."""
    return (
        2 <= len(text) <= max_chars
        and heading_marker(text) is None
        and not INNER_PUNCT.search(text)
        and not text.endswith(("：", ":"))
        and not DATE_LINE.match(text)
    )


def heading_title(text: str, max_chars: int = 40) -> str:
    """The heading part of a paragraph that starts with a marker: up to its first sentence end or colon."""
    for i, ch in enumerate(text):
        if ch in SENTENCE_END or (ch in "：:" and i >= 4):
            text = text[: i + 1] if i + 1 <= max_chars else text[:max_chars] + "…"
            break
    else:
        if len(text) > max_chars:
            text = text[:max_chars] + "…"
    return text.rstrip("。；;：:")


TABLE_CELL_SEPARATOR = "｜"
"""Between the cells of a table row, which a Word report's reader writes as one line ("东街｜12｜70平方米")."""


def is_table_row(line: str) -> bool:
    """True for a table row read from a Word report: a line of its own, never joined to the lines around it.

    >>> is_table_row("东街｜12｜70平方米"), is_table_row("社区办公用房不足，")
    (True, False)
    """
    return TABLE_CELL_SEPARATOR in line
