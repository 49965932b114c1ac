"""The "我的提问" tab: a user's own earlier questions, each reopened with its answer and source cards.

Entries come from :class:`office.history.History` and are always looked up under the
asking user's name, so an entry id of someone else opens nothing. The answer and its
cards are drawn exactly as the chat draws them (:func:`ui.chat.chat_text`,
:func:`ui.cards.cards_html`).

Usage::

    with gr.Tab("我的提问") as tab:
        build_history(place, tab)
"""

from __future__ import annotations

import gradio as gr

from core.clock import readable_time
from office.history import HistoryEntry
from office.workplace import Workplace
from retriever.answer.citation import Citation
from ui.access import session
from ui.cards import cards_html
from ui.chat import chat_text
from ui.reader import ReportLibrary
from ui.search_page import READER_PANEL
from ui.session import link_citations

NOTHING_YET = "还没有提问记录。在“问答”页提出的问题会出现在这里。"


def entry_view(entry: HistoryEntry, library: ReportLibrary | None = None) -> tuple[list[dict], str]:
    """The entry as the chat shows it: the two messages, and the source cards (with ``library``, naming the
    lines of the quoted sentences)."""
    citations = [Citation.from_dict(source) for source in entry.sources]
    messages = [{"role": "user", "content": chat_text(entry.question)},
                {"role": "assistant", "content": link_citations(chat_text(entry.answer), citations)}]
    return messages, cards_html(citations, library)


def build_history(place: Workplace, tab: gr.Tab) -> None:
    """The tab's components and events, in the current Blocks context; the list is read when ``tab`` is opened."""
    gr.Markdown("只显示你自己的提问。选择一条可重新打开当时的回答与出处。")
    with gr.Row():
        entries = gr.Dropdown([], label="我的提问（最新在前）", elem_id="history-list", scale=4,
                              allow_custom_value=True)  # ids are checked against the user in reopen()
        refresh = gr.Button("刷新", elem_id="history-refresh", scale=1)
    note = gr.Markdown(elem_id="history-note")
    with gr.Row():
        with gr.Column(scale=3):
            chat = gr.Chatbot(label="当时的回答", height=360, buttons=[], sanitize_html=True, elem_id="history-chat")
        with gr.Column(scale=3):
            gr.HTML(READER_PANEL.format(name="history-reader"))
            cards = gr.HTML(elem_id="history-sources")

    def listing(request: gr.Request):
        who = session(place, request)
        rows = place.history.recent(who.user, place.settings.history_rows)
        choices = [(entry.label(), entry.id) for entry in rows]
        return gr.update(choices=choices, value=None), "" if rows else NOTHING_YET

    def reopen(entry_id: int | None, request: gr.Request):
        who = session(place, request)
        if entry_id is None:
            return [], "", ""
        entry = place.history.get(who.user, int(entry_id)) if str(entry_id).isdigit() else None
        if entry is None:
            raise gr.Error("没有这条提问记录（可能已被清理），请刷新列表。")
        messages, html_cards = entry_view(entry, ReportLibrary.shared(place.settings))
        return messages, html_cards, f"提问时间：{readable_time(entry.asked_at)}"

    refresh.click(listing, None, [entries, note], api_name="my_history", api_visibility="undocumented")
    tab.select(listing, None, [entries, note], api_visibility="private")
    entries.input(reopen, entries, [chat, cards, note], api_name="reopen_history", api_visibility="undocumented")
