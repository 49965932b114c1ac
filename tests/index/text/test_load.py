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

from core.errors import UnreadableFileError
from core.settings import PROJECT_ROOT, Settings
from index.text.load import load_corpus, read_document
from index.text.pipeline import chunk_corpus

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


def test_pdf_with_a_password_says_so_one_with_only_an_owner_password_is_read(tmp_path: Path):
    import pypdf

    make_pdf(tmp_path / "plain.pdf")
    for name, user_password in (("locked.pdf", "secret"), ("owner-only.pdf", "")):
        writer = pypdf.PdfWriter(clone_from=str(tmp_path / "plain.pdf"))
        writer.encrypt(user_password=user_password, owner_password="owner secret")
        writer.write(str(tmp_path / name))
    with pytest.raises(UnreadableFileError, match="PDF 文件有打开密码，请去掉密码") as refused:
        read_document(tmp_path / "locked.pdf")
    assert "Error" not in str(refused.value)  # no exception class names (FileNotDecryptedError) for the user
    lines = [line.strip() for line in read_document(tmp_path / "owner-only.pdf").lines if line.strip()]
    assert lines == TEXT.splitlines()


def test_docx_table_rows_are_lines_where_the_table_stands(tmp_path: Path):
    """A table between two paragraphs is read there, one line per row, cells apart; a merged cell once.

    Before, every table was appended after the last paragraph, one line per cell, and a cell holding only a
    figure ("12") was dropped by the cleaner as a page number.
    """
    document = docx.Document()
    document.add_paragraph("一、基本情况")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("社区", "人数", "办公用房"), ("东街", "12", "70平方米"), ("合计", "", "")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    table.cell(2, 1).merge(table.cell(2, 2)).text = "12人"
    document.add_paragraph("二、存在问题")
    document.save(str(tmp_path / "t.docx"))
    assert read_document(tmp_path / "t.docx").lines == [
        "一、基本情况", "社区｜人数｜办公用房", "东街｜12｜70平方米", "合计｜12人", "二、存在问题"]
    passages = "\n".join(c.text for c in chunk_corpus(Settings(corpus=tmp_path)).chunks)
    assert "社区｜人数｜办公用房\n东街｜12｜70平方米" in passages  # cleaning keeps the rows whole


def test_docx_table_rows_are_never_joined_like_wrapped_lines(tmp_path: Path):
    """Rows that end without punctuation look like a wrapped line of a text file; they stay lines of their own."""
    document = docx.Document()
    document.add_paragraph("关于社区办公用房的调查报告")
    table = document.add_table(rows=30, cols=2)
    for number, row in enumerate(table.rows):
        row.cells[0].text, row.cells[1].text = f"社区{number}", f"办公用房面积不达标，需要改造提升{number}"
    document.save(str(tmp_path / "t.docx"))
    passages = "\n".join(c.text for c in chunk_corpus(Settings(corpus=tmp_path)).chunks)
    assert "需要改造提升0\n社区1｜办公用房面积不达标，需要改造提升1\n社区2｜" in passages


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
    (corpus / "linked folder").symlink_to(tmp_path, target_is_directory=True)
    (corpus / "dangling.txt").symlink_to(corpus / "gone.txt")
    (corpus / "truncated.docx").write_bytes((corpus / "b.docx").read_bytes()[:300])
    make_pdf(tmp_path / "whole.pdf")
    (corpus / "truncated.pdf").write_bytes((tmp_path / "whole.pdf").read_bytes()[:1200])

    documents, skipped = load_corpus(corpus)
    assert sorted(d.name for d in documents) == ["b.docx", "好 报告.txt"]
    reasons = {s.name: s.reason for s in skipped}
    assert set(reasons) == {"empty.txt", "binary.txt", "picture.png", "link.txt", "linked folder", "dangling.txt",
                            "truncated.docx", "truncated.pdf"}
    assert "指向报告文件夹之外" in reasons["link.txt"] and "指向报告文件夹之外" in reasons["linked folder"]
    assert "不存在" in reasons["dangling.txt"] and "PDF 文件已损坏" in reasons["truncated.pdf"]
    assert all(name in caplog.text for name in reasons)

    result = chunk_corpus(Settings(corpus=corpus))
    assert {c.file for c in result.chunks} == {"b.docx", "好 报告.txt"}
    assert all("机密" not in c.text for c in result.chunks)


def test_missing_corpus_folder_is_a_clear_error(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="报告文件夹不存在"):
        load_corpus(tmp_path / "nope")


def test_unreadable_corpus_folder_is_a_clear_error(tmp_path: Path, monkeypatch):
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: path != tmp_path and real_access(path, mode))
    with pytest.raises(PermissionError, match="无法读取报告文件夹"):
        load_corpus(tmp_path)


