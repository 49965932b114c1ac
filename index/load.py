"""Read report files of any supported kind into numbered lines.

Supported: ``.txt`` / ``.md`` in UTF-8 (with or without BOM), UTF-16 with BOM,
GB18030/GBK or whatever charset-normalizer recognises; ``.docx`` (one line per
paragraph); text ``.pdf`` (the lines pypdf extracts, page after page).
A file that cannot be read is reported as a :class:`SkippedFile` with a reason
in Chinese; it never stops the other files from loading.

Example::

    >>> from index.load import load_corpus
    >>> docs, skipped = load_corpus(Path("corpus"))
    >>> docs[0].name, len(docs[0].lines)
"""

from __future__ import annotations

import codecs
import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".docx", ".pdf"}


class UnreadableFileError(ValueError):
    """A corpus file that cannot be turned into text; the message says why."""


@dataclass(frozen=True)
class SourceDocument:
    """One corpus file as original lines (``lines[0]`` is line 1)."""

    name: str
    path: Path
    lines: list[str]


@dataclass(frozen=True)
class SkippedFile:
    """A corpus file left out of the index, with the reason shown to users."""

    name: str
    reason: str


def decode_text(data: bytes) -> str:
    """Decode report bytes, detecting the encoding; raise if it is not text."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise UnreadableFileError("看起来是二进制文件，不是文本")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise UnreadableFileError("无法识别文件编码")
    return str(best)


def _looks_like_text(text: str) -> bool:
    """True unless control characters make up a noticeable share of the text."""
    sample = text[:20000]
    if not sample:
        return True
    controls = sum(
        1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t\f"
    )
    return controls / len(sample) < 0.01


def _read_docx(path: Path) -> list[str]:
    """Paragraph texts of a Word document (tables cell by cell)."""
    import docx  # python-docx

    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises many kinds on broken packages
        raise UnreadableFileError(f"Word 文件已损坏或不完整（{type(error).__name__}）") from error
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return lines


def _read_pdf(path: Path) -> list[str]:
    """Text lines of a PDF with a text layer."""
    import pypdf

    try:
        reader = pypdf.PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as error:  # pypdf raises many kinds on broken files
        raise UnreadableFileError(f"PDF 文件已损坏或无法解析（{type(error).__name__}）") from error
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableFileError("PDF 中没有文字层（可能是扫描件），请先做文字识别")
    return text.split("\n")


def read_document(path: Path, root: Path | None = None) -> SourceDocument:
    """Read one report file into lines; raise :class:`UnreadableFileError` if impossible."""
    name = str(path.relative_to(root)) if root else path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFileError(f"不支持的文件类型 {suffix or '(无扩展名)'}，支持 .txt .md .docx .pdf")
    if suffix == ".docx":
        lines = _read_docx(path)
    elif suffix == ".pdf":
        lines = _read_pdf(path)
    else:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise UnreadableFileError(f"无法读取文件（{error.strerror}）") from error
        text = decode_text(data)
        if not _looks_like_text(text):
            raise UnreadableFileError("看起来是二进制文件，不是文本")
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not any(line.strip() for line in lines):
        raise UnreadableFileError("文件为空")
    return SourceDocument(name=name, path=path, lines=lines)


def corpus_files(corpus: Path) -> tuple[list[Path], list[SkippedFile]]:
    """The report files under ``corpus`` in name order, and the ones refused outright.

    Hidden files are ignored; symlinks that lead outside the corpus folder are
    refused so that a link cannot pull arbitrary files into the index.
    """
    root = corpus.resolve()
    files: list[Path] = []
    skipped: list[SkippedFile] = []
    for path in sorted(corpus.rglob("*")):
        rel = path.relative_to(corpus)
        if any(part.startswith(".") for part in rel.parts) or path.is_dir():
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            skipped.append(SkippedFile(str(rel), "符号链接指向报告文件夹之外，已忽略"))
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            skipped.append(SkippedFile(str(rel), f"不支持的文件类型 {path.suffix or '(无扩展名)'}"))
            continue
        files.append(path)
    return files, skipped


def load_corpus(
    corpus: Path, max_file_mb: float = 60.0
) -> tuple[list[SourceDocument], list[SkippedFile]]:
    """Read every supported file under ``corpus``; unreadable ones are skipped with a warning."""
    if not corpus.is_dir():
        raise FileNotFoundError(f"报告文件夹不存在：{corpus}")
    files, skipped = corpus_files(corpus)
    documents: list[SourceDocument] = []
    for path in files:
        name = str(path.relative_to(corpus))
        try:
            size_mb = path.stat().st_size / 2**20
            if size_mb > max_file_mb:
                raise UnreadableFileError(f"文件过大（{size_mb:.0f} MB，上限 {max_file_mb:.0f} MB）")
            documents.append(read_document(path, corpus))
        except UnreadableFileError as error:
            skipped.append(SkippedFile(name, str(error)))
    for item in skipped:
        log.warning("跳过文件 %s：%s", item.name, item.reason)
    return documents, skipped
