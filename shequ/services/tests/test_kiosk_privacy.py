"""Issue 11, item 4: the public kiosk is not an oracle. Fails before issue 11: a ticket by
ID number answered the resident's full name to anyone, unthrottled and unlogged."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from conftest import MakeResident, Personas, new_id_number
from shequ.orgs.models import Event, OrgUnit
from shequ.people.models import Resident
from shequ.services.hall import do_add_hall_window, do_create_service_hall
from shequ.services.models import ServiceHall, ServiceItem, Ticket


@pytest.fixture
def hall(personas: Personas, catalogue: int, guanpo: OrgUnit) -> ServiceHall:
    hall = do_create_service_hall(personas.director, guanpo)
    window_type = ServiceItem.objects.get(code="LD-001").window_type
    do_add_hall_window(personas.director, hall, number=1, window_type=window_type)
    return hall


def test_a_ticket_by_id_number_shows_a_masked_name_and_is_logged(
    hall: ServiceHall, personas: Personas, make_resident: MakeResident
) -> None:
    number = new_id_number()
    r: Resident = make_resident(name="邓德明", id_number=number)
    kiosk = f"/services/hall/{hall.device_key}/kiosk/"
    window_type = hall.windows.get().window_type_id
    page = Client().post(kiosk, {"window_type": window_type, "id_number": number})
    assert page.status_code == 200
    assert "邓**" in page.text and "邓德明" not in page.text
    event = Event.objects.get(verb="resident.looked_up")
    assert event.object_id == str(r.pk) and event.after["channel"] == "kiosk"  # type: ignore[index]
    assert event.actor is None and number not in str(event.after)


def test_a_failed_lookup_is_logged_and_takes_no_number(hall: ServiceHall) -> None:
    kiosk = f"/services/hall/{hall.device_key}/kiosk/"
    window_type = hall.windows.get().window_type_id
    page = Client().post(kiosk, {"window_type": window_type, "id_number": new_id_number()})
    assert page.status_code == 400
    assert not Ticket.objects.exists()
    miss = Event.objects.get(verb="resident.looked_up")
    assert miss.after["matched"] == 0 and miss.object_type == "services.servicehall"  # type: ignore[index]


def test_kiosk_lookups_are_throttled_per_device(hall: ServiceHall, guanpo: OrgUnit) -> None:
    kiosk = f"/services/hall/{hall.device_key}/kiosk/"
    window_type = hall.windows.get().window_type_id
    with time_machine.travel(dt.datetime(2026, 12, 2, 2, 0, 5, tzinfo=dt.UTC), tick=False):
        for _ in range(20):
            Client().post(kiosk, {"window_type": window_type, "id_number": new_id_number()})
        assert Event.objects.filter(verb="resident.looked_up").count() == 6
        refused = Client().post(kiosk, {"window_type": window_type, "id_number": new_id_number()})
        assert "查询过于频繁" in refused.text
        # taking a number by name still works
        by_name = Client().post(kiosk, {"window_type": window_type, "name": "张三"})
        assert by_name.status_code == 200
