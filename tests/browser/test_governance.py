"""Self-governance end to end in Chromium, as 谭家坝村's director.

1. Convene a 村民会议 with notice (the notice prints), sign attendees in from the
   registry until the quorum is reached (with the article), vote a 第二十四条
   resolution, close the meeting and print the minutes.
2. A meeting that misses its quorum records the discussion but offers no vote.
3. A 村民代表会议's attendance by roll-call: tick the members present, the quorum follows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_org_tree import sign_in

pytestmark = pytest.mark.browser


def _convene(page: Any, title: str, matter: str, held: dt.date) -> None:
    page.goto("/governance/")
    page.locator("#convene").click()
    page.get_by_label("会议类型").select_option(value="villagers")
    page.get_by_label("会议名称").fill(title)
    page.get_by_label("会议日期").fill(held.isoformat())
    page.get_by_label("通知日期").fill(dt.date.today().isoformat())  # noqa: DTZ011 - the browser's today
    page.get_by_label("地点", exact=True).fill("谭家坝村党群服务中心")
    page.get_by_label("议题 1").fill("村组道路硬化筹资筹劳方案")
    page.get_by_label("事项类别 1").select_option(value=matter)
    page.get_by_role("button", name="发出通知").click()
    assert "会议已召集" in page.locator("main").inner_text()


def _sign_in_attendees(page: Any, n: int) -> None:
    attendees = page.locator("#attendees li")
    start = attendees.count()
    for k in range(1, n + 1):
        page.locator("#sign-in-form select").select_option(index=1)
        page.locator("#sign-in").click()
        expect(attendees).to_have_count(start + k, timeout=20_000)
    assert "已签到" in page.locator("main").inner_text()


def test_convene_sign_in_vote_an_article_24_matter_and_print_the_minutes(page: Any) -> None:
    sign_in(page, "village_director")
    today = dt.date.today()  # noqa: DTZ011 - the browser's today
    # Too little notice is refused with the article.
    page.goto("/governance/")
    page.locator("#convene").click()
    page.get_by_label("会议类型").select_option(value="villagers")
    page.get_by_label("会议名称").fill("通知不足的会议")
    page.get_by_label("会议日期").fill((today + dt.timedelta(days=5)).isoformat())
    page.get_by_label("通知日期").fill(today.isoformat())
    page.get_by_label("地点", exact=True).fill("村委会")
    page.get_by_label("议题 1").fill("测试")
    page.get_by_role("button", name="发出通知").click()
    assert "第二十一条" in page.locator("main").inner_text()

    _convene(page, "2026年冬季村民会议", "art24_welfare", today + dt.timedelta(days=10))
    page.locator("#print-notice").click()
    notice = page.locator("main").inner_text()
    assert "村组道路硬化筹资筹劳方案" in notice and "盖章" in notice
    page.go_back()
    page.locator("#open-sign-in").click()
    verdict = page.locator("#quorum-verdict")
    assert verdict.inner_text() == "未达到法定人数"
    adults = int(page.locator("#quorum li[data-basis=adults]").get_attribute("data-base"))
    _sign_in_attendees(page, adults // 2 + 1)
    assert page.locator("#quorum-verdict").inner_text() == "已达到法定人数"
    assert "第二十二条" in page.locator("#quorum-article").inner_text()
    screenshot(page, "governance-meeting-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    screenshot(page, "governance-meeting-390")
    page.set_viewport_size({"width": 1366, "height": 900})

    vote = page.locator("#item-1 .vote-form")
    vote.get_by_label("决议内容").fill("同意村组道路硬化方案,每户筹资200元、筹劳2个工日。")
    vote.get_by_label("赞成").fill(str(adults // 2))
    vote.get_by_label("反对").fill("1")
    vote.get_by_label("弃权").fill("0")
    vote.get_by_role("button", name="记录表决结果").click()
    assert "表决结果:通过" in page.locator("main").inner_text()
    assert "通过" in page.locator("#item-1 .resolution-result").inner_text()

    page.get_by_label("主持人", exact=True).fill("王永清")
    page.get_by_label("记录人").fill("村文书")
    page.get_by_label("会议记录").fill("会议审议了道路硬化方案。")
    page.locator("#close-meeting").click()
    page.locator("#print-minutes").click()
    minutes = page.locator("#paper-minutes").inner_text()
    assert "已达到法定人数" in minutes and f"赞成 {adults // 2}" in minutes
    screenshot(page, "governance-minutes-1366")


def test_a_meeting_without_quorum_cannot_pass_a_resolution(page: Any) -> None:
    sign_in(page, "village_director")
    today = dt.date.today()  # noqa: DTZ011 - the browser's today
    _convene(page, "未达法定人数的村民会议", "art24_homestead", today + dt.timedelta(days=12))
    page.locator("#open-sign-in").click()
    _sign_in_attendees(page, 3)
    assert page.locator("#quorum-verdict").inner_text() == "未达到法定人数"
    item = page.locator("#item-1")
    assert item.locator(".vote-form").count() == 0
    assert "不能表决" in item.inner_text()
    item.get_by_label("讨论情况").fill("到会人数不足,仅讨论,未表决。")
    item.get_by_role("button", name="记录讨论情况").click()
    assert "讨论情况已记录" in page.locator("main").inner_text()


def test_a_roll_call_of_the_representatives_reaches_the_quorum(page: Any) -> None:
    sign_in(page, "village_director")
    held = dt.date.today() + dt.timedelta(days=12)  # noqa: DTZ011 - the browser's today
    page.goto("/governance/")
    page.locator("#convene").click()
    page.get_by_label("会议类型").select_option(value="villagers_reps")
    page.get_by_label("会议名称").fill("点名的村民代表会议")
    page.get_by_label("会议日期").fill(held.isoformat())
    page.get_by_label("通知日期").fill(dt.date.today().isoformat())  # noqa: DTZ011
    page.get_by_label("地点", exact=True).fill("谭家坝村党群服务中心")
    page.get_by_label("议题 1").fill("审议年度工作报告")
    page.get_by_role("button", name="发出通知").click()
    assert "会议已召集" in page.locator("main").inner_text()
    page.locator("#open-sign-in").click()
    assert page.locator("#quorum-verdict").inner_text() == "未达到法定人数"
    members = int(page.locator("#quorum li[data-basis=members]").get_attribute("data-base"))
    boxes = page.locator("#roll-call-form input[type=checkbox]")
    assert boxes.count() == members
    present = members * 2 // 3 + 1
    for k in range(present):
        boxes.nth(k).check()
    page.locator("#roll-call-submit").click()
    expect(page.locator("#quorum-verdict")).to_have_text("已达到法定人数", timeout=20_000)
    assert f"{present} 人签到" in page.locator("main").inner_text()
    expect(page.locator("#attendees li")).to_have_count(present)
    assert page.locator("#roll-call-form input[type=checkbox]").count() == members - present
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    screenshot(page, "governance-roll-call-390")
