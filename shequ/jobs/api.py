"""JSON API for jobs and group services (/api/v1/jobs/).

The same access helpers and actions as the pages: out of scope is 404, a missing role
403, bad input 422 with Chinese messages per field. Creates accept an ``Idempotency-Key``
header (or ``client_token``): a retry returns the first result.
"""

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

from shequ.jobs import access, actions, matching
from shequ.jobs.figures import jobs_figures
from shequ.jobs.models import (
    ActivityType,
    FloatingActivity,
    JobSeeker,
    Referral,
    SeekerStatus,
    Vacancy,
    VacancyReport,
    VacancyStatus,
    ZeroHousehold,
)
from shequ.orgs import access as org_access
from shequ.orgs.apiauth import ErrorOut
from shequ.people import access as people_access

router = Router()
PK = Field(..., ge=1, le=2**63 - 1)


def _error(error: ValidationError) -> Status[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        return Status(422, {"detail": _("输入有误。"), "errors": error.message_dict})
    return Status(422, {"detail": " ".join(error.messages), "errors": {}})


def _forbidden(error: PermissionDenied) -> Status[dict[str, Any]]:
    return Status(403, {"detail": str(error) or _("无权操作。"), "errors": {}})


def _call(fn: Any) -> Any:
    """Run an action; its ValidationError is 422 and PermissionDenied 403."""
    try:
        return fn()
    except ValidationError as error:
        return _error(error)
    except PermissionDenied as error:
        return _forbidden(error)


# --- vacancies ----------------------------------------------------------------------------------


class VacancyIn(Schema):
    post: str = Field(..., max_length=200)
    headcount: int = Field(..., ge=0, le=100_000)
    trade: str = Field(..., max_length=4)
    skills: str = Field("", max_length=400)
    requirements: str = Field("", max_length=600)
    target_groups: list[str] = Field([], max_length=20)
    for_zero_households: bool = False
    pay_min: Decimal = Field(..., max_digits=12, decimal_places=2)
    pay_max: Decimal = Field(..., max_digits=12, decimal_places=2)
    valid_until: dt.date


class ReportIn(Schema):
    resident_unit_id: int = PK
    month: dt.date
    vacancies: list[VacancyIn] = Field([], max_length=60)
    note: str = Field("", max_length=400)
    client_token: str | None = Field(None, max_length=64)


class VacancyOut(Schema):
    id: int
    report_id: int
    resident_unit_id: int
    resident_unit: str
    community_id: int
    post: str
    headcount: int
    trade: str
    skills: str
    requirements: str
    target_groups: list[str]
    for_zero_households: bool
    pay_min: Decimal
    pay_max: Decimal
    valid_until: dt.date
    opened_on: dt.date
    status: str
    hired: int
    hired_local: int
    filled_on: dt.date | None


class ReportOut(Schema):
    id: int
    resident_unit_id: int
    month: dt.date
    reported_on: dt.date
    channel: str
    vacancies: list[VacancyOut]


def _vacancy_out(v: Vacancy) -> dict[str, Any]:
    return {
        "id": v.pk,
        "report_id": v.report_id,
        "resident_unit_id": v.resident_unit_id,
        "resident_unit": v.resident_unit.name,
        "community_id": v.community_id,
        "post": v.post,
        "headcount": v.headcount,
        "trade": v.trade,
        "skills": v.skills,
        "requirements": v.requirements,
        "target_groups": [g.code for g in v.target_groups.all()],
        "for_zero_households": v.for_zero_households,
        "pay_min": v.pay_min,
        "pay_max": v.pay_max,
        "valid_until": v.valid_until,
        "opened_on": v.opened_on,
        "status": v.status,
        "hired": v.hired,
        "hired_local": v.hired_local,
        "filled_on": v.filled_on,
    }


def _report_out(r: VacancyReport) -> dict[str, Any]:
    vacancies = r.vacancies.select_related("resident_unit").prefetch_related("target_groups")
    return {
        "id": r.pk,
        "resident_unit_id": r.resident_unit_id,
        "month": r.month,
        "reported_on": r.reported_on,
        "channel": r.channel,
        "vacancies": [_vacancy_out(v) for v in vacancies.order_by("pk")],
    }


@router.post(
    "/reports", response={201: ReportOut, 403: ErrorOut, 422: ErrorOut}, summary="登记空岗报告"
)
def create_report(request: HttpRequest, payload: ReportIn) -> Any:
    ru = people_access.get_resident_unit_for_user(request.user, payload.resident_unit_id)
    result = _call(
        lambda: actions.do_report_vacancies(
            org_access.acting_user(request),
            resident_unit=ru,
            month=payload.month,
            vacancies=[v.dict() for v in payload.vacancies],
            channel="api",
            note=payload.note,
            client_token=request.headers.get("Idempotency-Key") or payload.client_token,
        )
    )
    return result if isinstance(result, Status) else Status(201, _report_out(result))


@router.get("/reports/{report_id}", response=ReportOut, summary="空岗报告")
def get_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return _report_out(access.get_report_for_user(request.user, report_id))


class VacancyParams(Schema):
    status: str = Field("", max_length=10)
    community: int | None = Field(None, ge=1, le=2**63 - 1)
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class VacancyPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[VacancyOut]


@router.get("/vacancies", response=VacancyPage, summary="岗位列表")
def list_vacancies(request: HttpRequest, params: Query[VacancyParams]) -> dict[str, Any]:
    qs = access.vacancies_for_user(request.user).prefetch_related("target_groups")
    if params.status:
        qs = qs.filter(status=params.status)
    if params.community:
        qs = qs.filter(community_id=params.community)
    start = (params.page - 1) * params.page_size
    rows = qs.order_by("-opened_on", "pk")[start : start + params.page_size]
    return {
        "count": qs.count(),
        "page": params.page,
        "page_size": params.page_size,
        "items": [_vacancy_out(v) for v in rows],
    }


@router.get("/vacancies/{vacancy_id}", response=VacancyOut, summary="岗位")
def get_vacancy(request: HttpRequest, vacancy_id: int) -> dict[str, Any]:
    return _vacancy_out(access.get_vacancy_for_user(request.user, vacancy_id))


class SuggestionOut(Schema):
    seeker_id: int
    name: str = Field(description="full within the user's scope, else the surname only")
    community_id: int
    tier: int = Field(description="0 own community, 1 township, 2 county")
    score: int
    reasons: list[str]


@router.get(
    "/vacancies/{vacancy_id}/suggestions",
    response=list[SuggestionOut],
    summary="推荐人选(本社区居民优先)",
)
def suggestions(request: HttpRequest, vacancy_id: int) -> list[dict[str, Any]]:
    vacancy = access.get_vacancy_for_user(request.user, vacancy_id)
    if vacancy.status != VacancyStatus.OPEN:
        return []
    mine = set(access.seekers_for_user(request.user).values_list("pk", flat=True))
    out = []
    for s in matching.suggest(vacancy):
        name = s.seeker.resident.name
        out.append(
            {
                "seeker_id": s.seeker.pk,
                "name": name if s.seeker.pk in mine else name[:1] + "*" * (len(name) - 1),
                "community_id": s.seeker.community_id,
                "tier": s.tier,
                "score": s.score,
                "reasons": s.reasons,
            }
        )
    return out


# --- referrals -------------------------------------------------------------------------------


class ReferralIn(Schema):
    seeker_id: int = PK
    referred_on: dt.date | None = None
    client_token: str | None = Field(None, max_length=64)


class OutcomeIn(Schema):
    outcome: str = Field(..., max_length=20)
    on: dt.date | None = None
    confirmed_by_name: str = Field("", max_length=100)


class ReferralOut(Schema):
    id: int
    vacancy_id: int
    seeker_id: int
    tier: int
    local: bool
    reasons: list[str]
    referred_on: dt.date
    status: str
    outcome_on: dt.date | None
    confirmed_by_name: str


def _referral_out(r: Referral) -> dict[str, Any]:
    return {
        "id": r.pk,
        "vacancy_id": r.vacancy_id,
        "seeker_id": r.seeker_id,
        "tier": r.tier,
        "local": r.local,
        "reasons": r.reasons,
        "referred_on": r.referred_on,
        "status": r.status,
        "outcome_on": r.outcome_on,
        "confirmed_by_name": r.confirmed_by_name,
    }


@router.post(
    "/vacancies/{vacancy_id}/referrals",
    response={201: ReferralOut, 403: ErrorOut, 422: ErrorOut},
    summary="推荐求职人员",
)
def refer(request: HttpRequest, vacancy_id: int, payload: ReferralIn) -> Any:
    vacancy = access.get_vacancy_for_user(request.user, vacancy_id)
    seeker = access.get_referable_seeker(request.user, vacancy, payload.seeker_id)
    result = _call(
        lambda: actions.do_refer(
            org_access.acting_user(request),
            vacancy,
            seeker=seeker,
            referred_on=payload.referred_on,
            client_token=request.headers.get("Idempotency-Key") or payload.client_token,
        )
    )
    return result if isinstance(result, Status) else Status(201, _referral_out(result))


@router.post(
    "/referrals/{referral_id}/outcome",
    response={200: ReferralOut, 403: ErrorOut, 422: ErrorOut},
    summary="登记单位确认的推荐结果",
)
def outcome(request: HttpRequest, referral_id: int, payload: OutcomeIn) -> Any:
    referral = access.get_referral_for_user(request.user, referral_id)
    result = _call(
        lambda: actions.do_conclude_referral(
            org_access.acting_user(request),
            referral,
            outcome=payload.outcome,
            on=payload.on,
            confirmed_by_name=payload.confirmed_by_name,
            channel="api",
        )
    )
    return result if isinstance(result, Status) else Status(200, _referral_out(result))


# --- job seekers ---------------------------------------------------------------------------


class SeekerIn(Schema):
    resident_id: int = PK
    kind: str = Field(..., max_length=12)
    registered_on: dt.date | None = None
    skills: str = Field("", max_length=400)
    wishes: str = Field("", max_length=400)
    wished_trades: list[str] = Field([], max_length=20)
    availability: str = Field("", max_length=200)
    categories: list[str] = Field([], max_length=20)
    client_token: str | None = Field(None, max_length=64)


class SeekerOut(Schema):
    id: int
    resident_id: int
    name: str
    community_id: int
    kind: str
    registered_on: dt.date
    skills: str
    wishes: str
    wished_trades: list[str]
    categories: list[str]
    status: str
    last_contact_on: dt.date


def _seeker_out(s: JobSeeker) -> dict[str, Any]:
    return {
        "id": s.pk,
        "resident_id": s.resident_id,
        "name": s.resident.name,
        "community_id": s.community_id,
        "kind": s.kind,
        "registered_on": s.registered_on,
        "skills": s.skills,
        "wishes": s.wishes,
        "wished_trades": s.wished_trades,
        "categories": [c.code for c in s.categories.all()],
        "status": s.status,
        "last_contact_on": s.last_contact_on,
    }


class SeekerParams(Schema):
    status: str = Field(SeekerStatus.ACTIVE, max_length=10)
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class SeekerPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[SeekerOut]


@router.get("/seekers", response=SeekerPage, summary="求职人员列表")
def list_seekers(request: HttpRequest, params: Query[SeekerParams]) -> dict[str, Any]:
    qs = access.seekers_for_user(request.user).prefetch_related("categories")
    if params.status:
        qs = qs.filter(status=params.status)
    start = (params.page - 1) * params.page_size
    rows = qs.order_by("-registered_on", "pk")[start : start + params.page_size]
    return {
        "count": qs.count(),
        "page": params.page,
        "page_size": params.page_size,
        "items": [_seeker_out(s) for s in rows],
    }


@router.post(
    "/seekers", response={201: SeekerOut, 403: ErrorOut, 422: ErrorOut}, summary="求职登记"
)
def create_seeker(request: HttpRequest, payload: SeekerIn) -> Any:
    resident = people_access.get_resident_for_user(request.user, payload.resident_id)
    result = _call(
        lambda: actions.do_register_seeker(
            org_access.acting_user(request),
            resident=resident,
            kind=payload.kind,
            registered_on=payload.registered_on,
            skills=payload.skills,
            wishes=payload.wishes,
            wished_trades=payload.wished_trades,
            availability=payload.availability,
            categories=payload.categories,
            client_token=request.headers.get("Idempotency-Key") or payload.client_token,
        )
    )
    return result if isinstance(result, Status) else Status(201, _seeker_out(result))


# --- zero-employment households --------------------------------------------------------------


class ZeroOut(Schema):
    id: int
    household_id: int
    community_id: int
    identified_on: dt.date
    pledge_due: dt.date
    quarter_due: dt.date
    status: str
    ended_on: dt.date | None
    exit_reason: str
    pledge_overdue: bool
    quarter_overdue: bool


class ZeroParams(Schema):
    on: dt.date | None = None
    status: str = Field("", max_length=10)


@router.get("/zero-households", response=list[ZeroOut], summary="零就业家庭(及逾期情况)")
def list_zero(request: HttpRequest, params: Query[ZeroParams]) -> list[dict[str, Any]]:
    on = params.on or timezone.localdate()
    qs = access.zero_households_for_user(request.user)
    if params.status:
        qs = qs.filter(status=params.status)
    pledge = set(actions.pledge_overdue(qs, on).values_list("pk", flat=True))
    quarter = set(actions.quarter_overdue(qs, on).values_list("pk", flat=True))
    rows: list[ZeroHousehold] = list(qs.order_by("-identified_on", "pk")[:500])
    return [
        {
            "id": s.pk,
            "household_id": s.household_id,
            "community_id": s.community_id,
            "identified_on": s.identified_on,
            "pledge_due": s.pledge_due,
            "quarter_due": s.quarter_due,
            "status": s.status,
            "ended_on": s.ended_on,
            "exit_reason": s.exit_reason,
            "pledge_overdue": s.pk in pledge,
            "quarter_overdue": s.pk in quarter,
        }
        for s in rows
    ]


# --- training and the floating population ------------------------------------------------------


class TrainingOut(Schema):
    id: int
    unit_id: int
    skill: str
    provider: str
    starts_on: dt.date
    ends_on: dt.date
    place: str
    capacity: int
    enrolled: int
    completed: int


@router.get("/trainings", response=list[TrainingOut], summary="培训班")
def list_trainings(request: HttpRequest) -> list[dict[str, Any]]:
    rows = access.trainings_for_user(request.user).distinct().order_by("-starts_on")[:200]
    return [
        {
            "id": s.pk,
            "unit_id": s.unit_id,
            "skill": s.skill,
            "provider": s.provider,
            "starts_on": s.starts_on,
            "ends_on": s.ends_on,
            "place": s.place,
            "capacity": s.capacity,
            "enrolled": s.enrolments.count(),
            "completed": s.enrolments.filter(status="completed").count(),
        }
        for s in rows
    ]


class ActivityIn(Schema):
    unit_id: int = PK
    kind: str = Field(..., max_length=32)
    title: str = Field(..., max_length=200)
    held_on: dt.date
    place: str = Field(..., max_length=200)
    provider: str = Field("", max_length=200)
    reached: list[int] = Field([], max_length=1000)
    others_reached: int = Field(0, ge=0, le=100_000)
    client_token: str | None = Field(None, max_length=64)


class ActivityOut(Schema):
    id: int
    unit_id: int
    kind: str
    title: str
    held_on: dt.date
    place: str
    reached: int
    others_reached: int


def _activity_out(a: FloatingActivity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "unit_id": a.unit_id,
        "kind": a.kind.code,
        "title": a.title,
        "held_on": a.held_on,
        "place": a.place,
        "reached": a.reached.count(),
        "others_reached": a.others_reached,
    }


@router.post(
    "/activities",
    response={201: ActivityOut, 403: ErrorOut, 422: ErrorOut},
    summary="登记流动人口服务活动",
)
def create_activity(request: HttpRequest, payload: ActivityIn) -> Any:
    unit = org_access.get_unit_for_user(request.user, payload.unit_id)
    kind = ActivityType.objects.filter(code=payload.kind).first()
    if kind is None:
        return Status(422, {"detail": _("输入有误。"), "errors": {"kind": [_("服务类型有误。")]}})
    people = list(
        people_access.residents_for_user(request.user).filter(
            pk__in=[p for p in payload.reached if 0 < p < 2**63]
        )
    )
    if len(people) != len(set(payload.reached)):
        return Status(
            422, {"detail": _("输入有误。"), "errors": {"reached": [_("服务对象有误。")]}}
        )
    result = _call(
        lambda: actions.do_record_activity(
            org_access.acting_user(request),
            unit=unit,
            kind=kind,
            title=payload.title,
            held_on=payload.held_on,
            place=payload.place,
            provider=payload.provider,
            reached=people,
            others_reached=payload.others_reached,
            client_token=request.headers.get("Idempotency-Key") or payload.client_token,
        )
    )
    return result if isinstance(result, Status) else Status(201, _activity_out(result))


# --- figures ------------------------------------------------------------------------------------


class FiguresParams(Schema):
    unit: int | None = Field(None, ge=1, le=2**63 - 1)
    first: dt.date | None = None
    last: dt.date | None = None


class JobsFiguresOut(Schema):
    unit_id: int
    first: dt.date
    last: dt.date
    reports: int
    posts_reported: int
    headcount_reported: int
    hired: int
    hired_local: int
    local_share: Decimal | None
    filled_posts: int
    days_to_fill: Decimal | None
    zero_identified: int
    zero_cleared_in_quarter: int
    zero_open: int
    trained: int
    employed_after_training: int
    activities: int
    reach: int


@router.get("/figures", response={200: JobsFiguresOut, 422: ErrorOut}, summary="就业服务统计")
def figures(request: HttpRequest, params: Query[FiguresParams]) -> Any:
    today = timezone.localdate()
    first = params.first or dt.date(today.year, 1, 1)
    last = params.last or today
    if last < first or (last - first).days > 3 * 366:
        return Status(
            422, {"detail": _("输入有误。"), "errors": {"last": [_("统计期应在三年以内。")]}}
        )
    unit = (
        org_access.get_unit_for_user(request.user, params.unit)
        if params.unit
        else org_access.scope_roots(request.user).first()
    )
    if unit is None:
        return Status(422, {"detail": _("没有可统计的单位。"), "errors": {}})
    f = jobs_figures(unit, first, last)
    return {
        "unit_id": unit.pk,
        "first": first,
        "last": last,
        **{
            k: getattr(f, k)
            for k in JobsFiguresOut.model_fields
            if k not in {"unit_id", "first", "last"}
        },
    }
