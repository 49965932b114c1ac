"""One way to start the web app, used by ``python app.py`` and by the tests: same pages, routes, scripts, login.

The accounts, audit log, question history and managed corpus of the app are those of
``service.settings`` (its ``data_dir`` and ``corpus``). Login is on when the REPORTQA_USER
admin or at least one stored account exists; the login form's answers are audited by
:class:`ui.login_audit.LoginAudit`. Uploads larger than twice ``upload_max_mb`` are
stopped by Gradio itself (HTTP 413) before any handler runs; the handler refuses,
in Chinese, anything above ``upload_max_mb``.

Usage::

    demo, url = start(service, host="127.0.0.1", port=7860)
"""

from __future__ import annotations

import gradio as gr
from starlette.middleware import Middleware

from core.errors import ConfigError
from office.workplace import Workplace
from retriever.answer.service import AnswerService
from ui.admin.route import admin_routes
from ui.ask_defaults import AskDefaults
from ui.chat import API_DEFAULT_MODE, CSS
from ui.login_audit import LoginAudit
from ui.page import build_page
from ui.routes import build_routes

PAGE_JS = """
() => {
  if (window.__reportqa) return;
  window.__reportqa = true;
  // Enter sends, Shift+Enter is a new line, Enter while an input method is composing is left to it.
  // Capture phase on window runs before Gradio's own keypress handler on the textarea and stops it
  // (a gr.Textbox with lines=2 would otherwise send on Shift+Enter and ignore composition).
  const SEND = {'question': 'send', 'search-query': 'search-btn'};
  const boxOf = (e) => {
    if (!(e.target instanceof HTMLTextAreaElement)) return null;
    for (const id in SEND) if (e.target.closest('#' + id)) return id;
    return null;
  };
  window.addEventListener('keydown', (e) => {
    const box = e.key === 'Enter' ? boxOf(e) : null;
    if (!box) return;
    e.stopImmediatePropagation();
    if (e.isComposing || e.keyCode === 229) return;
    if (e.shiftKey) return;
    e.preventDefault();
    document.getElementById(SEND[box])?.click();
  }, true);
  window.addEventListener('keypress', (e) => {
    if (e.key === 'Enter' && boxOf(e)) e.stopImmediatePropagation();
  }, true);
  // Reader links ([n] in the chat, source cards, search results) open in the reader panel of their tab;
  // Ctrl/Shift/middle click still opens a new tab (the chat forces target=_blank on its links).
  document.addEventListener('click', (e) => {
    const a = e.target instanceof Element && e.target.closest('a[href*="reader?"]');
    if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    const name = a.closest('#search-results') ? 'search-reader'
      : a.closest('#history-chat, #history-sources') ? 'history-reader' : 'reader';
    const frame = document.getElementById(name + '-frame');
    if (!frame) return;
    e.preventDefault();
    e.stopPropagation();
    frame.classList.add('open');
    frame.src = a.href.split('#')[0];  // the reader scrolls itself: a #fragment would scroll this page too
    frame.scrollIntoView({block: 'nearest'});
  }, true);
  // Gradio 6.31 titles every toast in English, whatever the browser's language ("Error": its frontend reads
  // a field the server never sends, so a gr.Error's own title is dropped). The reason under it is Chinese;
  // the title is put in Chinese too (错误 as Gradio's own zh-CN strings name an error).
  const TOAST_TITLES = {'Error': '错误', 'Warning': '注意', 'Info': '提示', 'Connection Lost': '连接已断开'};
  const retitle = () => document.querySelectorAll('.toast-title').forEach((title) => {
    const text = title.firstChild;
    const chinese = text && text.nodeType === Node.TEXT_NODE && TOAST_TITLES[text.data.trim()];
    if (chinese) text.data = chinese + ' ';
  });
  // Labels Gradio 6.31 leaves in English even for a Chinese browser, read out by screen readers.
  const LABELS = {'More tabs': '更多标签页', 'chatbot conversation': '对话', 'Copy': '复制',
                  'Gradio footer navigation': '页脚导航', 'Reset to default value': '恢复默认值'};
  const PREFIXES = [["user's message: ", '提问：'], ["bot's message: ", '回答：'],
                    ['number input for ', '输入数值：'], ['range slider for ', '滑块：']];
  const relabel = () => document.querySelectorAll('[aria-label], [title]').forEach((e) => {
    for (const name of ['aria-label', 'title']) {
      const label = e.getAttribute(name);
      if (!label) continue;
      if (LABELS[label]) { e.setAttribute(name, LABELS[label]); continue; }
      const prefix = PREFIXES.find(([english]) => label.startsWith(english));
      if (prefix) e.setAttribute(name, prefix[1] + label.slice(prefix[0].length));
    }
  });
  new MutationObserver(() => { retitle(); relabel(); }).observe(document.body,
    {childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['aria-label', 'title']});
  // Reloading or leaving the page loses this conversation (with a login, 我的提问 keeps the questions):
  // once there is an answer, the browser asks first.
  window.addEventListener('beforeunload', (e) => {
    if (!document.querySelector('#chat [data-testid="bot"]')) return;
    e.preventDefault();
    e.returnValue = '';
  });
}
"""
"""Script run once in the page: keys of the question and search boxes, reader links into the reader panels,
Chinese toast titles, a question before leaving a page with answers."""
PAGE_CSS = CSS + """
[data-testid="status-tracker"]:has(.error) {display:none !important}
"""
"""The chat's and search page's styles, and: a failed event leaves no red 错误 overlay on its outputs.

Gradio covers every output of a failed event with an error overlay that stays after the toast
fades and blocks the component (an admin's upload box could no longer be clicked after a refused
upload). Every refusal here is a ``gr.Error`` whose Chinese reason the toast shows, so the overlay
only hides the page."""
AUTH_MESSAGE = "报告问答：请登录"


