"""Turn the raw lines of a report file into clean paragraphs with line provenance.

Rules (each generic, none tied to one file):

* **Watermarks** – a suffix shared by a large share of a file's lines (such as
  a site name appended to every line) is removed wherever it occurs.
* **Boilerplate** – web-page furniture (site headers, share/like links,
  "相关热词搜索", "关于我们", URL lines, download teasers) and PDF debris
  (lines of only dots or page numbers) are dropped.
* **Inline repairs** – stray dots inside words (``的.管理``), dots stuck to
  headings (``.五、``), adverts in brackets inside a sentence, spaces inside
  numbers and words (``共 2300 人``), half-width punctuation between Chinese
  characters (made full-width). Placeholders (``XX``, ``**``, ``__``) stay.
* **Line joining** – hard line breaks inside a sentence are joined (after the
  watermark is stripped), while real paragraph breaks and headings stay.

Every character of the result knows its original line: a :class:`Paragraph`
keeps the offsets at which each original line's text begins.

Example::

    >>> paragraphs = clean_lines(["一、基本情况", "全市共有社区 12 个,其中", "城市社区 8 个。"])
    >>> [(p.text, p.line_start, p.line_end) for p in paragraphs]
    [('一、基本情况', 1, 1), ('全市共有社区12个，其中城市社区8个。', 2, 3)]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from index.text.headings import (
    CONTINUATION_START,
    TITLE_ENDINGS,
    ends_sentence,
    heading_marker,
    is_standalone_heading,
    is_table_row,
    is_title_like,
    report_marker,
)
from index.text.normalise import is_debris
from index.text.segmenter import new_jieba

CJK = "\u3400-\u9fff\uf900-\ufaff"
CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2026\u2014"
_CJK_CHAR = re.compile(f"[{CJK}]")
_SPACE_NEAR_CJK = re.compile(f"(?<=[{CJK}{CJK_PUNCT}])[ \t\u3000\u00a0]+|[ \t\u3000\u00a0]+(?=[{CJK}{CJK_PUNCT}])")
_DOT_IN_WORD = re.compile(f"(?<=[{CJK}])[.·](?=[{CJK}])")
_LEADING_DOTS = re.compile(r"^[.．·•]+(?=\S)")
ADVERT = re.compile(
    r"[（(][^（）()]{0,20}(?:最新|精选|范文|下载)[^（）()]{0,20}(?:报告|范文|大全|模板)[）)]"
)
_HALF_TO_FULL = str.maketrans({",": "，", ";": "；", ":": "：", "?": "？", "!": "！"})
_HALF_PUNCT_NEAR_CJK = re.compile(f"[,;:?!](?=[{CJK}{CJK_PUNCT}])|(?<=[{CJK}{CJK_PUNCT}])[,;:?!]")
_HALF_PARENS_AROUND_CJK = re.compile(f"[(（]([^()（）]{{0,80}}[{CJK}][^()（）]{{0,80}})[)）]")

# Whole lines that are web-page or document furniture, never report text.
_BOILERPLATE = [re.compile(p) for p in (
    r"^(?:Original URL|URL|原文(?:链接|地址)|来源网址|本文链接)\s*[:：]",
    r"^\s*<?https?://\S+>?\s*$",
    r"^www\.\S+$",
    r"^欢迎(?:访问|光临).{0,20}[!！]?$",
    r"^相关热词搜索",
    r"^免责声明",
    r"^(?:关于我们|网站地图|相关文章|联系我们|返回首页|返回顶部|上一篇|下一篇|热门推荐|猜你喜欢|推荐阅读|版权所有|收藏本站|打印本页|关闭窗口)",
    r"^.{0,40}(?:加入收藏|我要投稿|点赞|微信扫码|扫一扫|领取福利|分享到).{0,20}$",
    r"^时间\s*[:：]\s*\d{4}-\d{1,2}-\d{1,2}",
    r"^内容摘要\s*[:：]",
    r"以上内容仅为本文档的试下载部分",
    r"^第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$",
    r"^共\s*\d+\s*页$",
    r"^[-—\s]*\d{1,4}[-—\s]*$",
    r"^\d{5,8}$",
)]


@dataclass
class Paragraph:
    """Clean paragraph text and, for provenance, where each original line's text starts.

    ``runs`` holds ``(offset, line)`` pairs in increasing offset order: the
    characters from ``offset`` up to the next run's offset came from ``line``
    (1-based) of the original file.
    """

    text: str
    runs: list[tuple[int, int]] = field(default_factory=list)

    @property
    def line_start(self) -> int:
        """First original line (1-based) that contributed text."""
        return self.runs[0][1]

    @property
    def line_end(self) -> int:
        """Last original line (1-based, inclusive) that contributed text."""
        return self.runs[-1][1]

    def pieces(self, start: int = 0, end: int | None = None) -> list[tuple[str, int]]:
        """The text between ``start`` and ``end`` cut into ``(text, original line)`` pieces."""
        end = len(self.text) if end is None else end
        bounds = [o for o, _ in self.runs] + [len(self.text)]
        out = []
        for (offset, line), stop in zip(self.runs, bounds[1:]):
            lo, hi = max(offset, start), min(stop, end)
            if lo < hi:
                out.append((self.text[lo:hi], line))
        return out

    def append(self, text: str, line: int) -> None:
        """Add text that came from ``line``."""
        if text:
            self.runs.append((len(self.text), line))
            self.text += text


def detect_watermarks(lines: list[str], min_share: float = 0.3, min_lines: int = 5) -> list[str]:
    """Suffixes repeated on many lines of a file: site names stamped on every line.

    A suffix of 4 to 40 characters counts when at least ``min_share`` of the
    non-empty lines (and ``min_lines`` of them) end with it; the most frequent
    such suffix wins (the longest among equals, so the whole stamp and not its
    tail), and it must hold a letter or a Chinese character.
    """
    stripped = [line.strip() for line in lines if line.strip()]
    if len(stripped) < min_lines:
        return []
    needed = max(min_lines, int(min_share * len(stripped)))
    counts: Counter[str] = Counter()
    for line in stripped:
        for size in range(4, min(40, len(line) - 1) + 1):
            counts[line[-size:]] += 1
    candidates = [s for s, n in counts.items() if n >= needed and re.search(rf"[{CJK}A-Za-z]", s)]
    if not candidates:
        return []
    return [max(candidates, key=lambda s: (counts[s], len(s)))]



def is_boilerplate(text: str) -> bool:
    """A whole line of web-page or page furniture."""
    return any(pattern.search(text) for pattern in _BOILERPLATE)


def repair_inline(text: str) -> str:
    """Fix a line's inline debris and normalise spacing and punctuation width."""
    text = _LEADING_DOTS.sub("", text.strip())
    text = _DOT_IN_WORD.sub("", text)
    text = ADVERT.sub("", text)
    text = _SPACE_NEAR_CJK.sub("", text)
    text = _HALF_PARENS_AROUND_CJK.sub(r"（\1）", text)
    return _HALF_PUNCT_NEAR_CJK.sub(lambda m: m.group(0).translate(_HALF_TO_FULL), text)


