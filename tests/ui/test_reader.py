"""The report reader's page builder (ui/reader.py) on the real corpus and on .txt/.md/.docx/.pdf reports in tmp_path.

The page is parsed back with :mod:`html.parser`, so the tests check what a browser would
see: rows with their original line numbers, the marked passage, the outline's targets,
and report text that stays text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from core.settings import Settings
from index.text.load import read_document
from index.text.pipeline import chunk_document
from tests.helpers import write_docx_report, write_pdf_report
from ui.reader import ReportLibrary, anchor_id, download_url, reader_html, reader_url

LINES = [
    "关于社区经费保障情况的调研报告",
    "一、基本情况",
    "全区共有城市社区12个，社区工作经费主要来自区财政拨款，每个社区每年安排工作经费五万元。",
    "二、存在的问题",
    "（一）经费渠道单一",
    "社区经费几乎全部依靠财政，共建单位支持和社会捐赠很少，社区自身没有稳定的收入来源。",
    "（二）办公用房不足",
    "截山社区办公用房仅144平方米，低于300平方米的标准，群众活动空间严重不足。",
    "三、对策建议",
    "建立以财政投入为主、社会多元参与的经费保障机制，逐步提高社区工作经费标准。",
]
"""A small report with a title, three top-level headings and two sub-headings, one sentence per body line."""


class Page(HTMLParser):
    """What the reader page holds: rows (line number → text), marked text, ids, outline links, script count."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[int, str] = {}
        self.marks: list[str] = []
        self.mark_ids: list[str] = []
        self.ids: set[str] = set()
        self.outline: list[tuple[str, str]] = []
        self.links: dict[str, str] = {}
        self.scripts = 0
        self.title = ""
        self._row: int | None = None
        self._mark = False
        self._link: str | None = None
        self._in_outline = False
        self._h1 = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "script":
            self.scripts += 1
        if tag == "nav":
            self._in_outline = True
        if tag == "div" and "ln" in (attrs.get("class") or "").split():
            self._row = int(attrs["data-n"])
            self.rows[self._row] = ""
        if tag == "mark":
            self._mark = True
            self.marks.append("")
            if "id" in attrs:
                self.mark_ids.append(attrs["id"])
        if tag == "a":
            self._link = attrs.get("href", "")
            self.links.setdefault(attrs.get("id") or self._link, self._link)
            if self._in_outline:
                self.outline.append((self._link, ""))
        if tag == "h1":
            self._h1 = True

    def handle_endtag(self, tag):
        if tag == "div":
            self._row = None
        if tag == "mark":
            self._mark = False
        if tag == "nav":
            self._in_outline = False
        if tag == "a":
            self._link = None
        if tag == "h1":
            self._h1 = False

    def handle_data(self, data):
        if self._row is not None:
            self.rows[self._row] += data
        if self._mark:
            self.marks[-1] += data
        if self._in_outline and self._link is not None and self.outline:
            href, text = self.outline[-1]
            self.outline[-1] = (href, text + data)
        if self._h1:
            self.title += data


def write_report(folder: Path, suffix: str, lines: list[str]) -> Path:
    path = folder / f"社区经费{suffix}"
    if suffix == ".docx":
        write_docx_report(path, lines)
    elif suffix == ".pdf":
        write_pdf_report(path, lines)
    else:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def chunks_of(path: Path, settings: Settings):
    """The chunks the index would hold for one file (same pipeline as the build)."""
    return chunk_document(read_document(path, settings.corpus), settings).chunks


@pytest.mark.parametrize("suffix", [".txt", ".md", ".docx", ".pdf"])
def test_reader_page_for_every_format(tmp_path, suffix):
    settings = Settings(corpus=tmp_path, chunk_min_chars=10)
    path = write_report(tmp_path, suffix, LINES)
    chunks = chunks_of(path, settings)
    original = read_document(path, tmp_path).lines
    target = next(c for c in chunks if "截山社区" in c.text)
    view = ReportLibrary(settings).view(target.file, target.report)
    page = Page(reader_html(view, target, target.text, target.id))

    assert page.title == "关于社区经费保障情况的调研报告"
    # Every row is the (cleaned) text of the original line it names in the margin.
    assert len(page.rows) == len(LINES) - 1  # all lines but the title
    for number, text in page.rows.items():
        assert text and text.strip() in original[number - 1].replace(" ", ""), (number, text)
    assert page.rows[original.index(LINES[7]) + 1] == LINES[7]
    # The cited passage is marked, and its start carries the anchor the link jumps to.
    assert "".join(page.marks) == target.text.replace("\n", "")
    assert page.mark_ids == [anchor_id(target.id)]
    assert reader_url(target.id).endswith("#" + anchor_id(target.id))
    # Outline: every heading in order, each link pointing at an element of the page.
    assert [text for _, text in page.outline] == ["一、基本情况", "二、存在的问题", "（一）经费渠道单一",
                                                  "（二）办公用房不足", "三、对策建议"]
    assert all(href.startswith("#") and href[1:] in page.ids for href, _ in page.outline)
    assert page.links["download"] == download_url(target.file)


