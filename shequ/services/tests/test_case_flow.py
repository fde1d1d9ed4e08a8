"""The life of a case: accept, return for correction, refuse, start, send up, complete,
close; every step an event and (where the applicant must know) a message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import DUTING, ENSHI_CITY, WUYANGBA, Personas, ReceiveCase, unit
from shequ.notify.models import Message
from shequ.orgs import calendar
from shequ.services import access
from shequ.services.actions import (
    do_accept_case,
    do_close_case,
    do_complete_case,
    do_refuse_case,
    do_return_case_for_correction,
    do_send_up_case,
    do_start_case,
)
from shequ.services.models import Case, CaseEvent, CasePause, CaseStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(m: int, d: int, h: int = 10, mi: int = 0) -> dt.datetime:
    return dt.datetime(2025, m, d, h, mi, tzinfo=SHANGHAI)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    # Tuesday 30 September 2025, the day before the National Day holiday.
    with time_machine.travel(at(9, 30), tick=False) as traveller:
        yield traveller


def verbs(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).values_list("verb", flat=True))


def test_accepting_sets_the_due_date_in_working_days_and_tells_the_applicant(
    receive: ReceiveCase, personas: Personas, clock: time_machine.Traveller
) -> None:
    case = receive("MZ-001")
    clock.shift(dt.timedelta(minutes=5))
    do_accept_case(personas.clerk, case)
    assert case.status == CaseStatus.ACCEPTED
    # 20 working days from 30 September, across the National Day week.
    assert case.due_at == dt.datetime(2025, 11, 4, 23, 59, 59, tzinfo=SHANGHAI)
    assert case.reply_due_at == case.due_at
    assert case.legal_due_at == calendar.due_at(at(9, 30, 10, 5), 30)
    assert case.quarter_hour_met is True
    message = Message.objects.get(kind="case.accepted")
    assert "2025-11-04" in message.body
    assert case.number is not None and case.number in message.body
    assert message.recipient == "139****0019"
    assert message.unit == case.unit
    assert verbs(case) == ["received", "accepted"]


def test_deferrable_materials_follow_on_a_commitment(
    receive: ReceiveCase, personas: Personas, clock: time_machine.Traveller
) -> None:
    late = receive("MZ-001")
    for kwargs, field in [
        (
            {"deferred_materials": ["户口簿"], "materials_due_on": dt.date(2025, 10, 20)},
            "deferred_materials",
        ),
        ({"deferred_materials": ["残疾证、病历等致贫原因证明"]}, "materials_due_on"),
        (
            {
                "deferred_materials": ["残疾证、病历等致贫原因证明"],
                "materials_due_on": dt.date(2025, 11, 5),
            },
            "materials_due_on",
        ),
    ]:
        with pytest.raises(ValidationError) as caught:
            do_accept_case(personas.clerk, late, **kwargs)  # type: ignore[arg-type]
        assert field in caught.value.message_dict
    do_accept_case(
        personas.clerk,
        late,
        deferred_materials=["残疾证、病历等致贫原因证明"],
        materials_due_on=dt.date(2025, 11, 4),
    )
    assert late.deferred_materials == ["残疾证、病历等致贫原因证明"]
    assert late.materials_due_on == dt.date(2025, 11, 4)


def test_a_correction_stops_the_clock_and_resuming_moves_the_due_date(
    receive: ReceiveCase, personas: Personas, clock: time_machine.Traveller
) -> None:
    case = receive("MZ-001")
    do_accept_case(personas.clerk, case)
    do_start_case(personas.clerk, case)
    clock.move_to(at(10, 9))
    do_return_case_for_correction(
        personas.clerk, case, missing=["家庭财产申报表", "家庭成员收入情况声明", "家庭财产申报表"]
    )
    assert case.status == CaseStatus.RETURNED
    pause = CasePause.objects.get(case=case)
    assert pause.missing_materials == ["家庭财产申报表", "家庭成员收入情况声明"]
    message = Message.objects.get(kind="case.returned")
    assert "家庭财产申报表、家庭成员收入情况声明" in message.body
    clock.move_to(at(11, 20))  # long past the first due date, but the clock stands
    assert not Case.objects.overdue().filter(pk=case.pk).exists()
    clock.move_to(at(10, 13))
    do_accept_case(personas.clerk, case)
    assert case.status == CaseStatus.IN_PROGRESS
    pause.refresh_from_db()
    assert pause.ended_at == at(10, 13)
    # 10 October, the worked Saturday 11 October and 13 October are added back.
    assert case.due_at == calendar.due_at(at(9, 30), 23)
    assert verbs(case) == ["received", "accepted", "started", "returned", "resumed"]


def test_returning_before_acceptance_starts_the_clock_at_acceptance(
    receive: ReceiveCase, personas: Personas, clock: time_machine.Traveller
) -> None:
    case = receive("MZ-001")
    do_return_case_for_correction(personas.clerk, case, missing=["户口簿"])
    assert case.quarter_hour_met is True  # registered and told within the quarter hour
    clock.move_to(at(10, 9))
    do_accept_case(personas.clerk, case)
    assert case.status == CaseStatus.ACCEPTED
    assert case.accepted_at == at(10, 9)
    assert case.due_at == calendar.due_at(at(10, 9), 20)
    with pytest.raises(ValidationError):
        do_return_case_for_correction(personas.clerk, case, missing=[])


def test_refusing_needs_reason_and_basis(
    receive: ReceiveCase, personas: Personas, clock: time_machine.Traveller
) -> None:
    case = receive("MZ-001")
    with pytest.raises(ValidationError) as caught:
        do_refuse_case(personas.clerk, case, reason=" ", legal_basis="")
    assert set(caught.value.message_dict) == {"reason", "legal_basis"}
    do_refuse_case(
        personas.clerk,
        case,
        reason="家庭人均收入高于低保标准",
        legal_basis="《社会救助暂行办法》第九条",
    )
    assert case.status == CaseStatus.REFUSED
    assert "第九条" in Message.objects.get(kind="case.refused").body
    with pytest.raises(ValidationError):
        do_accept_case(personas.clerk, case)
    do_close_case(personas.director, case)
    assert case.status == CaseStatus.CLOSED


def test_a_case_sent_up_is_completed_by_the_township(
    receive: ReceiveCase, personas: Personas, clock: time_machine.Traveller
) -> None:
    case = receive("MZ-002")  # 临时救助: decided by the township
    do_accept_case(personas.clerk, case)
    for wrong in (unit(ENSHI_CITY), unit(DUTING)):
        with pytest.raises(ValidationError) as caught:
            do_send_up_case(personas.clerk, case, to_unit=wrong)
        assert "to_unit" in caught.value.message_dict
    township = unit(WUYANGBA)
    do_send_up_case(personas.clerk, case, to_unit=township)
    assert case.status == CaseStatus.SENT_UP
    assert case.handling_unit == township
    assert "舞阳坝街道" in Message.objects.get(kind="case.sent_up").body
    with pytest.raises(PermissionDenied):
        do_complete_case(personas.clerk, case, result="已发放")
    do_complete_case(personas.township, case, result="核准临时救助金2000元")
    assert case.status == CaseStatus.COMPLETED
    assert Message.objects.filter(kind="case.completed").exists()
    # The result is back in the community's list.
    assert access.cases_for_user(personas.director).get(pk=case.pk).result == "核准临时救助金2000元"
    assert not access.cases_for_user(personas.lichuan_clerk).filter(pk=case.pk).exists()
    assert verbs(case) == ["received", "accepted", "sent_up", "completed"]


def test_a_community_item_is_not_sent_up(
    receive: ReceiveCase, personas: Personas, clock: time_machine.Traveller
) -> None:
    case = receive("TJ-001")
    do_accept_case(personas.clerk, case)
    with pytest.raises(ValidationError):
        do_send_up_case(personas.clerk, case, to_unit=unit(WUYANGBA))


def test_an_immediate_item_is_completed_at_the_window(
    receive: ReceiveCase, personas: Personas, clock: time_machine.Traveller
) -> None:
    case = receive("LD-001")
    clock.shift(dt.timedelta(minutes=8))
    do_complete_case(personas.clerk, case, result="已办理就业登记")
    assert case.status == CaseStatus.COMPLETED
    assert case.accepted_at == case.completed_at
    assert case.quarter_hour_met is True
    do_close_case(personas.clerk, case)
    assert case.closed_at is not None


@pytest.mark.parametrize(
    "step",
    [
        lambda p, c: do_complete_case(p.clerk, c, result="x"),  # a commitment item, not accepted
        lambda p, c: do_start_case(p.clerk, c),
        lambda p, c: do_close_case(p.clerk, c),
        lambda p, c: do_send_up_case(p.clerk, c, to_unit=unit(ENSHI_CITY)),
    ],
)
def test_illegal_steps_are_refused(
    receive: ReceiveCase, personas: Personas, clock: time_machine.Traveller, step: object
) -> None:
    case = receive("MZ-001")
    with pytest.raises(ValidationError):
        step(personas, case)  # type: ignore[operator]
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    assert verbs(case) == ["received"]


def test_staff_out_of_scope_cannot_act(
    receive: ReceiveCase, personas: Personas, clock: time_machine.Traveller
) -> None:
    case = receive("MZ-001")
    for user in (personas.lichuan_clerk, personas.outsider):
        with pytest.raises(PermissionDenied):
            do_accept_case(user, case)
    assert access.cases_for_user(personas.county).filter(pk=case.pk).exists()
    assert not access.cases_for_user(personas.outsider).exists()


def test_a_failed_step_leaves_no_message(
    receive: ReceiveCase,
    personas: Personas,
    clock: time_machine.Traveller,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = receive("MZ-001")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit log unavailable")

    with monkeypatch.context() as patch:
        patch.setattr("shequ.services.timeline.record_event", broken)
        with pytest.raises(RuntimeError):
            do_accept_case(personas.clerk, case)
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    assert not Message.objects.exists()


def test_overdue_is_a_query_on_due_at(
    receive: ReceiveCase, personas: Personas, clock: time_machine.Traveller
) -> None:
    case = receive("MZ-001")
    do_accept_case(personas.clerk, case)
    assert not Case.objects.overdue().exists()
    clock.move_to(at(11, 5, 0, 1))
    assert list(Case.objects.overdue()) == [case]
    do_start_case(personas.clerk, case)
    do_complete_case(personas.clerk, case, result="批准")
    assert not Case.objects.overdue().exists()
