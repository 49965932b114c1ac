"""The write path: a new collection's schema and indexes, its rows in batches, and a sync from the local build.

The local build is the source of truth; a sync copies what search needs into the collection the
alias names (see :mod:`index.milvus.schema` for the fields). A "switch" sync writes a new collection
``<alias>_<time>_<random>``, checks its row count and only then moves the alias, so a failed
sync leaves the previous collection serving; on Milvus Lite it also gives one segment, hence one
set of BM25 statistics (Lite keeps them per segment). An "in-place" sync upserts changed rows and
deletes removed ids by primary key (not atomic; for a large server collection).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from pymilvus import DataType, Function, FunctionType, MilvusClient
from pymilvus.exceptions import MilvusException

from core.errors import BackendError
from index.build import bm25_text
from index.milvus.collection import AliasedCollection
from index.milvus.rows import check_sizes, content_hash, row_hashes
from index.milvus.schema import (
    MAX_FILE,
    MAX_ID,
    MAX_KEY,
    MAX_PATH_ELEMENT,
    MAX_PATH_ELEMENTS,
    MAX_TEXT,
    MAX_TITLE,
    PROP_BUILT_AT,
    PROP_CONTENT,
    PROP_FINGERPRINT,
    PROP_LOCAL_BUILD,
    PROP_MODEL,
    PROP_SCHEMA,
    PROP_TERM_IDS,
    SCHEMA_VERSION,
)
from index.milvus.status import MilvusStatus, SyncReport, record_sync
from index.milvus.terms import TERM_IDS, analyzer_params, sparse_weights
from index.store import StoredIndex

log = logging.getLogger(__name__)

WRITE_BATCH = 256


class CollectionSync(AliasedCollection):
    """Writing: create a collection with its schema and indexes, fill it from a local build, move the alias."""

    # schema -------------------------------------------------------------------------------------

    def schema(self, dim: int) -> Any:
        """Fields of a collection (see :mod:`index.milvus.schema`), with the BM25 function from bm25_text to sparse."""
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
                            PROP_TERM_IDS: TERM_IDS, PROP_MODEL: str(stored.manifest.model)},
                timeout=timeout)
            # Not create_collection(index_params=...): pymilvus would then poll each index with an RPC
            # Milvus Lite lacks (an error logged, 0.5 s lost per index). The collection is empty anyway.
            self.client.create_index(name, self.index_params(), sync=False, timeout=timeout)
            self.client.load_collection(name, timeout=timeout)

    # writing --------------------------------------------------------------------------------------

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
            check_sizes(row)
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

