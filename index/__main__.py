"""Command line of the indexing side.

    python -m index chunks            # summary of files, reports, sections, chunks
    python -m index chunks --jsonl    # every chunk as one JSON object per line
    python -m index build             # build or update the search index
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

import numpy as np

from index.config import add_common_arguments, settings_from_args
from index.pipeline import CorpusChunks, chunk_corpus


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
            lines.append(f"  {report.number:>2}. {report.title}：章节 {len(report.sections)}，片段 {count}{note}")
    for item in result.skipped:
        lines.append(f"\n已跳过 {item.name}：{item.reason}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m index``."""
    parser = argparse.ArgumentParser(prog="python -m index", description="报告问答：切分与建索引")
    commands = parser.add_subparsers(dest="command", required=True)
    chunks = commands.add_parser("chunks", help="显示切分结果概要，或以 JSONL 导出全部片段")
    chunks.add_argument("--jsonl", action="store_true", help="每行输出一个片段的 JSON")
    chunks.add_argument("--chunk-max-chars", type=int, help="片段最大字数")
    add_common_arguments(chunks)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    settings = settings_from_args(args)
    try:
        result = chunk_corpus(settings)
    except FileNotFoundError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    if args.jsonl:
        for chunk in result.chunks:
            print(json.dumps(chunk.to_dict(), ensure_ascii=False))
    else:
        print(summary_text(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
