"""README is the user's reference: every setting must be listed in its configuration table."""

from __future__ import annotations

import re
from dataclasses import fields

from core.settings import PROJECT_ROOT, Settings


def test_every_setting_is_in_the_readme_configuration_table():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration"):]
    listed = set(re.findall(r"`([a-z0-9_]+)`", table))
    missing = [f.name for f in fields(Settings) if f.name not in listed]
    assert not missing, f"README 的设置表缺少：{missing}"
