"""A large synthetic corpus made of the real one, for scale benchmarks.

Each synthetic passage is a random sequence of real sentences: as many as a
real passage holds (drawn from the real distribution), each sentence taken
from anywhere in the corpus. Term and length statistics therefore stay those
of the reports, so BM25 timings are realistic.

Vectors are drawn from a normal distribution fitted to the real passage
vectors (their mean and covariance), then normalised. FAISS speed does not
depend on content, but approximate recall does, and these keep the anisotropic
shape of real embeddings: measured, their mean pairwise cosine (0.911) and the
gold questions' best cosine (0.900) equal the real corpus's (0.911, 0.899).
(Averaging the vectors of the source passages instead gave clouds of
near-ties in which "recall" mostly measured the order of equal scores.)

Usage::

    pool = SentencePool.from_index(stored, tokenizer)
    corpus = pool.sample(100_000, seed=0)
    corpus.tokens[0][:5], corpus.vectors.shape
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.store import StoredIndex
from index.text.records import Chunk
from index.text.sentences import sentence_spans
from index.tokenize import Tokenizer

JITTER = 1e-6  # added to the covariance diagonal so that its Cholesky factor exists
BATCH = 50_000


@dataclass
class SyntheticCorpus:
    """Passages as token lists, texts, chunk records and unit vectors (row i = passage i)."""

    tokens: list[list[str]]
    chunks: list[Chunk]
    vectors: np.ndarray


@dataclass
class SentencePool:
    """The real corpus cut into sentences, each tokenized once, and its passage vectors."""

    texts: list[str]
    tokens: list[list[str]]
    per_passage: np.ndarray  # sentence count of every real passage (the length distribution)
    passage_vectors: np.ndarray

    @classmethod
    def from_index(cls, stored: StoredIndex, tokenizer: Tokenizer) -> SentencePool:
        """Split every indexed passage into sentences and tokenize them."""
        texts, tokens, per_passage = [], [], []
        for chunk in stored.chunks:
            spans = [chunk.text[s:e].strip() for s, e in sentence_spans(chunk.text)]
            spans = [s for s in spans if s]
            per_passage.append(len(spans))
            for sentence in spans:
                texts.append(sentence)
                tokens.append(tokenizer(sentence))
        return cls(texts, tokens, np.array(per_passage), stored.embeddings)

    def sample(self, n: int, seed: int = 0) -> SyntheticCorpus:
        """``n`` synthetic passages built from random real sentences."""
        rng = np.random.default_rng(seed)
        counts = rng.choice(self.per_passage[self.per_passage > 0], size=n)
        picks = rng.integers(0, len(self.texts), size=int(counts.sum()))
        bounds = np.concatenate([[0], np.cumsum(counts)])
        tokens, chunks = [], []
        for i in range(n):
            sentences = picks[bounds[i] : bounds[i + 1]]
            tokens.append([t for s in sentences for t in self.tokens[s]])
            chunks.append(Chunk(
                id=f"syn-{i}", file=f"synthetic_{i // 1000:04d}.txt", report=i // 50 + 1,
                report_title=f"合成报告 {i // 50 + 1}", section_path=[], line_start=1, line_end=1,
                text="".join(self.texts[s] for s in sentences),
            ))
        return SyntheticCorpus(tokens, chunks, self._vectors(n, rng))

    def _vectors(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` unit vectors from the normal distribution fitted to the real passage vectors."""
        real = self.passage_vectors.astype(np.float64)
        dimension = real.shape[1]
        factor = np.linalg.cholesky(np.cov(real, rowvar=False) + JITTER * np.eye(dimension))
        matrix = np.empty((n, dimension), dtype=np.float32)
        for lo in range(0, n, BATCH):
            hi = min(lo + BATCH, n)
            matrix[lo:hi] = real.mean(axis=0) + rng.standard_normal((hi - lo, dimension)) @ factor.T
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix
