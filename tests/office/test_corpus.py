"""Corpus changes from the browser: no silent overwrite (even at the same moment), explicit replace, safe removal."""

from __future__ import annotations

import threading

import pytest

from core.errors import RemovalRejected, UploadRejected
from office.corpus import ManagedCorpus
from tests.helpers import write_slices


@pytest.fixture()
def corpus(settings) -> ManagedCorpus:
    write_slices(settings.corpus)
    return ManagedCorpus(settings.corpus)


def test_a_new_report_is_added_and_an_existing_name_is_not_overwritten(corpus, tmp_path):
    upload = tmp_path / "new.txt"
    upload.write_text("第一版", encoding="utf-8")
    assert corpus.add(upload, "新报告.txt") is False
    assert "新报告.txt" in corpus.names() and (corpus.folder / "新报告.txt").read_text(encoding="utf-8") == "第一版"
    upload.write_text("第二版", encoding="utf-8")
    with pytest.raises(UploadRejected, match="已有同名报告“新报告.txt”：如要替换，请勾选“替换同名报告”"):
        corpus.add(upload, "新报告.txt")
    assert (corpus.folder / "新报告.txt").read_text(encoding="utf-8") == "第一版"
    assert corpus.add(upload, "新报告.txt", replace=True) is True
    assert (corpus.folder / "新报告.txt").read_text(encoding="utf-8") == "第二版"
    assert not [p for p in corpus.folder.iterdir() if p.name.startswith(".")]  # no staging file left


def test_two_uploads_of_one_name_at_the_same_moment_keep_one(corpus, tmp_path):
    outcomes, barrier = [], threading.Barrier(8)

    def upload(n: int) -> None:
        source = tmp_path / f"u{n}.txt"
        source.write_text(f"版本{n}", encoding="utf-8")
        barrier.wait()
        try:
            corpus.add(source, "同名.txt")
            outcomes.append(n)
        except UploadRejected:
            pass

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 1
    assert (corpus.folder / "同名.txt").read_text(encoding="utf-8") == f"版本{outcomes[0]}"


def test_only_listed_reports_can_be_removed_and_never_the_last(corpus):
    first, second = corpus.names()
    for name in ("../corpus/" + first, "/etc/passwd", "没有.txt", ""):
        with pytest.raises(RemovalRejected, match="报告文件夹中没有"):
            corpus.remove(name)
    corpus.remove(first)
    assert corpus.names() == [second]
    with pytest.raises(RemovalRejected, match="是最后一份报告，不能删除"):
        corpus.remove(second)
    assert corpus.names() == [second]
