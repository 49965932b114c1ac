"""The reader's links: the anchor of a passage, the links that open the reader or download a file, and the
quoted spans a link carries.

Links are relative (``reader?chunk=…``), so the app also works under a path prefix. The
``s`` of a link is untrusted: :func:`parse_spans` keeps only well-formed spans inside the
passage and drops the rest.

Example::

    >>> reader_url("ab/c")
    'reader?chunk=ab%2Fc#c-ab_c'
    >>> reader_url("ab/c", [(120, 164)])
    'reader?chunk=ab%2Fc&s=120-164#c-ab_c'
    >>> parse_spans("170-200,120-164,abc", 300)
    [(120, 164), (170, 200)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

MAX_SPANS = 20
"""Quoted spans a reader link may carry; any beyond are ignored (an answer quotes a few sentences per passage)."""
_SPAN = re.compile(r"([0-9]{1,9})-([0-9]{1,9})")

Span = tuple[int, int]
"""Character offsets ``(start, end)`` into a passage's text: ``text[start:end]`` was quoted."""


def anchor_id(chunk_id: str) -> str:
    """The HTML id of a passage's start: ``c-`` and the chunk id (anything but ``[A-Za-z0-9_-]`` replaced)."""
    return "c-" + re.sub(r"[^A-Za-z0-9_-]", "_", chunk_id)


def reader_url(chunk_id: str, spans: Iterable[Span] = ()) -> str:
    """Relative link that opens the reader at a passage (query for the server, fragment for the scroll).

    ``spans`` are the quoted sentences (offsets into the passage's text); they travel as
    ``&s=120-164,170-200`` so the reader marks them. Without any the link is the plain one.
    """
    cited = ",".join(f"{start}-{end}" for start, end in ((int(a), int(b)) for a, b in spans)
                     if 0 <= start < end)
    query = f"&s={cited}" if cited else ""
    return f"reader?chunk={quote(chunk_id, safe='')}{query}#{anchor_id(chunk_id)}"


def parse_spans(raw: str, length: int) -> list[Span]:
    """The quoted spans of a link's ``s`` (``"120-164,170-200"``) for a passage text of ``length`` characters.

    Anyone can edit a link, so only the first :data:`MAX_SPANS` parts are read and a part
    that is not ``start-end`` with ``start < end`` and ``start`` inside the text is dropped,
    never an error; ends past the text are clipped. Sorted, overlapping ones merged.
    """
    spans = []
    for part in raw.split(",", MAX_SPANS)[:MAX_SPANS]:
        match = _SPAN.fullmatch(part.strip())
        if match:
            start, end = int(match[1]), min(int(match[2]), length)
            if start < end:
                spans.append((start, end))
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def report_url(file: str, report: int) -> str:
    """Relative link that opens a whole report at its top."""
    return f"reader?file={quote(file, safe='')}&report={int(report)}"


def download_url(file: str) -> str:
    """Relative link that downloads an original corpus file (``file`` relative to the corpus folder)."""
    return f"download?name={quote(file, safe='')}"
