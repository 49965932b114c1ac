"""``bash bundle.sh`` packs the app for a PC without internet, and ``bash run.sh`` in the unpacked bundle installs
from its wheels alone and serves answers (real pip, real wheels, a real app process on loopback).

The unpacked bundle's pip is given no configuration file, no extra wheel folder and an index address that does not
answer, so an install that needs anything from the network fails here as it would on the intranet.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tarfile
import time
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

from core.settings import PROJECT_ROOT
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


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """``bash bundle.sh --with-index`` run in the project, its archive unpacked; the unpacked folder."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(["bash", "bundle.sh", "--with-index", "--out", str(out)], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "已生成离线安装包" in result.stdout
    (archive,) = out.glob("baogao-wenda-*.tar")
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
        assert (bundle / "data" / "index" / "CURRENT").read_text(encoding="utf-8") == live  # the packed index, as is
        assert (bundle / ".venv" / "bin" / "python").is_file()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def test_run_sh_refuses_a_bundle_for_another_python_in_chinese_before_installing(tmp_path):
    (tmp_path / "wheels").mkdir()
    (tmp_path / "wheels" / "TARGET").write_text("3.99 x86_64\n", encoding="utf-8")
    (tmp_path / "run.sh").write_bytes((PROJECT_ROOT / "run.sh").read_bytes())
    result = subprocess.run(["bash", "run.sh"], cwd=tmp_path, env=clean_environment(**OFFLINE), capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    assert "离线安装包是为 Python 3.99 x86_64 打的" in result.stderr and "bash bundle.sh" in result.stderr
    assert not (tmp_path / ".venv").exists()


def test_bundle_sh_refuses_an_unknown_argument_in_chinese():
    result = subprocess.run(["bash", "bundle.sh", "--wiht-index"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "不认识的参数 --wiht-index" in result.stderr
