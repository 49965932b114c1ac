#!/usr/bin/env bash
# Set up .venv with the test tools (if needed), lint, run the test suite, then
# the retrieval evaluation against its floors (eval/floors.toml).
set -euo pipefail
cd "$(dirname "$0")"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
.venv/bin/ruff check .
.venv/bin/python -m pytest -q "$@"
.venv/bin/python eval/evaluate.py --check-floors