@lru_cache(maxsize=1)
def _jieba():  # noqa: ANN202 - jieba's Tokenizer
    """A private jieba tokenizer with the default dictionary.

    Not jieba's global one: Milvus Lite's jieba analyser adds its dictionary words to the global
    tokenizer of the process, which would change how lines are joined after a Milvus collection is opened.
    """
    return new_jieba()


def breaks_a_word(before: str, after: str) -> bool:
    """True if jieba reads a word across the line break (``治理方|面`` → ``方面``)."""
    left, right = before[-4:], after[:4]
    if not (_CJK_CHAR.match(left[-1:]) and _CJK_CHAR.match(right[:1])):
        return False
    position = 0
    for token in _jieba().cut(left + right, HMM=False):
        if position < len(left) < position + len(token):
            return True
        position += len(token)
    return False


def should_join(before: str, after: str, page_break: bool) -> bool:
    """Decide whether ``after`` continues the sentence that ``before`` left open."""
    if not before or ends_sentence(before) or report_marker(before) or is_table_row(before) or is_table_row(after):
        return False
    if after[0] in CONTINUATION_START:
        return True
    if report_marker(after) or (before.endswith(("：", ":")) and heading_marker(after)):
        return False
    before_is_heading = is_standalone_heading(before)
    if heading_marker(after):
        if is_standalone_heading(after) or before_is_heading:
            return False
        # A long "heading" right after an unfinished body sentence is the
        # sentence's tail that happens to start with "四、" or "2." after a break.
        return not is_title_like(before)
    if before_is_heading:
        return page_break or "一是" in before or breaks_a_word(before, after)
    if is_title_like(before):
        return (
            is_title_like(after)
            and not before.endswith(TITLE_ENDINGS)
            and after.endswith(TITLE_ENDINGS)
        ) or breaks_a_word(before, after)
    return True


def clean_lines(
    lines: list[str], min_share: float = 0.3, min_lines: int = 5
) -> list[Paragraph]:
    """Clean a file's original lines into paragraphs that remember their lines."""
    watermarks = detect_watermarks(lines, min_share, min_lines)
    paragraphs: list[Paragraph] = []
    page_break = False
    for number, raw in enumerate(lines, start=1):
        text = raw
        for mark in watermarks:
            text = text.replace(mark, "")
        text = repair_inline(text)
        if not text:
            continue
        if is_debris(text):
            page_break = True
            continue
        if is_boilerplate(text):
            continue
        if paragraphs and should_join(paragraphs[-1].text, text, page_break):
            paragraphs[-1].append(text, number)
        else:
            paragraph = Paragraph("")
            paragraph.append(text, number)
            paragraphs.append(paragraph)
        page_break = False
    return paragraphs



__all__ = [
    "Paragraph",
    "clean_lines",
    "detect_watermarks",
    "is_boilerplate",
    "repair_inline",
    "should_join",
]
