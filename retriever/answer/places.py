"""Which reports a question's place is about, so that an answer about 临沂 quotes 临沂's report.

A question that names a place (临沂提倡让哪些人兼任社区居委会班子成员, 商水县新型农村社区建设受哪些因素制约)
asks what that place's report says. Scoring alone credits the place as one word among several, so a list
answer also took a point from every other report that shares 社区居委会 or 新型农村社区. The reports about a
place are those whose lead names it (``Chunk.places``, :func:`named_by_report`) or that write it in at least
``min_passages`` passages; a passage of another report that writes it counts too. Only a report's place or a
name with its level (商水县, whose report's lead jieba reads poorly) narrows: jieba tags 上岗 a place too. A
place that many reports write (城镇, 新村) names no report and narrows nothing.

Usage::

    about = ReportPlaces(stored.chunks, TermStats(stored).texts, copy_of)
    about.narrowing(["临沂"])   # PlaceScope(reports={('004_….txt', 1)}, passages=set())
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from index.text.dedup import ReportKey
from index.text.normalise import normalise_for_match
from index.text.records import Chunk
from retriever.answer.evidence import named_by_report
from retriever.answer.question.words import ADMIN_SUFFIXES


@dataclass(frozen=True)
class PlaceScope:
    """The reports about the question's places, and the other reports' passages (chunk indices) that name them."""

    reports: frozenset[ReportKey]
    passages: frozenset[int]

    def holds(self, report: ReportKey, passage: int) -> bool:
        """Whether a sentence of ``passage`` (of ``report``) speaks of the place."""
        return report in self.reports or passage in self.passages


class ReportPlaces:
    """The reports each place is about, over the stored passages (a copy of a report counts as its original)."""

    def __init__(self, chunks: Sequence[Chunk], texts: Sequence[str], copy_of: Mapping[ReportKey, ReportKey],
                 max_reports: int = 3, min_passages: int = 2) -> None:
        self.texts = texts  # the passages normalised for matching (TermStats.texts), in chunk order
        self.keys = [copy_of.get((c.file, c.report), (c.file, c.report)) for c in chunks]
        self.lead_places: dict[ReportKey, list[str]] = {}  # each report's places, read from its lead
        for key, chunk in zip(self.keys, chunks):
            known = self.lead_places.setdefault(key, [])
            known += [place for place in chunk.places if place not in known]
        self.max_reports = max_reports
        self.min_passages = min_passages

    def narrowing(self, places: list[str], communities: Sequence[str] = ()) -> PlaceScope | None:
        """The scope of the answer for a question naming ``places`` (and ``communities``: 鱼儿山 of 鱼儿山社区, a name
        no report's lead gives as its place: the few reports that write it), or None when no place narrows it."""
        reports: set[ReportKey] = set()
        passages: set[int] = set()
        for community in communities:
            word = normalise_for_match(community).lower()
            writing = {self.keys[i] for i, text in enumerate(self.texts) if word in text}
            if len(writing) <= self.max_reports:
                reports |= writing
        for place in places:
            word = normalise_for_match(place).lower()
            names = (word, word[:-1]) if len(word) >= 3 and word[-1] in ADMIN_SUFFIXES else (word,)  # 商水县: 商水
            holding = [i for i, text in enumerate(self.texts) if any(name in text for name in names)]
            counts: dict[ReportKey, int] = {}
            for i in holding:
                counts[self.keys[i]] = counts.get(self.keys[i], 0) + 1
            named = {key for key, lead in self.lead_places.items() if named_by_report([place], lead)}
            if not named and len(names) == 1:
                continue  # 上岗 (which jieba tags a place) is no report's place and names no level
            if len(named | set(counts)) > self.max_reports:
                continue  # 城镇, 新村: written across the collection, no report's own place
            reports |= named | {key for key, n in counts.items() if n >= self.min_passages}
            passages.update(holding)
        if not reports and not passages:
            return None
        return PlaceScope(frozenset(reports), frozenset(passages))
