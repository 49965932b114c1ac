"""Near-duplicate passages: the real corpus's repeated reports, then the rules by hand."""

from __future__ import annotations

from index.text.dedup import copied_reports, near_duplicates


def test_near_duplicate_reports_are_marked(by_prefix, corpus_chunks):
    by_id = {c.id: c for c in corpus_chunks.chunks}

    def duplicated_reports(prefix: str, report: int) -> set[int]:
        chunks = [c for c in by_prefix(prefix).chunks if c.report == report]
        marked = [c for c in chunks if c.duplicate_of]
        assert len(marked) >= 0.8 * len(chunks), (prefix, report, len(marked), len(chunks))
        return {by_id[c.duplicate_of].report for c in marked}

    assert duplicated_reports("003", 4) == {1}
    assert duplicated_reports("003", 3) == {2}  # other placeholders (__ vs XX)
    assert duplicated_reports("003", 27) == {13}  # characters dropped
    assert duplicated_reports("002", 4) == {1}  # a few words missing
    originals = [c for c in by_prefix("003").chunks if c.report in (1, 2, 5, 13)]
    assert not any(c.duplicate_of for c in originals)


def test_near_duplicates_unit():
    texts = ["社区办公用房面积严重不足，难以开展服务。", "社区办公用房面积严重不足，难以开展服务",
             "居民参与积极性不高。"]
    assert near_duplicates(texts) == [None, 0, None]


def test_placeholders_and_punctuation_do_not_make_a_difference():
    texts = ["全市共有XX个社区，其中城市社区XX个，农村社区XX个。", "全市共有__个社区 其中城市社区__个 农村社区__个",
             "全市共有**个社区，其中城市社区**个，农村社区**个！"]
    assert near_duplicates(texts) == [None, 0, 0]


SURVEY = ("根据市委、市政府的统一部署，调研组于今年五月深入全市十二个街道、四十六个社区，通过座谈交流、实地察看、"
          "问卷调查等方式，对城市社区建设工作进行了专题调研。")


def test_a_group_points_at_its_earliest_text_even_through_a_chain():
    shorter = SURVEY.replace("深入", "")
    shortest = shorter.replace("专题", "")
    # The first and the last are not near duplicates of each other (Jaccard 0.77), only through the middle one.
    assert near_duplicates([SURVEY, shortest]) == [None, None]
    assert near_duplicates(["居民参与积极性不高。", SURVEY, shorter, shortest]) == [None, None, 1, 1]


def test_threshold_decides():
    texts = [SURVEY, SURVEY.replace("问卷调查等", "")]  # Jaccard of the shingles: 0.81
    assert near_duplicates(texts, threshold=0.8) == [None, 0]
    assert near_duplicates(texts, threshold=0.85) == [None, None]
    assert near_duplicates([]) == [] and near_duplicates(["短"]) == [None]


def test_every_pair_above_the_threshold_is_found():
    texts = [SURVEY, SURVEY.replace("统一", "")]  # Jaccard 0.85: one word less
    assert near_duplicates(texts) == [None, 0]


def test_reports_that_repeat_another_are_copies_of_it(corpus_chunks):
    """The collections hold four reports twice: 002 第4篇 = 第1篇, and 003 篇3 = 篇2, 篇4 = 篇1, 篇27 ≈ 篇13."""
    copies = copied_reports(corpus_chunks.chunks, 0.8)
    file_002 = next(c.file for c in corpus_chunks.chunks if c.file.startswith("002"))
    file_003 = next(c.file for c in corpus_chunks.chunks if c.file.startswith("003"))
    assert copies == {(file_002, 4): (file_002, 1), (file_003, 3): (file_003, 2), (file_003, 4): (file_003, 1),
                      (file_003, 27): (file_003, 13)}
    assert copied_reports(corpus_chunks.chunks, 1.0) == {(file_003, 3): (file_003, 2), (file_003, 4): (file_003, 1)}
