"""The 30-working-day limit from acceptance, extension, overdue as a query, the worker."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from conftest import Personas
from shequ.mediation import actions
from shequ.mediation.models import Dispute
from shequ.mediation.tests.conftest import MakeDispute
from shequ.notify.models import Message
from shequ.orgs.models import Event

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@time_machine.travel(dt.datetime(2026, 9, 14, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_the_limit_counts_working_days_across_the_national_day(
    personas: Personas, make_dispute: MakeDispute
) -> None:
    d = make_dispute()
    actions.do_accept_dispute(personas.mediator, d)
    # 14 Sep + 30 working days: 1–7 Oct off, Sunday 20 Sep and Saturday 10 Oct worked.
    assert d.due_at is not None
    assert d.due_at.astimezone(SHANGHAI).date() == dt.date(2026, 10, 30)
    actions.do_extend_dispute(personas.mediator, d, days=5, reason="需等待鉴定结果")
    assert d.due_at.astimezone(SHANGHAI).date() == dt.date(2026, 11, 6)
    with pytest.raises(ValidationError):
        actions.do_extend_dispute(personas.mediator, d, days=11, reason="再次延长")


def test_overdue_is_a_query_and_the_worker_tells_once(
    personas: Personas, make_dispute: MakeDispute
) -> None:
    d = make_dispute()
    actions.do_accept_dispute(personas.mediator, d)
    assert d.due_at is not None
    assert not Dispute.objects.overdue().exists()
    later = d.due_at + dt.timedelta(hours=1)
    assert list(Dispute.objects.overdue(later)) == [d]
    assert actions.remind_due_disputes(d.due_at - dt.timedelta(days=1)) == 1
    assert actions.remind_due_disputes(d.due_at - dt.timedelta(days=1)) == 0
    assert actions.escalate_overdue_disputes(later) == 1
    assert actions.escalate_overdue_disputes(later) == 0
    assert (
        Message.objects.filter(
            kind="mediation.due_soon", recipient=personas.mediator.username
        ).count()
        == 1
    )
    assert (
        Message.objects.filter(
            kind="mediation.overdue", recipient=personas.director.username
        ).count()
        == 1
    )
    assert Event.objects.filter(verb="mediation.dispute_overdue").count() == 1
