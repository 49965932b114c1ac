"""The app's scope (files, reports) as a Milvus filter: quoting and the expression (no Milvus needed)."""

from __future__ import annotations

from index.milvus.filters import filter_expr, quote_literal


def test_quote_literal_and_filter_expr():
    assert quote_literal('a"b\\c\n.txt') == '"a\\"b\\\\c\\n.txt"'
    assert filter_expr() == ""
    assert filter_expr(["b.txt", "a.txt"]) == 'file in ["a.txt", "b.txt"]'
    assert filter_expr(reports=[("a.txt", 2), ("a.txt", 1)]) == '(file == "a.txt" and report in [1, 2])'
    assert filter_expr(["a.txt"], [("a.txt", 1), ("b.txt", 3)]) == (
        'file in ["a.txt"] or (file == "b.txt" and report in [3])')
