"""What an official sees in a real browser for a list question and for a question the reports cannot answer.

Marked ``browser``; skipped where Debian's chromium is not installed.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers import CHROMIUM, CHROMIUM_FLAGS

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium not installed (.ci/run installs it)")]


@pytest.fixture(scope="module")
def page(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(app_url)
        yield page
        browser.close()


def last_answer(page, question: str) -> tuple[str, list[str]]:
    """Ask through the question box and the send button: the last bot message once it has finished streaming,
    and its points (the chat shows each "- …" line as a list item)."""
    before = page.locator(".bot").count() if page.locator(".bot").count() else 0
    page.locator("#question textarea").fill(question)
    page.get_by_role("button", name="提问").click()
    page.wait_for_function(f"document.querySelectorAll('.bot').length > {before}", timeout=60_000)
    page.wait_for_function("!document.querySelector('.generating, .pending')", timeout=60_000)
    message = page.locator(".bot").last
    return message.inner_text(), message.locator("li").all_inner_texts()


def test_office_space_question_lists_every_community_as_a_cited_point(page):
    answer, points = last_answer(page, "哪些社区办公用房不达标")
    for item in ("截山社区", "金钟社区", "鱼儿山社区", "70平米"):
        point = next((p for p in points if item in p), None)
        assert point is not None, f"{item} is not a point:\n{answer}"
        assert re.search(r"\[\d+\]$", point), point  # each point carries its citation
    cards = page.locator(".card").all_inner_texts()
    assert any("鱼儿山社区" in card and re.search(r"第\d+(—\d+)?行", card) for card in cards)


def test_unanswerable_question_says_not_found_without_confident_points(page):
    answer, points = last_answer(page, "社区图书馆几点开门")
    assert answer.splitlines()[0].startswith("报告中未找到") and "图书馆" in answer.splitlines()[0]
    assert not points
    assert "可能相关" in answer
