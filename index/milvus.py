"""The search index in Milvus: collection schema, sync from the local build, and the search requests.

The local build (``index/build.py``) stays the source of truth: it chunks, embeds (reusing
unchanged vectors) and saves chunk records, passage and sentence vectors. A Milvus sync copies
what search needs into one collection, one row per chunk::

    id            VARCHAR primary key: the chunk id (content-derived, the same in every build)
    text          VARCHAR   the passage as shown to the user
    bm25_text     VARCHAR   what BM25 indexes (section path, places and text, see ``bm25_fields``):
                            the app tokenizer's tokens joined by spaces (``milvus_bm25`` "app" and
                            "weights"; analysed by a whitespace/standard tokenizer for "app") or the
                            cleaned text cut by Milvus's jieba analyser with the domain dictionary and
                            stopwords ("jieba")
    sparse        SPARSE_FLOAT_VECTOR  "app"/"jieba": output of Milvus's BM25 function over bm25_text
                            (metric BM25, never written by us); "weights": the local build's BM25 weight
                            of each term (term id → weight), searched by inner product with the
                            question's term counts, so scores equal the embedded BM25's. A term id is
                            a hash of the term (:func:`term_id`), not its place in the build's
                            vocabulary, so it means the same term in every build: an app still
                            holding an older build asks a newer collection correctly
    dense         FLOAT_VECTOR  the passage vector of the local build; HNSW index, metric IP (= cosine)
    file, report, report_title, section_path (ARRAY<VARCHAR>), line_start, line_end,
    duplicate_of (nullable)   the citation, as scalars (filters run on file and report)
    embed_key     VARCHAR   hash of (model, embedded text), as in the local build
    row_hash      VARCHAR   hash of every field above except the vectors: what a sync compares

Collection properties hold the schema version, the term id scheme of "weights" (``reportqa.term_ids``;
a collection without it numbered terms by vocabulary place and is rebuilt), a fingerprint of the settings baked into the
collection (analyser, tokenizer, HNSW build parameters, dimension, model) and, once a sync has
finished, a hash of all row hashes (``reportqa.content``): the app compares it with its local
build before serving, so it never maps Milvus's ids onto other chunk records.

Readers use an alias (``milvus_collection``). A "switch" sync writes a new collection
``<alias>_<time>_<random>``, checks its row count and only then moves the alias, so a failed
sync leaves the previous collection serving; on Milvus Lite it also gives one segment, hence one
set of BM25 statistics (Lite keeps them per segment). An "in-place" sync upserts changed rows and
deletes removed ids by primary key (not atomic; for a large server collection).

Milvus Lite (``milvus_uri`` a path ending in ``.db``, default ``<index_dir>/milvus.db``) runs
inside this process and locks its folder: one process at a time. A server is reached over gRPC.
pymilvus is imported by this module only, and this module only when the Milvus backend is used,
so the embedded backend never pays for the import (tested).

Usage::

    milvus = MilvusIndex.connect(settings, create=True)
    report = milvus.sync(stored, Tokenizer(settings.tokenizer))   # SyncReport: added/changed/removed
    ids, scores = milvus.sparse("哪些社区办公用房不达标", 100, filter_expr(files=["a.txt"]))
    milvus.close()
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
import time
import unicodedata
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from pymilvus import AnnSearchRequest, DataType, Function, FunctionType, MilvusClient, RRFRanker, WeightedRanker
from pymilvus.exceptions import ConnectionConfigException, MilvusException

from core.errors import BackendError
from core.settings import Settings
from index.build import bm25_text, sparse_settings
from index.store import StoredIndex
from index.tokenize import DOMAIN_TERMS, STOPWORDS, fold, read_word_list

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
"""Bump when fields or their meaning change: an older collection is then reported (server) or rebuilt (Lite)."""

PROP_SCHEMA = "reportqa.schema_version"
PROP_FINGERPRINT = "reportqa.fingerprint"
PROP_CONTENT = "reportqa.content"
PROP_BUILT_AT = "reportqa.built_at"
PROP_LOCAL_BUILD = "reportqa.local_build"
PROP_TERM_IDS = "reportqa.term_ids"
PROP_MODEL = "reportqa.model"

TERM_IDS = "crc32"
"""How ``milvus_bm25="weights"`` numbers terms (:func:`term_id`); recorded in each collection it writes."""
SPARSE_ID_LIMIT = 2**32 - 1
"""Milvus accepts sparse vector indices in [0, 2³² − 1)."""

LITE_FOLDER = "milvus.db"
"""Default Milvus Lite folder inside the index folder."""
SYNC_RECORD = "milvus_sync.json"
"""The last sync's report, written into the index folder."""

# Byte limits of the VARCHAR columns. A server counts max_length in UTF-8 bytes, Milvus Lite 3.2.2 in
# characters, so rows are checked in bytes here to behave the same on both.
MAX_ID = 64
MAX_TEXT = 65535
MAX_FILE = 1024
MAX_TITLE = 2048
MAX_PATH_ELEMENTS = 64
MAX_PATH_ELEMENT = 1024
MAX_KEY = 64

WRITE_BATCH = 256
QUERY_WINDOW = 16384
"""A server refuses a query whose offset + limit exceeds this; beyond it the query iterator is used."""

_LITE_USERS: dict[str, int] = {}
"""Open :class:`MilvusIndex` objects per Milvus Lite folder in this process: they share one in-process server,
which is stopped when the last one closes."""

UNAVAILABLE_CODES = {1, 2}
"""pymilvus error codes of a connection that failed or broke (config/connection, unexpected error)."""
NOT_LOADED_CODE = 101
"""Milvus's code for a search on a collection not loaded (a restarted server has released it)."""
MISSING_CODE = 100
"""Milvus's code for a collection that does not exist (dropped behind the app)."""
DAMAGED_HINTS = ("parquet", "magic bytes", "manifest", "footer")
"""Words of Milvus Lite's errors for data files it cannot read (a damaged folder)."""
REBUILD = "python -m index build --backend milvus"
"""The command that writes the collection again, named in errors."""


