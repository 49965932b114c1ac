"""The 问答 tab: question box, streamed cited answer, source cards, report reader, copy box, export,
feedback, the session's questions; and the ``/ask`` API.

Only Gradio wiring lives here: the answering itself is
:class:`retriever.answer.service.AnswerService`, served also as the API endpoint
``/ask`` (see docs/api.md); the reader page is a route (:mod:`ui.routes`,
:mod:`ui.reader`), the source cards are :mod:`ui.cards`, the export builders
:mod:`ui.export`, the feedback form :mod:`ui.feedback_ui`. Questions go to the
workplace's live service, which an index update swaps; each question and export is
checked (a reader's right), kept in the user's history and written to the audit log.

Usage::

    with gr.Tab("问答"):
        chat = build_chat(place)        # inside the page's Blocks (ui.page)
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

import gradio as gr

from core.clock import now_text, readable_time
from core.settings import MAX_TOP_K, MODES
from office.workplace import Workplace
from retriever.answer.service import AnswerService, with_notices
from ui.access import session
from ui.cards import CARD_CSS, sources_html
from ui.export import copy_choices, export_file_name, export_folder, write_docx, write_markdown
from ui.feedback_ui import FeedbackForm, answer_settings
from ui.reader import ReportLibrary
from ui.search_page import MODE_CHOICES, READER_PANEL, SEARCH_CSS, chosen_reports
from ui.session import SessionEntry, link_citations, question_choices

log = logging.getLogger(__name__)

API_DEFAULT_MODE = "hybrid"
"""``/ask``'s search mode when a caller leaves it out (:class:`ui.ask_defaults.AskDefaults` fills it in over HTTP)."""
EXAMPLES = ["哪些社区办公用房不达标", "社区工作者待遇怎么样", "三社联动", "农村社区建设有哪几种模式",
            "社区经费从哪里来"]
FOLLOW_UP = re.compile(r"^(那|那么|还有|另外|具体|其中|它们|他们|这些|那些)")
ELLIPTICAL_END = re.compile(r"呢\s*[？?。！!]*$")
"""A short question ending in 呢 ("农村呢？") leaves its subject to the previous one; "三社联动" does not."""
# Characters the chat's Markdown would act on (e.g. the reports' anonymised "**" names would turn into bold).
MARKDOWN_SPECIAL = re.compile(r"([\\`*_~#\[\]])")
CHAT_HEIGHT = "clamp(260px, calc(100vh - 400px), 640px)"
"""The chat's height: the question box and 提问 stay in view on a 1366×768 laptop screen without scrolling."""
EXPORT_SCOPES = ("导出当前回答", "导出整个对话")
NOTHING_TO_EXPORT = "还没有可导出的回答，请先提问。"

CSS = CARD_CSS + SEARCH_CSS
"""The 问答 tab's styles: its source cards, and the reader panel's (shared with the 检索 tab)."""


