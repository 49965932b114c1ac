"""Connecting: a refused server, a wrong address, a missing or old Lite folder, a Lite folder held by another process.

Every failure is one Chinese sentence without pymilvus's English text.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT, Settings
from index.milvus.address import resolve_uri
from index.milvus.connection import connect
from index.milvus.errors import MilvusUnavailableError
from tests.helpers import REFUSED_ADDRESS, english_words, milvus_build_args


def test_refused_server_fails_at_once_in_chinese():
    started = time.perf_counter()
    refused = "无法连接 Milvus 服务器 http://127.0.0.1:1（连接被拒绝）"
    with pytest.raises(MilvusUnavailableError, match=refused) as caught:
        connect(REFUSED_ADDRESS, timeout=30)
    # 连接被拒绝 is said only when it failed well within the timeout; the bound (a third of it, not a timing
    # target) shows it did not wait for the timeout, with room for a loaded machine.
    assert time.perf_counter() - started < 10
    # pymilvus's "Fail connecting to server on …" is logged only
    assert not english_words(str(caught.value), REFUSED_ADDRESS)


def test_a_wrong_address_is_explained_without_pymilvus_text():
    with pytest.raises(MilvusUnavailableError, match="地址应为以 .db 结尾的本地路径") as caught:
        connect("ftp://10.0.0.5:19530")
    assert not english_words(str(caught.value), "ftp://10.0.0.5:19530")


def test_lite_folder_errors(tmp_path: Path):
    with pytest.raises(MilvusUnavailableError, match="不存在"):
        connect(str(tmp_path / "missing" / "x.db"))
    old = tmp_path / "old.db"
    old.write_bytes(b"a milvus-lite 2 file")
    with pytest.raises(MilvusUnavailableError, match="旧版 milvus-lite"):
        connect(str(old))
    assert resolve_uri(Settings(index_dir=tmp_path)) == str(tmp_path / "milvus.db")


@pytest.mark.slow
def test_a_second_process_is_told_that_the_lite_folder_is_in_use(settings, synced, milvus):
    """Milvus Lite admits one process per folder: while the app holds it, a build command cannot sync."""
    run = subprocess.run([sys.executable, "-m", "index", *milvus_build_args(settings)], cwd=PROJECT_ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "正被另一个进程使用" in run.stderr and "Traceback" not in run.stderr
