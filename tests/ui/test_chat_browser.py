"""The chat app in a real headless Chromium (Debian's package), driven by Playwright.

Marked ``browser``; skipped where Debian's chromium is not installed. The screenshot it takes goes to
``tmp_path``; README's screenshot is refreshed by ``docs/screenshots.py``, not by the tests.
"""

from __future__ import annotations

import re

import pytest

from core.settings import Settings
from retriever.answer.service import AnswerService
from retriever.query import EMPTY_HINT
from tests.helpers import CHROMIUM, serve
from ui.chat import BUSY_LABEL, SEND_LABEL
from ui.export import WHOLE_ANSWER

# A report pasted from a web page: markup in the text must stay text everywhere.
SCRIPT, IMG = "<script>window.__xss=3</script>", '<img src=y onerror="window.__xss=4">'
# Anonymised names as the reports write them: Markdown would turn them into bold and italics.
ANONYMISED = "**街道**社区_XX_主任"
HTML_REPORT = (
    "关于社区经费保障情况的调研报告\n一、基本情况\n"
    f"社区经费主要来自区财政拨款{SCRIPT}，{ANONYMISED}每年安排工作经费五万元{IMG}，专款专用。\n"
    "社区还通过共建单位支持、社会捐赠等渠道筹集部分经费，R&D投入与“A<B”式的比较在此只作示例。\n"
)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium not installed (.ci/run installs it)")]


@pytest.fixture(scope="module")
def page(browser, app_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url)
    return page


@pytest.fixture(scope="module")
def html_page(browser, tmp_path_factory):
    """The app over a one-report corpus whose text holds a script and an image tag."""
    root = tmp_path_factory.mktemp("html")
    (root / "corpus").mkdir()
    (root / "corpus" / "001_网页转来的报告.txt").write_text(HTML_REPORT, encoding="utf-8")
    demo, url = serve(AnswerService.open(Settings(corpus=root / "corpus", index_dir=root / "index"), show_bar=False))
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    yield page
    demo.close()


def wait_until_idle(page) -> None:
    """Until no answer runs: nothing streams and the send button is enabled again (a click on the disabled button
    does nothing, and the module's page has answered earlier tests' questions, the last maybe still running)."""
    from playwright.sync_api import expect

    page.wait_for_function("!document.querySelector('.generating, .pending')", timeout=60_000)
    expect(page.locator("#send")).to_be_enabled(timeout=60_000)


def ask(page, question: str) -> None:
    box = page.locator("#question textarea")
    box.fill(question)
    page.get_by_role("button", name="提问").click()


def test_question_shows_cited_answer_and_sources_with_file_and_lines(page, tmp_path):
    ask(page, "哪些社区办公用房不达标")
    page.locator(".card").first.wait_for(timeout=60_000)
    answer = page.locator("[role='log'], .chatbot, [data-testid='bot']").last.inner_text()
    assert re.search(r"\[\d\]", answer)
    cards = page.locator(".card").all_inner_texts()
    jieshan = next(card for card in cards if "截山社区" in card)
    assert "003_2024年度社区建设调研报告" in jieshan and re.search(r"第\d+(—\d+)?行", jieshan)
    copy = page.locator("#copy-box textarea").input_value()
    assert "（来源：《" in copy and "行）" in copy
    screenshot = tmp_path / "screenshot.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.read_bytes().startswith(b"\x89PNG") and screenshot.stat().st_size > 20_000


def test_html_in_a_question_is_shown_as_text(page):
    ask(page, '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>社区经费')
    page.get_by_text("<img src=x onerror", exact=False).first.wait_for(timeout=60_000)
    assert page.evaluate("window.__xss === undefined")
    assert page.locator("img[src='x']").count() == 0


def test_empty_question_gets_a_hint_and_a_long_one_a_notice(page):
    ask(page, "  \n ")
    page.get_by_text(EMPTY_HINT).first.wait_for(timeout=60_000)
    page.wait_for_function("!document.querySelector('.generating, .pending')", timeout=60_000)
    ask(page, "社区经费从哪里来。" + "农村社区" * 600)
    page.get_by_text("（问题过长（2409 字），只使用了前 2000 字）").first.wait_for(timeout=60_000)


# Sends the question in the box, then, the moment the send button is disabled (the answer is running), types
# the next question and presses Enter, in one script step so that the answer cannot finish in between.
SEND_THEN_TYPE_AND_ENTER = """(next) => new Promise((resolve) => {
  const send = document.getElementById('send'), box = document.querySelector('#question textarea');
  const observer = new MutationObserver(() => {
    if (!send.disabled) return;
    observer.disconnect();
    box.value = next;
    box.dispatchEvent(new Event('input', {bubbles: true}));
    box.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true}));
    resolve(true);
  });
  observer.observe(send, {attributes: true});
  setTimeout(() => { observer.disconnect(); resolve(false); }, 10000);
  send.click();
})"""


def test_a_question_typed_while_an_answer_runs_stays_in_the_box_and_is_answered_next(page):
    from playwright.sync_api import expect

    send, box = page.locator("#send"), page.locator("#question textarea")
    wait_until_idle(page)
    box.fill("哪些社区办公用房不达标")
    assert page.evaluate(SEND_THEN_TYPE_AND_ENTER, "一肩挑"), "the send button was never disabled while answering"
    assert send.inner_text() == BUSY_LABEL
    expect(send).to_be_enabled(timeout=60_000)
    # The Enter while answering did nothing: the question is still in the box, neither wiped nor dropped.
    assert box.input_value() == "一肩挑" and send.inner_text() == SEND_LABEL
    assert page.locator("#chat [data-testid='user']").last.inner_text().strip() == "哪些社区办公用房不达标"
    box.press("Enter")
    expect(send).to_be_disabled(timeout=5_000)
    expect(send).to_be_enabled(timeout=60_000)
    asked = page.locator("#session-questions label").all_inner_texts()
    assert asked[-2].endswith("哪些社区办公用房不达标") and asked[-1].endswith("一肩挑"), asked
    users = page.locator("#chat [data-testid='user']").all_inner_texts()
    assert [u.strip() for u in users[-2:]] == ["哪些社区办公用房不达标", "一肩挑"]
    assert "一肩挑" in page.locator("#chat [data-testid='bot']").last.inner_text() and box.input_value() == ""


