"""The collection an alias names: the connection to it, and what it holds compared with the local build.

Readers use an alias (``milvus_collection``); a sync (:mod:`index.milvus.syncing`) moves it from
collection to collection. This base of :class:`~index.milvus.index.MilvusIndex` opens and closes the
connection (Milvus Lite folders shared by the objects of one process), and reads the state: the
live collection, its properties, its status against a local build, load state, rows and row hashes.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Self

from pymilvus import MilvusClient

from core.settings import Settings
from index.build import sparse_settings
from index.milvus.address import is_lite, resolve_uri
from index.milvus.connection import connect
from index.milvus.errors import milvus_calls
from index.milvus.rows import content_hash, json_hash, row_hashes
from index.milvus.schema import PROP_CONTENT, PROP_FINGERPRINT, PROP_SCHEMA, PROP_TERM_IDS, SCHEMA_VERSION
from index.milvus.status import MilvusStatus
from index.milvus.terms import TERM_IDS, analyzer_params, clean_for_jieba, token_text
from index.store import StoredIndex

QUERY_WINDOW = 16384
"""A server refuses a query whose offset + limit exceeds this; beyond it the query iterator is used."""

_LITE_USERS: dict[str, int] = {}
"""Open :class:`~index.milvus.index.MilvusIndex` objects per Milvus Lite folder in this process: they share
one in-process server, which is stopped when the last one closes."""


class AliasedCollection:
    """The alias of one Milvus (Lite or server) and the collection behind it: connection, fingerprint, state."""

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
    def connect(cls, settings: Settings, create: bool = False) -> Self:
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

    # settings baked in --------------------------------------------------------------------------

    def fingerprint(self, stored: StoredIndex) -> str:
        """Hash of everything a collection bakes in at creation: a change means a new collection."""
        s = self.settings
        return json_hash({"schema": SCHEMA_VERSION, "dim": int(stored.embeddings.shape[1]),
                          "model": stored.manifest.model, "bm25": s.milvus_bm25,
                          "analyzer": analyzer_params(s.milvus_bm25, self.lite), "sparse": sparse_settings(s),
                          "hnsw": [s.milvus_hnsw_m, s.milvus_hnsw_ef_construction]})[:16]

    @property
    def sparse_metric(self) -> str:
        """BM25 (Milvus's BM25 function) or IP (the local build's weights)."""
        return "IP" if self.settings.milvus_bm25 == "weights" else "BM25"

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

    # BM25 text ----------------------------------------------------------------------------------

    def bm25_input(self, text: str, tokenize: Callable[[str], list[str]] | None) -> str:
        """Document or question text as ``bm25_text`` holds it (the app's tokens, or cleaned text for jieba)."""
        if self.settings.milvus_bm25 == "jieba":
            return clean_for_jieba(text)
        if tokenize is None:
            raise ValueError(f"milvus_bm25={self.settings.milvus_bm25!r} needs the app's tokenizer")
        return token_text(tokenize(text))

