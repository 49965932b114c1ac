"""The reader's links (ui/reader/links.py): the quoted spans a link carries, parsed leniently, and the link itself."""

from __future__ import annotations

from ui.reader import MAX_SPANS, parse_spans, reader_url


def test_spans_of_a_link_are_parsed_leniently_and_travel_in_the_link():
    assert parse_spans("120-164,170-200", 300) == [(120, 164), (170, 200)]
    assert parse_spans("170-200,120-164", 300) == [(120, 164), (170, 200)]  # sorted
    assert parse_spans("10-50,40-60,60-70", 300) == [(10, 70)]  # overlapping and touching ones merged
    assert parse_spans("250-999", 300) == [(250, 300)]  # the end clipped to the text
    hostile = ["", ",", "-", "abc", "5", "5-", "-5", "-5-10", "5--10", "5-5", "9-3", "300-310", "999-1000",
               "1.5-9", "1e3-2e3", "0x10-0x20", "+1-9", " ", "1-2-3", "１-９", "١-٣", "99999999999-99999999999",
               "1-99999999999", "<script>", "1-9;2-8", "%2C", "\x00"]
    for raw in hostile:
        assert parse_spans(raw, 300) == [], raw
    assert parse_spans(",".join(hostile + ["10-20"]), 300) == []  # past the first MAX_SPANS parts
    assert parse_spans("abc,-1-2,9-3,10-20", 300) == [(10, 20)]  # the bad ones dropped, the good one kept
    assert parse_spans(" 10-20 ", 300) == [(10, 20)] and parse_spans("10-20", 0) == []
    many = ",".join(f"{2 * i}-{2 * i + 1}" for i in range(10 * MAX_SPANS))
    assert parse_spans(many, 10_000) == [(2 * i, 2 * i + 1) for i in range(MAX_SPANS)]
    assert parse_spans("1-2," * 100_000, 300) == [(1, 2)]
    # The link: unchanged without spans, the spans in ``s`` before the fragment with them.
    assert reader_url("ab/c") == "reader?chunk=ab%2Fc#c-ab_c" == reader_url("ab/c", [])
    assert reader_url("ab/c", [(120, 164), (170, 200)]) == "reader?chunk=ab%2Fc&s=120-164,170-200#c-ab_c"
    assert reader_url("x", [(5, 5), (-1, 3), (9, 2)]) == "reader?chunk=x#c-x"
