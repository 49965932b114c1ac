"""Concurrent clients through the real ``/ask`` API (eval/loadtest.py), and proof that it sees mixed-up replies."""

from __future__ import annotations

import time

import gradio as gr

from eval.loadtest import evidence_check, gold_checks, run_load
from retriever.answer.service import AnswerService
from tests.test_app import free_port, serve

PASSAGES = {f"问题{i}": f"只属于问题{i}的段落" for i in range(8)}


def test_twenty_clients_for_a_minute_all_answered_each_with_its_own_sources(retriever):
    demo, url = serve(AnswerService(retriever))
    try:
        result = run_load(url, gold_checks(limit=40), clients=20, seconds=60)
    finally:
        demo.close()
    print(result)
    assert result.errors == 0 and result.mismatches == 0, result.samples
    assert result.questions >= 30 and result.requests >= 100 and result.throughput_per_s > 1
    assert result.p95_ms < 30_000


def test_load_test_catches_replies_mixed_between_concurrent_requests():
    """A deliberately broken /ask that keeps the question in shared state: right alone, wrong under load."""
    shared = {}

    def ask(question: str, top_k: int = 8, mode: str = "hybrid") -> tuple[str, list[dict]]:
        shared["question"] = question
        time.sleep(0.02)
        mixed = shared["question"]
        return f"关于{mixed}", [{"id": mixed, "text": PASSAGES[mixed]}]

    with gr.Blocks() as demo:
        gr.api(ask, api_name="ask", concurrency_limit=4)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        questions = [(question, evidence_check([passage])) for question, passage in PASSAGES.items()]
        result = run_load(f"http://127.0.0.1:{port}/", questions, clients=4, seconds=3)
    finally:
        demo.close()
    assert result.errors == 0 and result.questions == len(PASSAGES)
    assert result.mismatches > 0 and result.samples[0].startswith("出处不符")
