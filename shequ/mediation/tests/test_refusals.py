"""Refusals with their reasons, and registration's own refusals of bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from conftest import Personas
from shequ.mediation import actions
from shequ.mediation.actions import PartyInput
from shequ.mediation.models import Committee, Dispute, DisputeStatus
from shequ.mediation.tests.conftest import MakeDispute

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "reason",
    ["court_accepted", "police_accepted", "agency_accepted", "specialised", "party_refuses"],
)
def test_it_refuses_with_the_reason_recorded(
    personas: Personas, make_dispute: MakeDispute, reason: str
) -> None:
    d = make_dispute()
    actions.do_refuse_dispute(personas.mediator, d, reason=reason, note="经核实,情况属实")
    d.refresh_from_db()
    assert d.status == DisputeStatus.REFUSED and d.refusal_reason == reason
    assert d.refusal_note == "经核实,情况属实"
    actions.do_archive_dispute(personas.mediator, d)
    assert d.status == DisputeStatus.ARCHIVED


def test_a_refusal_needs_a_reason_and_a_note(personas: Personas, make_dispute: MakeDispute) -> None:
    d = make_dispute()
    with pytest.raises(ValidationError) as e:
        actions.do_refuse_dispute(personas.mediator, d, reason="", note="经核实,情况属实")
    assert "reason" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        actions.do_refuse_dispute(personas.mediator, d, reason="party_refuses", note="")
    assert "note" in e.value.message_dict
    assert Dispute.objects.get(pk=d.pk).status == DisputeStatus.REGISTERED


def test_an_accepted_dispute_is_not_refused(personas: Personas, make_dispute: MakeDispute) -> None:
    d = make_dispute()
    actions.do_accept_dispute(personas.mediator, d)
    with pytest.raises(ValidationError):
        actions.do_refuse_dispute(personas.mediator, d, reason="party_refuses", note="对方拒绝调解")


def test_registration_refuses_bad_input(personas: Personas, make_dispute: MakeDispute) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"kind": "duel"}, "kind"),
        ({"source": "rumour"}, "source"),
        ({"referrer": ""}, "referrer"),
        ({"referrer": "court", "referrer_name": ""}, "referrer_name"),
        ({"summary": "吵架"}, "summary"),
        ({"parties": [PartyInput(side="applicant", name="黄大山")]}, "parties"),
        (
            {
                "parties": [
                    PartyInput(side="applicant", name="甲", id_number="123"),
                    PartyInput(side="respondent", name="乙"),
                ]
            },
            "parties-0",
        ),
        (
            {
                "parties": [
                    PartyInput(side="applicant", name="甲"),
                    PartyInput(side="respondent", name="乙", phone="12"),
                ]
            },
            "parties-1",
        ),
        (
            {
                "source": "application",
                "parties": [
                    PartyInput(side="respondent", name="甲"),
                    PartyInput(side="other", name="乙"),
                ],
            },
            "parties",
        ),
        ({"amount": "很多"}, "amount"),
    ]
    for fields, field in cases:
        with pytest.raises(ValidationError) as e:
            make_dispute(**fields)
        assert field in e.value.message_dict, (fields, e.value)
    assert not Dispute.objects.exists()


def test_a_dispute_goes_to_a_committee_above_where_it_arose(
    personas: Personas, make_dispute: MakeDispute
) -> None:
    from conftest import WUYANG_STREET, unit

    other: Committee = actions.do_create_committee(None, unit=unit(WUYANG_STREET))
    with pytest.raises(ValidationError) as e:
        make_dispute(committee=other)
    assert "committee" in e.value.message_dict
