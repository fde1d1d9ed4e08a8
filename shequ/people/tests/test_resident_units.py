"""Registering resident units (驻区单位): the credit code checked by python-stdnum,
the contact's mobile encrypted, one code once, idempotent, scoped."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import GUANPO, WUYANGBA, Personas, unit
from shequ.lib.creditcode import make_credit_code
from shequ.orgs.models import Event
from shequ.people.access import find_resident_unit, get_resident_unit_for_user
from shequ.people.actions import (
    do_change_resident_unit_status,
    do_register_resident_unit,
    do_reveal_resident_unit_contact,
    do_update_resident_unit,
)
from shequ.people.crypto import cipher
from shequ.people.models import ResidentUnit
from shequ.people.search import search_resident_units

pytestmark = pytest.mark.django_db
_serial = itertools.count(100)


def code() -> str:
    return make_credit_code("422801", next(_serial))


def register(personas: Personas, **fields: object) -> ResidentUnit:
    fields.setdefault("unit", personas.guanpo)
    fields.setdefault("name", "恩施市清江食品有限公司")
    fields.setdefault("credit_code", code())
    fields.setdefault("trade", "C")
    fields.setdefault("size", "small")
    actor = fields.pop("actor", personas.clerk)
    return do_register_resident_unit(actor, **fields)  # type: ignore[arg-type]


def test_it_registers_a_unit_with_its_phone_encrypted(personas: Personas) -> None:
    number = code()
    ru = register(
        personas,
        credit_code=number.lower()[:9] + " " + number.lower()[9:],
        contact_name="田经理",
        contact_phone="139 7270 0031",
        co_building=True,
        address="舞阳大街88号",
    )
    assert ru.credit_code == number
    assert ru.community == unit(GUANPO)
    assert ru.contact_phone_masked == "139****0031"
    assert cipher().decrypt(ru.contact_phone_enc) == "13972700031"
    assert ru.registration_authority.startswith("市场监管")
    event = Event.objects.get(verb="resident_unit.registered", object_id=str(ru.pk))
    assert event.actor == personas.clerk
    assert event.after is not None and "13972700031" not in str(event.after)
    assert event.after["contact_phone_masked"] == "139****0031"


@pytest.mark.parametrize(
    ("credit_code", "message"),
    [
        ("123", "18位"),
        ("91422801000079193M", "校验位"),
        ("91422801O00079193N", "格式有误"),
    ],
)
def test_it_refuses_a_bad_credit_code(personas: Personas, credit_code: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        register(personas, credit_code=credit_code)
    assert message in info.value.message_dict["credit_code"][0]
    assert not ResidentUnit.objects.exists()


def test_it_lists_every_bad_field_at_once(personas: Personas) -> None:
    with pytest.raises(ValidationError) as info:
        register(personas, name=" ", trade="Z", size="huge", contact_phone="12345")
    assert set(info.value.message_dict) == {"name", "trade", "size", "contact_phone"}


def test_one_code_is_registered_once_and_a_retry_returns_the_first(personas: Personas) -> None:
    number = code()
    first = register(personas, credit_code=number, client_token="t-1")
    again = register(personas, credit_code=number, client_token="t-1")
    assert again.pk == first.pk
    with pytest.raises(ValidationError) as info:
        register(personas, credit_code=number, name="另一家")
    assert "已登记" in info.value.message_dict["credit_code"][0]
    assert ResidentUnit.objects.count() == 1


def test_only_editors_in_scope_register(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        register(personas, actor=personas.lichuan_clerk)
    with pytest.raises(PermissionDenied):
        register(personas, actor=personas.county)  # county officers read, not change
    with pytest.raises(ValidationError):
        register(personas, unit=unit(WUYANGBA), actor=personas.township)  # no community
    assert not ResidentUnit.objects.exists()


def test_update_keeps_or_replaces_the_phone_and_logs_the_difference(personas: Personas) -> None:
    ru = register(personas, contact_name="田经理", contact_phone="13972700031")
    ru = do_update_resident_unit(
        personas.clerk,
        ru,
        unit=personas.grid,
        name="恩施市清江食品有限责任公司",
        credit_code=ru.credit_code,
        trade="C",
        size="medium",
        contact_name="田经理",
        contact_phone="13972700031",
        co_building=True,
    )
    assert (ru.unit, ru.community, ru.size) == (personas.grid, personas.guanpo, "medium")
    event = Event.objects.get(verb="resident_unit.updated", object_id=str(ru.pk))
    assert set(event.after or {}) == {"unit", "name", "size", "co_building"}
    ru = do_update_resident_unit(
        personas.clerk,
        ru,
        unit=personas.grid,
        name=ru.name,
        credit_code=ru.credit_code,
        trade="C",
        size="medium",
        contact_name="",
        contact_phone="",
    )
    assert ru.contact_phone_enc == ru.contact_phone_masked == ""


def test_a_unit_leaves_and_comes_back(personas: Personas) -> None:
    ru = register(personas)
    with pytest.raises(ValidationError):
        do_change_resident_unit_status(personas.clerk, ru, status="left", on=None)
    ru = do_change_resident_unit_status(personas.clerk, ru, status="left", on=dt.date(2026, 6, 30))
    assert ru.status == "left"
    assert not ResidentUnit.objects.active().exists()
    ru = do_change_resident_unit_status(personas.clerk, ru, status="active", on=None)
    assert (ru.status, ru.status_on) == ("active", None)


def test_reveal_needs_a_lead_and_a_reason(personas: Personas) -> None:
    ru = register(personas, contact_name="田经理", contact_phone="13972700031")
    with pytest.raises(PermissionDenied):
        do_reveal_resident_unit_contact(personas.clerk, ru, reason="核实联系方式")
    with pytest.raises(ValidationError):
        do_reveal_resident_unit_contact(personas.director, ru, reason="看")
    value = do_reveal_resident_unit_contact(personas.director, ru, reason="核实联系方式")
    assert value == "13972700031"
    assert Event.objects.filter(verb="resident_unit.revealed", actor=personas.director).exists()


def test_other_apps_find_a_unit_by_code_in_scope_only(personas: Personas) -> None:
    ru = register(personas)
    assert find_resident_unit(personas.clerk, ru.credit_code.lower()) == ru
    assert find_resident_unit(personas.lichuan_clerk, ru.credit_code) is None
    assert find_resident_unit(personas.clerk, "123") is None
    assert get_resident_unit_for_user(personas.township, ru.pk) == ru


def test_search_by_name_code_and_phone(personas: Personas) -> None:
    ru = register(personas, contact_name="田经理", contact_phone="13972700031")
    register(personas, name="恩施市华龙宾馆", trade="H")
    find = lambda **kw: list(search_resident_units(personas.clerk, **kw))  # noqa: E731
    assert find(q="清江") == [ru]
    assert find(q=ru.credit_code) == [ru]
    assert find(q="139-7270-0031") == [ru]
    assert [r.name for r in find(trade="H")] == ["恩施市华龙宾馆"]
    assert find(q="清江", co_building=True) == []
    assert list(search_resident_units(personas.lichuan_clerk, q="清江")) == []
