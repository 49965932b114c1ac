"""``GET /admin/audit`` (ui/admin/route.py), and the 审计日志 page's filter: a filter that is no date is refused
in Chinese, rights come before parameters.

The shared app of tests/ui/conftest.py (``app``: login on, an admin ``boss``, a reader ``li``), over real
HTTP on loopback.
"""

from __future__ import annotations

import json

import pytest
from gradio_client.exceptions import AppError

from tests.helpers import ADMIN, READER, logged_in

pytestmark = pytest.mark.slow  # a server over a copy of the slices index


def test_the_audit_route_and_page_refuse_a_filter_that_is_no_date_in_chinese(app, admin):
    http = logged_in(app, ADMIN)
    bad = http.get("/admin/audit", params={"since": "2026-13-45"})
    assert (bad.status_code, bad.text) == (400, "起始日期应写成 2025-03-01 这样的日期（收到：2026-13-45）")
    assert http.get("/admin/audit", params={"action": "nosuch"}).status_code == 400
    good = http.get("/admin/audit", params={"action": "login"})
    assert good.status_code == 200 and all(json.loads(line)["action"] == "login" for line in good.text.splitlines())
    assert len(http.get("/admin/audit", params={"limit": "2"}).text.splitlines()) == 2
    for limit in ("abc", "0", "-1", "10001"):  # FastAPI's own check answered 422 in English
        refused = http.get("/admin/audit", params={"limit": limit})
        assert refused.status_code == 400 and refused.text.startswith("limit 应为 1—10000 的整数"), limit
    reader = logged_in(app, READER).get("/admin/audit", params={"limit": "abc"})
    assert reader.status_code == 403 and "权限不足" in reader.text  # rights first, whatever the parameters
    with pytest.raises(AppError, match="截止日期应写成 2025-03-01 这样的日期（收到：2026/11/25）"):
        admin.predict("", "全部", "", "2026/11/25", "", api_name="/audit_log")
