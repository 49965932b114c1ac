"""Time stamps as the office's files write them: local time with its UTC offset, to the second.

Example:

    >>> stamp = now_text()
    >>> stamp[4], stamp[10], stamp[19] in "+-"
    ('-', 'T', True)
"""

from __future__ import annotations

from datetime import datetime


def now_text() -> str:
    """The current local time as ISO 8601 with offset, e.g. ``2025-03-01T09:30:00+08:00``."""
    return datetime.now().astimezone().isoformat(timespec="seconds")
