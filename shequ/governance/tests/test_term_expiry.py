"""A quarter before a committee's or a representative's term ends, the community's leads
(and the township) get a message, once per term end; the community page shows it."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from conftest import Personas, make_staff
from shequ.governance import actions
from shequ.governance.models import CommitteeKind, MemberPost
from shequ.governance.tests.conftest import Village
from shequ.notify.models import Message
from shequ.orgs.models import Role

END = dt.date(2026, 4, 30)  # the village committee elected 2021-05-01


def _reps(village: Village, term_to: dt.date = END) -> None:
    for r in range(6, 9):
        actions.do_add_representative(
            None,
            unit=village.unit,
            resident=village.adults[r],
            term_from=dt.date(2021, 5, 1),
            term_to=term_to,
        )


def test_the_leads_and_the_township_are_told_once(village: Village, personas: Personas) -> None:
    township = village.unit.parent_unit()
    assert township is not None
    officer = make_staff("v_township", (Role.TOWNSHIP_OFFICER, township))
    make_staff("v_clerk", (Role.CLERK, village.unit))  # a clerk is not a lead
    _reps(village)
    assert actions.remind_expiring_terms(END - dt.timedelta(days=120)) == 0  # too early
    assert not Message.objects.exists()
    handled = actions.remind_expiring_terms(END - dt.timedelta(days=80))
    assert handled == 4  # the committee and three representatives
    committee = Message.objects.filter(kind="governance.committee_term_ending")
    assert sorted(committee.values_list("recipient", flat=True)) == sorted(
        [village.staff.username, officer.username]
    )
    assert "2026-04-30" in committee[0].body and "换届" in committee[0].body
    reps = Message.objects.filter(kind="governance.reps_term_ending")
    assert reps.count() == 2 and "3 名" in reps[0].body  # one message for the three
    assert actions.remind_expiring_terms(END - dt.timedelta(days=79)) == 0  # once per term end
    assert Message.objects.count() == 4


def test_a_new_term_is_not_reminded(village: Village) -> None:
    actions.do_elect_committee(
        village.staff,
        unit=village.unit,
        kind=CommitteeKind.VILLAGE,
        elected_on=dt.date(2026, 3, 1),
        members=[actions.Candidate(village.director, MemberPost.DIRECTOR)],
    )
    _reps(village)
    for r in range(6, 9):  # re-elected for the next term
        actions.do_add_representative(
            None, unit=village.unit, resident=village.adults[r], term_from=END + dt.timedelta(1)
        )
    assert actions.remind_expiring_terms(END - dt.timedelta(days=60)) == 0
    assert not Message.objects.exists()


def test_the_community_page_shows_the_terms_ending(village: Village, personas: Personas) -> None:
    _reps(village)
    c = personas.client(village.staff)
    url = reverse("governance:community", args=[village.unit.pk])
    noon = dt.datetime.combine(
        END - dt.timedelta(days=30), dt.time(12), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(noon, tick=False):
        body = c.get(url).content.decode()
    assert "本届任期于 2026-04-30 届满" in body
    assert "3 名代表任期于 2026-04-30 届满" in body
    with time_machine.travel(noon - dt.timedelta(days=200), tick=False):
        assert "届满" not in c.get(url).content.decode()
