"""The synthetic Enshi population: valid numbers, households, every category, re-run adds nothing."""

from __future__ import annotations

import pytest

from shequ.demo.grids import ensure_demo_grids
from shequ.demo.residents import ensure_demo_residents
from shequ.lib.idcard import parse_id_number
from shequ.people.crypto import cipher
from shequ.people.models import (
    Category,
    CategoryMembership,
    FloatingInfo,
    Household,
    HouseholdMember,
    Resident,
)

pytestmark = pytest.mark.django_db


def test_it_generates_a_valid_population_once() -> None:
    ensure_demo_grids()
    created = ensure_demo_residents(per_community=12, demo_community=400)
    assert created == Resident.objects.count() > 2500
    assert ensure_demo_residents(per_community=12, demo_community=400) == 0
    c = cipher()
    for r in Resident.objects.order_by("?")[:200]:
        parsed = parse_id_number(c.decrypt(r.id_number_enc))
        assert parsed.region_code.startswith("4228")
        assert (parsed.gender, parsed.birth_date) == (r.gender, r.birth_date)
    assert Household.objects.count() > 500
    assert HouseholdMember.objects.count() == created
    assert HouseholdMember.objects.filter(relation="head").count() == Household.objects.count()
    represented = set(CategoryMembership.objects.values_list("category__code", flat=True))
    assert represented >= set(Category.objects.values_list("code", flat=True))
    assert FloatingInfo.objects.exists()
    assert not Resident.objects.exclude(unit__kind="grid").exists()