class MilvusUnavailableError(BackendError):
    """The Milvus server cannot be reached, or the Milvus Lite folder cannot be opened."""


class MilvusLockedError(MilvusUnavailableError):
    """Another process holds the Milvus Lite folder (Lite allows one process at a time)."""


class MilvusDamagedError(MilvusUnavailableError):
    """The Milvus Lite folder's data files cannot be read (damaged on disk)."""


class MilvusNotLoadedError(BackendError):
    """The collection is not loaded (a restarted server released it): load it and ask again."""


class MilvusMissingError(BackendError):
    """No collection under the alias: nothing was synced to this Milvus yet, or it was dropped."""


class MilvusSchemaError(BackendError):
    """The live collection has another schema version, or was built with other settings."""


class MilvusStaleError(BackendError):
    """The live collection holds other chunks than the local build (or an unfinished sync)."""


# ── connecting ───────────────────────────────────────────────────────────────────────────────────


def resolve_uri(settings: Settings) -> str:
    """The Milvus address of ``settings``: ``milvus_uri``, or Milvus Lite in ``<index_dir>/milvus.db``.

    A Lite path is made absolute (Lite keys its in-process server by absolute path).
    """
    uri = settings.milvus_uri or str(settings.index_dir / LITE_FOLDER)
    return str(Path(uri).resolve()) if is_lite(uri) else uri


def is_lite(uri: str) -> bool:
    """Whether ``uri`` names a Milvus Lite folder (pymilvus's rule: a local path ending in ``.db``).

    >>> is_lite("data/index/milvus.db"), is_lite("http://10.0.0.5:19530")
    (True, False)
    """
    return uri.endswith(".db") and "://" not in uri


def quiet_client_logs() -> None:
    """Silence pymilvus's and Milvus Lite's own error logs, which print a traceback for every failed request.

    Every failure reaches the user as one of this module's errors, with a Chinese message.
    """
    for name in ("pymilvus", "milvus_lite"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def connect(uri: str, token: str = "", timeout: float = 5.0, create: bool = False) -> MilvusClient:
    """A client of ``uri``; :class:`MilvusUnavailableError` (Chinese) if it cannot be reached.

    A refused port fails at once; a host that never answers after ``timeout`` seconds. For Milvus
    Lite the parent folder must exist (``create`` makes it); another process holding the folder
    gives :class:`MilvusLockedError`.
    """
    quiet_client_logs()
    if is_lite(uri):
        path = Path(uri)
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        if not path.parent.is_dir():
            raise MilvusUnavailableError(f"无法打开本地向量库 {uri}：所在文件夹 {path.parent} 不存在。")
        if path.exists() and not path.is_dir():
            raise MilvusUnavailableError(
                f"无法打开本地向量库 {uri}：它是一个文件，而 Milvus Lite 3 使用文件夹"
                "（旧版 milvus-lite 的 .db 文件不兼容）。请换一个路径，或删除它后重新同步。")
    started = time.perf_counter()
    try:
        return MilvusClient(uri=uri, token=token, timeout=timeout)
    except ConnectionConfigException as error:
        log.warning("Milvus %s 的连接参数不可用：%s", uri, error.message)
        if is_lite(uri) and lite_folder_locked(uri):
            raise MilvusLockedError(
                f"本地向量库 {uri} 正被另一个进程使用（Milvus Lite 同一时间只允许一个进程打开）。"
                "请先关闭另一个程序（例如正在运行的应用），或改用 Milvus 服务器。") from None
        raise MilvusUnavailableError(
            f"无法打开 Milvus {uri}：地址应为以 .db 结尾的本地路径，或 http://主机:19530 这样的服务器地址，"
            "请改正 REPORTQA_MILVUS_URI。") from None
    except MilvusException as error:
        log.warning("连接 Milvus %s 失败：[%s: %s]", uri, error.code, error.message)
        if is_lite(uri) and _damaged(str(error.message)):
            raise damaged_error(uri, "打开") from None
        waited = time.perf_counter() - started
        why = f"{timeout:g} 秒内未连上" if waited >= 0.8 * timeout else "连接被拒绝"
        raise MilvusUnavailableError(
            f"无法连接 Milvus 服务器 {uri}（{why}）：请确认服务已启动、地址和端口正确、网络可达。") from None


def lite_folder_locked(uri: str) -> bool:
    """Whether another process holds the Milvus Lite lock of ``uri`` (a non-blocking POSIX flock probe)."""
    lock = Path(uri) / "LOCK"
    if sys.platform == "win32" or not lock.exists():
        return False
    import fcntl

    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _damaged(message: str) -> bool:
    """Whether a Milvus Lite error says a data file cannot be read."""
    return any(hint in message.lower() for hint in DAMAGED_HINTS)


def damaged_error(uri: str, what: str) -> MilvusDamagedError:
    """The error of a Milvus Lite folder whose files cannot be read: delete it and sync again."""
    return MilvusDamagedError(f"本地向量库 {uri} 已损坏（{what}时读不出其中的数据文件）：请删除这个文件夹后运行 "
                              f"{REBUILD} 重新同步（报告和本机索引不受影响）。")


def request_error(uri: str, what: str, error: MilvusException) -> BackendError:
    """The Chinese error of a failed request; pymilvus's own (English) text goes to the log only."""
    message = str(error.message)
    log.warning("Milvus 请求失败（%s）：[%s: %s]", what, error.code, message)
    lower = message.lower()
    if is_lite(uri) and _damaged(message):
        return damaged_error(uri, what)
    if error.code == NOT_LOADED_CODE or "not loaded" in lower or "released" in lower:
        return MilvusNotLoadedError(f"Milvus 集合未载入（{what}）：请稍后重试。")
    if error.code == MISSING_CODE or "does not exist" in lower or "not found" in lower:
        return MilvusMissingError(f"Milvus（{uri}）中要用的集合已不存在（{what}），可能已被删除："
                                  f"请运行 {REBUILD} 重新同步。")
    if error.code in UNAVAILABLE_CODES or "unavailable" in lower:
        return MilvusUnavailableError(f"Milvus {uri} 不可用（{what}）：连接中断或服务未响应，请确认服务已启动后再试。")
    return BackendError(f"Milvus 请求失败（{what}，错误代码 {error.code}）：详细原因已写入日志，"
                        f"请检查 Milvus 服务，必要时运行 {REBUILD} 重新同步。")


@contextmanager
def milvus_calls(uri: str, what: str) -> Iterator[None]:
    """Turn a failed Milvus request into a :class:`BackendError` naming ``what`` was being done, in Chinese."""
    try:
        yield
    except MilvusException as error:
        raise request_error(uri, what, error) from None
    except Exception as error:  # grpc's own errors (e.g. a method Lite does not implement, a deadline)
        if type(error).__module__.startswith("grpc"):
            log.warning("Milvus 请求失败（%s）：%s", what, error)
            raise MilvusUnavailableError(f"Milvus {uri} 不可用（{what}）：服务未响应或不支持这个请求，"
                                         "请确认 Milvus 服务已启动且版本相符后再试。") from None
        raise


# ── filters ──────────────────────────────────────────────────────────────────────────────────────


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def quote_literal(value: str) -> str:
    """A Milvus filter string literal: double quotes, with backslash, quote and line breaks escaped.

    Milvus Lite does not support filter templates, so values are escaped instead.

    >>> print(quote_literal('a"b\\\\c（报告）.txt'))
    "a\\"b\\\\c（报告）.txt"
    """
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in value) + '"'


