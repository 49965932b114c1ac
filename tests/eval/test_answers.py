"""Answer-level metrics against hand-made replies, and the unanswerable part of the gold set."""

from __future__ import annotations

import pytest

from eval.answers import citations_exact, judge, point_lines, says_not_found, summarise_answers
from eval.evaluate import GOLD, GoldQuestion, load_gold
from index.text.normalise import normalise_for_match
from retriever.answer.citation import Citation
from retriever.answer.service import Reply
from retriever.hits import Hit

PASSAGE = "社区办公用房普遍不足。如截山社区办公用房仅144平方米。"


def hit() -> Hit:
    return Hit(id="c", file="a.txt", report=1, report_title="报告", section_path=[], line_start=1, line_end=2,
               rank=1, score=1.0, text=PASSAGE)


def question(evidence: list[str]) -> GoldQuestion:
    item = GoldQuestion("q", "哪些社区办公用房不达标", evidence, "list" if evidence else "unanswerable")
    item.evidence_norm = [normalise_for_match(e) for e in evidence]
    return item


def test_points_and_exactness():
    citation = Citation(1, hit(), [(11, 28)])
    good = "关于“办公用房”：\n\n《报告》\n- 如截山社区办公用房仅144平方米。 [1]"
    assert point_lines(good) == [("如截山社区办公用房仅144平方米。", [1])]
    assert citations_exact(good, [citation])
    assert not citations_exact(good.replace("144", "145"), [citation])  # not the passage's text
    assert not citations_exact(good.replace("[1]", "[2]"), [citation])  # cites nothing


def test_hit_coverage_and_abstention_are_judged_on_the_answer_text():
    citation = Citation(1, hit(), [(11, 28)])
    text = "关于“办公用房”：\n- 如截山社区办公用房仅144平方米。 [1]"
    result = judge(question(["截山社区办公用房仅144平方米", "金钟社区用房仅20平方米"]), Reply(text, [citation], True))
    assert result.hit and result.coverage == 0.5 and result.missed == ["金钟社区用房仅20平方米"]
    refused = Reply("报告中未找到关于“图书馆”的内容。\n[1] 可能相关：《报告》…", [citation], False)
    assert says_not_found(refused)
    assert not says_not_found(Reply("未找到", [], True))  # found=True never counts as abstaining
    wrong = judge(question(["截山社区办公用房仅144平方米"]), refused)
    assert wrong.abstained and not wrong.hit and wrong.coverage == 0
    figures = summarise_answers([result, wrong, judge(question([]), refused)])
    assert figures["false_not_found"] == 0.5 and figures["abstention"] == 1.0


def test_gold_set_holds_enough_unanswerable_questions_whose_subject_the_reports_never_mention(corpus_chunks):
    import json

    gold = load_gold(GOLD)
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    unanswerable = [r for r in rows if r["type"] == "unanswerable"]
    assert len(unanswerable) >= 30
    assert sum(r["kind"] == "near" for r in unanswerable) >= 20 and sum(r["kind"] == "far" for r in unanswerable) >= 10
    assert {r["split"] for r in unanswerable} == {"dev", "holdout"}
    corpus = normalise_for_match("".join(c.text for c in corpus_chunks.chunks)).lower()
    for row in unanswerable:
        for term in row["absent_terms"]:
            assert normalise_for_match(term).lower() not in corpus, (row["id"], term)
    assert len([g for g in gold if not g.evidence]) == len(unanswerable)


@pytest.mark.parametrize("line", [
    '{"id": "x", "question": "问", "evidence": [], "type": "list"}',
    '{"id": "x", "question": "问", "evidence": ["证据"], "type": "unanswerable"}',
])
def test_evidence_and_type_must_agree(tmp_path, line):
    from eval.evaluate import GoldFileError

    path = tmp_path / "g.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(GoldFileError):
        load_gold(path)