def test_html_in_report_text_is_shown_and_copied_as_text(html_page):
    from playwright.sync_api import expect

    ask(html_page, "社区经费来自哪里")
    html_page.locator(".card").first.wait_for(timeout=60_000)
    answer = html_page.locator("[data-testid='bot']").last.inner_text()
    card = html_page.locator(".card").first.inner_text()
    for shown in (answer, card):
        assert SCRIPT in shown and IMG in shown and "R&D" in shown and "A<B" in shown and ANONYMISED in shown
    copy = html_page.locator("#copy-box textarea")
    assert SCRIPT in copy.input_value() and IMG in copy.input_value()
    html_page.locator("#pick-box input").click()
    html_page.get_by_role("option", name=WHOLE_ANSWER).click()
    expect(copy).to_have_value(re.compile("出处：\n\\[1\\] （来源：《关于社区经费保障情况的调研报告》"))
    assert SCRIPT in copy.input_value() and "R&D" in copy.input_value() and "&lt;" not in copy.input_value()
    # The chat has no per-message copy button: it would copy the escaped markup (&lt;script&gt;).
    assert html_page.locator("button[aria-label='Copy message']").count() == 0
    assert html_page.evaluate("window.__xss === undefined") and html_page.locator("img[src='y']").count() == 0


def answer_to(page, question: str) -> str:
    """Ask in the box, wait until the answer is finished, and return its text."""
    from playwright.sync_api import expect

    wait_until_idle(page)
    bots = page.locator("#chat [data-testid='bot']")
    before = bots.count()
    ask(page, question)
    expect(bots).to_have_count(before + 1, timeout=60_000)
    wait_until_idle(page)
    return bots.last.inner_text()


def test_a_short_question_of_its_own_is_answered_alone_and_a_follow_up_says_it_was_joined(page):
    from playwright.sync_api import expect

    answer_to(page, "哪些社区办公用房不达标")
    page.get_by_role("button", name="三社联动", exact=True).click()  # the page's own example: 4 characters
    expect(page.locator("#question textarea")).to_have_value("三社联动")  # filled by the page, not at once
    alone = answer_to(page, "三社联动")
    assert alone.startswith("关于“三社联动") and "办公用房" not in alone.splitlines()[0], alone[:200]
    joined = answer_to(page, "那农村社区呢？")
    assert joined.rstrip().endswith("（接上一问，按“三社联动 那农村社区呢？”回答）"), joined[-200:]


def test_retrieval_modes_are_named_in_chinese(page):
    page.get_by_text("检索设置").first.click()
    page.locator("label", has_text="关键词（BM25）").first.wait_for(timeout=10_000)
    labels = [label.strip() for label in page.locator("label").all_inner_texts()]
    assert {"融合（关键词 + 向量）", "关键词（BM25）", "向量"} <= set(labels), labels
    assert not {"hybrid", "bm25", "dense"} & set(labels)
    page.get_by_text("检索设置").first.click()


@pytest.fixture
def laptop(browser, app_url):
    """The app in a 1366×768 window, the screen of an office laptop."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(app_url)
    yield page
    page.close()


def test_question_box_and_send_button_are_in_view_on_a_laptop_screen(laptop):
    laptop.locator("#question textarea").wait_for(timeout=60_000)
    box, send = laptop.locator("#question textarea").bounding_box(), laptop.locator("#send").bounding_box()
    assert box["y"] >= 0 and send["y"] + send["height"] <= 768, (box, send)


def test_the_thumbs_down_form_scrolls_into_view_on_a_laptop_screen(laptop):
    from playwright.sync_api import expect

    answer_to(laptop, "社区工作者待遇怎么样")
    laptop.evaluate("window.scrollTo(0, 0)")
    laptop.locator("#chat button[aria-label='Dislike']").last.click()
    reason = laptop.locator("#feedback-reason")
    expect(reason).to_be_visible(timeout=10_000)
    laptop.wait_for_function("""() => { const r = document.getElementById('feedback-reason')
                                          .getBoundingClientRect();
                                        return r.top >= 0 && r.bottom <= window.innerHeight; }""",
                             timeout=5_000)
    laptop.locator("#feedback-cancel").click()


def test_opening_a_lower_search_result_keeps_the_place_in_the_list(laptop):
    """The reader beside the results stays in view (sticky), so the page no longer jumps back to the top."""
    laptop.get_by_role("tab", name="检索").click()
    laptop.locator("#search-query textarea").fill("社区办公用房面积")
    laptop.locator("#search-btn").click()
    links = laptop.locator("#search-results a.open-reader")
    links.nth(7).wait_for(timeout=60_000)
    links.nth(7).scroll_into_view_if_needed()
    place = laptop.evaluate("window.scrollY")
    assert place > 500
    links.nth(7).click()
    frame = laptop.locator("#search-reader-frame.open")
    frame.wait_for(timeout=10_000)
    laptop.frame_locator("#search-reader-frame").locator("mark.hl").first.wait_for(timeout=30_000)
    box = frame.bounding_box()
    assert laptop.evaluate("window.scrollY") == place
    assert 0 <= box["y"] and box["y"] + box["height"] <= 768, box
