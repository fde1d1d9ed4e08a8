"""The hall end to end in Chromium: a resident takes a number at the kiosk, the clerk
calls it, the hall screen shows it, the case is completed, the resident rates 不满意 on
the window's pad, and the rectification appears in the community's queue."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_org_tree import sign_in

pytestmark = pytest.mark.browser


def test_kiosk_call_screen_complete_and_a_bad_rating_opens_a_rectification(
    page: Any, browser: Any, live_server_url: str
) -> None:
    # the director opens the hall page: it lists the device links (bound by the key)
    sign_in(page, "director")
    page.goto("/services/halls/")
    page.locator("#halls a").first.click()
    kiosk_url = page.locator("#device-links a").nth(0).get_attribute("href")
    screen_url = page.locator("#device-links a").nth(1).get_attribute("href")
    row = page.locator("#windows tbody tr", has_text="劳动就业")
    number = row.locator("td").first.inner_text().strip()
    pad_url = row.locator("code").inner_text().strip()
    console_url = row.get_by_role("link").get_attribute("href")

    device = browser.new_context(base_url=live_server_url, locale="zh-CN")
    kiosk = device.new_page()
    kiosk.goto(kiosk_url)
    kiosk.get_by_label("劳动就业").check()
    kiosk.get_by_label("姓名").fill("向大姐")
    kiosk.get_by_role("button", name="取号").click()
    ticket = kiosk.locator("#ticket-number").inner_text().strip()
    assert re.fullmatch(r"A\d{3}", ticket)
    screenshot(kiosk, "hall-kiosk-ticket")

    clerk_context = browser.new_context(base_url=live_server_url, locale="zh-CN")
    clerk = clerk_context.new_page()
    sign_in(clerk, "clerk")
    clerk.goto(console_url)
    clerk.get_by_role("button", name="叫下一号").click()
    assert clerk.locator("#current-number").inner_text().strip() == ticket

    screen = device.new_page()
    screen.goto(screen_url)
    assert screen.locator(f"#screen tr[data-window='{number}'] td").nth(2).inner_text() == ticket
    assert ticket in screen.locator("#latest").inner_text()
    screenshot(screen, "hall-screen")
    # a recall is spoken on the screen (speech synthesis, zh-CN), once the board refreshes
    assert screen.evaluate("'speechSynthesis' in window")
    clerk.get_by_role("button", name="重呼").click()
    screen.wait_for_function(
        "t => (document.body.getAttribute('data-spoken') || '').includes(t)",
        arg=ticket,
        timeout=15_000,
    )
    assert "号窗口办理" in (screen.locator("body").get_attribute("data-spoken") or "")

    clerk.get_by_label("事项").select_option(label="就业登记")
    clerk.get_by_label("联系电话").fill("13972700019")
    clerk.get_by_label("办理结果").fill("已办理就业登记")
    clerk.get_by_role("button", name="登记").click()
    assert "已办结" in clerk.locator("main").inner_text()
    served = clerk.locator("#served")  # the case the number produced, and its papers
    assert "就业登记" in served.inner_text()
    assert served.locator("#served-case").get_attribute("href", timeout=1000)
    assert served.locator("a[data-notice='receipt']").count() == 1
    screenshot(clerk, "hall-console")

    pad = device.new_page()
    pad.goto(pad_url)
    assert "就业登记" in pad.locator("#pad-case").inner_text()
    pad.get_by_label("不满意", exact=True).check()
    pad.get_by_label("服务态度").select_option(label="不满意")
    pad.get_by_label("意见和建议").fill("等了很久也没人引导")
    pad.get_by_role("button", name="提交评价").click()
    assert "谢谢您的评价" in pad.locator("#thanks").inner_text()

    page.goto("/services/rectifications/")
    row = page.locator("#rectifications tbody tr", has_text="等了很久也没人引导")
    assert "就业登记" in row.inner_text() and "不满意" in row.inner_text()
    assert "待核实" in row.inner_text()
    screenshot(page, "hall-rectifications")
    row.get_by_role("link").click()
    assert "等了很久也没人引导" in page.locator("#rect-facts").inner_text()
    device.close()
    clerk_context.close()
