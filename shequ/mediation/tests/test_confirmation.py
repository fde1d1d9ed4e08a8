"""Judicial confirmation: the 30-day window from the agreement's effect, across a
holiday; applications, the court's decisions and the reminders."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import Personas
from shequ.mediation import actions
from shequ.mediation.models import Dispute, DisputeStatus, RuleKey
from shequ.mediation.tests.conftest import NEIGHBOUR_PHONE, agree
from shequ.notify.models import Message

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_the_window_ending_in_the_national_day_holiday_moves_to_the_first_working_day() -> None:
    rule = actions.rule_in_force(RuleKey.CONFIRMATION_WINDOW, dt.date(2026, 9, 1))
    assert rule.value == 30 and "第三十三条" in rule.article
    # 30 days after 1 September 2026 is 1 October, the first day of the holiday (1–7 Oct).
    assert actions.period_end(dt.date(2026, 9, 1), rule) == dt.date(2026, 10, 8)
    # An ordinary month: 30 days after 2 March 2026 is Wednesday 1 April.
    assert actions.period_end(dt.date(2026, 3, 2), rule) == dt.date(2026, 4, 1)


@time_machine.travel(dt.datetime(2026, 9, 1, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_an_agreement_made_on_1_september_may_be_confirmed_until_8_october(
    personas: Personas, mediating: Dispute
) -> None:
    a = agree(personas.mediator, mediating)
    assert a.effective_on == dt.date(2026, 9, 1)
    assert a.confirmation_due_on == dt.date(2026, 10, 8)
    with time_machine.travel(dt.datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI), tick=False):
        with pytest.raises(ValidationError) as e:
            actions.do_apply_confirmation(
                personas.mediator,
                mediating,
                court="恩施市人民法院",
                applied_on=dt.date(2026, 10, 9),
            )
        assert "applied_on" in e.value.message_dict
        actions.do_apply_confirmation(
            personas.mediator, mediating, court="恩施市人民法院", applied_on=dt.date(2026, 10, 8)
        )


def test_the_court_confirms(personas: Personas, mediating: Dispute) -> None:
    agree(personas.mediator, mediating)
    mediating.refresh_from_db()
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        actions.do_record_confirmation_decision(
            personas.mediator, mediating, decision="confirmed", decided_on=today
        )
    actions.do_apply_confirmation(
        personas.mediator, mediating, court="恩施市人民法院", applied_on=today
    )
    a = actions.do_record_confirmation_decision(
        personas.mediator, mediating, decision="confirmed", decided_on=today
    )
    assert a.decision == "confirmed"
    assert Dispute.objects.get(pk=mediating.pk).status == DisputeStatus.PERFORMING


def test_a_refused_confirmation_sends_the_dispute_back_to_mediation(
    personas: Personas, mediating: Dispute
) -> None:
    agree(personas.mediator, mediating)
    mediating.refresh_from_db()
    today = timezone.localdate()
    actions.do_apply_confirmation(
        personas.mediator, mediating, court="恩施市人民法院", applied_on=today
    )
    with pytest.raises(ValidationError):
        actions.do_record_confirmation_decision(
            personas.mediator, mediating, decision="refused", decided_on=today
        )
    actions.do_record_confirmation_decision(
        personas.mediator,
        mediating,
        decision="refused",
        decided_on=today,
        note="协议内容违反法律规定",
        remediate=True,
    )
    mediating.refresh_from_db()
    assert mediating.status == DisputeStatus.MEDIATING and mediating.agreement is None
    agree(personas.mediator, mediating)  # a new agreement after re-mediation
    assert mediating.agreements.count() == 2


def test_a_refused_confirmation_may_end_in_a_lawsuit(
    personas: Personas, mediating: Dispute
) -> None:
    agree(personas.mediator, mediating)
    mediating.refresh_from_db()
    today = timezone.localdate()
    actions.do_apply_confirmation(
        personas.mediator, mediating, court="恩施市人民法院", applied_on=today
    )
    actions.do_record_confirmation_decision(
        personas.mediator, mediating, decision="refused", decided_on=today, note="不符合确认条件"
    )
    mediating.refresh_from_db()
    assert mediating.status == DisputeStatus.ENDED and mediating.routes_told == "lawsuit"


def test_an_oral_agreement_is_not_confirmed(personas: Personas, mediating: Dispute) -> None:
    agree(personas.mediator, mediating, form="oral", performance_manner="", performance_due_on=None)
    mediating.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.do_apply_confirmation(
            personas.mediator, mediating, court="恩施市人民法院", applied_on=timezone.localdate()
        )


def test_the_worker_reminds_once_before_the_deadline(
    personas: Personas, mediating: Dispute
) -> None:
    a = agree(personas.mediator, mediating)
    assert a.confirmation_due_on is not None
    early = a.confirmation_due_on - dt.timedelta(days=20)
    assert actions.remind_confirmation_deadlines(early) == 0
    near = a.confirmation_due_on - dt.timedelta(days=5)
    assert actions.remind_confirmation_deadlines(near) == 1
    assert actions.remind_confirmation_deadlines(near) == 0
    sms = Message.objects.filter(kind="mediation.confirmation_due")
    assert sms.count() == 2
    assert NEIGHBOUR_PHONE not in repr(list(sms.values_list("payload", flat=True)))
    staff = Message.objects.get(kind="mediation.staff_confirmation_due")
    assert staff.recipient == personas.mediator.username
