"""Fixtures of the web app tests: one headless Debian chromium per test module (Playwright drives it), and the
shared app with login on.

``app`` is one app per test module, with login on, over a private copy of the small real-slices index
(``slices_index``) with its own data folder: an admin ``boss``, a reader ``li`` (``admin`` and ``reader`` are
their gradio_client clients). Nothing here touches the real corpus/ or data/. A test module's own ``app``
fixture (the browser tests have theirs) replaces it in that module.
"""

from __future__ import annotations

import pytest
from gradio_client import Client

from office.accounts import Accounts
from retriever.answer.service import AnswerService
from tests.helpers import (
    ADMIN,
    CHEAP_ARGON2,
    CHROMIUM,
    CHROMIUM_FLAGS,
    COMPOSED,
    NEW_REPORT,
    READER,
    copy_slices,
    real_lines,
    serve,
)


@pytest.fixture(scope="module")
def browser():
    """A headless chromium for the module's browser tests (they are skipped where chromium is not installed)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def app(slices_index, tmp_path_factory):
    """The app (login on), its settings and URL; the text file ``upload`` an attacker would send."""
    root = tmp_path_factory.mktemp("office")
    settings = copy_slices(slices_index, root).override(login_delay=0.05, upload_max_mb=1, **CHEAP_ARGON2)
    accounts = Accounts(settings)
    accounts.add(*ADMIN, role="admin")
    accounts.add(*READER)
    accounts.add(*COMPOSED)
    demo, url = serve(AnswerService.open(settings, show_bar=False), data_dir=settings.data_dir)
    upload = root / "upload.txt"
    upload.write_text("\n".join(real_lines(NEW_REPORT[0], *NEW_REPORT[1])), encoding="utf-8")
    yield {"settings": settings, "url": url, "upload": upload, "root": root}
    demo.close()


@pytest.fixture(scope="module")
def admin(app) -> Client:
    return Client(app["url"], auth=ADMIN, verbose=False)


@pytest.fixture(scope="module")
def reader(app) -> Client:
    return Client(app["url"], auth=READER, verbose=False)
