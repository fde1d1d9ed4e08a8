"""Which meeting may decide what; notice days; requests to convene; recall."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shequ.governance import actions
from shequ.governance.models import (
    Basis,
    CommitteeMember,
    Matter,
    MeetingType,
    RecallStatus,
    RequestStatus,
)
from shequ.governance.tests.conftest import Village
from shequ.governance.tests.helpers import convene


def _quorate(village: Village, meeting) -> None:
    members = (
        [village.director, village.adults[2], village.adults[4], *village.adults[6:12]]
        if meeting.meeting_type == MeetingType.VILLAGERS_REPS
        else village.adults[:15]
    )
    for r in members:
        actions.do_sign_in(village.staff, meeting, r)


def test_villagers_meeting_needs_ten_days_notice(village: Village) -> None:
    with pytest.raises(ValidationError, match="10 天") as err:
        convene(village.staff, village.unit, notice_days=9)
    assert "第二十一条" in str(err.value)
    assert convene(village.staff, village.unit, notice_days=10, open_=False).pk


def test_a_village_holds_no_residents_meeting(village: Village, personas) -> None:
    with pytest.raises(ValidationError, match="不能召开"):
        convene(village.staff, village.unit, meeting_type=MeetingType.RESIDENTS)
    with pytest.raises(ValidationError, match="不能召开"):
        convene(personas.director, personas.guanpo, meeting_type=MeetingType.VILLAGERS)


@pytest.mark.parametrize("matter", sorted(m for m in Matter.values if m.startswith("art24_")))
def test_article_24_matters_are_the_villagers_meetings(village: Village, matter: str) -> None:
    for r in village.adults[6:12]:
        actions.do_add_representative(
            None, unit=village.unit, resident=r, term_from=dt.date(2021, 5, 1)
        )
    reps = convene(
        village.staff, village.unit, meeting_type=MeetingType.VILLAGERS_REPS, matters=(matter,)
    )
    _quorate(village, reps)
    with pytest.raises(ValidationError, match="第二十四条"):
        actions.do_decide_resolution(village.staff, reps.agenda.get(), text="x", votes_for=9)
    plenary = convene(village.staff, village.unit, matters=(matter, Matter.DELEGATION))
    _quorate(village, plenary)
    item, delegation = plenary.agenda.order_by("number")
    assert actions.do_decide_resolution(village.staff, item, text="方案", votes_for=15).passed
    grant = actions.do_decide_resolution(village.staff, delegation, text="授权", votes_for=15)
    authorised = convene(
        village.staff,
        village.unit,
        meeting_type=MeetingType.VILLAGERS_REPS,
        matters=(matter,),
        authorised_by=grant,
        held_on=dt.date(2025, 7, 1),
    )
    _quorate(village, authorised)
    assert actions.do_decide_resolution(
        village.staff, authorised.agenda.get(), text="y", votes_for=8
    ).passed


def test_charter_cannot_be_adopted_by_representatives(village: Village) -> None:
    for r in village.adults[6:12]:
        actions.do_add_representative(
            None, unit=village.unit, resident=r, term_from=dt.date(2021, 5, 1)
        )
    reps = convene(
        village.staff,
        village.unit,
        meeting_type=MeetingType.VILLAGERS_REPS,
        matters=(Matter.CHARTER,),
    )
    _quorate(village, reps)
    with pytest.raises(ValidationError, match="不得授权"):
        actions.do_decide_resolution(village.staff, reps.agenda.get(), text="x", votes_for=9)


def test_a_request_is_checked_against_its_threshold(village: Village) -> None:
    # 1/10 of 20 adults = 2 signatories
    one = actions.do_file_request(
        village.staff,
        unit=village.unit,
        meeting_type=MeetingType.VILLAGERS,
        basis=Basis.ADULTS,
        subject="修路",
        received_on=dt.date(2025, 5, 1),
        signatories=[village.adults[1]],
    )
    assert one.status == RequestStatus.INSUFFICIENT and one.needed == 2
    two = actions.do_file_request(
        village.staff,
        unit=village.unit,
        meeting_type=MeetingType.VILLAGERS,
        basis=Basis.ADULTS,
        subject="修路",
        received_on=dt.date(2025, 5, 1),
        signatories=[village.adults[1], village.adults[3], village.child],
        client_token="req-1",
    )
    assert two.status == RequestStatus.VALID and two.signed == 2  # the child does not count
    assert two.due_on == dt.date(2025, 5, 31) and two.is_overdue(dt.date(2025, 6, 1))
    again = actions.do_file_request(
        village.staff,
        unit=village.unit,
        meeting_type=MeetingType.VILLAGERS,
        basis=Basis.ADULTS,
        subject="修路",
        received_on=dt.date(2025, 5, 1),
        signatories=[],
        client_token="req-1",
    )
    assert again.pk == two.pk
    meeting = convene(village.staff, village.unit, request=two, open_=False)
    two.refresh_from_db()
    assert two.status == RequestStatus.CONVENED and two.meeting == meeting
    assert not two.is_overdue(dt.date(2025, 7, 1))


def test_recall_double_majority(village: Village) -> None:
    member = CommitteeMember.objects.get(resident=village.adults[2])
    short = actions.do_propose_recall(
        village.staff,
        member,
        basis=Basis.VOTERS,
        proposers=3,
        reason="失职",
        proposed_on=dt.date(2025, 5, 1),
    )
    assert short.status == RecallStatus.INSUFFICIENT  # 3 of 20 < 1/5
    recall = actions.do_propose_recall(
        village.staff,
        member,
        basis=Basis.VOTERS,
        proposers=4,
        reason="失职",
        proposed_on=dt.date(2025, 5, 1),
    )
    assert recall.status == RecallStatus.PROPOSED
    # 10 of 20 voting is not more than half: invalid, whatever the votes
    actions.do_vote_recall(
        village.staff, recall, voters=20, votes_cast=10, votes_for=10, voted_on=dt.date(2025, 6, 1)
    )
    assert recall.status == RecallStatus.FAILED
    again = actions.do_propose_recall(
        village.staff,
        member,
        basis=Basis.VOTERS,
        proposers=4,
        reason="失职",
        proposed_on=dt.date(2025, 7, 1),
    )
    actions.do_vote_recall(
        village.staff, again, voters=20, votes_cast=11, votes_for=6, voted_on=dt.date(2025, 8, 1)
    )
    assert again.status == RecallStatus.PASSED
    member.refresh_from_db()
    assert member.ended_on == dt.date(2025, 8, 1)


def test_outsiders_cannot_convene(village: Village, personas) -> None:
    with pytest.raises(PermissionDenied):
        convene(personas.clerk, village.unit)
