"""Communities as they stood on a day (standings over the tree) and compliance with the
facility standards: the latest check on or before a day counts, the area rule in force
on that day applies, a community short of the standard shows what it lacks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import ENSHI_CITY, WUYANG_STREET, WUYANGBA, Personas, unit
from shequ.building import actions, standards
from shequ.building.models import AreaStandard, FacilityItem, ItemGroup
from shequ.building.tests.conftest import photo
from shequ.orgs.models import CommunityType, OrgUnit, User

D2015 = dt.date(2015, 6, 30)


def _all_thirteen(actor: User, where: OrgUnit, day: dt.date) -> None:
    proof = actions.do_upload_evidence(actor, where, file=photo())
    for item in FacilityItem.objects.filter(group=ItemGroup.THIRTEEN_ONES):
        actions.do_check_facility(actor, where, item, present=True, checked_on=day, evidence=proof)


def test_standings_decide_which_units_counted_and_as_what(personas: Personas) -> None:
    guanpo, street = personas.guanpo, unit(WUYANG_STREET)
    wuyangba = unit(WUYANGBA)
    before = standards.communities_on(D2015, wuyangba)
    assert before[guanpo.pk] == CommunityType.URBAN  # no standing: the tree's type
    actions.do_record_standing(
        personas.county,
        street,
        community_type=CommunityType.TOWN,
        valid_from=dt.date(2010, 1, 1),
        valid_to=dt.date(2019, 12, 31),
    )
    actions.do_record_standing(
        personas.county, guanpo, community_type=CommunityType.URBAN, valid_from=dt.date(2016, 1, 1)
    )
    on = standards.communities_on(D2015, wuyangba)
    assert on[street.pk] == CommunityType.TOWN
    assert guanpo.pk not in on  # it counted only from 2016
    assert standards.communities_on(dt.date(2021, 1, 1), wuyangba)[guanpo.pk] == "urban"
    assert street.pk not in standards.communities_on(dt.date(2021, 1, 1), wuyangba)
    with pytest.raises(ValidationError):
        actions.do_record_standing(
            personas.county, street, community_type="urban", valid_from=dt.date(2015, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        actions.do_record_standing(
            personas.township, street, community_type="urban", valid_from=dt.date(2030, 1, 1)
        )


def test_compliance_on_a_day_and_what_is_missing(personas: Personas) -> None:
    guanpo = personas.guanpo
    township = personas.township
    row = standards.compliance(D2015, guanpo)[guanpo.pk]
    assert not row.meets_standard and len(row.missing) == 13 and row.area_m2 is None
    proof = actions.do_upload_evidence(personas.clerk, guanpo, file=photo())
    actions.do_check_area(
        township, guanpo, area_m2="320", checked_on=dt.date(2015, 5, 1), evidence=proof
    )
    _all_thirteen(township, guanpo, dt.date(2015, 5, 2))
    row = standards.compliance(D2015, guanpo)[guanpo.pk]
    assert row.meets_standard and row.area_ok and row.area_m2 == Decimal("320.00")
    # the day before the checks nothing counted yet
    assert not standards.compliance(dt.date(2015, 4, 30), guanpo)[guanpo.pk].area_ok
    # a later check finds the charity supermarket closed
    item = FacilityItem.objects.get(group=ItemGroup.THIRTEEN_ONES, code="charity_supermarket")
    actions.do_check_facility(township, guanpo, item, present=False, checked_on=dt.date(2016, 1, 5))
    later = standards.compliance(dt.date(2016, 2, 1), guanpo)[guanpo.pk]
    assert [i.code for i in later.missing] == ["charity_supermarket"]
    assert standards.compliance(D2015, guanpo)[guanpo.pk].meets_standard


def test_the_area_rule_in_force_on_the_day_applies(personas: Personas) -> None:
    guanpo = personas.guanpo
    proof = actions.do_upload_evidence(personas.clerk, guanpo, file=photo())
    actions.do_check_area(
        personas.township, guanpo, area_m2="350", checked_on=dt.date(2015, 5, 1), evidence=proof
    )
    AreaStandard.objects.filter(effective_to__isnull=True).update(
        effective_to=dt.date(2019, 12, 31)
    )
    AreaStandard.objects.create(min_area_m2=400, basis="test", effective_from=dt.date(2020, 1, 1))
    assert standards.compliance(D2015, guanpo)[guanpo.pk].area_ok
    assert not standards.compliance(dt.date(2021, 1, 1), guanpo)[guanpo.pk].area_ok


def test_a_check_needs_a_role_and_evidence_and_a_fitting_item(
    personas: Personas, rural: OrgUnit, rural_township: User
) -> None:
    guanpo = personas.guanpo
    item = FacilityItem.objects.get(group=ItemGroup.THIRTEEN_ONES, code="health_room")
    with pytest.raises(PermissionDenied):
        actions.do_check_facility(personas.clerk, guanpo, item, present=True, photo=photo())
    with pytest.raises(ValidationError):
        actions.do_check_facility(personas.township, guanpo, item, present=True)
    with pytest.raises(ValidationError):
        actions.do_check_facility(rural_township, rural, item, present=True, photo=photo())
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"<html>not a photo</html>", content_type="image/png")
    with pytest.raises(ValidationError):
        actions.do_check_facility(personas.township, guanpo, item, present=True, photo=fake)
    hall = FacilityItem.objects.get(group=ItemGroup.RURAL, code=standards.SERVICE_HALL)
    actions.do_check_facility(rural_township, rural, hall, present=True, photo=photo())
    today = timezone.localdate()
    rows = standards.compliance(today, rural.parent_unit())
    assert standards.has_service_hall(rows[rural.pk], standards.catalogue())


def test_the_summary_counts_per_child_unit(personas: Personas) -> None:
    wuyangba = unit(WUYANGBA)
    township = personas.township
    proof = actions.do_upload_evidence(township, personas.guanpo, file=photo())
    actions.do_check_area(
        township, personas.guanpo, area_m2="300", checked_on=D2015, evidence=proof
    )
    _all_thirteen(township, personas.guanpo, D2015)
    total, children = standards.summary(D2015, wuyangba)
    assert total.urban_town == len(children) and total.urban_town_met == 1
    assert total.short == total.urban_town - 1
    mine = next(c for c in children if c.unit == personas.guanpo)
    assert (mine.area_ok, mine.thirteen_ok, mine.urban_town_met) == (1, 1, 1)
    county_total, counties = standards.summary(D2015, unit(ENSHI_CITY))
    assert county_total.urban_town_met == 1
    assert sum(c.urban_town_met for c in counties) == 1
