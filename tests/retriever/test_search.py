"""Search on the real corpus with the real model, BM25 and FAISS; ``Retriever.explain``, the scores behind a hit
that the search page shows (without changing ``search()``)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from core.settings import PROJECT_ROOT
from index.text.normalise import normalise_for_match


def texts_of(hits) -> str:
    return "\n".join(h.text for h in hits)


def first_rank(retriever, question: str, evidence: str, mode: str, k: int = 10) -> int | None:
    """Rank of the first hit that (or whose duplicate group) contains the evidence."""
    target = normalise_for_match(evidence)
    for hit in retriever.search(question, k=k, mode=mode):
        rows = retriever.group[int(retriever.canonical[hit.index])]
        if any(target in normalise_for_match(retriever.chunks[row].text) for row in rows):
            return hit.rank
    return None


def test_office_space_question_finds_the_shortfall_passages(retriever):
    top5 = texts_of(retriever.search("哪些社区办公用房不达标", k=5, mode="hybrid"))
    assert "截山社区办公用房仅144平方米" in top5
    assert "只有70平米的临时性用房" in top5


def test_salary_question_finds_the_600_to_800_passage(retriever):
    assert first_rank(retriever, "社区工作者工资待遇", "工资水平大都在600—800元", "hybrid", k=5)


def test_paraphrase_found_by_dense_and_hybrid_but_not_bm25(retriever):
    question, evidence = "社区自己挣不来钱，全靠上面拨款", "自身没有一个正常的、稳定的收入来源"
    assert first_rank(retriever, question, evidence, "bm25") is None
    assert first_rank(retriever, question, evidence, "dense", k=5)
    question, evidence = "聘用的社区干部补贴才几十块钱", "其余多数聘用干部的补助金额仅有几十元"
    assert first_rank(retriever, question, evidence, "bm25") is None
    assert first_rank(retriever, question, evidence, "hybrid", k=5)


def test_near_duplicates_shown_once_with_their_other_places(retriever):
    hits = retriever.search("管辖面积最大的是南城街道桐梓社区", k=10)
    top = hits[0]
    assert "桐梓社区" in top.text and top.report == 1  # 003's 篇4 repeats 篇1: the original is shown
    assert {(d.file, d.report) for d in top.duplicates} == {(top.file, 4)}
    roots = [int(retriever.canonical[h.index]) for h in hits]
    assert len(roots) == len(set(roots))
    # searching the copy alone still finds the copy's own passage
    copy = retriever.search("管辖面积最大的是南城街道桐梓社区", k=3, reports=[(top.file, 4)])
    assert copy and all(h.report == 4 for h in copy) and "桐梓社区" in copy[0].text


def test_a_copy_that_says_what_its_original_says_is_shown_as_the_original(retriever):
    """003's 篇3 repeats 篇2 and 篇13 repeats 篇27 with characters lost; the copy's passage often ranked first, so
    answers cited "篇3" where an official wants the original report, or quoted 篇13's damaged text. A
    near-duplicate that says something else (another community's name) is still shown as itself
    (tests/ui/admin/test_reports.py)."""
    for question in ("网格化管理", "社区信息化平台建设有哪些做法", "居民说事", "各地社区都组建了哪些志愿者队伍"):
        for hit in retriever.search(question, k=10):
            assert int(retriever.original[hit.index]) == hit.index, (question, hit.report)
    assert retriever.original.tolist() != list(range(len(retriever.chunks)))  # the corpus has such copies


def test_a_quoted_term_is_looked_up_as_written(retriever):
    """“六步三十环节” is one report's name for its method: quoted, the passage that writes it ranks first,
    although the question's other words (工作法, 摸索出来) pull other passages above it when it is not quoted."""
    plain = first_rank(retriever, "六步三十环节工作法是哪儿摸索出来的", "六步三十环节", "hybrid")
    quoted = first_rank(retriever, "“六步三十环节”工作法是哪儿摸索出来的", "六步三十环节", "hybrid")
    assert quoted == 1 and (plain is None or plain > 1), (plain, quoted)
    hits = retriever.search("“流动票箱”和“六步三十环节”", k=5)
    assert {"流动票箱", "六步三十环节"} <= {term for h in hits[:2] for term in ("流动票箱", "六步三十环节")
                                       if term in normalise_for_match(h.text)}
    name = next(c.file for c in retriever.chunks if c.file.startswith("002"))  # the term is not in 002
    assert all(h.file == name for h in retriever.search("“六步三十环节”", k=3, files=[name]))


def test_filters_by_file_and_report(retriever):
    name = next(c.file for c in retriever.chunks if c.file.startswith("002"))
    hits = retriever.search("法治宣传", k=5, files=[name])
    assert hits and all(h.file == name for h in hits)
    hits = retriever.search("法治宣传", k=5, reports=[(name, 2)])
    assert hits and all((h.file, h.report) == (name, 2) for h in hits)


def test_modes_and_top_k(retriever):
    for mode in ("bm25", "dense", "hybrid"):
        hits = retriever.search("网格化管理", k=3, mode=mode)
        assert [h.rank for h in hits] == [1, 2, 3]
        assert all(hits[i].score >= hits[i + 1].score for i in range(2))
    assert retriever.search("   ") == []


def test_command_line_json_and_batch(tmp_path):
    batch = tmp_path / "questions.txt"
    batch.write_text("哪些社区办公用房不达标\n三社联动\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "retriever", "--batch", str(batch), "-k", "3", "--json"],
        capture_output=True, text=True, check=True, cwd=PROJECT_ROOT,
    )
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(rows) == 2 and all(len(r) == 3 for r in rows)
    assert set(rows[0][0]) == {"rank", "score", "id", "text", "file", "report", "report_title", "section_path",
                               "line_start", "line_end", "reports_in_file", "report_label", "duplicates", "line_starts",
                               "section_starts"}
    assert any("三社联动" in hit["text"] for hit in rows[1])
    empty = subprocess.run([sys.executable, "-m", "retriever", ""], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert empty.returncode == 2 and "请输入问题" in empty.stderr


QUESTION = "社区办公用房面积不达标"


def test_explain_gives_the_scores_each_single_mode_ranks_by(retriever):
    bm25_hits = retriever.search(QUESTION, k=5, mode="bm25")
    for hit, scores in zip(bm25_hits, retriever.explain(QUESTION, [h.index for h in bm25_hits])):
        assert scores.bm25 == pytest.approx(hit.score, abs=1e-5)
    dense_hits = retriever.search(QUESTION, k=5, mode="dense")
    for hit, scores in zip(dense_hits, retriever.explain(QUESTION, [h.index for h in dense_hits])):
        assert scores.cosine == pytest.approx(hit.score, abs=1e-4)
    bm25 = [s.bm25 for s in retriever.explain(QUESTION, [h.index for h in bm25_hits])]
    assert bm25 == sorted(bm25, reverse=True)


def test_explain_gives_the_best_sentence_cosine_the_third_list_ranks_by(retriever):
    hits = retriever.search(QUESTION, k=10)
    vector = retriever.query_vector(QUESTION)
    for hit, scores in zip(hits, retriever.explain(QUESTION, [h.index for h in hits])):
        rows = range(retriever.first_sentence[hit.index], retriever.first_sentence[hit.index + 1])
        closest = max(float(retriever.stored.sentence_vectors[row] @ vector) for row in rows)
        assert scores.best_sentence == pytest.approx(closest, abs=1e-6)


def test_explain_does_not_change_hybrid_search(retriever):
    before = retriever.search(QUESTION, k=10)
    scores = retriever.explain(QUESTION, [h.index for h in before])
    assert len(scores) == 10 and all(s.bm25 >= 0 and -1 <= s.cosine <= 1 for s in scores)
    assert retriever.search(QUESTION, k=10) == before
    assert retriever.explain(QUESTION, []) == []
    unrelated = retriever.explain("量子芯片", [before[0].index])[0]
    assert unrelated.bm25 == 0.0 and unrelated.cosine < scores[0].cosine
