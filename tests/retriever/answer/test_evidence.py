"""Term statistics and weighted word shares over the real passages."""

from __future__ import annotations

from index.text.normalise import normalise_for_match
from retriever.answer.evidence import TermStats, named_by_report, weighted_share


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


def test_a_place_the_report_is_about_counts_as_said_by_each_of_its_sentences():
    """"我市的社区建设工作还只是刚刚起步" holds 临沂 when its report is about 临沂 (the report's places)."""
    words, weights = ["临沂", "社区建设"], {"临沂": 3.0, "社区建设": 1.0}
    sentence = normalise_for_match("我市的社区建设工作还只是刚刚起步")
    assert weighted_share(words, weights, sentence) == (0.25, ["社区建设"])
    said = named_by_report(["临沂"], ["兰山区", "临沂", "各县区"])
    assert weighted_share(words, weights, sentence, said=said) == (1.0, ["临沂", "社区建设"])
    assert named_by_report(["临沂"], ["攀枝花市", "西南地区"]) == set()