LOOPBACK_HOSTS = {"localhost", "::1"}


def is_loopback(host: str) -> bool:
    """Whether only this PC reaches ``host`` (127.0.0.0/8, ::1, localhost).

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0"), is_loopback("10.1.2.3")
    (True, True, False, False)
    """
    return host.strip().lower() in LOOPBACK_HOSTS or host.strip().startswith("127.")


def check_exposure(place: Workplace, host: str, share: bool) -> None:
    """Refuse to serve other PCs with no login: raise ConfigError saying how to set one (or to allow it)."""
    if place.login_required or place.settings.open_without_login or (is_loopback(host) and not share):
        return
    where = "公开分享链接（--share）" if share else f"地址 {host}（其他电脑可以访问）"
    raise ConfigError(
        f"没有设置登录，不能在{where}上提供服务：能访问这台电脑的任何人都能查看和下载全部报告，且不留下是谁的记录。请先建立账号"
        "（.venv/bin/python -m office.users add 用户名 --role admin），或设置 REPORTQA_USER 和 REPORTQA_PASSWORD；"
        "确实要不登录就对内网开放，请加 --set open_without_login=true。")


def started_lines(host: str, port: int, share_url: str | None = None) -> str:
    """What the console says once the pages are served: the address, and the public link with ``--share``.

    >>> print(started_lines("127.0.0.1", 7860))
    报告问答已启动：http://127.0.0.1:7860/（只有本机能访问；按 Ctrl+C 停止）
    >>> print(started_lines("0.0.0.0", 8080, "https://x.gradio.live"))
    报告问答已启动：http://0.0.0.0:8080/（其他电脑用本机的内网地址访问，如 http://192.168.1.10:8080/；按 Ctrl+C 停止）
    公开分享链接：https://x.gradio.live
    """
    if host.strip() in ("0.0.0.0", "::", ""):
        reach = f"其他电脑用本机的内网地址访问，如 http://192.168.1.10:{port}/"
    elif is_loopback(host):
        reach = "只有本机能访问"
    else:
        reach = "其他电脑用这个地址访问"
    lines = f"报告问答已启动：http://{host}:{port}/（{reach}；按 Ctrl+C 停止）"
    return lines + (f"\n公开分享链接：{share_url}" if share_url else "")


def start(service: AnswerService, host: str, port: int, share: bool = False, block: bool = True,
          quiet: bool = False) -> tuple[gr.Blocks, str]:
    """Build the pages for ``service`` and serve them; returns ``(demo, url)`` (with ``block`` only when stopped).

    Raises ConfigError when other PCs could reach the pages and no login is set (see :func:`check_exposure`).
    Gradio's own English start lines are kept quiet; unless ``quiet``, :func:`started_lines` says where it runs.
    """
    place = Workplace(service)
    check_exposure(place, host, share)
    demo = build_page(place)
    demo.queue(default_concurrency_limit=1)
    api_defaults = [service.settings.answer_top_k, API_DEFAULT_MODE]  # /ask's optional values, for plain HTTP
    app, _, _ = demo.launch(
        server_name=host, server_port=port, share=share, css=PAGE_CSS, js=PAGE_JS, quiet=True,
        auth=place.guard.check if place.login_required else None, auth_message=AUTH_MESSAGE,
        max_file_size=int(2 * service.settings.upload_max_mb * 2**20),
        app_kwargs={"routes": build_routes(place) + admin_routes(place),
                    "middleware": [Middleware(LoginAudit, place=place),
                                   Middleware(AskDefaults, defaults=api_defaults)]},
        prevent_thread_lock=True)
    place.bind(app)
    if not quiet:
        print(started_lines(host, port, demo.share_url), flush=True)
    if block:
        demo.block_thread()
    return demo, f"http://{host}:{port}/"