def message_text(content) -> str:  # noqa: ANN001 - a str, or the list of parts gradio 6 sends back
    """The text of a chat message: gradio 6 sends message content back as ``[{"type": "text", "text": …}]``."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return ""


def combine_with_history(question: str, history: list[dict], max_chars: int) -> str:
    """Join an elliptical follow-up with the previous question.

    A follow-up opens with 那 / 还有 / 其中 … ("那农村社区呢？"), or is at most ``max_chars``
    long and ends in 呢 ("农村呢"). A short question of its own ("三社联动", "网格化") is
    answered alone: it names its subject.
    """
    previous = [unchat_text(message_text(m.get("content"))) for m in history if m.get("role") == "user"]
    previous = [p for p in previous if p]
    elliptical = len(question) <= max_chars and ELLIPTICAL_END.search(question)
    if previous and (FOLLOW_UP.match(question) or elliptical):
        return f"{previous[-1]} {question}"
    return question


def api_arguments(question: object, top_k: object, mode: object) -> tuple[int, str]:
    """``/ask``'s top_k and mode checked; a wrong value is refused with a message saying what is expected.

    >>> api_arguments("社区经费", "8", "bm25")
    (8, 'bm25')
    >>> api_arguments("社区经费", 0, "hybrid")
    Traceback (most recent call last):
    gradio.exceptions.Error: 'top_k 应为 1—50 的整数（检索的段落数），收到 0。'
    """
    if question is not None and not isinstance(question, str):
        raise gr.Error(f"问题应为文字，收到 {type(question).__name__} 类型的值。", print_exception=False)
    try:
        number = float(str(top_k).strip())
    except ValueError:
        number = 0.0
    count = int(number) if number.is_integer() else 0
    if not 1 <= count <= MAX_TOP_K:
        raise gr.Error(f"top_k 应为 1—{MAX_TOP_K} 的整数（检索的段落数），收到 {str(top_k)[:20]}。",
                       print_exception=False)
    if mode not in MODES:
        raise gr.Error(f"mode 应为 {'、'.join(MODES)} 之一，收到 {str(mode)[:20]}。", print_exception=False)
    return count, str(mode)


def follow_up_note(question: str, query: str) -> str:
    """The line that tells the user a follow-up was read together with the previous question ("" if it was not)."""
    return f"（接上一问，按“{query}”回答）" if query != question else ""


def chat_text(text: str) -> str:
    """Text for the chat, which renders Markdown and HTML: both are escaped, so the text shows literally."""
    return html.escape(MARKDOWN_SPECIAL.sub(r"\\\1", text))


def unchat_text(content: str) -> str:
    """The text that :func:`chat_text` escaped (used to read the previous question back)."""
    return re.sub(r"\\([\\`*_~#\[\]])", r"\1", html.unescape(content))


def report_labels(service: AnswerService) -> dict[str, tuple[str, int]]:
    """The "只在这些报告中检索" choices of an index: label → (file, report number)."""
    reports: dict[str, tuple[str, int]] = {}
    for chunk in service.retriever.chunks:
        label = f"{chunk.file[:40]} · {chunk.report_name()}《{chunk.report_title}》"
        reports.setdefault(label, (chunk.file, chunk.report))
    return reports


def index_status_text(service: AnswerService) -> str:
    """The index line shown beside the chat."""
    manifest = service.retriever.stored.manifest
    return (f"**索引**：报告 {manifest.reports} 篇，片段 {manifest.chunks} 个，模型 {manifest.model}，"
            f"建立于 {readable_time(manifest.built_at)}")


class ReportChoices:
    """Report choices of the live index, computed once per index (an update swaps the service)."""

    def __init__(self, place: Workplace) -> None:
        self.place = place
        self._of: tuple[AnswerService, dict[str, tuple[str, int]]] | None = None

    def __call__(self, answering: AnswerService | None = None) -> dict[str, tuple[str, int]]:
        answering = answering or self.place.live.current
        if self._of is None or self._of[0] is not answering:
            self._of = (answering, report_labels(answering))
        return self._of[1]


@dataclass
class ChatTab:
    """What the page refreshes when it is opened: the index line and the report filter of the chat."""

    status: gr.Markdown
    only_reports: gr.Dropdown
    reports: Callable[..., dict[str, tuple[str, int]]]


SEND_LABEL = "提问"
BUSY_LABEL = "回答中…"


def take_question(message: str) -> tuple[str, str, gr.Button]:
    """Take the question out of the box for the answer and disable the send button while it is answered."""
    return "", message, gr.Button(BUSY_LABEL, interactive=False)


def ready_button() -> gr.Button:
    """The send button enabled again, once an answer is done or has failed."""
    return gr.Button(SEND_LABEL, interactive=True)


def give_back_question(message: str, now: str) -> tuple[str, gr.Button]:
    """After a failed answer: the question back into the box (unless another one was typed) and send enabled."""
    return (now if now.strip() else message), ready_button()


def cleared():
    """After the chat's clear button: no answers, no question list, no current answer, empty sources and copy box."""
    return [], gr.update(choices=[], value=None), None, "", gr.update(choices=[], value=None), "", {}


def ask_api(place: Workplace) -> Callable[..., tuple[str, list[dict], bool]]:
    """The function behind the ``/ask`` API for one workplace (its name, parameters and docstring are the API's)."""
    settings = place.settings

    def ask(question: str, top_k: int = settings.answer_top_k, mode: str = API_DEFAULT_MODE,
            request: gr.Request = None) -> tuple[str, list[dict], bool]:
        """Answer a question: the answer text with [n] markers, the cited sources as data, and whether it was found.

        ``found`` is false when the reports do not answer the question; the answer's first line then says 未找到.
        """
        who = session(place, request)
        top_k, mode = api_arguments(question, top_k, mode)
        answering = place.live.current
        reply = answering.ask(question, top_k, mode)
        if reply.unavailable:  # an outage is an error for a program calling /ask, not found = False
            log.warning("/ask 未能检索：%s", reply.text)  # one line in the log, not Gradio's traceback
            raise gr.Error(reply.text, title="检索服务不可用", print_exception=False)
        sources = [c.to_dict() for c in reply.citations]
        prepared = answering.prepare(question)
        if prepared.text and not prepared.hint:  # a hint (empty or punctuation-only question) is not kept
            place.asked(who, prepared.text, reply.text, reply.found, sources, via="api")
        return reply.text, sources, reply.found

    return ask


