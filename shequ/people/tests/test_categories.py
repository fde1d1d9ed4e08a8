"""Groups that get help, with periods and evidence; floating residents' details."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import Personas
from shequ.people.actions import (
    do_create_category,
    do_end_category_membership,
    do_grant_category,
    do_set_floating_info,
)
from shequ.people.models import Category, CategoryMembership, RegistrationType
from shequ.people.tests.conftest import MakeResident

pytestmark = pytest.mark.django_db


def test_the_seed_categories_exist() -> None:
    assert set(Category.objects.values_list("code", flat=True)) >= {
        "extreme_hardship",
        "disabled",
        "elderly_alone",
        "minimum_living",
        "unemployed",
    }


def test_a_resident_can_be_in_several_categories(
    personas: Personas, make_resident: MakeResident
) -> None:
    r = make_resident()
    disabled = Category.objects.get(code="disabled")
    low = Category.objects.get(code="minimum_living")
    with pytest.raises(ValidationError) as info:
        do_grant_category(
            personas.clerk, r, category=disabled, valid_from=dt.date(2024, 1, 1), evidence="残疾证"
        )
    assert "level" in info.value.message_dict
    do_grant_category(
        personas.clerk,
        r,
        category=disabled,
        valid_from=dt.date(2024, 1, 1),
        level="2",
        evidence="残疾证(肢体二级)",
    )
    m = do_grant_category(
        personas.clerk, r, category=low, valid_from=dt.date(2025, 1, 1), evidence="民政批复2025-3号"
    )
    assert CategoryMembership.objects.filter(resident=r).valid_on(dt.date(2025, 6, 1)).count() == 2
    with pytest.raises(ValidationError, match="已有"):
        do_grant_category(
            personas.clerk, r, category=low, valid_from=dt.date(2025, 3, 1), evidence="重复"
        )
    do_end_category_membership(personas.clerk, m, valid_to=dt.date(2025, 12, 31))
    assert CategoryMembership.objects.filter(resident=r).valid_on(dt.date(2026, 1, 1)).count() == 1


def test_evidence_must_not_carry_an_id_number(
    personas: Personas, make_resident: MakeResident
) -> None:
    r = make_resident()
    with pytest.raises(ValidationError, match="身份证号"):
        do_grant_category(
            personas.clerk,
            r,
            category=Category.objects.get(code="disabled"),
            valid_from=dt.date(2024, 1, 1),
            level="1",
            evidence="残疾证号 4228011980051700311",
        )


def test_only_the_prefecture_adds_categories(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        do_create_category(personas.county, code="veteran", name="退役军人")
    c = do_create_category(personas.prefecture, code="veteran", name="退役军人")
    assert c.active
    with pytest.raises(ValidationError):
        do_create_category(personas.prefecture, code="veteran", name="退役军人")


def test_floating_details_only_for_floating_residents(
    personas: Personas, make_resident: MakeResident
) -> None:
    local = make_resident()
    with pytest.raises(ValidationError):
        do_set_floating_info(
            personas.clerk, local, origin="湖南张家界", arrived_on=dt.date(2024, 1, 1)
        )
    r = make_resident(registration_type="流动")
    assert r.registration_type == RegistrationType.FLOATING
    info = do_set_floating_info(
        personas.clerk,
        r,
        origin="湖南省张家界市",
        arrived_on=dt.date(2024, 3, 1),
        has_permit=True,
        permit_expires_on=dt.date(2027, 3, 1),
        workplace="恩施华硒集团",
        school_age_children=2,
    )
    assert info.school_age_children == 2
