"""Checks of an uploaded report before it may enter the corpus: its name, its size, and its content.

Every refusal is an :class:`~core.errors.UploadRejected` with a Chinese message that
says what is wrong and what to do; a refused file never reaches the corpus.

- **Name.** A plain file name: no folder part (``/``, ``\\``, ``..``), not absolute, not
  hidden (a leading ``.`` would be ignored by the index), no control or Windows-reserved
  characters, at most 200 bytes, one of the supported extensions.
- **Size.** Not empty, at most ``upload_max_mb`` (and ``max_file_mb``, above which indexing skips a file).
- **Content, by type, not by extension alone.** A ``.docx`` must be a zip holding
  ``word/document.xml``, within the zip-bomb limits (entries, unpacked size, ratio), which
  are checked on the declared sizes and again while actually unpacking; a ``.pdf`` must
  start with ``%PDF-``; ``.txt``/``.md`` must decode as text with the index's own decoder.
  Finally the file is read by the index's own loader (:func:`index.text.load.read_document`),
  so an accepted file is one the next index update can use.

Example:

    >>> check_report_name("2025年 社区调研（终稿）.docx")
    '2025年 社区调研（终稿）.docx'
    >>> check_report_name("../x.txt")
    Traceback (most recent call last):
    ...
    core.errors.UploadRejected: 文件名不能包含上级目录“..”（../x.txt）：只写文件名，例如 2025年社区调研报告.docx

Usage::

    checked = check_upload(Path("/tmp/gradio/…/报告.docx"), "报告.docx", settings)
    checked.name, checked.size, checked.lines
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from core.errors import UnreadableFileError, UploadRejected
from core.settings import Settings
from index.text.load import SUPPORTED_SUFFIXES, read_document
from index.text.pipeline import NO_PASSAGES, chunk_document

MAX_NAME_BYTES = 200
"""Longest stored file name in UTF-8 bytes (file systems allow 255; Gradio's own upload cuts at 200)."""
RESERVED_CHARS = set('<>:"|?*')
"""Characters Windows does not allow in file names (the corpus folder may be copied there)."""
RATIO_FLOOR_BYTES = 1024
"""A zip entry's ratio is taken against at least this many packed bytes, so tiny entries never look like bombs."""
PDF_HEADER_WINDOW = 1024
"""The PDF format allows the ``%PDF-`` header anywhere in the first 1024 bytes."""
NAME_HINT = "只写文件名，例如 2025年社区调研报告.docx"
SUPPORTED_TEXT = " ".join(sorted(SUPPORTED_SUFFIXES))


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check: its stored name, size in bytes, format, how many lines it read as,
    and the reader's warning about damaged lines ("" when it read cleanly)."""

    name: str
    size: int
    format: str
    lines: int
    warning: str = ""


def check_report_name(name: str) -> str:
    """The name to store the report under; raise :class:`UploadRejected` if it is not a plain, supported file name."""
    raw = name or ""
    if any(unicodedata.category(ch) == "Cc" for ch in raw):
        raise UploadRejected(f"文件名含有控制字符（{raw!r}）：{NAME_HINT}")
    if any(unicodedata.category(ch) == "Cf" for ch in raw):  # right-to-left override, zero-width space …
        raise UploadRejected(f"文件名含有不可见的格式字符（{ascii(raw)}），它们会让文件名显示得与实际不同：{NAME_HINT}")
    cleaned = unicodedata.normalize("NFC", raw.strip())
    if not cleaned:
        raise UploadRejected(f"文件名为空：{NAME_HINT}")
    if cleaned.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", cleaned):
        raise UploadRejected(f"文件名不能是绝对路径（{cleaned}）：{NAME_HINT}")
    if ".." in re.split(r"[/\\]", cleaned):
        raise UploadRejected(f"文件名不能包含上级目录“..”（{cleaned}）：{NAME_HINT}")
    if "/" in cleaned or "\\" in cleaned:
        raise UploadRejected(f"文件名不能包含路径分隔符 / 或 \\（{cleaned}）：{NAME_HINT}")
    if cleaned.startswith("."):
        raise UploadRejected(f"文件名不能以“.”开头（{cleaned}），这样的文件不会被索引：{NAME_HINT}")
    if RESERVED_CHARS & set(cleaned):
        raise UploadRejected(f"文件名不能包含 < > : \" | ? * 这些字符（{cleaned}）")
    if len(cleaned.encode("utf-8")) > MAX_NAME_BYTES:
        raise UploadRejected(f"文件名过长（{len(cleaned.encode('utf-8'))} 字节，最多 {MAX_NAME_BYTES} 字节），请改短")
    suffix = Path(cleaned).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES or not Path(cleaned).stem.strip():
        raise UploadRejected(f"不支持的文件类型“{suffix or '（无扩展名）'}”：只能上传 {SUPPORTED_TEXT} 文件")
    return cleaned


def check_upload(path: Path, name: str, settings: Settings) -> CheckedUpload:
    """Check the uploaded file at ``path``, to be stored as ``name``; raise :class:`UploadRejected` if refused."""
    name = check_report_name(name)
    suffix = Path(name).suffix.lower()
    if path.suffix.lower() != suffix:
        raise UploadRejected(f"保存的文件名（{name}）与上传的文件（{path.name}）扩展名不同："
                             "内容按扩展名检查，请保留原扩展名")
    size = _size_of(path)
    limit_mb = min(settings.upload_max_mb, settings.max_file_mb)
    if size == 0:
        raise UploadRejected(f"文件为空（0 字节）：{name}")
    if size > limit_mb * 2**20:
        raise UploadRejected(f"文件过大（{_size_text(size)}，上限 {limit_mb:g} MB）：{name}。请拆分后再上传")
    if suffix == ".docx":
        check_docx_package(path, settings)
    elif suffix == ".pdf":
        _check_pdf_header(path)
    try:
        document = read_document(path)
    except UnreadableFileError as error:
        raise UploadRejected(f"无法作为报告读取（{error}）：{name}") from None
    if not chunk_document(document, settings).chunks:
        raise UploadRejected(f"{NO_PASSAGES}：{name}")
    return CheckedUpload(name, size, suffix.lstrip(".").upper(), len(document.lines), document.warning)


def check_docx_package(path: Path, settings: Settings) -> None:
    """Refuse a ``.docx`` that is not a Word zip package or that unpacks too far (a zip bomb)."""
    max_bytes = int(settings.docx_max_unzipped_mb * 2**20)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise UploadRejected("不是有效的 Word 文件：.docx 应当是 zip 包，这个文件不是"
                             "（可能是改了扩展名的 .doc 或其他文件；请用 Word 另存为 .docx）") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > settings.docx_max_entries:
            raise UploadRejected(f"Word 文件内的条目过多（{len(entries)} 个，上限 {settings.docx_max_entries} 个），"
                                 "疑似压缩炸弹，已拒绝")
        if "word/document.xml" not in {entry.filename for entry in entries}:
            raise UploadRejected("不是 Word 文档：zip 包中没有 word/document.xml（请用 Word 另存为 .docx）")
        if sum(entry.file_size for entry in entries) > max_bytes:
            raise UploadRejected(_too_big(settings))
        for entry in entries:
            if entry.file_size / max(entry.compress_size, RATIO_FLOOR_BYTES) > settings.docx_max_ratio:
                raise UploadRejected(f"Word 文件中 {entry.filename} 的压缩比异常"
                                     f"（超过 {settings.docx_max_ratio:g} 倍），疑似压缩炸弹，已拒绝")
        _unpack_counting(archive, entries, max_bytes, settings)


def _unpack_counting(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], max_bytes: int,
                     settings: Settings) -> None:
    """Unpack every entry in blocks, counting real bytes: a header that understates its size is caught too."""
    total = 0
    try:
        for entry in entries:
            with archive.open(entry) as member:
                while block := member.read(1 << 16):
                    total += len(block)
                    if total > max_bytes:
                        raise UploadRejected(_too_big(settings))
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError, ValueError) as error:
        raise UploadRejected(f"Word 文件已损坏或加密，无法解压（{type(error).__name__}）") from None


def _too_big(settings: Settings) -> str:
    return (f"Word 文件解压后超过 {settings.docx_max_unzipped_mb:g} MB，疑似压缩炸弹，已拒绝"
            "（如确为正常的大文件，请拆分后再上传）")


def _check_pdf_header(path: Path) -> None:
    with open(path, "rb") as handle:
        head = handle.read(PDF_HEADER_WINDOW)
    if b"%PDF-" not in head:
        raise UploadRejected("不是 PDF 文件：文件开头没有 %PDF- 标记（可能是改了扩展名的其他文件）")


def _size_text(size: int) -> str:
    """A file size for a message: KB below 0.1 MB, else MB with one decimal."""
    return f"{size / 1024:.0f} KB" if size < 0.1 * 2**20 else f"{size / 2**20:.1f} MB"


def _size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as error:
        raise UploadRejected(f"无法读取上传的文件（{error.strerror}），请重新上传") from None
