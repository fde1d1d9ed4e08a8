"""/api/v1/mediation/: disputes (list, detail, register, steps), committees and the
figures. Scoped like the pages: out of scope 404, a missing role 403, bad input or a
lost race or a step the state does not allow 422, in the shared ``ErrorOut`` shape
(docs/api.md). Parties' numbers are always masked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from shequ.mediation import access, actions
from shequ.mediation.figures import dispute_figures
from shequ.mediation.models import Dispute, DisputeKind
from shequ.mediation.steps import run_step, step_forms
from shequ.orgs import access as org_access
from shequ.orgs.access import acting_user, get_unit_for_user
from shequ.orgs.apiauth import IdempotencyKey, PageIn, answers, client_key, paginate
from shequ.orgs.models import Event
from shequ.people.access import get_resident_for_user

router = Router()


class DisputePartyOut(Schema):
    id: int
    side: str
    name: str
    resident_id: int | None
    id_number_masked: str
    phone_masked: str


class DisputeOut(Schema):
    id: int
    number: str
    unit_id: int
    committee_id: int
    source: str
    referrer: str
    kind: str
    status: str
    mediation_type: str
    handling_body: str
    amount: Decimal | None
    risk_criminal: bool
    risk_group: bool
    outcome: str
    received_at: dt.datetime
    accepted_at: dt.datetime | None
    due_at: dt.datetime | None
    overdue: bool
    confirmation_due_on: dt.date | None
    steps: list[str] = Field(description="当前用户此刻可办理的环节")


class DisputeEventOut(Schema):
    at: dt.datetime
    verb: str


class DisputeDetailOut(DisputeOut):
    summary: str
    parties: list[DisputePartyOut]
    events: list[DisputeEventOut]


class DisputePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[DisputeOut]


class DisputeParams(PageIn):
    status: str = Field("", max_length=12)
    kind: str = Field("", max_length=16)
    overdue: bool = False


class DisputePartyIn(Schema):
    side: str
    name: str = ""
    resident_id: int | None = None
    id_number: str = ""
    phone: str = ""
    address: str = ""


class DisputeIn(Schema):
    unit_id: int
    committee_id: int
    source: str
    kind: str
    summary: str
    parties: list[DisputePartyIn]
    referrer: str = ""
    referrer_name: str = ""
    referrer_ref: str = ""
    place: str = ""
    amount: Decimal | None = None
    risk_criminal: bool = False
    risk_group: bool = False
    client_token: str | None = None


class DisputeStepIn(Schema):
    """The fields of the page's step forms; each step reads those it needs."""

    mediator: int | None = None
    note: str = ""
    reason: str = ""
    held_at: dt.datetime | None = None
    place: str = ""
    participants: str = ""
    record: str = ""
    form: str = ""
    facts: str = ""
    liability: str = ""
    terms: str = ""
    performance_manner: str = ""
    performance_due_on: dt.date | None = None
    copies: int | None = None
    effective_on: dt.date | None = None
    routes: list[str] = []
    days: int | None = None
    to_type: str = ""
    to_body: str = ""
    to_committee: int | None = None
    third_party: int | None = None
    received_by_name: str = ""
    result: str = ""
    settled: bool = False
    court: str = ""
    applied_on: dt.date | None = None
    decision: str = ""
    decided_on: dt.date | None = None
    remediate: bool = False
    visited_on: dt.date | None = None
    case_number: str = ""
    client_token: str | None = None


class MediationCommitteeOut(Schema):
    id: int
    name: str
    unit_id: int
    members: int
    warnings: list[str]


class MediationFiguresOut(Schema):
    unit_id: int
    first: dt.date
    last: dt.date
    total: int
    by_kind: dict[str, int]
    by_source: dict[str, int]
    by_outcome: dict[str, int]
    success_rate: Decimal | None
    amount_yuan: Decimal
    days_to_agreement: Decimal | None
    confirmations_applied: int
    confirmations_granted: int
    confirmations_refused: int
    prevented_criminal: int
    prevented_group: int
    transferred: int
    advisor_activity: dict[str, int]


def _out(d: Dispute, user: Any) -> dict[str, Any]:
    agreement = d.agreement
    return {
        "id": d.pk,
        "number": d.number,
        "unit_id": d.unit_id,
        "committee_id": d.committee_id,
        "source": d.source,
        "referrer": d.referrer,
        "kind": d.kind,
        "status": d.status,
        "mediation_type": d.mediation_type,
        "handling_body": d.handling_body,
        "amount": d.amount,
        "risk_criminal": d.risk_criminal,
        "risk_group": d.risk_group,
        "outcome": d.outcome,
        "received_at": d.received_at,
        "accepted_at": d.accepted_at,
        "due_at": d.due_at,
        "overdue": d.is_overdue(),
        "confirmation_due_on": agreement.confirmation_due_on if agreement else None,
        "steps": list(step_forms(user, d)),
    }


@router.get("/disputes/", response=answers({200: DisputePage}), summary="纠纷列表")
def list_disputes(request: HttpRequest, params: Query[DisputeParams]) -> dict[str, Any]:
    rows: Any = access.disputes_for_user(request.user)
    if params.overdue:
        rows = rows.overdue()
    if params.status:
        rows = rows.filter(status=params.status)
    if params.kind:
        rows = rows.filter(kind=params.kind)
    return paginate(
        rows.select_related("committee__unit").order_by("-received_at", "-pk"),
        params,
        lambda d: _out(d, request.user),
    )


