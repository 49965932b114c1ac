"""How a chosen sentence becomes a point: an exact slice of its passage, cut where the report's own text says it.

A sentence chosen as evidence may be only a label ("二是大力推进红色物业工作。"), stop at a semicolon before its
items, lean on a neighbour ("同时，…", "而要…"), or come right after the label of its item; these functions
widen each point to the text an official needs, always to sentence bounds of the same line, so every point
stays an exact slice of its passage (offsets kept): the highlight and the copied text are exact. Points that
now overlap are quoted once, and chosen sentences that follow each other on a line read as one point.

Example:

    >>> passage = "一是认识不到位。部分干部重视不够。"
    >>> point = Sentence(0, 8, 17, passage[8:17], 0.9, 0.5, [], False, "other", ("a.txt", 1), 1.0, lead=0)
    >>> with_leads([point], [passage])[0].text
    '一是认识不到位。部分干部重视不够。'
"""

from __future__ import annotations

import re
from dataclasses import replace

from retriever.answer.enumeration import ITEM_LABEL
from retriever.answer.evidence import Sentence


def absorbing(point: Sentence, other: Sentence) -> Sentence:
    """``point`` credited with what ``other``, now quoted inside it, scored and matched of the question."""
    return replace(point, score=max(point.score, other.score), has_number=point.has_number or other.has_number,
                   has_unit=point.has_unit or other.has_unit, enumerated=point.enumerated or other.enumerated,
                   matched=point.matched + [w for w in other.matched if w not in point.matched])


def join_adjacent(chosen: list[Sentence], passages: list[str]) -> list[Sentence]:
    """The chosen sentences in reading order, those that follow each other in a passage joined as one point.

    Two chosen sentences with nothing but spaces between them on one line read as one quotation (and an
    official copies them as one); the joined point is still an exact slice of its passage. Sentences of
    different paragraphs stay separate points, and so does a sentence that opens an item ("四是…").
    """
    joined: list[Sentence] = []
    for sentence in sorted(chosen, key=lambda x: (x.hit, x.start)):
        last = joined[-1] if joined else None
        if (last and last.hit == sentence.hit and same_line_gap(passages[last.hit][last.end : sentence.start])
                and not ITEM_LABEL.match(sentence.text)):
            joined[-1] = replace(absorbing(last, sentence), end=sentence.end,
                                 text=passages[last.hit][last.start : sentence.end])
        else:
            joined.append(sentence)
    return joined


def same_line_gap(between: str) -> bool:
    """Whether two sentences are neighbours on one line: only spaces (no line break) between them."""
    return not between.strip() and "\n" not in between


def opens_line(passage: str, start: int) -> bool:
    """Whether only spaces stand between the start of its line (or passage) and ``start``."""
    return not passage[passage.rfind("\n", 0, start) + 1 : start].strip()


def ends_line(passage: str, end: int) -> bool:
    """Whether only spaces stand between ``end`` and the end of its line (or passage)."""
    stop = passage.find("\n", end)
    return not passage[end : stop if stop >= 0 else len(passage)].strip()


def with_leads(chosen: list[Sentence], passages: list[str]) -> list[Sentence]:
    """Each point with the short sentences that open its line before it ("一是认识不到位、不深刻。").

    Such a lead-in is too short to be a point of its own, but it is the label the report gives the point.
    """
    return [replace(x, start=x.lead, text=passages[x.hit][x.lead : x.end]) if x.lead >= 0 else x for x in chosen]


def with_item_labels(chosen: list[Sentence], passages: list[str], bounds: list[list[tuple[int, int]]],
                     label_chars: int) -> list[Sentence]:
    """Each point with the item label just before it on its line ("二是抓好典型培育。" before "坚持以点带面…"):
    a short sentence that opens an item of an enumeration in the middle of a paragraph names the point's item."""
    out = []
    for x in chosen:
        text = passages[x.hit]
        before = [(start, end) for start, end in bounds[x.hit] if end <= x.start]
        if before:
            start, end = before[-1]
            label = text[start:end]
            if (len(label) <= label_chars and ITEM_LABEL.match(label) and same_line_gap(text[end : x.start])
                    and not any(y.hit == x.hit and y.start <= start < y.end for y in chosen)):
                x = replace(x, start=start, text=text[start : x.end])
        out.append(x)
    return out


def with_statements(chosen: list[Sentence], passages: list[str], bounds: list[list[tuple[int, int]]],
                    label_chars: int) -> list[Sentence]:
    """Each point that is only a label ("二是大力推进红色物业工作。", "1、社区领导班子整体素质不高。": it opens its
    line, holds at most ``label_chars`` characters, and its line goes on) with the sentence that follows it on the
    line, where the report says what the label names. So is a point that ends in the first item's label after the
    colon of its introduction ("…主要问题如下：一是宣传和发展不够平衡。"): without the next sentence it names the
    problem and never says it.
    """
    out = []
    for x in chosen:
        text = passages[x.hit]
        tail = re.split("[：:]", x.text)[-1]
        label = x.text if opens_line(text, x.start) else (tail if tail != x.text and ITEM_LABEL.match(tail) else "")
        if (label_chars and label and len(label) <= label_chars and not ends_line(text, x.end)):
            after = [end for _, end in bounds[x.hit] if end > x.end]
            if after and "\n" not in text[x.end : after[0]]:
                x = replace(x, end=after[0], text=text[x.start : after[0]])
        out.append(x)
    return out


