"""The reader's library of parsed corpus files (ui/reader/library.py): a changed file re-read, paths outside the
corpus refused, and the original lines of a real answer's quoted sentences named on its source card.
"""

from __future__ import annotations

import re

from core.settings import Settings
from retriever.answer.citation import Citation
from retriever.answer.service import AnswerService
from tests.helpers import FUNDING_REPORT_LINES as LINES
from tests.helpers import original_line_of, quoted_passage, write_report
from ui.cards import card_html, quoted_note, sources_html
from ui.reader import ReportLibrary, anchor_id
from ui.session import SessionEntry


def test_library_rereads_a_changed_file_and_refuses_paths_outside(tmp_path):
    settings = Settings(corpus=tmp_path / "corpus")
    settings.corpus.mkdir()
    (tmp_path / "secret.txt").write_text("秘密", encoding="utf-8")
    path = write_report(settings.corpus, ".txt", LINES)
    library = ReportLibrary(settings)
    assert library.view(path.name, 1).title == LINES[0]
    path.write_text("\n".join(["新的调研报告", *LINES[1:]]), encoding="utf-8")
    assert library.view(path.name, 1).title == "新的调研报告"
    assert library.view(path.name, 9) is None
    assert library.path("../secret.txt") is None and library.path(str(tmp_path / "secret.txt")) is None
    assert re.fullmatch(r"c-[A-Za-z0-9_-]+", anchor_id("ab/c d#1"))


def test_a_source_card_names_the_original_line_of_its_quoted_sentence(retriever):
    chunk, (start, end) = quoted_passage(retriever)
    line = original_line_of(chunk, chunk.text[start:end])
    library = ReportLibrary.shared(retriever.settings)
    assert library is ReportLibrary.shared(retriever.settings)  # one parse cache for the routes and the cards
    assert library.quoted_lines(chunk, chunk.text, [(start, end)]) == f"第{line}行"
    assert library.quoted_lines(chunk, chunk.text, []) == ""
    assert library.quoted_lines(chunk, "不在报告里的段落。", [(0, 4)]) == ""  # changed since indexing: no claim

    reply = AnswerService(retriever).ask("哪些社区办公用房不达标")
    citation = next(c for c in reply.citations if c.hit.id == chunk.id)
    quoted = [chunk.text[s:e] for s, e in citation.spans]
    lines = sorted({original_line_of(chunk, sentence) for sentence in quoted})
    expected = f"第{lines[0]}行" if len(lines) == 1 else f"第{lines[0]}—{lines[-1]}行"
    assert library.quoted_lines(citation.hit, citation.hit.text, citation.spans) == expected
    assert citation.quoted_lines_text() == expected  # the index's marks say what the file says
    card = card_html(citation, quoted_note(citation, library))
    # the passage joins 二、存在问题's sub-sections 1–3; the quoted sentence is under the third
    assert citation.hit.section_path == ["二、存在问题"]
    assert f"引用句：3、社区办公用房尚未达标，{expected}</span>" in card
    entry = SessionEntry("哪些社区办公用房不达标", reply.text, reply.citations, reply.found)
    assert f"引用句：3、社区办公用房尚未达标，{expected}" in sources_html(entry, library)
    saved = [Citation.from_dict({k: v for k, v in c.to_dict().items() if k not in ("line_starts", "section_starts")})
             for c in reply.citations]  # an answer saved before the index kept its marks
    old_entry = SessionEntry(entry.question, reply.text, saved, reply.found)
    assert f"引用句：{expected}" in sources_html(old_entry, library)  # found in the report file instead
    assert "引用句" not in sources_html(old_entry)
