"""Chunk and Location records: the export round trip and the one citation format, on real chunks."""

from __future__ import annotations

import json

from index.text.records import CONTEXT_SEPARATOR, Chunk, Location


def test_every_real_chunk_survives_the_export_round_trip(corpus_chunks):
    for chunk in corpus_chunks.chunks:
        data = json.loads(json.dumps(chunk.to_dict(), ensure_ascii=False))  # as stored in chunks.jsonl
        again = Chunk.from_dict(data)
        assert again == chunk and again.to_dict() == chunk.to_dict()
        assert again.pieces == []  # provenance pieces are not exported


def test_export_holds_the_context_but_not_the_pieces(corpus_chunks):
    chunk = next(c for c in corpus_chunks.chunks if len(c.section_path) >= 2)
    data = chunk.to_dict()
    assert "pieces" not in data and chunk.pieces
    assert data["context"] == CONTEXT_SEPARATOR.join([chunk.report_title, *chunk.section_path])
    assert Chunk.from_dict(data | {"context": "ignored"}) == chunk  # derived fields are recomputed
    path = list(chunk.section_path)
    Chunk.from_dict(data).section_path.append("（三）")
    assert chunk.section_path == data["section_path"] == path  # the read-back chunk shares no list


def test_duplicate_of_round_trips(corpus_chunks):
    duplicate = next(c for c in corpus_chunks.chunks if c.duplicate_of)
    assert Chunk.from_dict(duplicate.to_dict()).duplicate_of == duplicate.duplicate_of


def test_a_report_the_file_numbers_otherwise_is_cited_by_the_files_name_for_it(by_prefix):
    # 002's 篇五 holds three reports (5–7): the second is cited as 篇五's second, not as a 第6篇 the file lacks
    chunk = next(c for c in by_prefix("002").chunks if "保安、保洁年龄偏大" in c.text)
    assert (chunk.report, chunk.report_label, chunk.report_name()) == (6, "第5篇之二", "第5篇之二")
    assert chunk.where() == f"{chunk.file} 第5篇之二 {chunk.line_span()}" and "第6篇" not in chunk.source()
    assert Chunk.from_dict(chunk.to_dict()).report_label == "第5篇之二"


def test_citation_parts_of_a_real_chunk(by_prefix):
    chunk = next(c for c in by_prefix("003").chunks if "截山社区办公用房仅144平方米" in c.text)
    path = " > ".join(chunk.section_path)
    assert chunk.path_text() == path and path
    assert chunk.line_start == chunk.line_end  # one line of the file: "第45行", not "第45—45行"
    assert chunk.line_span() == f"第{chunk.line_start}行"
    assert chunk.reports_in_file == 30 and chunk.report_number() == f"第{chunk.report}篇 "  # 003 holds 30 reports
    assert chunk.where() == f"{chunk.file} 第{chunk.report}篇 第{chunk.line_start}行"
    assert chunk.source() == f"《{chunk.report_title}》{path}，{chunk.where()}"
    assert chunk.file.startswith("003_") and chunk.line_start <= chunk.line_end


def test_citation_without_a_section():
    where = Location(id="c1", file="a b.txt", report=2, report_title="社区建设调研报告", section_path=[],
                     line_start=12, line_end=14)
    assert where.path_text() == "" and where.path_text("（正文开头）") == "（正文开头）"
    assert where.line_span() == "第12—14行"
    assert where.where() == "a b.txt 第12—14行"
    assert where.source() == "《社区建设调研报告》a b.txt 第12—14行"
    one_line = Location(id="c2", file="a.txt", report=1, report_title="报告", section_path=[], line_start=669,
                        line_end=669)
    assert one_line.line_span() == "第669行" and one_line.source() == "《报告》a.txt 第669行"


def test_location_of_a_chunk_is_a_plain_location_with_its_own_path(corpus_chunks):
    chunk = corpus_chunks.chunks[0]
    location = chunk.location()
    assert type(location) is Location
    assert (location.id, location.file, location.report, location.line_start, location.line_end) == (
        chunk.id, chunk.file, chunk.report, chunk.line_start, chunk.line_end)
    assert location.section_path == chunk.section_path and location.section_path is not chunk.section_path
    assert location.source() == chunk.source()
