"""A report added while a build runs is not recorded as indexed: the next status check still sees it as new.

Uploads from the browser change the corpus at any moment, also while an update builds.
The manifest's file hashes are therefore taken before the files are read; taken after,
they would name a file whose passages the build never saw, and it would never be indexed.
"""

from __future__ import annotations

from index.build import build_index, index_status
from index.store import load_index


def test_a_file_added_during_a_build_stays_new_for_the_next_check(slices_copy):
    added = slices_copy.corpus / "新上传.txt"

    def add_while_indexing(fraction: float, message: str) -> None:
        if fraction >= 0.9 and not added.exists():  # after chunking, before the manifest is written
            added.write_text("关于社区办公用房的调研报告\n一、基本情况\n社区办公用房普遍不足。", encoding="utf-8")

    build_index(slices_copy, add_while_indexing, show_bar=False)
    assert added.exists()
    assert "新上传.txt" not in load_index(slices_copy.index_dir).manifest.files
    status = index_status(slices_copy)
    assert status.state == "corpus" and status.reasons == ["新增：新上传.txt"]
