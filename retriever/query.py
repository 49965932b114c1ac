"""Clean a question before it is searched: the same rules for the app, the API and the command line.

Control and format characters (NUL, bell, zero-width, lone surrogates) are
removed, every run of whitespace becomes one space, traditional characters
become simplified ones (OpenCC ``t2s``; the reports are in simplified
Chinese), and a question longer than the limit is cut with a notice. A
question that is empty, or has no letter, digit or Chinese character (only
punctuation or emoji), gets a hint instead of a search.

Example::

    >>> prepared = prepare_query("  社區工作者\\x00待遇怎麼樣？ ", max_chars=2000)
    >>> prepared.text, prepared.notice, prepared.hint
    ('社区工作者待遇怎么样？', '', '')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import opencc

from index.text.normalise import is_debris, normalise_for_match

EMPTY_HINT = "请输入问题，例如：哪些社区办公用房不达标。"
EMPTY_QUESTION = f"问题为空，未找到可检索的内容。{EMPTY_HINT}"
"""The reply to an empty question: like every reply that is not an answer, its first line says 未找到."""
DROPPED_CATEGORIES = {"Cc", "Cf", "Cs"}  # control, format (zero-width …), lone surrogates
LAYOUT_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s*[\r\n\t\xa0\u2000-\u200a\u202f\u205f]\s*(?=[\u3400-\u9fff])")
"""Layout between two Chinese characters is dropped: a line break (Shift+Enter, a pasted wrapped line), a tab,
a no-break or typographic space (text pasted from a PDF or a Word table). A space someone typed stays, plain
or full-width (an input method in full-width mode types U+3000): "社区 经费 不足" searches three words, as asked."""


QUOTED_TERM = re.compile(r"[“「『\"]([^“”「」『』\"]{2,30})[”」』\"]")
"""A term the question puts in quotation marks (“一会五站”, "流动票箱", 「三社联动」), as the reports quote names."""
TERM_SEPARATOR = re.compile(r"[、，,；;/／\s]+")
"""What separates the terms of a quoted list (“党委领导、民政牵头”)."""


def quoted_terms(question: str) -> list[str]:
    """The terms ``question`` quotes, normalised for matching (:func:`normalise_for_match`), each once.

    Quoting asks for the term as written, as in a web search: passages that hold it rank first, and an
    answer needs it (see :meth:`retriever.search.Retriever.search`). A quotation that lists several terms
    (“党委领导、民政牵头”) quotes each of them: the reports write them in their own order, with others between.

    >>> quoted_terms("“六步三十环节”工作法是哪儿摸索出来的"), quoted_terms('"一会五站"和「三社联动」')
    (['六步三十环节'], ['一会五站', '三社联动'])
    >>> quoted_terms("“党委领导、民政牵头”这套机制"), quoted_terms("三社联动")
    (['党委领导', '民政牵头'], [])
    """
    terms = (normalise_for_match(part).lower() for match in QUOTED_TERM.finditer(question)
             for part in TERM_SEPARATOR.split(match.group(1)))
    return list(dict.fromkeys(term for term in terms if len(term) >= 2))


@dataclass(frozen=True)
class PreparedQuery:
    """The cleaned question; ``notice`` goes above the answer, ``hint`` replaces a search."""

    text: str
    notice: str = ""
    hint: str = ""


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def clean_text(raw: str) -> str:
    """``raw`` without control or format characters, layout between Chinese characters dropped, other
    whitespace runs collapsed to one space.

    >>> clean_text("社区工作者\\n 待遇怎么样"), clean_text("社区 经费\\n2024年")
    ('社区工作者待遇怎么样', '社区 经费 2024年')
    >>> clean_text("  社区工作者\\t待遇\\xa0\\n怎么样 \\xa0"), clean_text("还有\\u3000农村")
    ('社区工作者待遇怎么样', '还有 农村')
    """
    kept = "".join(ch for ch in raw if ch.isspace() or unicodedata.category(ch) not in DROPPED_CATEGORIES)
    kept = LAYOUT_SPACE.sub("", kept)
    return " ".join(kept.split())


def prepare_query(raw: str | None, max_chars: int) -> PreparedQuery:
    """Clean, simplify and cut a question to ``max_chars``; say what to answer when there is nothing to search."""
    text = clean_text(raw or "")
    if not text:
        return PreparedQuery("", hint=EMPTY_QUESTION)
    notice = ""
    if len(text) > max_chars:
        notice = f"（问题过长（{len(text)} 字），只使用了前 {max_chars} 字）"
        text = text[:max_chars].rstrip()
    text = _to_simplified().convert(text)
    if is_debris(text):  # no letter, digit or Chinese character
        return PreparedQuery(text, notice, f"报告中未找到与“{text}”相关的内容：问题中没有文字。{EMPTY_HINT}")
    return PreparedQuery(text, notice)