def with_sentence_rest(chosen: list[Sentence], passages: list[str], bounds: list[list[tuple[int, int]]],
                       rest_chars: int) -> list[Sentence]:
    """Each point that stops at a semicolon with the rest of its sentence on its line, when that rest holds at
    most ``rest_chars`` characters. The splitter cuts a sentence at "；", so a point could stop before what
    its sentence goes on to say: the later items of an enumeration ("…做到了四个统一：一是…统一；" without
    "二是…；三是…；四是…。") or the end of a rule ("责令停止建设、限期改正；" without "逾期不改正的，可以拆除。").
    A longer rest (items of whole paragraphs joined by semicolons) stays cut, or the point would be a page.
    """
    out = []
    for x in chosen:
        text = passages[x.hit]
        if x.text.rstrip().endswith(("；", ";")):
            end = x.end
            for start, stop in bounds[x.hit]:
                if start < end:
                    continue
                if not same_line_gap(text[end:start]):
                    break
                end = stop
                if not text[start:stop].rstrip().endswith(("；", ";")):
                    break
            if end > x.end and end - x.end <= rest_chars:
                x = replace(x, end=end, text=text[x.start : end])
        out.append(x)
    return out


CONTINUING = re.compile(r"\s*(?:同时|此外|另外|并且|而且|更为重要的是|更重要的是|加之|再加上)")
"""How a sentence that goes on with the point before it opens: "同时，…" / "此外，…" adds to the same item."""
POINTING_BACK = re.compile(r"\s*(?:而|但是|但|然而|因此|所以)")
"""How a sentence that answers the one before it opens ("而要…", "因此…"): alone it reads as half a thought."""
FIRST_ITEM = re.compile(r"\s*(?:一是|首先|其一|第一)")
"""How the first item of an enumeration written on one line opens."""


def with_continuations(chosen: list[Sentence], passages: list[str], bounds: list[list[tuple[int, int]]],
                       continuation_chars: int) -> list[Sentence]:
    """Each point with the neighbours on its line that its words lean on, each at most ``continuation_chars``
    characters: the sentence after it that goes on with the same item (同时 / 此外 / 另外 / 并且 / 而且 / 更为重要的是:
    "…签订安全承诺书" after the measure it completes, which repeats none of the question's words and so scored
    below the cut-off); the sentence before a point that points back at it (而 / 但 / 因此 / 所以: "而要…" quoted
    alone says "instead" of nothing); and the earlier items of an enumeration on its line before a point that opens
    a later one ("三是…" after "一是…；二是…；": the items the question asks for, cut by the splitter at "；")."""
    out = []
    for x in chosen:
        text = passages[x.hit]
        after = [(start, stop) for start, stop in bounds[x.hit] if start >= x.end]
        if after:
            start, stop = after[0]
            if (same_line_gap(text[x.end : start]) and CONTINUING.match(text[start:stop])
                    and stop - start <= continuation_chars):
                x = replace(x, end=stop, text=text[x.start : stop])
        before = [(start, stop) for start, stop in bounds[x.hit] if stop <= x.start]
        if before and same_line_gap(text[before[-1][1] : x.start]):
            start, stop = before[-1]
            if POINTING_BACK.match(x.text) and stop - start <= continuation_chars:
                x = replace(x, start=start, text=text[start : x.end])
            elif ITEM_LABEL.match(x.text.lstrip()) and not FIRST_ITEM.match(x.text):
                first = x.start
                for start, stop in reversed(before):
                    if not same_line_gap(text[stop:first]) or not text[start:stop].rstrip().endswith(("；", ";")):
                        break
                    first = start
                    if FIRST_ITEM.match(text[start:stop]):
                        break
                if (first < x.start and FIRST_ITEM.match(text[first : x.start])
                        and x.start - first <= continuation_chars):
                    x = replace(x, start=first, text=text[first : x.end])
        out.append(x)
    return out


def without_overlaps(chosen: list[Sentence], passages: list[str]) -> list[Sentence]:
    """The points less those another point now spans (a label's statement that was chosen too, an item of an
    enumeration gone on), and two points that now overlap as one: each text is quoted once ("二是领导重视程度各不
    相同。" ended one point, gone on past its semicolon, and opened the next), and what a point matched of the
    question stays with the point holding it.
    """
    out: list[Sentence] = []
    for x in sorted(chosen, key=lambda x: (x.hit, x.start, -x.end)):
        last = out[-1] if out else None
        if last and last.hit == x.hit and x.start < last.end:
            end = max(last.end, x.end)
            out[-1] = replace(absorbing(last, x), end=end, text=passages[x.hit][last.start : end])
        else:
            out.append(x)
    return out
