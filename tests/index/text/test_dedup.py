"""Near-duplicate passages: the real corpus's repeated reports, then the rules by hand."""

from __future__ import annotations

from index.text.dedup import copied_reports, near_duplicates


def test_near_duplicate_reports_are_marked(by_prefix, corpus_chunks):
    by_id = {c.id: c for c in corpus_chunks.chunks}

    def repeated_reports(prefix: str, report: int) -> set[int]:
        """The other reports that this report's passages are near-duplicates of, either way round."""
        chunks = [c for c in by_prefix(prefix).chunks if c.report == report]
        group = {c.id: c.duplicate_of or c.id for c in corpus_chunks.chunks}
        others = [{x.report for x in corpus_chunks.chunks if group[x.id] == group[c.id] and x.report != report
                   and x.file == c.file} for c in chunks]
        assert sum(bool(o) for o in others) >= 0.8 * len(chunks), (prefix, report, others)
        return set().union(*others)

    assert repeated_reports("003", 4) == {1}
    assert repeated_reports("003", 3) == {2}  # other placeholders (__ vs XX)
    assert repeated_reports("003", 27) == {13}  # characters dropped
    assert repeated_reports("002", 4) == {1}  # a few words missing
    untouched = [c for c in by_prefix("003").chunks if c.report in (1, 5)]  # 篇2 lost a few characters of 篇3
    assert not any(c.duplicate_of for c in untouched)
    # 篇13 lost characters that 篇27 has (格化管理 for 网格化管理): its passages point at 篇27's whole text
    lost = next(c for c in by_prefix("003").chunks if c.report == 13 and "格化管理方面" in c.text)
    assert "网格化管理方面" not in lost.text and "网格化管理方面" in by_id[lost.duplicate_of].text


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


def test_a_group_points_at_its_most_complete_text_even_through_a_chain():
    shorter = SURVEY.replace("深入", "")
    shortest = shorter.replace("专题", "")
    # The first and the last are not near duplicates of each other (Jaccard 0.77), only through the middle one
    # (kept_share 1: by the shingles alone).
    assert near_duplicates([SURVEY, shortest], kept_share=1.0) == [None, None]
    assert near_duplicates(["居民参与积极性不高。", SURVEY, shorter, shortest], kept_share=1.0) == [None, None, 1, 1]
    # a copy that lost characters comes first: the whole text is still the one the group points at
    assert near_duplicates([shortest, shorter, SURVEY], kept_share=1.0) == [2, 2, None]
    # equals (placeholders aside): the earliest
    assert near_duplicates([SURVEY.replace("五月", "X月"), SURVEY.replace("五月", "_月")]) == [None, 0]


def test_threshold_decides():
    texts = [SURVEY, SURVEY.replace("问卷调查等", "")]  # Jaccard of the shingles: 0.81
    assert near_duplicates(texts, threshold=0.8, kept_share=1.0) == [None, 0]
    assert near_duplicates(texts, threshold=0.85, kept_share=1.0) == [None, None]
    assert near_duplicates([]) == [] and near_duplicates(["短"]) == [None]


def test_a_copy_that_lost_characters_is_a_near_duplicate_below_the_threshold():
    """Every 网 of 网格化管理 dropped: Jaccard 0.73 (003 篇13 against 篇27), yet the copy says nothing new."""
    whole = ("3.网格化管理方面。爱民佳苑社区网格化管理工作正在稳步推进，逐步实现了规范化、制度化。但是网格化管理工作的"
             "顺利开展，一是需要相关职能部门协调配合，二是网格长时间投入较长，工作积极性高，但是年龄偏大。")
    damaged = whole.replace("网", "")
    assert near_duplicates([damaged, whole], threshold=0.8, kept_share=0.9) == [1, None]
    assert near_duplicates([damaged, whole], threshold=0.8, kept_share=1.0) == [None, None]
    # another community's name is no dropped character: not a copy by this rule
    other = whole.replace("爱民佳苑", "东城花园")
    assert near_duplicates([other, whole], threshold=0.9, kept_share=0.9) == [None, None]


def test_every_pair_above_the_threshold_is_found():
    texts = [SURVEY, SURVEY.replace("统一", "")]  # Jaccard 0.85: one word less
    assert near_duplicates(texts) == [None, 0]


def test_reports_that_repeat_another_are_copies_of_it(corpus_chunks):
    """The collections hold four reports twice: 002 第4篇 = 第1篇, and 003 篇3 = 篇2, 篇4 = 篇1, 篇13 ≈ 篇27 (篇13
    lost characters, so 篇27 holds most of the pair's complete passages and is the one kept)."""
    copies = copied_reports(corpus_chunks.chunks, 0.8)
    file_002 = next(c.file for c in corpus_chunks.chunks if c.file.startswith("002"))
    file_003 = next(c.file for c in corpus_chunks.chunks if c.file.startswith("003"))
    assert copies == {(file_002, 4): (file_002, 1), (file_003, 3): (file_003, 2), (file_003, 4): (file_003, 1),
                      (file_003, 13): (file_003, 27)}
    # every passage of each copy is in a group with its original: 篇13's 格化管理 passage too (it lost every 网)
    assert copied_reports(corpus_chunks.chunks, 1.0) == copies
