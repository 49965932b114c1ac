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
_LOOSE_ROWS = 2



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


def near_duplicates(texts: list[str], shingle: int = 5, threshold: float = 0.8,
                    kept_share: float = 0.9) -> list[int | None]:
    """For each text, the index of the text of its group that it nearly duplicates, else None (it is that one).

    Groups are closed transitively, and every member points at the group's most complete text (the most
    characters once placeholders and punctuation are left out; the earliest of equals), so a passage repeated
    three times has one canonical copy, and a copy that lost characters (格化管理 for 网格化管理, 20年月 for
    20年1月) is never the one shown and quoted. A pair also counts when one text is the other with characters
    dropped and keeps ``kept_share`` of them: a copy that lost every 网 of 网格化管理 falls below the Jaccard
    ``threshold`` (0.73), though it says nothing the other does not.
    """
    rng = np.random.default_rng(20241)
    a = rng.integers(0, np.iinfo(np.uint64).max, size=_HASHES, dtype=np.uint64, endpoint=True) | np.uint64(1)
    b = rng.integers(0, np.iinfo(np.uint64).max, size=_HASHES, dtype=np.uint64, endpoint=True)
    sets = [_shingles(t, shingle) for t in texts]
    sizes = [len(comparable_text(t)) for t in texts]

    def lost_characters(i: int, j: int) -> bool:
        """Whether the shorter of texts ``i`` and ``j`` is the longer with a few characters dropped."""
        short, long = sorted((i, j), key=lambda k: sizes[k])
        return sizes[short] >= kept_share * sizes[long] and says_less(texts[short], texts[long])

    # Candidate pairs share a band of the signature: 8 bands of 4 values for the Jaccard check, and 16 of 2
    # (which also catch the lower similarity of a copy that lost characters) for the dropped-characters check.
    buckets: dict[tuple[int, int, bytes], list[int]] = {}
    for index, shingles in enumerate(sets):
        signature = _signature(shingles, a, b)
        for rows in (_HASHES // _BANDS, _LOOSE_ROWS):
            for band in range(_HASHES // rows):
                key = (rows, band, signature[band * rows : (band + 1) * rows].tobytes())
                buckets.setdefault(key, []).append(index)
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    checked: set[tuple[int, int, bool]] = set()
    for (rows, _, _), members in buckets.items():
        loose = rows == _LOOSE_ROWS
        for pos, i in enumerate(members):
            for j in members[pos + 1 :]:
                if (i, j, loose) in checked or find(i) == find(j):
                    continue
                checked.add((i, j, loose))
                if loose:
                    same = lost_characters(i, j)
                else:
                    inter = len(np.intersect1d(sets[i], sets[j], assume_unique=True))
                    union = len(sets[i]) + len(sets[j]) - inter
                    same = bool(union) and inter / union >= threshold
                if same:
                    ri, rj = find(i), find(j)
                    parent[max(ri, rj)] = min(ri, rj)
    best: dict[int, int] = {}
    for index in range(len(texts)):
        root = find(index)
        if sizes[index] > sizes[best.setdefault(root, index)]:
            best[root] = index
    return [None if best[find(index)] == index else best[find(index)] for index in range(len(texts))]


def says_less(copy: str, original: str) -> bool:
    """Whether ``copy`` is ``original`` with characters dropped (or the same), placeholders and punctuation aside.

    >>> says_less("3.格化管理方面", "3.网格化管理方面"), says_less("东城社区", "西城社区")
    (True, False)
    """
    rest = iter(comparable_text(original))
    return all(ch in rest for ch in comparable_text(copy))


ReportKey = tuple[str, int]
"""A report: its file and its number in that file."""


def copied_reports(chunks: list, min_share: float) -> dict[ReportKey, ReportKey]:
    """Reports that are copies of another: at least ``min_share`` of their passages are near-duplicates of
    passages of one other report (in a ``duplicate_of`` group with it), mapped to that report. Of two reports
    that repeat each other, the copy is the one whose passages are less often their group's most complete one
    (the later of equals); a copy of a copy maps to the last report it leads to.

    Web collections hold the same report twice under two titles (篇2 and 篇3 of one file); its passages are
    marked duplicates one by one, but a passage reworded in the copy is not, so a list answer would name
    the one report twice. ``chunks`` are :class:`index.text.records.Chunk` records in index order.

    >>> from index.text.records import Chunk
    >>> def chunk(id, report, of=None):
    ...     return Chunk(id=id, file="a.txt", report=report, report_title="", section_path=[], line_start=1,
    ...                  line_end=1, text="……", duplicate_of=of)
    >>> copied_reports([chunk("a", 1), chunk("b", 1), chunk("c", 2, of="a"), chunk("d", 2)], 0.5)
    {('a.txt', 2): ('a.txt', 1)}
    >>> copied_reports([chunk("a", 1, of="c"), chunk("b", 1), chunk("c", 2), chunk("d", 2, of="b")], 0.5)
    {('a.txt', 2): ('a.txt', 1)}
    """
    reports_in: dict[str, set[ReportKey]] = {}  # group (its most complete passage's id) → the reports it is in
    for c in chunks:
        reports_in.setdefault(c.duplicate_of or c.id, set()).add((c.file, c.report))
    sizes: dict[ReportKey, int] = {}
    leading: dict[ReportKey, int] = {}  # passages that are the most complete of a group shared with another report
    repeats: dict[ReportKey, dict[ReportKey, int]] = {}
    for c in chunks:
        key = (c.file, c.report)
        sizes[key] = sizes.get(key, 0) + 1
        others = reports_in[c.duplicate_of or c.id] - {key}
        if others and not c.duplicate_of:
            leading[key] = leading.get(key, 0) + 1
        for other in others:
            counts = repeats.setdefault(key, {})
            counts[other] = counts.get(other, 0) + 1
    candidates = {}
    for key, counts in repeats.items():
        original, count = max(counts.items(), key=lambda item: (item[1], -item[0][1]))  # the first of equals
        if count >= min_share * sizes[key]:
            candidates[key] = original
    copies = {key: original for key, original in candidates.items()
              if candidates.get(original) != key
              or (leading.get(key, 0), -key[1]) < (leading.get(original, 0), -original[1])}
    for key in copies:  # a copy of a copy is a copy of the last
        seen = {key}
        while copies[key] in copies and copies[key] not in seen:
            seen.add(copies[key])
            copies[key] = copies[copies[key]]
    return {key: original for key, original in copies.items() if original != key}
