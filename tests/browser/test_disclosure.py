"""Affairs disclosure in Chromium, as 谭家坝村's director: the quarter's finances are
prepared from the calendar, approved by the supervision committee's chair (the review
recorded), published, and printed as the poster for the board; the township sees the
on-time rates and the overdue list; the pages fit a phone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_org_tree import sign_in

pytestmark = pytest.mark.browser


def _fits_a_phone(page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    page.set_viewport_size({"width": 1366, "height": 900})


def test_a_quarterly_finance_disclosure_approved_and_printed(page: Any) -> None:
    sign_in(page, "village_director")
    page.goto("/governance/")
    page.locator("#disclosure-link").click()
    assert "公开目录(1+4+X)" in page.locator("main").inner_text()
    _fits_a_phone(page)
    row = page.locator("#dues tr", has_text="村集体财务收支情况").filter(has_text="Q4").last
    row.locator(".publish-due").click()
    form = page.locator("#disclosure-form")
    form.get_by_label("公开内容").fill("本季度村集体收入与支出如下,请村民监督。")
    form.get_by_label("表格", exact=False).fill(
        "项目|金额(元)\n林地租金|18000.00\n道路维修|6500.00"
    )
    form.get_by_role("button", name="提交审核").click()
    assert page.locator("#status").inner_text() == "待监督委员会审核"
    review = page.locator("#review-form")
    review.get_by_label("审核人(监督委员会成员)").select_option(index=1)
    chair = review.get_by_label("审核人(监督委员会成员)").evaluate(
        "s => s.options[s.selectedIndex].text"
    )
    review.get_by_role("button", name="记录审核意见").click()
    assert page.locator("#status").inner_text() == "审核通过,待公布"
    assert chair.split("(")[0] in page.locator("#review").inner_text()
    page.locator("#publish-form button").click()
    assert page.locator("#status").inner_text() == "已公布"
    assert "18000.00" in page.locator("#disclosure-table").inner_text()
    _fits_a_phone(page)
    page.locator("#poster-link").click()
    poster = page.locator("#poster").inner_text()
    assert "村集体财务收支情况" in poster and "18000.00" in poster
    assert chair.split("(")[0] in page.locator("#poster-approval").inner_text()
    assert "盖章" in poster and page.locator("#poster svg").count() == 1
    screenshot(page, "disclosure-poster-1366")
    _fits_a_phone(page)
    # The township sees the village's on-time rate and the overdue list, on a phone too.
    page.context.clear_cookies()
    sign_in(page, "village_township")
    page.goto("/governance/disclosure/")
    rates = page.locator("#rates").inner_text()
    assert "谭家坝村" in rates and "%" in rates
    assert page.locator("#overdue tbody tr").count() >= 1
    _fits_a_phone(page)
