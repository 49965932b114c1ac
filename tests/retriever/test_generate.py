"""Generative mode against a real chat-completions HTTP server on loopback (no mocks)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from retriever.answer.extractive import Answer, Citation
from retriever.answer.generate import Generator, check_markers
from retriever.search import Hit

REPLY = "截山社区办公用房仅144平方米 [1]，另有社区只有70平米临时用房 [2]，还有 [7]。"


class ChatServer(BaseHTTPRequestHandler):
    """Speaks /v1/chat/completions; behaviour chosen by the model name in the request."""

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(body)
        model = body["model"]
        if model == "hang":
            time.sleep(3)
        if model == "garbage":
            self._send(200, "application/json", b"{not json")
        elif model == "error":
            self._send(500, "application/json", b'{"error": "overloaded"}')
        elif model.startswith("trickle"):
            self._trickle("text/event-stream" if model == "trickle-sse" else "application/json")
        elif model == "plain":
            reply = {"choices": [{"message": {"role": "assistant", "content": REPLY}}]}
            self._send(200, "application/json", json.dumps(reply, ensure_ascii=False).encode())
        else:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for piece in (REPLY[:10], REPLY[10:30], REPLY[30:]):
                chunk = {"choices": [{"delta": {"content": piece}}]}
                self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")

    def _trickle(self, kind: str) -> None:
        """One space every 0.2 s for 3 s: never a whole line, yet never idle long enough for a read timeout."""
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.end_headers()
        try:
            for _ in range(15):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
            pass

    def _send(self, status: int, kind: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), ChatServer)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()


def citations() -> list[Citation]:
    hits = [Hit(id=f"c{i}", file="f.txt", report=1, report_title="报告", section_path=["一、情况"],
                line_start=i, line_end=i, rank=i, score=1.0, text=text) for i, text in
            enumerate(["截山社区办公用房仅144平方米。", "社区办公用房是只有70平米的临时性用房。"], start=1)]
    return [Citation(h.rank, h) for h in hits]


FALLBACK = Answer("摘录式回答 [1]", citations(), True)


def run(server, model: str, timeout: float = 5.0):
    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    return list(Generator(url, model, api_key="k", timeout=timeout).stream("哪些社区办公用房不达标", citations(),
                                                                            FALLBACK))


def test_streamed_answer_keeps_valid_markers_and_drops_invented_ones(server):
    parts = run(server, "stream")
    assert len(parts) >= 3 and not parts[0].final and parts[-1].final
    assert "[1]" in parts[-1].text and "[2]" in parts[-1].text and "[7]" not in parts[-1].text
    assert "[7]" in parts[-1].notice
    request = server.requests[-1]
    assert request["stream"] is True and "[2] 《报告》" in request["messages"][1]["content"]


def test_non_streamed_reply_accepted(server):
    final = run(server, "plain")[-1]
    assert final.text.startswith("截山社区") and "[7]" not in final.text


@pytest.mark.parametrize("model", ["garbage", "error"])
def test_broken_endpoint_falls_back_to_extractive_with_a_notice(server, model):
    final = run(server, model)[-1]
    assert final.final and final.text == FALLBACK.text and "摘录式回答" in final.notice


def test_hanging_endpoint_falls_back_within_the_time_limit(server):
    started = time.monotonic()
    final = run(server, "hang", timeout=1.0)[-1]
    assert time.monotonic() - started < 2.5
    assert final.text == FALLBACK.text and final.notice


@pytest.mark.parametrize("model", ["trickle-sse", "trickle-json"])
def test_trickling_endpoint_falls_back_within_the_time_limit(server, model):
    started = time.monotonic()
    final = run(server, model, timeout=1.0)[-1]
    assert time.monotonic() - started < 2.0  # the server keeps trickling for 3 s
    assert final.text == FALLBACK.text and "TimeoutError" in final.notice


def test_unreachable_endpoint_falls_back():
    parts = list(Generator("http://127.0.0.1:9/v1", "m", timeout=1).stream("问", citations(), FALLBACK))
    assert parts[-1].text == FALLBACK.text and parts[-1].notice


def test_check_markers_unit():
    assert check_markers("甲[1]乙[3]丙[12]", citations()) == ("甲[1]乙丙", [3, 12])
