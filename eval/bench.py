"""Performance benchmark: index build, cold start, query latency, scale, concurrent load.

    python eval/bench.py [--json] [--runs 3] [--scales 100000,1000000] [--skip build,cold,latency,scale,load,milvus]
                         [--corpus DIR] [--index-dir DIR] [--model NAME] [--set FIELD=VALUE]

Prints figures and checks them against the targets of the performance issue
(see docs/performance.md); it asserts nothing. Sections that need a clean peak
memory figure (build, each scale) run in a child process of their own.
The scale sections build synthetic corpora from the real one (see
``eval/synthetic.py``): BM25 sees real sentences; vectors are mixtures of real
passage vectors ("mixed") and, for the worst case, random unit vectors.
Every child process (the sections above, the cold starts, the app) gets this process's settings
(environment and flags, as ``REPORTQA_*`` variables), so it measures the same index.
With ``--json`` one JSON object is printed, with stable keys such as
``hybrid_p95_ms``, ``answer_p95_ms``, ``hybrid_p95_ms_100k``, ``bm25_speedup_100k``,
``bm25_max_score_diff``, ``ann_recall_at_10_1m``, ``cold_start_s``, ``peak_rss_mb_100k``.
The ``milvus`` section times the Milvus backend on Milvus Lite at today's corpus (keys
``milvus_lite_*``): Lite is a test double (pure Python, in this process), not a Milvus server.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = EVAL_DIR.parent
sys.path.insert(0, str(PROJECT_ROOT))

from core.cli import CommandParser, add_common_arguments, command_settings, run_command  # noqa: E402
from core.errors import ConfigError  # noqa: E402
from core.settings import Settings  # noqa: E402
from eval.evaluate import GOLD, load_gold  # noqa: E402
from eval.timing import latency_ms, peak_rss_mb, rate  # noqa: E402

ANN_SWEEP = (512, 1024, 2048, 4096)
SECTIONS = ("build", "cold", "latency", "scale", "load", "milvus")
TARGETS = {  # key: (comparison, limit, what)
    "hybrid_p95_ms": ("<=", 100, "混合检索 p95，当前语料（含问题编码）"),
    "answer_p95_ms": ("<=", 300, "抽取式回答 p95，当前语料"),
    "hybrid_p95_ms_100k": ("<=", 200, "混合检索 p95，10 万片段"),
    "bm25_speedup_100k": (">=", 20, "BM25 相对 rank_bm25 的加速倍数，10 万片段"),
    "bm25_max_score_diff": ("<=", 1e-6, "BM25 与 rank_bm25 的最大分数差"),
    "ann_recall_at_10_1m": (">=", 0.95, "近似向量检索 recall@10，100 万向量"),
    "cold_start_s": ("<=", 5, "冷启动到可检索（秒）"),
    "peak_rss_mb_100k": ("<=", 2048, "10 万片段峰值内存（MiB）"),
}
COLD_START_SNIPPET = """
import json, sys, time
started = time.perf_counter()
from core.settings import Settings
from retriever.answer.service import open_retriever
imported = time.perf_counter()
retriever = open_retriever(Settings.from_env(), show_bar=False)
opened = time.perf_counter()
retriever.search("社区工作者待遇怎么样", k=5)
print(json.dumps({"import_s": imported - started, "open_s": opened - imported,
                  "first_query_s": time.perf_counter() - opened, "index": str(retriever.stored.path)}), flush=True)
"""
MILVUS_NOTE = "Milvus Lite 3.2.2：进程内纯 Python 实现，仅作测试替身，不代表 Milvus 服务器的延迟"
APPENDED_SECTION = "\n\n五、补充调研\n新增一段关于社区养老服务站建设情况的调研内容，用于测量增量重建。\n"


def gold_questions() -> list[str]:
    """The questions of the gold set: realistic query lengths and vocabulary."""
    return [item.question for item in load_gold(GOLD)]


def child_env(settings: Settings) -> dict[str, str]:
    """The environment of a child process: this one's, with ``settings`` as ``REPORTQA_*`` variables."""
    return os.environ | settings.to_env()


