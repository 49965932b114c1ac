"""BM25 must score exactly like rank_bm25.BM25Okapi, on the real Chinese seed reports."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import jieba
import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from index.bm25 import ARRAYS_FILE, BM25, META_FILE, WEIGHTS_FILE

CORPUS_DIR = Path(__file__).resolve().parents[2] / "corpus"  # the real seed reports
WATERMARK = "6da易文君-文库范文网"

QUESTIONS = [
    "社区建设的基本情况是什么？",
    "基层政权建设存在哪些问题？",
    "如何加强社区工作者队伍建设？",
    "社区公共服务综合信息平台建设进展如何？",
    "城乡社区建设工作领导小组由谁牵头？",
    "社区服务中心的运行情况怎样？",
    "基层治理体系和治理能力现代化的主要措施有哪些？",
    "社区居民自治如何开展？",
    "社会组织在社区治理中发挥什么作用？",
    "社区办公用房面积不足怎么办？",
    "网格化管理在社区中如何推行？",
    "社区经费保障存在什么困难？",
    "街道和社区的职责如何划分？",
    "如何推进和谐社区建设示范城市创建？",
    "社区党组织如何发挥领导核心作用？",
    "志愿者服务在社区中的情况如何？",
    "老旧小区改造有哪些做法？",
    "社区工作人员的待遇和报酬如何？",
    "物业管理与社区的关系是怎样的？",
    "调研组实地查看了哪些社区？",
    "市人大常委会对社区建设提出了哪些建议？",
    "社区减负工作怎么做？",
    "居民委员会换届选举情况如何？",
    "智慧社区信息化建设的问题和对策",
    "农村社区建设与城市社区有何不同？",
    "下一步社区建设的工作思路是什么？",
    "社区 社区 社区 建设 的 的",  # repeated terms, incl. ones above half the docs
    "量子计算机 区块链 元宇宙",  # terms absent from the corpus
    "社区养老服务 量子计算机",  # known and unknown terms mixed
    "的",  # only an epsilon-floored term
]


def tokenize(text: str) -> list[str]:
    """jieba tokens without whitespace/punctuation-only tokens."""
    return [t for t in jieba.lcut(text) if any(ch.isalnum() for ch in t)]


@pytest.fixture(scope="module")
def corpus() -> list[list[str]]:
    """One document per non-empty line of the seed reports, watermark removed."""
    jieba.setLogLevel(logging.WARNING)
    paths = sorted(CORPUS_DIR.glob("*.txt"))
    assert paths, f"no reports in {CORPUS_DIR}"
    docs = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.replace(WATERMARK, "").strip()
            if line:
                docs.append(tokenize(line))
    return docs


@pytest.fixture(scope="module")
def queries() -> list[list[str]]:
    return [tokenize(q) for q in QUESTIONS]


@pytest.fixture(scope="module")
def model(corpus: list[list[str]]) -> BM25:
    return BM25().fit(corpus)


def test_corpus_exercises_quirks(corpus: list[list[str]], queries: list[list[str]]) -> None:
    """The data must hit the epsilon floor, empty documents and repeated/unknown terms."""
    n_docs = len(corpus)
    doc_freq: dict[str, int] = {}
    for doc in corpus:
        for term in set(doc):
            doc_freq[term] = doc_freq.get(term, 0) + 1
    common = [t for q in queries for t in q if doc_freq.get(t, 0) > n_docs / 2]
    assert common, "no query term occurs in more than half the documents"
    assert any(not doc for doc in corpus), "no empty document in the corpus"
    assert any(len(set(q)) < len(q) for q in queries), "no repeated query term"
    assert any(t not in doc_freq for q in queries for t in q), "no unknown query term"


@pytest.mark.parametrize(("k1", "b", "epsilon"), [(1.5, 0.75, 0.25), (0.9, 0.4, 0.5), (2.0, 0.95, 0.1)])
def test_scores_match_rank_bm25(
    corpus: list[list[str]],
    queries: list[list[str]],
    k1: float,
    b: float,
    epsilon: float,
) -> None:
    ours = BM25(k1=k1, b=b, epsilon=epsilon).fit(corpus)
    ref = BM25Okapi(corpus, k1=k1, b=b, epsilon=epsilon)
    floored = [t for t in ours.vocab if ref.idf[t] == ref.epsilon * ref.average_idf]
    assert floored, "epsilon floor not exercised"
    np.testing.assert_allclose(ours.idf[[ours.vocab[t] for t in floored]], ref.epsilon * ref.average_idf)
    for query in queries:
        expected = ref.get_scores(query)
        got = ours.get_scores(query)
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6, err_msg=str(query))


def test_top_k_follows_reference_order(corpus: list[list[str]], queries: list[list[str]], model: BM25) -> None:
    ref = BM25Okapi(corpus)
    for query in queries:
        expected = ref.get_scores(query)
        idx, scores = model.top_k(query, 10)
        n_positive = int((expected > 0).sum())
        assert len(idx) == min(10, n_positive)
        assert np.all(np.diff(scores) <= 0), "scores not sorted best first"
        np.testing.assert_allclose(scores, expected[idx], atol=1e-6)
        # Same scores as the reference ranking (ties may be ordered differently).
        ref_top = np.sort(expected)[::-1][: len(idx)]
        np.testing.assert_allclose(scores, ref_top, atol=1e-6)


def test_top_k_respects_allowed(model: BM25, queries: list[list[str]]) -> None:
    rng = np.random.default_rng(0)
    allowed = rng.random(model.n_docs) < 0.3
    for query in queries:
        scores = model.get_scores(query)
        idx, top = model.top_k(query, 20, allowed=allowed)
        assert allowed[idx].all()
        masked = np.where(allowed & (scores > 0), scores, -np.inf)
        expected = np.sort(masked)[::-1][: len(idx)]
        np.testing.assert_allclose(top, expected)
        assert len(idx) == min(20, int((allowed & (scores > 0)).sum()))
    nothing = np.zeros(model.n_docs, dtype=bool)
    assert len(model.top_k(queries[0], 5, allowed=nothing)[0]) == 0
    with pytest.raises(ValueError):
        model.top_k(queries[0], 5, allowed=np.ones(3, dtype=bool))


def test_top_k_sizes(model: BM25, queries: list[list[str]]) -> None:
    assert len(model.top_k(queries[0], 0)[0]) == 0
    idx, _ = model.top_k(queries[0], 10**9)
    assert len(idx) == int((model.get_scores(queries[0]) > 0).sum())
    with pytest.raises(ValueError):
        model.top_k(queries[0], -1)


def test_save_load_round_trip(model: BM25, queries: list[list[str]], tmp_path: Path) -> None:
    model.save(tmp_path)
    for name in (WEIGHTS_FILE, ARRAYS_FILE):  # loadable without pickle
        with np.load(tmp_path / name, allow_pickle=False) as data:
            for key in data.files:
                assert data[key].dtype != object
    loaded = BM25.load(tmp_path)
    assert (loaded.k1, loaded.b, loaded.epsilon) == (model.k1, model.b, model.epsilon)
    assert loaded.vocab == model.vocab
    for query in queries:
        np.testing.assert_array_equal(loaded.get_scores(query), model.get_scores(query))
        np.testing.assert_array_equal(loaded.top_k(query, 5)[0], model.top_k(query, 5)[0])


@pytest.mark.parametrize("name", [WEIGHTS_FILE, ARRAYS_FILE, META_FILE])
def test_load_rejects_truncated_file(model: BM25, tmp_path: Path, name: str) -> None:
    model.save(tmp_path)
    path = tmp_path / name
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ValueError):
        BM25.load(tmp_path)


@pytest.mark.parametrize("name", [WEIGHTS_FILE, ARRAYS_FILE, META_FILE])
def test_load_rejects_missing_file(model: BM25, tmp_path: Path, name: str) -> None:
    model.save(tmp_path)
    (tmp_path / name).unlink()
    with pytest.raises(ValueError):
        BM25.load(tmp_path)


def test_load_rejects_corrupted_bytes(model: BM25, tmp_path: Path) -> None:
    model.save(tmp_path)
    path = tmp_path / WEIGHTS_FILE
    data = bytearray(path.read_bytes())
    mid = len(data) // 2
    data[mid : mid + 64] = bytes(64)
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError):
        BM25.load(tmp_path)


def test_load_rejects_inconsistent_shapes(model: BM25, tmp_path: Path) -> None:
    model.save(tmp_path)
    np.savez(tmp_path / ARRAYS_FILE, idf=model.idf[:-1], doc_lengths=model.doc_lengths)
    with pytest.raises(ValueError):
        BM25.load(tmp_path)


def test_load_rejects_pickled_arrays(model: BM25, tmp_path: Path) -> None:
    model.save(tmp_path)
    np.savez(
        tmp_path / ARRAYS_FILE,
        idf=np.array([{"x": 1}], dtype=object),
        doc_lengths=model.doc_lengths,
    )
    with zipfile.ZipFile(tmp_path / ARRAYS_FILE) as zf:
        assert "idf.npy" in zf.namelist()
    with pytest.raises(ValueError):
        BM25.load(tmp_path)


def test_empty_and_unknown_queries(model: BM25) -> None:
    for query in ([], ["量子计算机"], ["量子计算机", "量子计算机"]):
        scores = model.get_scores(query)
        assert scores.shape == (model.n_docs,)
        assert not scores.any()
        idx, top = model.top_k(query, 5)
        assert len(idx) == len(top) == 0


def test_empty_document() -> None:
    corpus = [["社区", "建设"], [], ["社区", "服务", "服务"], ["居民", "自治"]]
    ours = BM25().fit(corpus)
    ref = BM25Okapi(corpus)
    for query in (["社区"], ["服务", "服务"], ["自治", "社区"], []):
        np.testing.assert_allclose(ours.get_scores(query), ref.get_scores(query), atol=1e-6)
    assert ours.get_scores(["社区"])[1] == 0
    # With b=1 rank_bm25 gives an empty document 0/0 = NaN; we give it 0.
    assert BM25(b=1.0).fit(corpus).get_scores(["社区"])[1] == 0


def test_degenerate_corpora() -> None:
    with pytest.raises(ValueError):
        BM25().fit([])
    blank = BM25().fit([[], []])  # rank_bm25 divides by zero here; we return zeros
    assert not blank.get_scores(["社区"]).any()
    with pytest.raises(RuntimeError):
        BM25().get_scores(["社区"])
