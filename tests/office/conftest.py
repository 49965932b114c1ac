"""Fixtures of the office tests: settings whose data folder (accounts, audit log, history) is a fresh temporary one."""

from __future__ import annotations

import pytest

from core.settings import Settings
from tests.helpers import CHEAP_ARGON2


@pytest.fixture()
def settings(tmp_path) -> Settings:
    """Settings with data, corpus and index folders under ``tmp_path`` (nothing real is touched), cheap hashing."""
    return Settings(data_dir=tmp_path / "data", corpus=tmp_path / "corpus", index_dir=tmp_path / "index",
                    **CHEAP_ARGON2)
