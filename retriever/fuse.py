"""Fuse ranked lists from several retrievers into one ranking: all fusion methods in one joiner.

* ``rrf`` – reciprocal-rank fusion: score = Σ wᵢ / (k + rankᵢ), rank 1-based;
  robust because it ignores the scale of each retriever's scores.
* ``weighted`` – min-max normalise each list's scores to [0, 1], then Σ wᵢ·sᵢ.

Example::

    >>> joiner = Joiner("rrf", rrf_k=60)
    >>> joiner([([3, 1], [9.0, 4.0]), ([1, 7], [0.8, 0.5])])
    [(1, 0.0325...), (3, 0.0163...), (7, 0.0161...)]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.errors import ConfigError
from core.settings import FUSION_METHODS as METHODS

Ranked = tuple[Sequence[int], Sequence[float]]


class Joiner:
    """Combine ``(ids, scores)`` lists, best first, into one ``[(id, score)]`` list, best first."""

    def __init__(self, method: str = "rrf", rrf_k: int = 60, weights: Sequence[float] | None = None) -> None:
        if method not in METHODS:
            raise ConfigError(f"未知的融合方式 {method!r}，可选：{', '.join(METHODS)}")
        self.method = method
        self.rrf_k = rrf_k
        self.weights = weights

    def __call__(self, lists: Sequence[Ranked]) -> list[tuple[int, float]]:
        """Fused ranking; ties keep the order in which ids were first seen."""
        weights = self.weights or [1.0] * len(lists)
        fused: dict[int, float] = {}
        for (ids, scores), weight in zip(lists, weights):
            if self.method == "rrf":
                contributions = [weight / (self.rrf_k + rank) for rank in range(1, len(ids) + 1)]
            else:
                contributions = list(weight * _min_max(np.asarray(scores, dtype=np.float64)))
            for doc, value in zip(ids, contributions):
                fused[int(doc)] = fused.get(int(doc), 0.0) + float(value)
        return sorted(fused.items(), key=lambda item: -item[1])


def _min_max(scores: np.ndarray) -> np.ndarray:
    """Scale scores to [0, 1]; a list of equal scores becomes all ones."""
    if len(scores) == 0:
        return scores
    low, high = scores.min(), scores.max()
    if high - low < 1e-12:
        return np.ones_like(scores)
    return (scores - low) / (high - low)
