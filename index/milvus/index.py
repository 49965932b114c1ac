"""MilvusIndex, the one public class of the Milvus backend, and :func:`open_milvus`, which the app calls.

:class:`MilvusIndex` is the alias of one Milvus (Lite or server): its state
(:mod:`index.milvus.collection`), sync from a local build (:mod:`index.milvus.syncing`) and
search requests (:mod:`index.milvus.searching`). :func:`open_milvus` connects and makes sure the
live collection serves exactly the local build before the app searches it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from core.settings import Settings
from index.milvus.searching import CollectionSearch
from index.milvus.syncing import CollectionSync
from index.store import StoredIndex

log = logging.getLogger(__name__)


class MilvusIndex(CollectionSync, CollectionSearch):
    """The alias of one Milvus (Lite or server): status, sync from a local build, and search requests."""


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
