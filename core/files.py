"""Files that only their owner may read: the app's records of accounts and of what users asked and said.

``users.sqlite3`` (password hashes), ``history.sqlite3`` (every user's questions and answers) and
``feedback.jsonl`` (votes with questions, answers and comments) are made with mode 0600, whatever the
process's umask (usually 022, which would leave them readable by every account on the machine); the audit
log opens its file with 0600 itself (``office/audit.py``). A file that already exists keeps its mode.

Example:

    >>> import stat, tempfile
    >>> path = Path(tempfile.mkdtemp()) / "data" / "history.sqlite3"
    >>> create_private(path)
    >>> oct(stat.S_IMODE(path.stat().st_mode))
    '0o600'
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_MODE = 0o600
"""Read and write for the owner, nothing for anyone else."""


def create_private(path: Path) -> None:
    """Create ``path`` (and its folder) empty and readable and writable by its owner only, if it does not exist yet."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_MODE))
    except FileExistsError:  # made by another process in the meantime
        pass
