"""Fixtures of the Milvus tests: Milvus Lite in a folder under tmp_path (no server), over a copy of the small index.

Built from the small index of two real report slices (``slices_copy``). The only network address
the tests use is a refused loopback port, 127.0.0.1:1 (:data:`tests.helpers.REFUSED_ADDRESS`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from index.milvus import MilvusIndex
from index.store import StoredIndex, load_index
from index.tokenize import Tokenizer


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    """The app's tokenizer of the small index (loading jieba once per module)."""
    return Tokenizer("words+bigrams")


@pytest.fixture()
def settings(slices_copy: Settings, tmp_path: Path) -> Settings:
    """A private copy of the small index, with Milvus Lite in tmp_path."""
    return slices_copy.override(backend="milvus", milvus_uri=str(tmp_path / "milvus.db"))


@pytest.fixture()
def milvus(settings: Settings):
    """A connection to the (empty) Milvus Lite folder; closed and released after the test."""
    index = MilvusIndex.connect(settings, create=True)
    yield index
    index.close()


@pytest.fixture()
def synced(milvus: MilvusIndex, settings: Settings, tokenizer: Tokenizer) -> StoredIndex:
    """The small local build, synced into Milvus."""
    stored = load_index(settings.index_dir)
    milvus.sync(stored, tokenizer)
    return stored
