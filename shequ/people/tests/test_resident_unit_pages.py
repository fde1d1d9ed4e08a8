"""The resident-unit pages: list (scoped, counted queries), register, edit, reveal."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from conftest import Personas
from shequ.lib.creditcode import make_credit_code
from shequ.orgs.models import Event
from shequ.people.actions import do_register_resident_unit
from shequ.people.crypto import cipher
from shequ.people.models import ResidentUnit

pytestmark = pytest.mark.django_db
_serial = itertools.count(500)


def make_unit(
    personas: Personas, name: str = "恩施市清江食品有限公司", **fields: Any
) -> ResidentUnit:
    fields.setdefault("contact_name", "田经理")
    fields.setdefault("contact_phone", "13972700031")
    return do_register_resident_unit(
        None,
        unit=personas.guanpo,
        name=name,
        credit_code=make_credit_code("422801", next(_serial)),
        trade="C",
        size="small",
        **fields,
    )


def test_the_list_is_scoped_masked_and_counted(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    for i in range(12):
        make_unit(personas, name=f"单位{i:02d}")
    c = personas.client(personas.clerk)
    with django_assert_max_num_queries(8):
        response = c.get("/people/units/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "单位11" in body and "139****0031" in body and "13972700031" not in body
    other = personas.client(personas.lichuan_clerk).get("/people/units/")
    assert "单位11" not in other.content.decode()


def test_a_clerk_registers_a_unit_and_a_double_submit_creates_one(personas: Personas) -> None:
    c = personas.client(personas.clerk)
    data = {
        "unit": personas.guanpo.pk,
        "name": "恩施市华龙宾馆",
        "credit_code": make_credit_code("422801", 9001),
        "trade": "H",
        "size": "micro",
        "contact_name": "向经理",
        "contact_phone": "13972700032",
        "co_building": "on",
        "client_token": "form-1",
    }
    first = c.post("/people/units/new/", data)
    again = c.post("/people/units/new/", data)
    ru = ResidentUnit.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == ru.get_absolute_url()
    assert ru.co_building and cipher().decrypt(ru.contact_phone_enc) == "13972700032"
    bad = c.post(
        "/people/units/new/", {**data, "credit_code": "91422801000079193M", "client_token": "f2"}
    )
    assert bad.status_code == 400
    assert "校验位" in bad.content.decode()
    assert personas.client(personas.county).get("/people/units/new/").status_code == 403


def test_edit_keeps_the_masked_phone_and_the_outsider_gets_404(personas: Personas) -> None:
    ru = make_unit(personas)
    c = personas.client(personas.clerk)
    page = c.get(f"/people/units/{ru.pk}/edit/")
    assert page.status_code == 200 and "139****0031" in page.content.decode()
    data = {
        "unit": personas.guanpo.pk,
        "name": "恩施市清江食品有限责任公司",
        "credit_code": ru.credit_code,
        "trade": "C",
        "size": "medium",
        "contact_name": "田经理",
        "contact_phone": "139****0031",
    }
    assert c.post(f"/people/units/{ru.pk}/edit/", data).status_code == 302
    ru.refresh_from_db()
    assert ru.size == "medium" and cipher().decrypt(ru.contact_phone_enc) == "13972700031"
    lichuan = personas.client(personas.lichuan_clerk)
    assert lichuan.get(f"/people/units/{ru.pk}/").status_code == 404
    assert lichuan.post(f"/people/units/{ru.pk}/edit/", data).status_code == 404


def test_the_director_reveals_the_contact_with_a_reason(personas: Personas) -> None:
    ru = make_unit(personas)
    clerk_page = personas.client(personas.clerk).get(ru.get_absolute_url()).content.decode()
    assert 'id="reveal"' not in clerk_page
    c = personas.client(personas.director)
    response = c.post(f"/people/units/{ru.pk}/reveal/", {"reason": "核实空岗位报告"})
    assert response.status_code == 200 and "13972700031" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert Event.objects.filter(verb="resident_unit.revealed").count() == 1
    denied = personas.client(personas.clerk).post(
        f"/people/units/{ru.pk}/reveal/", {"reason": "核实空岗位报告"}
    )
    assert denied.status_code == 403


def test_the_status_form_records_a_departure(personas: Personas) -> None:
    ru = make_unit(personas)
    c = personas.client(personas.clerk)
    assert c.post(f"/people/units/{ru.pk}/status/", {"status": "left"}).status_code == 400
    ok = c.post(f"/people/units/{ru.pk}/status/", {"status": "left", "on": "2026-06-30"})
    assert ok.status_code == 302
    ru.refresh_from_db()
    assert ru.status == "left"
