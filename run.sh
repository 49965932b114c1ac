#!/usr/bin/env bash
# Set up .venv (if needed), build or update the index, then start the web app (http://127.0.0.1:7860).
# Usage: bash run.sh [--host 0.0.0.0] [--port 8080] [--share] [--corpus DIR] [--index-dir DIR] [--model M]
#                    [--backend B] [--set NAME=VALUE ...]   (arguments go to app.py)
# The index build gets the same arguments except the server's own (--host, --port, --share), so it builds
# (and, with --backend milvus, syncs) the index the app then opens.
# In an offline bundle (bash bundle.sh) it installs the requirements from the bundle's wheels/ alone.
set -euo pipefail
cd "$(dirname "$0")"
if [ -f wheels/TARGET ]; then  # an offline bundle (bundle.sh): install from its wheels alone, never the network
    here=$(python3 -c "import platform, sys; print(f'{sys.version_info[0]}.{sys.version_info[1]} {platform.machine()}')")
    if [ "$here" != "$(cat wheels/TARGET)" ]; then
        echo "错误：离线安装包是为 Python $(cat wheels/TARGET) 打的，这台电脑是 Python $here；" \
             "请在与本机相同系统和 Python 版本的联网电脑上重新运行 bash bundle.sh" >&2
        exit 2
    fi
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/python -m pip install -q --disable-pip-version-check --no-index --find-links wheels -r requirements.txt
else
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
fi
build_args=()
build=1
skip_value=0
for arg in "$@"; do
    if [ "$skip_value" = 1 ]; then skip_value=0; continue; fi
    case "$arg" in
        --host|--port) skip_value=1 ;;
        --host=*|--port=*|--share) ;;
        -h|--help) build=0 ;;  # app.py prints its usage; nothing to build
        *) build_args+=("$arg") ;;
    esac
done
if [ "$build" = 1 ]; then
    .venv/bin/python -m index build ${build_args[@]+"${build_args[@]}"}
fi
exec .venv/bin/python app.py "$@"
