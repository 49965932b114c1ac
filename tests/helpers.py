"""Helpers shared by several test modules (no tests here): real corpus slices, provenance forms, loopback servers.

Test modules never import each other; what more than one of them needs lives
here or in a ``conftest.py`` fixture. Heavy libraries (Gradio, pymilvus) are imported
inside the functions that need them, so importing this module stays cheap.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from core.errors import BackendError
from core.settings import PROJECT_ROOT, Settings
from index.text.clean import ADVERT, detect_watermarks
from index.text.load import read_document
from index.text.normalise import normalise_for_match
from office.audit import AuditLog, AuditQuery
from retriever.backends import EmbeddedBackend
from retriever.hits import Hit

if TYPE_CHECKING:
    from index.milvus import MilvusIndex
    from index.store import StoredIndex
    from index.tokenize import Tokenizer

SOURCES = {
    "004_关于加快全市城市社区建设工作情况调查报告.txt": (1, 60),
    "000_基层政权和社区建设情况调研报告（4篇）.txt": (1, 51),
}
"""Line ranges (first, last) of real corpus files that make the small corpus of the build tests."""
FILE_000 = "000_基层政权和社区建设情况调研报告（4篇）.txt"
FILE_004 = "004_关于加快全市城市社区建设工作情况调查报告.txt"


def write_slices(corpus: Path, sources: dict[str, tuple[int, int]] = SOURCES) -> None:
    """Write lines first..last of real corpus files into ``corpus`` (created), under the same names."""
    corpus.mkdir(parents=True, exist_ok=True)
    for name, (first, last) in sources.items():
        lines = (PROJECT_ROOT / "corpus" / name).read_text(encoding="utf-8").split("\n")
        (corpus / name).write_text("\n".join(lines[first - 1 : last]), encoding="utf-8")


def original_line_forms(lines: list[str]) -> list[str]:
    """Each original line with the file's watermark and bracketed adverts removed, normalised.

    These are the only two kinds of text the cleaner removes from inside a
    line; everything else a chunk holds must be found literally in the line.
    """
    marks = detect_watermarks(lines)
    forms = []
    for line in lines:
        for mark in marks:
            line = line.replace(mark, "")
        forms.append(normalise_for_match(ADVERT.sub("", line)))
    return forms


def free_port() -> int:
    """A TCP port on loopback that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(service, data_dir: Path | None = None) -> tuple:
    """Launch the real chat app for an ``AnswerService`` on a free loopback port: ``(demo, url)``.

    The app keeps its accounts, question history and audit log in ``data_dir``, by default a new temporary
    folder: a test never writes into the real data/.
    """
    from retriever.answer.service import AnswerService
    from ui.server import start

    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="reportqa-data-"))
    service = AnswerService(service.retriever, service.settings.override(data_dir=data_dir))
    return start(service, "127.0.0.1", free_port(), block=False, quiet=True)


REPLY = "截山社区办公用房仅144平方米 [1]，另有社区只有70平米临时用房 [2]，还有 [7]。"
"""What the loopback chat server answers: two valid citation markers and an invented one."""


class ChatServer(BaseHTTPRequestHandler):
    """Speaks /v1/chat/completions; behaviour chosen by the model name in the request.

    "hang": answers after 3 s; "garbage": not JSON; "error": HTTP 500; "trickle-sse" / "trickle-json":
    one space every 0.2 s for 3 s; "plain": a non-streamed reply; anything else: :data:`REPLY` streamed.
    Every request body is appended to ``server.requests``.
    """

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


def start_chat_server() -> ThreadingHTTPServer:
    """:class:`ChatServer` on a free loopback port, in a daemon thread; ``.url`` is its ``/v1`` base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), ChatServer)
    httpd.requests = []
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
"""Debian's chromium, which Playwright drives (it downloads no browser of its own); None if not installed."""
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