class ChatEvents:
    """The 问答 tab's event handlers over one workplace: answer a question (streamed), reopen an earlier answer,
    export answers; each checks the user first (:func:`ui.access.session`).

    The handlers are Gradio's event functions, so their parameters are the events' inputs, in order.
    """

    def __init__(self, place: Workplace, reports_of: ReportChoices, library: ReportLibrary) -> None:
        self.place = place
        self.settings = place.settings
        self.reports_of = reports_of
        self.library = library  # the quoted sentences' lines on the source cards

    def shown(self, entry: SessionEntry):
        """Sources, copy box and copy choices of one answer."""
        choices = copy_choices(entry.answer, entry.citations)
        first = next(iter(choices))
        return sources_html(entry, self.library), gr.update(choices=list(choices), value=first), choices[first], choices

    def respond(self, message: str, history: list[dict], top_k: int, mode: str, only_reports: list[str],
                entries: list[SessionEntry], request: gr.Request):
        """Stream the answer into the chat; at the end, show its sources and copy box and add it to the session's
        questions (a hint alone, for an empty or unclear question, searches nothing)."""
        place, settings = self.place, self.settings
        who = session(place, request)
        answering = place.live.current  # the whole answer comes from one index, even if an update swaps it meanwhile
        reports = self.reports_of(answering)
        entries = list(entries or [])
        keep = gr.update(), gr.update(), gr.update()  # entries, question list, current answer
        prepared = answering.prepare(message)
        nothing = gr.update(choices=[], value=None), "", {}
        if not prepared.text:  # empty: only a hint, no search
            yield [*history, {"role": "assistant", "content": prepared.hint}], "", *nothing, *keep
            return
        query = combine_with_history(prepared.text, history, settings.follow_up_max_chars)
        # Chat content is escaped: a question or report text is always shown as text, never as HTML.
        history = [*history, {"role": "user", "content": chat_text(prepared.text)},
                   {"role": "assistant", "content": chat_text(with_notices(prepared.notice, prepared.hint))}]
        if prepared.hint:
            yield history, "", *nothing, *keep
            return
        chosen = chosen_reports(only_reports, reports)
        for answer in answering.stream(query, int(top_k), mode, chosen):
            text = with_notices(prepared.notice, answer.notice, answer.text, follow_up_note(prepared.text, query))
            history[-1]["content"] = link_citations(chat_text(text), answer.citations)
            yield history, "", gr.update(), "", {}, *keep
        place.asked(who, prepared.text, text, answer.found, [c.to_dict() for c in answer.citations], via="chat")
        entry = SessionEntry(prepared.text, text, answer.citations, answer.found, len(history) - 1, query,
                             int(top_k), mode, chosen, answer_settings(answering))
        entries.append(entry)
        yield (history, *self.shown(entry), entries,
               gr.update(choices=question_choices(entries), value=entry.message_index), entry.message_index)

    def reopen(self, message_index: int | None, entries: list[SessionEntry], request: gr.Request):
        """Show the sources and copy box of the answer picked in the session's question list."""
        session(self.place, request)
        entry = next((e for e in entries or [] if e.message_index == message_index), None)
        if entry is None:
            return gr.update(), gr.update(), gr.update(), gr.update(), gr.update()
        return *self.shown(entry), entry.message_index

    def export(self, kind: str, scope: str, entries: list[SessionEntry], current: int | None,
               request: gr.Request = None):
        """Write the current answer or the whole conversation as Word (``kind`` "docx") or Markdown, and audit it."""
        place = self.place
        who = session(place, request)
        if not entries:  # a hint, not an error: a toast titled 注意, and nothing to download
            gr.Warning(NOTHING_TO_EXPORT)
            return gr.DownloadButton(value=None)
        if scope == EXPORT_SCOPES[1]:
            chosen = entries
        else:
            chosen = [e for e in entries if e.message_index == current] or entries[-1:]
        user = who.user if place.login_required else None
        stamp = now_text()
        note = f"导出时间：{readable_time(stamp)}" + (f"；导出人：{user}" if user else "")
        items = [e.export_item() for e in chosen]
        name = export_file_name([item.question for item in items], stamp)
        folder = export_folder()
        if kind == "docx":
            path = write_docx(items, folder / f"{name}.docx", note=note)
        else:
            path = write_markdown(items, folder / f"{name}.md", note=note)
        place.record(who, "export", format=kind, answers=len(items),
                     questions=[item.question[:100] for item in items][:20])
        return gr.DownloadButton(value=str(path))

    def export_docx(self, scope: str, items: list[SessionEntry], now: int | None, request: gr.Request = None):
        """导出 Word: the chosen answers as a Word document (see :meth:`export`)."""
        return self.export("docx", scope, items, now, request)

    def export_markdown(self, scope: str, items: list[SessionEntry], now: int | None, request: gr.Request = None):
        """导出 Markdown: the chosen answers as a Markdown file (see :meth:`export`)."""
        return self.export("md", scope, items, now, request)


