"""Shared fixtures: the real corpus chunked once, the real retriever, the real app and a loopback LLM server.

Helper functions several modules need are in :mod:`tests.helpers`; test modules never import each other.
"""

from __future__ import annotations

from index.models import prepare_runtime

prepare_runtime()  # before any test module imports gradio (and huggingface_hub): models load offline, as in index/

import os  # noqa: E402

import pytest  # noqa: E402

from core.settings import Settings  # noqa: E402
from index.text.pipeline import CorpusChunks, FileResult, chunk_corpus  # noqa: E402
from retriever.answer.service import AnswerService, open_retriever  # noqa: E402
from tests.helpers import serve, start_chat_server  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    """With workers (pytest-xdist, as ``test.sh`` runs), build or update the real index once, before they start.

    Otherwise the first worker to open the retriever builds data/index while the other runs a test that checks
    data/index is left alone (the benchmark's, the bundle's), and fails for the wrong reason.
    """
    parallel = bool(getattr(config.option, "numprocesses", None))
    if parallel and not hasattr(config, "workerinput"):  # the controller; workers find the index built
        from index.build import ensure_index

        ensure_index(Settings(), show_bar=False)


@pytest.fixture(scope="session")
def corpus_chunks() -> CorpusChunks:
    """The real corpus under corpus/, cleaned and chunked with default settings."""
    return chunk_corpus(Settings())


@pytest.fixture(scope="session")
def by_prefix(corpus_chunks: CorpusChunks):
    """Look a corpus file up by its number prefix ("000", "002", ...)."""

    def lookup(prefix: str) -> FileResult:
        (match,) = [f for f in corpus_chunks.files if f.document.name.startswith(prefix)]
        return match

    return lookup


@pytest.fixture(scope="session")
def retriever():
    """A retriever over the real corpus with the default model (builds data/index once if needed)."""
    return open_retriever(Settings(), show_bar=False)


@pytest.fixture(scope="session")
def app_url(retriever):
    """The real chat app over the real index, served on a free loopback port (one for the whole session)."""
    demo, url = serve(AnswerService(retriever))
    yield url
    demo.close()


@pytest.fixture(scope="session")
def chat_server():
    """A loopback chat-completions server (:class:`tests.helpers.ChatServer`); ``.url``, ``.requests``."""
    httpd = start_chat_server()
    yield httpd
    httpd.shutdown()


@pytest.fixture(scope="session")
def slices_index(tmp_path_factory) -> Settings:
    """Two real report slices (:data:`tests.helpers.SOURCES`) and their index, built once, in a temporary folder.

    For tests that change reports, accounts or logs: they copy it (:func:`tests.helpers.copy_slices`) and never
    touch the real corpus/ or data/.
    """
    from index.build import build_index
    from tests.helpers import write_slices

    root = tmp_path_factory.mktemp("slices")
    settings = Settings(corpus=root / "corpus", index_dir=root / "index", data_dir=root / "data")
    write_slices(settings.corpus)
    build_index(settings, show_bar=False)
    return settings


@pytest.fixture()
def usual_umask():
    """The umask most systems give a process (022: new files readable by everyone), for tests of private files."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)
