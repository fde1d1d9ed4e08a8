"""The quarter-hour rule (一刻钟): each case records whether it was met; a breach is
marked by the worker and reported to the community's leads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pytest_django.fixtures import Settings

from conftest import Personas, ReceiveCase
from shequ.notify.models import Channel, Message
from shequ.services.actions import (
    do_accept_case,
    do_complete_case,
    do_start_case,
    mark_quarter_hour_breaches,
    supervisors,
)
from shequ.services.models import CaseEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")
RECEIVED = dt.datetime(2025, 10, 9, 14, 45, tzinfo=SHANGHAI)


def at(h: int, m: int) -> dt.datetime:
    return RECEIVED.replace(hour=h, minute=m)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(RECEIVED, tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize(("done", "met"), [((14, 59), True), ((15, 0), True), ((15, 1), False)])
def test_an_immediate_item_completed_at(
    receive: ReceiveCase,
    personas: Personas,
    clock: time_machine.Traveller,
    done: tuple[int, int],
    met: bool,
) -> None:
    case = receive("LD-002")
    clock.move_to(at(*done))
    do_complete_case(personas.clerk, case, result="已办理失业登记")
    assert case.quarter_hour_met is met
    assert case.quarter_hour_at == at(*done)


@pytest.mark.parametrize(("done", "met"), [((14, 59), True), ((15, 1), False)])
def test_a_commitment_item_registered_and_given_a_date_at(
    receive: ReceiveCase,
    personas: Personas,
    clock: time_machine.Traveller,
    done: tuple[int, int],
    met: bool,
) -> None:
    case = receive("SQ-001")
    clock.move_to(at(*done))
    do_accept_case(personas.clerk, case)
    assert case.quarter_hour_met is met


@pytest.mark.parametrize(("arrived", "met"), [((14, 59), True), ((15, 1), False)])
def test_a_call_for_help_met_on_site_at(
    receive: ReceiveCase,
    personas: Personas,
    clock: time_machine.Traveller,
    arrived: tuple[int, int],
    met: bool,
) -> None:
    case = receive(
        "XF-002",
        channel="hotline",
        applicant_kind="caller",
        contact_name="李婆婆",
        contact_phone="13972711111",
    )
    clock.move_to(at(14, 47))
    do_accept_case(personas.clerk, case)  # dispatched: not yet the verdict
    assert case.quarter_hour_met is None
    clock.move_to(at(*arrived))
    do_start_case(personas.clerk, case)
    assert case.arrived_at == at(*arrived)
    assert case.quarter_hour_met is met


def test_the_limit_is_a_prefecture_setting(
    receive: ReceiveCase,
    personas: Personas,
    clock: time_machine.Traveller,
    settings: Settings,
) -> None:
    settings.SHEQU_QUARTER_HOUR_MINUTES = 10
    case = receive("LD-002")
    assert case.quarter_hour_due_at == at(14, 55)
    clock.move_to(at(14, 56))
    do_complete_case(personas.clerk, case, result="已办理")
    assert case.quarter_hour_met is False


def test_the_worker_marks_a_breach_and_tells_the_supervisor(
    receive: ReceiveCase, personas: Personas, clock: time_machine.Traveller
) -> None:
    case = receive("LD-002")
    clock.move_to(at(15, 0))
    assert mark_quarter_hour_breaches() == 0  # not yet
    clock.move_to(at(15, 1))
    assert mark_quarter_hour_breaches() == 1
    assert mark_quarter_hour_breaches() == 0
    case.refresh_from_db()
    assert case.quarter_hour_met is False
    assert supervisors(case.unit) == ["p_director"]
    notice = Message.objects.get(kind="case.quarter_hour_breach")
    assert notice.channel == Channel.STAFF
    assert notice.recipient == "p_director"
    assert case.number is not None and case.number in notice.body
    assert CaseEvent.objects.filter(case=case, verb="quarter_hour_breached").exists()
    # Completing late does not turn the verdict.
    do_complete_case(personas.clerk, case, result="已办理")
    case.refresh_from_db()
    assert case.quarter_hour_met is False


def test_online_filings_are_outside_the_rule(
    receive: ReceiveCase, personas: Personas, clock: time_machine.Traveller
) -> None:
    case = receive("SQ-001", channel="online")
    assert not case.quarter_hour_applies
    clock.move_to(at(23, 0))
    assert mark_quarter_hour_breaches() == 0
    do_accept_case(personas.clerk, case)
    assert case.quarter_hour_met is None
