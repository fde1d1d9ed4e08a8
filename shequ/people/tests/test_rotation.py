"""Key rotation: interrupted and resumed, every record stays readable and findable."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from conftest import Personas
from shequ.lib import crypto
from shequ.lib.crypto import key_id, new_fernet_key
from shequ.people.crypto import cipher
from shequ.people.models import Resident
from shequ.people.search import search_residents
from shequ.people.tests.conftest import MakeResident, new_id_number

pytestmark = pytest.mark.django_db


def rotate(**options: object) -> str:
    out = io.StringIO()
    call_command("rotate_field_keys", stdout=out, **options)
    return out.getvalue()


def test_interrupted_rotation_resumes_and_loses_nothing(
    personas: Personas, make_resident: MakeResident, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = new_fernet_key(), new_fernet_key()
    numbers = [new_id_number() for _ in range(9)]
    with override_settings(SHEQU_FIELD_KEYS=[old]):
        for i, number in enumerate(numbers):
            make_resident(id_number=number, phone=f"1390000{i:04d}" if i % 2 else "")
    with override_settings(SHEQU_FIELD_KEYS=[new, old]):
        # A slice, as in a maintenance window.
        assert "3 still under an older key" in rotate(batch_size=2, max_batches=3)
        # Then a crash in the middle of a batch: that batch is rolled back.
        calls = {"n": 0}
        real_rotate = crypto.FieldCipher.rotate

        def flaky(self: crypto.FieldCipher, token: str) -> str:
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt
            return real_rotate(self, token)

        monkeypatch.setattr(crypto.FieldCipher, "rotate", flaky)
        with pytest.raises(KeyboardInterrupt):
            rotate(batch_size=3)
        monkeypatch.setattr(crypto.FieldCipher, "rotate", real_rotate)
        assert Resident.objects.exclude(key_id=key_id(new)).count() == 3
        assert sorted(cipher().decrypt(r.id_number_enc) for r in Resident.objects.all()) == sorted(
            numbers
        )
        assert "0 still under an older key" in rotate(batch_size=3)
    with override_settings(SHEQU_FIELD_KEYS=[new]):  # the old key is gone
        assert sorted(cipher().decrypt(r.id_number_enc) for r in Resident.objects.all()) == sorted(
            numbers
        )
        phones = [cipher().decrypt(r.phone_enc) for r in Resident.objects.exclude(phone_enc="")]
        assert len(phones) == 4
        # The blind index did not change: exact lookup still finds people.
        assert search_residents(personas.clerk, q=numbers[5]).count() == 1


def test_a_missing_old_key_is_reported(make_resident: MakeResident) -> None:
    old = new_fernet_key()
    with override_settings(SHEQU_FIELD_KEYS=[old]):
        make_resident()
    with override_settings(SHEQU_FIELD_KEYS=[new_fernet_key()]), pytest.raises(CommandError):
        rotate()


def test_new_key_prints_a_valid_key() -> None:
    key = rotate(new_key=True).strip()
    assert crypto.fernet_key(key) == key


def test_a_bad_key_fails_the_start_up_check() -> None:
    from shequ.people.checks import check_field_keys

    assert check_field_keys() == []
    with override_settings(SHEQU_FIELD_KEYS=["not-a-key"]):
        assert [e.id for e in check_field_keys()] == ["people.E001"]


def test_resident_units_contacts_are_rotated_after_the_residents(personas: Personas) -> None:
    from shequ.lib.creditcode import make_credit_code
    from shequ.people.actions import do_register_resident_unit
    from shequ.people.models import ResidentUnit

    old, new = new_fernet_key(), new_fernet_key()
    with override_settings(SHEQU_FIELD_KEYS=[old]):
        for i in range(3):
            do_register_resident_unit(
                None,
                unit=personas.guanpo,
                name=f"单位{i}",
                credit_code=make_credit_code("422801", 300 + i),
                trade="C",
                size="small",
                contact_name="田经理" if i else "",
                contact_phone=f"1397270003{i}" if i else "",
            )
    with override_settings(SHEQU_FIELD_KEYS=[new, old]):
        out = rotate(batch_size=1)
        assert "re-encrypted 2 resident units; 0 still under an older key" in out
        assert "older keys may now be removed" in out
    with override_settings(SHEQU_FIELD_KEYS=[new]):
        phones = sorted(
            cipher().decrypt(ru.contact_phone_enc)
            for ru in ResidentUnit.objects.exclude(contact_phone_enc="")
        )
        assert phones == ["13972700031", "13972700032"]
