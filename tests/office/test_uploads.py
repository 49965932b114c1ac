"""Upload checks: plain supported names only, size limits, type by content, .docx zip bombs; good files pass."""

from __future__ import annotations

import shutil
import struct
import zipfile
from pathlib import Path

import pytest

from core.errors import UploadRejected
from core.settings import PROJECT_ROOT
from office.uploads import check_report_name, check_upload
from tests.helpers import NEW_REPORT, real_lines, write_docx_report, write_pdf_report, write_zip_bomb

LINES = real_lines(NEW_REPORT[0], *NEW_REPORT[1])
PNG = PROJECT_ROOT / "docs" / "screenshot.png"


def text_file(folder: Path, name: str = "报告.txt") -> Path:
    path = folder / name
    path.write_text("\n".join(LINES), encoding="utf-8")
    return path


@pytest.mark.parametrize("name, message", [
    ("../x.txt", "文件名不能包含上级目录“..”"),
    ("sub/../../x.txt", "文件名不能包含上级目录“..”"),
    ("..\\x.txt", "文件名不能包含上级目录“..”"),
    ("/etc/x.txt", "文件名不能是绝对路径"),
    ("\\\\server\\share\\x.txt", "文件名不能是绝对路径"),
    ("C:\\reports\\x.txt", "文件名不能是绝对路径"),
    ("c:x.txt", "文件名不能是绝对路径"),
    ("sub/x.txt", "文件名不能包含路径分隔符"),
    ("sub\\x.txt", "文件名不能包含路径分隔符"),
    (".hidden.txt", "文件名不能以“.”开头"),
    ("..", "文件名不能包含上级目录"),
    ("x\x00.txt", "文件名含有控制字符"),
    ("x\n.txt", "文件名含有控制字符"),
    ("\u202eexe.txt", "文件名含有不可见的格式字符"),  # shown as "txt.exe", reversing the rest of its line
    ("zw\u200bsp.txt", "文件名含有不可见的格式字符"),  # looks like "zwsp.txt"
    ("a<b>.txt", "文件名不能包含 < > :"),
    ("", "文件名为空"),
    ("   ", "文件名为空"),
    ("报告.exe", "不支持的文件类型“.exe”"),
    ("报告", "不支持的文件类型“（无扩展名）”"),
    ("报告.doc", "不支持的文件类型“.doc”"),
    ("长" * 70 + ".txt", "文件名过长"),
])
def test_unsafe_or_unsupported_names_are_refused(name, message):
    with pytest.raises(UploadRejected, match=message):
        check_report_name(name)


def test_plain_names_with_chinese_spaces_and_brackets_pass():
    for name in ("2025年 社区调研（终稿）.docx", "报告[1].PDF", "a.md", " 报告.txt "):
        assert check_report_name(name) == name.strip()


def test_good_txt_md_docx_pdf_pass_with_size_and_format(tmp_path, settings):
    checked = check_upload(text_file(tmp_path), "报告.txt", settings)
    assert checked.format == "TXT" and checked.size == (tmp_path / "报告.txt").stat().st_size and checked.lines == 80
    assert check_upload(text_file(tmp_path, "b.md"), "说明.md", settings).format == "MD"
    assert check_upload(write_docx_report(tmp_path / "c.docx", LINES), "c.docx", settings).format == "DOCX"
    assert check_upload(write_pdf_report(tmp_path / "d.pdf", LINES), "d.pdf", settings).format == "PDF"


def test_gbk_text_passes_through_the_index_decoder(tmp_path, settings):
    path = tmp_path / "gbk.txt"
    path.write_bytes("\n".join(LINES).encode("gb18030"))
    assert check_upload(path, "gbk.txt", settings).lines == 80
    assert check_upload(path, "gbk.txt", settings).warning == ""


def test_a_file_that_leaves_no_passage_is_refused_with_the_reason(tmp_path, settings):
    """Every line the same: cleaning takes it all for a watermark. Accepted, it would wait for the index forever."""
    path = tmp_path / "repeated.txt"
    path.write_text("社区办公用房不达标，面积狭小，设施陈旧。\n" * 200, encoding="utf-8")
    with pytest.raises(UploadRejected, match="没有得到可检索的段落.*repeated.txt"):
        check_upload(path, "repeated.txt", settings)


def test_gbk_text_with_a_stray_byte_passes_with_a_warning_naming_its_line(tmp_path, settings):
    """An old GBK report with one damaged byte is accepted (not refused as unreadable); the warning says where."""
    path = tmp_path / "gbk.txt"
    encoded = [line.encode("gb18030") for line in LINES]
    encoded[29] = b"\x80" + encoded[29]
    path.write_bytes(b"\n".join(encoded))
    checked = check_upload(path, "gbk.txt", settings)
    assert checked.lines == 80 and checked.warning.startswith("第30行有无法识别的字节")


def test_empty_and_oversized_files_are_refused(tmp_path, settings):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(UploadRejected, match=r"文件为空（0 字节）"):
        check_upload(tmp_path / "empty.txt", "empty.txt", settings)
    (tmp_path / "blank.txt").write_text("\n  \n", encoding="utf-8")
    with pytest.raises(UploadRejected, match="无法作为报告读取（文件为空）"):
        check_upload(tmp_path / "blank.txt", "blank.txt", settings)
    big = text_file(tmp_path)
    kb = round(big.stat().st_size / 1024)
    with pytest.raises(UploadRejected, match=rf"文件过大（{kb} KB，上限 0\.001 MB）：报告\.txt。请拆分后再上传"):
        check_upload(big, "报告.txt", settings.override(upload_max_mb=0.001))
    with pytest.raises(UploadRejected, match=r"上限 0\.002 MB"):  # indexing's own limit is never passed either
        check_upload(big, "报告.txt", settings.override(max_file_mb=0.002))
    with pytest.raises(UploadRejected, match=r"文件过大（1\.5 MB"):
        (tmp_path / "big.txt").write_text("社区建设。\n" * 100_000, encoding="utf-8")
        check_upload(tmp_path / "big.txt", "big.txt", settings.override(upload_max_mb=1))


@pytest.mark.parametrize("source, name, message", [
    (PNG, "截图.txt", "无法作为报告读取（看起来是二进制文件，不是文本）"),
    (PNG, "截图.md", "无法作为报告读取（看起来是二进制文件，不是文本）"),
    (PNG, "截图.pdf", "不是 PDF 文件：文件开头没有 %PDF- 标记"),
    (PNG, "截图.docx", "不是有效的 Word 文件：.docx 应当是 zip 包"),
    ("zip", "压缩包.docx", "不是 Word 文档：zip 包中没有 word/document.xml"),
    ("zip", "压缩包.pdf", "不是 PDF 文件"),
    ("pdf", "报告.docx", "不是有效的 Word 文件"),
    ("docx", "报告.pdf", "不是 PDF 文件"),
    ("docx", "报告.txt", "无法作为报告读取"),
])
def test_a_renamed_file_is_refused_by_its_content(tmp_path, settings, source, name, message):
    if source == "zip":
        with zipfile.ZipFile(tmp_path / "a.zip", "w") as archive:
            archive.writestr("readme.txt", "社区建设")
        source = tmp_path / "a.zip"
    elif source == "pdf":
        source = write_pdf_report(tmp_path / "a.pdf", LINES)
    elif source == "docx":
        source = write_docx_report(tmp_path / "a.docx", LINES)
    renamed = tmp_path / "upload" / name
    renamed.parent.mkdir()
    shutil.copyfile(source, renamed)
    with pytest.raises(UploadRejected, match=message):
        check_upload(renamed, name, settings)


def test_a_saved_name_must_keep_the_uploaded_extension(tmp_path, settings):
    with pytest.raises(UploadRejected, match="扩展名不同"):
        check_upload(write_pdf_report(tmp_path / "a.pdf", LINES), "a.txt", settings)


def test_a_pdf_without_text_is_refused(tmp_path, settings):
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(tmp_path / "scan.pdf"))
    page.rect(50, 50, 200, 200, fill=1)
    page.save()
    with pytest.raises(UploadRejected, match="PDF 中没有文字层"):
        check_upload(tmp_path / "scan.pdf", "scan.pdf", settings)


def test_a_docx_zip_bomb_is_refused_by_ratio_and_by_unpacked_size(tmp_path, settings):
    bomb = write_zip_bomb(tmp_path / "bomb.docx", unpacked_mb=30)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(UploadRejected, match="word/media/padding.bin 的压缩比异常（超过 100 倍），疑似压缩炸弹"):
        check_upload(bomb, "bomb.docx", settings)
    with pytest.raises(UploadRejected, match="Word 文件解压后超过 20 MB，疑似压缩炸弹"):
        check_upload(bomb, "bomb.docx", settings.override(docx_max_unzipped_mb=20, docx_max_ratio=10_000))


def test_a_docx_with_too_many_entries_is_refused(tmp_path, settings):
    path = write_docx_report(tmp_path / "many.docx", LINES)
    with zipfile.ZipFile(path, "a") as archive:
        for n in range(30):
            archive.writestr(f"extra/item{n}.xml", "<a/>")
    with pytest.raises(UploadRejected, match="Word 文件内的条目过多（.* 个，上限 20 个）"):
        check_upload(path, "many.docx", settings.override(docx_max_entries=20))
    assert check_upload(path, "many.docx", settings).format == "DOCX"


def test_a_docx_whose_headers_understate_the_unpacked_size_is_refused(tmp_path, settings):
    """Sizes in the zip headers are the uploader's word: unpacking counts the real bytes (and checks the CRC)."""
    path = write_zip_bomb(tmp_path / "liar.docx", unpacked_mb=3)
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")  # the last central directory entry: the padding
    assert data[central + 46: central + 46 + 22] == b"word/media/padding.bin"
    extra_at = central + 46 + 22
    if struct.unpack_from("<I", data, central + 24)[0] == 0xFFFFFFFF:  # sizes in the zip64 extra field
        struct.pack_into("<Q", data, extra_at + 4, 1000)
    else:
        struct.pack_into("<I", data, central + 24, 1000)
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).getinfo("word/media/padding.bin").file_size == 1000  # the lie is believed
    with pytest.raises(UploadRejected, match="Word 文件已损坏或加密，无法解压"):
        check_upload(path, "liar.docx", settings)
