"""The residents' portal on a phone (390×844), on the real server: the home page's
transferred size, sign-in by code, a request with a photo, the clerk's acceptance on
the workbench, the reply date, completion, the rating; another resident gets 404."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_org_tree import sign_in

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
HOME_BUDGET = 150 * 1024


@pytest.fixture
def phone(browser: Any, live_server_url: str) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server_url, locale="zh-CN", **PHONE)
    yield context
    context.close()


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide"


def resident_signs_in(page: Any, number: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="手机号登录").first.click()
    page.get_by_label("手机号").fill(number)
    page.get_by_role("button", name="获取验证码").click()
    assert number[-4:] in page.locator("#code-sent").inner_text()
    code = page.locator("#demo-code strong").inner_text().strip()  # the log backend's demo
    assert re.fullmatch(r"\d{6}", code)
    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("button", name="登录").click()
    # the first sign-in shows the privacy notice and records consent
    assert "个人信息保护法" in page.locator("#privacy-notice").inner_text()
    page.get_by_label("我已阅读并同意以上个人信息处理规则").check()
    page.get_by_role("button", name="同意并继续").click()
    assert page.url.endswith("/my/")


def test_the_home_page_is_light_and_works_without_javascript(
    browser: Any, live_server_url: str
) -> None:
    context = browser.new_context(
        base_url=live_server_url, locale="zh-CN", java_script_enabled=False, **PHONE
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes: list[int] = []
    cdp.on("Network.loadingFinished", lambda e: sizes.append(int(e["encodedDataLength"])))
    page.goto("/", wait_until="load")
    page.wait_for_timeout(300)
    total = sum(sizes)
    assert 0 < total < HOME_BUDGET, f"home page transferred {total} bytes"
    assert len(sizes) <= 3  # the page and its one stylesheet
    no_sideways_scroll(page)
    # large text, for elderly residents, with no script at all
    page.get_by_role("button", name="大字模式").click()
    assert "large" in (page.locator("html").get_attribute("class") or "")
    assert page.get_by_role("button", name="标准字号").count() == 1
    screenshot(page, "portal-home-390-large")
    context.close()


def test_a_resident_asks_with_a_photo_follows_and_rates(
    phone: Any, browser: Any, live_server_url: str
) -> None:
    page = phone.new_page()
    resident_signs_in(page, "13972709001")
    # a number outside the registry: a limited account, which first says where it lives
    assert "只能查看您在网上提交的申请" in page.locator("#limited").inner_text()
    page.goto("/guide/?q=居住证")
    page.get_by_role("link", name="居住证申领").click()
    assert "需要的材料" in page.content()
    page.locator("#apply").click()
    page.get_by_label("社区或村的名称").fill("官坡")
    page.get_by_role("button", name="查找").click()
    page.locator("#communities label", has_text="官坡社区").first.click()
    page.get_by_role("button", name="确定").click()
    assert "居住证申领" in page.locator("h1").inner_text()
    page.get_by_label("您要办理的事情").fill("在恩施务工半年,申领居住证。")
    page.get_by_label("您的姓名").fill("覃小梅")
    page.locator("#id_photos").set_input_files(
        [{"name": "hukou.png", "mimeType": "image/png", "buffer": PNG}]
    )
    no_sideways_scroll(page)
    screenshot(page, "portal-ask-390")
    page.get_by_role("button", name="提交申请").click()
    assert "已提交" in page.locator("main").inner_text()
    number = page.locator("#facts dd").first.inner_text().strip()
    assert re.fullmatch(r"\d{15}", number)
    assert page.locator("#status").inner_text() == "已登记"
    request_url = page.url
    assert page.get_by_role("link", name="hukou.png").count() == 1

    # the clerk accepts it on the workbench, and sees the photo
    clerk_context = browser.new_context(base_url=live_server_url, locale="zh-CN")
    clerk = clerk_context.new_page()
    sign_in(clerk, "clerk")
    assert clerk.url.endswith("/workbench/")
    clerk.goto("/portal-staff/requests/")
    row = clerk.locator("#online-requests tbody tr", has_text=number)
    assert "hukou.png" in row.inner_text()
    row.get_by_role("link", name=number).click()
    clerk.locator("#step-accept").get_by_role("button").click()
    assert "已受理" in clerk.locator("#case-facts").inner_text()

    # the resident sees the reply date and the text message
    page.goto(request_url)
    assert page.locator("#status").inner_text() == "已受理"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d 前", page.locator("#reply-at").inner_text())
    assert "已受理" in page.locator("#texts").inner_text()
    screenshot(page, "portal-request-accepted-390")
    no_sideways_scroll(page)

    # completion, then the rating
    clerk.locator("#step-complete [name=result]").fill("居住证已制好,请凭身份证到社区领取。")
    clerk.locator("#step-complete").get_by_role("button").click()
    assert "已办结" in clerk.locator("#case-facts").inner_text()
    page.goto(request_url)
    assert page.locator("#status").inner_text() == "已办结"
    assert "凭身份证到社区领取" in page.locator("#result").inner_text()
    page.get_by_label("非常满意").check()
    page.get_by_label("意见和建议").fill("手机上就办了,谢谢。")
    page.get_by_role("button", name="提交评价").click()
    assert "感谢您的评价" in page.locator("main").inner_text()
    assert "非常满意" in page.locator("#rating").inner_text()
    timeline = page.locator("#timeline").inner_text()
    for step in ("登记", "受理", "办结", "评价"):
        assert step in timeline
    page.get_by_role("link", name="打印回执").click()
    assert number in page.locator("#notice").inner_text()
    screenshot(page, "portal-receipt-390")
    clerk_context.close()

    # another resident (another household) cannot open it
    other = browser.new_context(base_url=live_server_url, locale="zh-CN", **PHONE)
    other_page = other.new_page()
    resident_signs_in(other_page, "13972709002")
    response = other_page.goto(request_url)
    assert response is not None and response.status == 404
    assert number not in other_page.goto("/my/").text()
    other.close()
