"""/api/v1/building/: the seed figures, ledger totals and entries (record with an
``Idempotency-Key``, reverse), compliance per unit, projects (and paying a subsidy) and
pledges. Scoped like the pages: out of scope 404, a missing role 403, bad input 422."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from shequ.building import access, actions, ledger, standards
from shequ.building.figures import SEED_DAY, pledge_progress, seed_figures
from shequ.building.models import EntryKind, FiscalLevel, FundSource, LedgerEntry, SixBits
from shequ.orgs.access import acting_user, get_unit_for_user, scope_roots
from shequ.orgs.apiauth import IdempotencyKey, PageIn, answers, client_key, paginate
from shequ.orgs.models import OrgUnit

router = Router()


def _unit(request: HttpRequest, unit_id: int | None) -> OrgUnit:
    if unit_id is not None:
        return get_unit_for_user(request.user, unit_id)
    root = scope_roots(request.user).first()
    if root is None:
        raise Http404
    return root


class SeedFiguresOut(Schema):
    day: dt.date
    unit_id: int
    communities: int
    urban: int
    town: int
    county_investment_yuan: Decimal
    plan_reward_subsidy_yuan: Decimal
    plan_central_provincial_yuan: Decimal
    plan_county_funds_yuan: Decimal
    rural_disbursed_yuan: Decimal
    rural_fiscal_yuan: Decimal
    rural_department_aid_yuan: Decimal
    rural_donations_yuan: Decimal
    rural_self_raised_yuan: Decimal
    centres_meeting_area: int
    min_area_m2: Decimal | None
    rural_with_hall: int


@router.get(
    "/figures/seed/", response=answers({200: SeedFiguresOut}), summary="报告原文的社区建设指标"
)
def figures_seed(
    request: HttpRequest, day: dt.date = SEED_DAY, unit_id: int | None = None
) -> dict[str, Any]:
    f = seed_figures(day, _unit(request, unit_id))
    return {
        "day": f.day,
        "unit_id": f.unit.pk,
        "communities": f.communities,
        "urban": f.urban,
        "town": f.town,
        "county_investment_yuan": f.county_investment,
        "plan_reward_subsidy_yuan": f.plan_reward_subsidy,
        "plan_central_provincial_yuan": f.plan_central_provincial,
        "plan_county_funds_yuan": f.plan_county_funds,
        "rural_disbursed_yuan": f.rural_disbursed,
        "rural_fiscal_yuan": f.rural_fiscal,
        "rural_department_aid_yuan": f.rural_department_aid,
        "rural_donations_yuan": f.rural_donations,
        "rural_self_raised_yuan": f.rural_self_raised,
        "centres_meeting_area": f.centres_meeting_area,
        "min_area_m2": f.min_area_m2,
        "rural_with_hall": f.rural_with_hall,
    }


class TotalOut(Schema):
    key: dict[str, Any]
    amount_yuan: Decimal
    entries: int


class TotalsOut(Schema):
    unit_id: int
    by: list[str]
    total_yuan: Decimal
    rows: list[TotalOut]


@router.get("/ledger/totals/", response=answers({200: TotalsOut}), summary="资金汇总")
def ledger_totals(
    request: HttpRequest,
    by: str = "source",
    unit_id: int | None = None,
    first: dt.date | None = None,
    last: dt.date | None = None,
    level: FiscalLevel | None = None,
    source: FundSource | None = None,
    six_bits: SixBits | None = None,
    kind: EntryKind | None = None,
) -> Any:
    names = [n for n in by.split(",") if n] if by else []
    bad = [n for n in names if n not in ledger.DIMENSIONS]
    if bad or len(names) > 3:
        raise ValidationError(
            {"by": [_("可按 %(dims)s 汇总。") % {"dims": ", ".join(ledger.DIMENSIONS)}]}
        )
    unit = _unit(request, unit_id)
    scope: dict[str, Any] = {
        "entries": access.entries_for_user(request.user),
        "within": unit,
        "first": first,
        "last": last,
        "level": level,
        "source": source,
        "six_bits": six_bits,
        "kind": kind,
    }
    rows = ledger.totals(by=names, **scope)
    return {
        "unit_id": unit.pk,
        "by": names,
        "total_yuan": ledger.total(**scope),
        "rows": [{"key": r.key, "amount_yuan": r.amount, "entries": r.entries} for r in rows],
    }


class EntryOut(Schema):
    id: int
    unit_id: int
    entry_date: dt.date
    year: int
    level: str
    source: str
    six_bits: str
    kind: str
    amount_yuan: Decimal
    project_id: int | None
    document_ref: str
    note: str
    reverses_id: int | None


def _entry_out(e: LedgerEntry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "unit_id": e.unit_id,
        "entry_date": e.entry_date,
        "year": e.year,
        "level": e.level,
        "source": e.source,
        "six_bits": e.six_bits,
        "kind": e.kind,
        "amount_yuan": e.amount,
        "project_id": e.project_id,
        "document_ref": e.document_ref,
        "note": e.note,
        "reverses_id": e.reverses_id,
    }


class EntryPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[EntryOut]


class EntryParams(PageIn):
    unit_id: int | None = None


@router.get("/ledger/entries/", response=answers({200: EntryPage}), summary="资金流水")
def list_entries(request: HttpRequest, params: Query[EntryParams]) -> dict[str, Any]:
    """Newest first (by entry date, then id)."""
    entries = access.entries_for_user(request.user)
    if params.unit_id is not None:
        entries = entries.filter(
            unit__path__startswith=get_unit_for_user(request.user, params.unit_id).path
        )
    return paginate(entries.order_by("-entry_date", "-pk"), params, _entry_out)


class EntryIn(Schema):
    unit_id: int
    entry_date: dt.date
    level: FiscalLevel
    source: FundSource
    six_bits: SixBits
    kind: EntryKind
    amount_yuan: Annotated[
        str, Field(max_length=20, description='yuan as a decimal string, e.g. "1234.50"')
    ]
    year: Annotated[int, Field(ge=1949, le=2100)] | None = None
    project_id: int | None = None
    document_ref: Annotated[str, Field(max_length=100)] = ""
    note: Annotated[str, Field(max_length=200)] = ""
    client_token: Annotated[str, Field(max_length=64)] | None = None


@router.post(
    "/ledger/entries/",
    response=answers({201: EntryOut}),
    summary="登记资金流水",
)
def create_entry(
    request: HttpRequest, payload: EntryIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    """A retry with the same ``Idempotency-Key`` header (or ``client_token``) returns the
    first entry and creates nothing. Amounts are decimal strings: money is never a float."""
    user = acting_user(request)
    unit = get_unit_for_user(user, payload.unit_id)
    project = access.get_project_for_user(user, payload.project_id) if payload.project_id else None
    entry = actions.do_record_entry(
        user,
        unit=unit,
        entry_date=payload.entry_date,
        year=payload.year,
        level=payload.level,
        source=payload.source,
        six_bits=payload.six_bits,
        kind=payload.kind,
        amount=payload.amount_yuan,
        project=project,
        document_ref=payload.document_ref,
        note=payload.note,
        client_token=client_key(idempotency_key, payload.client_token),
    )
    return Status(201, _entry_out(entry))


class ReverseIn(Schema):
    reason: Annotated[str, Field(min_length=1, max_length=150)]
    entry_date: dt.date | None = None


@router.post(
    "/ledger/entries/{entry_id}/reverse/",
    response=answers({201: EntryOut}),
    summary="冲销资金流水",
)
def reverse_entry(
    request: HttpRequest, entry_id: int, payload: ReverseIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    """A retry with the same ``Idempotency-Key`` returns the first reversal."""
    user = acting_user(request)
    entry = access.get_entry_for_user(user, entry_id)
    reversal = actions.do_reverse_entry(
        user,
        entry,
        reason=payload.reason,
        entry_date=payload.entry_date,
        client_token=client_key(idempotency_key),
    )
    return Status(201, _entry_out(reversal))


class ComplianceRowOut(Schema):
    unit_id: int
    name: str
    urban: int
    town: int
    rural: int
    area_ok: int
    thirteen_ok: int
    urban_town_met: int
    rural_met: int
    rural_with_hall: int


class ComplianceOut(Schema):
    day: dt.date
    total: ComplianceRowOut
    children: list[ComplianceRowOut]


def _summary_out(s: standards.Summary) -> dict[str, Any]:
    return {
        "unit_id": s.unit.pk,
        "name": s.unit.name,
        "urban": s.urban,
        "town": s.town,
        "rural": s.rural,
        "area_ok": s.area_ok,
        "thirteen_ok": s.thirteen_ok,
        "urban_town_met": s.urban_town_met,
        "rural_met": s.rural_met,
        "rural_with_hall": s.rural_with_hall,
    }


@router.get(
    "/standards/compliance/", response=answers({200: ComplianceOut}), summary="设施达标情况"
)
def compliance(
    request: HttpRequest, unit_id: int | None = None, day: dt.date | None = None
) -> dict[str, Any]:
    on = day or timezone.localdate()
    total, children = standards.summary(on, _unit(request, unit_id))
    return {
        "day": on,
        "total": _summary_out(total),
        "children": [_summary_out(c) for c in children],
    }


class ProjectOut(Schema):
    id: int
    unit_id: int
    name: str
    kind: str
    procedure: str
    status: str
    budget_yuan: Decimal
    progress: int
    resolution_ref: str
    resolution_id: int | None
    villagers_raised_yuan: Decimal
    subsidy_paid_yuan: Decimal


def _project_out(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "unit_id": p.unit_id,
        "name": p.name,
        "kind": p.kind,
        "procedure": p.procedure,
        "status": p.status,
        "budget_yuan": p.budget,
        "progress": p.progress,
        "resolution_ref": p.resolution_ref,
        "resolution_id": p.resolution_id,
        "villagers_raised_yuan": actions.villagers_raised(p),
        "subsidy_paid_yuan": actions.subsidy_paid(p),
    }


class BuildingProjectPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ProjectOut]


@router.get("/projects/", response=answers({200: BuildingProjectPage}), summary="建设项目")
def list_projects(request: HttpRequest, params: Query[PageIn]) -> dict[str, Any]:
    """Newest first (by id)."""
    return paginate(access.projects_for_user(request.user).order_by("-pk"), params, _project_out)


@router.get("/projects/{project_id}/", response=answers({200: ProjectOut}), summary="建设项目详情")
def get_project(request: HttpRequest, project_id: int) -> dict[str, Any]:
    return _project_out(access.get_project_for_user(request.user, project_id))


class SubsidyIn(Schema):
    amount_yuan: Annotated[str, Field(max_length=20)]
    level: FiscalLevel = FiscalLevel.COUNTY
    source: FundSource = FundSource.RURAL_FISCAL
    entry_date: dt.date | None = None
    document_ref: Annotated[str, Field(max_length=100)] = ""


@router.post(
    "/projects/{project_id}/subsidy/",
    response=answers({201: EntryOut}),
    summary="拨付一事一议补助(先批后建、先筹后补)",
)
def pay_subsidy(
    request: HttpRequest,
    project_id: int,
    payload: SubsidyIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[dict[str, Any]]:
    """A retry with the same ``Idempotency-Key`` returns the first payment."""
    user = acting_user(request)
    project = access.get_project_for_user(user, project_id)
    entry = actions.do_pay_subsidy(
        user,
        project,
        amount=payload.amount_yuan,
        level=payload.level,
        source=payload.source,
        entry_date=payload.entry_date,
        document_ref=payload.document_ref,
        client_token=client_key(idempotency_key),
    )
    return Status(201, _entry_out(entry))


class PledgeOut(Schema):
    id: int
    unit_id: int
    year: int
    title: str
    measure: str
    target: Decimal
    progress: Decimal
    completed_on: dt.date | None


class PledgePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[PledgeOut]


class PledgeParams(PageIn):
    year: int | None = None


def _pledge_out(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "unit_id": p.unit_id,
        "year": p.year,
        "title": p.title,
        "measure": p.measure,
        "target": p.target,
        "progress": pledge_progress(p),
        "completed_on": p.completed_on,
    }


@router.get("/pledges/", response=answers({200: PledgePage}), summary="十件实事")
def list_pledges(request: HttpRequest, params: Query[PledgeParams]) -> dict[str, Any]:
    """By year (newest first), then id."""
    pledges = access.pledges_for_user(request.user)
    if params.year is not None:
        pledges = pledges.filter(year=params.year)
    return paginate(pledges.order_by("-year", "pk"), params, _pledge_out)
