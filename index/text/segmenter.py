"""jieba tokenizers for the project: private ones, quiet, each user with their own dictionary cache.

jieba keeps its parsed dictionary in ``<temp>/jieba.cache``, one file for every user of the machine.
When another account made that file (the service account, say, and then an administrator running
``python -m index build``), jieba cannot read or replace it and prints a ``PermissionError``
traceback before anything else. Each user's cache is their own file here, and jieba's own log
lines (English, about its cache) are silenced.

Usage::

    tokenizer = new_jieba()
    tokenizer.lcut("社区办公用房不达标")
"""

from __future__ import annotations

import getpass
import os
import re


def cache_name() -> str:
    """This user's jieba cache file name (in the temporary folder), e.g. ``jieba.u1000.cache``.

    >>> cache_name().startswith("jieba.u") and cache_name().endswith(".cache")
    True
    """
    if hasattr(os, "getuid"):
        return f"jieba.u{os.getuid()}.cache"
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment
        user = "user"
    return f"jieba.u{re.sub(r'[^A-Za-z0-9_-]', '_', user)}.cache"


def new_jieba():  # noqa: ANN201 - jieba's Tokenizer (jieba is imported only when text is cut)
    """A private jieba tokenizer with the default dictionary and this user's own cache file.

    Private, not jieba's global one: Milvus Lite's jieba analyser adds its dictionary words to the
    global tokenizer of the process, which would change how the project cuts text.
    """
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.cache_file = cache_name()
    return tokenizer
