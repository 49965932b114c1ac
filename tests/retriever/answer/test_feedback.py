"""The feedback log (retriever/answer/feedback.py): round trip, concurrent writers, malformed and torn lines."""

from __future__ import annotations

import json
import logging
import multiprocessing
import stat
from concurrent.futures import ThreadPoolExecutor

from retriever.answer.feedback import DOWN, UNDO, UP, FeedbackLog, FeedbackRecord, last_votes

LONG_ANSWER = "社区办公用房不达标。" * 1500
"""~15,000 characters (45 KB in UTF-8): far more than one write is guaranteed to append in one piece."""


def record(n: int, vote: str = DOWN, answer: str = LONG_ANSWER, **extra) -> FeedbackRecord:
    return FeedbackRecord(question=f"问题{n}", answer=answer, vote=vote, chunk_ids=[f"c{n}", "c0"],
                          reason="出处不对", comment=f"说明{n}", user=f"user{n % 3}",
                          settings={"top_k": 8, "mode": "hybrid"}, answer_id=f"a{n}", **extra)


def test_round_trip_keeps_every_field(tmp_path):
    log = FeedbackLog(tmp_path / "sub" / "feedback.jsonl")
    first = record(1, UP, "答案 [1]")
    log.append(first)
    log.append(record(2))
    back = log.read()
    assert back[0] == first and back[1].vote == DOWN and len(back) == 2
    line = (tmp_path / "sub" / "feedback.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert json.loads(line)["question"] == "问题1" and "\\u" not in line  # Chinese stays readable
    assert first.time[:4].isdigit() and "T" in first.time


def test_the_feedback_file_is_readable_by_its_owner_only(tmp_path, usual_umask):
    """Questions, answers and comments of every user: it was made world-readable (0644 under umask 022)."""
    log = FeedbackLog(tmp_path / "data" / "feedback.jsonl")
    log.append(record(1))
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600 and len(log.read()) == 1


def _append_many(path: str, start: int, count: int) -> None:
    log = FeedbackLog(path)
    for n in range(start, start + count):
        log.append(record(n))


def test_concurrent_threads_and_processes_lose_and_tear_nothing(tmp_path):
    path = tmp_path / "feedback.jsonl"
    with ThreadPoolExecutor(8) as pool:  # threads of one app, each with its own log object
        list(pool.map(lambda start: _append_many(str(path), start, 10), range(0, 80, 10)))
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_append_many, args=(str(path), start, 10)) for start in range(80, 120, 10)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 120
    records = [FeedbackRecord.from_dict(json.loads(line)) for line in lines]  # every line whole
    assert sorted(int(r.question[2:]) for r in records) == list(range(120))
    assert all(r.answer == LONG_ANSWER for r in records)


def test_malformed_lines_are_skipped_with_a_warning_and_a_torn_line_does_not_swallow_the_next(tmp_path, caplog):
    path = tmp_path / "feedback.jsonl"
    log = FeedbackLog(path)
    log.append(record(1, UP, "好"))
    with open(path, "ab") as handle:
        handle.write(b"not json\n")
        handle.write(b'{"question": "q", "answer": "a", "vote": "maybe"}\n')
        handle.write(b'["a list"]\n')
        handle.write(b"\xff\xfe broken bytes\n")
        handle.write(b'{"question": "torn", "answer": "cut in the mid')  # a writer that died mid-line
    log.append(record(2, DOWN, "坏"))
    with caplog.at_level(logging.WARNING):
        records = log.read()
    assert [r.question for r in records] == ["问题1", "问题2"]
    assert [r.answer for r in records] == ["好", "坏"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 5 and all("feedback.jsonl" in w and "已跳过" in w for w in warnings)
    assert any("第6行" in w for w in warnings)


def test_missing_file_reads_as_empty(tmp_path):
    assert FeedbackLog(tmp_path / "none.jsonl").read() == []


def test_last_vote_per_answer_wins_and_undo_removes_it():
    records = [record(1, UP), record(1, DOWN), record(2, DOWN), record(2, UNDO), record(3, UP),
               FeedbackRecord("旧记录", "答", DOWN)]  # no answer_id: keyed by user, question and answer
    latest = last_votes(records)
    assert [(r.question, r.vote) for r in latest] == [("问题1", DOWN), ("问题3", UP), ("旧记录", DOWN)]
