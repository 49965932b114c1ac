"""Saving and loading a built index: an exact round trip, an atomic switch of CURRENT, old builds removed.

The index saved here is the real one of the session (the ``retriever`` fixture): the real chunks of the
whole corpus, their real vectors, the real BM25 and FAISS indexes, saved into ``tmp_path``.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import faiss
import numpy as np
import pytest

import index.store as store
from index.store import BUILDS, CURRENT, StoredIndex, live_build, load_index, save_index


@pytest.fixture()
def stored(retriever) -> StoredIndex:
    """The session's loaded index, as a shallow copy (``save_index`` sets the copy's ``path``)."""
    return dataclasses.replace(retriever.stored)


def assert_same_index(loaded: StoredIndex, original: StoredIndex, tokenizer) -> None:
    """Every field of the two indexes holds the same data."""
    assert loaded.manifest == original.manifest
    assert loaded.chunks == original.chunks and all(type(c) is type(original.chunks[0]) for c in loaded.chunks)
    assert [c.to_dict() for c in loaded.chunks] == [c.to_dict() for c in original.chunks]
    assert loaded.embeddings.dtype == np.float32 and np.array_equal(loaded.embeddings, original.embeddings)
    assert loaded.embed_keys == original.embed_keys
    assert bytes(faiss.serialize_index(loaded.faiss_index)) == bytes(faiss.serialize_index(original.faiss_index))
    assert (loaded.bm25.k1, loaded.bm25.b, loaded.bm25.vocab) == (original.bm25.k1, original.bm25.b,
                                                                  original.bm25.vocab)
    assert np.array_equal(loaded.bm25.idf, original.bm25.idf)
    for question in ("哪些社区办公用房不达标", "社区工作者待遇怎么样"):
        tokens = tokenizer(question)
        assert np.array_equal(loaded.bm25.get_scores(tokens), original.bm25.get_scores(tokens))
    compared = {"path", "manifest", "chunks", "embeddings", "embed_keys", "faiss_index", "bm25"}
    for field in dataclasses.fields(StoredIndex):  # any further stored arrays or lists
        if field.name not in compared:
            mine, theirs = getattr(loaded, field.name), getattr(original, field.name)
            if isinstance(theirs, np.ndarray):
                assert np.array_equal(mine, theirs), field.name
            else:
                assert mine == theirs, field.name


def test_save_then_load_gives_the_same_index(retriever, stored: StoredIndex, tmp_path: Path):
    index_dir = tmp_path / "index"
    path = save_index(index_dir, stored)
    assert path.parent == index_dir / BUILDS and stored.path == path
    assert (index_dir / CURRENT).read_text(encoding="utf-8") == path.name
    loaded = load_index(index_dir)
    assert loaded.path == path and live_build(index_dir) == path
    assert_same_index(loaded, retriever.stored, retriever.tokenizer)
    assert (path / "manifest.json").read_text(encoding="utf-8") == \
        (retriever.stored.path / "manifest.json").read_text(encoding="utf-8")  # the very same file
    assert len(loaded.chunks) > 400 and {c.file[:3] for c in loaded.chunks} == {"000", "002", "003", "004"}


def test_current_is_switched_by_one_atomic_rename(stored: StoredIndex, tmp_path: Path, monkeypatch):
    index_dir = tmp_path / "index"
    renames: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def recording_replace(source, target):
        renames.append((Path(source), Path(target)))
        real_replace(source, target)

    monkeypatch.setattr(store.os, "replace", recording_replace)
    path = save_index(index_dir, stored)
    (build_move, pointer_move) = [(source, target) for source, target in renames if index_dir in target.parents]
    assert build_move[0].parent == index_dir / BUILDS and build_move[0].name.startswith(".partial-")
    assert build_move[1] == path  # the build is complete in its folder before it becomes live...
    assert pointer_move[1] == index_dir / CURRENT  # ...then CURRENT is replaced by a file written beside it
    assert pointer_move[0].parent == index_dir and pointer_move[0].name.startswith(f".{CURRENT}.")
    assert not list(index_dir.glob(f".{CURRENT}.*")) and not list((index_dir / BUILDS).glob(".partial-*"))


def test_crash_before_the_switch_leaves_the_previous_build_live(stored: StoredIndex, tmp_path: Path, monkeypatch):
    index_dir = tmp_path / "index"
    first = save_index(index_dir, stored)
    real_replace = os.replace

    def power_cut_at_the_switch(source, target):
        if Path(target).name == CURRENT:
            raise KeyboardInterrupt("power cut before CURRENT was replaced")
        real_replace(source, target)

    monkeypatch.setattr(store.os, "replace", power_cut_at_the_switch)
    with pytest.raises(KeyboardInterrupt):
        save_index(index_dir, dataclasses.replace(stored))
    assert (index_dir / CURRENT).read_text(encoding="utf-8") == first.name
    assert load_index(index_dir).path == first
    assert len(list((index_dir / BUILDS).iterdir())) == 2 and list(index_dir.glob(f".{CURRENT}.*"))

    monkeypatch.setattr(store.os, "replace", real_replace)
    third = save_index(index_dir, dataclasses.replace(stored))  # the next save clears what the crash left
    assert list((index_dir / BUILDS).iterdir()) == [third] and not list(index_dir.glob(f".{CURRENT}.*"))


def test_a_second_save_removes_the_old_build(retriever, stored: StoredIndex, tmp_path: Path):
    index_dir = tmp_path / "index"
    first = save_index(index_dir, stored)
    second = save_index(index_dir, dataclasses.replace(stored))
    assert first != second and not first.exists()
    assert list((index_dir / BUILDS).iterdir()) == [second]
    assert (index_dir / CURRENT).read_text(encoding="utf-8") == second.name
    assert_same_index(load_index(index_dir), retriever.stored, retriever.tokenizer)


def test_files_of_a_build_hold_no_pickle(stored: StoredIndex, tmp_path: Path):
    path = save_index(tmp_path / "index", stored)
    for array in path.rglob("*.npy"):
        np.load(array, allow_pickle=False)  # raises if an object array (pickle) were stored
    assert (path / "manifest.json").is_file() and (path / "chunks.jsonl").is_file()
    assert not [p for p in path.rglob("*") if p.suffix in (".pkl", ".pickle")]
