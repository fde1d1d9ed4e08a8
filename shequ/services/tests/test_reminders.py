"""Reminders before the due date and escalation after it, sent by the worker."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from conftest import WUYANGBA, Personas, ReceiveCase, unit
from shequ.notify.models import Message
from shequ.services.actions import (
    do_accept_case,
    do_complete_case,
    do_send_up_case,
    escalate_overdue_cases,
    remind_due_cases,
)
from shequ.services.models import CaseEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(m: int, d: int, h: int = 10) -> dt.datetime:
    return dt.datetime(2025, m, d, h, tzinfo=SHANGHAI)


def recipients(kind: str) -> list[str]:
    return sorted(Message.objects.filter(kind=kind).values_list("recipient", flat=True))


def test_the_clerk_is_reminded_and_the_leads_are_told_when_overdue(
    receive: ReceiveCase, personas: Personas
) -> None:
    with time_machine.travel(at(9, 30), tick=False) as clock:
        case = receive("MZ-001")
        do_accept_case(personas.clerk, case)  # due 2025-11-04 23:59:59
        assert remind_due_cases() == 0
        clock.move_to(at(11, 4, 0))
        assert remind_due_cases() == 1
        assert remind_due_cases() == 0
        assert recipients("case.due_soon") == ["p_clerk"]
        assert "2025-11-04" in Message.objects.get(kind="case.due_soon").body
        assert escalate_overdue_cases() == 0
        clock.move_to(at(11, 5, 0))
        assert escalate_overdue_cases() == 1
        assert escalate_overdue_cases() == 0
        assert recipients("case.overdue") == ["p_director"]
        assert CaseEvent.objects.filter(case=case, verb="overdue").count() == 1


def test_a_case_sent_up_reminds_the_officers_it_waits_on(
    receive: ReceiveCase, personas: Personas
) -> None:
    with time_machine.travel(at(9, 30), tick=False) as clock:
        case = receive("MZ-002")  # township, promised 7 working days: due 2025-10-16
        do_accept_case(personas.clerk, case)
        do_send_up_case(personas.clerk, case, to_unit=unit(WUYANGBA))
        clock.move_to(at(10, 16, 9))
        assert remind_due_cases() == 1
        assert recipients("case.due_soon") == ["p_township"]
        clock.move_to(at(10, 17, 9))
        assert escalate_overdue_cases() == 1
        assert recipients("case.overdue") == ["p_director", "p_township"]


def test_a_completed_case_is_left_alone(receive: ReceiveCase, personas: Personas) -> None:
    with time_machine.travel(at(9, 30), tick=False) as clock:
        case = receive("MZ-001")
        do_accept_case(personas.clerk, case)
        do_complete_case(personas.clerk, case, result="批准")
        clock.move_to(at(12, 1))
        assert remind_due_cases() == 0
        assert escalate_overdue_cases() == 0
