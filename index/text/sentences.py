"""Split a paragraph into sentences by offsets, so that a quoted sentence is an exact slice of its text.

Example:

    >>> text = "社区办公用房不足。部分社区仅20平方米！"
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['社区办公用房不足。', '部分社区仅20平方米！']
"""

from __future__ import annotations

SENTENCE_ENDS = "。！？!?；;…"
SENTENCE_CLOSERS = SENTENCE_ENDS + "”’」』）)"
QUOTED_ASKING = "？！?!"
"""Marks that end no sentence inside quotation marks that close later on the line:
"“钱从哪里来？土地怎么出？群众如何安？”是新型农村社区建设的三大难题" is one sentence, whose subject is the quote."""
BETWEEN_DIGITS = "。"
"""A full stop between two digits is a decimal point or a date typed with the wrong key ("5。29计生协会文艺汇演",
May 29th): it ends no sentence."""


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of a paragraph (ending in 。！？；…; a ？ or ！ inside “…” ends none,
    nor does a 。 between two digits).

    >>> text = "“钱从哪里来？土地怎么出？”是三大难题。为破解难题，……"
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['“钱从哪里来？土地怎么出？”是三大难题。', '为破解难题，……']
    """
    spans = []
    start = 0
    i = 0
    while i < len(text):
        if (text[i] in QUOTED_ASKING and _inside_quote(text, start, i)) or (
                text[i] in BETWEEN_DIGITS and 0 < i < len(text) - 1 and text[i - 1].isdigit()
                and text[i + 1].isdigit()):
            i += 1
            continue
        if text[i] in SENTENCE_ENDS:
            end = i + 1
            while end < len(text) and text[end] in SENTENCE_CLOSERS:
                end += 1
            spans.append((start, end))
            start = i = end
            continue
        i += 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _inside_quote(text: str, start: int, i: int) -> bool:
    """Whether ``text[i]`` is inside a “ opened since ``start`` and closed by a ” later in ``text``."""
    opened = text.count("“", start, i) - text.count("”", start, i)
    return opened > 0 and "”" in text[i:]


def passage_sentences(text: str) -> list[tuple[int, int]]:
    """Offsets of the sentences of a passage, line by line, without surrounding whitespace.

    A line break always ends a sentence (a heading line is a sentence of its own), and
    ``text[start:end]`` is the sentence exactly as quoted, so citations stay exact slices.

    >>> text = "一、存在的问题\\n办公用房不足。经费短缺！"
    >>> [text[s:e] for s, e in passage_sentences(text)]
    ['一、存在的问题', '办公用房不足。', '经费短缺！']
    """
    spans = []
    offset = 0
    for line in text.split("\n"):
        for start, end in sentence_spans(line):
            piece = line[start:end]
            left = len(piece) - len(piece.lstrip())
            right = len(piece.rstrip())
            if right > left:
                spans.append((offset + start + left, offset + start + right))
        offset += len(line) + 1
    return spans
