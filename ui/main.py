"""Start the app: settings from environment and flags, open the index, serve the pages on loopback by default.

    python app.py [--host 127.0.0.1] [--port 7860] [--share] [--corpus DIR] [--index-dir DIR] [--set FIELD=VALUE]

Start-up failures (no readable report, a damaged index that cannot be rebuilt, a
wrong model path, a busy port, an address other PCs reach without a login) print one Chinese line and
exit with 2.
"""

from __future__ import annotations

import sys

from core.cli import CommandParser, add_common_arguments, command_settings
from core.errors import ReportQAError
from index.build import INTERRUPTED
from retriever.answer.service import AnswerService
from ui.server import start


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python app.py``; 0 when the server stops, 2 on a start-up error, 130 on Ctrl-C."""
    parser = CommandParser(prog="python app.py", description="报告问答：聊天界面", allow_abbrev=False)
    parser.add_argument("--host", help="监听地址（默认 127.0.0.1，环境变量 REPORTQA_HOST）")
    parser.add_argument("--port", type=int, help="端口（默认 7860，环境变量 REPORTQA_PORT）")
    parser.add_argument("--share", action="store_true", help="生成公开分享链接（默认不生成）")
    add_common_arguments(parser)
    args = parser.parse_args(argv)
    settings = command_settings(args)  # a bad setting is said on its own, not as a failure to open the index
    if settings is None:
        return 2
    try:
        service = AnswerService.open(settings)
    except (OSError, ReportQAError) as error:
        print(f"错误：无法载入或建立索引，程序未启动。\n{error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130
    try:
        start(service, settings.host, settings.port, share=args.share)
    except ReportQAError as error:  # e.g. other PCs could reach the pages and no login is set
        print(f"错误：{error}", file=sys.stderr)
        return 2
    except OSError:  # Gradio's own English text about GRADIO_SERVER_PORT is left out: the line says what to do
        print(f"错误：无法在 {settings.host}:{settings.port} 上启动服务（端口被占用或地址不可用）；"
              "请换一个端口（--port 或 REPORTQA_PORT），或先停掉占用它的程序。", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
