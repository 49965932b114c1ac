"""The layers of pyproject.toml's import contracts hold, and a back-import breaks them; tests stay independent.

``lint-imports`` (import-linter) checks that data flows one way: corpus → text
processing → stored index → retrieval → answers → app / eval.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

from core.settings import PROJECT_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("core", "index", "retriever", "ui", "eval", "office")
LAYERS = "Layers: app/eval → answer → retrieval → stored index → text processing → core"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run ``lint-imports`` on the project at ``root`` (its pyproject.toml, its packages first on the path)."""
    env = os.environ | {"PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_import_contracts_hold():
    run = lint_imports(PROJECT_ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout and LAYERS in run.stdout


def test_a_back_import_from_the_index_into_retrieval_breaks_the_layers(tmp_path: Path):
    for package in PACKAGES:
        shutil.copytree(PROJECT_ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    assert lint_imports(tmp_path).returncode == 0  # the copy alone is as clean as the project
    with open(tmp_path / "index" / "store.py", "a", encoding="utf-8") as handle:
        handle.write("\nimport retriever.search  # noqa\n")
    run = lint_imports(tmp_path)
    output = run.stdout + run.stderr
    assert run.returncode != 0, output
    assert f"{LAYERS} BROKEN" in " ".join(output.split()), output
    assert "index.store -> retriever.search" in output


def test_no_test_module_imports_another_test_module():
    """Shared fixtures live in conftest.py files, shared helpers in tests/helpers.py."""
    offenders = []
    for path in (PROJECT_ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            for name in names:
                last = name.rsplit(".", 1)[-1]
                if name.startswith("tests") and (last.startswith("test_") or last == "conftest"):
                    offenders.append(f"{path.relative_to(PROJECT_ROOT)} imports {name}")
    assert offenders == []


def test_test_files_have_unique_names_and_mirror_the_packages():
    tests = PROJECT_ROOT / "tests"
    names = [path.name for path in tests.rglob("test_*.py")]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    for folder in [tests, *[p for p in tests.rglob("*") if p.is_dir() and p.name != "__pycache__"]]:
        if list(folder.glob("test_*.py")):
            assert (folder / "__init__.py").is_file(), folder
            relative = folder.relative_to(tests)
            assert relative == Path() or (PROJECT_ROOT / relative).is_dir(), f"tests/{relative} mirrors no package"
