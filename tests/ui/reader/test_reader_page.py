"""The report reader's page builder (ui/reader/page.py, marking what ui/reader/locate.py finds) on the real corpus
and on .txt/.md/.docx/.pdf reports in tmp_path.

The page is parsed back with :mod:`html.parser`, so the tests check what a browser would
see: rows with their original line numbers, the marked passage and its quoted sentences,
the outline's targets, and report text that stays text. The ``reader`` route is asked over
the real HTTP server for a real answer's quoted sentence and for hostile ``s`` values.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from core.settings import Settings
from index.text.load import read_document
from index.text.pipeline import chunk_document
from retriever.answer.service import AnswerService
from tests.helpers import FUNDING_REPORT_LINES as LINES
from tests.helpers import original_line_of, quoted_passage, write_report
from ui.reader import (
    MAX_SPANS,
    ReportLibrary,
    anchor_id,
    download_url,
    reader_html,
    reader_url,
)
from ui.session import link_citations


class Page(HTMLParser):
    """What the reader page holds: rows (line number → text), marked text, ids, outline links, script count.

    ``cited`` are the strongly marked (quoted) texts, ``cited_rows`` the line numbers of their rows,
    ``light`` the passage's other marks, ``quoted`` the box's line note (``引用句：…``).
    """

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[int, str] = {}
        self.marks: list[str] = []
        self.mark_ids: list[str] = []
        self.cited: list[str] = []
        self.cited_rows: list[int] = []
        self.light: list[str] = []
        self.quoted = ""
        self._quoted = False
        self.ids: set[str] = set()
        self.outline: list[tuple[str, str]] = []
        self.links: dict[str, str] = {}
        self.scripts = 0
        self.title = ""
        self._row: int | None = None
        self._mark: bool | None = None
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
            self._mark = "cited" in (attrs.get("class") or "").split()
            self.marks.append("")
            (self.cited if self._mark else self.light).append("")
            if self._mark and self._row not in self.cited_rows:
                self.cited_rows.append(self._row)
            if "id" in attrs:
                self.mark_ids.append(attrs["id"])
        if tag == "span" and attrs.get("id") == "quoted":
            self._quoted = True
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
            self._mark = None
        if tag == "span":
            self._quoted = False
        if tag == "nav":
            self._in_outline = False
        if tag == "a":
            self._link = None
        if tag == "h1":
            self._h1 = False

    def handle_data(self, data):
        if self._row is not None:
            self.rows[self._row] += data
        if self._mark is not None:
            self.marks[-1] += data
            (self.cited if self._mark else self.light)[-1] += data
        if self._quoted:
            self.quoted += data
        if self._in_outline and self._link is not None and self.outline:
            href, text = self.outline[-1]
            self.outline[-1] = (href, text + data)
        if self._h1:
            self.title += data


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
    assert "python -m index" not in html_text and "联系管理员" in html_text  # a reader cannot rebuild it
    assert "".join(page.marks) == changed[7]  # the whole line the passage came from
    assert page.mark_ids == [anchor_id(target.id)]


def test_a_quoted_sentence_is_marked_on_its_own_line_of_a_real_report(retriever):
    chunk, (start, end) = quoted_passage(retriever)
    sentence = chunk.text[start:end]
    view = ReportLibrary(retriever.settings).view(chunk.file, chunk.report)
    line = original_line_of(chunk, sentence)
    assert chunk.line_start < line <= chunk.line_end

    page = Page(reader_html(view, chunk, chunk.text, chunk.id, spans=[(start, end)]))
    assert page.cited == [sentence] and page.cited_rows == [line]
    assert page.quoted == f"引用句：3、社区办公用房尚未达标，第{line}行"  # the passage joins 二、存在问题's 1–3
    assert page.mark_ids == [anchor_id(chunk.id)]
    # The rest of the passage is still marked, lightly; together they are the whole passage.
    assert sentence not in "".join(page.light) and "".join(page.marks) == chunk.text.replace("\n", "")
    assert "".join(page.light) == (chunk.text[:start] + chunk.text[end:]).replace("\n", "")
    assert page.links["new-tab"] == reader_url(chunk.id, [(start, end)])

    # A span across a line break marks the end of one line and the start of the next, and names both lines.
    lines = chunk.text.split("\n")
    previous = lines[-2]
    cross = (start - 6, start + 5)
    page = Page(reader_html(view, chunk, chunk.text, chunk.id, spans=[cross, (0, 2)]))
    first_line = original_line_of(chunk, previous)
    assert page.cited == [lines[0][:2], previous[-5:], chunk.text[start:start + 5]]
    assert page.cited_rows == [chunk.line_start, first_line, line]
    assert page.quoted == f"引用句：第{chunk.line_start}行、第{first_line}—{line}行"  # the first is in the lead-in
    assert page.mark_ids == [anchor_id(chunk.id)]

    # Spans covering only a line break (or nothing) mark nothing: the page is the plain passage page.
    newline = chunk.text.index("\n")
    plain = Page(reader_html(view, chunk, chunk.text, chunk.id))
    page = Page(reader_html(view, chunk, chunk.text, chunk.id, spans=[(newline, newline + 1)]))
    assert (page.marks, page.mark_ids, page.cited, page.quoted) == (plain.marks, plain.mark_ids, [], "")


def test_the_anchor_and_centring_target_the_first_quoted_sentence(retriever):
    chunk, (start, end) = quoted_passage(retriever)
    view = ReportLibrary(retriever.settings).view(chunk.file, chunk.report)
    html_text = reader_html(view, chunk, chunk.text, chunk.id, spans=[(start, end)])
    assert re.search(f'<mark class="hl cited" id="{anchor_id(chunk.id)}">', html_text)
    assert "querySelector('mark.cited')||document.querySelector('mark.hl')" in html_text
    plain = reader_html(view, chunk, chunk.text, chunk.id)
    assert re.search(f'<mark class="hl" id="{anchor_id(chunk.id)}">二、存在问题</mark>', plain)


def test_spans_are_ignored_when_the_file_changed_after_indexing(tmp_path):
    settings = Settings(corpus=tmp_path, chunk_min_chars=10)
    path = write_report(tmp_path, ".txt", LINES)
    target = next(c for c in chunks_of(path, settings) if "截山社区" in c.text)
    start = target.text.index("截山社区")
    path.write_text("\n".join(line.replace("截山社区", "城关社区") for line in LINES) + "\n", encoding="utf-8")
    view = ReportLibrary(settings).view(target.file, target.report)
    html_text = reader_html(view, target, target.text, target.id, spans=[(start, start + 8)])
    page = Page(html_text)
    assert "此文件在建立索引后已有改动" in html_text and "引用的句子无法单独标出" in html_text
    assert page.cited == [] and page.quoted == "" and page.mark_ids == [anchor_id(target.id)]


def test_reader_route_marks_a_real_answers_quoted_sentence(app_url, retriever):
    reply = AnswerService(retriever).ask("哪些社区办公用房不达标")
    citation = next(c for c in reply.citations if c.spans and c.hit.text.count("\n") >= 2)
    hit = citation.hit
    quoted = [hit.text[a:b] for a, b in citation.spans]
    link = link_citations(f"见 \\[{citation.n}\\]", reply.citations)
    url = re.search(r"\((reader\?[^)]+)\)", link).group(1)
    assert url == reader_url(hit.id, citation.spans) and "&s=" in url

    response = httpx.get(app_url + url.split("#")[0], timeout=30)
    assert response.status_code == 200
    page = Page(response.text)
    assert page.cited == [q.replace("\n", "") for q in quoted]
    rest = hit.text
    for q in quoted:
        rest = rest.replace(q, "\n")
    assert "".join(page.light) == rest.replace("\n", "") and all(q not in "".join(page.light) for q in quoted)
    assert page.mark_ids == [anchor_id(hit.id)]
    lines = [original_line_of(hit, q) for q in quoted]
    assert page.cited_rows == sorted(set(lines)) and str(lines[0]) in page.quoted

    # Hostile ``s`` values: the plain passage page, never an error.
    plain = Page(httpx.get(app_url + "reader", params={"chunk": hit.id}, timeout=30).text)
    assert plain.cited == [] and "".join(plain.marks) == hit.text.replace("\n", "")
    for bad in ["-1-5", "9-3", "abc", "99999-100000", "1-99999999999", "5-5", "%00", "1-2;" * 300,
                ",".join(["x"] * 50) + ",0-9", "\u0661-\u0663", "<script>alert(1)</script>"]:
        response = httpx.get(app_url + "reader", params={"chunk": hit.id, "s": bad}, timeout=30)
        assert response.status_code == 200, bad
        page = Page(response.text)
        assert page.cited == [] and page.marks == plain.marks and page.scripts == 1, bad
    # Too many spans: the first MAX_SPANS kept, an end past the text clipped to it.
    many = ",".join(f"{i}-{i + 1}" for i in range(0, 4 * MAX_SPANS, 2))
    page = Page(httpx.get(app_url + "reader", params={"chunk": hit.id, "s": many}, timeout=30).text)
    assert len(page.cited) <= MAX_SPANS and "".join(page.cited) == "".join(
        hit.text[i] for i in range(0, 2 * MAX_SPANS, 2) if hit.text[i] != "\n")
    page = Page(httpx.get(app_url + "reader", params={"chunk": hit.id, "s": f"{len(hit.text) - 3}-999999"},
                          timeout=30).text)
    assert page.cited == [hit.text[-3:]]
