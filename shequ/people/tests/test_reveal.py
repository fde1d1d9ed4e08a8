"""Revealing a full number needs a reveal role and a reason, and is logged."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import Personas
from shequ.orgs.models import Event
from shequ.people.actions import do_reveal_resident_field
from shequ.people.crypto import cipher
from shequ.people.tests.conftest import MakeResident

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["director", "township", "county", "prefecture"])
def test_leads_and_officers_may_reveal_and_it_is_logged(
    personas: Personas, make_resident: MakeResident, who: str
) -> None:
    r = make_resident()
    user = getattr(personas, who)
    value = do_reveal_resident_field(user, r, field="id_number", reason="办理低保复核")
    assert value == cipher().decrypt(r.id_number_enc)
    event = Event.objects.get(verb="resident.revealed")
    assert event.actor == user
    assert event.object_id == str(r.pk)
    assert event.unit == r.unit
    assert event.after == {"field": "id_number", "reason": "办理低保复核"}
    assert do_reveal_resident_field(user, r, field="phone", reason="回访联系") == "13812345678"


@pytest.mark.parametrize("who", ["clerk", "lichuan_clerk", "outsider"])
def test_others_cannot_reveal(personas: Personas, make_resident: MakeResident, who: str) -> None:
    r = make_resident()
    with pytest.raises(PermissionDenied):
        do_reveal_resident_field(getattr(personas, who), r, field="id_number", reason="想看看号码")
    assert not Event.objects.filter(verb="resident.revealed").exists()


def test_a_reason_is_required(personas: Personas, make_resident: MakeResident) -> None:
    r = make_resident()
    with pytest.raises(ValidationError) as info:
        do_reveal_resident_field(personas.director, r, field="id_number", reason=" 看 ")
    assert "事由" in info.value.message_dict["reason"][0]
    assert not Event.objects.filter(verb="resident.revealed").exists()