@router.get(
    "/disputes/{dispute_id}/", response=answers({200: DisputeDetailOut}), summary="纠纷详情"
)
def get_dispute(request: HttpRequest, dispute_id: int) -> dict[str, Any]:
    d = access.get_dispute_for_user(request.user, dispute_id)
    events = Event.objects.filter(object_type="mediation.dispute", object_id=str(d.pk)).order_by(
        "created_at", "pk"
    )
    return {
        **_out(d, request.user),
        "summary": d.summary,
        "parties": [
            {
                "id": p.pk,
                "side": p.side,
                "name": p.name,
                "resident_id": p.resident_id,
                "id_number_masked": p.id_number_masked,
                "phone_masked": p.phone_masked,
            }
            for p in d.parties.all()
        ],
        "events": [{"at": e.created_at, "verb": e.verb} for e in events],
    }


@router.post("/disputes/", response=answers({201: DisputeOut}), summary="登记纠纷")
def create_dispute(
    request: HttpRequest, payload: DisputeIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    """A retry with the same ``Idempotency-Key`` header (or ``client_token``) returns the
    first dispute and creates nothing."""
    user = acting_user(request)
    unit = get_unit_for_user(user, payload.unit_id)
    committee = access.committees_for_dispute_unit(unit).filter(pk=payload.committee_id).first()
    if committee is None:
        raise ValidationError({"committee_id": _("请选择纠纷发生地所在的调解委员会。")})
    parties = []
    for p in payload.parties:
        resident = get_resident_for_user(user, p.resident_id) if p.resident_id else None
        parties.append(
            actions.PartyInput(
                side=p.side,
                name=p.name,
                resident=resident,
                id_number=p.id_number,
                phone=p.phone,
                address=p.address,
            )
        )
    d = actions.do_register_dispute(
        user,
        unit=unit,
        committee=committee,
        source=payload.source,
        kind=payload.kind,
        summary=payload.summary,
        parties=parties,
        referrer=payload.referrer,
        referrer_name=payload.referrer_name,
        referrer_ref=payload.referrer_ref,
        place=payload.place,
        amount=payload.amount,
        risk_criminal=payload.risk_criminal,
        risk_group=payload.risk_group,
        client_token=client_key(idempotency_key, payload.client_token),
    )
    return Status(201, _out(d, user))


def _form_data(payload: DisputeStepIn) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in payload.model_dump().items():
        if value is None or value == "" or value is False:
            continue
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
        data[name] = value
    return data


@router.post(
    "/disputes/{dispute_id}/steps/{step}/",
    response=answers({200: DisputeOut}),
    summary=(
        "纠纷环节:accept / refuse / session / extend / agreement / no_agreement / transfer / "
        "receive / return / apply / decide / follow_up / close / archive / result_returned / "
        "link_case"
    ),
)
def dispute_step(
    request: HttpRequest, dispute_id: int, step: str, payload: DisputeStepIn
) -> Status[dict[str, Any]]:
    """The same steps, states and roles as the dispute page."""
    user = acting_user(request)
    d = access.get_dispute_for_user(user, dispute_id)
    form = step_forms(user, d, _form_data(payload)).get(step)
    if form is None:
        raise ValidationError({"status": _("当前状态不能进行此操作,或您的岗位无权办理。")})
    if not form.is_valid():
        raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
    run_step(user, d, step, form)
    d.refresh_from_db()
    return Status(200, _out(d, user))


@router.get(
    "/committees/", response=answers({200: list[MediationCommitteeOut]}), summary="人民调解委员会"
)
def list_committees(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": c.pk,
            "name": c.name,
            "unit_id": c.unit_id,
            "members": len(actions.current_members(c)),
            "warnings": actions.committee_warnings(c),
        }
        for c in access.committees_for_user(request.user).filter(active=True)[:500]
    ]


@router.get("/figures/", response=answers({200: MediationFiguresOut}), summary="调解统计")
def figures(
    request: HttpRequest,
    unit_id: int | None = None,
    first: dt.date | None = None,
    last: dt.date | None = None,
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    unit = (
        get_unit_for_user(user, unit_id)
        if unit_id is not None
        else org_access.scope_roots(user).first()
    )
    if unit is None or not access.may(user, access.FIGURES_ROLES, unit):
        raise PermissionDenied(_("您的岗位无权查看统计。"))
    today = timezone.localdate()
    first, last = first or dt.date(today.year, 1, 1), last or today
    if first > last:
        raise ValidationError({"first": _("起始日期不能晚于截止日期。")})
    f = dispute_figures(unit, first, last)
    return Status(
        200,
        {
            "unit_id": unit.pk,
            "first": first,
            "last": last,
            "total": f.total,
            "by_kind": {k: f.by_kind.get(k, 0) for k in DisputeKind.values},
            "by_source": f.by_source,
            "by_outcome": f.by_outcome,
            "success_rate": f.success_rate,
            "amount_yuan": f.amount_yuan,
            "days_to_agreement": f.days_to_agreement,
            "confirmations_applied": f.confirmations_applied,
            "confirmations_granted": f.confirmations_granted,
            "confirmations_refused": f.confirmations_refused,
            "prevented_criminal": f.prevented_criminal,
            "prevented_group": f.prevented_group,
            "transferred": f.transferred,
            "advisor_activity": f.advisor_activity,
        },
    )
