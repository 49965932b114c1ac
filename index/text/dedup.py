"""Find near-duplicate passages so that retrieval shows each passage once.

Web collections repeat reports with small changes: other placeholders
(``__`` / ``XX``), a few dropped characters or words. Texts are compared on
character shingles after removing punctuation, spaces and placeholder
characters; MinHash with banding (LSH) finds candidate pairs in near-linear
time, and the exact Jaccard similarity of the shingle sets confirms them.

Example::

    >>> canonical = near_duplicates(["社区办公用房不足XX平方米。", "社区办公用房不足__平方米"])
    >>> canonical
    [None, 0]
"""

from __future__ import annotations

import zlib

import numpy as np

from index.text.normalise import normalise_for_match

PLACEHOLDER_CHARS = set("Xx×＊*_＿")
_HASHES = 32
_BANDS = 8



def comparable_text(text: str) -> str:
    """``text`` normalised for matching, without placeholder characters (20xx and 20__ both become 20).

    Two passages with the same comparable text say the same; a collection's copy differs from its original
    only in such placeholders.

    >>> comparable_text("20xx年，全区") == comparable_text("20__年，全区")
    True
    """
    return "".join(ch for ch in normalise_for_match(text) if ch not in PLACEHOLDER_CHARS)


def _shingles(text: str, size: int) -> np.ndarray:
    """Distinct hashed character ``size``-grams of the normalised, placeholder-free text."""
    norm = comparable_text(text)
    if len(norm) <= size:
        return np.array([zlib.crc32(norm.encode())], dtype=np.uint64)
    grams = {zlib.crc32(norm[i : i + size].encode()) for i in range(len(norm) - size + 1)}
    return np.fromiter(grams, dtype=np.uint64)


def _signature(shingles: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MinHash signature: the minimum of each of ``_HASHES`` random multiply-add-shift hashes.

    ``(a·x + b) mod 2⁶⁴ >> 32`` with a random odd 64-bit ``a`` is a universal family for 32-bit
    keys (the CRC32 shingles): unsigned overflow does the ``mod 2⁶⁴``, and the high half of the
    product mixes every bit of ``x``, so no shingle is the minimum of most hashes.
    """
    with np.errstate(over="ignore"):
        hashed = (shingles[None, :] * a[:, None] + b[:, None]) >> np.uint64(32)
    return hashed.min(axis=1)


def near_duplicates(texts: list[str], shingle: int = 5, threshold: float = 0.8) -> list[int | None]:
    """For each text, the index of the first earlier text it nearly duplicates, else None.

    Groups are closed transitively, and every member points at the group's
    earliest text, so a passage repeated three times has one canonical copy.
    """
    rng = np.random.default_rng(20241)
    a = rng.integers(0, np.iinfo(np.uint64).max, size=_HASHES, dtype=np.uint64, endpoint=True) | np.uint64(1)
    b = rng.integers(0, np.iinfo(np.uint64).max, size=_HASHES, dtype=np.uint64, endpoint=True)
    sets = [_shingles(t, shingle) for t in texts]
    rows = _HASHES // _BANDS
    buckets: dict[tuple[int, bytes], list[int]] = {}
    for index, shingles in enumerate(sets):
        signature = _signature(shingles, a, b)
        for band in range(_BANDS):
            key = (band, signature[band * rows : (band + 1) * rows].tobytes())
            buckets.setdefault(key, []).append(index)
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    checked: set[tuple[int, int]] = set()
    for members in buckets.values():
        for pos, i in enumerate(members):
            for j in members[pos + 1 :]:
                if (i, j) in checked or find(i) == find(j):
                    continue
                checked.add((i, j))
                inter = len(np.intersect1d(sets[i], sets[j], assume_unique=True))
                union = len(sets[i]) + len(sets[j]) - inter
                if union and inter / union >= threshold:
                    ri, rj = find(i), find(j)
                    parent[max(ri, rj)] = min(ri, rj)
    result: list[int | None] = []
    for index in range(len(texts)):
        root = find(index)
        result.append(None if root == index else root)
    return result


ReportKey = tuple[str, int]
"""A report: its file and its number in that file."""


def copied_reports(chunks: list, min_share: float) -> dict[ReportKey, ReportKey]:
    """Reports that are copies of another: at least ``min_share`` of their passages repeat passages of one
    other report (``duplicate_of``), mapped to that report (the earlier one, followed to the first).

    Web collections hold the same report twice under two titles (篇2 and 篇3 of one file); its passages are
    marked duplicates one by one, but a passage reworded in the copy is not, so a list answer would name
    the one report twice. ``chunks`` are :class:`index.text.records.Chunk` records in index order.

    >>> from index.text.records import Chunk
    >>> def chunk(id, report, of=None):
    ...     return Chunk(id=id, file="a.txt", report=report, report_title="", section_path=[], line_start=1,
    ...                  line_end=1, text="……", duplicate_of=of)
    >>> copied_reports([chunk("a", 1), chunk("b", 1), chunk("c", 2, of="a"), chunk("d", 2)], 0.5)
    {('a.txt', 2): ('a.txt', 1)}
    """
    report_of = {c.id: (c.file, c.report) for c in chunks}
    sizes: dict[ReportKey, int] = {}
    repeats: dict[ReportKey, dict[ReportKey, int]] = {}
    for c in chunks:
        key = (c.file, c.report)
        sizes[key] = sizes.get(key, 0) + 1
        original = report_of.get(c.duplicate_of) if c.duplicate_of else None
        if original is not None and original != key:
            counts = repeats.setdefault(key, {})
            counts[original] = counts.get(original, 0) + 1
    copies = {}
    for key, counts in repeats.items():
        original, count = max(counts.items(), key=lambda item: item[1])
        if count >= min_share * sizes[key]:
            copies[key] = original
    for key in copies:  # a copy of a copy is a copy of the first
        seen = {key}
        while copies[key] in copies and copies[key] not in seen:
            seen.add(copies[key])
            copies[key] = copies[copies[key]]
    return copies
