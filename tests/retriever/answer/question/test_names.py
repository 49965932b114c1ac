"""The places and bodies a question names."""

from __future__ import annotations

import pytest

from index.tokenize import Tokenizer
from retriever.answer.question.names import place_words


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer("words+bigrams")


def test_place_words_are_the_places_and_bodies_a_question_names(tokenizer):
    assert place_words(tokenizer.tagged_words("临沂社区建设存在的问题")) == ["临沂"]
    assert place_words(tokenizer.tagged_words("社区建设存在的问题")) == []
