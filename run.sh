#!/usr/bin/env bash
# Set up .venv (if needed), build or update the index, then start the web app (http://127.0.0.1:7860).
# Usage: bash run.sh [--host 0.0.0.0] [--port 8080] [--set NAME=VALUE ...]   (arguments go to app.py)
set -euo pipefail
cd "$(dirname "$0")"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
.venv/bin/python -m index build
exec .venv/bin/python app.py "$@"
