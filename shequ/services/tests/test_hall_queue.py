"""The hall queue: taking numbers, calling (never the same number twice), recall, skip,
transfer, and the quarter hour of an immediate item starting when the number is called."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import Personas
from shequ.orgs.crypto import cipher
from shequ.orgs.models import OrgUnit
from shequ.people.models import Resident
from shequ.services.hall import (
    do_add_hall_window,
    do_call_next_ticket,
    do_call_ticket,
    do_create_service_hall,
    do_recall_ticket,
    do_serve_ticket,
    do_skip_ticket,
    do_take_ticket,
    do_transfer_ticket,
)
from shequ.services.models import HallWindow, ServiceHall, ServiceItem, TicketStatus, WindowType

TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def hall(personas: Personas, catalogue: int, guanpo: OrgUnit) -> ServiceHall:
    hall = do_create_service_hall(personas.director, guanpo)
    types = WindowType.objects.order_by("sort_order")
    ld = ServiceItem.objects.get(code="LD-001").window_type
    do_add_hall_window(personas.director, hall, number=1, window_type=ld)
    do_add_hall_window(personas.director, hall, number=2, window_type=ld)
    do_add_hall_window(personas.director, hall, number=3, window_type=types.exclude(pk=ld.pk)[0])
    return hall


def window(hall: ServiceHall, number: int) -> HallWindow:
    return hall.windows.get(number=number)


def test_two_windows_calling_next_get_different_numbers(
    hall: ServiceHall, personas: Personas
) -> None:
    ld = window(hall, 1).window_type
    t1 = do_take_ticket(hall, window_type=ld, name="张三", client_token="k-1")
    assert do_take_ticket(hall, window_type=ld, name="张三", client_token="k-1") == t1
    t2 = do_take_ticket(hall, window_type=ld, name="李四")
    assert (t1.display_number, t2.display_number) == ("A001", "A002")
    first = do_call_next_ticket(personas.clerk, window(hall, 1))
    second = do_call_next_ticket(personas.clerk, window(hall, 2))
    assert first is not None and second is not None and first.pk != second.pk
    assert do_call_next_ticket(personas.clerk, window(hall, 2)) is None
    second.refresh_from_db()
    assert second.status == TicketStatus.DONE  # calling next finishes the current one
    with pytest.raises(PermissionDenied):
        do_call_next_ticket(personas.lichuan_clerk, window(hall, 1))


def test_recall_skip_call_again_and_transfer(hall: ServiceHall, personas: Personas) -> None:
    ld = window(hall, 1).window_type
    do_take_ticket(hall, window_type=ld, name="王五")
    called = do_call_next_ticket(personas.clerk, window(hall, 1))
    assert called is not None
    ticket = called
    assert do_recall_ticket(personas.clerk, ticket).recalled_at is not None
    do_skip_ticket(personas.clerk, ticket)
    with pytest.raises(ValidationError):
        do_skip_ticket(personas.clerk, ticket)
    ticket = do_call_ticket(personas.clerk, window(hall, 2), seq=ticket.seq)
    assert ticket.status == TicketStatus.CALLED and ticket.window == window(hall, 2)
    do_transfer_ticket(personas.clerk, ticket, to_window=window(hall, 3))
    ticket.refresh_from_db()
    assert (
        ticket.status == TicketStatus.WAITING and ticket.window_type == window(hall, 3).window_type
    )
    assert do_call_next_ticket(personas.clerk, window(hall, 1)) is None
    called = do_call_next_ticket(personas.clerk, window(hall, 3))
    assert called is not None and called.pk == ticket.pk


def test_a_returning_resident_takes_a_number_by_id_card(
    hall: ServiceHall, resident: Resident
) -> None:
    number = cipher().decrypt(resident.id_number_enc)
    ticket = do_take_ticket(hall, window_type=window(hall, 1).window_type, id_number=number)
    assert ticket.resident == resident and ticket.name == resident.name
    with pytest.raises(ValidationError):
        do_take_ticket(
            hall, window_type=window(hall, 1).window_type, id_number="110101199003070000"
        )
    with pytest.raises(ValidationError):
        do_take_ticket(hall, window_type=window(hall, 1).window_type)


def test_the_quarter_hour_starts_when_the_number_is_called(
    hall: ServiceHall, personas: Personas, resident: Resident
) -> None:
    ld = window(hall, 1).window_type
    called_at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
    with time_machine.travel(called_at - dt.timedelta(minutes=40), tick=False):
        do_take_ticket(hall, window_type=ld, name=resident.name)
    with time_machine.travel(called_at, tick=False):
        ticket = do_call_next_ticket(personas.clerk, window(hall, 1))
    assert ticket is not None and ticket.waiting_seconds == 40 * 60
    with time_machine.travel(called_at + dt.timedelta(minutes=10), tick=False):
        case = do_serve_ticket(
            personas.clerk,
            ticket,
            item=ServiceItem.objects.get(code="LD-001"),
            contact_phone="13972700019",
            result="已办理",
        )
    assert case.quarter_hour_due_at == called_at + dt.timedelta(minutes=15)
    assert case.quarter_hour_met is True and case.status == "completed"
    ticket.refresh_from_db()
    assert ticket.case == case and ticket.status == TicketStatus.DONE
    assert ticket.service_seconds == 10 * 60


def test_a_clerk_who_read_a_number_another_just_called_gets_the_next(
    hall: ServiceHall, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shequ.services import hall as hall_module
    from shequ.services.models import Ticket

    ld = window(hall, 1).window_type
    t1 = do_take_ticket(hall, window_type=ld, name="甲")
    t2 = do_take_ticket(hall, window_type=ld, name="乙")
    first = do_call_next_ticket(personas.clerk, window(hall, 1))
    assert first is not None and first.pk == t1.pk
    # window 2 read the queue before window 1's call committed: it still sees t1 first
    real = hall_module.waiting_for
    stale = iter([Ticket.objects.filter(pk__in=[t1.pk, t2.pk]).order_by("seq")])
    monkeypatch.setattr(hall_module, "waiting_for", lambda w: next(stale, None) or real(w))
    second = do_call_next_ticket(personas.director, window(hall, 2))
    assert second is not None and second.pk == t2.pk
    t1.refresh_from_db()
    assert t1.window == window(hall, 1) and t1.status == TicketStatus.CALLED
