#!/usr/bin/env bash
# Set up .venv (if needed), build or update the index, then start the web app (http://127.0.0.1:7860).
# Usage: bash run.sh [--host 0.0.0.0] [--port 8080] [--share] [--corpus DIR] [--index-dir DIR] [--model M]
#                    [--backend B] [--set NAME=VALUE ...]   (arguments go to app.py)
# The index build gets the same arguments except the server's own (--host, --port, --share), so it builds
# (and, with --backend milvus, syncs) the index the app then opens.
# In an offline bundle (bash bundle.sh) it installs the requirements from the bundle's wheels/ alone.
set -euo pipefail
cd "$(dirname "$0")"
for arg in "$@"; do  # --help says what run.sh does before installing anything
    case "$arg" in
        -h|--help)
            sed -n '2,7p' "$0" | cut -c3-
            if [ -x .venv/bin/python ] && .venv/bin/python -c 'import gradio' >/dev/null 2>&1; then
                echo
                exec .venv/bin/python app.py --help
            fi
            echo "（app.py 的全部参数在依赖装好后可见：.venv/bin/python app.py --help）"
            exit 0 ;;
    esac
done
fail() {  # one Chinese line on standard error (the parts joined without spaces), exit code 2
    local IFS=
    echo "错误：$*" >&2
    exit 2
}
python=${PYTHON:-python3}  # PYTHON=python3.11 bash run.sh where python3 is another version
command -v "$python" >/dev/null || fail "没有找到 $python；请安装 Python 3.11，或用 PYTHON=… 指定它"
"$python" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' \
    || fail "需要 Python 3.11 或更新（$python 是 $("$python" --version 2>&1)）；" \
            "装好 Python 3.11 后用 PYTHON=python3.11 bash run.sh 运行"
make_venv() {  # .venv with pip, or a Chinese reason (Debian leaves a .venv without pip when python3-venv is missing)
    [ -x .venv/bin/python ] && return 0
    if ! "$python" -m venv .venv >/dev/null 2>&1; then
        rm -rf .venv
        fail "无法建立虚拟环境 .venv：系统缺少 Python 的 venv 模块（Debian/Ubuntu：apt install python3-venv）"
    fi
    fresh=1
}
fresh=0
if [ -x .venv/bin/python ] && ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
    fail "虚拟环境 .venv 不完整（没有 pip），多半是建立时系统缺少 venv 模块：" \
         "请安装它（Debian/Ubuntu：apt install python3-venv），删除 .venv 文件夹后重新运行 bash run.sh"
fi
if [ -f wheels/TARGET ]; then  # an offline bundle (bundle.sh): install from its wheels alone, never the network
    here=$("$python" -c "import platform, sys; print(f'{sys.version_info[0]}.{sys.version_info[1]} {platform.machine()}')")
    [ "$here" = "$(head -1 wheels/TARGET)" ] \
        || fail "离线安装包是为 Python $(head -1 wheels/TARGET) 打的，这台电脑是 Python $here；" \
                "请在与本机相同系统和 Python 版本的联网电脑上重新运行 bash bundle.sh（或用 PYTHON=… 指定本机的 Python）"
    needed=$(sed -n 's/^glibc //p' wheels/TARGET)
    if [ -n "$needed" ] && ! "$python" - "$needed" <<'PY'
import platform, sys
name, version = platform.libc_ver()
need = tuple(int(p) for p in sys.argv[1].split("."))
sys.exit(name == "glibc" and tuple(int(p) for p in version.split(".")[:2]) < need)
PY
    then
        fail "离线安装包里的依赖需要 glibc $needed 或更新，这台电脑的系统较旧" \
             "（$("$python" -c "import platform; print(' '.join(platform.libc_ver()))")）；" \
             "请换用较新的 Linux，或在与本机相同的系统上重新运行 bash bundle.sh"
    fi
    make_venv
    [ "$fresh" = 0 ] || echo "正在从离线安装包安装依赖（首次约 1–2 分钟）…"
    .venv/bin/python -m pip install -q --disable-pip-version-check --no-index --find-links wheels -r requirements.txt
else
    make_venv
    [ "$fresh" = 0 ] || echo "正在安装依赖（首次需要几分钟）…"
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
fi
build_args=()
skip_value=0
for arg in "$@"; do
    if [ "$skip_value" = 1 ]; then skip_value=0; continue; fi
    case "$arg" in
        --host|--port) skip_value=1 ;;
        --host=*|--port=*|--share) ;;
        *) build_args+=("$arg") ;;
    esac
done
.venv/bin/python -m index build ${build_args[@]+"${build_args[@]}"}
exec .venv/bin/python app.py "$@"
