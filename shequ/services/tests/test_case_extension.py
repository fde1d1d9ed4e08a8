"""Extensions need a supervisor's approval; only then does the due date move."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import Personas, ReceiveCase
from shequ.notify.models import Message
from shequ.orgs import calendar
from shequ.services.actions import (
    do_accept_case,
    do_decide_case_extension,
    do_request_case_extension,
    do_return_case_for_correction,
)
from shequ.services.models import CaseEvent, ExtensionStatus

START = dt.datetime(2025, 9, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_an_approved_extension_moves_the_due_date(receive: ReceiveCase, personas: Personas) -> None:
    with time_machine.travel(START, tick=False):
        case = receive("MZ-001")
        do_accept_case(personas.clerk, case)
        first_due = case.due_at
        extension = do_request_case_extension(personas.clerk, case, days=5, reason="需入户复核")
        assert Message.objects.get(kind="case.extension_requested").recipient == "p_director"
        case.refresh_from_db()
        assert case.due_at == first_due  # nothing moves before approval
        do_decide_case_extension(personas.director, extension, approve=True, note="同意")
        case.refresh_from_db()
        assert case.due_at == calendar.due_at(START, 25)
        assert extension.status == ExtensionStatus.APPROVED
        assert "经批准延期" in Message.objects.get(kind="case.extended").body
        # A later correction keeps the extension when the clock restarts.
        do_return_case_for_correction(personas.clerk, case, missing=["户口簿"])
        do_accept_case(personas.clerk, case)
        assert case.due_at == calendar.due_at(START, 25)


def test_who_may_decide(receive: ReceiveCase, personas: Personas) -> None:
    case = receive("MZ-001")
    do_accept_case(personas.clerk, case)
    extension = do_request_case_extension(personas.director, case, days=3, reason="材料复杂")
    for user in (personas.clerk, personas.director, personas.lichuan_clerk):
        with pytest.raises(PermissionDenied):
            do_decide_case_extension(user, extension, approve=True)
    do_decide_case_extension(personas.township, extension, approve=False, note="理由不足")
    with pytest.raises(ValidationError):
        do_decide_case_extension(personas.county, extension, approve=True)
    assert CaseEvent.objects.filter(case=case, verb="extension_rejected").count() == 1


def test_bad_requests_are_refused(receive: ReceiveCase, personas: Personas) -> None:
    immediate = receive("LD-001")
    with pytest.raises(ValidationError):
        do_request_case_extension(personas.clerk, immediate, days=2, reason="x")
    case = receive("MZ-001")
    do_accept_case(personas.clerk, case)
    with pytest.raises(ValidationError) as caught:
        do_request_case_extension(personas.clerk, case, days=0, reason=" ")
    assert set(caught.value.message_dict) == {"days", "reason"}
    do_request_case_extension(personas.clerk, case, days=2, reason="等待鉴定")
    with pytest.raises(ValidationError):
        do_request_case_extension(personas.clerk, case, days=2, reason="再等")
