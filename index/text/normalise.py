"""Character-level normal forms used to compare texts (duplicates, evidence, quoted sentences).

Example:

    >>> normalise_for_match("社区 办公用房，仅 20㎡。")
    '社区办公用房仅20m2'
    >>> is_debris("……  ——"), is_debris("一、")
    (True, False)
"""

from __future__ import annotations

import unicodedata


def normalise_for_match(text: str) -> str:
    """NFKC text without whitespace and punctuation: the form used to compare passages."""
    return "".join(
        ch
        for ch in unicodedata.normalize("NFKC", text)
        if unicodedata.category(ch)[0] not in "PSZC"
    )


def is_debris(text: str) -> bool:
    """A line with no letter, digit or Chinese character: dots, rules, bullets."""
    return not any(unicodedata.category(ch)[0] in "LN" for ch in text)
