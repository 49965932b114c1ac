"""The shared app in a real headless Chromium: an admin uploads a report and watches it indexed; a reader never
sees the admin tab.

Marked ``browser`` (and ``slow``: a real incremental index build); skipped where Debian's chromium is not
installed. The app serves a private copy of the small real-slices index with its own accounts.
"""

from __future__ import annotations

import re

import pytest

from office.accounts import Accounts
from office.audit import AuditLog, AuditQuery
from office.workplace import NO_ACCOUNT
from retriever.answer.service import AnswerService
from tests.helpers import CHEAP_ARGON2, CHROMIUM, NEW_REPORT, copy_slices, real_lines, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium not installed (.ci/run installs it)")]

ADMIN, READER = ("boss", "boss password 1"), ("li", "reader password 1")
UPLOAD = "2024年度社区建设调研（截山）.txt"
EXISTING = "000_基层政权和社区建设情况调研报告（4篇）.txt"


@pytest.fixture(scope="module")
def app(slices_index, tmp_path_factory):
    root = tmp_path_factory.mktemp("office-browser")
    settings = copy_slices(slices_index, root).override(progress_poll_s=0.3, **CHEAP_ARGON2)
    accounts = Accounts(settings)
    accounts.add(*ADMIN, role="admin")
    accounts.add(*READER)
    demo, url = serve(AnswerService.open(settings, show_bar=False), data_dir=settings.data_dir)
    (root / UPLOAD).write_text("\n".join(real_lines(NEW_REPORT[0], *NEW_REPORT[1])), encoding="utf-8")
    yield {"url": url, "upload": root / UPLOAD, "settings": settings}
    demo.close()


def log_in(browser, url: str, user: tuple[str, str], locale: str = "en-US", button: str = "Login"):
    """A fresh browser context in ``locale`` logged in through Gradio's login form (its ``button``); its page."""
    from playwright.sync_api import expect

    page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=locale).new_page()
    page.goto(url)
    expect(page.get_by_text("报告问答：请登录")).to_be_visible(timeout=30_000)
    page.locator("input[type=text]").fill(user[0])
    page.locator("input[type=password]").fill(user[1])
    page.get_by_role("button", name=button).click()
    expect(page.locator("#user-line")).to_contain_text(f"当前用户：{user[0]}", timeout=30_000)
    return page


def test_admin_uploads_a_report_sees_the_progress_bar_finish_and_the_report_listed(browser, app):
    from playwright.sync_api import expect

    page = log_in(browser, app["url"], ADMIN)
    expect(page.locator("#user-line")).to_contain_text("当前用户：boss（管理员）")
    page.get_by_role("tab", name="管理").click()
    table = page.locator("#report-table")
    expect(table).to_contain_text("000_基层政权和社区建设情况调研报告（4篇）.txt", timeout=30_000)
    expect(table).not_to_contain_text(UPLOAD)
    page.locator("#report-upload input[type=file]").set_input_files(str(app["upload"]))
    # The file box shows the name's stem and suffix in two elements; some chromium builds read a space between.
    shown = re.compile(re.escape(UPLOAD.removesuffix(".txt")) + r"\s*\.txt")
    expect(page.locator("#report-upload")).to_contain_text(shown, timeout=30_000)
    page.locator("#report-send").click()
    expect(page.locator("#report-result")).to_contain_text(f"已上传“{UPLOAD}”", timeout=30_000)
    bar = page.locator("#index-progress progress")
    values = set()
    for _ in range(3000):  # watch the bar until the update ends (at most ~5 minutes)
        state = page.locator("#index-progress").get_attribute("data-state")
        values.add(int(bar.get_attribute("value")))
        if state in ("done", "failed"):
            break
        page.wait_for_timeout(100)
    assert state == "done", page.locator("#index-progress").inner_text()
    assert bar.get_attribute("value") == "100" and any(0 < v < 100 for v in values), values
    expect(page.locator("#index-progress")).to_contain_text("索引已更新")
    assert page.locator("#index-progress").inner_text().count("索引已更新") == 1  # said once, with its time
    # The result line no longer says the update is still running once it has ended.
    expect(page.locator("#report-result")).to_contain_text(f"已上传“{UPLOAD}”", timeout=10_000)
    expect(page.locator("#report-result")).to_contain_text("索引已更新", timeout=10_000)
    expect(page.locator("#report-result")).not_to_contain_text("正在更新索引")
    row = table.get_by_role("row").filter(has_text=UPLOAD)
    expect(row).to_contain_text("已索引", timeout=30_000)
    expect(row).to_contain_text("TXT")
    page.get_by_role("tab", name="问答").click()
    page.locator("#question textarea").fill("截山社区办公用房面积")
    page.get_by_role("button", name="提问").click()
    expect(page.locator(".card", has_text=UPLOAD).first).to_be_visible(timeout=60_000)
    asked = AuditLog.open(app["settings"]).read(AuditQuery(action="question", user="boss"))
    assert asked[0].detail["question"] == "截山社区办公用房面积" and asked[0].detail["via"] == "chat"