@dataclass
class ChatLayout:
    """The 问答 tab's components that its events read or write, as :func:`lay_out_chat` places them."""

    chat: gr.Chatbot
    question: gr.Textbox
    send: gr.Button
    export_word: gr.Button
    export_md: gr.Button
    export_scope: gr.Radio
    export_dl: gr.DownloadButton
    feedback: FeedbackForm
    asked: gr.Radio
    """The session's questions: picking one reopens its answer."""
    status: gr.Markdown
    top_k: gr.Slider
    mode: gr.Radio
    only_reports: gr.Dropdown
    sources: gr.HTML
    pick_box: gr.Dropdown
    copy_box: gr.Textbox
    copy_texts: gr.State
    """The copy box's choices of the answer shown: choice → the plain text it copies."""
    entries: gr.State
    """The session's answers (:class:`ui.session.SessionEntry`), in the order asked."""
    current: gr.State
    """The chat position of the answer shown (what 导出当前回答 exports)."""
    taken: gr.State
    """The question being answered, taken out of the box (given back if the answer fails)."""


def lay_out_chat(place: Workplace, reports_of: ReportChoices) -> ChatLayout:
    """The 问答 tab's components in the current Blocks context: the chat, question box and exports on the left;
    the index line, search settings, reader panel, source cards and copy box on the right."""
    settings = place.settings
    copy_texts = gr.State({})
    entries = gr.State([])
    current = gr.State(None)
    with gr.Row():
        with gr.Column(scale=4):
            # No per-message copy button: it would copy the escaped markup (&lt;…), not the text.
            chat = gr.Chatbot(label="对话", show_label=False, height=CHAT_HEIGHT, buttons=[], sanitize_html=True,
                              elem_id="chat")  # the label floated over the first line of a scrolled chat
            question = gr.Textbox(label="问题（Enter 发送，Shift+Enter 换行）", lines=2,
                                  elem_id="question", placeholder="例如：哪些社区办公用房不达标")
            send = gr.Button(SEND_LABEL, variant="primary", elem_id="send")
            with gr.Row():
                export_word = gr.Button("导出 Word", size="sm", elem_id="export-word", min_width=90)
                export_md = gr.Button("导出 Markdown", size="sm", elem_id="export-md", min_width=120)
                export_scope = gr.Radio(list(EXPORT_SCOPES), value=EXPORT_SCOPES[0], show_label=False,
                                        container=False, elem_id="export-scope", scale=2)
            export_dl = gr.DownloadButton("下载", visible="hidden", elem_id="export-dl")
            feedback = FeedbackForm(place)
            asked = gr.Radio([], label="本次会话的问题（点选重新打开回答与出处）", elem_id="session-questions")
            gr.Examples(EXAMPLES, inputs=question, label="示例问题")
        with gr.Column(scale=6):
            status = gr.Markdown(index_status_text(place.live.current))
            with gr.Accordion("检索设置", open=False):
                default_k = settings.answer_top_k  # the range holds any allowed default
                top_k = gr.Slider(min(3, default_k), max(10, default_k), value=default_k, step=1, label="检索段落数")
                mode = gr.Radio(MODE_CHOICES, value="hybrid", label="检索方式")
                only_reports = gr.Dropdown(list(reports_of()), multiselect=True, label="只在这些报告中检索")
            gr.HTML(READER_PANEL.format(name="reader"))
            sources = gr.HTML(label="出处", elem_id="sources")
            pick_box = gr.Dropdown([], label="选择要复制的引用", elem_id="pick-box")
            copy_box = gr.Textbox(label="引用原文与出处（点右上角按钮复制）", lines=6, buttons=["copy"],
                                  elem_id="copy-box")
    taken = gr.State("")
    return ChatLayout(chat, question, send, export_word, export_md, export_scope, export_dl, feedback, asked,
                      status, top_k, mode, only_reports, sources, pick_box, copy_box, copy_texts, entries, current,
                      taken)


