"""One build at a time per index folder, and Ctrl-C during a build: real `python -m index build` processes."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

from core.settings import PROJECT_ROOT
from index.build import BUILD_LOCK, INTERRUPTED
from index.store import BUILDS, load_index

SOURCE = "004_关于加快全市城市社区建设工作情况调查报告.txt"
WAITING = "另一个进程正在建立索引"

pytestmark = pytest.mark.slow  # real `python -m index build` processes, building from scratch


@pytest.fixture()
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """A one-report corpus (a real slice) and an index folder whose build lock this test holds."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = (PROJECT_ROOT / "corpus" / SOURCE).read_text(encoding="utf-8").split("\n")
    (corpus / SOURCE).write_text("\n".join(lines[:40]), encoding="utf-8")
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    return corpus, index_dir


def interruptible() -> None:
    """Let the build take Ctrl-C even when this test runs in a job started in the background by a shell without
    job control, which starts it with SIGINT ignored (inherited by every child, and Python then installs no
    KeyboardInterrupt handler)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_build(corpus: Path, index_dir: Path, log: Path) -> subprocess.Popen:
    with open(log, "w", encoding="utf-8") as handle:
        return subprocess.Popen([sys.executable, "-m", "index", "build", "--corpus", str(corpus),
                                 "--index-dir", str(index_dir)], cwd=PROJECT_ROOT, stdout=handle, stderr=handle,
                                preexec_fn=interruptible)


def wait_for(log: Path, text: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while text not in log.read_text(encoding="utf-8"):
        assert process.poll() is None, log.read_text(encoding="utf-8")
        assert time.monotonic() < deadline, f"no {text!r} within {seconds} s"
        time.sleep(0.2)


def test_a_second_build_waits_for_the_first(folders, tmp_path: Path):
    corpus, index_dir = folders
    lock = FileLock(index_dir / BUILD_LOCK)
    lock.acquire()  # this test plays the first build
    process = start_build(corpus, index_dir, tmp_path / "build.log")
    try:
        wait_for(tmp_path / "build.log", WAITING, process)
        time.sleep(1)
        assert process.poll() is None and not list((index_dir / BUILDS).iterdir())  # waiting, writing nothing
    finally:
        lock.release()
    assert process.wait(timeout=300) == 0, (tmp_path / "build.log").read_text(encoding="utf-8")
    assert set(load_index(index_dir).manifest.files) == {SOURCE}


def test_ctrl_c_during_a_build_says_so_without_a_traceback(folders, tmp_path: Path):
    corpus, index_dir = folders
    lock = FileLock(index_dir / BUILD_LOCK)
    lock.acquire()  # holds the build inside build_index, where Ctrl-C is to be handled
    try:
        process = start_build(corpus, index_dir, tmp_path / "build.log")
        wait_for(tmp_path / "build.log", WAITING, process)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 130
    finally:
        lock.release()
    output = (tmp_path / "build.log").read_text(encoding="utf-8")
    assert INTERRUPTED in output and "Traceback" not in output
