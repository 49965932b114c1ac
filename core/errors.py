"""Expected failures, each with a message in Chinese that says what went wrong and what to do.

Command lines and the app catch :class:`ReportQAError` (and ``OSError`` for the
file system) and print its message; anything else is a programming error and
keeps its traceback.

Example:

    >>> try:
    ...     raise IndexUnavailableError("索引已损坏，请运行 python -m index build --rebuild")
    ... except ReportQAError as error:
    ...     print(error)
    索引已损坏，请运行 python -m index build --rebuild
"""

from __future__ import annotations


class ReportQAError(Exception):
    """Base of every expected failure; ``str(error)`` is the message for the user."""


class ConfigError(ReportQAError):
    """A setting (environment variable or flag) with a value that cannot be used."""


class CorpusError(ReportQAError):
    """The corpus folder holds no report that can be read."""


class IndexUnavailableError(ReportQAError):
    """The index cannot be used as it is; the message says why and what to do."""


class EncoderLoadError(ReportQAError):
    """An embedding or reranking model that cannot be loaded; the message says how to fix it."""


class UnreadableFileError(ReportQAError):
    """One report file that cannot be read; it is skipped with this message as the reason."""


class BackendError(ReportQAError):
    """A search backend (e.g. a Milvus server) that cannot be reached or used."""


class AccessDenied(ReportQAError):
    """A request without the right for what it asks (not logged in, an unknown account, or not an admin)."""


class UploadRejected(ReportQAError):
    """An uploaded report refused before it reaches the corpus; the message says why and what to do."""


class RemovalRejected(ReportQAError):
    """A report that cannot be removed from the corpus (unknown name, the last report)."""


class AccountError(ReportQAError):
    """An account change that cannot be made (name taken or unknown, weak password, the last admin)."""


def os_error_text(error: OSError) -> str:
    """A file-system error for users: the path that could not be read or written, or the message as it is."""
    if error.filename is None:
        return str(error)
    return f"无法读写 {error.filename}（{error.strerror}）"
