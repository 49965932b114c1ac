"""The chat page: question box, streamed cited answer, source cards, copy box, and the ``/ask`` API.

Only Gradio wiring lives here: the answering itself is
:class:`retriever.answer.service.AnswerService`, served also as the API endpoint
``/ask`` (see README, "程序调用"). Questions go to the workplace's live service, which an
index update swaps; with a workplace, each question is checked (a reader's right), kept
in the user's history and written to the audit log.

Example::

    >>> demo = build_app(AnswerService.open(Settings()))
    >>> demo.queue(default_concurrency_limit=1).launch(server_name="127.0.0.1", css=CSS)
"""

from __future__ import annotations

import html
import re

import gradio as gr

from core.settings import MODES
from office.workplace import Workplace
from retriever.answer.citation import Citation
from retriever.answer.service import AnswerService, with_notices
from ui.access import session

EXAMPLES = ["哪些社区办公用房不达标", "社区工作者待遇怎么样", "三社联动", "农村社区建设有哪几种模式",
            "社区经费从哪里来"]
FOLLOW_UP = re.compile(r"^(那|那么|还有|另外|具体|其中|它们|他们|这些|那些)")
WHOLE_ANSWER = "回答全文与出处"
# Characters the chat's Markdown would act on (e.g. the reports' anonymised "**" names would turn into bold).
MARKDOWN_SPECIAL = re.compile(r"([\\`*_~#\[\]])")

CSS = """
.card {border:1px solid #ddd; border-radius:8px; padding:10px 12px; margin:8px 0; background:#fafafa}
.card .meta {color:#555; font-size:0.9em; margin-bottom:6px}
.card .text {white-space:pre-wrap; line-height:1.6}
.card mark {background:#ffe58f}
.card .dups {color:#777; font-size:0.85em; margin-top:6px}
"""


def combine_with_history(question: str, history: list[dict], max_chars: int) -> str:
    """Join an elliptical follow-up ("那农村社区呢？", or any question up to ``max_chars``) with the previous one."""
    previous = [unchat_text(m["content"]) for m in history
                if m.get("role") == "user" and isinstance(m.get("content"), str)]
    if previous and (FOLLOW_UP.match(question) or len(question) <= max_chars):
        return f"{previous[-1]} {question}"
    return question


def chat_text(text: str) -> str:
    """Text for the chat, which renders Markdown and HTML: both are escaped, so the text shows literally."""
    return html.escape(MARKDOWN_SPECIAL.sub(r"\\\1", text))


def unchat_text(content: str) -> str:
    """The text that :func:`chat_text` escaped (used to read the previous question back)."""
    return re.sub(r"\\([\\`*_~#\[\]])", r"\1", html.unescape(content))


def whole_answer_text(text: str, citations: list[Citation]) -> str:
    """The answer as plain text followed by its numbered sources, as pasted into a draft."""
    return with_notices(text, "\n出处：" if citations else "", *(f"[{c.n}] {c.source_line()}" for c in citations))


def copy_choices(text: str, citations: list[Citation]) -> dict[str, str]:
    """Copy-box choices (each cited passage, then the whole answer) and the plain text each one copies."""
    choices = {f"[{c.n}] 《{c.hit.report_title}》{c.hit.line_span()}": c.copy_text()
               for c in citations}
    return choices | {WHOLE_ANSWER: whole_answer_text(text, citations)}


