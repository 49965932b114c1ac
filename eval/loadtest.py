"""Concurrent clients asking different questions through the app's ``/ask`` API.

    python eval/loadtest.py --url http://127.0.0.1:7860/ [--clients 20] [--seconds 60] [--questions 100]

Each client is a thread with its own ``gradio_client.Client`` and cycles
through the questions from its own starting point, so concurrent requests ask
different questions. Before the load, every question is asked once alone: that
answer must pass the question's check (for gold questions: a source holds one
of its evidence strings), and its sources must differ from every other
question's, otherwise the question is dropped (listed in ``dropped``), since
mixing with it could not be seen. Under load, a reply is a mismatch when its
sources differ from the ones the question got alone or fail the check; an
exception, a time-out or an empty answer is an error. Login: REPORTQA_USER and
REPORTQA_PASSWORD, as for the app.

Usage (against a running app)::

    result = run_load("http://127.0.0.1:7860/", gold_checks(), clients=20, seconds=60)
    result.requests, result.errors, result.mismatches, result.throughput_per_s, result.p95_ms
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(EVAL_DIR.parent))

import httpx  # noqa: E402
from gradio_client import Client  # noqa: E402

from core.cli import CommandParser, run_command  # noqa: E402  (core first: model loading stays offline)
from core.errors import ReportQAError  # noqa: E402
from eval.evaluate import GOLD, load_gold  # noqa: E402
from eval.metrics import percentile  # noqa: E402
from index.text.normalise import normalise_for_match  # noqa: E402

Check = Callable[[str, list[dict]], bool]
"""Whether an ``/ask`` reply (answer text, sources) is right for its question."""


@dataclass
class LoadResult:
    """Figures of one load run.

    ``requests`` and the latencies (ms) count answered and failed requests alike, ``throughput_per_s``
    answered ones only; ``samples`` shows the first errors and mismatches.
    """

    clients: int
    seconds: float
    questions: int
    requests: int
    errors: int
    mismatches: int
    throughput_per_s: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    dropped: list[str] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)


@dataclass
class _Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    mismatches: int = 0
    samples: list[str] = field(default_factory=list)


def evidence_check(evidence: Sequence[str]) -> Check:
    """A check passed when a source's text holds one of ``evidence`` (compared as in eval/evaluate.py)."""
    targets = [normalise_for_match(e) for e in evidence]

    def check(answer: str, sources: list[dict]) -> bool:
        texts = [normalise_for_match(source["text"]) for source in sources]
        return any(target in text for target in targets for text in texts)

    return check


def gold_checks(path: Path = GOLD, limit: int | None = None) -> list[tuple[str, Check]]:
    """The gold questions, each with a check on its evidence strings."""
    return [(item.question, evidence_check(item.evidence)) for item in load_gold(path)[:limit]]


class LoadTestError(ReportQAError):
    """The load test cannot run: no app at the address, a refused login, too few usable questions."""


def _client(url: str, auth: tuple[str, str] | None) -> Client:
    return Client(url, auth=auth, verbose=False, analytics_enabled=False, max_workers=2)


def _ask(client: Client, question: str, timeout: float) -> tuple[str, list[dict]]:
    answer, sources, _found = client.submit(question, api_name="/ask").result(timeout=timeout)
    if not answer:
        raise ValueError("empty answer")
    return answer, sources


