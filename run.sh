#!/usr/bin/env bash
# Set up .venv (if needed), build or update the index, then start the web app (http://127.0.0.1:7860).
# Usage: bash run.sh [--host 0.0.0.0] [--port 8080] [--share] [--corpus DIR] [--index-dir DIR] [--model M]
#                    [--backend B] [--set NAME=VALUE ...]   (arguments go to app.py)
# The index build gets the same arguments except the server's own (--host, --port, --share), so it builds
# (and, with --backend milvus, syncs) the index the app then opens.
set -euo pipefail
cd "$(dirname "$0")"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
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
