"""The places a report is about, from its title and lead, given to all of its passages (real corpus)."""

from __future__ import annotations

from collections import Counter

from index.text.context import report_places


def places_of(corpus_chunks, title_part: str, number: int = 1) -> list[str]:
    return next(c.places for c in corpus_chunks.chunks if title_part in c.report_title and c.report == number)


def test_every_passage_of_a_report_carries_the_place_its_lead_names(corpus_chunks):
    """000 篇1 introduces 攀枝花市 in its lead and then writes 我市: all its passages carry the place."""
    first = [c for c in corpus_chunks.chunks if c.file.startswith("000") and c.report == 1]
    assert len(first) > 3 and all("攀枝花市" in c.places for c in first)
    assert all("攀枝花市" not in c.places for c in corpus_chunks.chunks if not c.file.startswith("000"))


def test_a_name_in_many_leads_is_no_reports_own_place():
    leads = [Counter({"城市": 3, "临沂市": 2}), Counter({"城市": 1, "济南市": 1}), Counter({"城市": 1})]
    assert report_places(leads, limit=4, max_reports=2) == [["临沂市"], ["济南市"], []]
    assert report_places(leads, limit=4, max_reports=3)[0] == ["城市", "临沂市"]  # most often named first
    assert report_places(leads, limit=1, max_reports=3)[0] == ["城市"]
