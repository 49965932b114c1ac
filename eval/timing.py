"""Small measuring helpers for the benchmark: latency percentiles and peak memory."""

from __future__ import annotations

import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from eval.metrics import percentile

T = TypeVar("T")


def latency_ms(call: Callable[[T], object], items: Sequence[T], runs: int,
               before_each: Callable[[], object] | None = None) -> dict[str, float]:
    """p50 and p95 of ``call(item)`` in milliseconds: per pass over ``items``, median over ``runs`` passes.

    ``before_each`` runs untimed before every call (e.g. to clear a cache).
    """
    p50s, p95s = [], []
    for _ in range(runs):
        times = []
        for item in items:
            if before_each is not None:
                before_each()
            started = time.perf_counter()
            call(item)
            times.append((time.perf_counter() - started) * 1000)
        p50s.append(percentile(times, 50))
        p95s.append(percentile(times, 95))
    return {"p50_ms": round(statistics.median(p50s), 2), "p95_ms": round(statistics.median(p95s), 2)}


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (2**20 if sys.platform == "darwin" else 2**10), 1)


def rate(count: int, seconds: float) -> float:
    """Items per second, rounded for printing."""
    return round(count / seconds, 1) if seconds > 0 else float("inf")
