"""The app's search scope (files, reports) as a Milvus filter expression.

Usage::

    expr = filter_expr(files=["a.txt"], reports=[("b.txt", 2)])   # then milvus.sparse(query, 100, expr)
"""

from __future__ import annotations

from collections.abc import Iterable

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def quote_literal(value: str) -> str:
    """A Milvus filter string literal: double quotes, with backslash, quote and line breaks escaped.

    Milvus Lite does not support filter templates, so values are escaped instead.

    >>> print(quote_literal('a"b\\\\c（报告）.txt'))
    "a\\"b\\\\c（报告）.txt"
    """
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in value) + '"'


def filter_expr(files: Iterable[str] = (), reports: Iterable[tuple[str, int]] = ()) -> str:
    """The Milvus filter of the app's scope: a passage of one of ``files`` or of one ``(file, report)``.

    Same meaning as ``retriever.backends.Scope.of`` (the embedded mask); "" keeps everything.

    >>> filter_expr(["b.txt"], [("a.txt", 2), ("a.txt", 1)])
    'file in ["b.txt"] or (file == "a.txt" and report in [1, 2])'
    """
    names = sorted(set(files))
    by_file: dict[str, set[int]] = {}
    for name, number in reports:
        by_file.setdefault(name, set()).add(int(number))
    parts = [f"file in [{', '.join(quote_literal(f) for f in names)}]"] if names else []
    for name in sorted(set(by_file) - set(names)):
        numbers = ", ".join(str(n) for n in sorted(by_file[name]))
        parts.append(f"(file == {quote_literal(name)} and report in [{numbers}])")
    return " or ".join(parts)
