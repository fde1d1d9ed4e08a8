"""The database holds no plain ID number or phone: read the raw table with a cursor."""

from __future__ import annotations

import pytest
from django.db import connection

from conftest import Personas
from shequ.orgs.models import Event
from shequ.people.actions import do_reveal_resident_field
from shequ.people.crypto import cipher
from shequ.people.tests.conftest import MakeResident, new_id_number

pytestmark = pytest.mark.django_db


def test_no_plain_number_reaches_the_database(
    personas: Personas, make_resident: MakeResident
) -> None:
    numbers = [new_id_number() for _ in range(3)]
    phones = ["13900001111", "13700002222", "18600003333"]
    for number, phone in zip(numbers, phones, strict=True):
        r = make_resident(id_number=number, phone=phone)
    do_reveal_resident_field(personas.director, r, field="id_number", reason="核对低保材料")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_resident")
        rows = cursor.fetchall()
        cursor.execute("SELECT * FROM orgs_event")
        rows += cursor.fetchall()
    dump = repr(rows)
    assert len(rows) >= 3
    for secret in numbers + phones:
        assert secret not in dump
        assert secret[-8:] + secret[:4] not in dump
    # ...while the values are still there, encrypted.
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number_enc FROM people_resident ORDER BY id")
        assert [cipher().decrypt(t) for (t,) in cursor.fetchall()] == numbers
    assert Event.objects.filter(verb="resident.revealed").count() == 1
