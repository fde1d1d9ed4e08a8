"""Cases end to end in Chromium, on the real server and the real forms: an immediate item
done inside the quarter hour, a commitment item's reply date on its printed notices, and
a case sent up, completed by the township and shown as done back at the community."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_org_tree import sign_in

pytestmark = pytest.mark.browser
SHANGHAI = ZoneInfo("Asia/Shanghai")


def register(page: Any, item: str, *, name: str, phone: str, summary: str) -> str:
    """Register a case at the window for a caller through the clerk's form; its number."""
    page.goto("/services/cases/new/")
    page.get_by_label("事项", exact=True).select_option(label=item)
    page.get_by_label("来源渠道").select_option(label="窗口")
    page.get_by_label("申请人类型").select_option(label="来电人")
    page.get_by_label("联系人或来电人").fill(name)
    page.get_by_label("联系电话").fill(phone)
    page.get_by_label("诉求摘要").fill(summary)
    page.locator("#case-new").get_by_role("button", name="登记").click()
    number = page.locator("h1 small").inner_text().strip()
    assert re.fullmatch(r"\d{15}", number), number
    assert "已登记" in page.locator("#case-facts").inner_text()
    return number


def step(page: Any, name: str, **fields: str) -> None:
    form = page.locator(f"#step-{name}")
    for field, value in fields.items():
        form.locator(f"[name={field}]").fill(value)
    form.get_by_role("button").click()


def fact(page: Any, label: str) -> str:
    return str(page.locator("#case-facts dt", has_text=label).locator("+ dd").inner_text()).strip()


def test_an_immediate_item_is_accepted_and_completed_inside_the_quarter_hour(page: Any) -> None:
    sign_in(page, "clerk")
    number = register(
        page, "LD-001 就业登记", name="向春梅", phone="13972700031", summary="新入职超市收银员。"
    )
    assert page.locator("#case-facts [data-deadline]").count() == 1  # the countdown runs
    step(page, "accept")
    assert fact(page, "状态") == "已受理"
    step(page, "complete", result="已办理就业登记,录入就业信息系统。")
    assert fact(page, "状态") == "已办结"
    assert fact(page, "一刻钟") == "一刻钟达标"
    assert "已办理就业登记" in fact(page, "办理结果")
    timeline = page.locator("#timeline").inner_text()
    assert "已登记" in timeline and "已受理" in timeline and "已办结" in timeline
    screenshot(page, "case-immediate-done")
    page.goto("/services/cases/?view=all")
    row = page.locator("#cases tbody tr", has_text=number)
    assert "已办结" in row.inner_text() and "一刻钟达标" in row.inner_text()


def test_a_commitment_item_gets_a_reply_date_printed_on_its_notices(page: Any) -> None:
    sign_in(page, "clerk")
    number = register(
        page,
        "SQ-001 居住证申领",
        name="黄建军",
        phone="13972700032",
        summary="外地来恩施务工,申领居住证。",
    )
    step(page, "accept")
    assert fact(page, "状态") == "已受理"
    assert fact(page, "一刻钟") == "一刻钟达标"
    shown = re.match(r"(\d{4})-(\d\d)-(\d\d) 23:59", fact(page, "承诺办结时间"))
    assert shown, "due at the end of the promised working day"
    due = dt.date(*map(int, shown.groups()))
    assert due > dt.datetime.now(SHANGHAI).date()
    chinese = f"{due.year}年{due.month}月{due.day}日"
    detail_url = page.url

    links = page.locator("#print-links")
    assert "已受理" not in links.inner_text()  # print links name the paper, not the status
    links.get_by_role("link", name="受理回执").click()
    notice = page.locator("#notice").inner_text()
    assert "受理回执" in notice
    assert f"编号:{number}" in notice
    assert "黄建军" in notice and "居住证申领" in notice
    assert f"承诺于 {chinese} 前办结" in notice
    assert page.get_by_role("button", name="打印").count() == 1
    screenshot(page, "case-notice-accepted")

    page.goto(detail_url)
    page.get_by_role("link", name="登记回执").click()
    receipt = page.locator("#notice").inner_text()
    assert "办件登记回执" in receipt and f"编号:{number}" in receipt
    assert f"我们将于 {chinese} 前给您答复" in receipt
    assert "官坡社区" in receipt


def test_a_case_sent_up_is_completed_by_the_township_and_shows_done_at_the_community(
    page: Any,
) -> None:
    sign_in(page, "clerk")
    number = register(
        page,
        "MZ-002 临时救助申请",
        name="田秀英",
        phone="13972700033",
        summary="家中老人突发重病,医疗费用无力承担。",
    )
    step(page, "accept")
    to_unit = page.locator("#step-send_up select[name=to_unit]")
    to_unit.select_option(label=to_unit.locator("option", has_text="舞阳坝街道").inner_text())
    step(page, "send_up")
    assert fact(page, "状态") == "已报上级"
    assert "舞阳坝街道" in fact(page, "受理单位")
    case_url = page.url
    page.context.clear_cookies()

    sign_in(page, "township")
    page.goto("/services/cases/?view=mine")
    page.locator("#cases tbody tr", has_text=number).get_by_role("link").click()
    assert page.url == case_url
    step(page, "complete", result="经街道审批,给予临时救助金3000元。")
    assert fact(page, "状态") == "已办结"
    screenshot(page, "case-township-completed")
    page.context.clear_cookies()

    sign_in(page, "clerk")
    page.goto("/services/cases/?view=all")
    row = page.locator("#cases tbody tr", has_text=number)
    assert "已办结" in row.inner_text()
    row.get_by_role("link").click()
    assert fact(page, "状态") == "已办结"
    assert "临时救助金3000元" in fact(page, "办理结果")
    assert "谭红梅" in page.locator("#timeline").inner_text()  # the township officer
    screenshot(page, "case-done-at-community")


def test_the_item_picker_finds_an_item_by_pinyin_initials_and_the_case_list_by_number(
    page: Any,
) -> None:
    sign_in(page, "clerk")
    page.goto("/services/cases/new/")
    box = page.get_by_label("筛选事项:名称、编码或拼音首字母")
    box.fill("zdshbz")  # 最低生活保障申请
    assert page.get_by_label("事项", exact=True).input_value() == "MZ-001"
    visible = page.locator("select[name=item] option:not([hidden])").all_inner_texts()
    assert visible[1:] == ["MZ-001 最低生活保障申请"]  # after the empty choice
    box.fill("居住")
    visible = page.locator("select[name=item] option:not([hidden])").all_inner_texts()
    assert "SQ-001 居住证申领" in visible and all("居住" in v for v in visible[1:])
    box.fill("SQ-003")
    assert page.get_by_label("事项", exact=True).input_value() == "SQ-003"
    page.get_by_label("来源渠道").select_option(label="窗口")
    page.get_by_label("申请人类型").select_option(label="来电人")
    page.get_by_label("联系人或来电人").fill("谭志刚")
    page.get_by_label("联系电话").fill("13972700034")
    page.locator("#case-new").get_by_role("button", name="登记").click()
    number = page.locator("h1 small").inner_text().strip()
    assert "居住情况证明" in page.locator("h1").inner_text()
    screenshot(page, "case-item-typeahead")

    page.goto("/services/cases/")
    page.get_by_label("查找办件").fill(number)
    page.get_by_role("button", name="查找").click()
    rows = page.locator("#cases tbody tr")
    assert rows.count() == 1 and number in rows.inner_text()
