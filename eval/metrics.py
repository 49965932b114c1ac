"""Retrieval metrics for one question, from the relevance of its ranked results.

Relevance is binary and decided per result by the gold evidence strings (see
``evaluate.py``). All functions take ``relevant``: one bool per returned
result, best first.

Example::

    >>> recall_at([False, True, False], 1), recall_at([False, True, False], 3)
    (0.0, 1.0)
    >>> reciprocal_rank([False, True, False], 10)
    0.5
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def recall_at(relevant: Sequence[bool], k: int) -> float:
    """1.0 if any of the first ``k`` results is relevant (success@k), else 0.0."""
    return float(any(relevant[:k]))


def reciprocal_rank(relevant: Sequence[bool], k: int) -> float:
    """1 / rank of the first relevant result within the first ``k``, else 0."""
    for rank, is_relevant in enumerate(relevant[:k], start=1):
        if is_relevant:
            return 1.0 / rank
    return 0.0


def ndcg_at(relevant: Sequence[bool], k: int, total_relevant: int) -> float:
    """Binary nDCG@k; the ideal ranking puts ``min(total_relevant, k)`` relevant results first."""
    dcg = sum(1.0 / math.log2(rank + 1) for rank, r in enumerate(relevant[:k], start=1) if r)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(total_relevant, k) + 1))
    return dcg / ideal if ideal else 0.0


def coverage_at(found: Sequence[set[int]], k: int, evidence_count: int) -> float:
    """Share of the question's evidence strings found in the first ``k`` results.

    ``found[i]`` is the set of evidence indices that result ``i`` contains.
    """
    if evidence_count == 0:
        return 0.0
    covered = set().union(*found[:k]) if found[:k] else set()
    return len(covered) / evidence_count


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
