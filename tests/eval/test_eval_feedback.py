"""From 👎 feedback to gold questions: `python -m eval.feedback candidates`, review, then eval/evaluate.py --gold."""

from __future__ import annotations

import json

import pytest

from eval.evaluate import GoldFileError, load_gold
from eval.evaluate import main as evaluate_main
from eval.feedback import CANDIDATE, candidate_id
from eval.feedback import main as feedback_main
from retriever.answer.feedback import DOWN, UNDO, UP, FeedbackLog, FeedbackRecord

QUESTION = "哪些社区办公用房不达标"


@pytest.fixture()
def feedback_file(tmp_path, retriever):
    """A log with a 👎 on a real answer's passages, a 👍, a 👎 taken back, and a malformed line."""
    hits = retriever.search(QUESTION, k=3)
    log = FeedbackLog(tmp_path / "feedback.jsonl")
    ids = [h.id for h in hits]
    log.append(FeedbackRecord(QUESTION, "……[1]", DOWN, ids, "漏了应有内容", "没提鱼儿山社区", "official",
                              answer_id="a1"))
    log.append(FeedbackRecord(QUESTION, "……[2]", DOWN, [ids[0], "gone"], "出处不对", "", "other", answer_id="a2"))
    log.append(FeedbackRecord("社区经费从哪里来", "……", UP, ids[:1], answer_id="a3"))
    log.append(FeedbackRecord("三社联动", "……", DOWN, ids[:1], "答案不对", answer_id="a4"))
    log.append(FeedbackRecord("三社联动", "……", UNDO, ids[:1], answer_id="a4"))
    with open(log.path, "a", encoding="utf-8") as handle:
        handle.write("{broken\n")
    return log.path, hits


def test_candidates_hold_the_downvoted_question_and_the_passages_shown(tmp_path, feedback_file, capsys):
    path, hits = feedback_file
    out = tmp_path / "candidates.jsonl"
    assert feedback_main(["candidates", "--feedback", str(path), "--out", str(out)]) == 0
    assert "新增候选题 1 个" in capsys.readouterr().out
    (item,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert item["id"] == candidate_id(QUESTION) and item["question"] == QUESTION
    assert item["evidence"] == [] and item["type"] == CANDIDATE
    assert item["reasons"] == ["漏了应有内容", "出处不对"] and item["comments"] == ["没提鱼儿山社区"]
    assert [s["id"] for s in item["shown"]] == [h.id for h in hits] + ["gone"]
    for shown, hit in zip(item["shown"], hits):
        assert shown["text"] == hit.text and shown["source"] == hit.source()
    assert item["shown"][-1]["text"] == "" and "不在当前索引" in item["shown"][-1]["source"]

    with pytest.raises(GoldFileError, match="第1行.*尚未审核的反馈候选题.*evidence"):
        load_gold(out)

    # Reviewed: evidence copied from a shown passage, a real type. The evaluator now takes the file.
    evidence = next(s["text"] for s in item["shown"] if "截山社区" in s["text"])
    sentence = evidence[evidence.index("截山社区"):].split("，")[0]
    out.write_text(json.dumps(item | {"evidence": [sentence], "type": "list"}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    assert [g.evidence for g in load_gold(out)] == [[sentence]]
    assert evaluate_main(["--gold", str(out), "--modes", "bm25", "--no-answers", "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert metrics["bm25"]["recall@10"] == 1.0
    assert (tmp_path / "candidates.report.md").is_file()

    # A second run keeps the reviewed line and adds nothing twice.
    assert feedback_main(["candidates", "--feedback", str(path), "--out", str(out)]) == 0
    assert "新增候选题 0 个，已有 1 个" in capsys.readouterr().out
    assert json.loads(out.read_text(encoding="utf-8"))["evidence"] == [sentence]


def test_summary_counts_latest_votes_and_skips_the_bad_line(feedback_file, capsys, caplog):
    path, _ = feedback_file
    assert feedback_main(["summary", "--feedback", str(path)]) == 0
    out = capsys.readouterr().out
    assert "记录 5 条" in out and "👍 1，👎 2" in out and "👎 漏了应有内容：1" in out
    assert any("第6行无法读取" in r.getMessage() for r in caplog.records)
