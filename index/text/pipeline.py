"""Corpus → chunks: load, clean, split, chunk and mark duplicates, for a whole folder.

Usage::

    result = chunk_corpus(Settings())
    len(result.chunks), [s.name for s in result.skipped]
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from core.settings import Settings
from index.text.chunk import Chunk, chunk_report
from index.text.clean import clean_lines
from index.text.context import lead_places, report_places
from index.text.dedup import near_duplicates
from index.text.load import SkippedFile, SourceDocument, load_corpus
from index.text.split import Report, split_reports

NO_PASSAGES = ("没有得到可检索的段落：文字全部被当作水印、页眉页脚或重复内容清除了（同一行反复出现会被当作水印），"
               "请检查文件内容")


@dataclass
class FileResult:
    """What one corpus file turned into."""

    document: SourceDocument
    collection: str
    reports: list[Report]
    chunks: list[Chunk]

    @property
    def warning(self) -> str:
        """What the administrator should check about this file ("" if nothing): damaged bytes, no passages."""
        return "；".join(part for part in (self.document.warning, "" if self.chunks else NO_PASSAGES) if part)


@dataclass
class CorpusChunks:
    """All chunks of a corpus, per file, plus the files that were skipped."""

    files: list[FileResult] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)

    @property
    def chunks(self) -> list[Chunk]:
        """Every chunk in corpus order."""
        return [c for f in self.files for c in f.chunks]


def split_document(document: SourceDocument, settings: Settings) -> tuple[str, list[Report]]:
    """A file's collection title and its reports with their sections: cleaning and splitting, the steps the
    index and the report reader share (so the reader shows the text the passages were cut from)."""
    paragraphs = clean_lines(document.lines, settings.watermark_min_share, settings.watermark_min_lines)
    return split_reports(paragraphs)


def chunk_document(document: SourceDocument, settings: Settings) -> FileResult:
    """Clean, split and chunk one file (duplicates are marked corpus-wide later)."""
    collection, reports = split_document(document, settings)
    chunks = [
        c
        for report in reports
        for c in chunk_report(document.name, report, settings.chunk_max_chars, settings.chunk_min_chars)
    ]
    for chunk in chunks:
        chunk.reports_in_file = len(reports)
    return FileResult(document, collection, reports, chunks)


def mark_duplicates(chunks: list[Chunk], settings: Settings) -> None:
    """Set ``duplicate_of`` on every chunk that nearly repeats an earlier one."""
    canonical = near_duplicates([c.text for c in chunks], settings.dup_shingle, settings.dup_threshold,
                                settings.dup_kept_share)
    for chunk, original in zip(chunks, canonical):
        chunk.duplicate_of = None if original is None else chunks[original].id


def _unique_ids(chunks: list[Chunk]) -> None:
    """Make ids unique when the very same text repeats in the same place (rare)."""
    seen: Counter[str] = Counter()
    for chunk in chunks:
        seen[chunk.id] += 1
        if seen[chunk.id] > 1:
            chunk.id = f"{chunk.id}-{seen[chunk.id]}"


def chunk_corpus(settings: Settings) -> CorpusChunks:
    """Load every readable file of ``settings.corpus`` and chunk it."""
    documents, skipped = load_corpus(settings.corpus, settings.max_file_mb)
    result = CorpusChunks(files=[chunk_document(d, settings) for d in documents], skipped=skipped)
    chunks = result.chunks
    _unique_ids(chunks)
    mark_duplicates(chunks, settings)
    give_places(result, settings)
    return result


def give_places(result: CorpusChunks, settings: Settings) -> None:
    """Give every chunk its report's places (:mod:`index.text.context`), judged across all reports."""
    reports = [(f, r) for f in result.files for r in f.reports]
    if settings.context_places > 0:
        leads = [lead_places(r, settings.context_lead_paragraphs) for _, r in reports]
        places = report_places(leads, settings.context_places, settings.context_common_reports)
    else:
        places = [[] for _ in reports]
    by_report = {(f.document.name, r.number): p for (f, r), p in zip(reports, places)}
    for chunk in result.chunks:
        chunk.places = by_report[(chunk.file, chunk.report)]
