"""``python -m retriever`` with a question file it cannot read or a filter the index does not hold: one Chinese line.

A typo in ``--file`` or ``--report`` must not read as a question the reports do not answer; the real index is used.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import PIPE_CLOSED
from core.settings import PROJECT_ROOT
from retriever.__main__ import main as retriever_main

FILE_003 = "003_2024年度社区建设调研报告（精选30篇）.txt"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Exit code, standard output and standard error of the command line."""
    code = retriever_main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def gbk_file(folder: Path) -> Path:
    """A question file saved in GBK (as Windows Notepad may)."""
    path = folder / "questions.txt"
    path.write_bytes("哪些社区办公用房不达标\n".encode("gbk"))
    return path


@pytest.mark.parametrize("make, message", [
    (lambda tmp: tmp / "nosuch.txt", "错误：找不到问题文件 {path}\n"),
    (lambda tmp: tmp, "错误：{path} 是文件夹，不是问题文件\n"),
    (gbk_file, "错误：问题文件 {path} 不是 UTF-8 编码的文本\n"),
], ids=["missing", "folder", "not UTF-8"])
def test_unreadable_question_file_is_said_in_chinese(tmp_path: Path, capsys, make, message):
    path = make(tmp_path)
    assert run(capsys, "--batch", str(path), "--json") == (2, "", message.format(path=path))


def test_unknown_file_is_named_not_answered_as_nothing_found(retriever, capsys):
    code, out, err = run(capsys, "社区", "--file", "nosuch.txt")
    assert (code, out) == (2, "")
    assert err.startswith("错误：索引中没有文件 nosuch.txt（索引中的文件：") and FILE_003 in err


@pytest.mark.parametrize("number", [99, 0])
def test_report_number_beyond_the_file_is_named(retriever, capsys, number):
    code, out, err = run(capsys, "社区", "--report", f"{FILE_003}#{number}")
    assert (code, out) == (2, "")
    assert err == f"错误：文件 {FILE_003} 只有 30 篇报告（序号 1—30），没有第 {number} 篇\n"
    code, _, err = run(capsys, "社区", "--report", f"nosuch.txt#{number}")
    assert code == 2 and err.startswith("错误：索引中没有文件 nosuch.txt")


def test_filters_the_index_holds_still_search(retriever, capsys):
    code, out, _ = run(capsys, "社区", "--json", "-k", "3", "--file", FILE_003, "--report", f"{FILE_003}#30")
    hits = json.loads(out)
    assert code == 0 and len(hits) == 3 and {hit["file"] for hit in hits} == {FILE_003}


def test_answer_prints_the_cited_answer_with_each_quotes_source(retriever, capsys):
    code, out, err = run(capsys, "--answer", "哪些社区办公用房不达标")
    assert code == 0 and err == "" and out.startswith("问题：哪些社区办公用房不达标\n")
    answer, _, sources = out.partition("\n出处：\n")
    assert "截山社区办公用房仅144平方米" in answer and "鱼儿山社区" in answer
    lines = sources.strip().splitlines()
    assert lines and all(line.startswith(f"[{n}] （来源：《") for n, line in enumerate(lines, start=1))
    assert any("二、存在问题 > 3、社区办公用房尚未达标" in line and line.endswith("第595行）") for line in lines)


def test_answer_as_json_says_found_and_keeps_to_the_chosen_reports(retriever, capsys):
    code, out, _ = run(capsys, "--answer", "--json", "社区图书馆几点开门")
    refused = json.loads(out)
    assert code == 0 and refused["found"] is False and refused["answer"].startswith("报告中未找到关于“图书馆、开门”")
    code, out, _ = run(capsys, "--answer", "--json", "社区办公用房不达标", "--file", FILE_003, "--report",
                       "000_基层政权和社区建设情况调研报告（4篇）.txt#1")
    reply = json.loads(out)
    assert code == 0 and reply["found"] and reply["sources"]
    assert {s["file"] for s in reply["sources"]} <= {FILE_003, "000_基层政权和社区建设情况调研报告（4篇）.txt"}
    assert all(s["quoted"]["line_start"] >= s["line_start"] for s in reply["sources"])
    code, out, _ = run(capsys, "--answer", "--json", "社区办公用房不达标", "--report", f"{FILE_003}#10")
    assert code == 0 and {(s["file"], s["report"]) for s in json.loads(out)["sources"]} == {(FILE_003, 10)}


def test_batch_json_piped_into_a_reader_that_stops_early_ends_quietly(retriever, tmp_path):
    """`python -m retriever --batch … --json | head -1` ended with a BrokenPipeError traceback."""
    questions = tmp_path / "questions.txt"
    questions.write_text("哪些社区办公用房不达标\n社区工作者待遇怎么样\n" * 20, encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("REPORTQA_")}
    process = subprocess.Popen([sys.executable, "-m", "retriever", "--batch", str(questions), "--json", "-k", "10"],
                               cwd=PROJECT_ROOT, env=clean, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = json.loads(process.stdout.readline())
    process.stdout.close()  # like head -1
    assert process.wait(timeout=120) == PIPE_CLOSED
    assert len(first) == 10 and process.stderr.read() == b""
    process.stderr.close()
