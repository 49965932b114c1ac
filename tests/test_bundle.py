"""``bash bundle.sh`` packs the app for a PC without internet, and ``bash run.sh`` in the unpacked bundle installs
from its wheels alone and serves answers (real pip, real wheels, a real app process on loopback).

The unpacked bundle's pip is given no configuration file, no extra wheel folder and an index address that does not
answer, so an install that needs anything from the network fails here as it would on the intranet.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

from core.settings import PROJECT_ROOT
from index.store import read_manifest
from tests.helpers import free_port

pytestmark = pytest.mark.slow  # downloads ~550 MB of wheels, installs them into a fresh venv, starts the app

OFFLINE = {"PIP_CONFIG_FILE": os.devnull, "PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_NO_CACHE_DIR": "1"}
"""pip settings of a PC without internet: no pip.conf, no cache, an index that does not answer."""


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without the app's settings and pip's own ones, plus ``extra``."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("REPORTQA_", "PIP_", "VIRTUAL_ENV"))}
    return keep | extra


def requirement_names(path: Path) -> set[str]:
    """The normalised names of a requirements file's pinned packages."""
    lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return {re.sub(r"[-_.]+", "-", line.split("==")[0]).lower() for line in lines if "==" in line}


ADDED_REPORT = "100_关于社区老年食堂建设的调研报告.txt"
ADDED_TEXT = """关于社区老年食堂建设的调研报告
一、基本情况
全区已建成社区老年食堂12个，每餐补贴3元，日均就餐老人860人次，基本覆盖了城区的独居和高龄老人。
二、存在的问题
部分老年食堂运营经费不足，厨师招聘困难，午餐以外的时段难以开放。
"""
"""A report an office adds by copying it into corpus/: git does not track it, the bundle must still carry it."""


