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


def test_a_started_app_says_where_it_runs_in_chinese_and_no_english_gradio_lines(tmp_path):
    """Gradio printed "* Running on local URL" and "To create a public link, set `share=True` in `launch()`"."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clean = {key: value for key, value in os.environ.items() if not key.startswith("REPORTQA_")}
    process = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=PROJECT_ROOT,
                               env=clean | {"REPORTQA_DATA_DIR": str(tmp_path)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    said = []
    try:
        for line in process.stdout:  # an index build, if one is due, speaks first
            said.append(line)
            if line.startswith("报告问答已启动"):
                break
        assert said[-1] == f"报告问答已启动：http://127.0.0.1:{port}/（只有本机能访问；按 Ctrl+C 停止）\n"
    finally:
        process.terminate()
        said.append(process.communicate(timeout=60)[0])
    assert not any("Running on" in line or "share=True" in line for line in said), said
