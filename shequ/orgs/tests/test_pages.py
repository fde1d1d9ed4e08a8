"""The tree browser, search, home, staff and event pages."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import ENSHI_CITY, GUANPO, Personas, unit
from shequ.orgs.actions import do_create_unit
from shequ.orgs.models import Event, OrgUnit, UnitKind

pytestmark = pytest.mark.django_db


def test_the_prefecture_page_lists_the_counties_with_counts(personas: Personas) -> None:
    client = personas.client(personas.prefecture)
    prefecture = OrgUnit.objects.get(kind=UnitKind.PREFECTURE)
    response = client.get(prefecture.get_absolute_url())
    assert response.status_code == 200
    rows = {child.name: counts for child, counts in response.context["rows"]}
    assert list(rows) == [
        "恩施市",
        "利川市",
        "建始县",
        "巴东县",
        "宣恩县",
        "咸丰县",
        "来凤县",
        "鹤峰县",
    ]
    city = unit(ENSHI_CITY)
    expected_townships = OrgUnit.objects.filter(
        kind=UnitKind.TOWNSHIP, path__startswith=city.path
    ).count()
    assert (
        rows["恩施市"].townships == expected_townships == 19
    )  # 18 civil-affairs townships and 恩施大峡谷风景管理处
    assert (
        rows["恩施市"].villages
        == OrgUnit.objects.filter(kind=UnitKind.VILLAGE, code__startswith="422801").count()
    )
    total = response.context["total"]
    assert total.townships == 94
    assert total.villages == 1528
    assert (
        total.urban + total.town
        == OrgUnit.objects.filter(code__isnull=False, kind="community").count()
    )
    assert total.staff == 6  # the personas but the outsider, who holds no post
    assert "422801000000" in response.content.decode()


def test_counts_follow_changes_and_skip_retired_units(personas: Personas) -> None:
    client = personas.client(personas.director)
    guanpo = unit(GUANPO)
    before = client.get(guanpo.get_absolute_url()).context["total"]
    do_create_unit(personas.director, guanpo, name="第2网格", kind=UnitKind.GRID)
    after = client.get(guanpo.get_absolute_url()).context["total"]
    assert after.grids == before.grids + 1
    assert after.staff == 2  # clerk and director; the grid has no worker yet


def test_search_finds_units_by_name_or_code_within_scope(personas: Personas) -> None:
    county = personas.client(personas.county)
    response = county.get("/units/", {"q": "官坡"})
    assert [u.code for u in response.context["results"]] == [GUANPO]
    by_code = county.get("/units/", {"q": "422801001"})
    assert GUANPO in [u.code for u in by_code.context["results"]]
    # 都亭 is in 利川市: out of the 恩施市 officer's scope
    assert list(county.get("/units/", {"q": "都亭"}).context["results"]) == []
    prefecture = personas.client(personas.prefecture)
    assert len(prefecture.get("/units/", {"q": "都亭"}).context["results"]) >= 1


def test_the_tree_page_starts_at_the_top_of_the_users_scope(personas: Personas) -> None:
    response = personas.client(personas.township).get("/units/")
    assert [u.code for u in response.context["roots"]] == ["422801001000"]


def test_the_staff_page_shows_posts_in_scope(personas: Personas) -> None:
    response = personas.client(personas.county).get(personas.clerk.get_absolute_url())
    assert response.status_code == 200
    assert "官坡社区" in response.content.decode()


def test_events_are_visible_to_leads_in_scope_only(personas: Personas) -> None:
    grid = do_create_unit(personas.director, unit(GUANPO), name="第8网格", kind=UnitKind.GRID)
    event = Event.objects.get(verb="unit.created", object_id=str(grid.pk))
    assert personas.client(personas.director).get(event.get_absolute_url()).status_code == 200
    assert personas.client(personas.county).get(event.get_absolute_url()).status_code == 200
    assert personas.client(personas.lichuan_clerk).get(event.get_absolute_url()).status_code == 404
    # a clerk does not read the audit log, even of its own community
    assert personas.client(personas.clerk).get(event.get_absolute_url()).status_code == 404
    listing = personas.client(personas.township).get("/events/")
    assert event in list(listing.context["page"])


def test_events_carry_the_request_id_and_address(personas: Personas) -> None:
    from shequ.orgs.events import RequestContext, reset_request_context, set_request_context

    token = set_request_context(RequestContext(request_id="req-12345678", client_ip="10.1.2.3"))
    try:
        grid = do_create_unit(personas.director, unit(GUANPO), name="第6网格", kind=UnitKind.GRID)
    finally:
        reset_request_context(token)
    event = Event.objects.get(verb="unit.created", object_id=str(grid.pk))
    assert (event.request_id, event.client_ip) == ("req-12345678", "10.1.2.3")


def test_responses_carry_a_request_id_and_a_content_security_policy() -> None:
    response = Client().get("/accounts/login/")
    assert len(response["X-Request-ID"]) == 36
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_english_is_available(personas: Personas) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/")
    assert 'lang="en"' in response.content.decode()
    assert "Sign in" in response.content.decode()


def test_the_menu_follows_the_role(personas: Personas) -> None:
    clerk = personas.client(personas.clerk).get("/workbench/").content.decode()
    assert "办件" in clerk and "服务大厅" in clerk and "三率排名" not in clerk
    township = personas.client(personas.township).get("/workbench/").content.decode()
    assert "三率排名" in township and "操作记录" in township
    outsider = personas.client(personas.outsider).get("/workbench/").content.decode()
    assert "办件" not in outsider and "服务目录" in outsider


def test_a_nul_in_a_query_string_is_a_400_everywhere(personas: Personas) -> None:
    client = personas.client(personas.clerk)
    for url in ["/units/?q=a%00b", "/people/?q=%00", "/services/cases/?view=%00"]:
        assert client.get(url).status_code == 400, url


def test_djangos_empty_choice_is_in_chinese(personas: Personas) -> None:
    from django.db.models.fields import BLANK_CHOICE_LABEL
    from django.utils import translation

    with translation.override("zh-hans"):
        assert str(BLANK_CHOICE_LABEL) == "- 请选择 -"
