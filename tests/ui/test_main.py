"""``python app.py`` that cannot start says why in Chinese and exits 2, without a traceback (real subprocesses)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from core.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow  # four real `python app.py` processes, ~10 s each to load the libraries


def finish(process: subprocess.Popen) -> tuple[int, str]:
    """Wait for the process: its exit code and standard error."""
    _, stderr = process.communicate(timeout=300)
    return process.returncode, stderr


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Start every failing case at once (each loads the libraries for ~10 s); their (returncode, stderr)."""
    tmp = tmp_path_factory.mktemp("startup")
    (tmp / "empty").mkdir()
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    cases = {
        "model": ({"REPORTQA_MODEL": "/nonexistent", "REPORTQA_INDEX_DIR": str(tmp / "i1")}, []),
        "empty corpus": ({"REPORTQA_CORPUS": str(tmp / "empty"), "REPORTQA_INDEX_DIR": str(tmp / "i2")}, []),
        "port in use": ({}, ["--port", str(busy.getsockname()[1])]),
        "no login on the network": ({"REPORTQA_DATA_DIR": str(tmp / "data")}, ["--host", "0.0.0.0"]),
    }
    clean = {key: value for key, value in os.environ.items() if not key.startswith("REPORTQA_")}
    processes = {
        name: subprocess.Popen([sys.executable, "app.py", *args], cwd=PROJECT_ROOT, env=clean | env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name, (env, args) in cases.items()
    }
    try:
        yield {name: finish(process) for name, process in processes.items()}
    finally:
        busy.close()
        for process in processes.values():
            process.kill()


@pytest.mark.parametrize("case, message", [
    ("model", "无法加载嵌入模型 '/nonexistent'：路径不存在"),
    ("empty corpus", "中没有可用的报告文本"),
    ("port in use", "无法在 127.0.0.1:"),  # loopback by default
    ("no login on the network", "没有设置登录，不能在地址 0.0.0.0（其他电脑可以访问）上提供服务"),
])
def test_start_up_failure_gives_a_chinese_message_and_exit_code_2(runs, case, message):
    returncode, stderr = runs[case]
    assert returncode == 2 and "错误：" in stderr and message in stderr
    assert "Traceback" not in stderr and "GRADIO_SERVER_PORT" not in stderr  # no English hint of Gradio's


def test_the_app_process_loads_models_offline():
    code = "import ui.main, huggingface_hub.constants as c; print(c.HF_HUB_OFFLINE)"
    clean = {key: value for key, value in os.environ.items() if key != "HF_HUB_OFFLINE"}
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=clean, capture_output=True, text=True,
                            timeout=120, check=True)
    assert result.stdout.strip() == "True"
