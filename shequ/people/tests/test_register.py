"""Registering residents: checks against the ID number, duplicates, idempotency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import GUANPO, Personas, unit
from shequ.lib.idcard import make_id_number
from shequ.orgs.models import Event
from shequ.people.actions import DuplicateResident, do_register_resident, do_update_resident
from shequ.people.crypto import cipher
from shequ.people.models import Gender, Resident
from shequ.people.tests.conftest import MakeResident, new_id_number

pytestmark = pytest.mark.django_db


def test_it_registers_with_gender_and_birth_date_from_the_id(personas: Personas) -> None:
    number = make_id_number("422801", dt.date(1962, 8, 3), 124)  # even: a woman
    r = do_register_resident(
        personas.clerk,
        unit=personas.grid,
        name="  谭  红梅 ",
        id_number=number,
        phone="138 1234 5678",
        ethnicity="土家",
    )
    assert (r.name, r.gender, r.birth_date) == ("谭 红梅", Gender.FEMALE, dt.date(1962, 8, 3))
    assert r.ethnicity == "土家族"
    assert r.community == unit(GUANPO)
    assert r.id_number_masked == number[:4] + "*" * 12 + number[-2:]
    assert r.phone_masked == "138****5678"
    assert cipher().decrypt(r.id_number_enc) == number
    assert r.name_initials == "thm"
    event = Event.objects.get(verb="resident.registered", object_id=str(r.pk))
    assert event.actor == personas.clerk
    assert number not in str(event.after) and "13812345678" not in str(event.after)


def test_it_refuses_a_gender_that_contradicts_the_id(personas: Personas) -> None:
    number = make_id_number("422801", dt.date(1962, 8, 3), 124)
    with pytest.raises(ValidationError) as info:
        do_register_resident(
            personas.clerk, unit=personas.grid, name="王五", id_number=number, gender="男"
        )
    assert "性别与身份证号不符" in info.value.message_dict["gender"][0]
    assert not Resident.objects.exists()


def test_it_refuses_a_birth_date_that_contradicts_the_id(personas: Personas) -> None:
    number = make_id_number("422801", dt.date(1962, 8, 3), 123)
    with pytest.raises(ValidationError) as info:
        do_register_resident(
            personas.clerk,
            unit=personas.grid,
            name="王五",
            id_number=number,
            birth_date=dt.date(1962, 3, 8),
        )
    assert "1962-08-03" in info.value.message_dict["birth_date"][0]


def test_it_lists_every_bad_field_at_once(personas: Personas) -> None:
    with pytest.raises(ValidationError) as info:
        do_register_resident(
            personas.clerk,
            unit=personas.grid,
            name="",
            id_number="42280119900101001X",
            phone="12345",
            ethnicity="火星族",
        )
    errors = info.value.message_dict
    assert set(errors) == {"name", "id_number", "phone", "ethnicity"}
    assert "校验位" in errors["id_number"][0]


def test_a_duplicate_points_to_the_existing_record(
    personas: Personas, make_resident: MakeResident
) -> None:
    number = new_id_number()
    first = make_resident(id_number=number, name="李四")
    with pytest.raises(DuplicateResident) as info:
        do_register_resident(personas.director, unit=personas.grid, name="李四", id_number=number)
    assert info.value.existing == first
    assert "李四" in info.value.message_dict["id_number"][0]
    assert str(first.pk) in info.value.message_dict["id_number"][0]


def test_a_duplicate_outside_scope_reveals_nothing(
    personas: Personas, make_resident: MakeResident
) -> None:
    number = new_id_number()
    make_resident(id_number=number, name="李四")
    lichuan_unit = personas.lichuan_clerk.posts.get().unit
    with pytest.raises(DuplicateResident) as info:
        do_register_resident(
            personas.lichuan_clerk, unit=lichuan_unit, name="李四", id_number=number
        )
    assert info.value.existing is None
    message = info.value.message_dict["id_number"][0]
    assert "李四" not in message and "官坡" not in message
    assert Resident.objects.count() == 1


def test_an_old_15_digit_number_is_stored_as_18_and_counts_as_a_duplicate(
    personas: Personas,
) -> None:
    r = do_register_resident(
        personas.clerk, unit=personas.grid, name="老号", id_number="422801500101002"
    )
    assert cipher().decrypt(r.id_number_enc).startswith("42280119500101002")
    with pytest.raises(DuplicateResident):
        do_register_resident(
            personas.clerk,
            unit=personas.grid,
            name="老号",
            id_number=cipher().decrypt(r.id_number_enc),
        )


def test_the_same_client_token_creates_one_resident(personas: Personas) -> None:
    number = new_id_number()
    a, b = (
        do_register_resident(
            personas.clerk, unit=personas.grid, name="赵六", id_number=number, client_token="tok-1"
        )
        for _ in range(2)
    )
    assert a.pk == b.pk
    assert Resident.objects.count() == 1


def test_outsiders_and_other_counties_cannot_register_here(personas: Personas) -> None:
    for user in (personas.outsider, personas.lichuan_clerk):
        with pytest.raises(PermissionDenied):
            do_register_resident(user, unit=personas.grid, name="某", id_number=new_id_number())


def test_registering_on_a_township_is_refused(personas: Personas) -> None:
    with pytest.raises(ValidationError) as info:
        do_register_resident(
            personas.township,
            unit=personas.township.posts.get().unit,
            name="某",
            id_number=new_id_number(),
        )
    assert "unit" in info.value.message_dict


def test_update_keeps_the_number_when_left_blank_and_checks_a_new_one(
    personas: Personas, make_resident: MakeResident
) -> None:
    r = make_resident(name="钱七")
    number = cipher().decrypt(r.id_number_enc)
    r = do_update_resident(
        personas.clerk, r, unit=personas.grid, name="钱七七", phone="", address="一号楼"
    )
    assert cipher().decrypt(r.id_number_enc) == number
    assert r.phone_masked == "" and r.phone_enc == ""
    other = make_resident(name="孙八")
    with pytest.raises(DuplicateResident):
        do_update_resident(
            personas.clerk,
            other,
            unit=personas.grid,
            name="孙八",
            id_number=number,
        )
    event = Event.objects.filter(verb="resident.updated").get()
    assert event.before == {"name": "钱七", "phone_masked": "138****5678", "address": ""}
