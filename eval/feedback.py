"""Maintainers' side of the app's 👍/👎 feedback: summary, and 👎 answers turned into gold-set candidates.

    python -m eval.feedback summary  [--feedback FILE]
    python -m eval.feedback candidates --out eval/feedback_candidates.jsonl [--feedback FILE]

``candidates`` writes one line per question whose latest vote was 👎, in the gold-file
format of :mod:`eval.evaluate` plus what a reviewer needs:

    {"id": "fb-…", "question": …, "evidence": [], "type": "candidate", "split": "dev",
     "reasons": ["出处不对"], "comments": […], "answers": [the answer text, …],
     "shown": [{"n": 1, "id": chunk id, "source": "《报告》章节，文件 第a—b行", "text": the passage}, …]}

Review: copy the sentences that answer the question from ``shown`` (or from the reports)
into ``evidence`` (1–5 exact strings) and set ``type`` to fact/list/paraphrase/problem/
measure/keyword — or leave ``evidence`` empty and set ``type`` to ``unanswerable`` when the
reports do not answer it. Until then :func:`eval.evaluate.load_gold` refuses the file with
a message naming the line, so an unreviewed candidate can never be scored silently. Then:
``python eval/evaluate.py --gold eval/feedback_candidates.jsonl`` (the report is written beside it).

Running ``candidates`` again keeps the lines already in ``--out`` (reviewed or not) and appends
only questions not yet there. The feedback file is read with its malformed lines skipped (warned).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from collections import Counter
from pathlib import Path

from core.cli import CommandParser, add_common_arguments, run_command, settings_from_args
from core.errors import ReportQAError
from core.settings import Settings
from index.store import load_index
from index.text.normalise import normalise_for_match
from index.text.records import Chunk
from retriever.answer.feedback import DOWN, FeedbackLog, FeedbackRecord, last_votes

CANDIDATE = "candidate"
"""``type`` of a gold line that still waits for review (refused by ``load_gold``)."""


def candidate_id(question: str) -> str:
    """A stable id per question (same question, same id), so re-runs do not add it twice."""
    return "fb-" + hashlib.sha1(normalise_for_match(question).encode("utf-8")).hexdigest()[:10]


def candidates(records: list[FeedbackRecord], chunks: dict[str, Chunk]) -> list[dict]:
    """One gold-set candidate per question whose latest vote on an answer was 👎, with the passages shown."""
    by_question: dict[str, dict] = {}
    for record in last_votes(records):
        if record.vote != DOWN:
            continue
        key = candidate_id(record.question)
        item = by_question.setdefault(key, {
            "id": key, "question": record.question, "evidence": [], "type": CANDIDATE, "split": "dev",
            "reasons": [], "comments": [], "answers": [], "shown": [],
        })
        for field, value in (("reasons", record.reason), ("comments", record.comment), ("answers", record.answer)):
            if value and value not in item[field]:
                item[field].append(value)
        known = {s["id"] for s in item["shown"]}
        for chunk_id in record.chunk_ids:
            if chunk_id in known:
                continue
            chunk = chunks.get(chunk_id)
            item["shown"].append({
                "n": len(item["shown"]) + 1, "id": chunk_id,
                "source": chunk.source() if chunk else "（该段落已不在当前索引中）",
                "text": chunk.text if chunk else "",
            })
            known.add(chunk_id)
    return list(by_question.values())


def write_candidates(items: list[dict], out: Path) -> tuple[int, int]:
    """Append the candidates not yet in ``out`` (by id); returns ``(added, already there)``."""
    existing: set[str] = set()
    if out.exists():
        for line in out.read_text(encoding="utf-8").splitlines():
            try:
                existing.add(json.loads(line)["id"])
            except (ValueError, KeyError, TypeError):
                continue
    new = [item for item in items if item["id"] not in existing]
    out.parent.mkdir(parents=True, exist_ok=True)
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    out.write_text(text + "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in new), encoding="utf-8")
    return len(new), len(items) - len(new)


def summary(records: list[FeedbackRecord]) -> str:
    """Counts of the latest votes and of the 👎 reasons, as lines for the terminal."""
    latest = last_votes(records)
    votes = Counter(r.vote for r in latest)
    reasons = Counter(r.reason or "（未填）" for r in latest if r.vote == DOWN)
    lines = [f"记录 {len(records)} 条；评价过的回答 {len(latest)} 个：👍 {votes.get('up', 0)}，👎 {votes.get(DOWN, 0)}"]
    lines += [f"  👎 {reason}：{count}" for reason, count in reasons.most_common()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m eval.feedback``; 0 on success, 2 on an error (message in Chinese)."""
    parser = CommandParser(prog="python -m eval.feedback", description="报告问答：用户反馈的统计与候选评测题")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("summary", "统计 👍/👎 与原因"), ("candidates", "把 👎 的问题写成评测集候选题")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--feedback", type=Path, help="反馈文件（默认：设置 data_dir/feedback_file）")
        add_common_arguments(command)
        if name == "candidates":
            command.add_argument("--out", type=Path, required=True, help="候选题文件（JSONL；已有的行保留）")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="警告：%(message)s")
    try:
        settings: Settings = settings_from_args(args)
        log = FeedbackLog(args.feedback) if args.feedback else FeedbackLog.of(settings)
        records = log.read()
        if args.command == "summary":
            print(summary(records))
            return 0
        chunks = {c.id: c for c in load_index(settings.index_dir).chunks}
        items = candidates(records, chunks)
        added, kept = write_candidates(items, args.out)
    except (OSError, ReportQAError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    print(f"已写入 {args.out}：新增候选题 {added} 个，已有 {kept} 个未重复写入。"
          "请为每题填写 evidence 并把 type 改为题型（或 unanswerable），之后可用 "
          f"python eval/evaluate.py --gold {args.out} 评测。")
    return 0


if __name__ == "__main__":
    run_command(main)
