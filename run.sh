#!/usr/bin/env bash
# Set up .venv (if needed), build or update the index, then search the reports.
# Usage: bash run.sh ["问题"]   (without a question: an interactive prompt)
set -euo pipefail
cd "$(dirname "$0")"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
.venv/bin/python -m index build
exec .venv/bin/python app.py "$@"
