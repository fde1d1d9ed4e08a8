"""Jobs end to end in Chromium: a resident unit reports vacancies through its own link →
the clerk refers two local residents (the suggestions put 官坡社区's own first) → the unit
confirms one hired → the community's local-hire share changes."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_org_tree import sign_in

pytestmark = pytest.mark.browser


def _share(page: Any) -> Decimal | None:
    text = page.locator("#share").inner_text().strip().rstrip("%")
    return None if text in {"", "—"} else Decimal(text)


def test_a_unit_reports_the_clerk_refers_locals_the_unit_hires_one(
    page: Any, browser: Any, live_server_url: str
) -> None:
    sign_in(page, "clerk")
    page.goto("/jobs/")
    button = page.locator("#units button[data-unit]").first
    unit_name = button.get_attribute("data-unit")
    button.click()
    link = re.search(r"https?://\S+/jobs/u/\S+/", page.locator("main").inner_text())
    assert link, page.locator("main").inner_text()
    screenshot(page, "jobs-desk")

    # the unit, without an account, at 390 px
    unit_context = browser.new_context(
        base_url=live_server_url, locale="zh-CN", viewport={"width": 390, "height": 844}
    )
    unit = unit_context.new_page()
    unit.goto(link.group(0))
    assert unit_name in unit.locator("h1").inner_text()
    unit.get_by_label("报告月份").select_option(index=2)  # the month after next: not yet reported
    row = unit.locator("fieldset[data-row='0']")
    row.get_by_label("岗位名称").fill("社区保洁员")
    row.get_by_label("人数").fill("2")
    row.get_by_label("行业").select_option(value="O")
    row.get_by_label("月薪下限(元)").fill("2200")
    row.get_by_label("月薪上限(元)").fill("2800")
    row.get_by_label("有效期至").fill("2099-12-31")
    with unit.expect_navigation():
        unit.get_by_role("button", name="提交空岗报告").click()
    assert "空岗报告已提交" in unit.locator("main").inner_text()
    assert unit.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(unit, "jobs-unit-390")

    # the clerk finds the post, sees local residents first, refers two of them
    page.goto("/jobs/")
    page.locator("#vacancies a", has_text="社区保洁员").first.click()
    before = _share(page)
    rows = page.locator("#suggestions tbody tr")
    assert rows.first.get_attribute("data-tier") == "0"
    assert "本社区居民" in rows.first.inner_text()
    names = []
    for _ in range(2):
        first = page.locator("#suggestions tbody tr[data-tier='0']").first
        name = first.get_attribute("data-seeker")
        names.append(name)
        with page.expect_navigation():
            first.get_by_role("button", name="推荐").click()
        assert f"已推荐{name}。" in page.locator("main").inner_text()
    referred = page.locator("#referrals tbody tr")
    assert referred.count() == 2 and all("本地" in t for t in referred.all_inner_texts())
    screenshot(page, "jobs-vacancy")

    # the unit confirms the first hired, the second not
    unit.reload()
    waiting = unit.locator("#waiting tbody tr")
    assert waiting.count() == 2
    hired = unit.locator(f"#waiting tr[data-seeker='{names[0]}']")
    hired.get_by_label("结果", exact=True).select_option(value="hired")
    with unit.expect_navigation():
        hired.get_by_role("button", name="确认").click()
    assert "结果已告知社区" in unit.locator("main").inner_text()
    other = unit.locator(f"#waiting tr[data-seeker='{names[1]}']")
    other.get_by_label("结果", exact=True).select_option(value="refused_by_unit")
    with unit.expect_navigation():
        other.get_by_role("button", name="确认").click()
    assert unit.locator("#waiting tbody tr[data-seeker]").count() == 0
    assert "1" in unit.locator("#unit-vacancies tbody tr", has_text="社区保洁员").inner_text()
    unit_context.close()

    # the community's local-hire share moved
    page.reload()
    assert page.locator("#hired").inner_text() == "1"
    assert page.locator("#hired-local").inner_text() == "1"
    after = _share(page)
    assert after is not None and after != before
    assert before is None or after > before
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/jobs/figures/")
    assert page.locator("#totals").is_visible()
    screenshot(page, "jobs-figures")
