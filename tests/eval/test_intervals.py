"""Bootstrap intervals against cases whose answer is known, and on the real gold figures."""

from __future__ import annotations

import math

import pytest

from eval.answers import AnswerResult, evaluate_answers, question_values, summarise_answers
from eval.evaluate import GOLD, load_gold
from eval.intervals import Interval, mean_interval, paired_difference
from retriever.answer.service import AnswerService


def test_an_interval_holds_its_mean_and_narrows_with_more_questions():
    few = mean_interval([1.0] * 28 + [0.0] * 3)  # the holdout answer hit before the gold set grew: 28 of 31
    many = mean_interval([1.0] * 280 + [0.0] * 30)
    assert few.mean == pytest.approx(28 / 31) and many.mean == pytest.approx(28 / 31)
    # the normal approximation's lower end is 0.799; 0.903^31 = 4% of resamples are all ones, so the top is 1
    normal_low = 28 / 31 - 1.96 * math.sqrt(28 / 31 * 3 / 31 / 31)
    assert abs(few.low - normal_low) < 0.04 and few.high == 1.0
    assert many.low > few.low and many.high < few.high
    assert mean_interval([1.0] * 28 + [0.0] * 3) == few  # the same report on every run (fixed seed)


def test_values_that_never_vary_have_no_width_and_no_values_have_no_figure():
    assert mean_interval([0.25] * 10) == Interval(0.25, 0.25, 0.25)
    assert all(math.isnan(v) for v in (mean_interval([]).mean, mean_interval([]).low))


def test_a_paired_difference_is_zero_for_no_change_and_exact_for_a_constant_shift():
    before = [0.0, 0.5, 1.0, 0.25]
    assert paired_difference(before, before) == Interval(0.0, 0.0, 0.0)
    assert paired_difference(before, [v + 0.5 for v in before]) == Interval(0.5, 0.5, 0.5)
    one_moved = paired_difference([0.0] * 30, [1.0] + [0.0] * 29)  # one question of 30 gained
    assert one_moved.low == 0.0 < one_moved.mean < one_moved.high  # may be luck: the interval holds 0
    with pytest.raises(ValueError):
        paired_difference([1.0], [1.0, 0.0])


def test_interval_text_reads_like_the_report_tables():
    assert Interval(0.90322, 0.77419, 1.0).text() == "0.903（0.774–1.000）"


def test_per_question_values_are_each_questions_own_figure():
    """Hand-judged results: answerable ones give hit, coverage, 未找到 and length; list and unanswerable their own."""
    def result(type_: str, answerable: bool, hit: bool, coverage: float, abstained: bool, text: str) -> AnswerResult:
        return AnswerResult("q", "问", type_, "holdout", answerable, text, not abstained, abstained, hit, coverage)

    results = [result("list", True, True, 0.5, False, "一" * 10), result("fact", True, False, 0.0, True, "未找到"),
               result("problem", True, True, 1.0, False, "二" * 20),
               result("unanswerable", False, False, 0.0, True, "未找到"),
               result("unanswerable", False, False, 0.0, False, "答了")]
    values = question_values(results)
    assert values == {"answer_hit": [1.0, 0.0, 1.0], "answer_coverage": [0.5, 0.0, 1.0], "list_coverage": [0.5],
                      "false_not_found": [0.0, 1.0, 0.0], "mean_length": [10.0, 3.0, 20.0],
                      "abstention": [1.0, 0.0]}
    figures = summarise_answers(results)
    assert (figures["answer_hit"], figures["answer_coverage"], figures["abstention"]) == (0.6667, 0.5, 0.5)


def test_the_holdout_intervals_rest_on_its_31_answerable_and_18_unanswerable_questions(retriever):
    """On the real holdout answers: one value per question, and each interval holds its figure."""
    results = evaluate_answers(AnswerService(retriever), [g for g in load_gold(GOLD) if g.split == "holdout"])
    values, figures = question_values(results), summarise_answers(results)
    assert len(values["answer_hit"]) == figures["questions"] and len(values["abstention"]) == figures["unanswerable"]
    assert len(values["list_coverage"]) == sum(r.type == "list" for r in results)
    for name in ("answer_hit", "answer_coverage", "list_coverage", "abstention"):
        interval = mean_interval(values[name])
        assert interval.low <= figures[name] <= interval.high
