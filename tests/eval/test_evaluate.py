"""Metric code against hand-computed cases; the gold set against the real corpus."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tomllib

import pytest

from core.settings import PROJECT_ROOT
from eval.evaluate import (
    EVAL_DIR,
    GOLD,
    MODES_NOT_RUN_FLOORS,
    NO_ANSWER_FLOORS,
    TYPES,
    UNANSWERABLE,
    GoldFileError,
    another_cpus_figures,
    check_floors,
    cpu_maker,
    evaluate_mode,
    load_gold,
    measured_on,
    missing_evidence,
    output_paths,
    report_differences,
    summarise,
)
from eval.metrics import coverage_at, ndcg_at, percentile, recall_at, reciprocal_rank
from index.text.normalise import normalise_for_match


def test_recall_and_reciprocal_rank_by_hand():
    ranked = [False, False, True, False, True]
    assert [recall_at(ranked, k) for k in (1, 2, 3, 5)] == [0.0, 0.0, 1.0, 1.0]
    assert reciprocal_rank(ranked, 10) == pytest.approx(1 / 3)
    assert reciprocal_rank(ranked, 2) == 0.0
    assert reciprocal_rank([], 10) == 0.0


def test_ndcg_by_hand():
    # relevant at ranks 1 and 3, three relevant passages exist:
    # DCG = 1 + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) + 1/log2(4)
    expected = 1.5 / (1 + 1 / math.log2(3) + 0.5)
    assert ndcg_at([True, False, True], 10, 3) == pytest.approx(expected)
    assert ndcg_at([True, False, False], 10, 1) == 1.0
    assert ndcg_at([False, False], 10, 0) == 0.0


def test_coverage_and_percentile_by_hand():
    found = [{0}, set(), {0, 2}, {1}]
    assert coverage_at(found, 3, 4) == 0.5
    assert coverage_at(found, 4, 4) == 0.75
    assert percentile([10, 20, 30, 40], 50) == 25
    assert percentile([10, 20, 30, 40], 95) == pytest.approx(38.5)


def test_gold_set_is_valid_and_every_evidence_string_is_in_the_corpus(corpus_chunks):
    gold = load_gold(EVAL_DIR / "gold.jsonl")
    assert len(gold) >= 60
    assert {g.type for g in gold} == {*TYPES, UNANSWERABLE}
    assert {g.split for g in gold} == {"dev", "holdout"}
    for item in gold:
        assert all(12 <= len(e.replace(" ", "")) <= 40 for e in item.evidence), item.id
        assert bool(item.evidence) == (item.type != UNANSWERABLE), item.id
    assert missing_evidence(gold, [c.text for c in corpus_chunks.chunks]) == []
    texts = [(c.file[:3], normalise_for_match(c.text)) for c in corpus_chunks.chunks]
    files = {prefix for prefix, text in texts for g in gold for e in g.evidence_norm if e in text}
    assert files >= {"000", "002", "003", "004"}


def test_bad_gold_files_are_refused_with_the_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "a", "question": "问", "evidence": [], "type": "fact"}), encoding="utf-8")
    with pytest.raises(GoldFileError, match="第1行"):
        load_gold(bad)
    with pytest.raises(GoldFileError, match="找不到评测问题集"):
        load_gold(tmp_path / "missing.jsonl")


def test_floors_are_checked():
    floors = tomllib.loads('[hybrid]\n"recall@5" = 0.9\n')
    assert check_floors({"hybrid": {"recall@5": 0.95}}, floors) == []
    assert check_floors({"hybrid": {"recall@5": 0.85}}, floors) == ["hybrid recall@5 = 0.85 < 0.9"]


def test_floors_of_figures_not_measured_can_be_skipped_and_the_others_are_still_checked():
    floors = tomllib.loads('[hybrid]\n"recall@5" = 0.9\n[answer]\nanswer_hit = 0.8\n'
                           '[answer_ceilings]\nmean_length = 700\n')
    assert check_floors({"hybrid": {"recall@5": 0.95}}, floors) == ["answer answer_hit = None < 0.8",
                                                                     "answer mean_length = None > 700"]
    assert check_floors({"hybrid": {"recall@5": 0.95}}, floors, skip={"answer"}) == []
    assert check_floors({"hybrid": {"recall@5": 0.85}}, floors, skip={"answer"}) == ["hybrid recall@5 = 0.85 < 0.9"]


def test_check_floors_without_answers_checks_retrieval_only_and_says_so(tmp_path, retriever):
    """`--check-floors --no-answers` failed every time: "低于下限：answer citation_exact = None < 1.0" and more."""
    run = subprocess.run(
        [sys.executable, "eval/evaluate.py", "--split", "dev", "--modes", "hybrid", "--no-answers", "--check-floors",
         "--out", str(tmp_path)], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    assert NO_ANSWER_FLOORS in run.stderr and "低于下限" not in run.stderr and "Traceback" not in run.stderr


def test_check_floors_of_a_mode_not_run_are_not_checked_and_it_says_so(tmp_path, retriever):
    """`--modes bm25 --check-floors` failed on the hybrid floors: "低于下限：hybrid recall@5 = None < 0.94"."""
    run = subprocess.run(
        [sys.executable, "eval/evaluate.py", "--split", "dev", "--modes", "bm25", "--no-answers", "--check-floors",
         "--out", str(tmp_path)], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    assert MODES_NOT_RUN_FLOORS.format(modes="hybrid") in run.stderr and "低于下限" not in run.stderr


def test_evaluate_script_json_on_a_custom_gold_file(tmp_path, retriever):
    gold = tmp_path / "mine.jsonl"
    gold.write_text(json.dumps({"id": "x1", "question": "哪些社区办公用房不达标", "type": "list",
                                "evidence": ["如截山社区办公用房仅144平方米"]}, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "eval/evaluate.py", "--gold", str(gold), "--modes", "bm25,hybrid", "--json",
         "--out", str(tmp_path)],
        capture_output=True, text=True, cwd=PROJECT_ROOT, check=True,
    )
    metrics = json.loads(run.stdout)
    assert set(metrics) == {"bm25", "hybrid", "answer"}
    assert metrics["hybrid"]["recall@10"] == 1.0
    assert metrics["answer"]["questions"] == 1 and metrics["answer"]["answer_hit"] == 1.0
    assert (tmp_path / "report.md").is_file() and (tmp_path / "chart.png").stat().st_size > 1000
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    # one question found: its interval cannot be wider than the single value it rests on
    assert "| 全部 | 1.000（1.000–1.000） | 1.000（1.000–1.000） | 1.000（1.000–1.000） |" in report  # R@1, R@5, MRR
    assert "| 全部 | 1.000（1.000–1.000） |" in report.split("**95% 区间**")[1]  # answer hit


def test_report_check_compares_every_figure_of_the_committed_report_but_its_timings():
    committed = (EVAL_DIR / "report.md").read_text(encoding="utf-8")
    assert report_differences(committed, committed) == []
    answer_row = next(line for line in committed.splitlines() if line.startswith("| holdout（留出集） | 42 |"))
    cells = answer_row.split(" | ")
    cells[3] = "0.000"  # answer_hit
    changed = committed.replace(answer_row, " | ".join(cells))
    [message] = report_differences(committed, changed)
    assert message.startswith("回答质量 · holdout（留出集）：已提交 42 | 18 | ") and "本次 42 | 18 | 0.000 |" in message
    hybrid_row = next(line for line in committed.splitlines() if line.startswith("| hybrid |"))
    slower = hybrid_row.rsplit("|", 3)[0] + "| 999 | 999 |"  # latency p50 / p95 of this run
    assert report_differences(committed, committed.replace(hybrid_row, slower)) == []
    [message] = report_differences(committed, committed.replace(hybrid_row + "\n", ""))
    assert message.startswith("表格的行不同")


def another_maker(maker: str) -> str:
    """A CPU maker other than ``maker``, for a report relabelled as measured elsewhere."""
    return "GenuineIntel" if maker == "AuthenticAMD" else "AuthenticAMD"


def test_only_a_report_of_another_cpu_maker_with_the_same_tables_may_differ():
    committed = (EVAL_DIR / "report.md").read_text(encoding="utf-8")
    maker = measured_on(committed)
    assert maker is not None  # the committed report names the CPU it was measured on
    other = another_maker(maker)
    assert another_cpus_figures(committed, committed, other)
    assert not another_cpus_figures(committed, committed, maker)
    unnamed = committed.replace(f"；CPU {maker}", "")
    assert measured_on(unnamed) is None and not another_cpus_figures(unnamed, committed, other)
    hybrid_row = next(line for line in committed.splitlines() if line.startswith("| hybrid |"))
    assert not another_cpus_figures(committed, committed.replace(hybrid_row + "\n", ""), other)  # other tables


def test_report_check_fails_the_run_and_says_how_to_mend_when_the_figures_are_not_reproduced(tmp_path, retriever):
    gold = tmp_path / "mine.jsonl"
    gold.write_text(json.dumps({"id": "x1", "question": "哪些社区办公用房不达标", "type": "list",
                                "evidence": ["如截山社区办公用房仅144平方米"]}, ensure_ascii=False), encoding="utf-8")
    command = [sys.executable, "eval/evaluate.py", "--gold", str(gold), "--modes", "hybrid", "--out"]
    subprocess.run([*command, str(tmp_path / "first")], capture_output=True, cwd=PROJECT_ROOT, check=True)
    committed = tmp_path / "first" / "report.md"
    again = subprocess.run([*command, str(tmp_path / "again"), "--check-report", str(committed)],
                           capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert again.returncode == 0, again.stderr
    text = committed.read_text(encoding="utf-8")
    committed.write_text(text.replace("| 1.000 |", "| 0.900 |", 1), encoding="utf-8")
    stale = subprocess.run([*command, str(tmp_path / "stale"), "--check-report", str(committed)],
                           capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert stale.returncode == 1
    assert "已提交" in stale.stderr and "0.900" in stale.stderr and "请删除 data/index 后重建索引" in stale.stderr
    maker = measured_on(text)
    assert maker == cpu_maker()  # the report names the CPU it was measured on
    other = another_maker(maker)
    committed.write_text(committed.read_text(encoding="utf-8").replace(f"；CPU {maker}", f"；CPU {other}"),
                         encoding="utf-8")
    elsewhere = subprocess.run([*command, str(tmp_path / "elsewhere"), "--check-report", str(committed)],
                               capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert elsewhere.returncode == 0, elsewhere.stderr  # another maker's figures: listed, not a failure
    assert "0.900" in elsewhere.stderr and f"是在 {other} 的 CPU 上测得的，本机是 {maker}" in elsewhere.stderr
    assert "请删除 data/index 后重建索引" not in elsewhere.stderr
    missing = subprocess.run([*command, str(tmp_path / "missing"), "--check-report", str(tmp_path / "无.md")],
                             capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert missing.returncode == 2 and "无法读取要比对的报告" in missing.stderr and "Traceback" not in missing.stderr
    assert not (tmp_path / "missing").exists()  # refused before evaluating, not after


def test_figures_of_another_backend_never_overwrite_the_committed_report(tmp_path):
    assert output_paths(GOLD, None) == (EVAL_DIR / "report.md", EVAL_DIR / "chart.png")
    assert output_paths(GOLD, None, "milvus") == (EVAL_DIR / "report.milvus.md", EVAL_DIR / "chart.milvus.png")
    assert output_paths(GOLD, tmp_path, "milvus") == (tmp_path / "report.md", tmp_path / "chart.png")


@pytest.mark.slow
def test_milvus_backend_scores_like_the_embedded_one_on_the_whole_gold_set(retriever, tmp_path):
    """R@5 and MRR@10 of every mode within 0.02 of the embedded backend (Milvus Lite, default settings)."""
    from retriever.backends import open_backend
    from retriever.search import Retriever

    gold = [g for g in load_gold(GOLD) if g.evidence]
    settings = retriever.settings.override(backend="milvus", milvus_uri=str(tmp_path / "milvus.db"),
                                           index_dir=tmp_path)
    on_milvus = Retriever(retriever.stored, settings, open_backend(retriever.stored, settings), retriever.encoder)
    try:
        for mode in ("bm25", "dense", "hybrid"):
            expected = summarise(evaluate_mode(retriever, gold, mode, 10), 10)
            got = summarise(evaluate_mode(on_milvus, gold, mode, 10), 10)
            for metric in ("recall@5", "mrr@10"):
                assert abs(got[metric] - expected[metric]) <= 0.02, (mode, metric, got[metric], expected[metric])
    finally:
        on_milvus.close()
