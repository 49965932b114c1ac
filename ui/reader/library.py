"""The corpus files read, cleaned and split on demand for the reader and the source cards, the last few kept
in memory.

Cleaning a large file takes ~0.3 s, and the reader route and every answer's source cards
ask for the same few reports again and again, so one :class:`ReportLibrary` per corpus
folder (:meth:`ReportLibrary.shared`) keeps the parsed files, re-reading a file only when
it changed on disk. It reads names taken from the index, never raw paths from a request.

Usage::

    library = ReportLibrary.shared(settings)
    view = library.view(chunk.file, chunk.report)                 # a ReportView, or None
    library.quoted_lines(chunk, chunk.text, [(120, 164)])         # "第595行", or "" when unknown
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from core.errors import UnreadableFileError
from core.settings import Settings
from index.text.load import read_document
from index.text.pipeline import split_document
from index.text.records import Location
from index.text.split import Report
from ui.reader.links import Span
from ui.reader.locate import cited_lines, locate_pieces, map_spans
from ui.reader.view import ReportView

CACHE_FILES = 16
"""Parsed report files kept in memory (a large file takes ~0.3 s to clean)."""


class ReportLibrary:
    """Reports of the corpus files, read, cleaned and split on demand, the last few files kept in memory.

    A file is re-read when its size or modification time changes. Only names under the
    corpus folder are read; the routes pass names taken from the index, never raw paths.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.corpus.resolve()
        self._cache: dict[str, tuple[tuple[int, int], list[Report]]] = {}
        self._lock = threading.Lock()  # one parse at a time: the cleaner's word splitter is shared

    def path(self, file: str) -> Path | None:
        """The file's path if it lies inside the corpus folder and exists, else None."""
        path = (self.root / file).resolve()
        return path if path.is_relative_to(self.root) and path.is_file() else None

    def reports(self, file: str) -> list[Report]:
        """The reports of one corpus file; raises :class:`UnreadableFileError` when it is gone or unreadable."""
        path = self.path(file)
        if path is None:
            raise UnreadableFileError(f"报告文件 {file} 已不在报告文件夹中")
        stat = path.stat()
        key = (stat.st_size, stat.st_mtime_ns)
        with self._lock:
            cached = self._cache.get(file)
            if cached is not None and cached[0] == key:
                return cached[1]
            _, reports = split_document(read_document(path, self.root), self.settings)
            self._cache[file] = (key, reports)
            while len(self._cache) > CACHE_FILES:
                self._cache.pop(next(iter(self._cache)))
            return reports

    def view(self, file: str, number: int) -> ReportView | None:
        """Report ``number`` of ``file`` laid out for reading, or None if the file has no such report."""
        match = [r for r in self.reports(file) if r.number == number]
        return ReportView.of(file, match[0]) if match else None

    def quoted_lines(self, passage: Location, text: str, spans: Sequence[Span]) -> str:
        """The original lines that hold the quoted ``spans`` of a passage ("第595行"); "" if they cannot be found
        (no spans, the file gone, or changed since indexing): the passage's own line span still stands."""
        if not spans:
            return ""
        try:
            view = self.view(passage.file, passage.report)
        except UnreadableFileError:
            return ""
        pieces = locate_pieces(view, passage, text) if view else []
        return cited_lines(view, map_spans(pieces, spans)) if pieces else ""

    @classmethod
    def shared(cls, settings: Settings) -> ReportLibrary:
        """One library per corpus folder for the whole process (the reader route and the source cards share
        its cache of parsed files)."""
        key = (settings.corpus.resolve(), settings.watermark_min_share, settings.watermark_min_lines)
        with _SHARED_LOCK:
            return _SHARED.setdefault(key, cls(settings))


_SHARED: dict[tuple, ReportLibrary] = {}
_SHARED_LOCK = threading.Lock()
