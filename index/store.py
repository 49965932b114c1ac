"""Persist and load a built index, atomically, with a manifest and no pickle.

Layout of the index folder::

    CURRENT                 name of the live build (replaced atomically)
    builds/<build id>/
        manifest.json       model, dimension, chunker and tokenizer settings,
                            a hash per corpus file, versions, build time
                            (read as an :class:`index.manifest.Manifest`)
        chunks.jsonl        the chunks (the export format of ``python -m index chunks --jsonl``)
        embeddings.npy      passage vectors (float32), row i = chunk i
        embed_keys.json     per row, a hash of (model, embedded text): lets a rebuild reuse vectors
        sentences.npy       one row per sentence of every passage: (passage row, start, end) offsets (int32)
        sentence_vectors.npy  sentence vectors (float32), row i = sentence i
        sentence_keys.json  per sentence, a hash of (model, sentence text), reused like passage vectors
        dense.faiss         FAISS index over the vectors
        bm25/               sparse BM25 matrix (npz + json)

A build is written into a fresh folder and only then made live by replacing
``CURRENT``; a crash at any point leaves the previous build live and loadable.

Usage::

    stored = load_index(Path("data/index"))
    stored.manifest.model, len(stored.chunks)
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import faiss
import numpy as np

from core.errors import IndexUnavailableError
from index.bm25 import BM25
from index.dense import load_faiss, save_faiss
from index.manifest import Manifest
from index.text.normalise import normalise_for_match
from index.text.records import Chunk

log = logging.getLogger(__name__)

FORMAT_VERSION = 2
CURRENT = "CURRENT"
BUILDS = "builds"


@dataclass
class StoredIndex:
    """Everything search needs, as loaded from disk."""

    path: Path
    manifest: Manifest
    chunks: list[Chunk]
    embeddings: np.ndarray
    embed_keys: list[str]
    faiss_index: faiss.Index
    bm25: BM25
    sentence_spans: np.ndarray
    sentence_vectors: np.ndarray
    sentence_keys: list[str]

    @cached_property
    def match_texts(self) -> list[str]:
        """Every passage normalised for matching (:func:`normalise_for_match`, lower case), computed once: where
        question words are counted (the answer's term statistics) and quoted terms looked up (search)."""
        return [normalise_for_match(chunk.text).lower() for chunk in self.chunks]


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def builds_folder(index_dir: Path) -> Path:
    """The folder of the builds, created if needed; raise OSError early if the index folder is not writable."""
    builds = index_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    return builds


def save_index(index_dir: Path, stored: StoredIndex) -> Path:
    """Write a new build next to the live one, then make it live atomically; return its folder."""
    builds = builds_folder(index_dir)
    build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    target = builds / build_id
    work = Path(tempfile.mkdtemp(prefix=".partial-", dir=builds))
    with open(work / "chunks.jsonl", "w", encoding="utf-8") as handle:
        for chunk in stored.chunks:
            handle.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
    np.save(work / "embeddings.npy", stored.embeddings.astype(np.float32), allow_pickle=False)
    _write_json(work / "embed_keys.json", stored.embed_keys)
    np.save(work / "sentences.npy", stored.sentence_spans.astype(np.int32), allow_pickle=False)
    np.save(work / "sentence_vectors.npy", stored.sentence_vectors.astype(np.float32), allow_pickle=False)
    _write_json(work / "sentence_keys.json", stored.sentence_keys)
    save_faiss(stored.faiss_index, work / "dense.faiss")
    stored.bm25.save(work / "bm25")
    _write_json(work / "manifest.json", stored.manifest.to_json())  # written last: marks a complete build
    for path in work.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    os.replace(work, target)
    pointer = index_dir / f".{CURRENT}.{uuid.uuid4().hex[:6]}"
    pointer.write_text(build_id, encoding="utf-8")
    os.replace(pointer, index_dir / CURRENT)
    _remove_old_builds(index_dir, keep=build_id)
    stored.path = target
    return target


def _remove_old_builds(index_dir: Path, keep: str) -> None:
    """Delete builds other than the live one, and leftovers of interrupted builds."""
    for folder in (index_dir / BUILDS).iterdir():
        if folder.name != keep:
            shutil.rmtree(folder, ignore_errors=True)
    for stray in index_dir.glob(f".{CURRENT}.*"):
        stray.unlink(missing_ok=True)


def live_build(index_dir: Path) -> Path | None:
    """Folder of the live build, or None if no build was ever completed (or ``CURRENT`` is unusable)."""
    build_id = _current_id(index_dir)
    if build_id is None:
        return None
    folder = index_dir / BUILDS / build_id
    return folder if folder.is_dir() else None


def _current_id(index_dir: Path) -> str | None:
    """The build name ``CURRENT`` holds, or None if it is missing or not a plain build name."""
    try:
        build_id = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (OSError, ValueError):  # missing, a folder, unreadable, or not text
        return None
    if not build_id or build_id.startswith(".") or Path(build_id).name != build_id:
        return None
    return build_id


def read_manifest(index_dir: Path) -> Manifest | None:
    """The live build's manifest, or None if there is no readable one."""
    folder = live_build(index_dir)
    if folder is None:
        return None
    try:
        return _manifest_at(folder)
    except (OSError, ValueError):
        return None


def _manifest_at(folder: Path) -> Manifest:
    """A build's manifest; raise OSError / ValueError if it is missing, not JSON or damaged."""
    return Manifest.from_json(json.loads((folder / "manifest.json").read_text(encoding="utf-8")))


def load_array(path: Path, kind: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """A stored ``.npy`` array of dtype kind ``kind`` ("f" float, "i" integer) and, if given, ``shape``.

    The header is checked before the data is read (mapped, not allocated), so a damaged header that
    claims a huge shape is refused, not allocated. Raises OSError / ValueError for any damage, including
    an empty file (numpy's EOFError).
    """
    try:
        mapped = np.load(path, mmap_mode="r", allow_pickle=False)
    except EOFError as error:
        raise ValueError(f"{path.name} 为空或不完整") from error
    if mapped.dtype.kind != kind or (shape is not None and mapped.shape != shape):
        raise ValueError(f"{path.name} 的形状或类型与清单不符（{mapped.shape}，{mapped.dtype}）")
    return np.array(mapped)


VECTOR_FILES = (("embeddings.npy", "embed_keys.json"), ("sentence_vectors.npy", "sentence_keys.json"))
"""The passage and sentence vectors of a build with their keys (a hash of model and text), which a rebuild reuses."""


def load_vectors(index_dir: Path) -> dict[str, np.ndarray]:
    """Every intact passage and sentence vector of the builds in ``index_dir`` by embedding key (for reuse).

    The live build comes first, then any other build folder (a ``CURRENT`` that names no build, or a
    damaged vector file, no longer throws away the vectors that are intact); a damaged file is skipped
    with a warning. Nothing is loaded but the vectors and their keys.
    """
    live = live_build(index_dir)
    others = sorted((f for f in (index_dir / BUILDS).glob("*") if f.is_dir() and f != live), reverse=True) \
        if (index_dir / BUILDS).is_dir() else []
    found: dict[str, np.ndarray] = {}
    for folder in ([live] if live else []) + others:
        for vectors_file, keys_file in VECTOR_FILES:
            if not (folder / vectors_file).exists():  # a build of an older format has no sentence vectors
                continue
            try:
                found |= dict(_read_keyed_vectors(folder / vectors_file, folder / keys_file))
            except (OSError, ValueError) as error:  # the reader's own words (often English) for the log only
                log.warning("旧索引 %s 的 %s 无法读取，其中的向量将重新计算", folder.name, vectors_file)
                log.info("旧索引 %s 的 %s 无法读取：%s", folder.name, vectors_file, error)
    return found


def _read_keyed_vectors(vectors_file: Path, keys_file: Path) -> zip:
    """(key, vector) pairs of one vectors file; ValueError if the file and its keys do not match."""
    vectors = load_array(vectors_file, "f")
    keys = json.loads(keys_file.read_text(encoding="utf-8"))
    if not isinstance(keys, list) or vectors.ndim != 2 or len(keys) != len(vectors):
        raise ValueError("向量与其键数量不符")
    return zip(keys, vectors)


def load_index(index_dir: Path) -> StoredIndex:
    """Load the live build; raise :class:`IndexUnavailableError` with a way forward if impossible."""
    folder = live_build(index_dir)
    if folder is None:
        raise IndexUnavailableError(_no_live_build(index_dir))
    try:
        manifest = _manifest_at(folder)
        if manifest.format_version != FORMAT_VERSION:
            raise ValueError(f"索引格式版本 {manifest.format_version} 与程序不符（{FORMAT_VERSION}）")
        with open(folder / "chunks.jsonl", encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle]
        if not all(isinstance(row, dict) for row in rows):
            raise ValueError("片段文件 chunks.jsonl 中有不是 JSON 对象的行")
        chunks = [Chunk.from_dict(row) for row in rows]
        expected = (manifest.chunks, manifest.dimension)
        embeddings = load_array(folder / "embeddings.npy", "f", expected)
        embed_keys = json.loads((folder / "embed_keys.json").read_text(encoding="utf-8"))
        if len(chunks) != expected[0] or len(embed_keys) != expected[0]:
            raise ValueError(f"片段数与清单不符（清单 {expected[0]}，实际 {len(chunks)}/{len(embed_keys)}）")
        count = manifest.sentences
        if count is None:
            raise ValueError("清单 manifest.json 缺少字段或字段已被改坏：sentences")
        sentence_spans = load_array(folder / "sentences.npy", "i", (count, 3))
        sentence_vectors = load_array(folder / "sentence_vectors.npy", "f", (count, expected[1]))
        sentence_keys = json.loads((folder / "sentence_keys.json").read_text(encoding="utf-8"))
        if (len(sentence_keys) != count
                or (count and not 0 <= sentence_spans[:, 0].min() <= sentence_spans[:, 0].max() < len(chunks))):
            raise ValueError("句子向量与清单不符")
        faiss_index = load_faiss(folder / "dense.faiss", len(chunks), manifest.dimension)
        bm25 = BM25.load(folder / "bm25")
        if bm25.n_docs != len(chunks):
            raise ValueError("BM25 索引与片段数量不符")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise IndexUnavailableError(
            f"索引已损坏或不完整（{folder}）：{error}。请重建：python -m index build"
        ) from error
    return StoredIndex(folder, manifest, chunks, embeddings, embed_keys, faiss_index, bm25,
                       sentence_spans, sentence_vectors, sentence_keys)


def _no_live_build(index_dir: Path) -> str:
    """Why there is no live build, and how to make one."""
    if not (index_dir / CURRENT).exists():
        return f"尚未建立索引（{index_dir}）。请运行：python -m index build"
    return (f"索引不完整（{index_dir}）：{CURRENT} 指向的索引版本不存在或无法读取。"
            "请重建：python -m index build")
