"""The enumerations of the retrieved passages: "一是…二是…三是…", "（一）…（二）…", "1、…2、…".

A report states its problems, experiences and measures as numbered items under a line or heading that
names them ("总的看，我市的社区建设……困难和问题还不少。" then 一是/二是/三是; "一、X示范区依法治村的经验总结"
then sections （一）…（四）). When a question asks for those problems or measures, every item is the answer,
though only one or two of them repeat the question's words. This module finds the enumerations: items that
open lines of one passage, and sections of one parent heading among the hits, each with its introduction.

Usage::

    for enumeration in enumerations(hits):
        enumeration.intro, [(item.hit, item.start) for item in enumeration.items]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retriever.hits import Hit

ITEM_LABEL = re.compile(r"(?:[一二三四五六七八九十]+是|[其第][一二三四五六七八九十]+[、，,是]"
                        r"|[（(][一二三四五六七八九十\d]+[）)]|\d+(?:[、．]|\.(?!\d))|[一二三四五六七八九十]+、)")
"""How an item of an enumeration opens: 二是, 第二、, 其三, （二）, 2、, 2., 二、 (not 2.5万元)."""

CHINESE_DIGITS = "一二三四五六七八九"


@dataclass(frozen=True)
class Item:
    """One item: the passage (position among the hits) and the span of its text there."""

    hit: int
    start: int
    end: int

    def overlaps(self, hit: int, start: int, end: int) -> bool:
        """Whether the text from ``start`` to ``end`` of hit ``hit`` says some of this item (a sentence may open
        before its label: "主要问题如下：一是宣传和发展不够平衡。")."""
        return hit == self.hit and start < self.end and self.start < end


@dataclass(frozen=True)
class Enumeration:
    """Items numbered in one style, in order, and what introduces them (the line before, or the parent heading)."""

    items: tuple[Item, ...]
    intro: str


def label_style(label: str) -> str:
    """How an item label numbers: 一是, 第一 / 其一, （一）, （1）, 1、 or 一、 (items of one list share it).

    >>> label_style("二是"), label_style("（三）"), label_style("(3)"), label_style("4、"), label_style("五、")
    ('是', '（一）', '（1）', '1、', '一、')
    """
    if label.endswith("是"):
        return "是"
    if label[0] in "其第":
        return "第"
    if label[0] in "（(":
        return "（1）" if label[1].isdigit() else "（一）"
    return "1、" if label[0].isdigit() else "一、"


def label_number(label: str) -> int:
    """The number an item label gives (二是 → 2, （十二） → 12, 3、 → 3).

    >>> label_number("二是"), label_number("（十二）"), label_number("3、"), label_number("其四")
    (2, 12, 3, 4)
    """
    digits = re.search(r"\d+", label)
    if digits:
        return int(digits.group())
    numeral = re.search(f"[{CHINESE_DIGITS}十]+", label).group()
    tens, _, units = numeral.rpartition("十")
    if "十" not in numeral:
        return CHINESE_DIGITS.index(numeral[-1]) + 1
    return (CHINESE_DIGITS.index(tens) + 1 if tens else 1) * 10 + (CHINESE_DIGITS.index(units) + 1 if units else 0)


def item_starts(line: str) -> list[tuple[int, re.Match]]:
    """Where items open in ``line``: a label at its start, or just after a sentence or clause ends (。；：), as in
    "……问题还不少：一是认识不到位。二是起步晚。" (not 一、 in the middle of a sentence)."""
    starts = []
    for label in ITEM_LABEL.finditer(line):
        before = line[: label.start()].rstrip()
        if not before or before[-1] in "。；;：:":
            starts.append((label.start(), label))
    return starts


def line_enumerations(position: int, hit: Hit) -> list[Enumeration]:
    """The enumerations of items in ``hit``'s passage that open a line or follow a sentence's end, an item going on
    up to the next label (over further lines; a list starts again when its numbers do: 一是 after 三是 opens the
    next one). The introduction is the text just before the first item: the start of its line, the line before,
    or the passage's section heading when the list opens the passage."""
    found: list[Enumeration] = []
    items: list[Item] = []
    style, number, intro = "", 0, ""
    offset, previous = 0, hit.section_path[-1] if hit.section_path else ""
    for line in hit.text.split("\n"):
        starts = item_starts(line)
        cuts = [0] + [start for start, _ in starts if start > 0] + [len(line)]
        labels = dict(starts)
        for begin, end in zip(cuts, cuts[1:]):
            segment = line[begin:end]
            label = labels.get(begin)
            if label and (label_style(label.group()) != style or label_number(label.group()) <= number):
                if len(items) > 1:
                    found.append(Enumeration(tuple(items), intro))
                items, style, intro = [], label_style(label.group()), previous
            if label:
                items.append(Item(position, offset + begin, offset + end))
                number = label_number(label.group())
            elif items and segment.strip():  # a further paragraph of the item
                items[-1] = Item(position, items[-1].start, offset + end)
            if segment.strip():
                previous = segment.strip()
        offset += len(line) + 1
    if len(items) > 1:
        found.append(Enumeration(tuple(items), intro))
    return found


def section_enumerations(hits: list[Hit]) -> list[Enumeration]:
    """The enumerations of sections among ``hits`` whose headings open with an item label in one style under one
    parent heading (（一）…（四） under "一、X示范区依法治村的经验总结"), each item where its heading opens it. The
    introduction is the parent heading."""
    groups: dict[tuple, dict[str, Item]] = {}
    for position, hit in enumerate(hits):
        marks = hit.section_starts or [(0, hit.section_path)]
        for i, (start, path) in enumerate(marks):
            label = ITEM_LABEL.match(path[-1]) if len(path) >= 2 else None
            if not label or not hit.text[start:].lstrip().startswith(label.group()):
                continue  # not a numbered section, or its heading lies in an earlier passage
            end = marks[i + 1][0] if i + 1 < len(marks) else len(hit.text)
            key = (hit.file, hit.report, tuple(path[:-1]), label_style(label.group()))
            groups.setdefault(key, {}).setdefault(path[-1], Item(position, start, end))
    return [Enumeration(tuple(items.values()), key[2][-1]) for key, items in groups.items() if len(items) > 1]


def enumerations(hits: list[Hit]) -> list[Enumeration]:
    """Every enumeration of two or more items in ``hits``: lists of lines within a passage, then sibling sections."""
    return [e for position, hit in enumerate(hits) for e in line_enumerations(position, hit)] + \
        section_enumerations(hits)
