"""Command line of the search side.

    python -m retriever "问题" [-k 10] [--mode hybrid|bm25|dense] [--json]
    python -m retriever --batch questions.txt [-k 10] [--mode ...] --json
    python -m retriever --answer "问题" [--json]      # the cited answer, as the app gives it

Without ``--answer`` it prints the passages a search finds; with it, the answer with its numbered
sources (``--json``: one object per question with ``answer``, ``sources`` and ``found``, as ``/ask``).

It builds (or updates) the index first when needed, through the answer service.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from core.cli import CommandParser, add_common_arguments, command_settings, run_command
from core.errors import ConfigError, ReportQAError, os_error_text
from core.settings import MODES
from index.text.records import Chunk
from retriever.answer.citation import whole_answer_text
from retriever.answer.service import AnswerService
from retriever.hits import Hit
from retriever.query import prepare_query


def format_hit(hit: Hit) -> str:
    """A search result as readable text with its citation."""
    lines = [
        f"[{hit.rank}] {hit.score:.4f}  《{hit.report_title}》 {hit.path_text('（正文开头）')}",
        f"    {hit.where()}",
        "    " + hit.text.replace("\n", "\n    "),
    ]
    for other in hit.duplicates:
        lines.append(f"    （同一段落也见于《{other.report_title}》，{other.where()}）")
    return "\n".join(lines)


def read_questions(path: Path) -> list[str]:
    """The lines of a ``--batch`` file; :class:`ConfigError` in Chinese when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ConfigError(f"找不到问题文件 {path}") from None
    except IsADirectoryError:
        raise ConfigError(f"{path} 是文件夹，不是问题文件") from None
    except UnicodeDecodeError:
        raise ConfigError(f"问题文件 {path} 不是 UTF-8 编码的文本") from None
    except OSError as error:
        raise ConfigError(f"无法读取问题文件 {path}（{error.strerror}）") from None


def check_filters(chunks: list[Chunk], files: list[str], reports: list[tuple[str, int]]) -> None:
    """Raise :class:`ConfigError` for a ``--file`` or ``--report`` the index does not hold (a typo, not "no answer")."""
    counts: dict[str, int] = {}
    for chunk in chunks:
        counts[chunk.file] = max(counts.get(chunk.file, 0), chunk.report)
    for name in [*files, *(name for name, _ in reports)]:
        if name not in counts:
            known = "、".join(sorted(counts)[:10]) + ("等" if len(counts) > 10 else "")
            raise ConfigError(f"索引中没有文件 {name}（索引中的文件：{known}）")
    for name, number in reports:
        if not 1 <= number <= counts[name]:
            raise ConfigError(f"文件 {name} 只有 {counts[name]} 篇报告（序号 1—{counts[name]}），没有第 {number} 篇")


def reports_of(chunks: list[Chunk], files: list[str]) -> list[tuple[str, int]]:
    """Every report of the ``--file`` files (an answer is limited to reports, as in the app's 只在这些报告中检索)."""
    return sorted({(chunk.file, chunk.report) for chunk in chunks if chunk.file in files})


def print_answers(service: AnswerService, questions: list[str], args, reports: list[tuple[str, int]]) -> int:  # noqa: ANN001
    """Print the cited answer to each question (``--answer``); exit code 2 if the search service failed."""
    for raw in questions:
        reply = service.ask(raw, args.top_k, args.mode, reports or None)
        if reply.unavailable:
            print(f"错误：{reply.text}", file=sys.stderr)
            return 2
        question = service.prepare(raw).text
        if args.json:
            sources = [c.to_dict() for c in reply.citations]
            print(json.dumps({"question": question, "answer": reply.text, "sources": sources, "found": reply.found},
                             ensure_ascii=False), flush=True)
        else:
            print(f"问题：{question}\n{whole_answer_text(reply.text, reply.citations)}\n", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m retriever``."""
    parser = CommandParser(prog="python -m retriever", description="报告问答：检索报告片段")
    parser.add_argument("question", nargs="?", help="问题")
    parser.add_argument("--batch", type=Path, help="每行一个问题的 UTF-8 文件")
    parser.add_argument("-k", "--top-k", type=int, help="返回片段数（默认 10）")
    parser.add_argument("--mode", choices=MODES, help="检索方式（默认 hybrid）")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    parser.add_argument("--answer", action="store_true", help="给出带出处的回答（与网页相同），而不是检索到的片段")
    parser.add_argument("--file", action="append", default=[], help="只在该文件中检索（可重复）")
    parser.add_argument("--report", action="append", default=[], help="只在该报告中检索：文件名#序号（可重复）")
    add_common_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    settings = command_settings(args)
    if settings is None:
        return 2
    if args.batch is None and not prepare_query(args.question, settings.max_question_chars).text:
        print("请输入问题，例如：python -m retriever \"哪些社区办公用房不达标\"", file=sys.stderr)
        return 2
    reports = []
    for item in args.report:
        name, _, number = item.rpartition("#")
        if not name or not number.isdigit():
            print(f"--report 应写成 文件名#序号，例如 003_xxx.txt#5，而不是 {item!r}", file=sys.stderr)
            return 2
        reports.append((name, int(number)))
    try:
        questions = read_questions(args.batch) if args.batch else [args.question]
        service = AnswerService.open(settings, show_bar=sys.stderr.isatty())
        check_filters(service.retriever.chunks, args.file, reports)
    except ReportQAError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    except OSError as error:  # an index folder that cannot be written
        print(f"错误：{os_error_text(error)}", file=sys.stderr)
        return 2
    if args.answer:
        return print_answers(service, questions, args, [*reports, *reports_of(service.retriever.chunks, args.file)])
    for raw in questions:
        prepared = service.prepare(raw)
        if prepared.notice:
            print(prepared.notice, file=sys.stderr)
        question = prepared.text
        try:
            hits = [] if prepared.hint else service.search(question, args.top_k, args.mode, args.file, reports)
        except ReportQAError as error:  # a search backend that went away mid-run
            print(f"错误：{error}", file=sys.stderr)
            return 2
        if args.json:
            print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False), flush=True)
        else:
            print(f"问题：{question}\n" + ("\n\n".join(format_hit(h) for h in hits) or "（没有找到相关片段）") + "\n")
    return 0


if __name__ == "__main__":
    run_command(main)