def filter_expr(files: Iterable[str] = (), reports: Iterable[tuple[str, int]] = ()) -> str:
    """The Milvus filter of the app's scope: a passage of one of ``files`` or of one ``(file, report)``.

    Same meaning as ``retriever.backends.Scope.of`` (the embedded mask); "" keeps everything.

    >>> filter_expr(["b.txt"], [("a.txt", 2), ("a.txt", 1)])
    'file in ["b.txt"] or (file == "a.txt" and report in [1, 2])'
    """
    names = sorted(set(files))
    by_file: dict[str, set[int]] = {}
    for name, number in reports:
        by_file.setdefault(name, set()).add(int(number))
    parts = [f"file in [{', '.join(quote_literal(f) for f in names)}]"] if names else []
    for name in sorted(set(by_file) - set(names)):
        numbers = ", ".join(str(n) for n in sorted(by_file[name]))
        parts.append(f"(file == {quote_literal(name)} and report in [{numbers}])")
    return " or ".join(parts)


# ── what goes into a row ─────────────────────────────────────────────────────────────────────────


_NOT_WORD = re.compile(r"\W")


def token_text(tokens: Sequence[str]) -> str:
    """Tokens joined by spaces, each made of word characters only (``2.5`` → ``2_5``).

    Milvus Lite's ``standard`` tokenizer splits on ``\\W+`` and a server's ``whitespace`` tokenizer on
    spaces: on text made like this both give back exactly these tokens.
    """
    return " ".join(_NOT_WORD.sub("_", token) for token in tokens)


def clean_for_jieba(text: str) -> str:
    """NFKC, lower case, punctuation and symbols replaced by spaces (for ``milvus_bm25="jieba"``).

    Milvus Lite's jieba analyser keeps punctuation as tokens and ignores a server's ``removepunct``
    filter; cleaning here gives the same tokens on both.
    """
    text = fold(text)
    return "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text)


def analyzer_params(mode: str, lite: bool) -> dict[str, Any] | None:
    """The analyser of ``bm25_text``; None for "weights" (Milvus does no BM25 of its own then).

    ``app``: the text already holds the app's tokens; Lite splits them with ``standard`` (it has no
    ``whitespace``), a server with ``whitespace``. ``jieba``: Milvus cuts the text in precise mode
    with its default dictionary plus the domain terms, then drops the stopwords.
    """
    if mode == "weights":
        return None
    if mode == "app":
        return {"tokenizer": "standard" if lite else "whitespace"}
    return {
        "tokenizer": {"type": "jieba", "dict": ["_default_", *read_word_list(DOMAIN_TERMS)], "mode": "exact",
                      "hmm": True},
        "filter": ["removepunct", {"type": "stop", "stop_words": read_word_list(STOPWORDS)}],
    }


def _hash(data: object) -> str:
    return hashlib.sha1(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def term_id(term: str) -> int:
    """The sparse index of ``term`` in every build: CRC-32 of its UTF-8, within Milvus's index range.

    Stable across builds (a vocabulary place shifts when a report is added or removed). Two terms
    of one vocabulary that share an id have their weights and counts added (none in today's corpus).

    >>> term_id("三社联动") == term_id("三社联动") != term_id("社区")
    True
    """
    return zlib.crc32(term.encode("utf-8")) % SPARSE_ID_LIMIT


def vocab_term_ids(vocab: dict[str, int]) -> np.ndarray:
    """``term_id`` of each vocabulary column (index = the build's vocab id)."""
    ids = np.zeros(len(vocab), dtype=np.int64)
    for term, column in vocab.items():
        ids[column] = term_id(term)
    return ids


def sparse_weights(stored: StoredIndex) -> list[dict[int, float]]:
    """Per chunk, the local build's BM25 weight of each of its terms by :func:`term_id` (``milvus_bm25="weights"``)."""
    matrix = stored.bm25.document_weights()
    ids = vocab_term_ids(stored.bm25.vocab)
    rows: list[dict[int, float]] = []
    for start, end in zip(matrix.indptr[:-1], matrix.indptr[1:]):
        row: dict[int, float] = {}
        for column, weight in zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist()):
            row[int(ids[column])] = row.get(int(ids[column]), 0.0) + weight
        rows.append(row)
    return rows


