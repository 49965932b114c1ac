"""The places a report is about, read from its title and first paragraphs.

A report names its city, county or district in its first lines and then writes
我市 / 我县 / 我区; a question names the place. Giving every passage its report's
places (the words jieba's part-of-speech tagger marks ``ns``, place names) lets a
question that names the place find passages that do not repeat it.

Example::

    >>> from index.text.clean import clean_lines
    >>> from index.text.split import split_reports
    >>> lines = ["关于临沂市社区建设的调研报告", "一、基本情况",
    ...          "临沂市兰山区共有城市社区56个，罗庄区共有城市社区20个。"]
    >>> _, reports = split_reports(clean_lines(lines))
    >>> lead = lead_places(reports[0])
    >>> lead.most_common(2)
    [('临沂市', 2), ('城市', 2)]
    >>> report_places([lead, Counter({"城市": 1, "济南市": 2})], limit=2, max_reports=1)  # 城市: in two leads
    [['临沂市', '兰山区'], ['济南市']]
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from index.text.segmenter import new_jieba
from index.text.split import Report

PLACE_FLAGS = frozenset({"ns"})
"""jieba's flag for place names: what a report's lead names as its place (临沂市, 兰山区)."""


@cache
def _tagger():  # noqa: ANN202 - jieba's POSTokenizer
    import jieba.posseg

    return jieba.posseg.POSTokenizer(new_jieba())


def lead_places(report: Report, paragraphs: int = 6) -> Counter[str]:
    """Place names (jieba ``ns``) in the report's title and lead (its first ``paragraphs`` paragraphs, where a
    report introduces its place), with how often each is named."""
    lead = " ".join([report.title, *(p.text for p in report.paragraphs[:paragraphs])])
    return Counter(pair.word for pair in _tagger().cut(lead) if pair.flag in PLACE_FLAGS and len(pair.word) >= 2)


def report_places(leads: list[Counter[str]], limit: int, max_reports: int = 3) -> list[list[str]]:
    """For each report's lead places, up to ``limit`` of them, most often named first.

    A name in the leads of more than ``max_reports`` reports is no report's own place
    (城市, or a word jieba mistakes for a place), so it is left out.
    """
    spread = Counter(word for lead in leads for word in lead)
    return [[w for w, _ in lead.most_common() if spread[w] <= max_reports][:limit] for lead in leads]