CHEAP_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 1024, "argon2_parallelism": 1}
"""Settings of a real argon2id hash at the lowest cost (~1 ms instead of ~0.3 s); tests of many logins use it."""

NEW_REPORT = ("003_2024年度社区建设调研报告（精选30篇）.txt", (1, 80))
"""A real report (the 截山社区 office-space one) that is not in :data:`SOURCES`: what the upload tests add."""

ADMIN, READER = ("boss", "boss password 1"), ("li", "reader password 1")
"""The admin and the reader of the shared app with login on (``app`` in tests/ui/conftest.py)."""
COMPOSED = ("zoé", "composed password 1")  # typed decomposed ("zoe" + U+0301) it is still this account
REMOVED = "004_关于加快全市城市社区建设工作情况调查报告.txt"
"""A report of :data:`SOURCES`: the removal test takes it out, a reader's refused removal names it."""


def real_lines(name: str, first: int, last: int) -> list[str]:
    """Lines first..last of a real corpus file."""
    return (PROJECT_ROOT / "corpus" / name).read_text(encoding="utf-8").split("\n")[first - 1 : last]


def write_docx_report(path: Path, lines: list[str]) -> Path:
    """A Word document with one paragraph per line (python-docx)."""
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def write_pdf_report(path: Path, lines: list[str]) -> Path:
    """A text PDF with one drawn line per line, in reportlab's built-in Chinese CID font (no font file needed)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 10)
    for i, line in enumerate(lines):
        if i and i % 70 == 0:
            page.showPage()
            page.setFont("STSong-Light", 10)
        page.drawString(30, 800 - 11 * (i % 70), line)
    page.save()
    return path


def write_zip_bomb(path: Path, unpacked_mb: int) -> Path:
    """A real Word document plus one entry of ``unpacked_mb`` MB of zeros (packs ~1000:1): a .docx zip bomb."""
    import zipfile

    write_docx_report(path, ["关于社区建设的调研报告", "一、基本情况", "社区办公用房面积不足。"])
    block = bytes(1 << 20)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as member:
            for _ in range(unpacked_mb):
                member.write(block)
    return path


def copy_slices(built, target: Path):
    """A private copy of a built corpus and index (``built``: Settings) under ``target``, with its own data folder."""
    shutil.copytree(built.corpus, target / "corpus")
    shutil.copytree(built.index_dir, target / "index")
    return built.override(corpus=target / "corpus", index_dir=target / "index", data_dir=target / "data")


def tree_state(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) with its content: to show that nothing changed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class BrokenBackend(EmbeddedBackend):
    """A search backend whose server went away after start-up: every BM25 search fails as Milvus's would."""

    def sparse(self, query, k, scope):
        raise BackendError("Milvus http://10.0.0.5:19530 不可用（BM25 检索）：连接中断或服务未响应。")


# ── Milvus: the small index synced into Milvus Lite (tests/index/milvus) ─────────────────────────

ADDED_SECTION = "\n\n四、补充调研\n新增一段关于社区养老服务站建设情况的调研内容，养老服务站覆盖率偏低。\n"
"""A section appended to :data:`FILE_000` to change the small corpus (one or two new passages)."""
REFUSED_ADDRESS = "http://127.0.0.1:1"
"""A loopback port nothing listens on: the connection is refused at once."""


def milvus_search_ids(milvus: MilvusIndex, stored: StoredIndex, tokenizer: Tokenizer, text: str,
                      expr: str = "") -> list:
    """Chunk ids of a Milvus BM25 search."""
    return milvus.sparse(milvus.bm25_query(text, tokenizer, stored.bm25.vocab), 20, expr)[0]


def change_corpus(settings: Settings) -> None:
    """Append a section to one file and remove the other: some chunks change or appear, others vanish."""
    path = settings.corpus / FILE_000
    path.write_text(path.read_text(encoding="utf-8") + ADDED_SECTION, encoding="utf-8")
    (settings.corpus / FILE_004).unlink()


