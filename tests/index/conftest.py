"""Fixtures of the index tests: one small real index, built from scratch once per session, and private copies.

Tests that only read a built index use ``built_slices``; tests that change the
corpus or the index (incremental builds, damage, crashes, killed builds) work
on ``slices_copy``, a private copy of corpus and index, so only the build they
are about runs.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.settings import Settings
from index.build import BuildReport, IndexStatus, build_index, index_status
from tests.helpers import write_slices


@dataclass
class BuiltSlices:
    """Settings of the small index, what its first build reported, and the index status before that build."""

    settings: Settings
    report: BuildReport
    status_before: IndexStatus


@pytest.fixture(scope="session")
def built_slices(tmp_path_factory: pytest.TempPathFactory) -> BuiltSlices:
    """Two real report slices (:data:`tests.helpers.SOURCES`) and their index, built from scratch once."""
    root = tmp_path_factory.mktemp("built")
    settings = Settings(corpus=root / "corpus", index_dir=root / "index")
    write_slices(settings.corpus)
    status_before = index_status(settings)
    report = build_index(settings, show_bar=False)
    return BuiltSlices(settings, report, status_before)


def copy_index(built: Settings, target: Path) -> Settings:
    """A private copy of the built corpus and index under ``target``."""
    shutil.copytree(built.corpus, target / "corpus")
    shutil.copytree(built.index_dir, target / "index")
    return built.override(corpus=target / "corpus", index_dir=target / "index")


@pytest.fixture()
def slices_copy(built_slices: BuiltSlices, tmp_path: Path) -> Settings:
    """A private copy of the small corpus and its built index, to change at will."""
    return copy_index(built_slices.settings, tmp_path)
