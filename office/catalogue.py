"""The list of reports the admin page shows: every file with its titles, passages, format, date and state.

It joins three sources: the files in the corpus folder now, the manifest of the index
that answers questions (its file hashes and the files it ``skipped``, with their
reasons), and that index's passages (titles and counts per file). So a file just
uploaded shows as waiting for the index update, a removed one as leaving the index,
and an unreadable one with the reason it was skipped.

Usage::

    rows = catalogue(settings.corpus, stored.manifest, stored.chunks)
    rows[0].file, rows[0].passages, rows[0].state
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

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


def catalogue(corpus: Path, manifest: dict, chunks: list[Chunk]) -> list[ReportRow]:
    """A row per file in the corpus folder or in the live index, by file name."""
    present = {str(p.relative_to(corpus)): p for p in corpus_files(corpus)[0]} if corpus.is_dir() else {}
    indexed: dict[str, str] = manifest.get("files", {})
    skipped: dict[str, str] = manifest.get("skipped", {})
    titles: dict[str, dict[int, str]] = {}
    passages: dict[str, int] = {}
    for chunk in chunks:
        titles.setdefault(chunk.file, {}).setdefault(chunk.report, chunk.report_title)
        passages[chunk.file] = passages.get(chunk.file, 0) + 1
    built = _timestamp(manifest.get("built_at", ""))
    rows = []
    for name in sorted(set(present) | set(indexed) | set(skipped)):
        path = present.get(name)
        if path is None:
            state = LEAVING
        elif _mtime(path) > built:  # new, or replaced since the index was built
            state = WAITING
        elif name in skipped:
            state = SKIPPED + skipped[name]
        elif name in indexed and name in passages:
            state = INDEXED
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
    return datetime.fromtimestamp(_mtime(path)).strftime("%Y-%m-%d %H:%M") if path is not None else ""


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _timestamp(iso: str) -> float:
    """Seconds since the epoch of the manifest's ``built_at`` (0 if missing or unreadable)."""
    try:
        return datetime.fromisoformat(iso).timestamp()
    except ValueError:
        return 0.0
