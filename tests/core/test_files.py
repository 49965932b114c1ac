"""Private files: made readable and writable by their owner only, whatever the umask."""

from __future__ import annotations

import stat

from core.files import PRIVATE_MODE, create_private


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_and_its_folder_are_made_for_the_owner_only(tmp_path, usual_umask):
    path = tmp_path / "data" / "history.sqlite3"
    create_private(path)
    assert path.read_bytes() == b"" and mode(path) == PRIVATE_MODE == 0o600


def test_an_existing_file_is_left_as_it_is(tmp_path, usual_umask):
    path = tmp_path / "feedback.jsonl"
    path.write_text("kept\n", encoding="utf-8")
    path.chmod(0o640)
    create_private(path)
    assert path.read_text(encoding="utf-8") == "kept\n" and mode(path) == 0o640
