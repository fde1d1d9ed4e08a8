"""Sign in and browse the Enshi tree in Chromium, as each level of officer would."""

from __future__ import annotations

import csv
import re
from typing import Any

import pytest

from tests.browser.conftest import DEMO_PASSWORD, ROOT, screenshot

pytestmark = pytest.mark.browser

COUNTIES = [
    ("恩施市", "422801000000"),
    ("利川市", "422802000000"),
    ("建始县", "422822000000"),
    ("巴东县", "422823000000"),
    ("宣恩县", "422825000000"),
    ("咸丰县", "422826000000"),
    ("来凤县", "422827000000"),
    ("鹤峰县", "422828000000"),
]


def divisions() -> list[dict[str, str]]:
    with (ROOT / "data" / "enshi_divisions.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def sign_in(page: Any, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_the_prefecture_officer_sees_the_eight_counties_with_their_codes(page: Any) -> None:
    sign_in(page, "prefecture")
    page.get_by_role("link", name="恩施土家族苗族自治州").first.click()
    rows = page.locator("#children tbody tr")
    assert rows.count() == 8
    for i, (name, code) in enumerate(COUNTIES):
        assert rows.nth(i).locator("td").nth(0).inner_text().startswith(name)
        assert rows.nth(i).locator("td").nth(1).inner_text() == code
    screenshot(page, "prefecture-tree")
    # drill down: 巴东县 → its townships
    page.get_by_role("link", name="巴东县").click()
    assert page.locator("h1").inner_text().startswith("巴东县")
    assert page.locator("#children tbody tr").count() >= 12
    total = page.locator("#children tfoot td")
    badong_villages = [
        r
        for r in divisions()
        if r["level"] == "village"
        and r["code"].startswith("422823")
        and 200 <= int(r["code"][9:12]) < 400
    ]
    assert int(total.nth(6).inner_text()) == len(badong_villages) == 294


def test_a_clerk_browses_its_community_and_is_refused_another_county(page: Any) -> None:
    sign_in(page, "prefecture")
    page.goto("/units/?q=都亭")
    lichuan_href = page.locator("#search-results a").first.get_attribute("href")
    page.get_by_role("button", name="退出").click()

    sign_in(page, "clerk")
    assert "官坡社区" in page.locator("main").inner_text()
    screenshot(page, "clerk-home")
    page.get_by_role("link", name="组织架构").click()
    page.get_by_role("link", name="官坡社区").click()
    assert page.locator("#unit-code").inner_text() == "422801001001"
    assert page.locator("#staff").get_by_text("刘晓燕").count() == 1
    screenshot(page, "clerk-community")
    response = page.goto(lichuan_href)
    assert response.status == 404
    page.goto("/units/?q=都亭")
    assert "没有符合条件的单位" in page.locator("#search-results").inner_text()


def test_the_county_officer_searches_within_the_county(page: Any) -> None:
    sign_in(page, "county")
    page.get_by_role("link", name="组织架构").click()
    page.get_by_placeholder("按名称或代码查找").fill("龙凤")
    page.get_by_role("button", name="查找").click()
    results = page.locator("#search-results li")
    assert results.count() >= 1
    assert all("422801" in t or "社区" in t or "村" in t for t in results.all_inner_texts())
    page.get_by_role("link", name=re.compile("^龙凤镇$")).click()
    assert page.locator("h1").inner_text().startswith("龙凤镇")
    screenshot(page, "county-township")


def test_ten_failed_logins_lock_the_account_with_a_clear_message(page: Any) -> None:
    for _ in range(10):
        sign_in(page, "volunteer", "not-the-password")
    body = page.locator("main").inner_text()
    assert "账号已暂时锁定" in body
    sign_in(page, "volunteer")
    assert "账号已暂时锁定" in page.locator("main").inner_text()
    screenshot(page, "locked")
