"""Agency and village points end to end in Chromium.

1. An elderly resident living alone calls the hotline: the agent registers the
   authorisation with a photo of the signed form, files two items, completes both; the
   family contact is told; the resident's rating is recorded.
2. A village point files an approval matter with a scan while the connection drops once:
   exactly one case exists; the township approves; the result shows at the point.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from shequ.demo.agency import villager_id_number
from tests.browser.conftest import screenshot
from tests.browser.test_org_tree import sign_in

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n% signed form\n%%EOF\n"
FAMILY = "13907185566"


def test_hotline_authorisation_two_items_family_told_and_a_rating(page: Any) -> None:
    sign_in(page, "agent")
    page.goto("/agency/authorizations/new/")
    page.get_by_label("受托站点").select_option(label="官坡社区全程代理中心站")
    # the picker offers a few of those who may give an authorisation; typing narrows it
    # from the registry (no dropdown of everyone)
    elderly = page.locator("#resident-choices label", has_text="孤寡老人").first
    label = elderly.inner_text().strip()
    name = label.split(" ")[0]
    page.get_by_label("查找委托人").fill(name)
    choice = page.locator("#resident-choices label", has_text=label)
    choice.wait_for()
    page.get_by_label(label).check()
    page.get_by_label("代办员").select_option(label="覃春兰")
    page.get_by_label("登记方式").select_option(value="hotline")
    page.get_by_label("委托全部可代理事项").check()
    page.get_by_label("签字授权书扫描件或照片(PDF/JPG/PNG)").set_input_files(
        {"name": "授权委托书.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    assert page.get_by_label("有效期至").input_value()  # a year from today by default
    page.get_by_label("家属联系人").fill("向明(儿子)")
    page.get_by_label("家属手机号").fill(FAMILY)
    page.get_by_role("button", name="登记授权").click()
    assert "授权委托已登记" in page.locator("main").inner_text()
    assert "孤寡老人" in page.locator("#auth-facts").inner_text()

    page.locator("#new-agency-case").click()
    page.get_by_label("养老金领取资格认证").check()
    page.get_by_label("居住情况证明").check()
    page.get_by_label("诉求摘要").fill("电话委托:上门办理")
    page.get_by_role("button", name="登记").click()
    assert "代理件已登记" in page.locator("main").inner_text()
    assert page.locator("#agency-items tbody tr").count() == 2
    for code, result in (("SB-005", "已上门完成资格认证"), ("SQ-003", "证明已开具")):
        row = page.locator(f"#agency-items tr[data-item='{code}']")
        row.get_by_label("办理结果").fill(result)
        row.get_by_role("button", name="办结").click()
        assert "事项已办结" in page.locator("main").inner_text()
    assert page.locator("#agency-status").inner_text().strip() == "已办结"
    told = page.locator("#told tbody tr")
    family = [t for t in told.all_inner_texts() if FAMILY[:3] in t and FAMILY[-4:] in t]
    assert any("全部代办事项已办结" in t for t in family)
    assert sum("已办结" in t for t in family) >= 3  # two items and the whole case
    assert all(name in t for t in family)
    # the worker delivers the outbox (log backend) within seconds; its first rounds after
    # the demo load also build the rollups, so allow a minute on a loaded machine
    for _ in range(120):
        texts = page.locator("#told tbody tr").all_inner_texts()
        if all("已发送" in t for t in texts):
            break
        page.wait_for_timeout(500)
        page.reload()
    assert all("已发送" in t for t in texts)
    screenshot(page, "agency-case")

    # the resident rates on the phone; the agent records it (services' ratings)
    row = page.locator("#agency-items tr[data-item='SB-005']")
    row.get_by_label("电话回访评价").select_option(label="非常满意")
    row.get_by_role("button", name="录入评价").click()
    assert "已录入评价" in page.locator("main").inner_text()
    rating = page.locator("#agency-items tr[data-item='SB-005'] .rating").inner_text()
    assert "非常满意" in rating


def test_a_village_point_files_once_through_a_dropped_connection(
    page: Any, browser: Any, live_server_url: str
) -> None:
    sign_in(page, "village_operator")
    page.goto("/agency/points/")
    page.locator("#points a").first.click()
    point_url = page.url
    page.locator("#new-matter").click()
    page.get_by_label("事项").select_option(label="临时救助申请")
    assert "遭遇急难情况的证明" in page.locator("#materials").inner_text()  # its materials
    page.get_by_label("村民身份证号").fill(villager_id_number(3))  # 覃老幺, in the registry
    page.get_by_label("申请内容").fill("房屋受灾,申请临时救助")
    page.get_by_label("材料扫描件(PDF/JPG/PNG)").set_input_files(
        {"name": "申请表.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    dropped: list[str] = []

    def drop_once(route: Any) -> None:
        if route.request.method == "POST" and not dropped:
            route.fetch()  # the server receives and saves it; the answer is lost
            dropped.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r".*/matters/new/$"), drop_once)
    page.get_by_role("button", name="提交报送").click()
    page.wait_for_url(re.compile(re.escape(point_url) + r"\?filed=\d+$"), timeout=20_000)
    page.unroute(re.compile(r".*/matters/new/$"))
    assert dropped
    rows = page.locator("#matters tbody tr", has_text="覃老幺")
    assert rows.count() == 1
    assert "已报上级" in rows.inner_text()
    case_url = rows.get_by_role("link").first.get_attribute("href")  # the case; then its scan
    assert "受理回执" in page.locator("#filed").inner_text()  # the receipt to print
    screenshot(page, "village-point-filed")

    township_context = browser.new_context(base_url=live_server_url, locale="zh-CN")
    township = township_context.new_page()
    sign_in(township, "badong_township")
    township.goto(case_url)
    assert "覃老幺" in township.locator("#case-facts").inner_text()  # the villager applies
    assert "来电人" not in township.locator("#case-facts").inner_text()
    form = township.locator("form", has=township.locator("input[name='result']"))
    form.locator("input[name='result']").fill("经审核,批准临时救助 1000 元")
    form.get_by_role("button").click()
    assert "已办结" in township.locator("main").inner_text()
    township_context.close()

    page.goto(point_url)
    row = page.locator("#matters tbody tr", has_text="覃老幺")
    assert "批准临时救助 1000 元" in row.locator(".result").inner_text()
    row.get_by_role("button", name="交付结果").click()
    assert "结果已交付" in page.locator("main").inner_text()
    assert "已交付" in page.locator("#matters tbody tr", has_text="覃老幺").inner_text()


def test_the_township_returns_a_village_matter_and_the_point_sees_the_notice(
    page: Any, browser: Any, live_server_url: str
) -> None:
    sign_in(page, "village_operator")
    page.goto("/agency/points/")
    page.locator("#points a").first.click()
    point_url = page.url
    page.locator("#new-matter").click()
    page.get_by_label("事项").select_option(label="临时救助申请")
    page.get_by_label("村民身份证号").fill(villager_id_number(0))  # 谭大山
    page.get_by_label("申请内容").fill("因病致困,申请临时救助")
    page.get_by_label("材料扫描件(PDF/JPG/PNG)").set_input_files(
        {"name": "申请表.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="提交报送").click()
    page.wait_for_url(re.compile(r".*/points/\d+/\?filed=\d+$"))
    number = page.locator("#filed").inner_text().split("已报送:")[1].split(" ")[0]
    case_url = page.locator(f"#matters tr[data-number='{number}'] a").first.get_attribute("href")

    township_context = browser.new_context(base_url=live_server_url, locale="zh-CN")
    township = township_context.new_page()
    sign_in(township, "badong_township")
    township.goto(case_url)
    facts = township.locator("#case-facts").inner_text()
    assert "谭大山" in facts and "居民" in facts
    scan_url = township.locator("#matter-scan").get_attribute("href")
    assert township.request.get(scan_url).status == 200  # the township opens the scan
    step = township.locator("#step-return")
    ticked = step.locator("input[name='missing']").first  # the item's own material list
    material = ticked.get_attribute("value") or ""
    ticked.check()
    step.locator("textarea[name='missing_other']").fill("医疗费用票据")
    step.get_by_role("button", name="退回补正").click()
    assert "已退回补正" in township.locator("main").inner_text()
    township_context.close()

    page.goto(point_url)
    row = page.locator(f"#matters tr[data-number='{number}']")
    assert row.get_attribute("data-status") == "returned"
    assert "待补正" in row.inner_text()
    row.get_by_role("link", name="打印一次性告知书").click()
    notice = page.locator("#notice")
    assert "补正材料一次性告知书" in notice.inner_text()
    assert material and material in notice.inner_text() and "医疗费用票据" in notice.inner_text()
    assert "便民服务点" in notice.inner_text()  # bring the materials to the point
    assert "人民政府便民服务中心" in page.locator("#paper-office").inner_text()  # the township's
    screenshot(page, "village-correction-notice")

    # the villager brings the materials; the point sends the matter up again
    page.goto(point_url)
    row = page.locator(f"#matters tr[data-number='{number}']")
    row.locator("input[type='file']").set_input_files(
        {"name": "补正.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    row.get_by_role("button", name="补正后重新报送").click()
    assert "补正材料已重新报送" in page.locator("main").inner_text()
    assert "已报上级" in page.locator(f"#matters tr[data-number='{number}']").inner_text()
