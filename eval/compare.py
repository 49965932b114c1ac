"""Compare two settings on the same gold questions: figures, paired differences with intervals, what changed.

    python eval/compare.py --try FIELD=VALUE [--try FIELD=VALUE ...] [--split dev|holdout|all]
                           [--gold FILE] [--json] [--set FIELD=VALUE ...]

The baseline is the configured settings (environment, ``--set``); the candidate is the
baseline with the ``--try`` pairs. Both run on one loaded index of the embedded backend
(query-time settings only: fusion, answer weights, thresholds, number of points…); a setting
that changes the index (model, corpus, chunking, tokenizer, BM25 or HNSW build parameters) is
refused, since each side would need its own build, and so are Milvus settings (see
:func:`refusal`). The default split is ``dev``: tune there and look at the holdout once, when
the change is chosen.

For each figure it prints the baseline, the candidate and the mean difference over the same
questions with its 95% paired bootstrap interval (:mod:`eval.intervals`): an interval that
holds 0 means the change may be the luck of a few questions. Then the questions whose answer
or first relevant rank changed, so a gain can be read, not only counted.

Example::

    python eval/compare.py --try dense_weight=0.3 --try sentence_weight=0.75
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from statistics import fmean

EVAL_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(EVAL_DIR.parent))

from core.cli import CommandParser, add_common_arguments, parse_pairs, run_command, settings_from_args  # noqa: E402
from core.errors import ConfigError, ReportQAError  # noqa: E402
from core.settings import Settings  # noqa: E402
from eval.answers import AnswerResult, evaluate_answers, question_values  # noqa: E402
from eval.evaluate import GOLD, GoldQuestion, QuestionResult, evaluate_mode, load_gold, retrieval_values  # noqa: E402
from eval.intervals import paired_difference  # noqa: E402
from index.build import chunker_settings, sparse_settings  # noqa: E402
from retriever.answer.service import AnswerService, open_retriever  # noqa: E402
from retriever.backends import open_backend  # noqa: E402
from retriever.search import Retriever  # noqa: E402

K = 10
"""Retrieval is judged on the first K passages, as ``eval/evaluate.py`` does by default."""
RETRIEVAL_FIGURES = ("recall@1", "recall@5", f"mrr@{K}")
ANSWER_FIGURES = ("answer_hit", "answer_coverage", "list_coverage", "false_not_found", "abstention", "mean_length")
INDEX_FIELDS = frozenset({"model", "corpus", "index_dir", "backend", "max_file_mb", "docx_max_entries",
                          "docx_max_unzipped_mb", "docx_max_ratio", "ann_threshold", "hnsw_m", "hnsw_ef_construction"})
"""Settings that pick or build another index (with those of :func:`chunker_settings` and :func:`sparse_settings`)."""


@dataclass(frozen=True)
class Change:
    """One gold question whose answer or retrieval differs between the two settings."""

    id: str
    question: str
    type: str
    split: str
    before: str
    after: str


def refusal(base: Settings, candidate: Settings) -> str:
    """Why the two settings cannot be compared on one loaded index ("" when they can).

    Only the embedded backend is compared: a second Milvus backend would re-check (on Milvus
    Lite, re-sync) the collection the baseline reads, and Milvus keeps its search settings on
    the connection. Run ``eval/evaluate.py --backend milvus`` once per setting instead.
    """
    if base.backend != "embedded":
        return ("eval/compare.py 只比较 embedded 后端上的设置；"
                "Milvus 请对每组设置分别运行 eval/evaluate.py --backend milvus")
    index_fields = INDEX_FIELDS | set(chunker_settings(base)) | set(sparse_settings(base))
    changed = {f.name for f in fields(Settings) if getattr(base, f.name) != getattr(candidate, f.name)}
    rebuilt = sorted(changed & index_fields)
    if rebuilt:
        return (f"{'、'.join(rebuilt)} 会改变索引，无法在同一索引上比较：请用 --index-dir 另建一个索引，"
                "再分别运行 eval/evaluate.py")
    milvus = sorted(name for name in changed if name.startswith("milvus_"))
    if milvus:
        return f"{'、'.join(milvus)} 只对 Milvus 后端起作用，embedded 后端上比较不出差别"
    return ""


def answer_state(result: AnswerResult) -> str:
    """How one answer fared, in a few characters: "未找到", its coverage, or "给出了回答" (unanswerable)."""
    if result.abstained:
        return "未找到"
    return f"覆盖 {result.coverage:.2f}" if result.answerable else "给出了回答"


def first_relevant(result: QuestionResult) -> str:
    """The rank of the first relevant passage, or "无"."""
    return next((f"第{i + 1}名" for i, relevant in enumerate(result.relevant) if relevant), "无")


def changes(before: tuple[list[QuestionResult], list[AnswerResult]],
            after: tuple[list[QuestionResult], list[AnswerResult]]) -> list[Change]:
    """The questions whose first relevant rank, coverage or 未找到 differ, in gold order."""
    found: dict[str, Change] = {}
    for old, new in zip(before[0], after[0]):
        if first_relevant(old) != first_relevant(new):
            item = old.question
            found[item.id] = Change(item.id, item.question, item.type, item.split,
                                    f"检索{first_relevant(old)}", f"检索{first_relevant(new)}")
    for old, new in zip(before[1], after[1]):
        if answer_state(old) != answer_state(new):
            earlier = found.get(old.id)
            found[old.id] = Change(old.id, old.question, old.type, old.split,
                                   f"{earlier.before}，{answer_state(old)}" if earlier else answer_state(old),
                                   f"{earlier.after}，{answer_state(new)}" if earlier else answer_state(new))
    order = {result.id: i for i, result in enumerate(before[1])}
    return sorted(found.values(), key=lambda change: order.get(change.id, len(order)))


def per_question(retrieval: list[QuestionResult], answers: list[AnswerResult]) -> dict[str, list[float]]:
    """Per-question values of every compared figure (retrieval ones over the answerable questions)."""
    values = {name: v for name, v in retrieval_values(retrieval, K).items() if name in RETRIEVAL_FIGURES}
    return values | {name: v for name, v in question_values(answers).items() if name in ANSWER_FIGURES}


def run(retriever: Retriever, settings: Settings,
        gold: list[GoldQuestion]) -> tuple[list[QuestionResult], list[AnswerResult]]:
    """Retrieval (in the configured mode, first K passages) and answers for ``gold`` under ``settings``."""
    answerable = [g for g in gold if g.evidence]
    return (evaluate_mode(retriever, answerable, settings.mode, K),
            evaluate_answers(AnswerService(retriever, settings), gold))


def comparison(base: dict[str, list[float]], candidate: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    """For every figure: baseline and candidate means, and the paired difference with its interval."""
    table = {}
    for name in (*RETRIEVAL_FIGURES, *ANSWER_FIGURES):
        if not base.get(name):
            continue
        difference = paired_difference(base[name], candidate[name])
        row = {"before": fmean(base[name]), "after": fmean(candidate[name]),
               "difference": difference.mean, "low": difference.low, "high": difference.high}
        table[name] = {key: round(value, 4) for key, value in row.items()}  # as eval/evaluate.py rounds
    return table


def print_comparison(table: dict[str, dict[str, float]], changed: list[Change], tried: list[str]) -> None:
    """The comparison as a Markdown table, then the changed questions."""
    print(f"候选设置：{'，'.join(tried)}\n")
    print("| | 基线 | 候选 | 差（95% 区间） |\n|---|---|---|---|")
    for name, row in table.items():
        digits = 0 if name == "mean_length" else 3
        sure = "" if row["low"] <= 0 <= row["high"] else " *"
        print(f"| {name} | {row['before']:.{digits}f} | {row['after']:.{digits}f} | "
              f"{row['difference']:+.{digits}f}（{row['low']:+.{digits}f}–{row['high']:+.{digits}f}）{sure} |")
    print("\n* 区间不含 0：不太可能只是个别问题的运气。")
    print(f"\n变化的问题（{len(changed)} 个）：")
    for change in changed:
        print(f"- {change.id}（{change.type}，{change.split}）{change.question}：{change.before} → {change.after}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python eval/compare.py``."""
    parser = CommandParser(prog="python eval/compare.py", description="报告问答：在同一批评测问题上比较两组设置")
    parser.add_argument("--try", action="append", default=[], metavar="FIELD=VALUE", dest="tries", required=True,
                        help="候选设置（可重复），例如 --try dense_weight=0.3")
    parser.add_argument("--split", choices=("dev", "holdout", "all"), default="dev",
                        help="调参集（默认）、留出集或全部；调参只看调参集")
    parser.add_argument("--gold", type=Path, default=GOLD, help="评测问题集（JSONL）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出：figures（每项指标）与 changed（变化的问题）")
    add_common_arguments(parser)
    args = parser.parse_args(argv)
    retriever = trial = None
    try:
        base = settings_from_args(args)
        candidate = base.override(**parse_pairs(args.tries, "--try"))
        reason = refusal(base, candidate)
        if reason:
            raise ConfigError(reason)
        gold = [g for g in load_gold(args.gold) if args.split == "all" or g.split == args.split]
        if not gold:
            raise ConfigError(f"{args.gold.name} 中没有{'' if args.split == 'all' else f' {args.split} 集的'}问题")
        retriever = open_retriever(base, show_bar=False)
        before = run(retriever, base, gold)
        # only now: the candidate's backend sets its own search depth on the shared FAISS index
        trial = Retriever(retriever.stored, candidate, open_backend(retriever.stored, candidate), retriever.encoder)
        after = run(trial, candidate, gold)
    except (OSError, ReportQAError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    finally:
        for opened in (trial, retriever):
            if opened is not None:
                opened.close()
    table = comparison(per_question(*before), per_question(*after))
    changed = changes(before, after)
    if args.json:
        print(json.dumps({"figures": table, "changed": [asdict(c) for c in changed]}, ensure_ascii=False))
    else:
        print_comparison(table, changed, args.tries)
    return 0


if __name__ == "__main__":
    run_command(main)
