"""Words jieba cut apart in a question, put back together."""

from __future__ import annotations

import pytest

from index.tokenize import Tokenizer
from retriever.answer.question.compounds import facility_compounds


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer("words+bigrams")


def test_a_facility_is_the_word_the_suffix_follows_in_the_question(tokenizer):
    corpus_holds = {"社区", "调解", "调解室", "北海", "街道", "配齐"}.__contains__
    assert facility_compounds("社区调解室怎么建", ["社区", "调解"], tokenizer, corpus_holds) == (
        ["社区", "调解", "调解室"], set())
    # 哪些 stands between 配齐 and 室: the question asks of rooms, not of a "配齐室" no report holds
    assert facility_compounds("北海街道建议社区配齐哪些室、站？", ["北海", "街道", "社区", "配齐"], tokenizer,
                              corpus_holds) == (["北海", "街道", "社区", "配齐"], set())
