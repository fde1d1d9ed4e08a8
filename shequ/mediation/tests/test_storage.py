"""Parties' ID numbers and phones never reach the database in plain text (the registry's
test, extended to mediation's tables and the event log), yet are still found by the
blind index and revealed, logged, to the registry's reveal roles only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from conftest import Personas, new_id_number
from shequ.mediation import actions
from shequ.mediation.actions import PartyInput
from shequ.mediation.tests.conftest import MakeDispute
from shequ.orgs.models import Event
from shequ.people.models import Resident

pytestmark = pytest.mark.django_db


def test_no_plain_number_reaches_the_database(
    personas: Personas, make_dispute: MakeDispute, resident: Resident
) -> None:
    numbers = [new_id_number(), new_id_number()]
    phones = ["13900004444", "13700005555"]
    d = make_dispute(
        parties=[
            PartyInput(side="applicant", name="甲", id_number=numbers[0], phone=phones[0]),
            PartyInput(side="respondent", name="乙", id_number=numbers[1], phone=phones[1]),
            PartyInput(side="other", resident=resident),
        ]
    )
    actions.do_accept_dispute(personas.mediator, d)  # queues SMS to the parties
    party = d.parties.get(name="甲")
    assert (
        actions.do_reveal_party_field(
            personas.director, party, field="id_number", reason="核对当事人身份"
        )
        == numbers[0]
    )
    dump = ""
    with connection.cursor() as cursor:
        for table in ("mediation_party", "mediation_dispute", "orgs_event"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            dump += repr(cursor.fetchall())
    for secret in numbers + phones:
        assert secret not in dump
        assert secret[-8:] + secret[:4] not in dump
    assert party.id_number_masked.startswith(numbers[0][:4]) and "*" in party.id_number_masked
    assert Event.objects.filter(verb="mediation.party_revealed").count() == 1
    # found by the blind index
    assert [p.pk for p in actions.find_parties(personas.mediator, phone=phones[1])] == [
        d.parties.get(name="乙").pk
    ]


def test_mediators_and_grid_workers_do_not_reveal(
    personas: Personas, make_dispute: MakeDispute
) -> None:
    d = make_dispute()
    party = d.parties.first()
    assert party is not None
    for who in (personas.mediator, personas.grid_worker):
        with pytest.raises(PermissionDenied):
            actions.do_reveal_party_field(who, party, field="phone", reason="联系当事人")
    with pytest.raises(ValidationError):
        actions.do_reveal_party_field(personas.director, party, field="phone", reason="")
    assert not Event.objects.filter(verb="mediation.party_revealed").exists()
