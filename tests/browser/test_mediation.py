"""Dispute mediation end to end in Chromium.

A grid worker reports a neighbour dispute from a phone (390 px) → the committee's
mediator accepts → two sessions → a written agreement, printed → the worker reminds of
the judicial-confirmation deadline → a follow-up visit → closed and archived.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.browser.conftest import Site, screenshot
from tests.browser.test_org_tree import sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


def step(page: Any, name: str, fields: dict[str, str]) -> None:
    details = page.locator(f"details[data-step='{name}']")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form = page.locator(f"#step-{name}")
    for label, value in fields.items():
        field = form.get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()


def test_a_neighbour_dispute_from_report_to_archive(
    page: Any, browser: Any, live_site: Site, live_server_url: str
) -> None:
    phone = browser.new_context(base_url=live_server_url, locale="zh-CN", viewport=PHONE)
    grid = phone.new_page()
    sign_in(grid, "gridworker")
    grid.goto("/mediation/disputes/new/")
    no_sideways_scroll(grid)
    grid.get_by_label("纠纷类型").select_option(label="邻里")
    grid.get_by_label("纠纷简要情况").fill("两户因院坝排水沟堵塞积水发生争吵,网格员现场劝开")
    grid.get_by_label("发生地点").fill("官坡社区第1网格")
    grid.get_by_label("申请人(一方)姓名").fill("田大海")
    grid.locator("#id_a_phone").fill("13972700188")
    grid.get_by_label("被申请人(另一方)姓名").fill("谭德英")
    screenshot(grid, "mediation-report-390")
    grid.get_by_role("button", name="登记", exact=True).click()
    assert "纠纷已登记" in grid.locator("main").inner_text()
    number = grid.locator("h1").inner_text().split(" ")[0]
    no_sideways_scroll(grid)
    assert "139****0188" in grid.locator("#parties").inner_text()
    url = grid.url
    phone.close()

    sign_in(page, "mediator")
    page.goto("/mediation/?view=open")
    page.locator(f"[data-dispute='{number}']").click()
    assert page.url == url
    step(page, "accept", {})
    assert "已受理" in page.locator("main").inner_text()
    now = dt.datetime.now()  # noqa: DTZ005 - the browser's local time, like a person types it
    for n, hours in ((1, 3), (2, 1)):
        at = (now - dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")
        step(
            page,
            "session",
            {
                "调解时间": at,
                "调解地点": "官坡社区调解室" if n == 2 else "纠纷现场",
                "参加人员": "田大海、谭德英、调解员邓德明",
                "调解记录": f"第{n}次调解:双方陈述意见,核实积水原因,释法说理。",
            },
        )
        assert "调解记录已保存" in page.locator("main").inner_text()
    assert page.locator("#sessions > div").count() == 2
    # signed 25 days ago, so the 30-day window for judicial confirmation ends soon
    signed = (dt.date.today() - dt.timedelta(days=25)).isoformat()  # noqa: DTZ011
    step(
        page,
        "agreement",
        {
            "纠纷主要事实、争议事项": "谭德英家排水沟堵塞,雨水漫入田大海家院坝",
            "各方当事人的责任": "谭德英负主要责任",
            "协议内容": "谭德英于七日内疏通排水沟,并赔偿田大海清理费300元",
            "履行方式": "现场疏通,现金支付",
            "履行期限": (dt.date.today() + dt.timedelta(days=7)).isoformat(),  # noqa: DTZ011
            "生效日期(签字盖章之日)": signed,
        },
    )
    assert "调解协议已登记" in page.locator("main").inner_text()
    assert page.locator("#confirmation-countdown").is_visible()

    page.locator("#paper-agreement").click()
    paper = page.locator("#paper").inner_text()
    for text in ("人民调解协议书", "指印", "印章", "一式 3 份", "0718-8"):
        assert text in paper, text
    screenshot(page, "mediation-agreement-paper")
    page.go_back()

    # the worker's reminder, run now rather than when the site's worker loop (every app's
    # tasks in turn, slow on a loaded machine, and the outbox's demo backlog 20 messages a
    # loop) reaches it: the same task and delivery against the site's database until
    # nothing is left to send, then the mediator's inbox and the dispute's history
    live_site.manage(
        "worker",
        "--until-idle",
        "--task",
        "remind_confirmation_deadlines",
        "--task",
        "deliver_outbox",
    )
    # the site's own worker may hold the message's claim for the moment it takes to send it
    for _ in range(20):
        page.goto("/notify/inbox/")
        if number in page.locator("main").inner_text():
            break
        page.wait_for_timeout(250)
    assert "申请司法确认截止" in page.locator("main").inner_text()
    assert number in page.locator("main").inner_text()
    page.goto(url)
    assert "提醒申请司法确认" in page.locator("#timeline").inner_text()

    step(page, "follow_up", {"履行情况": "performed", "回访情况": "排水沟已疏通,清理费已付"})
    assert "回访已记录" in page.locator("main").inner_text()
    step(page, "close", {})
    assert "已结案" in page.locator("main").inner_text()
    step(page, "archive", {})
    assert "已归档" in page.locator("#dispute-status").inner_text()
    assert page.locator("#archive-number").inner_text().strip()
    page.locator("#paper-archive").click()
    index = page.locator("#archive-index").inner_text()
    assert index.count("调解笔录") == 2 and "人民调解协议书" in index and "回访记录" in index
    screenshot(page, "mediation-archive")
