"""eval/compare.py on the real index and gold set: no change reads as none, a real change is found and explained."""

from __future__ import annotations

import json

from core.settings import Settings
from eval.answers import evaluate_answers, summarise_answers
from eval.compare import main
from eval.evaluate import GOLD, load_gold
from retriever.answer.service import AnswerService


def compare(capsys, *argv: str) -> dict:
    assert main(["--split", "holdout", "--json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_trying_the_current_value_changes_nothing(capsys):
    result = compare(capsys, "--try", f"dense_weight={Settings().dense_weight}")
    assert result["changed"] == []
    assert all(row["difference"] == row["low"] == row["high"] == 0 for row in result["figures"].values())


def test_reading_fewer_passages_is_measured_against_the_real_baseline(capsys, retriever):
    result = compare(capsys, "--try", "answer_top_k=2", "--try", "list_top_k=2")
    holdout = [g for g in load_gold(GOLD) if g.split == "holdout"]
    baseline = summarise_answers(evaluate_answers(AnswerService(retriever), holdout))
    coverage = result["figures"]["answer_coverage"]
    assert coverage["before"] == baseline["answer_coverage"]  # the baseline is the app's own figure
    assert coverage["after"] < coverage["before"]  # two passages hold less of the evidence than eight
    assert coverage["low"] <= coverage["difference"] <= coverage["high"]
    assert abs(coverage["difference"] - (coverage["after"] - coverage["before"])) < 1e-3
    assert result["figures"]["recall@5"]["difference"] == 0  # retrieval settings untouched
    ids = {g.id for g in holdout}
    assert result["changed"] and all(change["id"] in ids and change["before"] != change["after"]
                                     for change in result["changed"])


def test_settings_one_index_cannot_compare_are_refused_in_chinese(capsys):
    assert main(["--try", "chunk_max_chars=400"]) == 2
    assert "chunk_max_chars 会改变索引" in capsys.readouterr().err
    assert main(["--try", "hnsw_m=8"]) == 2  # an index parameter outside the chunker and BM25 ones
    assert "hnsw_m 会改变索引" in capsys.readouterr().err
    assert main(["--try", "milvus_hnsw_ef=64"]) == 2
    assert "只对 Milvus 后端起作用" in capsys.readouterr().err
    assert main(["--set", "backend=milvus", "--try", "dense_weight=0.3"]) == 2
    assert "只比较 embedded 后端" in capsys.readouterr().err
    assert main(["--try", "no_such_setting=1"]) == 2
    assert "--try 'no_such_setting=1' 无效" in capsys.readouterr().err
    assert main(["--try", "dense_weight=abc"]) == 2
    assert "--try dense_weight 的值 'abc' 无效" in capsys.readouterr().err


def test_a_split_without_questions_is_said_not_shown_as_an_empty_table(capsys, tmp_path):
    gold = tmp_path / "mine.jsonl"
    gold.write_text(json.dumps({"id": "x1", "question": "三社联动", "type": "keyword", "split": "holdout",
                                "evidence": ["三社联动"]}, ensure_ascii=False), encoding="utf-8")
    assert main(["--gold", str(gold), "--try", "max_points=5"]) == 2
    assert "mine.jsonl 中没有 dev 集的问题" in capsys.readouterr().err
