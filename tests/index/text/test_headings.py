"""Heading markers, numbers, report markers and heading titles, on lines of the real reports."""

from __future__ import annotations

import pytest

from core.settings import PROJECT_ROOT
from index.text.headings import (
    RANKS,
    Marker,
    chinese_number,
    heading_marker,
    heading_title,
    is_standalone_heading,
    is_title_like,
    report_marker,
)

# Lines exactly as they stand in corpus/ (checked by the first test).
REAL_LINES = {
    "cn": "一、基本情况",
    "paren_cn": "（二）社区服务水平不断提升",
    "report_marker": "篇一:基层治理体系和治理能力现代化建设调研报告",
    "report_suffix": "2024年度社区建设调研报告 篇2",
    "collection_title": "基层政权和社区建设情况调研报告（4篇）",
    "enumeration": "一是认识不到位、不深刻。多数县区没有将社区建设作为解",
    "ordinal_word": "第一步到2003年。主要是总结推广试点经验,全面推进社区建设。完成全市面上社区建设工作任",
}


def test_the_sample_lines_are_real_lines_of_the_corpus():
    lines = {line.strip() for path in (PROJECT_ROOT / "corpus").glob("*.txt")
             for line in path.read_text(encoding="utf-8").splitlines()}
    for name, line in REAL_LINES.items():
        assert any(real.startswith(line) for real in lines), name


@pytest.mark.parametrize("line, kind, number, length", [
    (REAL_LINES["cn"], "cn", 1, 2),
    (REAL_LINES["paren_cn"], "paren_cn", 2, 3),
    ("(三)存在的问题", "paren_cn", 3, 3),  # half-width brackets
    ("五．坚持党建引领", "cn", 5, 2),  # full-width dot
    ("十二、其他", "cn", 12, 3),
    ("二十一、附则", "cn", 21, 4),
    ("1、办公用房", "arabic", 1, 2),
    ("2.服务设施", "arabic", 2, 2),
    ("12.实行网格化管理", "arabic", 12, 3),
    ("（1）活动场地", "paren_arabic", 1, 3),
    ("第一，加强领导", "ordinal", 1, 3),
])
def test_heading_marker_kind_number_and_length(line, kind, number, length):
    assert heading_marker(line) == Marker(kind, number, length)
    assert line[length:] and not line[length:].startswith(("、", "）", ")", "．", ".", "，"))


@pytest.mark.parametrize("line", [
    REAL_LINES["enumeration"],  # 一是……二是…… is an inline enumeration
    REAL_LINES["ordinal_word"],  # 第一步 is a word, not 第一，
    "3.5万人",  # a decimal number
    "2024年社区建设",
    "第二章",
    "社区办公用房不足",
])
def test_not_a_heading_marker(line):
    assert heading_marker(line) is None
    assert not is_standalone_heading(line)


def test_circled_number_marker():
    assert heading_marker("①建立健全社区工作制度") == Marker("circled", 1, 1)


def test_ranks_follow_the_national_standard_order():
    order = ["cn", "paren_cn", "arabic", "paren_arabic", "circled"]
    assert [RANKS[kind] for kind in order] == sorted(RANKS[kind] for kind in order)
    assert RANKS["plain"] == RANKS["cn"] == 1 and RANKS["ordinal"] == RANKS["paren_cn"]


@pytest.mark.parametrize("text, value", [
    ("一", 1), ("两", 2), ("〇", 0), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("7", 7), ("12", 12),
])
def test_chinese_number(text, value):
    assert chinese_number(text) == value


@pytest.mark.parametrize("line, expected", [
    (REAL_LINES["report_marker"], (1, "基层治理体系和治理能力现代化建设调研报告")),
    (REAL_LINES["report_suffix"], (2, "")),
    ("篇二", (2, "")),
    ("第3篇：关于社区的调研", (3, "关于社区的调研")),
    ("第 十二 篇", (12, "")),
])
def test_report_marker(line, expected):
    assert report_marker(line) == expected


@pytest.mark.parametrize("line", [
    REAL_LINES["collection_title"],  # "（4篇）" counts the reports, it does not start one
    "社区建设调研报告",
    "篇",
    "篇一：" + "很长的标题" * 12,  # longer than 60 characters: body text, not a marker
])
def test_not_a_report_marker(line):
    assert report_marker(line) is None


def test_standalone_heading_is_short_numbered_and_holds_no_sentence():
    assert is_standalone_heading(REAL_LINES["paren_cn"])
    assert not is_standalone_heading("一、")  # a marker alone
    assert not is_standalone_heading("（一）社区办公用房不足。部分社区仅20平方米。")  # a sentence inside
    assert not is_standalone_heading("三、" + "社区建设" * 10)  # over 40 characters
    assert is_standalone_heading("三、" + "社区建设" * 10, max_chars=60)


def test_heading_title_of_a_paragraph_that_starts_with_a_heading():
    assert heading_title("（一）社区办公用房不足。部分社区仅20平方米。") == "（一）社区办公用房不足"
    lead_in = "二、进一步加强社区工作者队伍建设：一是提高待遇，二是加强培训"
    assert heading_title(lead_in) == "二、进一步加强社区工作者队伍建设"
    assert heading_title("一、基本情况") == "一、基本情况"
    long = heading_title("三、" + "很长的标题" * 10)
    assert len(long) == 41 and long.endswith("…")


def test_title_like_lines():
    assert is_title_like("关于加快全市城市社区建设工作情况调查报告")
    assert not is_title_like("二〇二四年五月十日")  # a date line
    assert not is_title_like("主要做法：")  # a lead-in
    assert not is_title_like("社区办公用房不足，经费短缺")  # a sentence
    assert not is_title_like(REAL_LINES["cn"])  # numbered: a heading, not a title
