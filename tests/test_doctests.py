"""Every ``>>>`` example in the source packages runs and gives the output it shows.

Examples are found by reading the files, so a new ``>>>`` anywhere in these packages is run
too; an example that only shows usage (undefined names, a built index, a server) is written
as a plain ``Usage::`` block without ``>>>`` instead.
"""

from __future__ import annotations

import doctest
import importlib

import pytest

from core.settings import PROJECT_ROOT

PACKAGES = ("core", "index", "retriever", "eval", "ui", "office")


def modules_with_examples() -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            relative = path.relative_to(PROJECT_ROOT).as_posix()
            if ">>>" not in path.read_text(encoding="utf-8"):
                continue
            found.append(relative.removesuffix(".py").removesuffix("/__init__").replace("/", "."))
    return found


MODULES = modules_with_examples()


def test_examples_are_found():
    assert {"core.settings", "core.errors", "index.text.records", "retriever.fuse"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_module_examples_run(name: str):
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    examples = 0
    for test in doctest.DocTestFinder().find(module, name):
        examples += len(test.examples)
        runner.run(test, out=report.append)
    assert examples > 0, f"{name} has '>>>' in its text but no example doctest can find"
    assert runner.failures == 0, "".join(report)
