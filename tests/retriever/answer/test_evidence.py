"""Term statistics and weighted word shares over the real passages."""

from __future__ import annotations

from retriever.answer.evidence import TermStats, weighted_share


def test_rare_words_weigh_more_than_common_ones(retriever):
    stats = TermStats(retriever.stored)
    assert stats.idf("办公用房") > 3 * stats.idf("社区")
    assert stats.df("社区") > 300
    assert stats.absent(["图书馆", "办公用房", "比特币"]) == ["图书馆", "比特币"]


def test_weighted_share_counts_idf_and_partial_words():
    weights = {"办公用房": 4.0, "社区": 0.1, "达标": 4.0}
    share, found = weighted_share(list(weights), weights, "社区办公用房仅20平方米")
    assert found == ["办公用房", "社区"] and abs(share - 4.1 / 8.1) < 1e-9
    # an abbreviation's characters apart ("达到……标准") earn half of 达标; whole words are required without partial
    text = "除鱼儿山社区未能达到示范社区创建标准"
    assert weighted_share(["达标"], weights, text)[0] == 0
    assert weighted_share(["达标"], weights, text, partial=True)[0] == 0.5
    weights = {"一站式服务": 3.0}
    assert weighted_share(["一站式服务"], weights, "开展一站式代理服务", partial=True)[0] == 0.75
