"""How a chosen sentence becomes a point: widened to what the report says, always an exact slice of its passage.

The passages are real lines of the reports (read from ``corpus/``), cut into sentences as the index cuts them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index.text.sentences import passage_sentences
from retriever.answer.evidence import Sentence
from retriever.answer.points import join_adjacent, with_sentence_rest, with_statements, without_overlaps

CORPUS = Path(__file__).resolve().parents[3] / "corpus"


def corpus_line(prefix: str, opening: str) -> str:
    """The first line of the corpus file starting with ``prefix`` that holds ``opening`` (stripped)."""
    path = next(CORPUS.glob(f"{prefix}*.txt"))
    return next(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if opening in line)


def sentence(passage: str, bounds: list[tuple[int, int]], index: int) -> Sentence:
    start, end = bounds[index]
    return Sentence(0, start, end, passage[start:end], 0.9, 0.5, [], False, "other", ("a.txt", 1), 1.0)


@pytest.fixture(scope="module")
def red_property() -> tuple[str, list[tuple[int, int]]]:
    passage = corpus_line("002", "二是大力推进红色物业工作。")
    return passage, passage_sentences(passage)


@pytest.fixture(scope="module")
def self_built() -> tuple[str, list[tuple[int, int]]]:
    passage = corpus_line("003", "责令停止建设、限期改正")
    return passage, passage_sentences(passage)


def test_a_label_goes_on_with_the_sentence_that_says_what_it_names(red_property):
    passage, bounds = red_property
    label = sentence(passage, bounds, 0)
    assert label.text == "二是大力推进红色物业工作。"
    point = with_statements([label], [passage], [bounds], label_chars=20)[0]
    assert point.text == "二是大力推进红色物业工作。辖区物业公司工作参差不齐。"
    assert passage[point.start : point.end] == point.text
    assert with_statements([label], [passage], [bounds], label_chars=10)[0] == label  # longer than a label


def test_a_point_cut_at_a_semicolon_takes_the_rest_of_its_sentence(self_built):
    passage, bounds = self_built
    cut = next(i for i, (s, e) in enumerate(bounds) if passage[s:e].endswith("限期改正;"))
    point = with_sentence_rest([sentence(passage, bounds, cut)], [passage], [bounds], rest_chars=40)[0]
    assert point.text.endswith("限期改正;逾期不改正的,可以拆除。")
    assert passage[point.start : point.end] == point.text
    assert with_sentence_rest([sentence(passage, bounds, cut)], [passage], [bounds], rest_chars=5)[0].end == \
        bounds[cut][1]  # a rest longer than rest_chars stays cut


def test_neighbours_on_a_line_are_one_point_and_overlaps_are_quoted_once(red_property):
    passage, bounds = red_property
    first, second, third = (sentence(passage, bounds, i) for i in range(3))
    joined = join_adjacent([third, first, second], [passage])
    assert len(joined) == 1 and joined[0].text == passage[bounds[0][0] : bounds[2][1]]
    wide = with_statements([first], [passage], [bounds], label_chars=20)[0]  # now spans the second sentence
    merged = without_overlaps([wide, second], [passage])
    assert [x.text for x in merged] == [wide.text]
