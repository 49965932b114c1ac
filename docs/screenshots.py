"""Refresh README's screenshot: the real app, asked one question in headless Chromium, saved to docs/screenshot.png.

    .venv/bin/python docs/screenshots.py [--question "哪些社区办公用房不达标"] [--out docs/screenshot.png]

It builds or loads the index as the app does, serves the app on a free loopback
port and drives Debian's chromium (``apt-get install chromium fonts-wqy-zenhei``)
through Playwright, which downloads no browser. The tests never write here: the
browser test (tests/ui/test_browser.py) saves its screenshot into a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.settings import Settings  # noqa: E402
from retriever.answer.service import AnswerService  # noqa: E402
from tests.helpers import CHROMIUM, CHROMIUM_FLAGS, serve  # noqa: E402

QUESTION = "哪些社区办公用房不达标"


def take_screenshot(question: str, out: Path) -> None:
    """Ask ``question`` in the real app and save the whole page, with answer and source cards, as PNG."""
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
            browser.close()
    finally:
        demo.close()


def main(argv: list[str] | None = None) -> int:
    """Command line: 0 when the screenshot is written, 2 when no chromium is installed."""
    parser = argparse.ArgumentParser(description="报告问答：更新 README 的截图")
    parser.add_argument("--question", default=QUESTION, help="截图中提的问题")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png", help="PNG 文件")
    args = parser.parse_args(argv)
    if CHROMIUM is None:
        print("错误：未安装 chromium（Debian：apt-get install chromium fonts-wqy-zenhei）", file=sys.stderr)
        return 2
    take_screenshot(args.question, args.out)
    print(f"已保存截图 {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
