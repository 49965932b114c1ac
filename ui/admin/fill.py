"""What an admin page fills in when an admin opens the app: its components, and the function giving their values.

The page that holds the admin tab runs one load event: it checks the role once, and for
an admin calls every page's :attr:`Fill.values` (which do no check of their own, so they
must never be wired to an event directly); for anyone else it leaves them empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import gradio as gr


@dataclass(frozen=True)
class Fill:
    """Components of an admin page and a function returning their values, in the same order."""

    outputs: list[gr.components.Component]
    values: Callable[[], tuple]
