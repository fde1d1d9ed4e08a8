"""The clerk's walk-in journey from the workbench (issue 12): signed in, the clerk lands on
the workbench, registers a walk-in from its button, accepts and completes the case, and
finds it behind the workbench's "今日登记" tile, whose count went up by one.

Clicks, counted by the test (typing and choosing in the form not counted): from the
workbench, 登记办件 → 登记 → 受理 → 办结 is 4 clicks. Before the workbench the home page
was a greeting, so the same walk-in took 5: 办件 in the navbar → 登记办件 → 登记 → 受理 → 办结.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_org_tree import sign_in

pytestmark = pytest.mark.browser


def _today_count(page: Any, panel: Any) -> int:
    return int(panel.locator("[data-tile='today'] .workbench-count").inner_text())


def test_the_clerk_registers_a_walk_in_from_the_workbench(page: Any) -> None:
    clicks = 0

    def click(locator: Any) -> None:
        nonlocal clicks
        locator.click()
        clicks += 1

    sign_in(page, "clerk")
    page.wait_for_url("**/workbench/")
    panel = page.locator("section.workbench-panel[data-role='clerk']").first
    before = _today_count(page, panel)
    screenshot(page, "workbench-clerk")

    click(panel.get_by_role("link", name="登记办件"))
    page.get_by_label("事项", exact=True).select_option(label="LD-001 就业登记")
    page.get_by_label("来源渠道").select_option(label="窗口")
    page.get_by_label("申请人类型").select_option(label="来电人")
    page.get_by_label("联系人或来电人").fill("覃小燕")
    page.get_by_label("联系电话").fill("13972700041")
    page.get_by_label("诉求摘要").fill("来大厅办理就业登记。")
    click(page.locator("#case-new").get_by_role("button", name="登记"))
    number = page.locator("h1 small").inner_text().strip()
    click(page.locator("#step-accept").get_by_role("button"))
    page.locator("#step-complete [name=result]").fill("已办理就业登记。")
    click(page.locator("#step-complete").get_by_role("button"))
    assert "已办结" in page.locator("#case-facts").inner_text()
    assert clicks == 4

    page.goto("/workbench/")
    panel = page.locator("section.workbench-panel[data-role='clerk']").first
    assert _today_count(page, panel) == before + 1
    panel.locator("[data-tile='today']").click()
    assert page.locator("#cases tbody tr", has_text=number).count() == 1