def project_copy(target: Path) -> Path:
    """The working tree as git lists it, committed into a new repository at ``target``, with the project's venv
    (linked) and built index (copied): bundle.sh runs there as in a clone, without touching the real project."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode("utf-8").split("\0")):
        if (PROJECT_ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT_ROOT / name, target / name)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@localhost"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "copy"]):
        subprocess.run(git + command, cwd=target, check=True, capture_output=True)
    (target / ".venv").symlink_to(PROJECT_ROOT / ".venv")
    shutil.copytree(PROJECT_ROOT / "data" / "index", target / "data" / "index")
    return target


@pytest.fixture(scope="module")
def bundle(retriever, tmp_path_factory) -> Path:
    """``bash bundle.sh --with-index`` run in a copy of the project with one untracked report added, its archive
    unpacked; the unpacked folder. (``retriever`` makes sure data/index is built.)"""
    project = project_copy(tmp_path_factory.mktemp("project"))
    (project / "corpus" / ADDED_REPORT).write_text(ADDED_TEXT, encoding="utf-8")
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(["bash", "bundle.sh", "--with-index", "--out", str(out)], cwd=project,
                            capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "已生成离线安装包" in result.stdout and "1 个报告文件不在 git 里，也已打包" in result.stdout
    (archive,) = out.glob("baogao-wenda-*.tar")
    assert re.fullmatch(r"baogao-wenda-\d{8}-\d{4}-[0-9a-f]{7,}\.tar", archive.name)  # newest sorts last
    unpacked = tmp_path_factory.mktemp("intranet-pc")
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    return unpacked / "baogao-wenda"


def test_the_bundle_holds_the_code_the_reports_a_wheel_for_every_requirement_and_the_index(bundle):
    wheels = bundle / "wheels"
    assert sorted(p.name for p in wheels.iterdir() if not p.name.endswith(".whl")) == ["TARGET"]
    built = {re.sub(r"[-_.]+", "-", p.name.split("-")[0]).lower() for p in wheels.glob("*.whl")}
    assert requirement_names(PROJECT_ROOT / "requirements.txt") <= built  # jieba, an sdist on PyPI, too
    for report in (PROJECT_ROOT / "corpus").iterdir():
        assert (bundle / "corpus" / report.name).read_bytes() == report.read_bytes()
    assert (bundle / "corpus" / ADDED_REPORT).read_text(encoding="utf-8") == ADDED_TEXT  # untracked, still packed
    manifest = read_manifest(bundle / "data" / "index")
    assert sorted(manifest.files) == sorted(p.name for p in (bundle / "corpus").iterdir())  # index = reports
    assert (wheels / "TARGET").read_text(encoding="utf-8").splitlines()[1].startswith("glibc 2.")
    assert (bundle / "app.py").is_file() and (bundle / "run.sh").is_file() and (bundle / "bundle.sh").is_file()
    assert (bundle / "data" / "index" / "CURRENT").is_file()
    assert sorted(p.name for p in (bundle / "data").iterdir()) == ["index"]  # no accounts, audit log or history
    assert not (bundle / ".venv").exists()


def test_run_sh_in_the_bundle_installs_offline_and_answers_with_citations(bundle):
    live = (bundle / "data" / "index" / "CURRENT").read_text(encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(["bash", "run.sh", "--port", str(port)], cwd=bundle, env=clean_environment(**OFFLINE),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            assert process.poll() is None, process.stdout.read()[-3000:]
            try:
                if httpx.get(url, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(2)
        else:
            pytest.fail("打包后的应用没有在 15 分钟内启动")
        answer, sources, found = Client(url, verbose=False).predict("哪些社区办公用房不达标", api_name="/ask")
        assert found is True and "截山社区办公用房仅144平方米" in answer and "[1]" in answer
        assert all((bundle / "corpus" / source["file"]).is_file() for source in sources)
        added, _, found = Client(url, verbose=False).predict("社区老年食堂每餐补贴多少", api_name="/ask")
        assert found is True and "每餐补贴3元" in added  # the report added by copying, packed and indexed
        assert (bundle / "data" / "index" / "CURRENT").read_text(encoding="utf-8") == live  # the packed index, as is
        assert (bundle / ".venv" / "bin" / "python").is_file()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def run_sh_in(folder: Path, target: str | None = None, *args: str, **env: str) -> subprocess.CompletedProcess:
    """``bash run.sh [args]`` in ``folder`` holding only run.sh (and ``wheels/TARGET`` with ``target``), pip offline."""
    (folder / "run.sh").write_bytes((PROJECT_ROOT / "run.sh").read_bytes())
    if target is not None:
        (folder / "wheels").mkdir(exist_ok=True)
        (folder / "wheels" / "TARGET").write_text(target, encoding="utf-8")
    return subprocess.run(["bash", "run.sh", *args], cwd=folder, env=clean_environment(**OFFLINE, **env),
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("target, message", [
    ("3.99 x86_64\nglibc 2.17\n", "离线安装包是为 Python 3.99 x86_64 打的，这台电脑是 Python 3.11"),
    ("{here}\nglibc 2.999\n", "离线安装包里的依赖需要 glibc 2.999 或更新，这台电脑的系统较旧（glibc 2."),
])
def test_run_sh_refuses_a_bundle_for_another_system_in_chinese_before_installing(tmp_path, target, message):
    here = f"3.11 {platform.machine()}"
    result = run_sh_in(tmp_path, target.format(here=here))
    assert result.returncode == 2 and message in result.stderr and "bash bundle.sh" in result.stderr
    assert result.stderr.count("\n") == 1 and "； " not in result.stderr  # one line, no stray space
    assert not (tmp_path / ".venv").exists()


def test_run_sh_names_a_python_too_old_and_a_venv_without_pip(tmp_path):
    old = tmp_path / "python3.9"  # a stand-in interpreter that says it is 3.9 and fails the version check
    old.write_text("#!/bin/sh\n[ \"$1\" = --version ] && echo 'Python 3.9.18' && exit 0\nexit 1\n", encoding="utf-8")
    old.chmod(0o755)
    result = run_sh_in(tmp_path, PYTHON=str(old))
    assert result.returncode == 2
    assert "需要 Python 3.11 或更新" in result.stderr and "Python 3.9.18" in result.stderr
    assert "没有找到 nosuch" in run_sh_in(tmp_path, PYTHON="nosuch").stderr
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / ".venv")], check=True)
    broken = run_sh_in(tmp_path)  # what Debian leaves when python3-venv is missing
    assert broken.returncode == 2 and "虚拟环境 .venv 不完整（没有 pip）" in broken.stderr
    assert "删除 .venv" in broken.stderr


def test_run_sh_help_says_what_it_does_before_installing_anything(tmp_path):
    """`bash run.sh --help` used to make .venv and install every requirement before printing app.py's usage."""
    result = run_sh_in(tmp_path, None, "--help")
    assert result.returncode == 0 and result.stdout.startswith("Set up .venv (if needed)")
    assert "app.py 的全部参数在依赖装好后可见" in result.stdout and not (tmp_path / ".venv").exists()
    helped = subprocess.run(["bash", "run.sh", "-h"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert helped.returncode == 0 and "用法：python app.py" in helped.stdout  # with .venv ready: app.py's usage too


def test_bundle_sh_refuses_to_run_outside_its_own_repository(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)  # e.g. a home folder kept in git
    (tmp_path / "app").mkdir()
    shutil.copy(PROJECT_ROOT / "bundle.sh", tmp_path / "app" / "bundle.sh")
    result = subprocess.run(["bash", "app/bundle.sh"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "这里不是项目的 git 仓库" in result.stderr
    assert not (tmp_path / "app" / "dist").exists()


def test_bundle_sh_names_a_python_too_old_and_a_venv_without_pip(tmp_path):
    project = tmp_path / "app"
    project.mkdir()
    shutil.copy(PROJECT_ROOT / "bundle.sh", project / "bundle.sh")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    old = tmp_path / "python3.9"  # a stand-in interpreter that says it is 3.9 and fails the version check
    old.write_text("#!/bin/sh\n[ \"$1\" = --version ] && echo 'Python 3.9.18' && exit 0\nexit 1\n", encoding="utf-8")
    old.chmod(0o755)

    def bundle_sh(**env: str) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "bundle.sh"], cwd=project, env=clean_environment(**OFFLINE, **env),
                              capture_output=True, text=True, timeout=60)

    too_old = bundle_sh(PYTHON=str(old))
    assert too_old.returncode == 2 and "需要 Python 3.11 或更新（" in too_old.stderr and "3.9.18" in too_old.stderr
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(project / ".venv")], check=True)
    broken = bundle_sh()
    assert broken.returncode == 2 and "虚拟环境 .venv 不完整（没有 pip）" in broken.stderr
    assert "重新运行 bash bundle.sh" in broken.stderr and not (project / "dist").exists()


def test_bundle_sh_refuses_an_unknown_argument_in_chinese():
    result = subprocess.run(["bash", "bundle.sh", "--wiht-index"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "不认识的参数 --wiht-index" in result.stderr


def test_bundle_sh_help_is_its_usage_and_nothing_else():
    result = subprocess.run(["bash", "bundle.sh", "--help"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=60)
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and lines[0].startswith("Pack the app") and lines[-1].startswith("--with-index")