def card_html(citation: Citation) -> str:
    """A source card: everything from the report is escaped; cited sentences are marked."""
    hit = citation.hit
    text, parts, cursor = hit.text, [], 0
    for start, end in citation.spans:
        parts += [html.escape(text[cursor:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        cursor = end
    parts.append(html.escape(text[cursor:]))
    dups = "".join(
        f"<div>同一段落也见于《{html.escape(d.report_title)}》{html.escape(d.where())}</div>"
        for d in hit.duplicates
    )
    return (
        f"<div class='card'><div class='meta'><b>[{citation.n}] 《{html.escape(hit.report_title)}》</b> "
        f"{html.escape(hit.path_text('正文开头'))}<br>{html.escape(hit.where())}</div>"
        f"<div class='text'>{''.join(parts)}</div>"
        + (f"<div class='dups'>{dups}</div>" if dups else "")
        + "</div>"
    )


def report_labels(service: AnswerService) -> dict[str, tuple[str, int]]:
    """The "只在这些报告中检索" choices of an index: label → (file, report number)."""
    reports: dict[str, tuple[str, int]] = {}
    for chunk in service.retriever.chunks:
        label = f"{chunk.file[:40]} · 第{chunk.report}篇《{chunk.report_title}》"
        reports.setdefault(label, (chunk.file, chunk.report))
    return reports


def index_status_text(service: AnswerService) -> str:
    """The index line shown beside the chat."""
    manifest = service.retriever.stored.manifest
    return (f"**索引**：报告 {manifest['reports']} 篇，片段 {manifest['chunks']} 个，模型 {manifest['model']}，"
            f"建立于 {manifest['built_at']}")


def build_app(service: AnswerService, place: Workplace | None = None) -> gr.Blocks:
    """The Gradio interface (chat, sources, copy box, settings) and the ``/ask`` API.

    With ``place`` (the app as :func:`ui.server.start` serves it) questions go to its live
    service and are checked, kept in the history and audited; without it, to ``service``.
    """
    settings = service.settings
    current = (lambda: place.live.current) if place is not None else (lambda: service)
    labels: dict[AnswerService, dict[str, tuple[str, int]]] = {}

    def reports_of(answering: AnswerService) -> dict[str, tuple[str, int]]:
        """Report choices of the service answering now (computed once per index, the old one forgotten)."""
        if answering not in labels:
            labels.clear()
            labels[answering] = report_labels(answering)
        return labels[answering]

    def ask(question: str, top_k: int = settings.answer_top_k, mode: str = "hybrid",
            request: gr.Request = None) -> tuple[str, list[dict], bool]:
        """Answer a question: the answer text with [n] markers, the cited sources as data, and whether it was found.

        ``found`` is false when the reports do not answer the question; the answer's first line then says 未找到.
        """
        who = session(place, request) if place is not None else None
        answering = current()
        reply = answering.ask(question, int(top_k), mode)
        sources = [c.to_dict() for c in reply.citations]
        asked = answering.prepare(question).text
        if who is not None and asked:  # the hint answering an empty question is not kept
            place.asked(who, asked, reply.text, reply.found, sources, via="api")
        return reply.text, sources, reply.found

    def respond(message: str, history: list[dict], top_k: int, mode: str, only_reports: list[str],
                request: gr.Request):
        who = session(place, request) if place is not None else None
        answering = current()  # the whole answer comes from one index, even if an update swaps it meanwhile
        reports = reports_of(answering)
        prepared = answering.prepare(message)
        nothing = gr.update(choices=[], value=None), "", {}
        if not prepared.text:  # empty: only a hint, no search
            yield [*history, {"role": "assistant", "content": prepared.hint}], "", *nothing
            return
        query = combine_with_history(prepared.text, history, settings.follow_up_max_chars)
        # Chat content is escaped: a question or report text is always shown as text, never as HTML.
        history = [*history, {"role": "user", "content": chat_text(prepared.text)},
                   {"role": "assistant", "content": chat_text(with_notices(prepared.notice, prepared.hint))}]
        if prepared.hint:
            yield history, "", *nothing
            return
        chosen = [reports[label] for label in only_reports or [] if label in reports]
        for answer in answering.stream(query, int(top_k), mode, chosen):
            history[-1]["content"] = chat_text(with_notices(prepared.notice, answer.notice, answer.text))
            yield history, "", gr.update(), "", {}
        if who is not None:
            place.asked(who, prepared.text, with_notices(answer.notice, answer.text), answer.found,
                        [c.to_dict() for c in answer.citations], via="chat")
        choices = copy_choices(answer.text, answer.citations)
        first = next(iter(choices))
        yield (history, "".join(card_html(c) for c in answer.citations),
               gr.update(choices=list(choices), value=first), choices[first], choices)

    with gr.Blocks(title="报告问答") as demo:
        gr.Markdown("# 报告问答\n向社区建设、基层治理调研报告提问，回答中的每一条都标注出处 [n]。")
        copy_texts = gr.State({})
        with gr.Row():
            with gr.Column(scale=3):
                # No per-message copy button: it would copy the escaped markup (&lt;…), not the text.
                chat = gr.Chatbot(label="对话", height=480, buttons=[], sanitize_html=True)
                question = gr.Textbox(label="问题", placeholder="例如：哪些社区办公用房不达标", lines=2,
                                      elem_id="question")
                send = gr.Button("提问", variant="primary")
                gr.Examples(EXAMPLES, inputs=question, label="示例问题")
            with gr.Column(scale=2):
                status = gr.Markdown(index_status_text(service))
                with gr.Accordion("检索设置", open=False):
                    top_k = gr.Slider(3, 10, value=settings.answer_top_k, step=1, label="检索段落数")
                    mode = gr.Radio(list(MODES), value="hybrid", label="检索方式")
                    only_reports = gr.Dropdown(list(reports_of(service)), multiselect=True, label="只在这些报告中检索")
                sources = gr.HTML(label="出处")
                pick_box = gr.Dropdown([], label="选择要复制的引用", elem_id="pick-box")
                copy_box = gr.Textbox(label="引用原文与出处（点右上角按钮复制）", lines=6, buttons=["copy"],
                                      elem_id="copy-box")
        inputs = [question, chat, top_k, mode, only_reports]
        outputs = [chat, sources, pick_box, copy_box, copy_texts]
        # One search at a time across the chat and the API: search is CPU-bound, its query cache not thread-safe.
        send.click(respond, inputs, outputs, api_visibility="private", concurrency_id="search")
        question.submit(respond, inputs, outputs, api_visibility="private", concurrency_id="search")
        question.submit(lambda: "", None, question, api_visibility="private")
        pick_box.change(lambda choice, texts: texts.get(choice, ""), [pick_box, copy_texts], copy_box,
                        api_visibility="private")
        gr.api(ask, api_name="ask", concurrency_id="search")
        def index_now(request: gr.Request):
            """After an index update a newly opened page shows the new index's status and reports."""
            if place is not None:
                session(place, request)
            return index_status_text(current()), gr.update(choices=list(reports_of(current())))

        demo.load(index_now, None, [status, only_reports], api_visibility="private")
    return demo