def wire_answering(layout: ChatLayout, events: ChatEvents) -> None:
    """提问 (or Enter): the question leaves the box, the answer streams in, then the button is enabled again."""
    question, taken, send = layout.question, layout.taken, layout.send
    inputs = [taken, layout.chat, layout.top_k, layout.mode, layout.only_reports, layout.entries]
    outputs = [layout.chat, layout.sources, layout.pick_box, layout.copy_box, layout.copy_texts, layout.entries,
               layout.asked, layout.current]
    # Enter in the question box clicks the send button (page script in ui/server.py), so one event serves both.
    # The click takes the question out of the box and disables the button until the answer is done, so a
    # question typed meanwhile stays in the box (Enter and clicks do nothing) instead of being wiped unanswered.
    # One search at a time across the chat and the API: search is CPU-bound, its query cache not thread-safe.
    # If the answer fails (e.g. 拒绝访问), the question goes back into the box unless another one is there.
    # (Gradio 6's page runs only .failure listeners after an error, not .then ones: both paths enable the button.)
    answered = send.click(take_question, question, [question, taken, send], api_visibility="private",
                          queue=False).then(events.respond, inputs, outputs, api_visibility="private",
                                            concurrency_id="search")
    answered.success(ready_button, None, send, api_visibility="private", queue=False)
    answered.failure(give_back_question, [taken, question], [question, send], api_visibility="private", queue=False)


def wire_copy_and_reopen(layout: ChatLayout, events: ChatEvents) -> None:
    """The copy box follows the quote picked; a question picked in the session's list reopens its answer's sources
    and scrolls the chat to it."""
    layout.pick_box.change(lambda choice, texts: texts.get(choice, ""), [layout.pick_box, layout.copy_texts],
                           layout.copy_box, api_visibility="private")
    shown = [layout.sources, layout.pick_box, layout.copy_box, layout.copy_texts, layout.current]
    layout.asked.input(events.reopen, [layout.asked, layout.entries], shown, api_visibility="private").then(
        None, layout.asked, None, js=SCROLL_TO_MESSAGE)


def wire_export(layout: ChatLayout, events: ChatEvents) -> None:
    """导出 Word / 导出 Markdown: the file is written, then downloaded through the hidden download button."""
    for button, handler in ((layout.export_word, events.export_docx), (layout.export_md, events.export_markdown)):
        # Gradio has no "generate, then download" in one click: the file goes to a hidden download button,
        # which the follow-up step clicks in the page.
        button.click(handler, [layout.export_scope, layout.entries, layout.current], layout.export_dl,
                     api_visibility="private").success(
            None, None, None, js="() => document.querySelector('#export-dl')?.click()")


def build_chat(place: Workplace) -> ChatTab:
    """The 问答 tab's components and events and the ``/ask`` API, in the current Blocks context."""
    reports_of = ReportChoices(place)
    events = ChatEvents(place, reports_of, ReportLibrary.shared(place.settings))
    layout = lay_out_chat(place, reports_of)
    wire_answering(layout, events)
    wire_copy_and_reopen(layout, events)
    wire_export(layout, events)
    layout.feedback.wire(layout.chat, layout.entries)
    layout.chat.clear(cleared, None, [layout.entries, layout.asked, layout.current, layout.sources, layout.pick_box,
                                      layout.copy_box, layout.copy_texts], api_visibility="private")
    gr.api(ask_api(place), api_name="ask", concurrency_id="search")
    return ChatTab(layout.status, layout.only_reports, reports_of)


SCROLL_TO_MESSAGE = """(index) => {
  const messages = document.querySelectorAll('#chat [data-testid="user"], #chat [data-testid="bot"]');
  const message = messages[index];
  if (message) message.scrollIntoView({block: 'start', behavior: 'smooth'});
}"""
"""Scrolls the chat to the answer reopened from the question list (its position in the chat)."""