def row_hashes(stored: StoredIndex, settings: Settings) -> list[str]:
    """Per chunk, a hash of what its Milvus row holds (citation, text, BM25 source text, embed key).

    The dense vector is left out: its embed key names it. With ``milvus_bm25="weights"`` the BM25
    weights are in (they change with every corpus change). Cheap otherwise (no tokenizing), so the
    app compares its local build with the collection at every start.
    """
    weights = sparse_weights(stored) if settings.milvus_bm25 == "weights" else [{} for _ in stored.chunks]
    return [_hash([c.id, c.text, c.file, c.report, c.report_title, c.section_path, c.line_start, c.line_end,
                   c.duplicate_of, key, bm25_text(c, settings.bm25_fields), sorted(w.items())])
            for c, key, w in zip(stored.chunks, stored.embed_keys, weights)]


def content_hash(ids: Iterable[str], hashes: Iterable[str]) -> str:
    """One hash of a whole set of rows (order-free)."""
    return hashlib.sha1("\n".join(sorted(f"{i}:{h}" for i, h in zip(ids, hashes))).encode("utf-8")).hexdigest()


def _check_sizes(row: dict[str, Any]) -> None:
    """Refuse, in Chinese, a field longer than its column (in UTF-8 bytes)."""
    limits = {"id": MAX_ID, "text": MAX_TEXT, "bm25_text": MAX_TEXT, "file": MAX_FILE, "report_title": MAX_TITLE,
              "duplicate_of": MAX_ID, "embed_key": MAX_KEY}
    for name, limit in limits.items():
        value = row.get(name)
        if value is not None and len(value.encode("utf-8")) > limit:
            raise BackendError(f"片段 {row['id']} 的字段 {name} 有 {len(value.encode('utf-8'))} 字节，"
                               f"超过 Milvus 列的上限 {limit} 字节，无法同步。")
    path = row["section_path"]
    if len(path) > MAX_PATH_ELEMENTS or any(len(p.encode("utf-8")) > MAX_PATH_ELEMENT for p in path):
        raise BackendError(f"片段 {row['id']} 的章节路径过长（最多 {MAX_PATH_ELEMENTS} 级、每级 "
                           f"{MAX_PATH_ELEMENT} 字节），无法同步到 Milvus。")


# ── reports ──────────────────────────────────────────────────────────────────────────────────────


@dataclass
class MilvusStatus:
    """Whether the live collection can serve the local build; if not, why (Chinese) and which error."""

    state: str  # "ok", "missing", "schema" (old version), "settings" (other fingerprint), "content" or "damaged"
    reasons: list[str] = field(default_factory=list)
    collection: str | None = None

    @property
    def ok(self) -> bool:
        """True if the collection matches the local build and these settings."""
        return self.state == "ok"

    def error(self) -> BackendError:
        """The error to raise when the app may not sync by itself (a Milvus server)."""
        text = "；".join(self.reasons) + "。请在建索引的机器上运行：python -m index build --backend milvus"
        kind = {"missing": MilvusMissingError, "schema": MilvusSchemaError, "settings": MilvusSchemaError}
        return kind.get(self.state, MilvusStaleError)(text)


@dataclass
class SyncReport:
    """What one sync did; printed by ``python -m index build --backend milvus`` and saved as milvus_sync.json."""

    uri: str
    alias: str
    mode: str
    collection: str
    previous: str | None
    rows: int
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    written: int = 0
    deleted: int = 0
    seconds: float = 0.0
    reason: str = ""
    content: str = ""
    local_build: str = ""
    finished_at: str = ""

    def text(self) -> str:
        """One line for the command line."""
        if not self.written and not self.deleted:
            return f"Milvus 集合 {self.collection}（别名 {self.alias}）已与本机索引一致：{self.rows} 个片段。"
        how = "新集合并切换别名" if self.mode == "switch" else "原地更新"
        return (f"已同步到 Milvus（{how}）：集合 {self.collection}（别名 {self.alias}，{self.uri}），"
                f"片段 {self.rows} 个；"
                f"新增 {self.added}、修改 {self.changed}、删除 {self.removed}、未变 {self.unchanged}；"
                f"写入 {self.written} 行，删除 {self.deleted} 行，用时 {self.seconds:.1f} 秒"
                + (f"（{self.reason}）" if self.reason else ""))


# ── the collection ───────────────────────────────────────────────────────────────────────────────


