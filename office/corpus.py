"""Changes to the corpus folder made from the browser: store a checked upload, remove a report.

A new report is written under a hidden temporary name (the index ignores hidden files)
and then linked to its real name, which fails if that name exists: two uploads of one
name at the same moment cannot overwrite each other. Replacing a report is explicit
(``replace=True``) and atomic (``os.replace``). Only names the corpus itself lists can be
removed, so a name from a request never becomes a path to anywhere else.

Usage::

    corpus = ManagedCorpus(settings.corpus)
    corpus.add(Path("/tmp/gradio/…/报告.docx"), "报告.docx", replace=False)
    corpus.remove("报告.docx")
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from core.errors import RemovalRejected, UploadRejected
from index.text.load import corpus_files


class ManagedCorpus:
    """The report files of one corpus folder, as admins add and remove them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def names(self) -> list[str]:
        """The report files the index reads, by name relative to the folder."""
        if not self.folder.is_dir():
            return []
        files, _ = corpus_files(self.folder)
        return [str(path.relative_to(self.folder)) for path in files]

    def exists(self, name: str) -> bool:
        """True if a file (or link) of that name is in the folder."""
        target = self.folder / name
        return target.exists() or target.is_symlink()

    def add(self, source: Path, name: str, replace: bool = False) -> bool:
        """Copy ``source`` in as ``name`` (already checked); True if it replaced a report of that name.

        Raises :class:`UploadRejected` if the name is taken and ``replace`` is false.
        """
        target = self.folder / name
        replaced = self.exists(name)
        if replaced and not replace:
            raise UploadRejected(_taken(name))
        self.folder.mkdir(parents=True, exist_ok=True)
        staging = self.folder / f".upload-{uuid.uuid4().hex}.part"
        try:
            shutil.copyfile(source, staging)
            if replace:
                os.replace(staging, target)
            else:
                try:
                    os.link(staging, target)
                except FileExistsError:  # the same name arrived in the meantime
                    raise UploadRejected(_taken(name)) from None
        finally:
            staging.unlink(missing_ok=True)
        return replaced

    def remove(self, name: str) -> None:
        """Delete one listed report; refuse unknown names and the last report (an index needs at least one)."""
        names = self.names()
        if name not in names:
            raise RemovalRejected(f"报告文件夹中没有“{name}”，请刷新列表后重试")
        if len(names) == 1:
            raise RemovalRejected(f"“{name}”是最后一份报告，不能删除：索引至少需要一份报告（可先上传新报告再删除）")
        (self.folder / name).unlink()


def _taken(name: str) -> str:
    return f"已有同名报告“{name}”：如要替换，请勾选“替换同名报告”后再上传；否则请换一个文件名"
