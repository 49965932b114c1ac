"""Enumerations found in the real passages: items of lines within a passage, and numbered sibling sections."""

from __future__ import annotations

import pytest

from retriever.answer.enumeration import enumerations, label_number, label_style, line_enumerations
from retriever.hits import Hit


@pytest.mark.parametrize("label, style, number", [
    ("一是", "是", 1), ("十二是", "是", 12), ("其三", "第", 3), ("第四、", "第", 4), ("（二）", "（一）", 2),
    ("(10)", "（1）", 10), ("3、", "1、", 3), ("4.", "1、", 4), ("二十、", "一、", 20),
])
def test_a_label_gives_its_numbering_style_and_number(label, style, number):
    assert (label_style(label), label_number(label)) == (style, number)


def openings(enumeration, hits) -> list[str]:
    return [hits[item.hit].text[item.start : item.start + 6] for item in enumeration.items]


def test_the_lines_of_one_passage_that_open_with_一是_二是_三是_are_one_enumeration(retriever):
    """The 临沂 report's problems: 一是 goes on over a second paragraph, and the line before the list introduces it."""
    hits = retriever.search("临沂社区建设存在的问题", 8)
    found = [(e, openings(e, hits)) for e in enumerations(hits)]
    listed = [(e, o) for e, o in found if o[0].startswith("一是认识不")]
    assert len(listed) == 1, found
    enumeration, items = listed[0]
    assert [o[:2] for o in items] == ["一是", "二是", "三是"]
    assert "困难和问题还不少" in enumeration.intro
    first, second = enumeration.items[:2]
    assert "个别县区的部门和单位领导同志" in hits[first.hit].text[first.start : first.end]  # its second paragraph
    assert first.end < second.start


def test_numbered_sections_under_one_heading_among_the_hits_are_one_enumeration(retriever):
    """（一）…（四） of "一、X示范区依法治村的经验总结" are four passages; the parent heading introduces them."""
    hits = retriever.search("X示范区依法治村总结出了哪几条经验？", 8)
    sections = [e for e in enumerations(hits) if e.intro == "一、X示范区依法治村的经验总结"]
    assert len(sections) == 1
    assert sorted(o[:3] for o in openings(sections[0], hits)) == ["（一）", "（三）", "（二）", "（四）"]
    assert len({item.hit for item in sections[0].items}) == 4  # each item where its heading opens it


def test_a_list_starts_again_when_its_numbers_do():
    """一是 after 三是 opens the next list (problems, then measures, in one passage), each with its own introduction;
    an unnumbered paragraph between items belongs to the item before it."""
    text = ("存在的问题主要有：\n一是经费不足。\n二是人员不够。\n补充说明人员。\n三是场地狭小。\n"
            "为此建议：\n一是增加经费。\n二是充实人员。")
    hit = Hit(id="c1", file="a.txt", report=1, report_title="调研报告", section_path=["三、问题与建议"],
              line_start=1, line_end=9, rank=1, score=1.0, text=text)
    problems, measures = line_enumerations(0, hit)
    assert [text[i.start : i.end] for i in problems.items] == ["一是经费不足。", "二是人员不够。\n补充说明人员。",
                                                              "三是场地狭小。\n为此建议："]
    assert problems.intro == "存在的问题主要有："
    assert [text[i.start : i.end] for i in measures.items] == ["一是增加经费。", "二是充实人员。"]
    assert measures.intro == "为此建议："