SHOWN_ERROR_OVERLAYS = """() => [...document.querySelectorAll('[data-testid="status-tracker"]')]
  .filter((w) => w.querySelector('.error') && getComputedStyle(w).display !== 'none').length"""


def test_a_refused_upload_says_why_and_leaves_the_admin_page_usable(browser, app):
    from playwright.sync_api import expect

    page = log_in(browser, app["url"], ADMIN)
    page.get_by_role("tab", name="管理").click()
    table = page.locator("#report-table")
    expect(table).to_contain_text(EXISTING, timeout=30_000)
    page.locator("#report-upload input[type=file]").set_input_files(str(app["upload"]))
    page.locator("#report-name textarea, #report-name input").first.fill(EXISTING)
    page.locator("#report-send").click()  # same name, 替换同名报告 not ticked: refused
    expect(page.locator(".toast-body").filter(has_text="已有同名报告")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1000)
    # Gradio would cover the list, the upload box and the inputs with a red 错误 overlay that stays and blocks them.
    assert page.evaluate(SHOWN_ERROR_OVERLAYS) == 0
    expect(table).to_contain_text(EXISTING)
    box = table.bounding_box()
    inside = page.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('#report-table')",
                           [box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 60)])
    assert inside  # nothing lies over the list
    page.locator("#report-replace input").check()  # and the form still works: now it replaces
    page.locator("#report-replace input").uncheck()
    page.context.close()


def test_a_reader_never_sees_the_admin_page_and_reopens_their_own_questions(browser, app):
    from playwright.sync_api import expect

    page = log_in(browser, app["url"], READER)
    expect(page.locator("#user-line")).to_contain_text("当前用户：li（读者）")
    expect(page.get_by_role("tab", name="我的提问")).to_be_visible()
    page.wait_for_timeout(1000)  # the page's load event has run (the user line is filled by it)
    assert page.get_by_role("tab", name="管理").count() == 0
    for admin_part in ("#report-upload", "#report-table", "#account-table", "#audit-table", "#index-progress"):
        assert page.locator(admin_part).filter(visible=True).count() == 0, admin_part
    assert not re.search("上传并更新索引|审计日志|新建账号", page.locator("body").inner_text())
    page.locator("#question textarea").fill("社区办公用房不足")
    page.get_by_role("button", name="提问").click()
    expect(page.locator(".card").first).to_be_visible(timeout=60_000)
    page.get_by_role("tab", name="我的提问").click()
    page.locator("#history-list input").click()
    page.get_by_role("option", name=re.compile("社区办公用房不足$")).click()
    expect(page.locator("#history-chat")).to_contain_text("社区办公用房不足", timeout=30_000)
    expect(page.locator("#history-sources .card").first).to_be_visible()
    card = page.locator("#history-sources .card").first
    cited = card.locator(".text mark").first.inner_text()[:12]  # the sentence the answer quoted
    card.locator("a.open-reader").click()  # the reader opens beside the reopened answer, at that sentence
    expect(page.frame_locator("#history-reader-frame").locator("mark.cited").first).to_contain_text(
        cited, timeout=30_000)
    page.locator("#history-list input").click()
    assert page.get_by_role("option", name=re.compile("截山社区办公用房面积")).count() == 0  # boss's question


def test_in_a_chinese_browser_gradios_own_login_and_upload_strings_are_chinese(browser, app):
    """Gradio picks its strings from the browser's language: an office PC set to Chinese sees no English."""
    from playwright.sync_api import expect

    page = log_in(browser, app["url"], ADMIN, locale="zh-CN", button="登录")
    page.get_by_role("tab", name="管理").click()
    upload = page.locator("#report-upload")
    expect(upload).to_contain_text("拖放到此处", timeout=30_000)
    assert not re.search("Drop File Here|Click to Upload", upload.inner_text())


def test_a_question_refused_because_the_account_was_removed_goes_back_into_the_box(browser, app):
    """The account is removed while its user is logged in: the answer is refused with a clear message in a
    toast titled in Chinese, and the question is not lost."""
    from playwright.sync_api import expect

    Accounts(app["settings"]).add("wang", "reader password 2")
    page = log_in(browser, app["url"], ("wang", "reader password 2"))
    page.locator("#question textarea").fill("社区办公用房不足怎么办")
    Accounts(app["settings"]).remove("wang")
    page.get_by_role("button", name="提问").click()
    expect(page.get_by_text(NO_ACCOUNT).first).to_be_visible(timeout=30_000)
    expect(page.locator("#send")).to_be_enabled(timeout=30_000)
    expect(page.locator("#question textarea")).to_have_value("社区办公用房不足怎么办")
    # the toast that gives the reason is titled in Chinese, even in an English browser (Gradio says "Error")
    toast = page.locator("[data-testid='toast-body']").filter(has_text=NO_ACCOUNT).first
    expect(toast.locator(".toast-title")).to_have_text("错误")
    assert "Error" not in toast.inner_text()
