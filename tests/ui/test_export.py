"""Export builders (ui/export.py): Word read back with python-docx, Markdown parsed by its lines; real answers too."""

from __future__ import annotations

import docx
import pytest

from retriever.answer.citation import Citation
from retriever.answer.service import AnswerService
from retriever.hits import Hit
from ui.export import (
    ExportItem,
    answer_lines,
    answer_points,
    markdown_text,
    whole_answer_text,
    write_docx,
    write_markdown,
)

PASSAGE = "社区经费主要来自区财政拨款<script>x</script>。**街道**社区每年安排工作经费五万元。\n共建单位支持很少。"


CITED = (PASSAGE.index("**街道**"), PASSAGE.index("\n"))
"""The second sentence of the passage, as the answer cites it."""


def citation(n: int = 1, text: str = PASSAGE, spans=(CITED,)) -> Citation:
    hit = Hit(id=f"id{n}", file="003_报告.txt", report=5, report_title="社区建设调研报告篇5",
              section_path=["二、存在的问题", "（一）经费不足"], line_start=12, line_end=14, rank=n, score=0.9,
              text=text)
    return Citation(n, hit, list(spans))


ITEM = ExportItem("社区经费从哪里来？",
                  "关于“社区、经费”：\n\n《社区建设调研报告篇5》\n"
                  "- 社区经费主要来自区财政拨款 [1]\n- 共建单位支持很少 [2]",
                  [citation(1), citation(2, "共建单位支持很少。", ((0, 9),))])


def docx_blocks(path):
    """(style name, text, bold texts) of every paragraph of a Word file."""
    document = docx.Document(str(path))
    return [(p.style.name, p.text, [r.text for r in p.runs if r.bold]) for p in document.paragraphs]


def test_answer_points_are_the_bulleted_lines_without_bullets():
    assert answer_points(ITEM.answer) == ["社区经费主要来自区财政拨款 [1]", "共建单位支持很少 [2]"]
    kinds = [(line.kind, line.text) for line in answer_lines(ITEM.answer)]
    assert kinds[:2] == [("text", "关于“社区、经费”："), ("report", "《社区建设调研报告篇5》")]
    assert answer_lines("报告中未找到关于“图书馆”的内容。\n[1] 可能相关：《标题》段落…")[1].kind == "text"
    assert answer_lines("《标题》（003 第5篇）")[0].kind == "report"
    assert answer_lines("《标题》（002 第5篇之二）")[0].kind == "report"


def test_word_export_has_question_points_and_numbered_sources_with_full_passages(tmp_path):
    path = write_docx([ITEM], tmp_path / "导出.docx", note="导出时间：2026-01-01")
    blocks = docx_blocks(path)
    texts = [text for _, text, _ in blocks]
    assert texts[0] == "报告问答导出" and texts[1] == "导出时间：2026-01-01"
    assert "问题：社区经费从哪里来？" in texts
    bullets = [text for style, text, _ in blocks if style == "List Bullet"]
    assert bullets == answer_points(ITEM.answer)
    # Laid out as in the chat: the lead line a paragraph, the report's title a heading over its points.
    lead = texts.index("关于“社区、经费”：")
    assert blocks[lead][0] == "Normal" and blocks[lead + 1][:2] == ("Heading 3", "《社区建设调研报告篇5》")
    assert blocks[lead + 2][:2] == ("List Bullet", bullets[0])
    source = "[1] 《社区建设调研报告篇5》二、存在的问题 > （一）经费不足，003_报告.txt 第12—14行"
    index = texts.index(source)
    assert blocks[index][2] == [source]  # the source line is bold
    # The whole passage follows, one Word paragraph per passage line, the cited sentence in bold.
    assert texts[index + 1] == PASSAGE.split("\n")[0] and texts[index + 2] == PASSAGE.split("\n")[1]
    assert blocks[index + 1][2] == ["**街道**社区每年安排工作经费五万元。"]
    assert texts.index("[2] " + ITEM.citations[1].hit.source()) > index


