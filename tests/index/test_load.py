"""Reading report files of every supported kind, and skipping bad ones."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import docx
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from index.config import Settings
from index.load import UnreadableFileError, load_corpus, read_document
from index.pipeline import chunk_corpus

TEXT = "关于社区建设的调研报告\n一、基本情况\n全县共有城市社区12个，办公用房普遍不足。\n"


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"],
)
def test_text_files_in_common_chinese_encodings(tmp_path: Path, encoding: str):
    path = tmp_path / "report.txt"
    path.write_bytes(TEXT.encode(encoding))
    assert read_document(path).lines[:3] == TEXT.splitlines()


def test_markdown_with_windows_line_ends(tmp_path: Path):
    path = tmp_path / "report.md"
    path.write_bytes(codecs.BOM_UTF8 + TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert read_document(path).lines[:3] == TEXT.splitlines()


def make_docx(path: Path) -> None:
    document = docx.Document()
    for line in TEXT.splitlines():
        document.add_paragraph(line)
    document.save(str(path))


def make_pdf(path: Path) -> None:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 12)
    for i, line in enumerate(TEXT.splitlines()):
        page.drawString(50, 800 - 20 * i, line)
    page.save()


def test_docx_and_pdf(tmp_path: Path):
    make_docx(tmp_path / "a.docx")
    make_pdf(tmp_path / "b.pdf")
    assert read_document(tmp_path / "a.docx").lines[:3] == TEXT.splitlines()
    pdf_lines = [line.strip() for line in read_document(tmp_path / "b.pdf").lines if line.strip()]
    assert pdf_lines == TEXT.splitlines()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "文件为空"),
        ("blank.txt", b"  \n\n ", "文件为空"),
        ("binary.txt", bytes(range(256)) * 40, "二进制"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "Word 文件已损坏"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj <<", "PDF"),
    ],
)
def test_bad_files_raise_a_clear_chinese_reason(tmp_path: Path, name: str, content: bytes, reason: str):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError, match=reason):
        read_document(path)


def test_corpus_skips_bad_files_and_indexes_the_rest(tmp_path: Path, caplog):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "好 报告.txt").write_bytes(TEXT.encode("gb18030"))
    make_docx(corpus / "b.docx")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(os.urandom(4096) + b"\x00")
    (corpus / "picture.png").write_bytes(b"\x89PNG")
    outside = tmp_path / "secret.txt"
    outside.write_text("机密内容，不应被索引。", encoding="utf-8")
    (corpus / "link.txt").symlink_to(outside)
    (corpus / "truncated.docx").write_bytes((corpus / "b.docx").read_bytes()[:300])

    documents, skipped = load_corpus(corpus)
    assert sorted(d.name for d in documents) == ["b.docx", "好 报告.txt"]
    reasons = {s.name: s.reason for s in skipped}
    assert set(reasons) == {"empty.txt", "binary.txt", "picture.png", "link.txt", "truncated.docx"}
    assert "符号链接" in reasons["link.txt"]
    assert all(name in caplog.text for name in reasons)

    result = chunk_corpus(Settings(corpus=corpus))
    assert {c.file for c in result.chunks} == {"b.docx", "好 报告.txt"}
    assert all("机密" not in c.text for c in result.chunks)


def test_missing_corpus_folder_is_a_clear_error(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="报告文件夹不存在"):
        load_corpus(tmp_path / "nope")
