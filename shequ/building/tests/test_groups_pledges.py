"""Leading groups with member units and duties, a community's working committee from
posts, policy documents linked to what they govern, pledges tracked to completion."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import ENSHI_CITY, Personas, unit
from shequ.building import actions
from shequ.building.figures import pledge_progress, pledges_completed
from shequ.building.models import (
    EntryKind,
    FacilityItem,
    FiscalLevel,
    FundSource,
    GroupKind,
    MemberRole,
    PledgeMeasure,
    SixBits,
    Walk,
)
from shequ.building.tests.conftest import photo
from shequ.orgs.models import OrgUnit, Post, Role


def test_a_county_leading_group_with_member_units_and_duties(personas: Personas) -> None:
    county = unit(ENSHI_CITY)
    group = actions.do_create_group(
        personas.county,
        county,
        kind=GroupKind.LEADING_GROUP,
        name="恩施市社区建设工作领导小组",
        established_on=dt.date(2011, 6, 1),
        client_token="g1",
    )
    assert (
        actions.do_create_group(
            personas.county,
            county,
            kind=GroupKind.LEADING_GROUP,
            name="x",
            established_on=dt.date(2011, 6, 1),
            client_token="g1",
        ).pk
        == group.pk
    )
    actions.do_add_member(personas.county, group, role=MemberRole.LEADER, name="市委书记")
    with pytest.raises(ValidationError) as error:
        actions.do_add_member(personas.county, group, role=MemberRole.MEMBER_UNIT, name="市民政局")
    assert "duties" in error.value.message_dict
    member = actions.do_add_member(
        personas.county, group, role=MemberRole.MEMBER_UNIT, name="市民政局", duties="日常工作"
    )
    with pytest.raises(PermissionDenied):
        actions.do_add_member(personas.township, group, role=MemberRole.MEMBER, name="x")
    with pytest.raises(ValidationError):
        actions.do_create_group(
            personas.county,
            personas.guanpo,
            kind=GroupKind.LEADING_GROUP,
            name="x",
            established_on=dt.date(2011, 1, 1),
        )
    actions.do_end_member(personas.county, member, until=dt.date.today())  # noqa: DTZ011
    with pytest.raises(ValidationError):
        actions.do_end_member(personas.county, member, until=dt.date.today())  # noqa: DTZ011


def test_a_working_committee_from_posts(personas: Personas) -> None:
    guanpo = personas.guanpo
    committee = actions.do_create_group(
        personas.secretary,
        guanpo,
        kind=GroupKind.COMMITTEE,
        name="官坡社区社区建设工作委员会",
        established_on=dt.date(2012, 3, 1),
    )
    post = Post.objects.get(user=personas.secretary, role=Role.PARTY_SECRETARY)
    chair = actions.do_add_member(
        personas.secretary, committee, role=MemberRole.CHAIR, walk=Walk.SECRETARY, post=post
    )
    assert chair.name == personas.secretary.display_name
    assert "社区党组织书记" in chair.position
    actions.do_add_member(
        personas.secretary,
        committee,
        role=MemberRole.MEMBER,
        walk=Walk.RETIRED_CADRE,
        name="田光荣",
    )
    assert committee.members.count() == 2
    page = personas.client(personas.director).get(committee.get_absolute_url())
    assert page.status_code == 200 and "田光荣" in page.content.decode()


def test_documents_are_linked_and_seen_below(personas: Personas) -> None:
    prefecture = OrgUnit.objects.get(kind="prefecture")
    with pytest.raises(PermissionDenied):
        actions.do_file_document(
            personas.township,
            unit(ENSHI_CITY),
            title="x",
            issuer="y",
            issued_on=dt.date(2015, 1, 1),
        )
    doc = actions.do_file_document(
        personas.prefecture,
        prefecture,
        title="社区规范化建设标准",
        issuer="州民政局",
        issued_on=dt.date(2012, 1, 1),
        number="恩施州民〔2012〕1号",
        file=photo("doc.png"),
        items=FacilityItem.objects.filter(group="thirteen_ones"),
    )
    assert doc.items.count() == 13
    # a community clerk reads the prefecture's documents
    page = personas.client(personas.clerk).get(doc.get_absolute_url())
    assert page.status_code == 200 and "一个爱心超市" in page.content.decode()
    assert personas.client(personas.outsider).get(doc.get_absolute_url()).status_code == 404


def test_pledges_from_data_and_from_evidence(personas: Personas) -> None:
    county = unit(ENSHI_CITY)
    funds = actions.do_make_pledge(
        personas.county,
        county,
        year=2015,
        title="拨付社区建设资金",
        measure=PledgeMeasure.FUNDS_DISBURSED,
        target="1",
    )
    assert pledge_progress(funds) == Decimal("0.00")
    with pytest.raises(ValidationError):
        actions.do_complete_pledge(personas.county, funds, completed_on=dt.date(2015, 12, 31))
    actions.do_record_entry(
        personas.county,
        unit=personas.guanpo,
        entry_date=dt.date(2015, 4, 1),
        level=FiscalLevel.COUNTY,
        source=FundSource.COUNTY_FUND,
        six_bits=SixBits.FISCAL,
        kind=EntryKind.DISBURSED,
        amount="15000",
    )
    assert pledge_progress(funds) == Decimal("1.50")  # 万元
    actions.do_complete_pledge(personas.county, funds, completed_on=dt.date(2015, 12, 31))
    assert pledges_completed(county, 2015) == (1, 1)
    manual = actions.do_make_pledge(
        personas.county,
        county,
        year=2015,
        title="培训社区工作者",
        measure=PledgeMeasure.MANUAL,
        target="200",
    )
    with pytest.raises(ValidationError):
        actions.do_report_pledge(personas.county, manual, value="200", note="培训", evidence=None)
    actions.do_report_pledge(
        personas.county,
        manual,
        value="210",
        note="四期培训",
        evidence=photo(),
        reported_on=dt.date(2015, 11, 1),
    )
    assert pledge_progress(manual) == Decimal("210.00")
    with pytest.raises(ValidationError):
        actions.do_report_pledge(personas.county, funds, value="1", note="x", evidence=photo())
    with pytest.raises(PermissionDenied):
        actions.do_make_pledge(
            personas.township,
            county,
            year=2015,
            title="x",
            measure=PledgeMeasure.MANUAL,
            target="1",
        )
