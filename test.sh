#!/usr/bin/env bash
# Set up .venv with the test tools (if needed), lint (ruff, then the import layers of
# pyproject.toml), run the whole test suite (one worker per core, at most 4, each test file
# on one worker; the 15 slowest tests are listed), then the retrieval and answer evaluation against
# its floors (eval/floors.toml; the report goes to a temporary folder, so the committed
# eval/report.md changes only when a maintainer runs eval/evaluate.py), and against the committed
# eval/report.md: its figures must be what this fresh index measures. Quick run without the
# slow and browser tests:
#   .venv/bin/python -m pytest -q -m "not slow and not browser"
set -euo pipefail
cd "$(dirname "$0")"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
.venv/bin/ruff check .
.venv/bin/lint-imports --no-cache
.venv/bin/python -m pytest -q --numprocesses=auto --maxprocesses=4 --dist=loadfile --durations=15 "$@"
.venv/bin/python eval/evaluate.py --check-floors --check-report eval/report.md --out "$(mktemp -d)"
