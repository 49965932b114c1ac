"""👍/👎 on answers in the chat: the reason form and the events that append to the feedback log.

A 👍 is recorded at once. A 👎 opens a small form (reason: 答案不对 / 出处不对 /
漏了应有内容 / 其他, optional comment); the record is written when it is sent.
Clicking the same thumb again takes the vote back (an ``undo`` record, so the log
stays append-only). Records go to :class:`retriever.answer.feedback.FeedbackLog`
(``settings.data_dir / settings.feedback_file``), with the user name when a login is
configured. Every vote is checked like every other event (:func:`ui.access.session`) and
audited as ``feedback``.

Gradio 6.31 notes (see the colleague's findings): ``LikeData.liked`` is True, False, or
``""`` for an undo; ``LikeData.index`` is the message's position in the chat.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from office.workplace import Workplace
from retriever.answer.feedback import DOWN, REASONS, UNDO, UP, FeedbackLog
from retriever.answer.service import AnswerService
from ui.access import session
from ui.session import SessionEntry, entry_at_message

SHOW_FORM = """() => { setTimeout(() => {
  const form = document.getElementById('feedback-form');
  const shown = form && form.offsetParent !== null ? form : document.getElementById('feedback-status');
  if (shown) shown.scrollIntoView({block: 'nearest', behavior: 'smooth'});
}, 150); }"""
"""After a thumb: scroll the page so that the reason form (or the status line) is in view; it sits under the
chat, below the export buttons, out of sight on a laptop screen."""


def answer_settings(service: AnswerService) -> dict[str, Any]:
    """What a feedback record keeps to reproduce the answer with the same code: the index (model, tokenizer,
    build time) and every setting that differs from its default (secrets left out; the chat adds the
    question's own top_k, mode and report filter)."""
    manifest, settings = service.retriever.stored.manifest, service.settings
    return {"model": manifest.model, "index_built_at": manifest.built_at,
            "tokenizer": manifest.tokenizer, "llm": bool(settings.llm_base_url),
            "changed_settings": settings.changed()}


class FeedbackForm:
    """The reason form under the chat and the handlers behind it (build inside the chat column)."""

    def __init__(self, place: Workplace, log: FeedbackLog | None = None) -> None:
        self.place = place
        self.log = log or FeedbackLog.of(place.settings)
        with gr.Group(visible=False, elem_id="feedback-form") as self.form:
            self.reason = gr.Radio(list(REASONS), label="这条回答哪里不对？", elem_id="feedback-reason")
            self.comment = gr.Textbox(label="补充说明（可不填）", lines=2, max_lines=6, elem_id="feedback-comment")
            with gr.Row():
                self.submit = gr.Button("提交反馈", variant="primary", size="sm", elem_id="feedback-submit")
                self.cancel = gr.Button("取消", size="sm", elem_id="feedback-cancel")
        self.status = gr.Markdown(elem_id="feedback-status")
        self.pending = gr.State(None)  # the answer_id the open form is about
        self.voted = gr.State({})  # answer_id → last vote recorded in this session

    def wire(self, chat: gr.Chatbot, entries: gr.State) -> None:
        """Connect the chat's thumbs and the form's buttons."""
        closed = [self.form, self.reason, self.comment]
        chat.like(self.on_like, [entries, self.voted], [*closed, self.pending, self.voted, self.status],
                  api_visibility="private").then(None, None, None, js=SHOW_FORM, api_visibility="private")
        self.submit.click(self.on_submit, [entries, self.pending, self.reason, self.comment, self.voted],
                          [*closed, self.pending, self.voted, self.status], api_visibility="private")
        self.cancel.click(lambda: (gr.Group(visible=False), None, "", None, "已取消，未记录。"), None,
                          [*closed, self.pending, self.status], api_visibility="private")

    def _append(self, entry: SessionEntry, vote: str, request: gr.Request | None, reason: str = "",
                comment: str = "") -> None:
        who = session(self.place, request)
        user = who.user if self.place.login_required else None
        try:
            self.log.append(entry.feedback(vote, user, reason, comment))
        except OSError as error:  # a full disk or a lock held too long: say so, keep the app running
            raise gr.Error(f"反馈未能保存：{error}") from error
        self.place.record(who, "feedback", vote=vote, reason=reason, question=entry.question[:100])

    def on_like(self, entries: list[SessionEntry], voted: dict[str, str], data: gr.LikeData,
                request: gr.Request = None):
        """👍 records at once; 👎 opens the form; the same thumb again takes the vote back."""
        keep = gr.Group(visible=False), None, ""
        entry = entry_at_message(entries or [], data.index if isinstance(data.index, int) else None)
        if entry is None:
            return *keep, None, voted, "这条消息不是回答，无需评价。"
        voted = dict(voted or {})
        if data.liked == "":  # undo
            if voted.get(entry.answer_id) in (UP, DOWN):
                self._append(entry, UNDO, request)
                voted[entry.answer_id] = UNDO
                return *keep, None, voted, "已撤销对这条回答的评价。"
            return *keep, None, voted, "已取消。"
        if data.liked is True:
            self._append(entry, UP, request)
            voted[entry.answer_id] = UP
            return *keep, None, voted, "已记录：这条回答有帮助（👍），谢谢！"
        asked = entry.question if len(entry.question) <= 40 else entry.question[:40] + "…"
        return (gr.Group(visible=True), gr.Radio(value=None, label=f"这条回答哪里不对？（问题：{asked}）"), "",
                entry.answer_id, voted, "请选择原因后点“提交反馈”。")

    def on_submit(self, entries: list[SessionEntry], pending: str | None, reason: str | None, comment: str,
                  voted: dict[str, str], request: gr.Request = None):
        """Write the 👎 record with its reason and comment, then close the form."""
        entry = next((e for e in entries or [] if e.answer_id == pending), None)
        if entry is None:
            return gr.Group(visible=False), None, "", None, voted, "这条回答已不在对话中，未记录。"
        if not reason:
            return gr.Group(visible=True), reason, comment, pending, voted, "请先选择一个原因。"
        self._append(entry, DOWN, request, reason, comment or "")
        voted = dict(voted or {}) | {entry.answer_id: DOWN}
        return gr.Group(visible=False), None, "", None, voted, f"已记录 👎（{reason}），谢谢！维护人员会据此改进。"
