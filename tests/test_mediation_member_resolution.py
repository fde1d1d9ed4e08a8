"""A mediation committee's member rests on the villagers' meeting resolution that chose
them (人民调解法 第九条): the committee page offers the community's passed resolutions on
choosing mediation members, the member links to it, and a paper resolution made before
the platform is still recorded by its number.

Here, at the project level, because it drives two apps (governance makes the resolution,
mediation reads it through governance.figures)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import Personas, make_staff
from shequ.governance import actions as governance
from shequ.governance.models import CommitteeKind, Matter, MemberPost, Resolution
from shequ.governance.tests.conftest import populate
from shequ.governance.tests.helpers import convene
from shequ.mediation import actions
from shequ.mediation.models import Committee, CommitteeMember
from shequ.orgs.models import CommunityType, OrgUnit, Role, User

pytestmark = pytest.mark.django_db
MEETING_DAY = dt.date(2025, 6, 20)


@dataclass
class Chosen:
    unit: OrgUnit
    director: User
    committee: Committee
    mediation: Resolution  # 推选人民调解委员会委员, passed
    welfare: Resolution  # another matter of the same meeting


def _meeting(unit: OrgUnit, director: User) -> tuple[Resolution, Resolution]:
    _, adults = populate(unit, 10)
    governance.do_elect_committee(
        None,
        unit=unit,
        kind=CommitteeKind.VILLAGE,
        elected_on=dt.date(2021, 5, 1),
        members=[
            governance.Candidate(adults[0], MemberPost.DIRECTOR, user=director),
            governance.Candidate(adults[2], MemberPost.MEMBER),
            governance.Candidate(adults[4], MemberPost.MEMBER),
        ],
    )
    meeting = convene(
        director, unit, held_on=MEETING_DAY, matters=(Matter.MEDIATION, Matter.ART24_WELFARE)
    )
    for person in adults[:12]:
        governance.do_sign_in(director, meeting, person)
    mediation, welfare = meeting.agenda.order_by("number")
    at = dt.datetime.combine(MEETING_DAY, dt.time(10), tzinfo=ZoneInfo("Asia/Shanghai"))
    chosen = governance.do_decide_resolution(
        director,
        mediation,
        text="推选田桂兰、向明、谭家福为人民调解委员会委员",
        votes_for=12,
        at=at,
    )
    other = governance.do_decide_resolution(director, welfare, text="修路", votes_for=12, at=at)
    governance.do_close_meeting(director, meeting, minutes="", chair="甲", recorder="乙")
    return chosen, other


@pytest.fixture
def chosen(personas: Personas) -> Chosen:
    unit = OrgUnit.objects.filter(kind="community", community_type=CommunityType.RURAL).order_by(
        "path"
    )[0]
    director = make_staff("v_director", (Role.DIRECTOR, unit))
    mediation, welfare = _meeting(unit, director)
    committee = actions.do_create_committee(director, unit=unit)
    return Chosen(unit, director, committee, mediation, welfare)


def _signed_in(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_it_offers_the_communitys_resolution_and_links_the_member_to_it(chosen: Chosen) -> None:
    c = _signed_in(chosen.director)
    page = c.get(chosen.committee.get_absolute_url())
    assert page.status_code == 200
    offered = dict(page.context["form"].fields["resolution_id"].choices)
    assert chosen.mediation.pk in offered
    assert chosen.welfare.pk not in offered  # not a choice of mediation members

    response = c.post(
        chosen.committee.get_absolute_url(),
        {
            "name": "田桂兰",
            "gender": "female",
            "ethnicity": "土家族",
            "role": "chair",
            "resolution_id": chosen.mediation.pk,
        },
    )
    assert response.status_code == 302
    member = CommitteeMember.objects.get(committee=chosen.committee)
    assert member.resolution_id == chosen.mediation.pk
    assert member.chosen_on == MEETING_DAY  # the day of the resolution
    assert chosen.mediation.number in (member.resolution_ref or "")

    page = c.get(chosen.committee.get_absolute_url())
    html = page.content.decode()
    assert f'href="{chosen.mediation.get_absolute_url()}"' in html
    assert c.get(chosen.mediation.get_absolute_url()).status_code == 200


def test_a_resolution_on_another_matter_or_of_another_community_is_refused(
    personas: Personas, chosen: Chosen
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.do_add_member(
            chosen.director,
            chosen.committee,
            name="向明",
            gender="male",
            resolution_id=chosen.welfare.pk,
        )
    assert "resolution_id" in error.value.message_dict
    elsewhere = actions.do_create_committee(None, unit=personas.guanpo)
    with pytest.raises(ValidationError) as error:
        actions.do_add_member(
            None, elsewhere, name="向明", gender="male", resolution_id=chosen.mediation.pk
        )
    assert "resolution_id" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # chosen before the meeting decided
        actions.do_add_member(
            chosen.director,
            chosen.committee,
            name="向明",
            gender="male",
            chosen_on=MEETING_DAY - dt.timedelta(days=1),
            resolution_id=chosen.mediation.pk,
        )
    assert "chosen_on" in error.value.message_dict
    assert not CommitteeMember.objects.exists()

    # the page answers with the field's message, nothing saved
    response = _signed_in(chosen.director).post(
        chosen.committee.get_absolute_url(),
        {"name": "向明", "gender": "male", "ethnicity": "汉族", "role": "member"},
    )
    assert response.status_code == 400
    assert "请填写推选日期" in response.content.decode()
    assert not CommitteeMember.objects.exists()


def test_a_paper_resolution_before_the_platform_is_kept_by_its_number(chosen: Chosen) -> None:
    c = _signed_in(chosen.director)
    response = c.post(
        chosen.committee.get_absolute_url(),
        {
            "name": "谭家福",
            "gender": "male",
            "ethnicity": "苗族",
            "role": "member",
            "chosen_on": "2019-03-01",
            "resolution_ref": "村民会议决议〔2019〕2号",
        },
    )
    assert response.status_code == 302
    member = CommitteeMember.objects.get(committee=chosen.committee)
    assert (member.resolution_id, member.resolution_ref) == (None, "村民会议决议〔2019〕2号")
    assert "村民会议决议〔2019〕2号" in c.get(chosen.committee.get_absolute_url()).content.decode()


def test_a_township_committee_is_offered_no_meeting_resolution(chosen: Chosen) -> None:
    above = chosen.unit.parent_unit()
    assert above is not None
    township = actions.do_create_committee(None, unit=above)
    assert actions.member_resolutions(township) == []
    officer = make_staff("t_officer", (Role.TOWNSHIP_OFFICER, above))
    page = _signed_in(officer).get(township.get_absolute_url())
    assert page.status_code == 200
    assert "resolution_id" not in page.context["form"].fields
    with pytest.raises(ValidationError):
        actions.do_add_member(
            None, township, name="某", gender="male", resolution_id=chosen.mediation.pk
        )
