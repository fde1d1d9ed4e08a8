"""Builders for the disclosure tests: a village on the calendar with its supervision
committee, and a disclosure taken from submission to publication at chosen moments."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from shequ.governance import actions, disclosure_actions
from shequ.governance.models import (
    CommitteeKind,
    CommitteeMember,
    Disclosure,
    DisclosureDue,
    DisclosureItem,
    Matter,
    MemberPost,
)
from shequ.governance.tests.conftest import Village
from shequ.governance.tests.helpers import convene
from shequ.orgs.models import User


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def supervision(village: Village, elected_on: dt.date = dt.date(2024, 12, 1)) -> CommitteeMember:
    """The village's supervision committee (members from households the village
    committee's members do not live in); returns its director."""
    meeting = convene(
        village.staff, village.unit, matters=(Matter.SUPERVISION,), held_on=elected_on
    )
    for r in village.adults[:15]:
        actions.do_sign_in(village.staff, meeting, r)
    resolution = actions.do_decide_resolution(
        village.staff, meeting.agenda.get(), text="推选监督委员会", votes_for=15
    )
    committee = actions.do_elect_committee(
        None,
        resolution=resolution,
        unit=village.unit,
        kind=CommitteeKind.SUPERVISION,
        elected_on=elected_on,
        members=[
            actions.Candidate(village.adults[10], MemberPost.DIRECTOR, accounting_skill=True),
            actions.Candidate(village.adults[12], MemberPost.MEMBER),
            actions.Candidate(village.adults[14], MemberPost.MEMBER),
        ],
    )
    return committee.members.get(post=MemberPost.DIRECTOR)


def on_calendar(village: Village, adopted_on: dt.date = dt.date(2025, 1, 1), **kw: object) -> None:
    disclosure_actions.do_save_disclosure_setting(
        None,
        village.unit,
        adopted_on=adopted_on,
        **kw,  # type: ignore[arg-type]
    )


def finance_due(village: Village, key: str) -> DisclosureDue:
    return DisclosureDue.objects.get(unit=village.unit, item__code="v-finance", key=key)


def publish(
    due: DisclosureDue, reviewer: CommitteeMember, day: dt.date, *, actor: User | None = None
) -> Disclosure:
    """Submitted the day before ``day``, approved and published on ``day``."""
    d = disclosure_actions.do_submit_disclosure(
        actor,
        unit=due.unit,
        item=due.item,
        due=due,
        title=f"{due.item.title} {due.key}",
        body="收入与支出明细见下表。",
        table=[["项目", "金额(元)"], ["收入", "12000.00"], ["支出", "8000.00"]],
        at=at(day - dt.timedelta(days=1)),
    )
    disclosure_actions.do_review_disclosure(
        actor,
        d,
        reviewer=reviewer,
        approve=True,
        at=at(day, 9),
    )
    return disclosure_actions.do_publish_disclosure(actor, d, at=at(day, 11))


def item(code: str) -> DisclosureItem:
    return DisclosureItem.objects.get(unit__isnull=True, code=code)
