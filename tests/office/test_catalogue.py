"""The admin page's report list: titles, passages, format and date per file; waiting, skipped and leaving files."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

from index.build import corpus_fingerprint
from index.text.pipeline import chunk_corpus
from office.catalogue import INDEXED, LEAVING, SKIPPED, WAITING, catalogue
from tests.helpers import SOURCES, write_slices

OLD, NEW = "000_基层政权和社区建设情况调研报告（4篇）.txt", "004_关于加快全市城市社区建设工作情况调查报告.txt"


def test_rows_join_the_folder_the_manifest_and_the_passages(settings):
    write_slices(settings.corpus)
    (settings.corpus / "坏文件.txt").write_bytes(b"\x00\x01binary")
    result = chunk_corpus(settings)
    built = time.time() - 60
    for path in settings.corpus.iterdir():  # everything was there before the build...
        os.utime(path, (built - 60, built - 60))
    manifest = {"files": corpus_fingerprint(settings.corpus) | {"已删除.txt": "0" * 64},
                "built_at": datetime.fromtimestamp(built, UTC).isoformat(timespec="seconds"),
                "skipped": {s.name: s.reason for s in result.skipped}}
    (settings.corpus / "新上传.txt").write_text("关于社区的报告\n一、情况\n社区办公用房不足。", encoding="utf-8")
    os.utime(settings.corpus / NEW)  # ...except a new upload and a report replaced since
    rows = {row.file: row for row in catalogue(settings.corpus, manifest, result.chunks)}
    assert set(rows) == {*SOURCES, "坏文件.txt", "新上传.txt", "已删除.txt"}
    report = rows[OLD]
    assert report.state == INDEXED and report.format == "TXT" and report.reports >= 1
    assert report.passages == sum(1 for c in result.chunks if c.file == OLD) > 3
    assert report.titles and report.added == datetime.fromtimestamp(built - 60).strftime("%Y-%m-%d %H:%M")
    assert rows["坏文件.txt"].state == SKIPPED + "看起来是二进制文件，不是文本" and rows["坏文件.txt"].passages == 0
    assert rows["新上传.txt"].state == WAITING and rows[NEW].state == WAITING
    assert rows["已删除.txt"].state == LEAVING and rows["已删除.txt"].added == ""
    assert len(report.cells()) == 7
