"""Sparse-matrix BM25 whose scores equal ``rank_bm25.BM25Okapi`` exactly.

``rank_bm25`` rescans every document for every query term in Python, which is
too slow beyond a few thousand chunks. Here the per-(document, term) BM25
weight is computed once at fit time and stored in a CSC matrix with one column
per term, so a query is the sum of a few sparse columns.

BM25Okapi's quirks are reproduced on purpose so both give the same numbers:
idf = log(N - n + 0.5) - log(n + 0.5); a negative idf (term in more than half
of the documents) is replaced by ``epsilon * average_idf``, the average taken
over all terms before flooring; a term repeated in the query counts each time;
unknown terms contribute 0.

Persistence uses ``.npz`` files and JSON only (no pickle), so loading an
index built by someone else cannot execute code.
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter, defaultdict
from itertools import chain
from pathlib import Path

import numpy as np
import scipy.sparse as sp

FORMAT = "bm25-csc-v1"
WEIGHTS_FILE = "weights.npz"
ARRAYS_FILE = "arrays.npz"
META_FILE = "meta.json"


class BM25:
    """Okapi BM25 over pre-tokenized documents, backed by a sparse weight matrix."""

    def __init__(self, k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25) -> None:
        self.k1 = float(k1)
        self.b = float(b)
        self.epsilon = float(epsilon)
        self.vocab: dict[str, int] = {}
        self.idf = np.zeros(0)
        self.doc_lengths = np.zeros(0, dtype=np.int64)
        self._weights: sp.csc_matrix | None = None

    @property
    def n_docs(self) -> int:
        """Number of indexed documents."""
        return len(self.doc_lengths)

    def fit(self, corpus_tokens: list[list[str]]) -> BM25:
        """Index ``corpus_tokens`` (one token list per document); returns ``self``."""
        if not corpus_tokens:
            raise ValueError("cannot fit BM25 on an empty corpus")
        # One C-level pass over all tokens: an unseen token gets id len(vocab).
        ids: defaultdict[str, int] = defaultdict()
        ids.default_factory = ids.__len__
        lengths = np.fromiter(map(len, corpus_tokens), dtype=np.int64)
        cols = np.fromiter(
            map(ids.__getitem__, chain.from_iterable(corpus_tokens)),
            dtype=np.int32,
            count=int(lengths.sum()),
        )
        vocab = dict(ids)
        n_docs, n_terms = len(lengths), len(vocab)

        # Term frequencies: one entry per token, repeated (doc, term) pairs summed.
        rows = np.repeat(np.arange(n_docs, dtype=np.int32), lengths)
        tf = sp.csc_matrix(
            (np.ones(len(cols)), (rows, cols)),
            shape=(n_docs, n_terms),
            dtype=np.float64,
        )
        tf.sum_duplicates()

        # Same operation order as BM25Okapi._calc_idf, so the floats match.
        df = np.diff(tf.indptr).astype(np.float64)
        idf = np.log(n_docs - df + 0.5) - np.log(df + 0.5)
        average_idf = float(idf.mean()) if n_terms else 0.0
        idf[idf < 0] = self.epsilon * average_idf

        # Same expression as BM25Okapi.get_scores, evaluated once per stored entry.
        avgdl = int(lengths.sum()) / n_docs  # total tokens / N, as BM25Okapi
        dl = lengths[tf.indices]
        entry_idf = np.repeat(idf, np.diff(tf.indptr))
        freq = tf.data
        tf.data = entry_idf * (freq * (self.k1 + 1) / (freq + self.k1 * (1 - self.b + self.b * dl / avgdl)))
        self.vocab, self.idf, self.doc_lengths, self._weights = vocab, idf, lengths, tf
        return self

    def get_scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every document for the query (float64, length ``n_docs``)."""
        weights = self._fitted()
        counts = Counter(self.vocab[t] for t in query_tokens if t in self.vocab)
        if not counts:
            return np.zeros(self.n_docs)
        ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        reps = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        return weights[:, ids] @ reps

    def top_k(
        self, query_tokens: list[str], k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Best ``k`` documents as (indices, scores), highest score first.

        Only documents with a positive score are returned, so the result may be
        shorter than ``k``. ``allowed`` is an optional boolean mask over the
        documents; documents where it is False are never returned. Ties are
        broken by lower document index.
        """
        if k < 0:
            raise ValueError(f"k must be non-negative, got {k}")
        scores = self.get_scores(query_tokens)
        keep = scores > 0
        if allowed is not None:
            allowed = np.asarray(allowed)
            if allowed.dtype != np.bool_ or allowed.shape != scores.shape:
                raise ValueError(f"allowed must be a boolean mask of shape {scores.shape}")
            keep &= allowed
        candidates = np.flatnonzero(keep)
        if k < len(candidates):
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        order = np.lexsort((candidates, -scores[candidates]))
        best = candidates[order]
        return best, scores[best]

    def save(self, directory: Path) -> None:
        """Write the index to ``directory`` as ``.npz`` arrays plus JSON (no pickle)."""
        weights = self._fitted()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        sp.save_npz(directory / WEIGHTS_FILE, weights, compressed=False)
        np.savez(directory / ARRAYS_FILE, idf=self.idf, doc_lengths=self.doc_lengths)
        vocab = sorted(self.vocab, key=self.vocab.__getitem__)  # column order
        meta = {
            "format": FORMAT,
            "k1": self.k1,
            "b": self.b,
            "epsilon": self.epsilon,
            "vocab": vocab,
        }
        (directory / META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> BM25:
        """Read an index written by :meth:`save`.

        Raises ``ValueError`` if a file is missing, truncated, corrupt or
        inconsistent with the others.
        """
        directory = Path(directory)
        try:
            meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
            if not isinstance(meta, dict) or meta.get("format") != FORMAT:
                raise ValueError(f"{META_FILE} is not a {FORMAT} file")
            model = cls(k1=meta["k1"], b=meta["b"], epsilon=meta["epsilon"])
            vocab_list = meta["vocab"]
            weights = sp.load_npz(directory / WEIGHTS_FILE).tocsc()
            with np.load(directory / ARRAYS_FILE, allow_pickle=False) as arrays:
                idf = arrays["idf"]
                doc_lengths = arrays["doc_lengths"]
            weights.check_format(full_check=True)
        except (
            OSError,
            EOFError,
            KeyError,
            TypeError,
            ValueError,
            zipfile.BadZipFile,
        ) as exc:
            raise ValueError(f"cannot load BM25 index from {directory}: {exc}") from exc

        n_docs, n_terms = weights.shape
        if not (
            isinstance(vocab_list, list)
            and all(isinstance(t, str) for t in vocab_list)
            and len(set(vocab_list)) == len(vocab_list) == n_terms
            and idf.shape == (n_terms,)
            and idf.dtype == np.float64
            and doc_lengths.shape == (n_docs,)
            and doc_lengths.dtype == np.int64
            and n_docs > 0
            and weights.dtype == np.float64
            and np.isfinite(weights.data).all()
        ):
            raise ValueError(f"inconsistent BM25 index in {directory}")
        model.vocab = {term: i for i, term in enumerate(vocab_list)}
        model.idf = idf
        model.doc_lengths = doc_lengths
        model._weights = weights
        return model

    def document_weights(self) -> sp.csr_matrix:
        """Per document (row), the BM25 weight of each of its terms (column = vocab id).

        A query's scores are these rows times the query's term counts: a search engine with
        sparse inner-product search (Milvus, ``milvus_bm25="weights"``) gives exactly these scores.
        """
        return self._fitted().tocsr()

    def _fitted(self) -> sp.csc_matrix:
        """The weight matrix; raises if :meth:`fit` or :meth:`load` has not run."""
        if self._weights is None:
            raise RuntimeError("BM25 index is not fitted; call fit() or load() first")
        return self._weights
