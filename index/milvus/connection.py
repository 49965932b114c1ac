"""Connecting to Milvus: a client of the address, or one Chinese error saying why not.

Milvus Lite (``milvus_uri`` a path ending in ``.db``) runs inside this process and locks its
folder: one process at a time (:func:`lite_folder_locked` tells that case apart). A server is
reached over gRPC; a refused port fails at once, a silent host after the connect timeout.

Usage::

    client = connect(resolve_uri(settings), settings.milvus_token, settings.milvus_connect_timeout)
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from pymilvus import MilvusClient
from pymilvus.exceptions import ConnectionConfigException, MilvusException

from index.milvus.address import is_lite
from index.milvus.errors import MilvusLockedError, MilvusUnavailableError, damaged, damaged_error

log = logging.getLogger(__name__)


def quiet_client_logs() -> None:
    """Silence pymilvus's and Milvus Lite's own error logs, which print a traceback for every failed request.

    Every failure reaches the user as one of :mod:`index.milvus.errors`' errors, with a Chinese message.
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
        if is_lite(uri) and damaged(str(error.message)):
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