def english_words(message: str, *names: str) -> list[str]:
    """Latin words of ``message`` outside the addresses and names it quotes and the build command."""
    from index.milvus.errors import REBUILD  # imports pymilvus: only in the tests that use Milvus

    for name in (*names, REBUILD, "Milvus Lite", "Milvus", "REPORTQA_MILVUS_URI", "http://主机:19530", ".db"):
        message = message.replace(name, "")
    return re.findall(r"[A-Za-z]{3,}", message)


def milvus_build_args(settings: Settings, *extra: str) -> list[str]:
    """Arguments of ``python -m index build --backend milvus`` for the corpus, index and Lite folder of ``settings``."""
    return ["build", "--backend", "milvus", "--corpus", str(settings.corpus), "--index-dir", str(settings.index_dir),
            "--set", f"milvus_uri={settings.milvus_uri}", *extra]


# ── The app's pages: a made-up hit, the shared logged-in app (tests/ui) ──────────────────────────

def hit(n: int, text: str = "社区<b>办公用房</b>不足。") -> Hit:
    """Search hit ``n`` of a made-up passage of a.txt (report 1, lines 1—2) whose text holds markup."""
    return Hit(id=f"abc{n}", file="a.txt", report=1, report_title="报告", section_path=[], line_start=1,
               line_end=2, rank=n, score=0.5, text=text)


def audit(app, **query) -> list:
    """Audit entries of the shared app (``app``) matching ``query``, newest first."""
    return AuditLog.open(app["settings"]).read(AuditQuery(**query))


def logged_in(app, user: tuple[str, str]) -> httpx.Client:
    """An HTTP client of the shared app (``app``), logged in as ``user`` (name, password)."""
    http = httpx.Client(base_url=app["url"], timeout=60)
    assert http.post("/login", data={"username": user[0], "password": user[1]}).status_code == 200
    return http


# ── The reader: a small report in four formats, a real quoted sentence (tests/ui/reader) ─────────

FUNDING_REPORT_LINES = [
    "关于社区经费保障情况的调研报告",
    "一、基本情况",
    "全区共有城市社区12个，社区工作经费主要来自区财政拨款，每个社区每年安排工作经费五万元。",
    "二、存在的问题",
    "（一）经费渠道单一",
    "社区经费几乎全部依靠财政，共建单位支持和社会捐赠很少，社区自身没有稳定的收入来源。",
    "（二）办公用房不足",
    "截山社区办公用房仅144平方米，低于300平方米的标准，群众活动空间严重不足。",
    "三、对策建议",
    "建立以财政投入为主、社会多元参与的经费保障机制，逐步提高社区工作经费标准。",
]
"""A small report with a title, three top-level headings and two sub-headings, one sentence per body line."""


def write_report(folder: Path, suffix: str, lines: list[str]) -> Path:
    """``lines`` as the report 社区经费<suffix> in ``folder``: a .txt or .md text, a Word document or a PDF."""
    path = folder / f"社区经费{suffix}"
    if suffix == ".docx":
        write_docx_report(path, lines)
    elif suffix == ".pdf":
        write_pdf_report(path, lines)
    else:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def quoted_passage(retriever):
    """A real passage of several lines whose last line is one quoted sentence (the 70平米 office, lines 587–595)."""
    chunk = next(c for c in retriever.chunks if "社区办公用房尚未达标" in c.text and c.text.count("\n") >= 3)
    start = chunk.text.index("3、社区办公用房尚未达标")
    return chunk, (start, chunk.text.index("。", start) + 1)


def original_line_of(chunk, sentence: str) -> int:
    """The line of the original file that holds ``sentence`` (found in the file itself, not by the reader)."""
    forms = original_line_forms(read_document(PROJECT_ROOT / "corpus" / chunk.file).lines)
    (line,) = [n for n, form in enumerate(forms, start=1) if normalise_for_match(sentence) in form]
    return line
