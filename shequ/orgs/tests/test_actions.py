"""Org actions: each validates, changes one thing, and leaves an event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from conftest import GUANPO, WUYANGBA, Personas, assert_tree_consistent, unit
from shequ.orgs.actions import (
    do_assign_post,
    do_create_unit,
    do_end_post,
    do_group_villages,
    do_retire_unit,
)
from shequ.orgs.models import CommunityType, Event, OrgUnit, Post, Role, UnitKind

pytestmark = pytest.mark.django_db


def test_creating_a_grid_records_who_did_it(personas: Personas) -> None:
    grid = do_create_unit(personas.director, unit(GUANPO), name="第7网格", kind=UnitKind.GRID)
    event = Event.objects.get(verb="unit.created", object_id=str(grid.pk))
    assert event.actor == personas.director
    assert event.unit == grid
    assert event.after is not None and event.after["name"] == "第7网格"


def test_a_unit_kind_must_fit_under_its_parent(personas: Personas) -> None:
    with pytest.raises(ValidationError) as err:
        do_create_unit(personas.county, unit(WUYANGBA), name="某村", kind=UnitKind.VILLAGE)
    assert "kind" in err.value.message_dict
    assert not OrgUnit.objects.filter(name="某村").exists()


def test_a_community_needs_a_type(personas: Personas) -> None:
    with pytest.raises(ValidationError) as err:
        do_create_unit(personas.county, unit(WUYANGBA), name="新区社区", kind=UnitKind.COMMUNITY)
    assert "community_type" in err.value.message_dict


def test_a_grid_worker_post_must_be_on_a_grid(personas: Personas) -> None:
    with pytest.raises(ValidationError) as err:
        do_assign_post(personas.director, personas.clerk, unit(GUANPO), role=Role.GRID_WORKER)
    assert "unit" in err.value.message_dict
    post = do_assign_post(
        personas.director,
        personas.clerk,
        personas.grid,
        role=Role.GRID_WORKER,
        employment="part_time",
    )
    assert post.unit == personas.grid
    assert Event.objects.filter(verb="post.assigned", object_id=str(post.pk)).exists()


def test_the_same_open_post_cannot_be_given_twice(personas: Personas) -> None:
    with pytest.raises(ValidationError):
        do_assign_post(personas.director, personas.clerk, unit(GUANPO), role=Role.CLERK)
    assert Post.objects.filter(user=personas.clerk).count() == 1


def test_ending_a_post_keeps_it_on_record(personas: Personas) -> None:
    post = personas.clerk.posts.get()
    do_end_post(personas.director, post, ended_on=dt.date(2024, 6, 30))
    post.refresh_from_db()
    assert post.ended_on == dt.date(2024, 6, 30)
    with pytest.raises(ValidationError):
        do_end_post(personas.director, post, ended_on=dt.date(2024, 7, 1))
    event = Event.objects.get(verb="post.ended", object_id=str(post.pk))
    assert event.before == {"ended_on": None}


def test_grouping_villages_forms_one_rural_community(personas: Personas) -> None:
    township = OrgUnit.objects.get(code="422801100000")  # 龙凤镇
    villages = list(
        OrgUnit.objects.filter(kind=UnitKind.VILLAGE, path__startswith=township.path).order_by(
            "code"
        )[:3]
    )
    old_communities = [v.parent_unit() for v in villages]
    day = dt.date(2025, 1, 1)
    community = do_group_villages(
        personas.county, township, name="龙凤联合社区", villages=villages, on=day
    )
    assert community.community_type == CommunityType.RURAL
    assert sorted(c.code for c in community.children()) == sorted(v.code for v in villages)
    for old in old_communities:
        assert old is not None
        old.refresh_from_db()
        assert old.active_to == day
        assert old.successor == community
    assert_tree_consistent()
    assert Event.objects.filter(verb="unit.moved").count() == 3


def test_grouping_needs_villages_of_that_township(personas: Personas) -> None:
    township = OrgUnit.objects.get(code="422801100000")
    other = OrgUnit.objects.filter(kind=UnitKind.VILLAGE).exclude(path__startswith=township.path)
    mine = OrgUnit.objects.filter(kind=UnitKind.VILLAGE, path__startswith=township.path)
    with pytest.raises(ValidationError):
        do_group_villages(
            personas.county,
            township,
            name="X",
            villages=[mine[0], other[0]],
            on=dt.date(2025, 1, 1),
        )
    assert not OrgUnit.objects.filter(name="X").exists()


def test_a_retired_unit_cannot_be_retired_again(personas: Personas) -> None:
    grid = personas.grid
    do_retire_unit(personas.county, grid, on=dt.date(2025, 1, 1))
    grid.refresh_from_db()
    with pytest.raises(ValidationError):
        do_retire_unit(personas.county, grid, on=dt.date(2025, 2, 1))
    assert not grid.is_active(dt.date(2025, 1, 2))
    assert grid.is_active(dt.date(2024, 12, 31))
