"""Scope: a user sees the union of its posts' subtrees and nothing else (404 beyond)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import DUTING, ENSHI_CITY, GUANPO, LICHUAN, WUYANG_STREET, Personas, unit
from shequ.orgs import access
from shequ.orgs.actions import do_assign_post, do_create_unit, do_end_post
from shequ.orgs.models import Role, UnitKind

pytestmark = pytest.mark.django_db


def get(p: Personas, user: object, url: str) -> int:
    return p.client(user).get(url).status_code  # type: ignore[arg-type]


def test_a_clerk_sees_its_community_and_gets_404_for_another_county(personas: Personas) -> None:
    p = personas
    assert get(p, p.clerk, unit(GUANPO).get_absolute_url()) == 200
    assert get(p, p.clerk, p.grid.get_absolute_url()) == 200
    assert get(p, p.clerk, unit(LICHUAN).get_absolute_url()) == 404
    assert get(p, p.clerk, unit(DUTING).get_absolute_url()) == 404
    # nor the neighbouring community, nor the subdistrict above it
    assert get(p, p.clerk, unit(WUYANG_STREET).get_absolute_url()) == 404
    assert get(p, p.clerk, unit(GUANPO).parent_unit().get_absolute_url()) == 404  # type: ignore[union-attr]


def test_a_clerk_gets_404_for_a_staff_record_of_another_county(personas: Personas) -> None:
    p = personas
    assert get(p, p.clerk, p.director.get_absolute_url()) == 200
    assert get(p, p.clerk, p.lichuan_clerk.get_absolute_url()) == 404
    assert get(p, p.clerk, p.outsider.get_absolute_url()) == 404


def test_a_county_officer_sees_the_whole_county_and_nothing_beyond(personas: Personas) -> None:
    p = personas
    visible = access.units_for_user(p.county)
    city = unit(ENSHI_CITY)
    assert visible.count() == city.descendants().count() + 1
    assert not visible.filter(code__startswith="422802").exists()
    assert get(p, p.county, unit(GUANPO).get_absolute_url()) == 200
    assert get(p, p.county, city.get_absolute_url()) == 200
    assert get(p, p.county, unit(LICHUAN).get_absolute_url()) == 404
    assert get(p, p.county, city.parent_unit().get_absolute_url()) == 404  # type: ignore[union-attr]
    assert get(p, p.county, p.clerk.get_absolute_url()) == 200
    assert get(p, p.county, p.lichuan_clerk.get_absolute_url()) == 404


def test_a_prefecture_officer_sees_everything(personas: Personas) -> None:
    p = personas
    assert get(p, p.prefecture, unit(LICHUAN).get_absolute_url()) == 200
    assert get(p, p.prefecture, p.lichuan_clerk.get_absolute_url()) == 200


def test_an_outsider_sees_nothing(personas: Personas) -> None:
    p = personas
    assert access.units_for_user(p.outsider).count() == 0
    assert get(p, p.outsider, unit(GUANPO).get_absolute_url()) == 404
    assert get(p, p.outsider, p.clerk.get_absolute_url()) == 404


def test_anonymous_users_are_sent_to_login(personas: Personas) -> None:
    from django.test import Client

    response = Client().get(unit(GUANPO).get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_scope_is_the_union_of_posts(personas: Personas) -> None:
    p = personas
    lichuan_community = p.lichuan_clerk.posts.get().unit
    do_assign_post(None, p.clerk, lichuan_community, role=Role.VOLUNTEER)
    p.clerk = type(p.clerk).objects.get(pk=p.clerk.pk)  # drop the memoised posts
    assert get(p, p.clerk, lichuan_community.get_absolute_url()) == 200
    assert get(p, p.clerk, unit(GUANPO).get_absolute_url()) == 200
    assert get(p, p.clerk, unit(DUTING).get_absolute_url()) == 404


def test_ended_posts_give_no_access(personas: Personas) -> None:
    p = personas
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    do_end_post(None, p.clerk.posts.get(), ended_on=yesterday)
    clerk = type(p.clerk).objects.get(pk=p.clerk.pk)
    assert get(p, clerk, unit(GUANPO).get_absolute_url()) == 404


def test_roles_decide_actions_inside_scope(personas: Personas) -> None:
    from django.core.exceptions import PermissionDenied

    p = personas
    guanpo = unit(GUANPO)
    # a clerk may see its community but not draw grids in it; the director may
    with pytest.raises(PermissionDenied):
        do_create_unit(p.clerk, guanpo, name="第9网格", kind=UnitKind.GRID)
    grid = do_create_unit(p.director, guanpo, name="第9网格", kind=UnitKind.GRID)
    assert grid.parent_unit() == guanpo
    # a county officer cannot act in another county, even with the right role
    with pytest.raises(PermissionDenied):
        do_create_unit(
            p.county, unit(DUTING), name="新社区", kind=UnitKind.COMMUNITY, community_type="urban"
        )


def test_ids_past_the_database_range_are_not_found(personas: Personas) -> None:
    client = personas.client(personas.prefecture)
    for url in ["/units/{}/", "/staff/{}/", "/events/{}/", "/units/{}/posts/new/"]:
        assert client.get(url.format("9" * 30)).status_code == 404
