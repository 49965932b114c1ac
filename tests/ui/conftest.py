"""Fixtures of the web app tests: one headless Debian chromium per test module (Playwright drives it)."""

from __future__ import annotations

import pytest

from tests.helpers import CHROMIUM, CHROMIUM_FLAGS


@pytest.fixture(scope="module")
def browser():
    """A headless chromium for the module's browser tests (they are skipped where chromium is not installed)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
