"""How BM25 terms reach Milvus: the text of ``bm25_text``, its analyser, and term ids and weights.

``milvus_bm25`` chooses: "weights" (the local build's BM25 weights as sparse vectors by
:func:`term_id`, scores equal to the embedded BM25's), "app" (the app's tokens, scored by Milvus's
BM25 function) or "jieba" (cleaned text, cut by Milvus's jieba analyser).

Usage::

    text = token_text(tokenizer("社区办公用房"))       # "app": what bm25_text holds
    weights = sparse_weights(stored)                  # "weights": one {term id: weight} per chunk
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from index.store import StoredIndex
from index.tokenize import DOMAIN_TERMS, STOPWORDS, fold, read_word_list

TERM_IDS = "crc32"
"""How ``milvus_bm25="weights"`` numbers terms (:func:`term_id`); recorded in each collection it writes."""
SPARSE_ID_LIMIT = 2**32 - 1
"""Milvus accepts sparse vector indices in [0, 2³² − 1)."""


_NOT_WORD = re.compile(r"\W")


def token_text(tokens: Sequence[str]) -> str:
    """Tokens joined by spaces, each made of word characters only (``2.5`` → ``2_5``).

    Milvus Lite's ``standard`` tokenizer splits on ``\\W+`` and a server's ``whitespace`` tokenizer on
    spaces: on text made like this both give back exactly these tokens.
    """
    return " ".join(_NOT_WORD.sub("_", token) for token in tokens)


def clean_for_jieba(text: str) -> str:
    """NFKC, lower case, punctuation and symbols replaced by spaces (for ``milvus_bm25="jieba"``).

    Milvus Lite's jieba analyser keeps punctuation as tokens and ignores a server's ``removepunct``
    filter; cleaning here gives the same tokens on both.
    """
    text = fold(text)
    return "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text)


def analyzer_params(mode: str, lite: bool) -> dict[str, Any] | None:
    """The analyser of ``bm25_text``; None for "weights" (Milvus does no BM25 of its own then).

    ``app``: the text already holds the app's tokens; Lite splits them with ``standard`` (it has no
    ``whitespace``), a server with ``whitespace``. ``jieba``: Milvus cuts the text in precise mode
    with its default dictionary plus the domain terms, then drops the stopwords.
    """
    if mode == "weights":
        return None
    if mode == "app":
        return {"tokenizer": "standard" if lite else "whitespace"}
    return {
        "tokenizer": {"type": "jieba", "dict": ["_default_", *read_word_list(DOMAIN_TERMS)], "mode": "exact",
                      "hmm": True},
        "filter": ["removepunct", {"type": "stop", "stop_words": read_word_list(STOPWORDS)}],
    }


def term_id(term: str) -> int:
    """The sparse index of ``term`` in every build: CRC-32 of its UTF-8, within Milvus's index range.

    Stable across builds (a vocabulary place shifts when a report is added or removed). Two terms
    of one vocabulary that share an id have their weights and counts added (none in today's corpus).

    >>> term_id("三社联动") == term_id("三社联动") != term_id("社区")
    True
    """
    return zlib.crc32(term.encode("utf-8")) % SPARSE_ID_LIMIT


def vocab_term_ids(vocab: dict[str, int]) -> np.ndarray:
    """``term_id`` of each vocabulary column (index = the build's vocab id)."""
    ids = np.zeros(len(vocab), dtype=np.int64)
    for term, column in vocab.items():
        ids[column] = term_id(term)
    return ids


def sparse_weights(stored: StoredIndex) -> list[dict[int, float]]:
    """Per chunk, the local build's BM25 weight of each of its terms by :func:`term_id` (``milvus_bm25="weights"``)."""
    matrix = stored.bm25.document_weights()
    ids = vocab_term_ids(stored.bm25.vocab)
    rows: list[dict[int, float]] = []
    for start, end in zip(matrix.indptr[:-1], matrix.indptr[1:]):
        row: dict[int, float] = {}
        for column, weight in zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist()):
            row[int(ids[column])] = row.get(int(ids[column]), 0.0) + weight
        rows.append(row)
    return rows

