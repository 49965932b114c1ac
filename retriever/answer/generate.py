"""Optional generative answers from any OpenAI-compatible chat-completions endpoint.

The model sees the numbered passages and must cite them as ``[n]``. Markers
that point at no passage are removed and reported; a timeout, an HTTP error
or a garbled reply falls back to the extractive answer with a visible notice.

Usage::

    generator = Generator("http://127.0.0.1:8000/v1", "qwen2.5-7b-instruct", api_key="", timeout=20)
    for partial in generator.stream(question, citations, fallback):
        print(partial.text)
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

from retriever.answer.citation import Answer, Citation

SYSTEM_PROMPT = (
    "你是政府调研报告问答助手。只根据用户给出的编号段落回答，不要编造。"
    "每一句话后面用方括号标注所依据段落的编号，例如 [1] 或 [2]。"
    "如果段落中没有答案，就回答“报告中未找到相关内容”。用简洁的中文回答。"
)
MARKER = re.compile(r"\[(\d{1,3})\]")


@dataclass
class Generated:
    """A (partial or final) generated answer; ``notice`` explains a fallback or dropped markers.

    ``unavailable`` is set when no answer could be looked for at all (the search backend failed): the
    notice says so, and it is no 未找到.
    """

    text: str
    citations: list[Citation]
    notice: str = ""
    final: bool = False
    found: bool = True
    unavailable: bool = False


def build_messages(question: str, citations: list[Citation]) -> list[dict]:
    """Chat messages: the rules, then the numbered passages and the question."""
    passages = "\n\n".join(
        f"[{c.n}] 《{c.hit.report_title}》{c.hit.path_text()}\n{c.hit.text}" for c in citations
    )
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": f"段落：\n{passages}\n\n问题：{question}"},
    ]


def check_markers(text: str, citations: list[Citation]) -> tuple[str, list[int]]:
    """Remove ``[n]`` markers that point at no passage; return the text and the removed numbers."""
    valid = {c.n for c in citations}
    removed = sorted({int(n) for n in MARKER.findall(text) if int(n) not in valid})
    return MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in valid else "", text), removed


class Generator:
    """Client of one chat-completions endpoint, streaming, with a bounded total time."""

    def __init__(self, base_url: str, model: str, api_key: str = "", timeout: float = 20.0,
                 temperature: float = 0.1) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.timeout = timeout
        self.temperature = temperature

    def _deltas(self, question: str, citations: list[Citation]) -> Iterator[str]:
        """Content pieces of a streamed reply (a non-streamed JSON reply is accepted too).

        The whole reply must arrive within ``timeout`` seconds: the deadline is
        checked on every received piece, so a server that trickles bytes cannot
        hold the answer back for longer than that plus one read timeout.
        """
        body = {"model": self.model, "messages": build_messages(question, citations), "stream": True,
                "temperature": self.temperature}
        deadline = time.monotonic() + self.timeout
        import httpx  # imported when a model is configured and asked: it takes half a second to import

        timeout = httpx.Timeout(self.timeout, connect=min(5.0, self.timeout))
        with httpx.Client(timeout=timeout) as client, client.stream(
            "POST", self.url, json=body, headers=self.headers
        ) as response:
            response.raise_for_status()
            pieces = _until(deadline, self.timeout, response.iter_text())
            if "text/event-stream" not in response.headers.get("content-type", ""):
                data = json.loads("".join(pieces))
                yield data["choices"][0]["message"]["content"]
                return
            for line in _lines(pieces):
                if not line.startswith("data:"):
                    continue
                payload = line[5:].strip()
                if payload == "[DONE]":
                    return
                delta = json.loads(payload)["choices"][0].get("delta", {}).get("content")
                if delta:
                    yield delta

    def stream(self, question: str, citations: list[Citation], fallback: Answer) -> Iterator[Generated]:
        """Yield the growing answer; the last item is final and has invalid markers removed."""
        if not fallback.found or not citations:
            yield Generated(fallback.text, fallback.citations, final=True, found=fallback.found)
            return
        from httpx import HTTPError

        text = ""
        try:
            for delta in self._deltas(question, citations):
                text += delta
                yield Generated(text, citations)
            if not text.strip():
                raise ValueError("empty reply")
        except (HTTPError, TimeoutError, ValueError, KeyError, IndexError, TypeError) as error:
            reason = type(error).__name__
            notice = f"（大模型服务不可用或回复异常（{reason}），以下为摘录式回答）"
            yield Generated(fallback.text, fallback.citations, notice, final=True)
            return
        cleaned, removed = check_markers(text, citations)
        notice = f"（已删除指向不存在段落的引用：{'、'.join(f'[{n}]' for n in removed)}）" if removed else ""
        yield Generated(cleaned, citations, notice, final=True)


def _until(deadline: float, timeout: float, pieces: Iterator[str]) -> Iterator[str]:
    """``pieces`` until ``deadline`` (a ``time.monotonic`` value); past it, raise :class:`TimeoutError`."""
    for piece in pieces:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no complete reply within {timeout} s")
        yield piece


def _lines(pieces: Iterator[str]) -> Iterator[str]:
    """Lines of a text that arrives in arbitrary pieces."""
    buffer = ""
    for piece in pieces:
        *lines, buffer = (buffer + piece).split("\n")
        yield from (line.rstrip("\r") for line in lines)
    if buffer:
        yield buffer.rstrip("\r")
