"""Index updates after an upload or removal: incremental, in a background thread, swapped in when complete.

:meth:`IndexUpdater.request` returns at once. One thread runs
:func:`index.build.build_index` (only new passages are embedded) and reports its progress;
meanwhile questions are answered from the live index as before. When the build is
saved, the new index is loaded (with the Milvus backend, the collection is synced from it
first: :func:`retriever.backends.updated_backend`) and a new answer service is made from it
(the query encoder is shared), and only then is it swapped into the :class:`~office.live.LiveService`.
A request that arrives during an update makes exactly one more update run after it, so
the last change is always indexed; ``on_finish`` is called once for every user whose
requests that run took (two admins' uploads built together are both reported). A failed
update leaves the previous index answering and says why in the state's ``error``.

Progress reaches 1.0 only when the new index answers (``done``): the build fills the first
:data:`BUILD_SHARE`, loading and the Milvus sync the rest. A failed run reports progress 0.0 (nothing
of it was applied), and every run ends with its own final message, never a step's.

Usage::

    updater = IndexUpdater(live, on_finish=lambda state, by: audit.write("index", by, None, result=state.state))
    updater.request("上传 报告.docx", by="王芳")
    updater.state().progress          # 0.0 … 0.95 while running, 1.0 once done, 0.0 if it failed
    updater.wait(600)                 # the final state (tests, command line)
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from core.clock import now_text
from core.errors import ReportQAError
from index.build import build_index
from index.store import load_index
from index.tokenize import Tokenizer
from office.live import LiveService
from retriever.answer.service import AnswerService
from retriever.backends import updated_backend
from retriever.search import Retriever

log = logging.getLogger(__name__)

BUILD_SHARE = 0.85
"""Share of the progress bar the local build fills; loading and the Milvus sync follow."""
LOAD_AT, SYNC_AT = 0.9, 0.95
"""Progress shown while the new index is loaded and while the Milvus collection is synced from it."""


@dataclass(frozen=True)
class UpdateState:
    """Where the index update stands: ``idle``, ``running``, ``done`` or ``failed``, with progress 0…1.

    ``progress`` is 1.0 only for ``done``; ``failed`` has 0.0, whatever step the run had reached.
    """

    state: str = "idle"
    progress: float = 0.0
    message: str = ""
    reason: str = ""
    started_at: str = ""
    finished_at: str = ""
    error: str = ""
    runs: int = 0

    @property
    def running(self) -> bool:
        """True while an update is being built."""
        return self.state == "running"


class IndexUpdater:
    """Run index updates for one live service, one at a time, in a daemon thread."""

    def __init__(self, live: LiveService[AnswerService],
                 on_finish: Callable[[UpdateState, str | None], None] | None = None) -> None:
        self.live = live
        self.on_finish = on_finish
        self._lock = threading.Lock()
        self._done = threading.Condition(self._lock)
        self._state = UpdateState()
        self._pending: list[tuple[str, str | None]] = []
        self._thread: threading.Thread | None = None

    def state(self) -> UpdateState:
        """A snapshot of the current state."""
        with self._lock:
            return self._state

    def request(self, reason: str, by: str | None = None) -> UpdateState:
        """Ask for an update (``reason`` is shown on the page, ``by`` is the user); start it unless one is running."""
        with self._lock:
            self._pending.append((reason, by))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="index-update", daemon=True)
                self._state = UpdateState("running", 0.0, "等待开始…", reason, now_text(), runs=self._state.runs)
                self._thread.start()
            return self._state

    def wait(self, timeout: float) -> UpdateState:
        """Block until no update is running or wanted (or ``timeout`` seconds passed); the state then."""
        deadline = time.monotonic() + timeout
        with self._done:
            while self._thread is not None and (left := deadline - time.monotonic()) > 0:
                self._done.wait(left)
            return self._state

    def _run(self) -> None:
        """Update until no request is pending; each run takes every request made before it started."""
        while True:
            with self._lock:
                if not self._pending:
                    self._thread = None
                    self._done.notify_all()
                    return
                requests, self._pending = self._pending, []
                reason = "；".join(r for r, _ in requests)
                self._state = replace(self._state, state="running", progress=0.0, message="正在开始…", reason=reason,
                                      started_at=now_text(), finished_at="", error="")
            started = time.perf_counter()
            try:
                self._update()
                final = self._finish("done", f"索引已更新（用时 {time.perf_counter() - started:.0f} 秒）", "")
            except (OSError, ReportQAError) as error:
                final = self._finish("failed", "索引未能更新，仍使用之前的索引回答", str(error))
            except Exception as error:  # a bug must not end the thread and leave "running" forever
                log.exception("index update failed")
                final = self._finish("failed", "索引未能更新，仍使用之前的索引回答", f"程序错误：{error!r}")
            self._report(final, [by for _, by in requests])

    def _report(self, final: UpdateState, requesters: list[str | None]) -> None:
        """Call ``on_finish`` once for every requester of the run (in the order they asked)."""
        if self.on_finish is None:
            return
        for by in dict.fromkeys(requesters):
            try:
                self.on_finish(final, by)
            except Exception:  # reporting must not stop the updates
                log.exception("on_finish failed")

    def _update(self) -> None:
        """Build incrementally, load the result, make its service, swap it in."""
        old = self.live.current
        settings = old.settings
        build_index(settings, self._build_progress, show_bar=False)
        self._progress(LOAD_AT, "正在载入新索引…")
        stored = load_index(settings.index_dir)
        if settings.backend == "milvus":
            self._progress(SYNC_AT, "正在同步到 Milvus…")
        tokenizer = Tokenizer(stored.manifest.tokenizer)
        backend = updated_backend(old.retriever.backend, stored, settings, tokenizer)
        service = AnswerService(Retriever(stored, settings, backend, old.retriever.encoder), settings)
        self.live.swap(service)

    def _build_progress(self, fraction: float, message: str) -> None:
        """The build's own progress (0…1), shown in the build's share of the bar."""
        self._progress(BUILD_SHARE * max(0.0, min(fraction, 1.0)), message)

    def _progress(self, fraction: float, message: str) -> None:
        """Show a step of the running update."""
        with self._lock:
            self._state = replace(self._state, progress=max(0.0, min(fraction, 1.0)), message=message)

    def _finish(self, state: str, message: str, error: str) -> UpdateState:
        """The run's final state; the page keeps seeing ``running`` if another change is already waiting."""
        with self._lock:
            final = replace(self._state, state=state, progress=1.0 if state == "done" else 0.0,
                            message=message, error=error, finished_at=now_text(), runs=self._state.runs + 1)
            self._state = final if not self._pending else replace(
                final, state="running", progress=0.0, message="又有新的更改，继续更新索引…")
            return final