def run_load(
    url: str,
    questions: Sequence[tuple[str, Check]],
    clients: int = 20,
    seconds: float = 60.0,
    auth: tuple[str, str] | None = None,
    request_timeout: float = 60.0,
) -> LoadResult:
    """Ask ``questions`` from ``clients`` threads for ``seconds``; count errors and mismatched sources."""
    solo: dict[str, list[dict]] = {}
    dropped: list[str] = []
    baseline = _client(url, auth)
    for question, check in questions:
        answer, sources = _ask(baseline, question, request_timeout)
        if check(answer, sources) and sources not in solo.values():
            solo[question] = sources
        else:
            dropped.append(question)
    baseline.close()
    usable = [(q, c) for q, c in questions if q in solo]
    if len(usable) < 2:
        raise LoadTestError(f"可用的问题不足两个（{len(dropped)} 个被排除）：应用的回答不含评测集的证据，"
                            "请确认 --url 指向的应用使用本项目的报告和索引")

    tallies = [_Tally() for _ in range(clients)]
    connections = [_client(url, auth) for _ in range(clients)]

    def work(number: int) -> None:
        client, tally = connections[number], tallies[number]
        step = number * len(usable) // clients  # each client starts at a different question
        while time.perf_counter() < deadline:
            question, check = usable[step % len(usable)]
            step += 1
            started = time.perf_counter()
            try:
                answer, sources = _ask(client, question, request_timeout)
            except Exception as error:  # every failure counts, whatever its type
                tally.errors += 1
                tally.samples.append(f"错误：{question}：{type(error).__name__}: {error}"[:300])
                continue
            finally:
                tally.latencies_ms.append((time.perf_counter() - started) * 1000)
            if sources != solo[question] or not check(answer, sources):
                tally.mismatches += 1
                tally.samples.append(f"出处不符：{question}：{[s['id'] for s in sources]}"[:300])

    threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(clients)]
    started = time.perf_counter()
    deadline = started + seconds
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies = [ms for tally in tallies for ms in tally.latencies_ms]
    errors = sum(t.errors for t in tallies)
    result = LoadResult(
        clients=clients, seconds=round(wall, 1), questions=len(usable), requests=len(latencies), errors=errors,
        mismatches=sum(t.mismatches for t in tallies), throughput_per_s=(len(latencies) - errors) / wall,
        p50_ms=percentile(latencies, 50), p95_ms=percentile(latencies, 95), max_ms=max(latencies, default=0.0),
        dropped=dropped, samples=[s for t in tallies for s in t.samples][:10],
    )
    for client in connections:
        client.close()
    return result


def main(argv: list[str] | None = None) -> int:
    """Command line: print the figures; exit 1 when a request failed or got another question's sources."""
    parser = CommandParser(prog="python eval/loadtest.py", description="报告问答：并发压力测试（经 /ask 接口）")
    parser.add_argument("--url", default="http://127.0.0.1:7860/", help="应用地址")
    parser.add_argument("--clients", type=int, default=20, help="并发客户端数")
    parser.add_argument("--seconds", type=float, default=60, help="持续时间（秒）")
    parser.add_argument("--questions", type=int, help="只用评测集的前 N 个问题")
    args = parser.parse_args(argv)
    user, password = os.environ.get("REPORTQA_USER"), os.environ.get("REPORTQA_PASSWORD")
    try:
        result = run_load(args.url, gold_checks(limit=args.questions), args.clients, args.seconds,
                          auth=(user, password) if user and password else None)
    except LoadTestError as error:
        print(f"压力测试无法进行：{error}", file=sys.stderr)
        return 2
    except (httpx.HTTPError, OSError) as error:
        print(f"无法连接应用 {args.url}（{error}）：请先启动应用（bash run.sh 或 python app.py），"
              "或用 --url 指定它的地址", file=sys.stderr)
        return 2
    print(f"客户端 {result.clients} 个，{result.seconds} 秒，"
          f"问题 {result.questions} 个（排除 {len(result.dropped)} 个）")
    print(f"请求 {result.requests} 个，错误 {result.errors}，出处不符 {result.mismatches}")
    print(f"吞吐量 {result.throughput_per_s:.2f} 次/秒，延迟 p50 {result.p50_ms:.0f} ms，"
          f"p95 {result.p95_ms:.0f} ms，最长 {result.max_ms:.0f} ms")
    for sample in result.samples:
        print(sample)
    return 1 if result.errors or result.mismatches else 0


if __name__ == "__main__":
    run_command(main)
