"""Expected failures are ReportQAErrors with a Chinese message; the command lines print it and exit 2."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import core.errors as errors
from core.errors import (
    AccessDenied,
    AccountError,
    BackendError,
    ConfigError,
    CorpusError,
    EncoderLoadError,
    IndexUnavailableError,
    RemovalRejected,
    ReportQAError,
    UnreadableFileError,
    UploadRejected,
)
from core.settings import PROJECT_ROOT

EXPECTED = {ConfigError, CorpusError, IndexUnavailableError, EncoderLoadError, UnreadableFileError, BackendError,
            AccessDenied, UploadRejected, RemovalRejected, AccountError}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_every_error_class_is_a_report_qa_error():
    classes = {cls for _, cls in inspect.getmembers(errors, inspect.isclass) if issubclass(cls, BaseException)}
    assert classes == EXPECTED | {ReportQAError}
    for cls in EXPECTED:
        assert cls.__bases__ == (ReportQAError,), cls  # siblings: an except clause can tell them apart
    assert ReportQAError.__bases__ == (Exception,)
    assert not issubclass(ReportQAError, OSError | ValueError)  # never caught by accident as one of those


def _tokenizer():
    from index.tokenize import Tokenizer

    Tokenizer("letters")


def _joiner():
    from retriever.fuse import Joiner

    Joiner("max")


def _empty_file(tmp_path: Path):
    from index.text.load import read_document

    (tmp_path / "empty.txt").write_bytes(b"")
    read_document(tmp_path / "empty.txt")


def _no_index(tmp_path: Path):
    from index.store import load_index

    load_index(tmp_path / "index")


def _missing_model(tmp_path: Path):
    from index.query_encoder import load_query_encoder

    load_query_encoder(str(tmp_path / "no-model"))


@pytest.mark.parametrize("cause, expected, message", [
    (_tokenizer, ConfigError, "未知的分词方式 'letters'"),
    (_joiner, ConfigError, "未知的融合方式 'max'"),
    (_empty_file, UnreadableFileError, "文件为空"),
    (_no_index, IndexUnavailableError, "尚未建立索引"),
    (_missing_model, EncoderLoadError, "无法加载嵌入模型"),
], ids=["tokenizer", "fusion", "empty file", "no index", "missing model"])
def test_real_failures_raise_their_class_with_a_chinese_message(tmp_path, cause, expected, message):
    with pytest.raises(ReportQAError) as caught:
        cause(*([tmp_path] if inspect.signature(cause).parameters else []))
    assert type(caught.value) is expected and message in str(caught.value)
    assert CHINESE.search(str(caught.value))


COMMANDS = {
    "index build, bad --set value": (["-m", "index", "build", "--set", "top_k=x"], {},
                                     "设置 --set top_k 的值 'x' 无效：应为整数"),
    "index chunks, min above max": (["-m", "index", "chunks", "--set", "chunk_min_chars=900"], {},
                                    "设置 chunk_min_chars（900）应小于 chunk_max_chars（500）"),
    "retriever, mode not a choice": (["-m", "retriever", "问题", "--set", "mode=foo"], {},
                                     "设置 mode 的值 'foo' 无效，可选：hybrid、bm25、dense"),
    "retriever, unknown setting": (["-m", "retriever", "问题", "--set", "speed=9"], {},
                                   "没有名为 speed 的设置（设置名见 README 的设置表）"),
    "retriever, bad environment": (["-m", "retriever", "问题"], {"REPORTQA_TOP_K": "many"},
                                   "设置 REPORTQA_TOP_K 的值 'many' 无效：应为整数"),
    "retriever, unknown variable": (["-m", "retriever", "问题"], {"REPORTQA_TOPK": "3"},
                                    "环境变量 REPORTQA_TOPK 无效：没有名为 topk 的设置（是否想写 REPORTQA_TOP_K？"),
    "app, unknown variable": (["app.py"], {"REPORTQA_PASSWROD": "x"}, "（是否想写 REPORTQA_PASSWORD？"),
    "retriever, -k not a number": (["-m", "retriever", "问题", "-k", "abc"], {},
                                   "参数 -k/--top-k 的值 'abc' 不是整数（用 python -m retriever --help 查看用法）"),
    "index, unknown argument": (["-m", "index", "build", "--fast"], {},
                                "无法识别的参数 --fast（用 python -m index --help 查看用法）"),
    "index, no command": (["-m", "index"], {}, "缺少参数 command"),
    "bench, unknown setting": (["eval/bench.py", "--set", "speed=9"], {}, "没有名为 speed 的设置"),
    "app, negative port": (["app.py", "--set", "port=-1"], {}, "设置 port 不能为负数（-1）"),
    "app, port too large": (["app.py", "--port", "99999"], {}, "设置 port 应为 1—65535 之间的端口号（99999）"),
    "app, port variable too large": (["app.py"], {"REPORTQA_PORT": "99999"},
                                     "设置 port 应为 1—65535 之间的端口号（99999）"),
    "app, port variable not a number": (["app.py"], {"REPORTQA_PORT": "abc"},
                                        "设置 REPORTQA_PORT 的值 'abc' 无效：应为整数"),
    "app, port flag not a number": (["app.py", "--port", "abc"], {}, "参数 --port 的值 'abc' 不是整数"),
}


@pytest.fixture(scope="module")
def command_runs() -> dict[str, subprocess.CompletedProcess]:
    """Every command of COMMANDS run at once as a real process (REPORTQA_* variables removed)."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("REPORTQA_")}
    processes = {
        name: subprocess.Popen([sys.executable, *argv], cwd=PROJECT_ROOT, env=clean | env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for name, (argv, env, _) in COMMANDS.items()
    }
    runs = {}
    for name, process in processes.items():
        out, err = process.communicate(timeout=300)
        runs[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return runs


@pytest.mark.parametrize("name", COMMANDS)
def test_command_line_prints_the_config_error_and_exits_2(command_runs, name):
    run = command_runs[name]
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith("错误：") and COMMANDS[name][2] in run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""
    # one line, the setting's own reason: not blamed on the index, no English usage text from argparse
    assert run.stderr.count("\n") == 1 and "索引" not in run.stderr and "usage" not in run.stderr
