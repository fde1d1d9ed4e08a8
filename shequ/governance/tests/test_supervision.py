"""The supervision committee: elected by a resolution, no committee member nor a close
relative of one, and a warning when nobody has accounting skills."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from shequ.governance import actions
from shequ.governance.models import CommitteeKind, Matter, MemberPost
from shequ.governance.tests.conftest import Village
from shequ.governance.tests.helpers import convene


def _resolution(village: Village):
    meeting = convene(village.staff, village.unit, matters=(Matter.SUPERVISION,))
    for r in village.adults[:15]:
        actions.do_sign_in(village.staff, meeting, r)
    return actions.do_decide_resolution(
        village.staff, meeting.agenda.get(), text="推选", votes_for=15
    )


def _elect(village: Village, people, resolution):
    return actions.do_elect_committee(
        village.staff,
        unit=village.unit,
        kind=CommitteeKind.SUPERVISION,
        elected_on=dt.date(2025, 6, 20),
        members=[actions.Candidate(r, MemberPost.MEMBER, accounting) for r, accounting in people],
        resolution=resolution,
    )


def test_it_refuses_a_relative_of_the_director_from_the_household(village: Village) -> None:
    resolution = _resolution(village)
    spouse = village.households[0].members.get(relation="spouse").resident  # the director's
    with pytest.raises(ValidationError, match="同户") as err:
        _elect(village, [(spouse, True), (village.adults[8], False)], resolution)
    assert "主任" in str(err.value) and village.director.name in str(err.value)


def test_it_refuses_a_committee_member_and_a_declared_relative(village: Village) -> None:
    resolution = _resolution(village)
    with pytest.raises(ValidationError, match="委员会成员"):
        _elect(village, [(village.adults[2], True)], resolution)
    actions.do_declare_relation(
        village.staff, a=village.adults[10], b=village.director, relation="女儿"
    )
    with pytest.raises(ValidationError, match="女儿"):
        _elect(village, [(village.adults[10], True)], resolution)


def test_it_needs_a_resolution_and_warns_without_accounting(village: Village) -> None:
    with pytest.raises(ValidationError, match="决议"):
        _elect(village, [(village.adults[8], False)], None)
    committee = _elect(
        village, [(village.adults[8], False), (village.adults[12], False)], _resolution(village)
    )
    assert any("财会" in w for w in actions.committee_warnings(committee, dt.date(2025, 7, 1)))
    assert committee.term_to == dt.date(2030, 6, 19)
