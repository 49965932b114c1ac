"""Shared fixtures: the real corpus, chunked once per test session."""

from __future__ import annotations

import pytest

from core.settings import Settings
from retriever.answer.service import open_retriever
from index.text.clean import ADVERT, detect_watermarks
from index.text.normalise import normalise_for_match
from index.text.pipeline import CorpusChunks, FileResult, chunk_corpus


@pytest.fixture(scope="session")
def corpus_chunks() -> CorpusChunks:
    """The real corpus under corpus/, cleaned and chunked with default settings."""
    return chunk_corpus(Settings())


@pytest.fixture(scope="session")
def by_prefix(corpus_chunks: CorpusChunks):
    """Look a corpus file up by its number prefix ("000", "002", ...)."""

    def lookup(prefix: str) -> FileResult:
        (match,) = [f for f in corpus_chunks.files if f.document.name.startswith(prefix)]
        return match

    return lookup


def original_line_forms(lines: list[str]) -> list[str]:
    """Each original line with the file's watermark and bracketed adverts removed, normalised.

    These are the only two kinds of text the cleaner removes from inside a
    line; everything else a chunk holds must be found literally in the line.
    """
    marks = detect_watermarks(lines)
    forms = []
    for line in lines:
        for mark in marks:
            line = line.replace(mark, "")
        forms.append(normalise_for_match(ADVERT.sub("", line)))
    return forms


@pytest.fixture(scope="session")
def retriever():
    """A retriever over the real corpus with the default model (builds data/index once if needed)."""
    return open_retriever(Settings(), show_bar=False)
