"""The benchmark runs end to end on a small scale and the synthetic corpus is made of the real one.

Figures are not asserted (they depend on the machine); the keys the team relies on,
the equality of BM25 scores with rank_bm25 and the shape of the synthetic data are.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from core.settings import PROJECT_ROOT
from eval.bench import SECTIONS, cold_start, running_app
from eval.bench import main as bench_main
from eval.evaluate import GOLD, load_gold
from eval.synthetic import SentencePool
from index.store import live_build
from tests.helpers import CHEAP_ARGON2, copy_slices, tree_state

STABLE_KEYS = {"hybrid_p95_ms", "answer_p95_ms", "bm25_max_score_diff", "hybrid_p95_ms_3k", "bm25_speedup_3k",
               "peak_rss_mb_3k", "ann_recall_at_10_3k", "milvus_lite_sync_s", "milvus_lite_hybrid_p95_ms",
               "milvus_lite_answer_p95_ms"}


@pytest.mark.slow
def test_bench_prints_one_json_object_with_the_stable_keys():
    result = subprocess.run(
        [sys.executable, "eval/bench.py", "--json", "--skip", "build,cold,load", "--scales", "3000", "--runs", "1"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900, check=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert STABLE_KEYS <= set(figures)
    assert figures["bm25_max_score_diff"] <= 1e-6  # production BM25 scores equal rank_bm25's
    assert figures["ann_recall_at_10_3k"] == 1.0  # below ann_threshold the search is exact
    assert figures["hybrid_p95_ms"] > 0 and figures["queries"] == len(load_gold(GOLD))  # every gold question


def test_synthetic_passages_are_real_sentences_with_realistic_vectors(retriever):
    pool = SentencePool.from_index(retriever.stored, retriever.tokenizer)
    corpus = pool.sample(2000, seed=1)
    real_text = "".join(c.text for c in retriever.chunks)
    assert all(sentence in real_text for sentence in pool.texts)
    assert all(chunk.text and tokens for chunk, tokens in zip(corpus.chunks, corpus.tokens))
    synthetic_length = np.median([len(c.text) for c in corpus.chunks])
    real_length = np.median([len(c.text) for c in retriever.chunks])
    assert 0.7 < synthetic_length / real_length < 1.4
    assert corpus.vectors.shape == (2000, retriever.stored.embeddings.shape[1])
    np.testing.assert_allclose(np.linalg.norm(corpus.vectors, axis=1), 1.0, atol=1e-5)
    real = retriever.stored.embeddings
    synthetic_cos = float((corpus.vectors[:500] @ corpus.vectors[:500].T).mean())
    real_cos = float((real @ real.T).mean())
    assert abs(synthetic_cos - real_cos) < 0.02


def test_cold_start_child_measures_the_configured_index(slices_index, tmp_path):
    """Settings given to the benchmark (here --index-dir and --corpus) reach its child processes."""
    settings = copy_slices(slices_index, tmp_path)
    real = PROJECT_ROOT / "data" / "index"
    before = sorted((p.name, p.stat().st_mtime_ns) for p in real.glob("*/*"))
    seconds, phases = cold_start(settings)
    assert phases["index"] == str(live_build(settings.index_dir)) and seconds > 0
    assert sorted((p.name, p.stat().st_mtime_ns) for p in real.glob("*/*")) == before  # nothing built in data/index


def test_bench_takes_the_common_flags_and_says_a_bad_one_in_chinese(capsys):
    assert bench_main(["--set", "speed=9"]) == 2
    assert capsys.readouterr().err == "错误：--set 'speed=9' 无效：没有名为 speed 的设置（设置名见 README 的设置表）\n"


@pytest.mark.parametrize("argv, message", [
    (["--skip", "foo"], "参数 --skip 的值 'foo' 无效，可选：build、cold、latency、scale、load、milvus（逗号分隔）"),
    (["--skip", "scale,laod"], "参数 --skip 的值 'laod' 无效，可选："),
    (["--scales", "100k"], "参数 --scales 的值 '100k' 无效：应为正整数（片段数）"),
])
def test_an_unknown_section_or_size_is_refused_in_chinese_before_anything_runs(argv, message, capsys):
    """A misspelt --skip name ran every section instead (~12 minutes, 10 GB); a bad --scales size crashed after
    the sections before it."""
    assert bench_main(argv) == 2
    out = capsys.readouterr()
    assert out.err.startswith(f"错误：{message}") and out.err.count("\n") == 1
    assert out.out == ""


def test_skipping_every_section_measures_nothing(capsys):
    """Every section name is accepted by --skip (spaces allowed), and a skipped section does not run."""
    assert bench_main(["--json", "--skip", " , ".join(SECTIONS)]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(figures) == {"cpu_cores", "threads", "model"}


@pytest.mark.slow
def test_the_benchmarks_app_answers_without_a_login_and_leaves_the_data_folder_alone(slices_index, tmp_path):
    """With an account in the configured data folder (and a REPORTQA_USER login configured) the load section's
    app asked for a login, and every load request failed with gradio_client's English AuthenticationError."""
    from gradio_client import Client

    from office.accounts import Accounts

    settings = copy_slices(slices_index, tmp_path).override(user="boss", password="boss password 1", **CHEAP_ARGON2)
    Accounts(settings).add("王芳", "correct horse battery", "admin")
    before = tree_state(settings.data_dir)
    with running_app(settings) as (url, seconds):
        client = Client(url, verbose=False, analytics_enabled=False)
        answer, sources, found = client.predict("社区办公用房", 3, "hybrid", api_name="/ask")
        client.close()
    assert seconds > 0 and found and sources and "[1]" in answer
    assert tree_state(settings.data_dir) == before  # no audit log, no history written into it
