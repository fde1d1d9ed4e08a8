"""Deliberation end to end: a resident proposes a topic on the portal (phone width), the
community's director accepts it, gives notice, records a 民主恳谈, agrees an outcome,
adds a result and takes it to 100 % with a milestone photo; the resident sees the
result and photo and reads the messages sent to them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_org_tree import sign_in
from tests.browser.test_portal import PHONE, PNG, no_sideways_scroll, resident_signs_in

pytestmark = pytest.mark.browser
NUMBER = "13977700123"


def _step(page: Any, name: str, fields: dict[str, str]) -> None:
    """Fill a step's form on the topic page by its labels and submit it."""
    form = page.locator(f"#step-{name}")
    for label, value in fields.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("button").last.click()
    assert "已保存" in page.locator("main").inner_text(), page.locator("main").inner_text()[:2000]


def test_a_resident_topic_to_a_result_with_a_photo_and_the_proposers_messages(
    browser: Any, live_server_url: str, page: Any, tmp_path: Any
) -> None:
    phone = browser.new_context(base_url=live_server_url, locale="zh-CN", **PHONE)
    resident = phone.new_page()
    resident_signs_in(resident, NUMBER)
    resident.goto("/topics/new/")
    if "/my/community/" in resident.url:  # a number not in the registry says where it lives
        resident.locator("input[name=q]").fill("官坡")
        resident.get_by_role("button", name="查找").click()
        resident.locator("input[name=community]").first.check()
        resident.get_by_role("button", name="确定").click()
        resident.goto("/topics/new/")
    resident.get_by_label("议题").fill("三栋楼前划停车位")
    resident.get_by_label("想商量的事情").fill("消防通道常被占用。")
    resident.get_by_label("涉及哪些居民或单位").fill("一至三栋住户")
    resident.get_by_role("button", name="提交议题").click()
    topic_url = resident.url
    topic_id = topic_url.rstrip("/").rsplit("/", 1)[1]
    no_sideways_scroll(resident)

    sign_in(page, "director")
    page.goto(f"/governance/deliberation/topics/{topic_id}/")
    page.locator("#accept").click()
    today = dt.date.today()  # noqa: DTZ011 - the browser's today
    _step(
        page,
        "notice",
        {"协商预告(时间、地点、形式、参与人)": "周五晚民主恳谈", "预告日期": today.isoformat()},
    )
    form = page.locator("#step-consult")
    form.get_by_label("协商形式").select_option(value="talk")
    form.get_by_label("协商日期").fill(today.isoformat())
    form.get_by_label("地点或方式").fill("社区议事厅")
    form.get_by_label("协商记录").fill("住户代表同意划线。")
    form.get_by_label("参与人 1").fill("黄德明")
    form.get_by_label("身份 1").fill("居民代表")
    form.get_by_label("意见立场 1").fill("同意")
    form.locator("#save-consultation").click()
    assert "民主恳谈" in page.locator("#consultations").inner_text()
    outcome = page.locator("#step-outcome")
    outcome.get_by_label("协商结果", exact=True).select_option(value="agreed")
    _step(page, "outcome", {"协商结果说明": "划线20个车位", "形成结果日期": today.isoformat()})
    _step(page, "result", {"落实事项": "划线施工", "责任岗位": "居委会主任",
                           "完成期限": (today + dt.timedelta(days=30)).isoformat()})  # fmt: skip
    page.locator("#implement").click()
    photo = tmp_path / "line.png"
    photo.write_bytes(PNG)
    milestone = page.locator("#step-milestone")
    milestone.get_by_label("进度(%)").fill("100")
    milestone.get_by_label("进展情况").fill("划线完成")
    milestone.get_by_label("照片").set_input_files(str(photo))
    milestone.get_by_role("button", name="保存").click()
    assert "100%" in page.locator("#results").inner_text()
    assert "按期完成" in page.locator("#results").inner_text()
    screenshot(page, "deliberation-topic-1366")

    resident.goto(topic_url)
    assert "100%" in resident.locator("#results").inner_text()
    assert resident.locator("#results img").evaluate("img => img.naturalWidth") == 1
    messages = resident.locator("#my-messages").inner_text()
    assert "已受理" in messages and "划线完成" in messages
    no_sideways_scroll(resident)
    screenshot(resident, "deliberation-portal-390")
    phone.close()
