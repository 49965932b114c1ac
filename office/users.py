"""Command line for accounts: create the first admin, add readers, reset passwords, change roles, list, remove.

    python -m office.users add 王芳 --role admin        # asks for the password twice (not echoed)
    python -m office.users add 李明                     # a reader
    echo "$PASSWORD" | python -m office.users reset-password 李明 --password-stdin
    python -m office.users set-role 李明 admin
    python -m office.users list
    python -m office.users remove 李明

The accounts live in ``<data_dir>/users.sqlite3`` (``REPORTQA_DATA_DIR`` or
``--set data_dir=…``); every change is written to the audit log as done by
``命令行:<system user>``. Passwords are read with ``getpass`` from the terminal, or
one line from standard input with ``--password-stdin``; they are never printed or
logged. Exit codes: 0 done, 1 refused (say, the name exists), 2 bad settings or usage.
A running app that started without any login needs a restart to ask for one.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from core.cli import CommandParser, add_common_arguments, run_command, settings_from_args
from core.errors import AccountError, ConfigError
from core.settings import Settings
from office.accounts import ROLES, Accounts
from office.audit import AuditLog

CLIENT = "本机命令行"


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m office.users``."""
    parser = CommandParser(prog="python -m office.users", description="报告问答：管理账号")
    add_common_arguments(parser)
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="新建账号")
    add.add_argument("name", help="用户名")
    add.add_argument("--role", choices=list(ROLES), default="reader",
                     help="角色：reader（读者，默认）或 admin（管理员）")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取一行作为密码")
    reset = commands.add_parser("reset-password", help="重设密码")
    reset.add_argument("name")
    reset.add_argument("--password-stdin", action="store_true", help="从标准输入读取一行作为密码")
    role = commands.add_parser("set-role", help="修改角色")
    role.add_argument("name")
    role.add_argument("role", choices=list(ROLES))
    remove = commands.add_parser("remove", help="删除账号")
    remove.add_argument("name")
    commands.add_parser("list", help="列出账号")
    args = parser.parse_args(argv)
    try:
        settings = settings_from_args(args)
        return run(args, settings)
    except ConfigError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    except AccountError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    except (EOFError, KeyboardInterrupt):
        print("\n已取消，账号未改变。", file=sys.stderr)
        return 1


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Carry out one command."""
    accounts = Accounts(settings)
    audit = AuditLog.open(settings)
    by = f"命令行:{_system_user()}"
    if args.command == "list":
        print(listing(accounts))
        return 0
    if args.command == "add":
        password = read_password(args.password_stdin, settings.password_min_chars)
        account = accounts.add(args.name, password, args.role)
        audit.write("user_add", by, CLIENT, target=account.name, role=account.role)
        print(f"已新建账号 {account.name}（{ROLES[account.role]}），账号文件：{accounts.path}")
        if not accounts.settings.user:
            print("提示：若应用已在运行且启动时没有任何账号，请重启应用，登录才会生效。")
    elif args.command == "reset-password":
        accounts.stored_account(args.name)  # an unknown name is refused before the prompt
        password = read_password(args.password_stdin, settings.password_min_chars)
        accounts.set_password(args.name, password)
        audit.write("user_password", by, CLIENT, target=args.name.strip())
        print(f"已重设 {args.name.strip()} 的密码。正在运行的应用会在该账号已有登录的下一次操作时结束它，"
              "须用新密码重新登录。")
    elif args.command == "set-role":
        account = accounts.set_role(args.name, args.role)
        audit.write("user_role", by, CLIENT, target=account.name, role=account.role)
        print(f"{account.name} 现在是{ROLES[account.role]}")
    elif args.command == "remove":
        accounts.remove(args.name)
        audit.write("user_remove", by, CLIENT, target=args.name.strip())
        print(f"已删除账号 {args.name.strip()}；正在运行的应用会立即拒绝它的任何操作。")
    return 0


def read_password(from_stdin: bool, min_chars: int) -> str:
    """The new password: one line of standard input, or typed twice at a terminal prompt (never echoed)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise AccountError("请在终端中运行以输入密码，或加 --password-stdin 从标准输入读取")
    first = getpass.getpass(f"新密码（至少 {min_chars} 个字符，输入时不显示）：")
    if getpass.getpass("再输入一次：") != first:
        raise AccountError("两次输入的密码不一致，账号未改变")
    return first


def listing(accounts: Accounts) -> str:
    """The accounts as a small table (no hashes)."""
    rows = accounts.everyone()
    if not rows:
        return f"还没有账号（{accounts.path}）。新建第一个管理员：python -m office.users add 用户名 --role admin"
    lines = ["用户名\t角色\t建立时间\t修改时间\t来源"]
    for a in rows:
        source = "环境变量 REPORTQA_USER" if a.source == "env" else "账号文件"
        lines.append(f"{a.name}\t{ROLES[a.role]}\t{a.created_at or '-'}\t{a.updated_at or '-'}\t{source}")
    return "\n".join(lines)


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"


if __name__ == "__main__":
    run_command(main)
