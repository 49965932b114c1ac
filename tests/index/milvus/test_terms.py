"""BM25 text for Milvus: the app's tokens survive both Milvus tokenizers, and the jieba analyser's settings."""

from __future__ import annotations

from index.milvus.terms import analyzer_params, clean_for_jieba, token_text


def test_app_tokens_survive_both_milvus_tokenizers():
    from milvus_lite.analyzer.factory import create_analyzer

    tokens = ["三社联动", "2.5", "o2o", "社区", "ｘ-y"]
    text = token_text(tokens)
    assert text.split(" ") == ["三社联动", "2_5", "o2o", "社区", "ｘ_y"]  # what a server's whitespace tokenizer sees
    assert create_analyzer(analyzer_params("app", lite=True)).tokenize(text) == text.split(" ")  # Lite standard
    assert analyzer_params("app", lite=False) == {"tokenizer": "whitespace"}
    assert analyzer_params("weights", lite=True) is None


def test_jieba_analyser_keeps_domain_terms_and_drops_stopwords():
    from milvus_lite.analyzer.factory import create_analyzer

    analyzer = create_analyzer(analyzer_params("jieba", lite=True))
    tokens = analyzer.tokenize(clean_for_jieba("创新和支持“三社联动”，办公用房不足。"))
    assert "三社联动" in tokens and "办公用房" in tokens
    assert "和" not in tokens and "“" not in tokens and "，" not in tokens
