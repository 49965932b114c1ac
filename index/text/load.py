"""Read report files of any supported kind into numbered lines.

Supported: ``.txt`` / ``.md`` in UTF-8 (with or without BOM), UTF-16 with BOM,
GB18030/GBK, a mix of UTF-8 and GBK lines, or whatever charset-normalizer
recognises; ``.docx`` (one line per paragraph, and one per table row, in reading
order); text ``.pdf`` (the lines pypdf extracts, page after page). A text file with a few damaged bytes (a stray byte, a
copy cut mid-character) keeps all its other text: each damaged character is shown
as "�", and the document's ``warning`` names the lines so the administrator can
check them. A file that cannot be read (or is larger than
``Settings.max_file_mb``, or is a symlink leading out of the corpus) is reported
as a :class:`SkippedFile` with a reason in Chinese; it never stops the other
files from loading.

Usage::

    from index.text.load import load_corpus
    docs, skipped = load_corpus(Path("corpus"))
    docs[0].name, len(docs[0].lines)          # ('000_基层政权和社区建设情况调研报告（4篇）.txt', 170)
"""

from __future__ import annotations

import codecs
import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from core.errors import UnreadableFileError
from core.settings import Settings
from index.text.headings import TABLE_CELL_SEPARATOR

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".docx", ".pdf"}


@dataclass(frozen=True)
class SourceDocument:
    """One corpus file as original lines (``lines[0]`` is line 1).

    ``warning`` is empty, or one sentence in Chinese about text that could not be
    read exactly (the damaged lines), shown beside the file in the report list.
    """

    name: str
    path: Path
    lines: list[str]
    warning: str = ""


@dataclass(frozen=True)
class SkippedFile:
    """A corpus file left out of the index, with the reason shown to users."""

    name: str
    reason: str


def decode_text(data: bytes) -> str:
    """Decode report bytes, detecting the encoding; raise if it is not text.

    UTF-8 (with or without BOM) and UTF-16 with BOM are read as such. A file that
    is not UTF-8 as a whole but has lines that read as Chinese in UTF-8 (pieced
    together from sources in different encodings, or cut mid-character) is
    decoded line by line. Otherwise GB18030 is tried, and when that gives
    implausible text (a Big5 or Shift-JIS file also decodes as GB18030, into
    nonsense), charset-normalizer's guess is taken.
    """
    has_bom = data.startswith(codecs.BOM_UTF8)
    if has_bom:
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:8192]:
        raise UnreadableFileError("看起来是二进制文件，不是文本")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    if has_bom or any(_reads_as_utf8(line.decode("utf-8", errors="replace")) for line in lines):
        return "\n".join(_decode_mixed_line(line) for line in lines)
    return _decode_legacy(data)


DAMAGED_LINES_ALLOWED = 0.01
"""Share of a GB18030 file's lines (at least 3 lines) that may hold undecodable bytes and still be read as GB18030
(with at most one such byte per 1,000 characters, or 3): a stray byte, not a file in another encoding or binary."""


def _decode_legacy(data: bytes) -> str:
    """Decode a file in a legacy encoding: GB18030 if it reads as Chinese, else charset-normalizer's guess."""
    try:
        strict_gb: str | None = data.decode("gb18030")
    except UnicodeDecodeError:
        strict_gb = None
    gb_text = strict_gb if strict_gb is not None else _decode_damaged_gb(data)
    if gb_text is not None and _plausible_gb_text(gb_text):
        return gb_text
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        return str(best)
    if strict_gb is not None:  # e.g. traditional characters in GBK: unusual, but GB18030 is all there is
        return strict_gb
    raise UnreadableFileError("无法识别文件编码，请用 UTF-8 编码另存后再放入报告文件夹")


def _decode_damaged_gb(data: bytes) -> str | None:
    """GB18030 text with a few damaged lines (each bad byte becomes "�"), or None if too many lines are damaged."""
    lines = data.split(b"\n")
    damaged = 0
    decoded = []
    for line in lines:
        try:
            decoded.append(line.decode("gb18030"))
        except UnicodeDecodeError:
            damaged += 1
            decoded.append(line.decode("gb18030", errors="replace"))
    text = "\n".join(decoded)
    if damaged > max(3, DAMAGED_LINES_ALLOWED * len(lines)) or text.count("\ufffd") > max(3, len(text) / 1000):
        return None
    return text


def damage_warning(lines: list[str]) -> str:
    """The warning for lines holding "�" (bytes that could not be decoded), or "" if there are none.

    >>> damage_warning(["好", "坏\ufffd", "好", "\ufffd"])
    '第2、4行有无法识别的字节（显示为 �），请与原文件核对'
    >>> damage_warning(["\ufffd"] * 7)
    '第1、2、3、4、5行等 7 行有无法识别的字节（显示为 �），请与原文件核对'
    """
    numbers = [str(i) for i, line in enumerate(lines, start=1) if "\ufffd" in line]
    if not numbers:
        return ""
    shown = "、".join(numbers[:5]) + ("行" if len(numbers) <= 5 else f"行等 {len(numbers)} 行")
    return f"第{shown}有无法识别的字节（显示为 �），请与原文件核对"


_HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
"""Chinese characters, CJK punctuation and full-width forms."""


def _reads_as_utf8(text: str) -> bool:
    """True if a line decoded as UTF-8 (with replacements) is Chinese text with at most a stray bad byte."""
    han = len(_HAN.findall(text))
    return han > 0 and han >= 3 * text.count("\ufffd")


