"""Tokenization for BM25: domain terms whole, stopwords and punctuation gone."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from index.tokenize import DOMAIN_TERMS, MODES, Tokenizer, read_word_list


@pytest.fixture(scope="module")
def words() -> Tokenizer:
    return Tokenizer("words")


TERMS = ["三社联动", "网格化管理", "一站式服务", "社区居委会", "双四百", "费随事转", "居财街管"]


@pytest.mark.parametrize("term", TERMS)
def test_domain_terms_come_out_whole(words: Tokenizer, term: str):
    assert term in words(f"要加快推进{term}工作。")


def test_every_listed_domain_term_is_one_token(words: Tokenizer):
    for term in read_word_list(DOMAIN_TERMS):
        assert words(term) == [term], term


def test_stopwords_and_punctuation_dropped(words: Tokenizer):
    assert words("哪些社区的办公用房，怎么样？") == ["社区", "办公用房"]


def test_bigram_mode_adds_character_bigrams_of_long_words():
    tokens = Tokenizer("words+bigrams")("社区工作者")
    assert tokens[0] == "社区工作者" and {"社区", "区工", "工作", "作者"} <= set(tokens)


def test_search_mode_emits_sub_words():
    assert {"办公", "用房", "办公用房"} <= set(Tokenizer("search")("办公用房"))


def test_unknown_mode_is_refused():
    with pytest.raises(ConfigError, match="未知的分词方式"):
        Tokenizer("chars")
    assert "words+bigrams" in MODES


def test_dictionary_words_and_guessed_ones(words: Tokenizer):
    assert words.knows("办公用房") and words.knows("三社联动")  # jieba's dictionary and the domain terms
    assert "或奖" in words.words("专项资金或奖补资金") and not words.knows("或奖")  # jieba's HMM guessed it
    assert words.dictionary_tags("或奖") == [("或", "c"), ("奖", "n")]


def test_a_text_tagged_again_is_served_from_the_recent_tags_and_callers_cannot_change_them():
    """An answer tags its question in several places; the second tagging reuses the first, and a caller editing
    its list (the compounds rules replace words in theirs) changes no later caller's tags."""
    tokenizer = Tokenizer("words")
    question = "赣州、九江、淮北三地的社区建设有什么不一样"
    first = tokenizer.tagged_words(question)
    hits = tokenizer._tagged.cache_info().hits
    first.append(("改动", "n"))
    again = tokenizer.tagged_words(question)
    assert tokenizer._tagged.cache_info().hits == hits + 1
    assert ("改动", "n") not in again and again == first[:-1]
    assert tokenizer.dictionary_tags("或奖") == [("或", "c"), ("奖", "n")]  # without guessing: its own entry
