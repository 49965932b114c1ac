"""README is the user's reference: its configuration table lists every setting with its actual default."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT, Settings

EMPTY = {"empty", "off"}
"""How the table writes an empty string default (no login, no endpoint, no reranker)."""


def configuration_table() -> dict[str, str]:
    """Setting name → its default as the README's configuration table writes it.

    A row names one or more settings in backticks in its first cell (``--flag`` aliases in
    brackets are not names) and gives their defaults in the second, separated by commas: one
    default per name, or a single one shared by all of them ("empty").
    """
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert rows, "README 的 Configuration 一节没有设置表"
    table: dict[str, str] = {}
    for row in rows:
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        assert len(cells) == 3, f"设置表的行应有 3 列：{row}"
        names = re.findall(r"`([a-z0-9_]+)`", cells[0])
        defaults = [d.strip() for d in cells[1].split(",")]
        if len(defaults) == 1:
            defaults *= len(names)
        assert names and len(defaults) == len(names), f"设置表的行里设置名和默认值对不上：{row}"
        for name, default in zip(names, defaults):
            assert name not in table, f"设置 {name} 在表中出现两次"
            table[name] = default
    return table


def readme_value_matches(written: str, value: object) -> bool:
    """Whether the README's ``written`` default ("`corpus/`", "20 s", "0.5", "empty") is ``value``."""
    text = written.strip("`").removesuffix(" s")
    if isinstance(value, Path):
        return text.rstrip("/") == value.relative_to(PROJECT_ROOT).as_posix()
    if isinstance(value, str):
        return text == value or (value == "" and text in EMPTY)
    if isinstance(value, bool):
        return text == str(value).lower()
    try:
        return float(text) == float(value)
    except ValueError:
        return False


def test_readme_value_matching():
    assert readme_value_matches("`data/index/`", PROJECT_ROOT / "data" / "index")
    assert not readme_value_matches("`data/`", PROJECT_ROOT / "data" / "index")
    assert readme_value_matches("20 s", 20.0) and readme_value_matches("200000", 200_000)
    assert not readme_value_matches("0.5", 0.4) and not readme_value_matches("many", 3)
    assert readme_value_matches("empty", "") and readme_value_matches("`hybrid`", "hybrid")
    assert not readme_value_matches("off", "hybrid")


@pytest.fixture(scope="module")
def table() -> dict[str, str]:
    return configuration_table()


def test_every_setting_is_in_the_readme_configuration_table_and_nothing_else(table):
    names = [f.name for f in fields(Settings)]
    assert [n for n in names if n not in table] == [], "README 的设置表缺少这些设置"
    assert [n for n in table if n not in names] == [], "README 的设置表列出了不存在的设置"


def test_every_default_in_the_readme_is_the_actual_default(table):
    defaults = Settings()
    wrong = {f.name: (table[f.name], getattr(defaults, f.name)) for f in fields(Settings)
             if f.name in table and not readme_value_matches(table[f.name], getattr(defaults, f.name))}
    assert not wrong, f"README 的设置表写错了默认值（README, 实际）：{wrong}"
