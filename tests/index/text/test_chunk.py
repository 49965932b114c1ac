"""Chunks of the real corpus: provenance, boundaries, sizes, ids, export (duplicates: test_dedup.py)."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.settings import PROJECT_ROOT, Settings
from index.text.chunk import chunk_report
from index.text.clean import clean_lines
from index.text.headings import ends_sentence
from index.text.normalise import normalise_for_match
from index.text.split import split_reports
from tests.helpers import original_line_forms

MAX = Settings().chunk_max_chars


def assert_provenance(chunks, lines: list[str]) -> None:
    """Every chunk's text lies, piece by piece, in its original lines, inside its line span."""
    forms = original_line_forms(lines)
    for chunk in chunks:
        assert 1 <= chunk.line_start <= chunk.line_end <= len(lines)
        for text, line in chunk.pieces:
            assert chunk.line_start <= line <= chunk.line_end
            assert normalise_for_match(text) in forms[line - 1], (chunk.file, line, text)
        span = "".join(forms[chunk.line_start - 1 : chunk.line_end])
        assert _is_subsequence(normalise_for_match(chunk.text), span)


def assert_text_marks(chunks, lines: list[str]) -> None:
    """Each chunk's line marks name, for every stretch of its text, the original line that holds it; its section
    marks (merged passages only) start where each joined section's heading line starts, under the chunk's path."""
    forms = original_line_forms(lines)
    for chunk in chunks:
        offsets = [offset for offset, _ in chunk.line_starts]
        assert offsets[0] == 0 and offsets == sorted(set(offsets)) and offsets[-1] < len(chunk.text)
        for (offset, line), stop in zip(chunk.line_starts, [*offsets[1:], len(chunk.text)]):
            assert chunk.line_start <= line <= chunk.line_end
            for stretch in chunk.text[offset:stop].split("\n"):
                assert normalise_for_match(stretch) in forms[line - 1], (chunk.file, line, stretch)
        assert {line for _, line in chunk.line_starts} == {line for _, line in chunk.pieces}
        for number, (offset, path) in enumerate(chunk.section_starts):
            assert path[: len(chunk.section_path)] == chunk.section_path and len(path) >= len(chunk.section_path)
            if number:  # a later section of the passage opens with its own heading line
                assert offset > 0 and chunk.text[offset - 1] == "\n"
                assert chunk.text[offset:].startswith(path[-1].rstrip("…")), (chunk.text[offset:offset + 30], path)


def _is_subsequence(needle: str, haystack: str) -> bool:
    remaining = iter(haystack)
    return all(ch in remaining for ch in needle)


def test_every_chunk_points_at_its_exact_original_lines(corpus_chunks):
    for result in corpus_chunks.files:
        assert_provenance(result.chunks, result.document.lines)


def test_every_stretch_of_a_chunk_maps_to_its_original_line_and_section(corpus_chunks):
    for result in corpus_chunks.files:
        assert_text_marks(result.chunks, result.document.lines)
    merged = [c for c in corpus_chunks.chunks if len(c.section_starts) > 1]
    assert len(merged) > 40  # a short lead-in joined with its first sub-section, or short siblings joined
    assert all(not c.section_starts for c in corpus_chunks.chunks if c not in merged and "\n" not in c.text)
    lead_in = next(c for c in merged if c.section_path == ["二、存在问题"] and "只有70平米" in c.text)
    assert lead_in.section_starts[-1][1] == ["二、存在问题", "3、社区办公用房尚未达标"]


def test_chunk_text_is_literally_in_its_line_span_once_watermarks_are_removed(corpus_chunks):
    forms = {f.document.name: original_line_forms(f.document.lines) for f in corpus_chunks.files}
    misses = []
    for chunk in corpus_chunks.chunks:
        span = "".join(forms[chunk.file][chunk.line_start - 1 : chunk.line_end])
        if normalise_for_match(chunk.text) not in span:
            misses.append(chunk)
    assert misses == []


def test_sizes_and_sentence_boundaries(corpus_chunks):
    for result in corpus_chunks.files:
        paragraphs = [p.text for r in result.reports for p in r.paragraphs]
        for chunk in result.chunks:
            assert 0 < len(chunk.text) <= MAX
            if not ends_sentence(chunk.text):
                # Only where the source paragraph itself ends without punctuation.
                last_line = chunk.text.split("\n")[-1]
                assert any(p.endswith(last_line) for p in paragraphs), chunk.text[-40:]


def test_chunks_never_cross_a_section(corpus_chunks):
    for result in corpus_chunks.files:
        for report in result.reports:
            owner = {id(p): s.path for s in report.sections for p in s.paragraphs}
            owner.update({id(s.heading): s.path for s in report.sections if s.heading})
            chunks = [c for c in result.chunks if c.report == report.number]
            assert chunks
            for chunk in chunks:
                lines = set(range(chunk.line_start, chunk.line_end + 1))
                touching = {
                    owner[id(p)] for p in [*report.paragraphs, *(s.heading for s in report.sections if s.heading)]
                    if id(p) in owner and {line for _, line in p.runs} & lines
                    and normalise_for_match(p.text[:20]) in normalise_for_match(chunk.text)
                }
                prefix = tuple(chunk.section_path)
                assert all(path[: len(prefix)] == prefix for path in touching), (chunk.section_path, touching)


def test_ids_unique_and_stable(corpus_chunks):
    from index.text.pipeline import chunk_corpus

    ids = [c.id for c in corpus_chunks.chunks]
    assert len(ids) == len(set(ids))
    assert [c.id for c in chunk_corpus(Settings()).chunks] == ids


def test_jsonl_export_and_summary_commands():
    out = subprocess.run(
        [sys.executable, "-m", "index", "chunks", "--jsonl"], capture_output=True, text=True, check=True,
        cwd=PROJECT_ROOT,
    ).stdout.splitlines()
    rows = [json.loads(line) for line in out]
    assert len(rows) > 400
    for key in ("id", "file", "report", "report_title", "section_path", "line_start", "line_end", "text",
                "duplicate_of"):
        assert key in rows[0]
    summary = subprocess.run(
        [sys.executable, "-m", "index", "chunks"], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT
    ).stdout
    assert "报告 42 篇" in summary and "近似重复" in summary


HEADINGS = ["一、基本情况", "二、存在问题", "（一）经费不足", "(二)人员老化", "1、办公用房", "2.服务设施",
            "（1）活动场地", "三、对策建议", "第一，加强领导", "调研报告", "篇2", "一是加强领导。二是"]
PIECES = st.one_of(
    st.sampled_from(HEADINGS),
    st.text(
        alphabet="社区居民服务工作建设办公用房经费不足加强领导一二三四五六七八九十、，。；！？ .X*_()（）0123456789",
        min_size=1,
        max_size=120,
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(PIECES, st.sampled_from(["", "\n", "\n\n", "\n  ..\n"])), min_size=1, max_size=40))
def test_chunker_never_crashes_and_provenance_holds_on_random_text(parts):
    text = "".join(piece + brk for piece, brk in parts)
    lines = text.split("\n")
    _, reports = split_reports(clean_lines(lines))
    chunks = [c for r in reports for c in chunk_report("random.txt", r, max_chars=120, min_chars=30)]
    assert_provenance(chunks, lines)
    assert_text_marks(chunks, lines)
    for chunk in chunks:
        assert len(chunk.text) <= 120
