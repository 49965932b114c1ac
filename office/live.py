"""The answer service that questions go to now, swapped atomically for a new one after an index update.

Every chat event and API call takes :attr:`LiveService.current` once and answers with
it from start to end, so a question that is running while the index is swapped finishes
on the index it started with; the next question gets the new one. The old service's
index lives in memory, so the update deleting its files on disk does not disturb it.

Example:

    >>> live = LiveService("service v1")
    >>> live.swap("service v2")
    >>> live.current, live.version
    ('service v2', 2)
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

Service = TypeVar("Service")


class LiveService(Generic[Service]):
    """A holder of the current answer service (an :class:`~retriever.answer.service.AnswerService` in the app)."""

    def __init__(self, service: Service) -> None:
        self._service = service
        self._lock = threading.Lock()
        self.version = 1

    @property
    def current(self) -> Service:
        """The service to answer with now."""
        with self._lock:
            return self._service

    def swap(self, service: Service) -> None:
        """Make a fully loaded service the current one; questions already running keep their own."""
        with self._lock:
            self._service = service
            self.version += 1