def run_worker(args: list[str], settings: Settings) -> dict:
    """Run a section of this script in a child process; return the JSON object it prints last."""
    result = subprocess.run([sys.executable, __file__, *args], cwd=PROJECT_ROOT, capture_output=True,
                            text=True, check=False, env=child_env(settings))
    if result.returncode != 0:
        raise RuntimeError(f"子进程 {' '.join(args)} 失败：\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# ---- sections run in a child process -------------------------------------------------------------


def measure_build(settings: Settings) -> dict:
    """Chunking, embedding and indexing rates, and an incremental rebuild after one file changes."""
    from index.bm25 import BM25
    from index.build import bm25_text, build_index, embed_text
    from index.dense import build_faiss
    from index.embed import encode_passages, load_encoder
    from index.text.pipeline import chunk_corpus
    from index.text.sentences import passage_sentences
    from index.tokenize import Tokenizer

    figures: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        corpus, index_dir = Path(tmp) / "corpus", Path(tmp) / "index"
        shutil.copytree(settings.corpus, corpus)
        shutil.copytree(settings.index_dir, index_dir)  # the live index: its vectors are reusable
        local = settings.override(corpus=corpus, index_dir=index_dir)

        started = time.perf_counter()
        chunks = chunk_corpus(local).chunks
        figures["chunking_per_s"] = rate(len(chunks), time.perf_counter() - started)

        encoder = load_encoder(local.model)
        sample = [embed_text(c) for c in chunks[:64]]
        started = time.perf_counter()
        vectors = encode_passages(encoder, sample, batch_size=local.embed_batch_size)
        figures["embedding_per_s"] = rate(len(sample), time.perf_counter() - started)
        figures["full_build_estimate_s"] = round(len(chunks) / figures["embedding_per_s"], 1)

        # Sentence vectors (stored with the index for answers and the best-sentence list): the extra build time.
        sentences = [c.text[s:e] for c in chunks for s, e in passage_sentences(c.text)]
        started = time.perf_counter()
        encode_passages(encoder, sentences[:256], batch_size=local.embed_batch_size)
        figures["sentences"] = len(sentences)
        figures["sentence_embedding_per_s"] = rate(min(256, len(sentences)), time.perf_counter() - started)
        figures["sentence_build_estimate_s"] = round(len(sentences) / figures["sentence_embedding_per_s"], 1)

        started = time.perf_counter()
        tokenizer = Tokenizer(local.tokenizer)
        BM25(local.bm25_k1, local.bm25_b).fit([tokenizer(bm25_text(c, local.bm25_fields)) for c in chunks])
        build_faiss(vectors[:1].repeat(len(chunks), axis=0), local.ann_threshold, local.hnsw_m,
                    local.hnsw_ef_construction)
        figures["indexing_per_s"] = rate(len(chunks), time.perf_counter() - started)
        del vectors

        changed = min(corpus.iterdir(), key=lambda p: p.stat().st_size)
        with open(changed, "a", encoding="utf-8") as handle:
            handle.write(APPENDED_SECTION)
        started = time.perf_counter()
        report = build_index(local, show_bar=False)
        figures["incremental_s"] = round(time.perf_counter() - started, 2)
        figures["incremental_file"] = changed.name
        figures["incremental_file_chunks"] = sum(1 for c in chunks if c.file == changed.name)
        figures["incremental_reembedded"] = report.embedded
        figures["incremental_reused"] = report.reused
        figures["incremental_sentences_reembedded"] = report.sentences_embedded
        figures["chunks"] = report.chunks
    figures["build_peak_rss_mb"] = peak_rss_mb()
    return figures


def measure_scale(settings: Settings, size: int, runs: int, compare_rank_bm25: bool) -> dict:
    """Latencies, memory and approximate recall at ``size`` synthetic passages."""
    import faiss
    import numpy as np

    from eval.synthetic import SentencePool
    from index.bm25 import BM25
    from index.dense import build_faiss, index_kind, set_ef_search, set_threads
    from index.query_encoder import load_query_encoder
    from index.store import StoredIndex, load_index
    from index.tokenize import Tokenizer
    from retriever.backends import open_backend
    from retriever.search import Retriever

    settings = settings.override(backend="embedded")  # synthetic passages exist only in this process
    real = load_index(settings.index_dir)
    tokenizer = Tokenizer(real.manifest.tokenizer)
    encoder = load_query_encoder(settings.model, num_threads=settings.threads)
    questions = gold_questions()
    corpus = SentencePool.from_index(real, tokenizer).sample(size, seed=size)
    suffix = label(size)
    figures: dict = {}

    started = time.perf_counter()
    bm25 = BM25(settings.bm25_k1, settings.bm25_b).fit(corpus.tokens)
    figures[f"bm25_fit_per_s_{suffix}"] = rate(size, time.perf_counter() - started)
    started = time.perf_counter()
    set_threads(os.cpu_count() or 1)  # building uses every core; searching uses settings.threads
    faiss_index = build_faiss(corpus.vectors, settings.ann_threshold, settings.hnsw_m, settings.hnsw_ef_construction)
    figures[f"faiss_build_per_s_{suffix}"] = rate(size, time.perf_counter() - started)
    figures[f"faiss_kind_{suffix}"] = index_kind(faiss_index)

    no_sentences = (np.zeros((0, 3), dtype=np.int32), np.zeros((0, corpus.vectors.shape[1]), dtype=np.float32), [])
    stored = StoredIndex(Path(), real.manifest, corpus.chunks, corpus.vectors, [], faiss_index, bm25, *no_sentences)
    retriever = Retriever(stored, settings, open_backend(stored, settings), encoder)
    for mode in ("bm25", "dense", "hybrid"):
        timing = latency_ms(lambda q, m=mode: retriever.search(q, k=10, mode=m), questions, runs,
                            before_each=retriever.clear_cache)
        figures[f"{mode}_p50_ms_{suffix}"], figures[f"{mode}_p95_ms_{suffix}"] = timing["p50_ms"], timing["p95_ms"]
    figures[f"peak_rss_mb_{suffix}"] = peak_rss_mb()

    query_vectors = encoder.encode_queries(questions)
    _, exact = faiss.knn(query_vectors, corpus.vectors, 10, metric=faiss.METRIC_INNER_PRODUCT)
    figures[f"ann_recall_at_10_{suffix}"] = recall_at_10(faiss_index, query_vectors, exact)
    if index_kind(faiss_index) == "hnsw":  # how recall and time trade off with the search breadth
        for ef_search in ANN_SWEEP:
            set_ef_search(faiss_index, ef_search)
            started = time.perf_counter()
            recall = recall_at_10(faiss_index, query_vectors, exact)
            milliseconds = 1000 * (time.perf_counter() - started) / len(query_vectors)
            figures[f"ann_ef{ef_search}_{suffix}"] = f"recall@10 {recall}, {milliseconds:.1f} ms"
    if compare_rank_bm25:
        figures |= compare_with_rank_bm25(bm25, corpus.tokens, [tokenizer(q) for q in questions[:30]], suffix,
                                          settings.candidates)
    return figures


def recall_at_10(faiss_index, query_vectors, exact) -> float:
    """Share of the exact top 10 (``exact``, one row per query) that the production search also returns."""
    from index.dense import search_faiss

    found = sum(len(set(search_faiss(faiss_index, vector, 10)[0].tolist()) & set(row.tolist()))
                for vector, row in zip(query_vectors, exact))
    return round(found / exact.size, 4)


def compare_with_rank_bm25(bm25, corpus_tokens: list[list[str]], queries: list[list[str]], suffix: str,
                           candidates: int) -> dict:
    """``rank_bm25.BM25Okapi.get_scores`` against the production BM25 path: speed ratio and score difference."""
    import numpy as np
    from rank_bm25 import BM25Okapi

    reference = BM25Okapi(corpus_tokens, k1=bm25.k1, b=bm25.b, epsilon=bm25.epsilon)
    reference_s, production_s, difference = 0.0, 0.0, 0.0
    for tokens in queries:
        started = time.perf_counter()
        expected = reference.get_scores(tokens)
        reference_s += time.perf_counter() - started
        started = time.perf_counter()
        bm25.top_k(tokens, candidates)
        production_s += time.perf_counter() - started
        difference = max(difference, float(np.max(np.abs(bm25.get_scores(tokens) - expected))))
    return {
        f"rank_bm25_ms_{suffix}": round(1000 * reference_s / len(queries), 2),
        f"bm25_production_ms_{suffix}": round(1000 * production_s / len(queries), 2),
        f"bm25_speedup_{suffix}": round(reference_s / production_s, 1),
        "bm25_max_score_diff": difference,
    }


# ---- sections run in this process ----------------------------------------------------------------


def cold_start(settings: Settings) -> tuple[float, dict]:
    """One cold start of a search process with ``settings``: its seconds, and the phases (and index) it reports."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", COLD_START_SNIPPET], cwd=PROJECT_ROOT, capture_output=True,
                            text=True, check=True, env=child_env(settings))
    return time.perf_counter() - started, json.loads(result.stdout.strip().splitlines()[-1])


def measure_cold_start(settings: Settings, runs: int) -> dict:
    """Seconds from launching a process to a finished first search, and to an app answering HTTP."""
    search_s, phases = zip(*(cold_start(settings) for _ in range(runs)))
    figures = {"cold_start_s": round(statistics.median(search_s), 2)}
    for phase in ("import_s", "open_s", "first_query_s"):
        figures[f"cold_start_{phase}"] = round(statistics.median(p[phase] for p in phases), 2)
    figures["cold_start_app_s"] = round(statistics.median(app_start_seconds(settings)
                                                          for _ in range(max(1, runs - 1))), 2)
    return figures


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(settings: Settings, port: int) -> tuple[subprocess.Popen, float]:
    """Launch ``app.py`` with ``settings`` on ``port``; return the process and the seconds until it answered HTTP."""
    import httpx

    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=PROJECT_ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child_env(settings))
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"app.py 退出，返回码 {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                return process, time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.1)


def app_settings(settings: Settings, data_dir: Path) -> Settings:
    """The settings of an app the benchmark starts: its own data folder, no login, on loopback.

    With the real data folder the app asks for a login as soon as one account exists there (the load
    clients have none: every request failed with gradio_client's AuthenticationError), and it would write
    the benchmark's thousands of questions into the real audit log. Without a login it must listen on loopback.

    >>> app = app_settings(Settings(user="boss", password="secret", host="0.0.0.0"), Path("/tmp/bench-app"))
    >>> app.data_dir.as_posix(), app.user, app.password, app.host
    ('/tmp/bench-app', '', '', '127.0.0.1')
    """
    return settings.override(data_dir=data_dir, user="", password="", host="127.0.0.1")


@contextmanager
def running_app(settings: Settings) -> Iterator[tuple[str, float]]:
    """``app.py`` with :func:`app_settings` and a temporary data folder: its URL and the seconds it took to answer HTTP.

    The app is stopped and its data folder removed on exit.
    """
    with tempfile.TemporaryDirectory(prefix="bench-app-data-") as data_dir:
        port = free_port()
        process, seconds = start_app(app_settings(settings, Path(data_dir)), port)
        try:
            yield f"http://127.0.0.1:{port}/", seconds
        finally:
            process.terminate()
            process.wait(timeout=30)


def app_start_seconds(settings: Settings) -> float:
    """One cold start of the app, to its first HTTP answer."""
    with running_app(settings) as (_, seconds):
        return seconds


def measure_latency(settings: Settings, runs: int) -> dict:
    """p50/p95 on the real corpus for each mode (query encoding included) and for a full extractive answer."""
    from retriever.answer.service import AnswerService

    service = AnswerService.open(settings, show_bar=False)
    retriever = service.retriever
    questions = gold_questions()
    figures: dict = {"queries": len(questions), "runs": runs}
    for mode in ("bm25", "dense", "hybrid"):
        timing = latency_ms(lambda q, m=mode: retriever.search(q, k=10, mode=m), questions, runs,
                            before_each=retriever.clear_cache)
        figures[f"{mode}_p50_ms"], figures[f"{mode}_p95_ms"] = timing["p50_ms"], timing["p95_ms"]
    cached = latency_ms(lambda q: retriever.search(q, k=10), questions, runs)
    figures["hybrid_cached_p95_ms"] = cached["p95_ms"]

    timing = latency_ms(service.ask, questions, runs, before_each=retriever.clear_cache)
    figures["answer_p50_ms"], figures["answer_p95_ms"] = timing["p50_ms"], timing["p95_ms"]
    return figures


def measure_milvus(settings: Settings, runs: int) -> dict:
    """The Milvus backend on Milvus Lite (a folder in tmp) at today's corpus: sync, start-up and latency.

    Milvus Lite 3.2.2 is pure Python inside this process (a gRPC server on loopback, FAISS and its
    own BM25 code, sharing this process's GIL and cores): its figures say what this code path costs
    here, not what a Milvus Standalone or Distributed server would answer in.
    """
    from index.milvus import MilvusIndex
    from index.store import load_index
    from index.tokenize import Tokenizer
    from retriever.answer.service import AnswerService
    from retriever.backends import open_backend
    from retriever.search import Retriever

    stored = load_index(settings.index_dir)
    questions = gold_questions()
    figures: dict = {"milvus_lite_note": MILVUS_NOTE, "milvus_bm25": settings.milvus_bm25,
                     "milvus_passages": len(stored.chunks)}
    with tempfile.TemporaryDirectory(prefix="bench-milvus-") as tmp:
        lite = settings.override(backend="milvus", milvus_uri=f"{tmp}/milvus.db", index_dir=Path(tmp))
        started = time.perf_counter()
        milvus = MilvusIndex.connect(lite, create=True)
        figures["milvus_lite_connect_s"] = round(time.perf_counter() - started, 3)
        tokenizer = Tokenizer(stored.manifest.tokenizer)
        figures["milvus_lite_sync_s"] = milvus.sync(stored, tokenizer).seconds
        figures["milvus_lite_sync_unchanged_s"] = milvus.sync(stored, tokenizer).seconds
        milvus.close()
        started = time.perf_counter()
        retriever = Retriever(stored, lite, open_backend(stored, lite))
        figures["milvus_lite_open_s"] = round(time.perf_counter() - started, 2)  # connect, check, load; encoder
        try:
            for mode in ("bm25", "dense", "hybrid"):
                timing = latency_ms(lambda q, m=mode: retriever.search(q, k=10, mode=m), questions, runs,
                                    before_each=retriever.clear_cache)
                figures[f"milvus_lite_{mode}_p50_ms"] = timing["p50_ms"]
                figures[f"milvus_lite_{mode}_p95_ms"] = timing["p95_ms"]
            cached = latency_ms(lambda q: retriever.search(q, k=10), questions, runs)
            figures["milvus_lite_hybrid_cached_p50_ms"] = cached["p50_ms"]
            figures["milvus_lite_hybrid_cached_p95_ms"] = cached["p95_ms"]
            timing = latency_ms(AnswerService(retriever, lite).ask, questions, runs, before_each=retriever.clear_cache)
            figures["milvus_lite_answer_p50_ms"] = timing["p50_ms"]
            figures["milvus_lite_answer_p95_ms"] = timing["p95_ms"]
        finally:
            retriever.close()
        server_fused = lite.override(milvus_fusion="server")
        engine = Retriever(stored, server_fused, open_backend(stored, server_fused), retriever.encoder)
        try:
            cached = latency_ms(lambda q: engine.search(q, k=10), questions, runs)
            figures["milvus_lite_server_fusion_cached_p50_ms"] = cached["p50_ms"]
            figures["milvus_lite_server_fusion_cached_p95_ms"] = cached["p95_ms"]
        finally:
            engine.close()
    return figures


def measure_load(settings: Settings, clients: int, seconds: float) -> dict:
    """Concurrent clients asking different gold questions through the app's API (see eval/loadtest.py)."""
    from eval.loadtest import gold_checks, run_load

    with running_app(settings) as (url, _):
        result = run_load(url, gold_checks(), clients=clients, seconds=seconds)
    return {"load_clients": clients, "load_seconds": seconds, "load_requests": result.requests,
            "load_errors": result.errors, "load_mismatches": result.mismatches,
            "load_throughput_per_s": round(result.throughput_per_s, 2), "load_p50_ms": round(result.p50_ms, 1),
            "load_p95_ms": round(result.p95_ms, 1)}


def chosen_sections(skip: str) -> list[str]:
    """The sections to run: :data:`SECTIONS` without those ``--skip`` names (comma-separated).

    >>> chosen_sections("scale, load")
    ['build', 'cold', 'latency', 'milvus']

    Raises:
        ConfigError: a name that is no section (a typo would otherwise run the whole benchmark, ~12 minutes).
    """
    names = [name.strip() for name in skip.split(",") if name.strip()]
    for name in names:
        if name not in SECTIONS:
            raise ConfigError(f"参数 --skip 的值 {name!r} 无效，可选：{'、'.join(SECTIONS)}（逗号分隔）")
    return [section for section in SECTIONS if section not in names]


def scale_sizes(scales: str) -> list[int]:
    """The synthetic corpus sizes of ``--scales`` (comma-separated passage counts).

    >>> scale_sizes("100000,1000000")
    [100000, 1000000]

    Raises:
        ConfigError: a size that is not a positive whole number (found before any section runs, not after minutes).
    """
    sizes = []
    for text in filter(None, (part.strip() for part in scales.split(","))):
        if not text.isdigit() or int(text) < 1:
            raise ConfigError(f"参数 --scales 的值 {text!r} 无效：应为正整数（片段数），逗号分隔，例如 100000,1000000")
        sizes.append(int(text))
    return sizes


# ---- output --------------------------------------------------------------------------------------


def label(size: int) -> str:
    """100000 -> "100k", 1000000 -> "1m"."""
    return f"{size // 1_000_000}m" if size % 1_000_000 == 0 else f"{size // 1000}k"


def check_targets(figures: dict) -> list[str]:
    """One line per target: the figure, the limit and whether it holds."""
    lines = []
    for key, (comparison, limit, what) in TARGETS.items():
        value = figures.get(key)
        if value is None:
            lines.append(f"  -   {what}: 未测量（{key}）")
            continue
        holds = value <= limit if comparison == "<=" else value >= limit
        lines.append(f"  {'达标' if holds else '未达标'} {what}: {value} {comparison} {limit}  ({key})")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python eval/bench.py``."""
    parser = CommandParser(prog="python eval/bench.py", description="报告问答：性能基准")
    parser.add_argument("--json", action="store_true", help="以一个 JSON 对象输出全部数值")
    parser.add_argument("--out", type=Path, help="另将全部数值以 JSON 写入该文件")
    parser.add_argument("--runs", type=int, default=3, help="每项计时重复次数，取中位数")
    parser.add_argument("--scales", default="100000,1000000", help="合成语料规模，逗号分隔")
    parser.add_argument("--skip", default="", help=f"跳过的部分，逗号分隔：{','.join(SECTIONS)}")
    parser.add_argument("--load-clients", type=int, default=20, help="并发客户端数")
    parser.add_argument("--load-seconds", type=float, default=60, help="并发测试时长（秒）")
    parser.add_argument("--worker", choices=("build", "scale"), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    add_common_arguments(parser)
    args = parser.parse_args(argv)
    try:
        sections, sizes = chosen_sections(args.skip), scale_sizes(args.scales)
    except ConfigError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    settings = command_settings(args)
    if settings is None:
        return 2

    if args.worker == "build":
        print(json.dumps(measure_build(settings), ensure_ascii=False))
        return 0
    if args.worker == "scale":
        print(json.dumps(measure_scale(settings, args.size, args.runs, args.size <= 100_000)))
        return 0

    from index.build import ensure_index

    ensure_index(settings, show_bar=False)  # every section measures a built, up-to-date index
    figures: dict = {"cpu_cores": os.cpu_count(), "threads": settings.threads, "model": settings.model}
    steps = {
        "build": lambda: run_worker(["--worker", "build"], settings),
        "cold": lambda: measure_cold_start(settings, args.runs),
        "latency": lambda: measure_latency(settings, args.runs),
        "scale": lambda: {k: v for size in sizes
                          for k, v in run_worker(["--worker", "scale", "--size", str(size), "--runs",
                                                  str(1 if size > 100_000 else args.runs)], settings).items()},
        "load": lambda: measure_load(settings, args.load_clients, args.load_seconds),
        "milvus": lambda: measure_milvus(settings, args.runs),
    }
    for name, step in steps.items():
        if name not in sections:
            continue
        started = time.perf_counter()
        part = step()
        figures |= part
        if not args.json:
            print(f"== {name}（{time.perf_counter() - started:.0f} 秒）")
            for key, value in part.items():
                print(f"  {key}: {value}")
    if args.out:
        args.out.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        print("== 目标（合成语料的向量取自按真实段落向量拟合的正态分布，见 eval/synthetic.py）")
        print("\n".join(check_targets(figures)))
    return 0


if __name__ == "__main__":
    run_command(main)
