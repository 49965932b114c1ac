"""Section roles: what a heading says its sentences are (problems, measures, facts)."""

from __future__ import annotations

import pytest

from retriever.answer.roles import section_role


@pytest.mark.parametrize("path, role", [
    (["三、存在的主要问题", "（一）经费保障不足"], "problem"),
    (["四、对策建议"], "measure"),
    (["一、基本情况"], "facts"),
    ([], "other"),
    (["二、存在问题", "（二）几点建议"], "measure"),  # the innermost heading decides
])
def test_section_role(path, role):
    assert section_role(path) == role
