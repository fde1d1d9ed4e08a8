"""The whole flow, transition by transition, each with its event row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import Personas, ReceiveCase
from shequ.mediation import actions
from shequ.mediation.models import Dispute, DisputeStatus, Outcome
from shequ.mediation.tests.conftest import MakeDispute, agree
from shequ.orgs.models import Event
from shequ.services.models import Case

pytestmark = pytest.mark.django_db


def verbs(d: Dispute) -> list[str]:
    return list(
        Event.objects.filter(object_type="mediation.dispute", object_id=str(d.pk))
        .order_by("pk")
        .values_list("verb", flat=True)
    )


def test_it_walks_a_dispute_from_report_to_archive(
    personas: Personas, make_dispute: MakeDispute
) -> None:
    d = make_dispute()
    assert d.status == DisputeStatus.REGISTERED and d.number.startswith("TJ")
    assert d.parties.count() == 2 and d.reported_by == personas.grid_worker
    actions.do_accept_dispute(personas.mediator, d)
    assert d.status == DisputeStatus.ACCEPTED and d.mediator == personas.mediator
    assert d.due_at is not None and d.due_at > timezone.now() + dt.timedelta(days=30)
    for n in range(2):
        actions.do_record_session(
            personas.mediator,
            d,
            held_at=timezone.now() - dt.timedelta(hours=3 - n),
            place="官坡社区调解室",
            participants="双方当事人",
            record=f"第{n + 1}次调解,双方陈述意见并协商。",
        )
    assert d.status == DisputeStatus.MEDIATING and d.sessions.count() == 2
    agreement = agree(personas.mediator, d)
    d.refresh_from_db()
    assert d.status == DisputeStatus.PERFORMING and d.outcome == Outcome.AGREED
    assert agreement.copies == 3 and agreement.confirmation_due_on is not None
    actions.do_record_follow_up(
        personas.mediator,
        d,
        visited_on=timezone.localdate(),
        result="performed",
        note="已疏通,已付款",
    )
    actions.do_close_dispute(personas.mediator, d)
    assert d.status == DisputeStatus.CLOSED
    actions.do_archive_dispute(personas.mediator, d)
    assert d.status == DisputeStatus.ARCHIVED and d.archive_number
    assert verbs(d) == [
        "mediation.dispute_registered",
        "mediation.dispute_accepted",
        "mediation.session_recorded",
        "mediation.session_recorded",
        "mediation.agreement_recorded",
        "mediation.follow_up",
        "mediation.dispute_closed",
        "mediation.dispute_archived",
    ]


def test_it_returns_the_first_dispute_for_a_retried_report(
    personas: Personas, make_dispute: MakeDispute
) -> None:
    a = make_dispute(client_token="tok-1")
    b = make_dispute(client_token="tok-1")
    assert a.pk == b.pk and Dispute.objects.count() == 1


def test_it_ends_without_agreement_and_tells_the_routes(
    personas: Personas, mediating: Dispute
) -> None:
    with pytest.raises(ValidationError):
        actions.do_end_without_agreement(personas.mediator, mediating, routes=[])
    with pytest.raises(ValidationError):
        actions.do_end_without_agreement(personas.mediator, mediating, routes=["duel"])
    actions.do_end_without_agreement(
        personas.mediator, mediating, routes=["lawsuit", "arbitration"]
    )
    assert mediating.status == DisputeStatus.ENDED and mediating.outcome == Outcome.NO_AGREEMENT
    actions.do_close_dispute(personas.mediator, mediating)
    assert mediating.status == DisputeStatus.CLOSED


def test_it_records_an_oral_agreement_without_the_written_particulars(
    personas: Personas, mediating: Dispute
) -> None:
    a = agree(
        personas.mediator, mediating, form="oral", performance_manner="", performance_due_on=None
    )
    assert a.copies == 1 and a.confirmation_due_on is None


def test_a_written_agreement_needs_the_particulars_of_article_29(
    personas: Personas, mediating: Dispute
) -> None:
    with pytest.raises(ValidationError) as e:
        agree(personas.mediator, mediating, performance_manner="")
    assert "performance_manner" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        agree(personas.mediator, mediating, performance_due_on=None)
    assert "performance_due_on" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        agree(personas.mediator, mediating, copies=2)
    assert "copies" in e.value.message_dict
    mediating.refresh_from_db()
    assert mediating.status == DisputeStatus.MEDIATING and not mediating.agreements.exists()


def test_no_agreement_before_a_session(personas: Personas, make_dispute: MakeDispute) -> None:
    d = make_dispute()
    actions.do_accept_dispute(personas.mediator, d)
    with pytest.raises(ValidationError):
        agree(personas.mediator, d)


def test_closing_an_agreement_needs_a_follow_up_finding_it_performed(
    personas: Personas, mediating: Dispute
) -> None:
    agree(personas.mediator, mediating)
    mediating.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.do_close_dispute(personas.mediator, mediating)
    actions.do_record_follow_up(
        personas.mediator,
        mediating,
        visited_on=timezone.localdate(),
        result="partly",
        note="已疏通,未付款",
    )
    with pytest.raises(ValidationError):
        actions.do_close_dispute(personas.mediator, mediating)
    actions.do_record_follow_up(
        personas.grid_worker,
        mediating,
        visited_on=timezone.localdate(),
        result="performed",
        note="已付款",
    )
    actions.do_close_dispute(personas.mediator, mediating)
    assert mediating.status == DisputeStatus.CLOSED


def test_archive_only_a_closed_or_refused_dispute(personas: Personas, mediating: Dispute) -> None:
    with pytest.raises(ValidationError):
        actions.do_archive_dispute(personas.mediator, mediating)


def test_the_grid_worker_reports_but_does_not_mediate(
    personas: Personas, make_dispute: MakeDispute
) -> None:
    d = make_dispute()
    with pytest.raises(PermissionDenied):
        actions.do_accept_dispute(personas.grid_worker, d)
    with pytest.raises(PermissionDenied):
        actions.do_accept_dispute(personas.lichuan_clerk, d)
    assert Dispute.objects.get(pk=d.pk).status == DisputeStatus.REGISTERED


def test_two_mediators_accepting_at_once_cannot_both_win(
    personas: Personas, make_dispute: MakeDispute
) -> None:
    d = make_dispute()
    stale = Dispute.objects.get(pk=d.pk)
    actions.do_accept_dispute(personas.mediator, d)
    with pytest.raises(ValidationError):
        actions.do_accept_dispute(personas.director, stale)


def test_a_call_for_help_links_its_on_site_case(
    personas: Personas, make_dispute: MakeDispute, receive: ReceiveCase
) -> None:
    case = receive(
        "XF-002",
        channel="hotline",
        applicant_kind="caller",
        contact_name="黄大山",
        contact_phone="13972799876",
    )
    d = make_dispute(
        actor=personas.mediator, case=case, referrer="hotline", referrer_name="社区服务热线"
    )
    assert d.case == case and case.quarter_hour_due_at is not None
    other = make_dispute()
    actions.do_link_case(personas.mediator, other, case)
    assert Dispute.objects.get(pk=other.pk).case == case
    with pytest.raises(ValidationError):
        make_dispute(actor=personas.mediator, case=receive_elsewhere(personas))


def receive_elsewhere(personas: Personas) -> Case:
    from shequ.services.actions import do_receive_case
    from shequ.services.models import ServiceItem

    community = personas.lichuan_clerk.posts.get().unit
    return do_receive_case(
        None,
        unit=community,
        item=ServiceItem.objects.get(code="XF-002"),
        channel="hotline",
        applicant_kind="caller",
        contact_name="某",
        contact_phone="13972799876",
    )
