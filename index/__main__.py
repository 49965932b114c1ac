"""Command line of the indexing side.

    python -m index chunks            # summary of files, reports, sections, chunks
    python -m index chunks --jsonl    # every chunk as one JSON object per line
    python -m index build             # build or update the search index
    python -m index build --backend milvus   # ... then sync it into Milvus (new/changed rows written, removed deleted)
"""

from __future__ import annotations

import json
import logging
import sys

import numpy as np

from core.cli import CommandParser, add_common_arguments, command_settings, run_command
from core.errors import IndexUnavailableError, ReportQAError, os_error_text
from core.settings import Settings
from index.build import INTERRUPTED, build_index, build_lock, index_status, rebuilding_damaged
from index.store import CURRENT, load_index
from index.text.pipeline import CorpusChunks, chunk_corpus
from index.tokenize import Tokenizer

MILVUS_INTERRUPTED = "已中断，Milvus 中仍是之前的集合。"
FIRST_BUILD = "正在建立索引（首次约需几分钟）…"
FULL_REBUILD = "正在重建索引（全部重新计算向量，约需几分钟）…"
UPDATE = "正在更新索引（只重新计算改动过的片段）…"


def summary_text(result: CorpusChunks) -> str:
    """A human-readable overview of what the chunker made of the corpus."""
    chunks = result.chunks
    lengths = np.array([len(c.text) for c in chunks]) if chunks else np.zeros(1)
    sections = sum(len(r.sections) for f in result.files for r in f.reports)
    duplicates = sum(1 for c in chunks if c.duplicate_of)
    lines = [
        f"文件 {len(result.files)} 个，报告 {sum(len(f.reports) for f in result.files)} 篇，"
        f"章节 {sections} 个，片段 {len(chunks)} 个，其中近似重复片段 {duplicates} 个",
        "片段长度（字）：最短 {:.0f}，10% {:.0f}，中位 {:.0f}，90% {:.0f}，最长 {:.0f}".format(
            *np.percentile(lengths, [0, 10, 50, 90, 100])
        ),
    ]
    for file in result.files:
        lines.append(f"\n{file.document.name}：报告 {len(file.reports)} 篇，片段 {len(file.chunks)} 个")
        for report in file.reports:
            count = sum(1 for c in file.chunks if c.report == report.number)
            dups = sum(1 for c in file.chunks if c.report == report.number and c.duplicate_of)
            note = f"（{dups} 个片段与前文重复）" if dups else ""
            label = f"（{report.label}）" if report.label else ""
            lines.append(f"  {report.number:>2}. {report.title}{label}："
                         f"章节 {len(report.sections)}，片段 {count}{note}")
    for item in result.skipped:
        lines.append(f"\n已跳过 {item.name}：{item.reason}")
    for file in result.files:
        if file.warning:
            lines.append(f"\n注意 {file.document.name}：{file.warning}")
    return "\n".join(lines)


def run_build(settings: Settings, rebuild: bool) -> int:
    """``python -m index build``: build or update the index and print what was done.

    ``rebuild`` recomputes every vector; the previous index stays live until the new one is saved.
    With ``backend = "milvus"`` the local build is then synced into Milvus (:func:`run_milvus_sync`).
    """
    code = _build_local(settings, rebuild)
    if code == 0 and settings.backend == "milvus":
        code = run_milvus_sync(settings, force=rebuild)
    return code


def run_milvus_sync(settings: Settings, force: bool = False) -> int:
    """Sync the local build into Milvus and print what was written (also saved as ``milvus_sync.json``).

    Runs under the index folder's build lock, so the local build cannot change meanwhile. A failure
    leaves the previous collection serving; the message says why, in Chinese, without a traceback.
    """
    from index.milvus import MilvusIndex  # imports pymilvus: only when Milvus is used

    try:
        with build_lock(settings.index_dir):
            stored = load_index(settings.index_dir)
            milvus = MilvusIndex.connect(settings, create=True)
            try:
                report = milvus.sync(stored, Tokenizer(stored.manifest.tokenizer), force=force)
            finally:
                milvus.close()
    except ReportQAError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"错误：{os_error_text(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(MILVUS_INTERRUPTED, file=sys.stderr)
        return 130
    print(report.text())
    return 0


def _build_local(settings: Settings, rebuild: bool) -> int:
    """The local build of ``python -m index build`` (skipped when current and not ``rebuild``)."""
    if not rebuild and _index_is_current(settings):
        print(f"索引已是最新（{settings.index_dir}）；要全部重建请加 --rebuild")
        return 0
    show_bar = sys.stderr.isatty()
    if not show_bar:  # systemd, nohup, a log file: without the bar the first build would say nothing for minutes
        first = not (settings.index_dir / CURRENT).exists()
        print(FULL_REBUILD if rebuild else FIRST_BUILD if first else UPDATE, flush=True)
    try:
        report = build_index(settings, show_bar=show_bar, reuse=not rebuild)
    except ReportQAError as error:  # no readable report, a model that cannot be loaded
        print(f"错误：{error}", file=sys.stderr)
        return 2
    except OSError as error:  # a missing or unreadable corpus folder, an index folder that cannot be written
        print(f"错误：{os_error_text(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130
    print(
        f"已建立索引 {report.path}：片段 {report.chunks} 个，新计算向量 {report.embedded} 个，复用 {report.reused} 个；"
        f"句子 {report.sentences} 个，新计算句子向量 {report.sentences_embedded} 个；"
        + "，".join(f"{k} {v:.1f} 秒" for k, v in report.seconds.items())
    )
    for item in report.skipped:
        print(f"已跳过 {item}")
    for item in report.warnings:
        print(f"注意 {item}")
    return 0


def _index_is_current(settings: Settings) -> bool:
    """True if the live index matches settings and corpus and loads; otherwise say why it is rebuilt."""
    status = index_status(settings)
    if status.state not in ("ok", "missing"):
        print("索引需要更新：" + "；".join(status.reasons))
    if not status.ok:
        return False
    try:
        load_index(settings.index_dir)
    except IndexUnavailableError as error:
        print(rebuilding_damaged(settings.index_dir, error))
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m index``."""
    parser = CommandParser(prog="python -m index", description="报告问答：切分与建索引")
    commands = parser.add_subparsers(dest="command", required=True)
    chunks = commands.add_parser("chunks", help="显示切分结果概要，或以 JSONL 导出全部片段")
    chunks.add_argument("--jsonl", action="store_true", help="每行输出一个片段的 JSON")
    chunks.add_argument("--chunk-max-chars", type=int, help="片段最大字数")
    add_common_arguments(chunks)
    build = commands.add_parser("build", help="建立或更新检索索引（已是最新则不动；只重新计算改动过的片段）")
    build.add_argument("--rebuild", action="store_true", help="不复用旧向量，全部重新计算")
    add_common_arguments(build)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    settings = command_settings(args)
    if settings is None:
        return 2
    if args.command == "build":
        return run_build(settings, args.rebuild)
    try:
        result = chunk_corpus(settings)
    except OSError as error:  # a missing or unreadable corpus folder
        print(f"错误：{os_error_text(error)}", file=sys.stderr)
        return 2
    if args.jsonl:
        for chunk in result.chunks:
            print(json.dumps(chunk.to_dict(), ensure_ascii=False))
    else:
        print(summary_text(result))
    return 0


if __name__ == "__main__":
    run_command(main)
