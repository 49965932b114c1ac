"""Private jieba tokenizers with this user's own dictionary cache (another account's cache is never touched)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from index.text.segmenter import cache_name, new_jieba


def test_the_dictionary_cache_is_this_users_own_file(tmp_path, monkeypatch, capfd):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    shared = tmp_path / "jieba.cache"
    shared.write_bytes(b"another account's cache, unreadable for this one")
    tokenizer = new_jieba()
    assert tokenizer.lcut("社区办公用房不达标")[:1] == ["社区"]
    assert (tmp_path / cache_name()).stat().st_size > 1_000_000  # written on first use, beside the other one
    assert shared.read_bytes().startswith(b"another account")  # left alone
    assert "Traceback" not in capfd.readouterr().err
    assert Path(tempfile.gettempdir()) == tmp_path
