"""Two clerks act on one case at once: exactly one wins, the other is told why."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from conftest import Personas, ReceiveCase
from shequ.notify.models import Message
from shequ.services.actions import do_accept_case, do_refuse_case
from shequ.services.models import Case, CaseEvent, CaseStatus


def test_the_second_clerk_loses(receive: ReceiveCase, personas: Personas) -> None:
    case = receive("MZ-001")
    # Both opened the case while it was "received".
    mine, theirs = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    do_accept_case(personas.clerk, mine)
    with pytest.raises(ValidationError) as caught:
        do_refuse_case(personas.director, theirs, reason="不符合条件", legal_basis="某条")
    assert "已受理" in caught.value.message_dict["status"][0]
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert list(CaseEvent.objects.filter(case=case).values_list("verb", flat=True)) == [
        "received",
        "accepted",
    ]
    assert list(Message.objects.values_list("kind", flat=True)) == ["case.accepted"]


def test_accepting_twice_is_refused(receive: ReceiveCase, personas: Personas) -> None:
    case = receive("MZ-001")
    stale = Case.objects.get(pk=case.pk)
    do_accept_case(personas.clerk, case)
    with pytest.raises(ValidationError):
        do_accept_case(personas.director, stale)
    assert CaseEvent.objects.filter(case=case, verb="accepted").count() == 1