def _decode_mixed_line(line: bytes) -> str:
    """One line of a file mixing encodings: UTF-8 if it reads as Chinese that way, else GB18030."""
    text = line.decode("utf-8", errors="replace")
    if line.isascii() or _reads_as_utf8(text):
        return text
    try:
        gb_text = line.decode("gb18030")
    except UnicodeDecodeError:
        return text
    valid_utf8 = "\ufffd" not in text
    if valid_utf8 and len(_HAN.findall(gb_text)) < sum(1 for ch in gb_text if not ch.isascii()):
        return text  # non-Chinese symbols in UTF-8 (a dash line, a circled number): keep them
    return gb_text


def _plausible_gb_text(text: str) -> bool:
    """False if many characters fall outside GB2312, as when Big5 or Shift-JIS is read as GB18030."""
    sample = [ch for ch in text[:50000] if not ch.isascii()]
    if len(sample) < 20:
        return True
    rare = sum(1 for ch in sample if not _in_gb2312(ch))
    return rare / len(sample) < 0.2


def _in_gb2312(ch: str) -> bool:
    """True if the character is in GB2312, the set that covers everyday simplified Chinese."""
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


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
    """The lines of a Word document in reading order: one per paragraph, one per table row where it stands."""
    import docx  # python-docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        blocks = list(document.iter_inner_content())
        return [line for block in blocks
                for line in (_table_rows(block) if isinstance(block, Table) else [block.text])]
    except Exception as error:  # python-docx raises many kinds on broken packages
        log.info("无法读取 Word 文件 %s：%r", path.name, error)
        raise UnreadableFileError("Word 文件已损坏或不完整，请用 Word 打开后另存为 .docx 再放入") from error


def _table_rows(table) -> list[str]:
    """One line per row of a Word table: its cells' texts joined by "｜" (a merged cell once), "东街｜12". A row
    stays one line, so a figure in a cell keeps its row's label and is never taken for a page number; the bar
    (not a tab or space, which cleaning removes between Chinese characters) keeps the cells apart."""
    rows = []
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:
            if cell._tc is previous:  # python-docx repeats a horizontally merged cell for each grid column
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        rows.append(TABLE_CELL_SEPARATOR.join(cells))
    return rows


def _read_pdf(path: Path) -> list[str]:
    """Text lines of a PDF with a text layer."""
    import pypdf

    # pypdf logs repairs of damaged files in English; the skip reason below says it in Chinese.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):  # an owner password alone still opens with ""
            raise UnreadableFileError("PDF 文件有打开密码，请去掉密码（另存为不加密的 PDF）后再放入")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFileError:
        raise
    except Exception as error:  # pypdf raises many kinds on broken files
        log.info("无法解析 PDF 文件 %s：%r", path.name, error)
        raise UnreadableFileError("PDF 文件已损坏或无法解析，请重新导出 PDF 后再放入") from error
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
    return SourceDocument(name=name, path=path, lines=lines, warning=damage_warning(lines))


def corpus_files(corpus: Path) -> tuple[list[Path], list[SkippedFile]]:
    """The report files under ``corpus`` in name order, and the ones refused outright.

    Hidden files are ignored; symlinks that lead outside the corpus folder (or
    nowhere) are refused so that a link cannot pull arbitrary files into the index.
    """
    root = corpus.resolve()
    files: list[Path] = []
    skipped: list[SkippedFile] = []
    for path in sorted(corpus.rglob("*")):
        rel = path.relative_to(corpus)
        if any(part.startswith(".") for part in rel.parts) or (path.is_dir() and not path.is_symlink()):
            continue
        problem = _link_problem(path, root)
        if problem is None and path.is_dir():
            continue  # a link to a folder inside the corpus: its files are listed under their own path
        if problem is None and path.suffix.lower() not in SUPPORTED_SUFFIXES:
            problem = f"不支持的文件类型 {path.suffix or '(无扩展名)'}"
        if problem:
            skipped.append(SkippedFile(str(rel), problem))
        else:
            files.append(path)
    return files, skipped


def _link_problem(path: Path, root: Path) -> str | None:
    """Why a path that is (or lies under) a symlink must not be read, or None if it is fine."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a dangling link, or a link loop
        return "符号链接指向的文件不存在或无法访问，已忽略"
    if not target.is_relative_to(root):
        return "符号链接指向报告文件夹之外，已忽略"
    return None


def load_corpus(
    corpus: Path, max_file_mb: float = Settings.max_file_mb
) -> tuple[list[SourceDocument], list[SkippedFile]]:
    """Read every supported file under ``corpus``; unreadable ones are skipped with a warning."""
    if not corpus.is_dir():
        raise FileNotFoundError(f"报告文件夹不存在：{corpus}")
    if not os.access(corpus, os.R_OK | os.X_OK):
        raise PermissionError(f"无法读取报告文件夹（没有权限）：{corpus}")
    files, skipped = corpus_files(corpus)
    documents: list[SourceDocument] = []
    for path in files:
        name = str(path.relative_to(corpus))
        try:
            _check_size(path, max_file_mb)
            documents.append(read_document(path, corpus))
        except UnreadableFileError as error:
            skipped.append(SkippedFile(name, str(error)))
    for item in skipped:
        log.warning("跳过文件 %s：%s", item.name, item.reason)
    for document in documents:
        if document.warning:
            log.warning("文件 %s：%s", document.name, document.warning)
    return documents, skipped


def _check_size(path: Path, max_file_mb: float) -> None:
    """Refuse a file larger than the limit: its embedding would take hours on a PC."""
    try:
        size_mb = path.stat().st_size / 2**20
    except OSError as error:
        raise UnreadableFileError(f"无法读取文件（{error.strerror}）") from error
    if size_mb > max_file_mb:
        raise UnreadableFileError(
            f"文件过大（{size_mb:.0f} MB，上限 {max_file_mb:g} MB），计算向量将耗时过久；"
            f"请拆分文件，或设置环境变量 REPORTQA_MAX_FILE_MB 提高上限"
        )
