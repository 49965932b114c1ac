"""Cleaning rules, checked on the real reports and on small made-up inputs."""

from __future__ import annotations

from index.text.clean import clean_lines, detect_watermarks, is_boilerplate, repair_inline
from index.text.normalise import is_debris

BOILERPLATE_STRINGS = [
    "6da", "易文君", "文库范文网", "相关热词搜索", "关于我们", "网站地图", "免责声明", "http",
    "加入收藏", "我要投稿", "微信扫码", "领取福利", "试下载", "Original URL", "内容摘要",
]


def all_text(corpus_chunks) -> str:
    return "\n".join(c.text for c in corpus_chunks.chunks)


def test_watermark_found_by_the_general_rule(by_prefix):
    assert detect_watermarks(by_prefix("003").document.lines) == ["6da易文君-文库范文网"]
    for prefix in ("000", "002", "004"):
        assert detect_watermarks(by_prefix(prefix).document.lines) == []


def test_any_repeated_stamp_is_a_watermark_not_just_the_known_one():
    sentences = ["全县共有社区12个。", "社区经费每年2万元。", "办公用房普遍不足。", "干部待遇偏低，", "居民参与不够。"]
    lines = [f"{sentences[i % 5]}{i}本文来自某某公文网" for i in range(20)] + ["一、基本情况"]
    assert detect_watermarks(lines) == ["本文来自某某公文网"]
    cleaned = clean_lines(lines)
    assert all("公文网" not in p.text for p in cleaned)


def test_no_chunk_holds_watermark_or_page_boilerplate(corpus_chunks):
    for chunk in corpus_chunks.chunks:
        for needle in BOILERPLATE_STRINGS:
            assert needle not in chunk.text, (needle, chunk.file, chunk.line_start)
        assert chunk.text.strip()
        assert not any(is_debris(line) for line in chunk.text.split("\n"))


def test_boilerplate_and_debris_lines_recognised():
    for line in ["相关热词搜索: 基层治理", "关于我们", "johngko 分享 时间: 加入收藏 我要投稿 点赞",
                 "时间:2023-07-03 12:20:06 阅读:", "Original URL: http://x.cn/a", "第 3 页 共 10 页", "218017"]:
        assert is_boilerplate(line), line
    for line in ["  .", "  ..", "……", "———"]:
        assert is_debris(line)
    assert not is_boilerplate("社区工作者分享工作经验，点评居民议事会的做法。" * 3)


def test_watermark_inside_a_broken_sentence_does_not_make_a_fake_heading(by_prefix, corpus_chunks):
    result = by_prefix("003")
    paths = [part for c in result.chunks for part in c.section_path]
    assert not any(part.startswith("四、佳成物业") for part in paths)
    assert "国家米兰、城建四、佳成物业等单位的大力支持" in all_text(corpus_chunks)


def test_inline_debris_repaired(corpus_chunks):
    text = all_text(corpus_chunks)
    assert "招商引资情况调研报告" not in text  # advert inside a sentence
    assert "治安良好、文明祥和”的城乡社区" in text
    assert "“居财街管、管用分开”的管理制度" in text  # stray dot inside a word
    assert "共2300人" in text and "农村劳动力转移" in text  # spaces inside numbers and words
    assert not any(line.startswith((".", "．")) for c in corpus_chunks.chunks for line in c.text.split("\n"))


def test_placeholders_stay(corpus_chunks):
    text = all_text(corpus_chunks)
    for placeholder in ("**街道", "XX区", "__区", "××社区", "X社区"):
        assert placeholder in text, placeholder


def test_repair_inline_unit_rules():
    assert repair_inline(".五、一是加强") == "五、一是加强"
    assert repair_inline("共 2300 人,其中居委会成员 834 人") == "共2300人，其中居委会成员834人"
    assert repair_inline("(二)社区事务") == "（二）社区事务"
    assert repair_inline("流动人口28.6万人") == "流动人口28.6万人"
    assert repair_inline("Original URL: http://a.cn") == "Original URL: http://a.cn"


def test_hard_line_breaks_joined_and_paragraphs_kept(corpus_chunks, by_prefix):
    text = all_text(corpus_chunks)
    assert "逐步摆上了各级党委、政府的议事日程" in text  # 004 wraps every ~40 characters
    assert "党的十七大以来，先后作出构建社会主义和谐社会" in text  # 000 breaks mid-word
    assert "多则近500平方米，少则140平方米，其中" in text  # 000 break before a comma
    assert "职工大会、村社代表大会等会议结合" in text  # 002 break across page debris
    assert "社区治理方面，存在在职党员到社区报到" in text  # 002 break inside 方面
    result = by_prefix("004")
    paragraphs = [p for r in result.reports for p in r.paragraphs]
    assert 15 < len(paragraphs) < 40  # 112 wrapped lines, two dozen real paragraphs


def test_every_paragraph_character_maps_to_its_original_line():
    lines = ["一、基本情况", "", "全市共有社区 12 个,其中", "  ..", "城市社区 8 个。6da"]
    paragraphs = clean_lines(lines)
    assert [p.text for p in paragraphs] == ["一、基本情况", "全市共有社区12个，其中城市社区8个。6da"]
    body = paragraphs[1]
    assert (body.line_start, body.line_end) == (3, 5)
    assert body.pieces() == [("全市共有社区12个，其中", 3), ("城市社区8个。6da", 5)]
    assert body.pieces(2, 14) == [("共有社区12个，其中", 3), ("城市", 5)]  # a chunk's slice keeps its lines
