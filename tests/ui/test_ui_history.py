"""The 我的提问 tab (ui/history.py): each user sees and reopens only their own questions.

The shared app of tests/ui/conftest.py (``app``: login on, an admin ``boss``, a reader ``li``), over real
HTTP on loopback.
"""

from __future__ import annotations

import pytest
from gradio_client.exceptions import AppError

from tests.helpers import audit

pytestmark = pytest.mark.slow  # a server over a copy of the slices index


def test_each_user_sees_and_reopens_only_their_own_questions(app, admin, reader):
    reader.predict("社区经费从哪里来", api_name="/ask")
    listing, _ = reader.predict(api_name="/my_history")
    entries = listing["choices"]
    assert entries and entries[0][0].endswith("社区经费从哪里来")
    entry_id = entries[0][1]
    messages, cards, note = reader.predict(entry_id, api_name="/reopen_history")
    question, answer = ("".join(part["text"] for part in m["content"]) for m in messages)
    assert question == "社区经费从哪里来" and "\\[1\\]" in answer  # escaped for Markdown, as the chat shows it
    assert "class='card'" in cards and note.startswith("提问时间：")
    with pytest.raises(AppError, match="没有这条提问记录"):
        admin.predict(entry_id, api_name="/reopen_history")
    own, _ = admin.predict(api_name="/my_history")
    assert all(not label.endswith("社区经费从哪里来") for label, _ in own["choices"])
    asked = audit(app, action="question", user="li")
    assert asked[0].detail["question"] == "社区经费从哪里来" and asked[0].detail["via"] == "api"
