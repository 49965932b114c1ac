"""The search index in Milvus: a collection synced from the local build, and the search requests.

The local build (``index/build.py``) stays the source of truth; a sync copies what search needs into
one collection, one row per chunk (:mod:`~index.milvus.schema`), behind an alias that a sync moves
only once the new collection is complete (:mod:`~index.milvus.syncing`). One public class,
:class:`MilvusIndex`; its parts, each a module: address and connection, errors, filters, terms,
rows, status records, the collection's state, syncing and searching.

pymilvus is imported by this package only, and this package only when the Milvus backend is used,
so the embedded backend never pays for the import (tested).

Usage::

    milvus = MilvusIndex.connect(settings, create=True)
    report = milvus.sync(stored, Tokenizer(settings.tokenizer))   # SyncReport: added/changed/removed
    ids, scores = milvus.sparse("哪些社区办公用房不达标", 100, filter_expr(files=["a.txt"]))
    milvus.close()
"""

from index.milvus.errors import (
    MilvusDamagedError,
    MilvusLockedError,
    MilvusMissingError,
    MilvusNotLoadedError,
    MilvusSchemaError,
    MilvusStaleError,
    MilvusUnavailableError,
)
from index.milvus.filters import filter_expr
from index.milvus.index import MilvusIndex, open_milvus
from index.milvus.status import MilvusStatus, SyncReport

__all__ = [
    "MilvusDamagedError",
    "MilvusIndex",
    "MilvusLockedError",
    "MilvusMissingError",
    "MilvusNotLoadedError",
    "MilvusSchemaError",
    "MilvusStaleError",
    "MilvusStatus",
    "MilvusUnavailableError",
    "SyncReport",
    "filter_expr",
    "open_milvus",
]
