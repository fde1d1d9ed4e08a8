"""A printed 一次性告知书 in Chromium: the page renders to one A4 page of PDF, and laid
out for print it keeps the office's contacts, the signature lines, the seal area and the
status QR code on that page. (No PDF text library is in the environment: the PDF is
checked by its structure and page count, the printed layout by the print-media page.)"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_org_tree import sign_in

pytestmark = pytest.mark.browser

A4_HEIGHT_PX = 1123  # 297 mm at 96 px per inch


def test_the_correction_notice_prints_on_one_page_with_office_seal_and_qr(page: Any) -> None:
    sign_in(page, "clerk")
    page.goto("/services/cases/?view=open")
    row = page.locator("tbody tr", has_text="待补正").first
    row.get_by_role("link").first.click()
    links = page.locator("#print-links")
    assert "一次性告知书" in links.inner_text()
    assert "待补正" not in links.inner_text()  # the link names the paper, not the status
    links.get_by_role("link", name="一次性告知书").click()
    notice = page.locator("#notice")
    assert "补正材料一次性告知书" in notice.inner_text()
    office = page.locator("#paper-office").inner_text()
    assert "0718-8221433" in office and "官坡社区党群服务中心" in office
    assert "8:30" in office
    assert "经办人(签名)" in notice.inner_text() and "(盖章)" in notice.inner_text()
    assert page.locator("#paper-office .qr svg").count() == 1
    status_url = page.locator("#paper-office .status-url").inner_text().strip()

    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"the notice printed on {pages} pages"
    assert len(pdf) > 10_000  # text, the QR code and lines, not an empty page

    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": A4_HEIGHT_PX})
    assert not page.locator("nav.navbar").is_visible()  # no navigation on paper
    assert not page.get_by_role("button", name="打印").is_visible()
    box = page.locator("#paper-office").bounding_box()
    assert box is not None and box["y"] + box["height"] < A4_HEIGHT_PX
    screenshot(page, "printed-correction-notice")
    page.emulate_media(media="screen")

    # the QR code's address opens the case's status without signing in
    context = page.context.browser.new_context(locale="zh-CN")
    anonymous = context.new_page()
    anonymous.goto(status_url)
    assert "待补正" in anonymous.locator("#status").inner_text()
    context.close()
