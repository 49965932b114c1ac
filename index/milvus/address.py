"""Where the Milvus is: a server address, or a Milvus Lite folder (``<index_dir>/milvus.db`` by default).

Milvus Lite (``milvus_uri`` a path ending in ``.db``) runs inside this process and keys its
server by absolute path; a server is reached over gRPC.
"""

from __future__ import annotations

from pathlib import Path

from core.settings import Settings

LITE_FOLDER = "milvus.db"
"""Default Milvus Lite folder inside the index folder."""


def resolve_uri(settings: Settings) -> str:
    """The Milvus address of ``settings``: ``milvus_uri``, or Milvus Lite in ``<index_dir>/milvus.db``.

    A Lite path is made absolute (Lite keys its in-process server by absolute path).
    """
    uri = settings.milvus_uri or str(settings.index_dir / LITE_FOLDER)
    return str(Path(uri).resolve()) if is_lite(uri) else uri


def is_lite(uri: str) -> bool:
    """Whether ``uri`` names a Milvus Lite folder (pymilvus's rule: a local path ending in ``.db``).

    >>> is_lite("data/index/milvus.db"), is_lite("http://10.0.0.5:19530")
    (True, False)
    """
    return uri.endswith(".db") and "://" not in uri
