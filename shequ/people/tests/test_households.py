"""Households, their members, and the quorum counts built on them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import GUANPO, WUYANG_STREET, Personas, unit
from shequ.people.actions import (
    do_add_household_member,
    do_change_resident_status,
    do_create_household,
    do_remove_household_member,
)
from shequ.people.counts import adult_cutoff, community_counts
from shequ.people.models import Relation, ResidentStatus
from shequ.people.tests.conftest import MakeResident, new_id_number

pytestmark = pytest.mark.django_db


def test_a_household_has_a_head_and_members(
    personas: Personas, make_resident: MakeResident
) -> None:
    head, wife = make_resident(name="户主"), make_resident(name="妻子")
    h = do_create_household(personas.clerk, head=head, number="0001", client_token="h1")
    assert do_create_household(personas.clerk, head=head, number="0001", client_token="h1") == h
    do_add_household_member(personas.clerk, h, resident=wife, relation=Relation.SPOUSE)
    assert {(m.resident.name, m.relation) for m in h.members.all()} == {
        ("户主", Relation.HEAD),
        ("妻子", Relation.SPOUSE),
    }
    with pytest.raises(ValidationError, match="已属于另一户"):
        do_create_household(personas.clerk, head=wife)
    with pytest.raises(ValidationError):
        do_add_household_member(personas.clerk, h, resident=make_resident(), relation=Relation.HEAD)
    with pytest.raises(ValidationError, match="更换户主"):
        do_remove_household_member(personas.clerk, h, resident=head)
    do_remove_household_member(personas.clerk, h, resident=wife)
    assert h.members.count() == 1


def test_members_come_from_the_same_community(
    personas: Personas, make_resident: MakeResident
) -> None:
    h = do_create_household(personas.clerk, head=make_resident())
    elsewhere = make_resident(unit=unit(WUYANG_STREET))
    with pytest.raises(ValidationError, match="本社区"):
        do_add_household_member(personas.director, h, resident=elsewhere, relation="child")


def test_outsiders_cannot_change_households(
    personas: Personas, make_resident: MakeResident
) -> None:
    with pytest.raises(PermissionDenied):
        do_create_household(personas.lichuan_clerk, head=make_resident())


def test_counts_are_exact(personas: Personas, make_resident: MakeResident) -> None:
    day = dt.date(2026, 6, 1)
    guanpo = unit(GUANPO)
    adult = make_resident(id_number=new_id_number(dt.date(2008, 6, 1)))  # 18 today
    child = make_resident(id_number=new_id_number(dt.date(2008, 6, 2)))  # 18 tomorrow
    gone = make_resident(id_number=new_id_number(dt.date(1950, 1, 1)))
    h1 = do_create_household(None, head=adult)
    do_add_household_member(None, h1, resident=child, relation=Relation.CHILD)
    do_create_household(None, head=gone)
    do_change_resident_status(None, gone, status=ResidentStatus.DECEASED, on=dt.date(2025, 1, 1))
    counts = community_counts([guanpo, unit(WUYANG_STREET)], day)
    assert counts[guanpo.pk].households == 1
    assert counts[guanpo.pk].adults == 1
    assert counts[guanpo.pk].residents == 2
    assert counts[unit(WUYANG_STREET).pk].households == 0


def test_adult_cutoff_on_29_february() -> None:
    assert adult_cutoff(dt.date(2024, 2, 29)) == dt.date(2006, 2, 28)
    assert adult_cutoff(dt.date(2026, 3, 1)) == dt.date(2008, 3, 1)


def test_status_needs_a_date_and_not_a_future_one(
    personas: Personas, make_resident: MakeResident
) -> None:
    r = make_resident()
    with pytest.raises(ValidationError):
        do_change_resident_status(personas.clerk, r, status=ResidentStatus.MOVED_OUT, on=None)
    with pytest.raises(ValidationError):
        do_change_resident_status(
            personas.clerk, r, status=ResidentStatus.MOVED_OUT, on=dt.date(2999, 1, 1)
        )
    r = do_change_resident_status(
        personas.clerk, r, status=ResidentStatus.MOVED_OUT, on=dt.date(2024, 1, 1)
    )
    assert r.status == ResidentStatus.MOVED_OUT


def test_the_head_can_change(personas: Personas, make_resident: MakeResident) -> None:
    from shequ.people.actions import do_change_household_head

    father, son = make_resident(name="父"), make_resident(name="子")
    h = do_create_household(personas.clerk, head=father)
    do_add_household_member(personas.clerk, h, resident=son, relation=Relation.CHILD)
    do_change_household_head(personas.clerk, h, resident=son, former_head_relation=Relation.PARENT)
    assert dict(h.members.values_list("resident__name", "relation")) == {
        "父": Relation.PARENT,
        "子": Relation.HEAD,
    }
    with pytest.raises(ValidationError):
        do_change_household_head(personas.clerk, h, resident=make_resident())
    with pytest.raises(PermissionDenied):
        do_change_household_head(personas.lichuan_clerk, h, resident=father)
