"""Refresh README's screenshots: the real app in headless Chromium, saved to docs/screenshot.png, docs/reader.png
and docs/admin.png.

    .venv/bin/python docs/screenshots.py [--question "哪些社区办公用房不达标"] [--out docs/screenshot.png]
                                         [--reader-out docs/reader.png] [--admin-out docs/admin.png]

It builds or loads the index as the app does, serves the app on a free loopback
port and drives Debian's chromium (``apt-get install chromium fonts-wqy-zenhei``)
through Playwright, which downloads no browser. ``screenshot.png`` is the whole page
after one question (answer, source cards); ``reader.png`` is what an official sees
after clicking a citation ``[n]``: the answer beside the report reader, scrolled to the
quoted sentence (marked inside its passage), with the outline and the original line numbers; ``admin.png`` is the
管理 tab's report list as an admin sees it (an app with a temporary data folder holding
one admin account; the real corpus and index are only read). The tests never write
here: the browser tests save their screenshots into a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.settings import Settings  # noqa: E402
from office.accounts import Accounts  # noqa: E402
from retriever.answer.service import AnswerService  # noqa: E402
from tests.helpers import CHEAP_ARGON2, CHROMIUM, CHROMIUM_FLAGS, serve  # noqa: E402

QUESTION = "哪些社区办公用房不达标"
READER_PASSAGE = "截山社区"
"""The reader screenshot opens the citation whose passage holds this text (else the first one)."""


def take_screenshots(question: str, out: Path, reader_out: Path) -> None:
    """Ask ``question`` in the real app; save the whole page, then the page with a citation opened in the reader."""
    from playwright.sync_api import sync_playwright

    demo, url = serve(AnswerService.open(Settings.from_env(), show_bar=sys.stderr.isatty()))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            page.locator("#question textarea").fill(question)
            page.get_by_role("button", name="提问").click()
            page.locator(".card").first.wait_for(timeout=120_000)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), full_page=True)
            cards = page.locator(".card")
            chosen = next((i for i in range(cards.count()) if READER_PASSAGE in cards.nth(i).inner_text()), 0)
            n = cards.nth(chosen).get_attribute("data-n")
            page.locator("#chat [data-testid='bot']").last.get_by_role("link", name=f"[{n}]").first.click()
            page.frame_locator("#reader-frame").locator("mark.hl").first.wait_for(timeout=30_000)
            page.evaluate("() => window.scrollTo(0, 0)")
            page.wait_for_timeout(500)
            page.screenshot(path=str(reader_out))
            browser.close()
    finally:
        demo.close()


ADMIN = ("王芳", "screenshot-only password")


def take_admin_screenshot(out: Path) -> None:
    """Log in as an admin of a throw-away data folder and save the 管理 tab's report list."""
    from playwright.sync_api import expect, sync_playwright

    data = Path(tempfile.mkdtemp(prefix="reportqa-screenshot-"))
    settings = Settings.from_env().override(data_dir=data, **CHEAP_ARGON2)
    Accounts(settings).add(*ADMIN, role="admin")
    demo, url = serve(AnswerService.open(settings, show_bar=sys.stderr.isatty()), data_dir=data)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(url)
            page.locator("input[type=text]").fill(ADMIN[0])
            page.locator("input[type=password]").fill(ADMIN[1])
            page.get_by_role("button", name="Login").click()
            page.get_by_role("tab", name="管理").click()
            expect(page.locator("#report-table")).to_contain_text("已索引", timeout=60_000)
            page.wait_for_timeout(500)
            page.screenshot(path=str(out))
            browser.close()
    finally:
        demo.close()


def main(argv: list[str] | None = None) -> int:
    """Command line: 0 when the screenshots are written, 2 when no chromium is installed."""
    parser = argparse.ArgumentParser(description="报告问答：更新 README 的截图")
    parser.add_argument("--question", default=QUESTION, help="截图中提的问题")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png", help="整页截图（PNG）")
    parser.add_argument("--reader-out", type=Path, default=ROOT / "docs" / "reader.png", help="原文阅读截图（PNG）")
    parser.add_argument("--admin-out", type=Path, default=ROOT / "docs" / "admin.png", help="管理页截图（PNG）")
    args = parser.parse_args(argv)
    if CHROMIUM is None:
        print("错误：未安装 chromium（Debian：apt-get install chromium fonts-wqy-zenhei）", file=sys.stderr)
        return 2
    take_screenshots(args.question, args.out, args.reader_out)
    take_admin_screenshot(args.admin_out)
    print(f"已保存截图 {args.out}、{args.reader_out} 与 {args.admin_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