class MilvusIndex:
    """The alias of one Milvus (Lite or server): status, sync from a local build, and search requests."""

    def __init__(self, client: MilvusClient, settings: Settings, uri: str) -> None:
        self.client = client
        self.settings = settings
        self.uri = uri
        self.lite = is_lite(uri)
        self.alias = settings.milvus_collection
        self.closed = False
        if self.lite:
            _LITE_USERS[uri] = _LITE_USERS.get(uri, 0) + 1

    @classmethod
    def connect(cls, settings: Settings, create: bool = False) -> MilvusIndex:
        """Connect to the configured Milvus (``create``: make the Lite folder's parent if needed)."""
        uri = resolve_uri(settings)
        return cls(connect(uri, settings.milvus_token, settings.milvus_connect_timeout, create), settings, uri)

    def close(self) -> None:
        """Close the connection; the last one of a Milvus Lite folder also stops its server and frees the folder."""
        if self.closed:
            return
        self.closed = True
        self.client.close()
        if self.lite:
            _LITE_USERS[self.uri] -= 1
            if _LITE_USERS[self.uri] == 0:
                del _LITE_USERS[self.uri]
                from milvus_lite.server_manager import server_manager_instance

                server_manager_instance.release_server(self.uri)

    def _requests(self, what: str) -> AbstractContextManager[None]:
        """Failed requests become :class:`BackendError` naming ``what``."""
        return milvus_calls(self.uri, what)

    # schema -------------------------------------------------------------------------------------

    def fingerprint(self, stored: StoredIndex) -> str:
        """Hash of everything a collection bakes in at creation: a change means a new collection."""
        s = self.settings
        return _hash({"schema": SCHEMA_VERSION, "dim": int(stored.embeddings.shape[1]),
                      "model": stored.manifest["model"], "bm25": s.milvus_bm25,
                      "analyzer": analyzer_params(s.milvus_bm25, self.lite), "sparse": sparse_settings(s),
                      "hnsw": [s.milvus_hnsw_m, s.milvus_hnsw_ef_construction]})[:16]

    def schema(self, dim: int) -> Any:
        """Fields of a collection (see the module docstring), with the BM25 function from bm25_text to sparse."""
        s = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        s.add_field("id", DataType.VARCHAR, is_primary=True, max_length=MAX_ID)
        s.add_field("text", DataType.VARCHAR, max_length=MAX_TEXT)
        analyzer = analyzer_params(self.settings.milvus_bm25, self.lite)
        if analyzer is None:
            s.add_field("bm25_text", DataType.VARCHAR, max_length=MAX_TEXT)
        else:
            s.add_field("bm25_text", DataType.VARCHAR, max_length=MAX_TEXT, enable_analyzer=True,
                        analyzer_params=analyzer)
        s.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        s.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
        s.add_field("file", DataType.VARCHAR, max_length=MAX_FILE)
        s.add_field("report", DataType.INT64)
        s.add_field("report_title", DataType.VARCHAR, max_length=MAX_TITLE)
        s.add_field("section_path", DataType.ARRAY, element_type=DataType.VARCHAR,
                    max_capacity=MAX_PATH_ELEMENTS, max_length=MAX_PATH_ELEMENT)
        s.add_field("line_start", DataType.INT64)
        s.add_field("line_end", DataType.INT64)
        s.add_field("duplicate_of", DataType.VARCHAR, max_length=MAX_ID, nullable=True)
        s.add_field("embed_key", DataType.VARCHAR, max_length=MAX_KEY)
        s.add_field("row_hash", DataType.VARCHAR, max_length=MAX_KEY)
        if analyzer is not None:
            s.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["bm25_text"],
                                    output_field_names=["sparse"]))
        return s

    @property
    def sparse_metric(self) -> str:
        """BM25 (Milvus's BM25 function) or IP (the local build's weights)."""
        return "IP" if self.settings.milvus_bm25 == "weights" else "BM25"

    def index_params(self) -> Any:
        """BM25 inverted index (k1, b of the settings; metric IP for "weights") and HNSW (M, efConstruction), IP.

        pymilvus 3.0.2 sends ``params={...}`` as top-level key/value pairs, the documented form a
        server reads; Milvus Lite 3.2.2 reads only a nested JSON ``params`` pair and silently ignores
        the rest, so on Lite the parameters are nested (otherwise Lite's defaults would apply).
        """
        s = self.settings
        sparse = {"bm25_k1": s.bm25_k1, "bm25_b": s.bm25_b}
        dense = {"M": s.milvus_hnsw_m, "efConstruction": s.milvus_hnsw_ef_construction}
        params = self.client.prepare_index_params()
        if self.sparse_metric == "IP":
            params.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
        else:
            params.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                             params={"params": sparse} if self.lite else sparse)
        params.add_index(field_name="dense", index_type="HNSW", metric_type="IP",
                         params={"params": dense} if self.lite else dense)
        return params

    def create_collection(self, name: str, stored: StoredIndex) -> None:
        """An empty, loaded collection with schema, indexes and version properties."""
        timeout = self.settings.milvus_write_timeout
        with self._requests(f"建立集合 {name}"):
            self.client.create_collection(
                name, schema=self.schema(int(stored.embeddings.shape[1])), consistency_level="Strong",
                properties={PROP_SCHEMA: str(SCHEMA_VERSION), PROP_FINGERPRINT: self.fingerprint(stored),
                            PROP_TERM_IDS: TERM_IDS, PROP_MODEL: str(stored.manifest["model"])},
                timeout=timeout)
            # Not create_collection(index_params=...): pymilvus would then poll each index with an RPC
            # Milvus Lite lacks (an error logged, 0.5 s lost per index). The collection is empty anyway.
            self.client.create_index(name, self.index_params(), sync=False, timeout=timeout)
            self.client.load_collection(name, timeout=timeout)

    # reading the state --------------------------------------------------------------------------

    def live_collection(self) -> str | None:
        """The collection behind the alias, or None.

        Scans the aliases of each collection: ``describe_alias`` of a missing alias fails, and
        Milvus Lite lets a collection be dropped under its alias, which then names nothing.
        """
        timeout = self.settings.milvus_search_timeout
        with self._requests("读取别名"):
            for name in self.client.list_collections(timeout=timeout):
                if self.alias in self.client.list_aliases(name, timeout=timeout).get("aliases", []):
                    return name
        return None

    def properties(self, name: str) -> dict[str, str]:
        """The collection's properties (schema version, fingerprint, content hash, build time)."""
        with self._requests(f"读取集合 {name} 的属性"):
            info = self.client.describe_collection(name, timeout=self.settings.milvus_search_timeout)
        return dict(info.get("properties") or {})

    def status(self, stored: StoredIndex, hashes: list[str] | None = None) -> MilvusStatus:
        """Compare the live collection with the local build and the settings."""
        name = self.live_collection()
        if name is None:
            return MilvusStatus("missing", [f"Milvus（{self.uri}）中没有别名为 {self.alias} 的集合，尚未同步过索引"])
        props = self.properties(name)
        if props.get(PROP_SCHEMA) != str(SCHEMA_VERSION):
            return MilvusStatus("schema", [f"Milvus 集合 {name} 的结构版本为 {props.get(PROP_SCHEMA) or '未知'}，"
                                           f"程序需要版本 {SCHEMA_VERSION}，需要重建"], name)
        if self.settings.milvus_bm25 == "weights" and props.get(PROP_TERM_IDS) != TERM_IDS:
            scheme = props.get(PROP_TERM_IDS) or "旧版，按词表位置"
            return MilvusStatus("settings", [f"Milvus 集合 {name} 的 BM25 词编号方式（{scheme}）与程序（{TERM_IDS}）"
                                             "不同，需要重建"], name)
        if props.get(PROP_FINGERPRINT) != self.fingerprint(stored):
            return MilvusStatus("settings", [f"Milvus 集合 {name} 建立时的分词、向量维度或 HNSW 设置与当前设置不同，"
                                             "需要重建"], name)
        hashes = row_hashes(stored, self.settings) if hashes is None else hashes
        if props.get(PROP_CONTENT) != content_hash((c.id for c in stored.chunks), hashes):
            return MilvusStatus("content", [f"Milvus 集合 {name} 中的片段与本机索引（{stored.path.name}）不一致"
                                            "（语料已更新，或上次同步未完成）"], name)
        return self.row_status(name, len(stored.chunks))

    def row_status(self, name: str, passages: int) -> MilvusStatus:
        """"ok" if ``name`` holds ``passages`` rows, else "damaged".

        The properties can say "complete" over a collection that lost its rows (a damaged Milvus Lite
        folder reopens empty), so a cheap ``count(*)`` confirms them.
        """
        self.ensure_loaded(name)
        rows = self.count(name)
        if rows != passages:
            return MilvusStatus("damaged", [f"Milvus 集合 {name} 只有 {rows} 行，而本机索引有 {passages} 个片段"
                                            "（集合已损坏或被改动）"], name)
        return MilvusStatus("ok", [], name)

    def ensure_loaded(self, name: str) -> None:
        """Load ``name`` unless loaded: Milvus Lite reopens collections released, and a search then fails."""
        timeout = self.settings.milvus_write_timeout
        with self._requests(f"载入集合 {name}"):
            state = self.client.get_load_state(name, timeout=timeout)["state"]
            if getattr(state, "name", str(state)) != "Loaded":
                self.client.load_collection(name, timeout=timeout)

    def count(self, name: str | None = None) -> int:
        """Rows in a collection (``count(*)``, exact under Strong consistency)."""
        with self._requests("统计行数"):
            rows = self.client.query(name or self.alias, filter="", output_fields=["count(*)"],
                                     timeout=self.settings.milvus_search_timeout)
        return int(rows[0]["count(*)"])

    def stored_hashes(self, name: str) -> dict[str, str]:
        """``{id: row_hash}`` of every row of ``name``."""
        fields = ["id", "row_hash"]
        timeout = self.settings.milvus_write_timeout
        with self._requests(f"读取集合 {name} 的行"):
            rows = self.client.query(name, filter='id != ""', output_fields=fields, limit=QUERY_WINDOW,
                                     timeout=timeout)
            if len(rows) >= QUERY_WINDOW:  # the iterator only when needed: Lite logs an error for it
                rows = []
                iterator = self.client.query_iterator(name, batch_size=1000, filter='id != ""',
                                                      output_fields=fields, timeout=timeout)
                try:
                    while batch := iterator.next():
                        rows.extend(batch)
                finally:
                    iterator.close()
        return {row["id"]: row["row_hash"] for row in rows}

    # writing --------------------------------------------------------------------------------------

    def bm25_input(self, text: str, tokenize: Callable[[str], list[str]] | None) -> str:
        """Document or question text as ``bm25_text`` holds it (the app's tokens, or cleaned text for jieba)."""
        if self.settings.milvus_bm25 == "jieba":
            return clean_for_jieba(text)
        if tokenize is None:
            raise ValueError(f"milvus_bm25={self.settings.milvus_bm25!r} needs the app's tokenizer")
        return token_text(tokenize(text))

    def bm25_query(self, text: str, tokenize: Callable[[str], list[str]] | None,
                   vocab: dict[str, int]) -> str | dict[int, float] | None:
        """What a sparse search sends for a question: text for Milvus's BM25 function, or (``weights``)
        the question's term counts by :func:`term_id` (words of ``vocab`` only), like the embedded BM25;
        None when nothing is left to match."""
        if self.settings.milvus_bm25 != "weights":
            prepared = self.bm25_input(text, tokenize)
            return prepared if prepared.strip() else None
        if tokenize is None:
            raise ValueError("milvus_bm25='weights' needs the app's tokenizer")
        counts: dict[int, float] = {}
        for token in tokenize(text):
            if token in vocab:  # a word no passage holds scores nothing (as in the embedded BM25)
                counts[term_id(token)] = counts.get(term_id(token), 0.0) + 1.0
        return counts or None

    def _rows(self, stored: StoredIndex, rows: Sequence[int], hashes: list[str],
              tokenize: Callable[[str], list[str]] | None) -> Iterator[dict[str, Any]]:
        """The Milvus rows of the given chunk rows (vectors from the local build: nothing is embedded here)."""
        weights = sparse_weights(stored) if self.settings.milvus_bm25 == "weights" else None
        for i in rows:
            chunk = stored.chunks[i]
            row = {"id": chunk.id, "text": chunk.text,
                   "bm25_text": self.bm25_input(bm25_text(chunk, self.settings.bm25_fields), tokenize),
                   "file": chunk.file, "report": int(chunk.report), "report_title": chunk.report_title,
                   "section_path": list(chunk.section_path), "line_start": int(chunk.line_start),
                   "line_end": int(chunk.line_end), "duplicate_of": chunk.duplicate_of,
                   "embed_key": stored.embed_keys[i], "row_hash": hashes[i]}
            _check_sizes(row)
            row["dense"] = stored.embeddings[i].astype(np.float32).tolist()
            if weights is not None:
                row["sparse"] = weights[i]
            yield row

    def _write(self, name: str, rows: Iterator[dict[str, Any]], upsert: bool) -> int:
        """Insert (or upsert) rows in batches; the number written."""
        call = self.client.upsert if upsert else self.client.insert
        written, batch = 0, []
        with self._requests(f"写入集合 {name}"):
            for row in rows:
                batch.append(row)
                if len(batch) == WRITE_BATCH:
                    call(name, batch, timeout=self.settings.milvus_write_timeout)
                    written, batch = written + len(batch), []
            if batch:
                call(name, batch, timeout=self.settings.milvus_write_timeout)
                written += len(batch)
        return written

    def _finish(self, name: str, content: str, stored: StoredIndex) -> None:
        """Flush (one BM25 segment on Lite) and record the content hash: the collection is now complete."""
        timeout = self.settings.milvus_write_timeout
        with self._requests(f"完成集合 {name}"):
            self.client.flush(name, timeout=timeout)
            self.client.alter_collection_properties(
                name, properties={PROP_CONTENT: content, PROP_LOCAL_BUILD: stored.path.name,
                                  PROP_BUILT_AT: datetime.now(UTC).isoformat(timespec="seconds")},
                timeout=timeout)

    def sync(self, stored: StoredIndex, tokenize: Callable[[str], list[str]] | None,
             mode: str | None = None, force: bool = False) -> SyncReport:
        """Bring the alias in step with the local build; return what was done.

        Rows are compared by id and row hash with the live collection. Nothing changed: nothing is
        written. ``switch`` (default): every row goes into a new collection, the alias moves once its
        row count is right, then the old collection is dropped; if anything fails before the move the
        new collection is dropped and the old one keeps serving. ``in-place``: changed and new rows
        are upserted, removed ids deleted; it falls back to ``switch`` when there is no usable
        collection (missing, or built with another schema or settings). ``force``: write a new
        collection even when nothing changed.
        """
        started = time.perf_counter()
        mode = mode or self.settings.milvus_sync
        hashes = row_hashes(stored, self.settings)
        ids = [c.id for c in stored.chunks]
        if len(set(ids)) != len(ids):
            raise BackendError("本机索引中有重复的片段 id，无法同步到 Milvus。")
        content = content_hash(ids, hashes)
        status = self.status(stored, hashes)
        live = status.collection
        old: dict[str, str] = {}
        if live is not None and status.state != "schema":  # another schema version: its fields are unknown
            self.ensure_loaded(live)  # Lite reopens collections released; a query would fail
            old = self.stored_hashes(live)
        local = dict(zip(ids, hashes))
        report = SyncReport(uri=self.uri, alias=self.alias, mode=mode, collection=live or "", previous=live,
                            rows=len(ids), content=content, local_build=stored.path.name,
                            added=sum(1 for i in local if i not in old),
                            changed=sum(1 for i, h in local.items() if i in old and old[i] != h),
                            removed=sum(1 for i in old if i not in local))
        report.unchanged = len(ids) - report.added - report.changed
        if force:
            status, report.mode, report.reason = MilvusStatus("forced", [], live), "switch", "按要求全部重写"
        if mode == "in-place" and status.state in ("missing", "schema", "settings", "damaged"):
            report.mode, report.reason = "switch", "；".join(status.reasons)
        elif status.state not in ("content", "forced"):
            report.reason = "；".join(status.reasons)
        if not status.ok:
            if report.mode == "in-place" and live is not None:
                self._sync_in_place(live, stored, tokenize, hashes, local, old, content, report)
            else:
                self._sync_switch(stored, tokenize, hashes, content, report)
        report.seconds = round(time.perf_counter() - started, 3)
        report.finished_at = datetime.now(UTC).isoformat(timespec="seconds")
        record_sync(self.settings.index_dir, report)
        return report

    def _sync_switch(self, stored: StoredIndex, tokenize: Callable[[str], list[str]] | None, hashes: list[str],
                     content: str, report: SyncReport) -> None:
        """Fill a new collection, check it, move the alias to it, drop the old one."""
        name = f"{self.alias}_{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}_{uuid.uuid4().hex[:6]}"
        timeout = self.settings.milvus_write_timeout
        previous = report.previous
        try:
            self.create_collection(name, stored)
            report.written = self._write(name, self._rows(stored, range(len(stored.chunks)), hashes, tokenize),
                                         upsert=False)
            self._finish(name, content, stored)
            if self.count(name) != len(stored.chunks):
                raise BackendError(f"写入后集合 {name} 有 {self.count(name)} 行，应为 {len(stored.chunks)} 行。")
            with self._requests(f"把别名 {self.alias} 指向 {name}"):
                if previous is None:
                    try:
                        self.client.create_alias(name, self.alias, timeout=timeout)
                    except MilvusException:  # Lite: an alias left behind by a dropped collection
                        self.client.alter_alias(name, self.alias, timeout=timeout)
                else:
                    self.client.alter_alias(name, self.alias, timeout=timeout)
        except BaseException as error:
            self._drop_quietly(name)
            if isinstance(error, BackendError):
                kept = f"原集合 {previous} 仍在使用。" if previous else ""
                raise type(error)(f"同步到 Milvus 失败，{kept}{error}") from None
            raise
        report.collection, report.deleted = name, report.removed
        if previous is not None:
            self._drop_quietly(previous)

    def _sync_in_place(self, name: str, stored: StoredIndex, tokenize: Callable[[str], list[str]] | None,
                       hashes: list[str], local: dict[str, str], old: dict[str, str], content: str,
                       report: SyncReport) -> None:
        """Upsert new and changed rows, delete removed ids, then mark the collection complete."""
        todo = [i for i, c in enumerate(stored.chunks) if old.get(c.id) != local[c.id]]
        report.written = self._write(name, self._rows(stored, todo, hashes, tokenize), upsert=True)
        gone = sorted(set(old) - set(local))
        with self._requests(f"删除集合 {name} 中的旧行"):
            for start in range(0, len(gone), 500):
                self.client.delete(name, ids=gone[start:start + 500], timeout=self.settings.milvus_write_timeout)
        report.deleted = len(gone)
        self._finish(name, content, stored)
        self.ensure_loaded(name)

    def _drop_quietly(self, name: str) -> None:
        """Drop a collection, logging (not raising) a failure: used after a switch and to clean up."""
        try:
            if self.client.has_collection(name, timeout=self.settings.milvus_write_timeout):
                self.client.drop_collection(name, timeout=self.settings.milvus_write_timeout)
        except Exception as error:  # noqa: BLE001 - cleanup must not hide the real outcome
            log.warning("未能删除 Milvus 集合 %s：%s", name, error)

    # searching ------------------------------------------------------------------------------------

    def _hits(self, result: Any, score: Callable[[float], float] = float) -> tuple[list[str], list[float]]:
        hits = result[0] if result else []
        return [str(h["id"]) for h in hits], [score(h["distance"]) for h in hits]

    def _dense_params(self, k: int) -> dict[str, Any]:
        return {"metric_type": "IP", "params": {"ef": max(self.settings.milvus_hnsw_ef, k)}}

    def _search(self, what: str, request: Callable[[], Any]) -> Any:
        """Run a search; a collection not loaded (a restarted server releases it) is loaded, then asked again."""
        try:
            with self._requests(what):
                return request()
        except MilvusNotLoadedError:
            log.warning("Milvus 集合未载入（%s），载入后重试一次", what)
            name = self.live_collection()
            if name is None:
                raise MilvusMissingError(f"Milvus（{self.uri}）中没有别名为 {self.alias} 的集合（{what}）："
                                         f"请运行 {REBUILD} 重新同步。") from None
            self.ensure_loaded(name)
            with self._requests(what):
                return request()

    def dimension_error(self, dim: int) -> BackendError | None:
        """The error naming both sizes when the live collection's vectors are not ``dim``-dimensional, else None."""
        try:
            name = self.live_collection()
            if name is None:
                return None
            with self._requests(f"读取集合 {name} 的结构"):
                info = self.client.describe_collection(name, timeout=self.settings.milvus_search_timeout)
        except BackendError:
            return None
        dense = [f for f in info.get("fields", []) if f["name"] == "dense"]
        built = int(dense[0].get("params", {}).get("dim", 0)) if dense else 0
        if not built or built == dim:
            return None
        model = (info.get("properties") or {}).get(PROP_MODEL) or "未记录"
        return MilvusSchemaError(f"Milvus 集合 {name} 的向量是 {built} 维（模型 {model}），"
                                 f"而本程序的问题向量是 {dim} 维（模型 {self.settings.model}）："
                                 f"请用本程序的模型运行 {REBUILD} 重新同步。")

    def _vector_search(self, what: str, vector: np.ndarray, request: Callable[[], Any]) -> Any:
        """A search with a question vector: a failure from a dimension mismatch is reported as such."""
        try:
            return self._search(what, request)
        except BackendError as error:
            raise self.dimension_error(len(vector)) or error from None

    def sparse(self, query: str | dict[int, float] | None, k: int, expr: str = "") -> tuple[list[str], list[float]]:
        """BM25 top ``k`` ids and scores for a prepared question (:meth:`bm25_query`) within ``expr``.

        Milvus Lite returns ``-score`` as the distance of a plain BM25 search, a server ``+score``;
        a BM25 score is never negative, so its absolute value is right on both.
        """
        if not query:
            return [], []
        result = self._search("BM25 检索", lambda: self.client.search(
            self.alias, data=[query], anns_field="sparse", limit=k, filter=expr, output_fields=["id"],
            search_params={"metric_type": self.sparse_metric}, timeout=self.settings.milvus_search_timeout))
        return self._hits(result, lambda d: abs(float(d)))

    def dense(self, vector: np.ndarray, k: int, expr: str = "") -> tuple[list[str], list[float]]:
        """Inner product (cosine for unit vectors) top ``k`` ids and scores within ``expr``."""
        result = self._vector_search("向量检索", vector, lambda: self.client.search(
            self.alias, data=[np.asarray(vector, dtype=np.float32).tolist()], anns_field="dense", limit=k,
            filter=expr, output_fields=["id"], search_params=self._dense_params(k),
            timeout=self.settings.milvus_search_timeout))
        return self._hits(result)

    def hybrid(self, query: str | dict[int, float], vector: np.ndarray, k: int, expr: str = ""
               ) -> tuple[list[str], list[float]]:
        """BM25 and dense fused by Milvus in one request.

        ``WeightedRanker(1 − dense_weight, dense_weight)`` when ``fusion`` is weighted: Milvus maps each
        score through a fixed arctan curve, not the app's per-question min-max, so the same weights
        rank differently. ``RRFRanker(rrf_k)`` when ``fusion`` is rrf (unweighted).
        """
        s = self.settings
        searches = [
            AnnSearchRequest(data=[query], anns_field="sparse", param={"metric_type": self.sparse_metric}, limit=k,
                             expr=expr or None),
            AnnSearchRequest(data=[np.asarray(vector, dtype=np.float32).tolist()], anns_field="dense",
                             param=self._dense_params(k), limit=k, expr=expr or None),
        ]
        ranker = (WeightedRanker(1 - s.dense_weight, s.dense_weight, norm_score=True) if s.fusion == "weighted"
                  else RRFRanker(s.rrf_k))
        result = self._vector_search("混合检索", vector, lambda: self.client.hybrid_search(
            self.alias, searches, ranker, limit=k, output_fields=["id"], timeout=s.milvus_search_timeout))
        return self._hits(result)


