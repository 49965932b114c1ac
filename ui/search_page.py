"""The 检索 tab: retrieval only, no answer — passages with the query's words marked, filters, and the scores.

Each result shows its BM25 score, its dense (cosine) score and the fused score the
ranking used (:meth:`retriever.search.Retriever.explain`), the report, section, file and
lines, and a link that opens the report reader beside the list. Filters: by report
and by file (both given: the chosen reports that lie in the chosen files).

The HTML builders (:func:`highlight`, :func:`result_html`) are plain functions; everything
from a report is escaped. Searches go to the workplace's live index and are checked like
every other event (a reader's right).

Usage::

    with gr.Tab("检索"):
        tab = build_search_tab(place, report_choices)   # inside the page's Blocks (ui.page)
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import gradio as gr

from core.settings import MAX_TOP_K, MODES
from index.text.normalise import normalise_for_match
from office.workplace import Workplace
from retriever.answer.service import AnswerService
from retriever.hits import Hit
from retriever.search import Explanation
from ui.access import session
from ui.reader import download_url, reader_url

SEARCH_CSS = """
.result {border:1px solid #ddd; border-radius:8px; padding:8px 12px; margin:8px 0; background:#fafafa}
.result .meta {color:#555; font-size:0.9em; margin-bottom:4px}
.result .scores {color:#445; font-size:0.85em; margin:2px 0 6px; font-variant-numeric:tabular-nums}
.result .scores b {color:#1a4fa0}
.result .scores .unmatched {color:#8a5a00}
.result .text {white-space:pre-wrap; line-height:1.6}
.result mark {background:#ffe58f}
.result a {margin-right:12px}
#search-reader-frame, #reader-frame, #history-reader-frame {width:100%; height:120px; border:1px solid #ccc;
  border-radius:8px; background:#fff}
#search-reader-frame.open, #reader-frame.open, #history-reader-frame.open {height:min(640px, 72vh)}
@media (min-width: 1000px) {#search-reader-column {position:sticky; top:8px; align-self:flex-start}}
.gradio-container {overflow:clip !important}
"""
MODE_LABELS = {"hybrid": "融合", "bm25": "BM25", "dense": "向量"}
MODE_CHOICES = [({"hybrid": "融合（关键词 + 向量）", "bm25": "关键词（BM25）", "dense": "向量"}[mode], mode)
                for mode in MODES]
"""The retrieval-mode radio: Chinese labels shown, the API's mode names as values."""
READER_PANEL = ('<iframe name="{name}" id="{name}-frame" src="reader" title="报告原文阅读器"></iframe>')


def match_terms(tokens: list[str]) -> list[str]:
    """The query's words to mark: distinct tokens, longest first; single characters only if nothing longer."""
    distinct = list(dict.fromkeys(t for t in tokens if t.strip()))
    longer = [t for t in distinct if len(t) > 1]
    return sorted(longer or distinct, key=len, reverse=True)


def _fold(text: str) -> str:
    """``text`` folded for matching (NFKC, lower case) character by character, so offsets stay the same."""
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch).lower()
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out)


def highlight(text: str, terms: list[str]) -> str:
    """``text`` escaped for HTML with every occurrence of ``terms`` wrapped in ``<mark>`` (overlaps merged)."""
    folded = _fold(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = folded.find(term)
        while start >= 0 and term:
            spans.append((start, start + len(term)))
            start = folded.find(term, start + 1)
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, cursor = [], 0
    for start, end in merged:
        parts += [html.escape(text[cursor:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        cursor = end
    parts.append(html.escape(text[cursor:]))
    return "".join(parts)


def result_html(hit: Hit, scores: Explanation, terms: list[str], mode: str) -> str:
    """One search result: place, scores, passage with marked words, links to the reader and the file.

    A passage that holds none of the query's words (ranked by meaning alone) says so."""
    fused = {"hybrid": "融合得分", "bm25": "BM25 排序分", "dense": "向量排序分"}[mode]
    text = normalise_for_match(hit.text).lower()
    unmatched = "" if any(normalise_for_match(t).lower() in text for t in terms) else \
        " · <span class='unmatched'>不含检索词（按意思相近排入）</span>"
    return (
        f"<div class='result' data-rank='{hit.rank}'>"
        f"<div class='meta'><b>{hit.rank}. 《{html.escape(hit.report_title)}》</b> "
        f"{html.escape(hit.path_text('正文开头'))}<br>{html.escape(hit.where())}</div>"
        f"<div class='scores'>BM25 <b class='bm25'>{scores.bm25:.3f}</b>"
        f" · 段落余弦 <b class='cosine'>{scores.cosine:.3f}</b>"
        f" · 最佳句余弦 <b class='best-sentence'>{scores.best_sentence:.3f}</b>"
        f" · {fused} <b class='fused'>{hit.score:.3f}</b>{unmatched}</div>"
        f"<div class='text'>{highlight(hit.text, terms)}</div>"
        f"<div class='links'><a class='open-reader' href='{html.escape(reader_url(hit.id))}' target='search-reader'>"
        f"阅读原文</a><a href='{html.escape(download_url(hit.file))}' download>下载原文件</a></div>"
        "</div>"
    )


EMPTY_SEARCH = "检索词为空，请输入要查找的词，例如：办公用房。"
STALE_FILTER = "所选的报告或文件已不在当前索引中（索引已更新），请刷新页面后重新选择。"


def chosen_reports(labels: list[str] | None, reports: dict[str, tuple[str, int]]) -> list[tuple[str, int]]:
    """The reports behind the chosen filter labels; ``gr.Error`` if one is no longer in the index.

    A label that is silently dropped would widen the search to every report.
    """
    if any(label not in reports for label in labels or []):
        raise gr.Error(STALE_FILTER, title="筛选条件已过期")
    return [reports[label] for label in labels or []]


def choose_filters(report_labels: list[str] | None, files: list[str] | None,
                   reports: dict[str, tuple[str, int]]) -> tuple[list[str] | None, list[tuple[str, int]] | None]:
    """The ``files`` / ``reports`` arguments of a search for the chosen filters (both: reports inside the files)."""
    chosen = chosen_reports(report_labels, reports)
    files = list(files or [])
    if chosen and files:
        return None, [r for r in chosen if r[0] in files] or [("", -1)]  # nothing matches both: no result
    return files or None, chosen or None


def index_files(service: AnswerService) -> list[str]:
    """The file filter's choices: every file of the index."""
    return sorted({c.file for c in service.retriever.chunks})


@dataclass
class SearchTab:
    """What the page refreshes when it is opened: the filters' choices."""

    report_filter: gr.Dropdown
    file_filter: gr.Dropdown


def build_search_tab(place: Workplace, reports_of: Callable[..., dict[str, tuple[str, int]]]) -> SearchTab:
    """The components and events of the 检索 tab (call inside ``with gr.Tab(...)``).

    ``reports_of(service)`` gives the report filter's choices of an index (shared with the chat).
    """
    settings = place.settings

    def run_search(query: str, report_labels: list[str], chosen_files: list[str], mode: str, k: float,
                   request: gr.Request) -> str:
        who = session(place, request)
        service = place.live.current  # one index for the whole search, even if an update swaps it meanwhile
        prepared = service.prepare(query)
        if not prepared.text or prepared.hint:  # the search page's own words: a 检索词, not a 问题
            hint = EMPTY_SEARCH if not prepared.text else "检索词中没有文字（只有标点或符号）。" + EMPTY_SEARCH[6:]
            return f"<p>{html.escape(hint)}</p>"
        if chosen_files and not set(chosen_files) <= set(index_files(service)):
            raise gr.Error(STALE_FILTER, title="筛选条件已过期")
        place.record(who, "search", query=prepared.text[:200], mode=mode)
        file_filter, report_filter = choose_filters(report_labels, chosen_files, reports_of(service))
        hits = service.search(prepared.text, int(k), mode, file_filter, report_filter)
        if not hits:
            return "<p>没有找到匹配的段落（可放宽筛选条件或换个说法）。</p>"
        retriever = service.retriever
        scores = retriever.explain(prepared.text, [h.index for h in hits])
        terms = match_terms(retriever.tokenizer(prepared.text))
        notice = f"<p class='notice'>{html.escape(prepared.notice)}</p>" if prepared.notice else ""
        s = service.settings
        scaled = "各自先换算到 0—1" if s.fusion == "weighted" else "按名次（RRF）"
        how = (f"融合得分由三种排序按权重合成：BM25 {1 - s.dense_weight:g}、段落余弦 {s.dense_weight:g}、"
               f"最佳句余弦 {s.sentence_weight:g}（{scaled}）。" if mode == "hybrid" else "")
        head = (f"<p>共 {len(hits)} 条结果（{MODE_LABELS[mode]}检索）。{how}"
                "黄色为与检索词相同的词；点“阅读原文”在右侧打开整篇报告。</p>")
        return notice + head + "".join(result_html(h, e, terms, mode) for h, e in zip(hits, scores))

    with gr.Row():
        with gr.Column(scale=5):
            query = gr.Textbox(label="检索词", placeholder="例如：社区办公用房面积", lines=1, elem_id="search-query")
            with gr.Row():
                report_filter = gr.Dropdown(list(reports_of()), multiselect=True, label="只看这些报告",
                                            elem_id="search-reports")
                file_filter = gr.Dropdown(index_files(place.live.current), multiselect=True, label="只看这些文件",
                                          elem_id="search-files")
            with gr.Row():
                mode = gr.Radio(MODE_CHOICES, value="hybrid", label="检索方式", elem_id="search-mode")
                k = gr.Slider(min(5, settings.top_k), MAX_TOP_K, value=settings.top_k, step=1, label="结果数",
                              elem_id="search-k")
            button = gr.Button("检索", variant="primary", elem_id="search-btn")
            results = gr.HTML(elem_id="search-results")
        with gr.Column(scale=6, elem_id="search-reader-column"):  # sticky: stays in view beside long results
            gr.HTML(READER_PANEL.format(name="search-reader"))
    inputs = [query, report_filter, file_filter, mode, k]
    # The same queue slot as the chat: one search at a time (CPU-bound, the query cache is not thread-safe).
    # Enter in the box is a click on 检索 too: the page script (ui/server.py PAGE_JS) turns it into one.
    button.click(run_search, inputs, results, api_visibility="private", concurrency_id="search")
    return SearchTab(report_filter, file_filter)
