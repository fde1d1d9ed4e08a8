"""Joined up: to judicial mediation and back, up to the township's committee, to a
third-party body, and a court referral's result returned."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import Personas, make_staff
from shequ.mediation import actions
from shequ.mediation.models import Committee, Dispute, DisputeStatus, MediationType, Outcome
from shequ.mediation.tests.conftest import MakeDispute
from shequ.orgs.models import Role

pytestmark = pytest.mark.django_db


def test_a_transfer_to_judicial_mediation_and_back(personas: Personas, mediating: Dispute) -> None:
    out = actions.do_transfer_dispute(
        personas.mediator,
        mediating,
        to_type="judicial",
        to_body="恩施市人民法院舞阳坝法庭",
        reason="涉及人身损害鉴定,委托法院调解",
    )
    mediating.refresh_from_db()
    assert mediating.status == DisputeStatus.TRANSFERRED
    assert mediating.mediation_type == MediationType.JUDICIAL
    assert mediating.handling_body == "恩施市人民法院舞阳坝法庭"
    assert out.receipt_number.startswith("YJ") and out.received_at is None
    with pytest.raises(ValidationError):  # not back before the court signs for it
        actions.do_return_dispute(personas.mediator, mediating, result="法院退回", settled=False)
    actions.do_receive_transfer(personas.mediator, mediating, received_by_name="法庭书记员王敏")
    back = actions.do_return_dispute(
        personas.mediator, mediating, result="鉴定完成,退回人民调解继续调解", settled=False
    )
    mediating.refresh_from_db()
    assert mediating.status == DisputeStatus.MEDIATING
    assert mediating.mediation_type == MediationType.PEOPLES
    assert back.returned and back.receipt_number != out.receipt_number
    history = list(mediating.transfers.order_by("pk").values_list("from_type", "to_type"))
    assert history == [("peoples", "judicial"), ("judicial", "peoples")]


def test_a_dispute_settled_where_it_went_is_closed(personas: Personas, mediating: Dispute) -> None:
    actions.do_transfer_dispute(
        personas.mediator,
        mediating,
        to_type="administrative",
        to_body="舞阳坝司法所",
        reason="涉及行政管理事项",
    )
    actions.do_receive_transfer(personas.mediator, mediating, received_by_name="司法所所长")
    actions.do_return_dispute(
        personas.mediator, mediating, result="司法所调解达成协议", settled=True
    )
    mediating.refresh_from_db()
    assert mediating.status == DisputeStatus.CLOSED and mediating.outcome == Outcome.TRANSFERRED


def test_up_to_the_township_committee_with_a_receipt(
    personas: Personas, mediating: Dispute, township_committee: Committee
) -> None:
    township_mediator = make_staff("t_mediator", (Role.MEDIATOR, township_committee.unit))
    with pytest.raises(ValidationError):
        actions.do_transfer_dispute(personas.mediator, mediating, to_type="peoples", reason="疑难")
    t = actions.do_transfer_dispute(
        personas.mediator,
        mediating,
        to_type="peoples",
        to_committee=township_committee,
        reason="疑难复杂",
    )
    assert t.to_body == township_committee.name
    with pytest.raises(PermissionDenied):  # the sender does not sign for the receiver
        actions.do_receive_transfer(personas.mediator, mediating, received_by_name="某人")
    actions.do_receive_transfer(township_mediator, mediating, received_by_name="街道调委会")
    mediating.refresh_from_db()
    assert mediating.committee == township_committee
    assert mediating.status == DisputeStatus.MEDIATING
    actions.do_record_session(
        township_mediator,
        mediating,
        held_at=timezone.now(),
        place="街道调解中心",
        participants="双方当事人",
        record="街道调委会组织双方再次协商。",
    )


def test_to_a_third_party_body_pointing_at_a_resident_unit(
    personas: Personas, mediating: Dispute
) -> None:
    from shequ.people.actions import do_register_resident_unit

    ru = do_register_resident_unit(
        None,
        unit=personas.guanpo,
        name="舞阳坝供电所",
        credit_code="91422801MA4901234C",
        trade="D",
        size="medium",
        contact_name="周经理",
        contact_phone="13907180001",
    )
    unit_body = actions.do_register_third_party(
        personas.director, unit=personas.guanpo, kind="resident_unit", resident_unit=ru
    )
    assert unit_body.name == "舞阳坝供电所" and unit_body.resident_unit == ru
    body = actions.do_register_third_party(
        personas.director, unit=personas.guanpo, kind="bar_association", name="恩施市律师协会"
    )
    with pytest.raises(ValidationError):
        actions.do_register_third_party(
            personas.director, unit=personas.guanpo, kind="resident_unit"
        )
    actions.do_transfer_dispute(
        personas.mediator,
        mediating,
        to_type="third_party",
        third_party=body,
        reason="请律师协会参与",
    )
    mediating.refresh_from_db()
    assert mediating.third_party == body and mediating.handling_body == "恩施市律师协会"


def test_a_court_referral_returns_its_result_to_the_court(
    personas: Personas, make_dispute: MakeDispute
) -> None:
    d = make_dispute(
        actor=personas.mediator,
        referrer="court",
        referrer_name="恩施市人民法院",
        referrer_ref="(2026)鄂2801诉前调1号",
    )
    with pytest.raises(ValidationError):
        actions.do_return_result_to_referrer(personas.mediator, d)
    actions.do_refuse_dispute(
        personas.mediator, d, reason="party_refuses", note="被申请人明确拒绝调解"
    )
    actions.do_return_result_to_referrer(personas.mediator, d)
    d.refresh_from_db()
    assert d.result_returned_at is not None
    with pytest.raises(ValidationError):
        actions.do_return_result_to_referrer(personas.mediator, d)