def test_every_passage_of_the_real_index_is_found_and_marked_exactly(retriever):
    library = ReportLibrary(retriever.settings)
    for chunk in retriever.chunks:
        view = library.view(chunk.file, chunk.report)
        page = Page(reader_html(view, chunk, chunk.text, chunk.id))
        assert "".join(page.marks) == chunk.text.replace("\n", ""), chunk.id
        marked_lines = [n for n, text in page.rows.items() if text and n in range(chunk.line_start, chunk.line_end + 1)]
        assert marked_lines and page.mark_ids == [anchor_id(chunk.id)]
        assert "此文件在建立索引后已有改动" not in reader_html(view, chunk, chunk.text, chunk.id)


def test_report_markup_is_shown_as_text_never_as_html(tmp_path):
    lines = ["关于<b>社区</b>经费的调研报告", "一、<i>基本</i>情况",
             '社区经费来自区财政拨款<script>alert(1)</script>，每年五万元<img src=x onerror="alert(2)">。',
             "R&D投入与“A<B”式的比较只是示例，&amp;x也照原样显示。"]
    (tmp_path / "a<x>&.txt").write_text("\n".join(lines), encoding="utf-8")
    settings = Settings(corpus=tmp_path, chunk_min_chars=10)
    chunk = chunks_of(tmp_path / "a<x>&.txt", settings)[0]
    html_text = reader_html(ReportLibrary(settings).view(chunk.file, chunk.report), chunk, chunk.text, chunk.id)
    page = Page(html_text)
    assert page.scripts == 1  # only the page's own scroll script
    assert "<img" not in html_text and "<b>" not in html_text and "<i>" not in html_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    assert page.title == lines[0]
    assert page.rows[3] == lines[2] and page.rows[4] == lines[3]
    assert ("#h1", lines[1]) in page.outline
    assert "a%3Cx%3E%26.txt" in page.links["download"]


def test_a_file_changed_after_indexing_is_marked_by_line_with_a_notice(tmp_path):
    settings = Settings(corpus=tmp_path, chunk_min_chars=10)
    path = write_report(tmp_path, ".txt", LINES)
    target = next(c for c in chunks_of(path, settings) if "截山社区" in c.text)
    changed = [line.replace("截山社区", "城关社区") for line in LINES]
    path.write_text("\n".join(changed) + "\n", encoding="utf-8")
    view = ReportLibrary(settings).view(target.file, target.report)
    html_text = reader_html(view, target, target.text, target.id)
    page = Page(html_text)
    assert "此文件在建立索引后已有改动" in html_text
    assert "".join(page.marks) == changed[7]  # the whole line the passage came from
    assert page.mark_ids == [anchor_id(target.id)]


def test_library_rereads_a_changed_file_and_refuses_paths_outside(tmp_path):
    settings = Settings(corpus=tmp_path / "corpus")
    settings.corpus.mkdir()
    (tmp_path / "secret.txt").write_text("秘密", encoding="utf-8")
    path = write_report(settings.corpus, ".txt", LINES)
    library = ReportLibrary(settings)
    assert library.view(path.name, 1).title == LINES[0]
    path.write_text("\n".join(["新的调研报告", *LINES[1:]]), encoding="utf-8")
    assert library.view(path.name, 1).title == "新的调研报告"
    assert library.view(path.name, 9) is None
    assert library.path("../secret.txt") is None and library.path(str(tmp_path / "secret.txt")) is None
    assert re.fullmatch(r"c-[A-Za-z0-9_-]+", anchor_id("ab/c d#1"))
