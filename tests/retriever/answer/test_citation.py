"""Citations of real answers: the source line names the quoted sentence's own sub-section and original lines."""

from __future__ import annotations

import pytest

from core.settings import PROJECT_ROOT
from index.text.load import read_document
from index.text.normalise import normalise_for_match
from index.text.records import quoted_location
from retriever.answer.citation import Citation
from retriever.answer.service import AnswerService
from tests.helpers import original_line_forms, original_line_of

QUESTION = "哪些社区办公用房不达标"


@pytest.fixture(scope="module")
def office_reply(retriever):
    reply = AnswerService(retriever).ask(QUESTION)
    assert reply.found
    return reply


@pytest.fixture(scope="module")
def merged_citation(office_reply) -> Citation:
    """The passage that joins 二、存在问题 with its sub-sections 1–3, quoted for the 70平米 office (line 595)."""
    return next(c for c in office_reply.citations if "只有70平米" in c.hit.text)


def test_a_quote_in_a_merged_passage_is_cited_under_its_own_sub_section_and_line(merged_citation):
    hit, quoted_text = merged_citation.hit, [merged_citation.hit.text[a:b] for a, b in merged_citation.spans]
    line = original_line_of(hit, next(t for t in quoted_text if "70平米" in t))
    assert hit.section_path == ["二、存在问题"] and hit.line_start < line  # the passage starts lines earlier
    assert merged_citation.quoted().section_path == ["二、存在问题", "3、社区办公用房尚未达标"]
    assert merged_citation.source_line() == (
        f"（来源：《{hit.report_title}》二、存在问题 > 3、社区办公用房尚未达标，{hit.file} 第10篇 第{line}行）")
    assert merged_citation.quoted_note() == f"引用句：3、社区办公用房尚未达标，第{line}行"
    # the copy box pastes the whole passage, so it names the passage's own section and lines
    assert merged_citation.copy_text().endswith(f"（来源：{hit.source()}）") and hit.source().endswith("第587—595行")


def test_every_quoted_line_of_a_real_answer_is_the_line_that_holds_the_sentence(office_reply):
    for citation in office_reply.citations:
        hit = citation.hit
        forms = original_line_forms(read_document(PROJECT_ROOT / "corpus" / hit.file).lines)
        for start, end in citation.spans:
            (first, last), = hit.quoted_lines([(start, end)])
            # the sentence lies in those lines of the file (a sentence may run over a line break)
            assert normalise_for_match(hit.text[start:end].replace("\n", "")) in "".join(forms[first - 1:last])
            assert normalise_for_match(hit.text[start:end].split("\n")[0]) in forms[first - 1]
        quoted = citation.quoted()
        assert hit.line_start <= quoted.line_start <= quoted.line_end <= hit.line_end
        assert quoted.section_path[: len(hit.section_path)] == hit.section_path


def test_sources_carry_where_the_quotes_lie_and_come_back_whole(office_reply, merged_citation):
    data = merged_citation.to_dict()
    assert data["quoted"]["section_path"] == ["二、存在问题", "3、社区办公用房尚未达标"]
    assert data["quoted"]["lines"] == [[data["quoted"]["line_start"], data["quoted"]["line_end"]]]
    for citation in office_reply.citations:
        back = Citation.from_dict(citation.to_dict())
        assert back.to_dict() == citation.to_dict() and back.source_line() == citation.source_line()
    # an answer saved before the index kept its marks still reads, cited by its passage's place
    old = Citation.from_dict({k: v for k, v in data.items() if k not in ("line_starts", "section_starts", "quoted")})
    assert old.source_line() == f"（来源：{merged_citation.hit.source()}）" and old.quoted_note() == ""



@pytest.mark.parametrize("question", [
    "老党员不会用智能手机，线上学习参加不了", "社区建设领导小组和联席会议怎么统一规划协调",
    QUESTION, "社区工作者待遇怎么样", "各地社区都组建了哪些志愿者队伍"])
def test_a_citation_names_a_section_that_holds_every_sentence_it_quotes(retriever, question):
    """Two quoted sentences of one passage under two sub-sections were labelled with the first one's: a point
    from "6.大数据平台…" (002 line 275) was cited under "5.辖区居民学法守法…"."""
    reply = AnswerService(retriever).ask(question)
    for citation in (c for c in reply.citations if c.spans):
        path = citation.quoted().section_path
        for span in citation.spans:
            own = quoted_location(citation.hit, citation.hit.line_starts, citation.hit.section_starts, [span])
            assert own.section_path[: len(path)] == path, (question, own.section_path, path)