def test_word_export_of_a_whole_conversation_numbers_the_questions(tmp_path):
    second = ExportItem("那农村社区呢？", "报告中未找到与“农村社区”直接相关的内容。")
    texts = [text for _, text, _ in docx_blocks(write_docx([ITEM, second], tmp_path / "a.docx"))]
    assert "问题 1：社区经费从哪里来？" in texts and "问题 2：那农村社区呢？" in texts
    assert texts.index("问题 2：那农村社区呢？") > texts.index("[2] " + ITEM.citations[1].hit.source())


def test_markdown_export_escapes_report_markup_and_bolds_the_cited_sentence(tmp_path):
    text = write_markdown([ITEM], tmp_path / "a.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# 报告问答导出" and "## 问题：社区经费从哪里来？" in lines
    assert "- 社区经费主要来自区财政拨款 \\[1\\]" in lines
    lead = lines.index("关于“社区、经费”：")
    assert lines[lead + 1:lead + 5] == ["", "#### 《社区建设调研报告篇5》", "", "- 社区经费主要来自区财政拨款 \\[1\\]"]
    assert "**\\[1\\] 《社区建设调研报告篇5》二、存在的问题 \\> （一）经费不足，003\\_报告.txt 第12—14行**" in lines
    quote = lines[lines.index(next(line for line in lines if line.startswith("**\\[1\\]"))) + 2:]
    assert quote[0] == ("> 社区经费主要来自区财政拨款\\<script\\>x\\</script\\>。"
                        "**\\*\\*街道\\*\\*社区每年安排工作经费五万元。**")
    assert quote[1:3] == [">", "> 共建单位支持很少。"]
    assert "<script>" not in text


def test_control_characters_do_not_break_the_word_file(tmp_path):
    item = ExportItem("社区\x0b经费\x00？", "答\x07案 [1]", [citation(1, "段落\x1f正文。", ())])
    texts = [text for _, text, _ in docx_blocks(write_docx([item], tmp_path / "a.docx"))]
    assert "问题：社区经费？" in texts and "段落正文。" in texts


@pytest.fixture(scope="module")
def real_answer(retriever):
    reply = AnswerService(retriever).ask("哪些社区办公用房不达标")
    assert reply.found and len(reply.citations) >= 3
    return ExportItem("哪些社区办公用房不达标", reply.text, reply.citations)


def test_real_answer_exports_every_source_line_and_passage(real_answer, tmp_path):
    texts = "\n".join(text for _, text, _ in docx_blocks(write_docx([real_answer], tmp_path / "real.docx")))
    assert "截山社区办公用房仅144平方米" in texts
    for c in real_answer.citations:
        assert f"[{c.n}] {c.hit.source()}" in texts
        assert all(line in texts for line in c.hit.text.split("\n"))
    # a passage that joins sub-sections names the one its quoted sentence is under, and that sentence's line
    merged = next(c for c in real_answer.citations if "只有70平米" in c.hit.text)
    assert f"[{merged.n}] {merged.hit.source()}（引用句：3、社区办公用房尚未达标，第595行）" in texts
    markdown = markdown_text([real_answer])
    assert markdown.count("\n> ") >= len(real_answer.citations)

def test_the_whole_answer_names_each_quote_by_its_own_sub_section_and_line(retriever):
    reply = AnswerService(retriever).ask("哪些社区办公用房不达标")
    merged = next(c for c in reply.citations if "只有70平米" in c.hit.text)  # joins 二、存在问题's sub-sections
    whole = whole_answer_text(reply.text, reply.citations)
    assert (f"[{merged.n}] （来源：《{merged.hit.report_title}》二、存在问题 > 3、社区办公用房尚未达标，"
            f"{merged.hit.file} 第10篇 第595行）") in whole.splitlines()
