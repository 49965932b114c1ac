"""The chat app in a real headless Chromium (Debian's package), driven by Playwright."""

from __future__ import annotations

import re
import shutil

import pytest

from index.config import PROJECT_ROOT
from tests.test_app import app_url  # noqa: F401 - fixture

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOT = PROJECT_ROOT / "docs" / "screenshot.png"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def page(app_url):  # noqa: F811 - fixture from test_app
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(app_url)
        yield page
        browser.close()


def ask(page, question: str) -> None:
    box = page.locator("#question textarea")
    box.fill(question)
    page.get_by_role("button", name="提问").click()


def test_question_shows_cited_answer_and_sources_with_file_and_lines(page):
    ask(page, "哪些社区办公用房不达标")
    page.locator(".card").first.wait_for(timeout=60_000)
    answer = page.locator("[role='log'], .chatbot, [data-testid='bot']").last.inner_text()
    assert re.search(r"\[\d\]", answer)
    cards = page.locator(".card").all_inner_texts()
    jieshan = next(card for card in cards if "截山社区" in card)
    assert "003_2024年度社区建设调研报告" in jieshan and re.search(r"第\d+—\d+行", jieshan)
    copy = page.locator("#copy-box textarea").input_value()
    assert "（来源：《" in copy and "行）" in copy
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_html_in_a_question_is_shown_as_text(page):
    ask(page, '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>社区经费')
    page.get_by_text("<img src=x onerror", exact=False).first.wait_for(timeout=60_000)
    assert page.evaluate("window.__xss === undefined")
    assert page.locator("img[src='x']").count() == 0
