"""Insights end to end in Chromium: the prefecture officer's dashboard shows the charts; a
click on 恩施市's bar opens its townships; the county officer clicks a township's bar and
then a community's bar, which opens the cases behind the figure. Table view and PNG
download on the way; 390 px without sideways scrolling."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_org_tree import sign_in

pytestmark = pytest.mark.browser


def _click_bar(page: Any, chart: str, category: str) -> None:
    """Click the bar of ``category`` in the ECharts chart ``chart`` (on the canvas)."""
    el = page.locator(f"[data-chart='{chart}']")
    el.wait_for()
    page.wait_for_function(f"document.querySelector(\"[data-chart='{chart}']\").dataset.ready")
    point = page.evaluate(
        """([id, category]) => {
            const el = document.querySelector(`[data-chart='${id}']`);
            const chart = echarts.getInstanceByDom(el);
            const opt = chart.getOption();
            const i = opt.xAxis[0].data.indexOf(category);
            const values = opt.series.map(s => s.data[i] || 0);
            const top = Math.max(...values, 0);
            return chart.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [i, top / 2]);
        }""",
        [chart, category],
    )
    el.scroll_into_view_if_needed()
    box = el.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def test_the_officers_drill_down_to_the_cases(page: Any) -> None:
    sign_in(page, "prefecture")
    page.goto("/insights/?year=2026")
    assert page.locator("[data-chart]").count() >= 8
    page.wait_for_function("document.querySelector('[data-chart]').dataset.ready")
    screenshot(page, "insights-prefecture")
    page.locator("[data-chart-table='rates_child']").click()
    assert page.locator("#table-rates_child").is_visible()
    with page.expect_download() as download:
        page.locator("[data-chart-png='rates_child']").click()
    assert download.value.suggested_filename.endswith(".png")
    _click_bar(page, "rates_child", "恩施市")
    page.wait_for_url("**unit=*")
    assert "恩施市" in page.locator("h1").inner_text()

    page.context.clear_cookies()
    sign_in(page, "county")
    page.goto("/insights/?year=2026")
    assert "恩施市" in page.locator("h1").inner_text()
    _click_bar(page, "rates_child", "舞阳坝街道")
    page.wait_for_url("**unit=*")
    assert "舞阳坝街道" in page.locator("h1").inner_text()
    _click_bar(page, "rates_child", "官坡社区")
    page.wait_for_url("**/insights/records/**")
    assert page.locator("#records tbody tr").count() >= 1
    screenshot(page, "insights-records")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/insights/?year=2026")
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, wide
    screenshot(page, "insights-390")
