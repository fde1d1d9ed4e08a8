"""Democratic evaluation: anonymous ballots, one per voter, 不称职 twice ends the post
after the township confirms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shequ.governance import actions
from shequ.governance.models import (
    Ballot,
    BallotMark,
    CommitteeKind,
    CommitteeMember,
    EvaluationVoter,
    Matter,
    MemberPost,
    Rating,
)
from shequ.governance.tests.conftest import Village
from shequ.governance.tests.helpers import convene
from shequ.orgs.models import Event, Post


def _supervision(village: Village) -> CommitteeMember:
    meeting = convene(
        village.staff, village.unit, matters=(Matter.SUPERVISION,), held_on=dt.date(2024, 3, 1)
    )
    for r in village.adults[:15]:
        actions.do_sign_in(village.staff, meeting, r)
    res = actions.do_decide_resolution(
        village.staff, meeting.agenda.get(), text="推选", votes_for=15
    )
    committee = actions.do_elect_committee(
        village.staff,
        unit=village.unit,
        kind=CommitteeKind.SUPERVISION,
        elected_on=dt.date(2024, 3, 1),
        members=[actions.Candidate(village.adults[8], MemberPost.DIRECTOR, True)],
        resolution=res,
    )
    return committee.members.get()


def _evaluate(village: Village, chair: CommitteeMember, year: int, unfit_votes: int):
    meeting = convene(
        village.staff, village.unit, matters=(Matter.WORK_REPORT,), held_on=dt.date(year, 12, 10)
    )
    voters = village.adults[:12]
    for r in voters:
        actions.do_sign_in(village.staff, meeting, r)
    committee = village.director_committee  # type: ignore[attr-defined]
    evaluation = actions.do_open_evaluation(
        village.staff, committee=committee, meeting=meeting, chair=chair, year=year
    )
    members = actions.evaluated_members(evaluation)
    director = next(m for m in members if m.resident_id == village.director.pk)
    for n, voter in enumerate(voters):
        marks = {m.pk: Rating.FIT for m in members}
        marks[director.pk] = Rating.UNFIT if n < unfit_votes else Rating.BASIC
        actions.do_cast_ballot(village.staff, evaluation, voter=voter, marks=marks)
    actions.do_close_evaluation(village.staff, evaluation)
    return evaluation, director


@pytest.fixture
def setup(village: Village) -> tuple[Village, CommitteeMember]:
    village.director_committee = CommitteeMember.objects.get(resident=village.director).committee  # type: ignore[attr-defined]
    return village, _supervision(village)


def test_ballots_hold_nothing_that_links_them_to_a_voter(setup) -> None:
    village, chair = setup
    evaluation, _d = _evaluate(village, chair, 2024, unfit_votes=3)
    ballot_fields = {f.name for f in Ballot._meta.get_fields()}
    mark_fields = {f.name for f in BallotMark._meta.get_fields()}
    assert ballot_fields == {"id", "evaluation", "marks"}
    assert mark_fields == {"id", "ballot", "member", "rating"}
    assert Ballot._meta.pk.get_internal_type() == "UUIDField"  # no order to line up with voters
    voter_fields = {f.name for f in EvaluationVoter._meta.get_fields()}
    assert voter_fields == {"id", "evaluation", "resident"}  # no ballot, no time
    assert Ballot.objects.filter(evaluation=evaluation).count() == 12
    assert EvaluationVoter.objects.filter(evaluation=evaluation).count() == 12
    ballot_ids = {str(b) for b in Ballot.objects.values_list("id", flat=True)}
    for event in Event.objects.filter(verb="governance.evaluation_voted"):
        assert not (set(map(str, (event.after or {}).values())) & ballot_ids)
        assert event.after == {"voted": 1}


def test_a_voter_cannot_vote_twice(setup) -> None:
    village, chair = setup
    meeting = convene(
        village.staff, village.unit, matters=(Matter.WORK_REPORT,), held_on=dt.date(2024, 12, 10)
    )
    actions.do_sign_in(village.staff, meeting, village.adults[1])
    evaluation = actions.do_open_evaluation(
        village.staff, committee=village.director_committee, meeting=meeting, chair=chair, year=2024
    )
    marks = {m.pk: Rating.FIT for m in actions.evaluated_members(evaluation)}
    actions.do_cast_ballot(village.staff, evaluation, voter=village.adults[1], marks=marks)
    with pytest.raises(ValidationError, match="已投票"):
        actions.do_cast_ballot(village.staff, evaluation, voter=village.adults[1], marks=marks)
    assert Ballot.objects.filter(evaluation=evaluation).count() == 1
    with pytest.raises(ValidationError, match="签到"):
        actions.do_cast_ballot(village.staff, evaluation, voter=village.adults[2], marks=marks)


def test_unfit_needs_more_than_half_and_twice_ends_the_post(setup, personas) -> None:
    village, chair = setup
    first, director = _evaluate(village, chair, 2024, unfit_votes=6)  # 6 of 12: not more than half
    assert first.results.get(member=director).rating == Rating.BASIC  # 6 basic, 6 unfit
    second, director = _evaluate(village, chair, 2025, unfit_votes=7)
    r2025 = second.results.get(member=director)
    assert r2025.rating == Rating.UNFIT and not r2025.dismissal_due  # the first time
    with pytest.raises(ValidationError, match="本年度已评议"):
        _evaluate(village, chair, 2025, unfit_votes=7)


def test_twice_unfit_confirmed_by_the_township(village: Village, personas) -> None:
    village.director_committee = CommitteeMember.objects.get(resident=village.director).committee  # type: ignore[attr-defined]
    chair = _supervision(village)
    _evaluate(village, chair, 2024, unfit_votes=7)
    second, director = _evaluate(village, chair, 2025, unfit_votes=8)
    result = second.results.get(member=director)
    assert result.dismissal_due
    with pytest.raises(PermissionDenied):
        actions.do_confirm_dismissal(village.staff, result)
    township = village.unit.parent_unit()
    assert township is not None
    from conftest import make_staff
    from shequ.orgs.models import Role

    officer = make_staff("v_township", (Role.TOWNSHIP_OFFICER, township))
    actions.do_confirm_dismissal(officer, result, day=dt.date(2026, 1, 5))
    director.refresh_from_db()
    assert director.ended_on == dt.date(2026, 1, 5)
    post = Post.objects.get(user=village.staff)
    assert post.ended_on == dt.date(2026, 1, 5)
    assert Event.objects.filter(verb="post.ended", object_id=str(post.pk)).exists()
