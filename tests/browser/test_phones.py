"""Field staff on phones: every page of the agent's, the grid worker's and the village
operator's journeys at 390×844 is no wider than the screen, its tables are stacked cards
and its buttons are thumb-sized; and on a 1366 px screen the English navbar fits, its
buttons on the blue bar.

Pages are reached as the person reaches them: the links on the page before.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_org_tree import sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
THUMB = 44  # px, the smallest a control is tapped reliably (WCAG 2.5.5)

SMALL_CONTROLS = """() => [...document.querySelectorAll('main .btn, main button, .navbar-toggler')]
  .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
  .map(e => [e.textContent.trim().slice(0, 20), Math.round(e.getBoundingClientRect().height)])
  .filter(([, h]) => h > 0 && h < THUMB)""".replace("THUMB", str(THUMB))


def fits(page: Any, name: str) -> None:
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (page.url, width)
    assert page.evaluate(SMALL_CONTROLS) == [], page.url
    for table in page.locator("main table.table-cards").all():
        rows = table.locator(":scope > tbody > tr")
        if rows.count():
            assert rows.first.evaluate("e => getComputedStyle(e).display") == "block", page.url
    screenshot(page, f"phone-{name}")


def open_first(page: Any, selector: str, name: str) -> str:
    link = page.locator(selector).first
    link.click()
    fits(page, name)
    return str(page.url)


@pytest.fixture
def phone(browser: Any, live_server_url: str) -> Any:
    context = browser.new_context(base_url=live_server_url, locale="zh-CN", viewport=PHONE)
    yield context.new_page()
    context.close()


def test_the_agents_journey_fits_a_phone(phone: Any) -> None:
    sign_in(phone, "agent")
    fits(phone, "agent-home")
    phone.goto("/agency/")
    fits(phone, "agent-agency")
    open_first(phone, "#authorizations a", "agent-authorization")
    open_first(phone, "#new-agency-case", "agent-case-new")
    phone.goto("/agency/")
    open_first(phone, "#agency-cases tbody a", "agent-agency-case")
    assert phone.locator("#agency-items tbody tr").count() >= 1
    open_first(phone, "#agency-items tbody a", "agent-case")
    phone.goto("/agency/authorizations/new/")
    fits(phone, "agent-authorization-new")
    phone.goto("/people/")
    fits(phone, "agent-residents")
    open_first(phone, "#residents tbody a", "agent-resident")
    phone.goto("/notify/inbox/")
    fits(phone, "agent-inbox")


def test_the_grid_workers_journey_fits_a_phone(phone: Any) -> None:
    sign_in(phone, "gridworker")
    fits(phone, "grid-home")
    phone.goto("/mediation/")
    fits(phone, "grid-disputes")
    open_first(phone, "#register-dispute", "grid-dispute-new")
    phone.goto("/mediation/?view=all")
    open_first(phone, "#disputes a", "grid-dispute")
    phone.goto("/services/cases/?view=all")
    fits(phone, "grid-cases")
    open_first(phone, "#cases tbody a", "grid-case")
    phone.goto("/people/")
    fits(phone, "grid-residents")
    open_first(phone, "#residents tbody a", "grid-resident")
    phone.goto("/notify/inbox/")
    fits(phone, "grid-inbox")


def test_the_village_operators_journey_fits_a_phone(phone: Any) -> None:
    sign_in(phone, "village_operator")
    fits(phone, "village-home")
    phone.goto("/agency/points/")
    fits(phone, "village-points")
    point = open_first(phone, "#points a", "village-point")
    open_first(phone, "#new-matter", "village-matter-new")
    phone.goto(point)
    open_first(phone, "#matters tbody a", "village-case")
    phone.goto("/notify/inbox/")
    fits(phone, "village-inbox")


def test_the_english_navbar_fits_at_1366_with_its_buttons_on_the_bar(
    browser: Any, live_server_url: str
) -> None:
    for user in ("clerk", "director", "agent"):
        context = browser.new_context(
            base_url=live_server_url, locale="zh-CN", viewport={"width": 1366, "height": 900}
        )
        page = context.new_page()
        sign_in(page, user)
        page.goto("/services/cases/")
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        bar = page.locator("#site-nav").bounding_box()
        assert bar is not None and bar["height"] < 80, bar  # one line
        for button in page.locator("#site-nav .btn").all():
            box = button.bounding_box()
            assert box is not None
            assert box["x"] + box["width"] <= 1366, box
            assert box["y"] + box["height"] <= bar["y"] + bar["height"], box
        page.locator("#nav-services").click()  # the apps' menu opens on the blue bar
        assert page.get_by_role("link", name="Full-process agency").is_visible()
        screenshot(page, f"navbar-en-1366-{user}")
        context.close()
