"""Reports and sections found in the real files."""

from __future__ import annotations

from index.text.clean import clean_lines
from index.text.split import build_sections, split_reports


def test_report_counts_per_file(by_prefix):
    assert len(by_prefix("003").reports) == 30
    assert len(by_prefix("002").reports) == 7
    assert len(by_prefix("000").reports) == 4
    assert len(by_prefix("004").reports) == 1


def test_report_titles(by_prefix):
    titles_003 = [r.title for r in by_prefix("003").reports]
    assert titles_003[0] == titles_003[3] == "县社区建设的调查与思考"
    assert titles_003[1].startswith("2024年度社区建设调研报告") and titles_003[1].endswith("篇2")
    titles_002 = [r.title for r in by_prefix("002").reports]
    assert titles_002[0] == "关于基层治理体系和治理能力现代化建设专题调研的报告"
    assert titles_002[1] == "新时代背景下农村基层治理法治化专题调研报告"
    assert titles_002[4:] == ["社区社会治理工作调研报告"] * 3
    assert [r.title for r in by_prefix("004").reports] == ["关于加快全市城市社区建设工作情况调查报告"]
    assert all(r.title.startswith("基层政权和社区建设情况调研报告") for r in by_prefix("000").reports)
    assert by_prefix("000").collection == "基层政权和社区建设情况调研报告"


def test_reports_are_named_as_their_file_numbers_them(by_prefix):
    # 002 marks 篇一–篇五, and its 篇五 holds three reports, each with its title and its own 一、二、…
    reports = by_prefix("002").reports
    assert [r.number for r in reports] == [1, 2, 3, 4, 5, 6, 7]
    assert [r.label for r in reports] == ["", "", "", "", "第5篇之一", "第5篇之二", "第5篇之三"]
    assert all(r.label == "" for prefix in ("000", "003", "004") for r in by_prefix(prefix).reports)


def test_a_report_before_the_first_marker_is_the_preface():
    lines = ["社区建设调研报告汇编", "这是汇编的说明，介绍各篇报告的来历。", "篇一：城区社区调研报告", "一、基本情况",
             "全区共有社区12个。", "篇二：农村社区调研报告", "一、基本情况", "全县共有农村社区30个。"]
    _, reports = split_reports(clean_lines(lines))
    assert [(r.number, r.label) for r in reports] == [(1, "前言"), (2, "第1篇"), (3, "第2篇")]


def test_unmarked_reports_of_file_000_start_where_a_new_report_begins(by_prefix):
    starts = [r.paragraphs[0].line_start for r in by_prefix("000").reports]
    assert starts == [4, 52, 62, 150]
    assert by_prefix("000").reports[1].paragraphs[0].text.startswith("今年，基层政权和社区建设工作")
    last = by_prefix("000").reports[3]
    assert all("试下载" not in p.text for p in last.paragraphs)


def test_heading_hierarchy(by_prefix):
    paths = [s.path for s in by_prefix("000").reports[0].sections]
    assert ("一、基本情况", "（一）社区工作机制不断完善") in paths
    assert ("二、存在的问题", "（一）“三社联动”机制仍需进一步完善") in paths
    report_004 = [s.path for s in by_prefix("004").reports[0].sections]
    assert report_004[:4] == [
        ("一、社区建设的基本现状",), ("二、社区建设的思路和重点",), ("三、推进社区建设的几点建议",),
        ("三、推进社区建设的几点建议", "（一）进一步统一思想认识，增强各级各部门加快推进社区建设的责任感和急迫感"),
    ]
    assert len(report_004) == 8
    top_002 = [s.path[0] for s in by_prefix("002").reports[0].sections if s.path]
    assert any(p.startswith("五、一是了解摸清") for p in top_002)  # ".五、" with a dot stuck to it


def test_inline_enumerations_are_not_headings(corpus_chunks):
    for chunk in corpus_chunks.chunks:
        for part in chunk.section_path:
            assert not part.startswith(("一是", "二是", "三是", "首先", "其次")), part


def test_headings_restart_in_every_report(by_prefix):
    firsts = [r.sections[1].path[0] for r in by_prefix("000").reports[1:]]
    assert firsts == [
        "一、城乡社区建设", "一、基本现状", "一、加强农村基层党组织和农村基层政权建设面临的新形势、新挑战",
    ]


def test_numbered_sub_items_nest_under_plain_headings():
    lines = ["某县社区建设调研报告", "为了解情况，我们开展了调研。", "存在的主要问题",
             "1.经费不足。社区经费每年仅2万元。", "2.人员老化。", "对策建议", "1.增加投入。"]
    collection, reports = split_reports(clean_lines(lines))
    assert [r.title for r in reports] == ["某县社区建设调研报告"]
    paths = [s.path for s in reports[0].sections]
    assert paths == [(), ("存在的主要问题",), ("存在的主要问题", "1.经费不足"), ("存在的主要问题", "2.人员老化"),
                     ("对策建议",), ("对策建议", "1.增加投入")]


def test_repeated_heading_line_counted_once():
    sections = build_sections(clean_lines(["一、基本情况", "一、基本情况", "全县有社区12个。"]))
    assert [s.path for s in sections] == [("一、基本情况",)]


def test_numbered_lines_with_nothing_between_them_are_a_list_not_headings(by_prefix):
    """003 篇17 lists four 服务所 one per line and goes on with its text: that text sat under
    "4、农业生产服务所" as if it were a heading, so its citations named a list item as their section."""
    report = by_prefix("003").reports[16]
    holding = [s for s in report.sections if any("四个关系" in p.text for p in s.paragraphs)]
    assert len(holding) == 1 and holding[0].path[-1].startswith("（二）江西九江市")
    items = [p.text for p in holding[0].paragraphs if p.text.endswith("服务所。")]
    assert items == ["1、新农村建设服务所。", "2、公共事务服务所。", "3、卫生保健服务所。", "4、农业生产服务所。"]
    assert not any(part.endswith("服务所") for s in report.sections for part in s.path)


def test_a_numbered_heading_with_its_own_text_is_still_a_heading():
    sections = build_sections(clean_lines(["1、经费不足", "社区经费每年仅2万元。", "2、人员老化", "平均年龄52岁。"]))
    assert [s.path for s in sections] == [("1、经费不足",), ("2、人员老化",)]
