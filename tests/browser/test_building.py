"""Community building end to end in Chromium: a township officer checks one of a
community's "13个一" — first found missing, then present with a photo — and the county
bureau's compliance view changes each time; the photo opens for the township and the
county, not for the officer of another township (the demo's ``badong_township``)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_org_tree import sign_in

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TOWNSHIP = "舞阳坝街道"
COMMUNITY = "官坡社区"
ITEM = "一个爱心超市"


def _thirteen_ok(county: Any) -> int:
    county.goto("/building/standards/")
    row = county.locator("#compliance tbody tr", has_text=TOWNSHIP)
    return int(row.locator("td[data-col='thirteen']").inner_text())


def test_a_township_check_with_a_photo_changes_the_county_view(
    browser: Any, live_server_url: str
) -> None:
    county_ctx = browser.new_context(base_url=live_server_url, locale="zh-CN")
    township_ctx = browser.new_context(base_url=live_server_url, locale="zh-CN")
    other_ctx = browser.new_context(base_url=live_server_url, locale="zh-CN")
    county, township = county_ctx.new_page(), township_ctx.new_page()
    try:
        sign_in(county, "county")
        sign_in(township, "township")
        before = _thirteen_ok(county)
        assert before > 0

        # the township's view lists its communities; open the checklist of one
        township.goto("/building/standards/")
        township.locator("#compliance").get_by_role("link", name=COMMUNITY).click()
        assert COMMUNITY in township.locator("h1").inner_text()
        form = township.locator("#check-form")
        form.get_by_label("设施").select_option(label=ITEM)
        form.get_by_label("核查结果").select_option(label="不达标")
        form.get_by_label("说明").fill("超市停业")
        form.get_by_role("button", name="登记核查结果").click()
        assert "核查结果已登记" in township.locator("main").inner_text()
        assert ITEM in township.locator("#verdict").inner_text()
        assert _thirteen_ok(county) == before - 1
        county_row = county.locator("#short li", has_text=COMMUNITY)
        assert ITEM in county_row.inner_text()

        # re-opened: checked present, with a photo taken on the spot
        form = township.locator("#check-form")
        form.get_by_label("设施").select_option(label=ITEM)
        form.get_by_label("核查结果").select_option(label="达标")
        form.get_by_label("照片或文件(JPG/PNG/PDF)").set_input_files(
            {"name": "超市.png", "mimeType": "image/png", "buffer": PNG}
        )
        form.get_by_role("button", name="登记核查结果").click()
        assert "核查结果已登记" in township.locator("main").inner_text()
        row = township.locator("#checklist tr[data-item='charity_supermarket']")
        assert "达标" in row.inner_text() and row.get_by_role("link", name="查看").count() == 1
        screenshot(township, "building-checklist")
        assert _thirteen_ok(county) == before
        screenshot(county, "building-compliance")

        # the photo opens (as an image, never sniffed) for those who see the community
        href = live_server_url + (row.get_by_role("link", name="查看").get_attribute("href") or "")
        for viewer in (township, county):
            got = viewer.request.get(href, max_redirects=0)
            assert got.status == 200, got.status
            assert got.headers["content-type"] == "image/png"
            assert got.headers["x-content-type-options"] == "nosniff"
            assert got.body() == PNG
        other = other_ctx.new_page()
        sign_in(other, "badong_township")
        other.wait_for_url(lambda url: "/accounts/login/" not in url)
        assert other.request.get(href, max_redirects=0).status == 404
    finally:
        county_ctx.close()
        township_ctx.close()
        other_ctx.close()
