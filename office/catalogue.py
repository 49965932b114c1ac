"""The list of reports the admin page shows: every file with its titles, passages, format, date and state.

It joins three sources: the files in the corpus folder now (and their SHA-256), the
manifest of the index that answers questions (its file hashes and the files it
``skipped``, with their reasons), and that index's passages (titles and counts per
file). So a file just uploaded or replaced shows as waiting for the index update, a
removed one as leaving the index, an unreadable one with the reason it was
skipped, and one read with a few damaged bytes with the lines to check. Hashes,
not modification times, decide: copying or checking out a corpus changes the
times but not the content.

Usage::

    rows = catalogue(settings.corpus, stored.manifest, stored.chunks, Digests())
    rows[0].file, rows[0].passages, rows[0].state
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from index.manifest import Manifest
from index.text.load import corpus_files
from index.text.records import Chunk

INDEXED = "已索引"
WAITING = "等待索引更新"
LEAVING = "已删除，索引更新后不再出现在回答中"
SKIPPED = "已跳过："
TITLES_SHOWN = 3


@dataclass(frozen=True)
class ReportRow:
    """One file of the catalogue."""

    file: str
    titles: str
    reports: int
    passages: int
    format: str
    added: str
    state: str

    def cells(self) -> list:
        """The row as the admin page's table shows it (columns of :data:`COLUMNS`)."""
        return [self.file, self.titles, self.reports, self.passages, self.format, self.added, self.state]


COLUMNS = ["文件", "标题", "篇数", "段落数", "格式", "添加时间", "状态"]


class Digests:
    """SHA-256 of report files (as :func:`index.build.corpus_fingerprint` takes them), kept while a file's size and
    modification time stay the same, so refreshing the list does not read every report again."""

    def __init__(self) -> None:
        self._known: dict[Path, tuple[int, int, str]] = {}
        self._lock = threading.Lock()

    def __call__(self, path: Path) -> str:
        """The file's hex digest ("" if it cannot be read)."""
        try:
            stat = path.stat()
        except OSError:
            return ""
        with self._lock:
            known = self._known.get(path)
        if known and known[:2] == (stat.st_size, stat.st_mtime_ns):
            return known[2]
        digest = hashlib.sha256()
        try:
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        except OSError:
            return ""
        with self._lock:
            self._known[path] = (stat.st_size, stat.st_mtime_ns, digest.hexdigest())
        return digest.hexdigest()


def catalogue(corpus: Path, manifest: Manifest, chunks: list[Chunk], digest: Callable[[Path], str]) -> list[ReportRow]:
    """A row per file in the corpus folder or in the live index, by file name."""
    present = {str(p.relative_to(corpus)): p for p in corpus_files(corpus)[0]} if corpus.is_dir() else {}
    indexed, skipped, warnings = manifest.files, manifest.skipped, manifest.warnings
    titles: dict[str, dict[int, str]] = {}
    passages: dict[str, int] = {}
    for chunk in chunks:
        titles.setdefault(chunk.file, {}).setdefault(chunk.report, chunk.report_title)
        passages[chunk.file] = passages.get(chunk.file, 0) + 1
    rows = []
    for name in sorted(set(present) | set(indexed) | set(skipped)):
        path = present.get(name)
        if path is None:
            state = LEAVING
        elif indexed.get(name) != digest(path):  # new, or changed since the index was built
            state = WAITING
        elif name in skipped:
            state = SKIPPED + skipped[name]
        elif name in passages or name in warnings:  # a file with no passages has a warning saying why
            state = INDEXED + (f"（注意：{warnings[name]}）" if name in warnings else "")
        else:
            state = WAITING
        reports = titles.get(name, {})
        shown = "；".join(reports[n] for n in sorted(reports)[:TITLES_SHOWN])
        if len(reports) > TITLES_SHOWN:
            shown += f" 等 {len(reports)} 篇"
        rows.append(ReportRow(name, shown, len(reports), passages.get(name, 0),
                              Path(name).suffix.lstrip(".").upper(), _modified(path), state))
    return rows


def _modified(path: Path | None) -> str:
    """When the file was last written (for an upload: when it was added), local time; empty if gone."""
    if path is None:
        return ""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    except OSError:
        return ""
