"""Time stamps as the office's files write them: local time with its UTC offset, to the second.

Example:

    >>> stamp = now_text()
    >>> stamp[4], stamp[10], stamp[19] in "+-"
    ('-', 'T', True)
    >>> readable_time("2025-03-01T09:30:05+00:00") == readable_time("2025-03-01T17:30:05+08:00")
    True
    >>> readable_time("2025-03-01T09:30:05"), readable_time("不是时间")
    ('2025年3月1日 09:30', '不是时间')
"""

from __future__ import annotations

from datetime import datetime


def now_text() -> str:
    """The current local time as ISO 8601 with offset, e.g. ``2025-03-01T09:30:00+08:00``."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def readable_time(stamp: str) -> str:
    """An ISO 8601 stamp as an official reads it, in this machine's local time: ``2025年3月1日 09:30``.

    The files keep ISO 8601 with its offset (sortable, unambiguous); pages and exports show this.
    A stamp that is not ISO 8601 is shown as it is.
    """
    try:
        moment = datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"
