"""The commands' shared parser: a wrong argument is one Chinese line and exit code 2; settings from the flags."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from core.cli import PIPE_CLOSED, CommandParser, add_common_arguments, command_settings
from core.settings import MODES, PROJECT_ROOT


@pytest.mark.parametrize("argv, message", [
    (["-k", "abc"], "错误：参数 -k/--top-k 的值 'abc' 不是整数（用 tool --help 查看用法）\n"),
    (["--weight", "heavy"], "错误：参数 --weight 的值 'heavy' 不是数字（用 tool --help 查看用法）\n"),
    (["--mode", "fast"], "错误：参数 --mode 的值 'fast' 无效，可选：hybrid、bm25、dense（用 tool --help 查看用法）\n"),
    (["--backend", "x"], "错误：参数 --backend 的值 'x' 无效，可选：embedded、milvus（用 tool --help 查看用法）\n"),
    (["--set"], "错误：参数 --set 后面缺少值（用 tool --help 查看用法）\n"),
    (["问题", "--fast"], "错误：无法识别的参数 --fast（用 tool --help 查看用法）\n"),
    ([], "错误：缺少参数 question（用 tool --help 查看用法）\n"),
])
def test_command_parser_says_argument_errors_in_chinese_and_exits_2(argv, message, capsys):
    parser = CommandParser(prog="tool")
    parser.add_argument("question")
    parser.add_argument("-k", "--top-k", type=int)
    parser.add_argument("--weight", type=float)
    parser.add_argument("--mode", choices=MODES)
    add_common_arguments(parser)
    with pytest.raises(SystemExit) as caught:
        parser.parse_args(argv)
    assert caught.value.code == 2
    assert capsys.readouterr() == ("", message)


@pytest.mark.parametrize("command", [["app.py"], ["-m", "index"], ["-m", "index", "build"], ["-m", "retriever"],
                                     ["-m", "office.users"], ["eval/evaluate.py"]])
def test_every_command_help_is_framed_in_chinese(command):
    """`--help` printed argparse's English frame: "usage:", "options:", "show this help message and exit"."""
    run = subprocess.run([sys.executable, *command, "--help"], capture_output=True, text=True, cwd=PROJECT_ROOT,
                         timeout=120)
    assert run.returncode == 0 and run.stdout.startswith("用法：python ")
    assert "\n选项：\n" in run.stdout and "显示本帮助并退出" in run.stdout and "选项:" not in run.stdout
    assert not any(word in run.stdout for word in ("usage:", "options:", "show this help", "positional", "env "))


def test_a_bad_setting_is_one_chinese_line_on_stderr_and_no_settings(capsys):
    parser = CommandParser(prog="tool")
    add_common_arguments(parser)
    assert command_settings(parser.parse_args(["--set", "top_k=many"])) is None
    assert capsys.readouterr().err == "错误：设置 --set top_k 的值 'many' 无效：应为整数\n"


def test_chunks_piped_into_head_end_quietly():
    """`python -m index chunks --jsonl | head -1` ended with a BrokenPipeError traceback."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("REPORTQA_")}
    run = subprocess.run(["bash", "-c", f"set -o pipefail; '{sys.executable}' -m index chunks --jsonl | head -1"],
                         cwd=PROJECT_ROOT, env=clean, capture_output=True, text=True, timeout=120)
    assert run.stderr == "" and run.returncode == PIPE_CLOSED == 141
    assert run.stdout.count("\n") == 1 and run.stdout.startswith('{"id": ')


@pytest.mark.parametrize("code", ["print('done')", "print('x' * 200_000)"], ids=["short", "long"])
def test_a_reader_that_closes_early_ends_a_command_quietly_whatever_it_writes(code):
    """The pipe closed before the command prints (short output: it fails at the final flush) or while it prints."""
    script = f"import sys, time\nfrom core.cli import run_command\ntime.sleep(0.5)\nrun_command(lambda: {code} or 0)\n"
    process = subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    process.stdout.close()  # the reader has gone before the first line
    assert process.wait(timeout=60) == PIPE_CLOSED and process.stderr.read() == ""
    process.stderr.close()