def record_sync(index_dir: Path, report: SyncReport) -> None:
    """Save the sync report as ``<index_dir>/milvus_sync.json`` (written atomically; never the token)."""
    target = index_dir / SYNC_RECORD
    partial = index_dir / f".{SYNC_RECORD}.{uuid.uuid4().hex[:6]}"
    partial.write_text(json.dumps(asdict(report), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(partial, target)


def open_milvus(stored: StoredIndex, settings: Settings, tokenize: Callable[[str], list[str]] | None,
                sync: bool | None = None) -> MilvusIndex:
    """Connect and make sure the live collection serves exactly the local build.

    ``sync`` None means: on Milvus Lite, sync when needed (the app is the only process that can open
    the Lite folder, so it must write it itself, as it builds the local index itself); on a server,
    never (one machine writes, with ``python -m index build --backend milvus``): a missing, old or
    different collection is an error naming what to do.
    """
    milvus = MilvusIndex.connect(settings, create=True)
    try:
        status = milvus.status(stored)
        if not status.ok:
            if not (milvus.lite if sync is None else sync):
                raise status.error()
            log.warning("Milvus 索引需要更新（%s），正在同步…", "；".join(status.reasons))
            milvus.sync(stored, tokenize)
    except BaseException:
        milvus.close()
        raise
    return milvus
