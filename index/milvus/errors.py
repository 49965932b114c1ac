"""What can go wrong with Milvus, in Chinese: the error kinds, and pymilvus's failures mapped onto them.

pymilvus's own (English) text goes to the log only; the user reads one Chinese sentence that says
what failed and what to do (often: run :data:`REBUILD`).

Usage::

    with milvus_calls(uri, "向量检索"):      # a failed request becomes a BackendError naming 向量检索
        client.search(...)
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from pymilvus.exceptions import MilvusException

from core.errors import BackendError
from index.milvus.address import is_lite

log = logging.getLogger(__name__)

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


def damaged(message: str) -> bool:
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
    if is_lite(uri) and damaged(message):
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
