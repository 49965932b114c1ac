"""Which reports a question's place is about, on the real index."""

from __future__ import annotations

import pytest

from core.settings import Settings
from index.text.dedup import copied_reports
from retriever.answer.evidence import TermStats
from retriever.answer.places import ReportPlaces


@pytest.fixture(scope="module")
def places(retriever) -> ReportPlaces:
    stored = retriever.stored
    copies = copied_reports(stored.chunks, Settings().report_copy_share)
    return ReportPlaces(stored.chunks, TermStats(stored).texts, copies)


def titles(retriever, reports) -> set[str]:
    return {chunk.report_title for chunk in retriever.stored.chunks if (chunk.file, chunk.report) in reports}


def test_a_city_named_in_a_reports_lead_narrows_to_that_report(retriever, places):
    scope = places.narrowing(["临沂"])
    assert scope is not None and len(scope.reports) == 1
    assert titles(retriever, scope.reports) == {"关于加快全市城市社区建设工作情况调查报告"}


def test_a_county_the_lead_misses_narrows_by_the_passages_that_write_it(retriever, places):
    """篇23's lead places are jieba noise (土地利用); 商水县 / 商水 is written in two of its passages."""
    scope = places.narrowing(["商水县"])
    assert scope is not None and titles(retriever, scope.reports) == {"2024年度社区建设调研报告篇23"}


def test_a_report_and_its_copy_are_one_report(retriever, places):
    scope = places.narrowing(["佳苑"])  # 篇13 repeats 篇27
    assert scope is not None and len(scope.reports) == 1


@pytest.mark.parametrize("word", ["城镇", "新村", "上岗", "图书馆"])
def test_words_written_across_the_collection_or_no_reports_place_narrow_nothing(places, word):
    """城镇 is written in 13 reports, 新村 in 5; 上岗 (jieba tags it a place) is nobody's place."""
    assert places.narrowing([word]) is None


def test_no_cap_no_narrowing(retriever):
    stored = retriever.stored
    assert ReportPlaces(stored.chunks, TermStats(stored).texts, {}, max_reports=0).narrowing(["临沂"]) is None
