"""Concurrent clients through the real ``/ask`` API (eval/loadtest.py), and proof that it sees mixed-up replies.

A short run (4 clients for 5 s); the full one (20 clients for a minute) is its own command:
``python eval/loadtest.py --url http://127.0.0.1:7860/ --clients 20 --seconds 60`` against a running app.
"""

from __future__ import annotations

import time

import gradio as gr
import pytest

from eval.loadtest import evidence_check, gold_checks, run_load
from tests.helpers import free_port

PASSAGES = {f"问题{i}": f"只属于问题{i}的段落" for i in range(8)}
CLIENTS, SECONDS, QUESTIONS = 4, 5, 12


@pytest.mark.slow
def test_concurrent_clients_all_answered_each_with_its_own_evidence(app_url):
    """Every reply under load is checked against its own question's gold evidence and its solo sources."""
    result = run_load(app_url, gold_checks(limit=QUESTIONS), clients=CLIENTS, seconds=SECONDS)
    print(result)
    assert result.errors == 0 and result.mismatches == 0, result.samples
    # Questions whose solo answer lacks its evidence, or equals another's, are dropped: most must remain,
    # or mixing between them could not be seen.
    assert result.questions >= QUESTIONS - 3, result.dropped
    assert result.requests >= 2 * CLIENTS and result.throughput_per_s > 0.5
    assert result.p95_ms < 30_000


def test_load_test_catches_replies_mixed_between_concurrent_requests():
    """A deliberately broken /ask that keeps the question in shared state: right alone, wrong under load."""
    shared = {}

    def ask(question: str, top_k: int = 8, mode: str = "hybrid") -> tuple[str, list[dict], bool]:
        shared["question"] = question
        time.sleep(0.02)
        mixed = shared["question"]
        return f"关于{mixed}", [{"id": mixed, "text": PASSAGES[mixed]}], True  # answer, sources, found

    with gr.Blocks() as demo:
        gr.api(ask, api_name="ask", concurrency_limit=4)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        questions = [(question, evidence_check([passage])) for question, passage in PASSAGES.items()]
        result = run_load(f"http://127.0.0.1:{port}/", questions, clients=CLIENTS, seconds=3)
    finally:
        demo.close()
    assert result.errors == 0 and result.questions == len(PASSAGES)
    assert result.mismatches > 0 and result.samples[0].startswith("出处不符")


def test_no_app_at_the_address_is_one_chinese_line_and_exit_code_2(capsys):
    from eval.loadtest import main

    assert main(["--url", f"http://127.0.0.1:{free_port()}/", "--seconds", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("无法连接应用") and "请先启动应用" in err and "Traceback" not in err