def real_lines(count: int) -> list[str]:
    """The first ``count`` lines of a real report."""
    text = (PROJECT_ROOT / "corpus" / "004_关于加快全市城市社区建设工作情况调查报告.txt").read_text(encoding="utf-8")
    return text.split("\n")[:count]


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_file_mixing_utf8_and_gbk_lines_is_decoded_line_by_line(tmp_path: Path, bom: bytes):
    """A report pasted together from a UTF-8 and a GBK source reads back exactly, line by line."""
    lines = real_lines(40)
    encoded = [line.encode("gb18030" if 10 <= i < 25 else "utf-8") for i, line in enumerate(lines)]
    path = tmp_path / "mixed.txt"
    path.write_bytes(bom + b"\n".join(encoded))
    assert read_document(path).lines == lines


@pytest.mark.parametrize(
    ("damage", "encoding"), [("cut", "utf-8"), ("cut", "utf-16"), ("stray byte", "utf-8")]
)
def test_damaged_text_file_loses_only_the_damaged_character(tmp_path: Path, damage: str, encoding: str):
    """A file cut mid-character (an interrupted copy) or with one stray byte keeps all its other text."""
    text = "\n".join(real_lines(40))
    data = text.encode(encoding)
    if damage == "cut":
        data, text = data[:-1], text[:-1]
    else:
        middle = data.index("\n".encode(encoding), len(data) // 2)
        data = data[:middle] + b"\xa0" + data[middle:]
    path = tmp_path / "damaged.txt"
    path.write_bytes(data)
    assert "\n".join(read_document(path).lines).replace("\ufffd", "") == text


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8"])
def test_stray_byte_keeps_the_file_and_names_its_line(tmp_path: Path, encoding: str):
    """One bad byte in an old GBK (or UTF-8) file: every other character reads back, and the warning names line 12."""
    lines = real_lines(40)
    data = [line.encode(encoding) for line in lines]
    data[11] = lines[11][:2].encode(encoding) + b"\x80" + lines[11][2:].encode(encoding)
    path = tmp_path / "damaged.txt"
    path.write_bytes(b"\n".join(data))
    document = read_document(path)
    assert [line.replace("\ufffd", "") for line in document.lines] == lines
    assert document.warning == "第12行有无法识别的字节（显示为 �），请与原文件核对"
    assert read_document(write_lines(tmp_path / "clean.txt", lines, encoding)).warning == ""


def test_gbk_file_damaged_on_many_lines_is_not_read_as_gbk(tmp_path: Path):
    """Bad bytes on more than 1% of the lines: not an old GBK report with a stray byte, so GB18030 is not forced."""
    data = [line.encode("gb18030") + b"\x80\xff" for line in real_lines(40)]
    path = tmp_path / "damaged.txt"
    path.write_bytes(b"\n".join(data))
    try:
        document = read_document(path)
    except UnreadableFileError:
        return
    assert document.lines[0] != real_lines(1)[0] + "\ufffd\ufffd"


def write_lines(path: Path, lines: list[str], encoding: str) -> Path:
    """``lines`` written to ``path`` in ``encoding``, joined by newlines."""
    path.write_bytes("\n".join(lines).encode(encoding))
    return path


def test_big5_file_is_not_read_as_gbk_nonsense(tmp_path: Path):
    """Big5 bytes are also valid GB18030; the result would be nonsense, so the real encoding is detected."""
    data = "\n".join(real_lines(60)).encode("big5", errors="ignore")
    path = tmp_path / "big5.txt"
    path.write_bytes(data)
    assert read_document(path).lines == data.decode("big5").split("\n")


def test_file_over_the_size_limit_is_skipped_with_a_way_to_raise_it(tmp_path: Path):
    """A 50 MB text file (days of embedding) is skipped by default; the reason says how to allow it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("\n".join(real_lines(30)), encoding="utf-8")
    line = "社区建设工作逐步摆上了各级党委、政府的议事日程。\n".encode()
    with open(corpus / "huge.txt", "wb") as handle:
        handle.write(line * (50 * 2**20 // len(line) + 1))

    result = chunk_corpus(Settings(corpus=corpus))
    assert [s.name for s in result.skipped] == ["huge.txt"]
    assert "文件过大（50 MB" in result.skipped[0].reason and "REPORTQA_MAX_FILE_MB" in result.skipped[0].reason
    assert {c.file for c in result.chunks} == {"good.txt"}

    tiny_limit = Settings.from_env({"REPORTQA_CORPUS": str(corpus), "REPORTQA_MAX_FILE_MB": "0.001"})
    assert {s.name for s in chunk_corpus(tiny_limit).skipped} == {"huge.txt", "good.txt"}
