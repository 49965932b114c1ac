"""Foundations every layer may import: the one Settings object and the one error base class.

Importing ``core`` also makes model loading offline. Every entry point (``app.py``, ``python -m index``,
``python -m retriever``, the ``eval/`` scripts) imports ``core`` before any model library, and
huggingface_hub and transformers read these variables once, when they are first imported: set any later
(say, just before a model is loaded) they are ignored, and a model name that is not installed makes the
hub retry huggingface.co for a minute. ``setdefault``: a user who sets them (``HF_HUB_OFFLINE=0``) may
still download models.
"""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
