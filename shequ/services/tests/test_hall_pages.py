"""The hall's pages: staff console, and the devices bound by the hall's key."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import Personas, ReceiveCase
from shequ.orgs.models import OrgUnit
from shequ.services.hall import do_add_hall_window, do_create_service_hall
from shequ.services.models import (
    Case,
    Rating,
    Rectification,
    ServiceHall,
    ServiceItem,
    Ticket,
)


@pytest.fixture
def hall(personas: Personas, catalogue: int, guanpo: OrgUnit) -> ServiceHall:
    hall = do_create_service_hall(personas.director, guanpo)
    window_type = ServiceItem.objects.get(code="LD-001").window_type
    do_add_hall_window(personas.director, hall, number=1, window_type=window_type)
    return hall


def test_the_hall_devices_work_only_with_the_current_key(
    hall: ServiceHall, personas: Personas
) -> None:
    anon = Client()
    window = hall.windows.get()
    kiosk = f"/services/hall/{hall.device_key}/kiosk/"
    assert anon.get(kiosk).status_code == 200
    response = anon.post(
        kiosk, {"window_type": window.window_type_id, "name": "张三", "client_token": "k1"}
    )
    assert response.status_code == 200 and "A001" in response.text
    assert (
        anon.post(
            kiosk, {"window_type": window.window_type_id, "name": "张三", "client_token": "k1"}
        ).status_code
        == 200
    )
    assert Ticket.objects.count() == 1
    assert anon.post(kiosk, {"window_type": window.window_type_id}).status_code == 400
    # the clerk calls, the screen shows it
    clerk = personas.client(personas.clerk)
    console = f"/services/halls/{hall.pk}/windows/{window.pk}/"
    assert clerk.post(console, {"op": "next"}).status_code == 302
    screen = anon.get(f"/services/hall/{hall.device_key}/screen/")
    assert "A001" in screen.text and "张三" not in screen.text  # a public screen: no names
    assert (
        "请 A001 号到 1 号窗口办理"
        in anon.get(
            f"/services/hall/{hall.device_key}/screen/", headers={"HX-Request": "true"}
        ).text
    )
    # serve and complete, then the pad offers the case
    item = ServiceItem.objects.get(code="LD-001")
    response = clerk.post(
        console,
        {
            "op": "serve",
            "serve-item": item.pk,
            "serve-contact_phone": "13972700019",
            "serve-result": "已登记",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert case.status == "completed"
    pad = f"/services/hall/{hall.device_key}/pad/1/"
    assert "请您对刚才办理的" in anon.get(pad).text
    response = anon.post(pad, {"case": case.pk, "grade": 2, "c_attitude": 2, "comment": "态度不好"})
    assert "谢谢您的评价" in response.text
    assert Rating.objects.get().grade == 2
    assert Rectification.objects.count() == 1
    assert "请您对刚才办理的" not in anon.get(pad).text
    # the rectification queue of the community
    director = personas.client(personas.director)
    assert str(case.number) in director.get("/services/rectifications/").text
    assert (
        personas.client(personas.lichuan_clerk)
        .get("/services/rectifications/")
        .text.count(case.number or "x")
        == 0
    )
    # a new key: the old links stop working
    old = hall.device_key
    assert director.post(f"/services/halls/{hall.pk}/", {"op": "rotate"}).status_code == 302
    assert anon.get(f"/services/hall/{old}/kiosk/").status_code == 404
    assert clerk.post(f"/services/halls/{hall.pk}/", {"op": "rotate"}).status_code == 403
    assert personas.client(personas.lichuan_clerk).get(console).status_code == 404


def test_the_rectification_page_records_steps_and_appeals(
    hall: ServiceHall, personas: Personas, receive: ReceiveCase
) -> None:
    from shequ.services.actions import do_complete_case
    from shequ.services.ratings import do_rate_case

    case = do_complete_case(personas.clerk, receive("LD-001"), result="已办理")
    rating = do_rate_case(None, case, channel="pad", grade=1)
    rect = rating.rectification
    clerk = personas.client(personas.clerk)
    url = f"/services/rectifications/{rect.pk}/"
    assert clerk.get(url).status_code == 200
    clerk.post(url, {"op": "verify", "note": "核实属实"})
    rect.refresh_from_db()
    assert rect.status == "verified"
    clerk.post(url, {"op": "appeal", "reason": "误评"})
    appeal = rating.appeals.get()
    director = personas.client(personas.director)
    director.post(url, {"op": "uphold", "appeal": appeal.pk, "note": "属实"})
    rating.refresh_from_db()
    assert rating.counted is False
    assert "申诉成立" in director.get(url).text
    assert personas.client(personas.lichuan_clerk).get(url).status_code == 404


def test_the_admin_shows_halls_without_their_key(hall: ServiceHall) -> None:
    from shequ.orgs.models import User

    admin = User.objects.create_superuser("root", password="correct-horse-battery")
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/services/servicehall/").status_code == 200
    page = client.get(f"/admin/services/servicehall/{hall.pk}/change/")
    assert page.status_code == 200 and hall.device_key not in page.text


def test_ids_and_numbers_past_the_column_sizes_are_404_not_500(
    hall: ServiceHall, personas: Personas
) -> None:
    huge = "9" * 25
    director = personas.client(personas.director)
    window = hall.windows.get()
    assert director.get(f"/services/rectifications/{huge}/").status_code == 404
    assert director.get(f"/services/halls/{huge}/").status_code == 404
    assert director.get(f"/services/halls/{hall.pk}/windows/{huge}/").status_code == 404
    assert Client().get(f"/services/hall/{hall.device_key}/pad/{huge}/").status_code == 404
    console = f"/services/halls/{hall.pk}/windows/{window.pk}/"
    assert director.post(console, {"op": "call", "seq": huge}).status_code == 302
    assert director.post(console, {"op": "transfer", "to_window": huge}).status_code in (302, 404)
    assert (
        director.post(
            f"/services/halls/{hall.pk}/", {"op": "window", "number": huge, "window_type": huge}
        ).status_code
        == 404
    )


def test_a_recall_in_the_second_of_the_call_is_a_new_call_for_the_screen(
    hall: ServiceHall, personas: Personas
) -> None:
    """The screen speaks when the latest call's ``data-call`` changes; a recall must change
    it even when it comes at the very moment of the call (the clock stands still here)."""
    import re

    import time_machine
    from django.utils import timezone

    from shequ.services.hall import do_take_ticket

    window = hall.windows.get()
    do_take_ticket(hall, window_type=window.window_type, name="张三")
    clerk = personas.client(personas.clerk)
    console = f"/services/halls/{hall.pk}/windows/{window.pk}/"
    screen = f"/services/hall/{hall.device_key}/screen/"

    def call_mark() -> str:
        found = re.search(r'id="latest"[^>]*data-call="([^"]+)"', Client().get(screen).text)
        assert found is not None
        return found.group(1)

    with time_machine.travel(timezone.now(), tick=False):
        assert clerk.post(console, {"op": "next"}).status_code == 302
        called = call_mark()
        assert clerk.post(console, {"op": "recall"}).status_code == 302
        recalled = call_mark()
    assert recalled != called
