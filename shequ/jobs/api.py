"""JSON API for jobs and group services (/api/v1/jobs/), in the shared style (docs/api.md).

The same access helpers and actions as the pages: out of scope is 404, a missing role
403, bad input 422 with messages per field, all in the shared ``ErrorOut`` shape. Every
list is a page; every create takes an ``Idempotency-Key`` header (or ``client_token``):
a retry returns the first result and creates nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from shequ.jobs import access, actions, matching
from shequ.jobs.figures import jobs_figures
from shequ.jobs.models import (
    ActivityType,
    EnrolmentStatus,
    FloatingActivity,
    JobSeeker,
    Referral,
    SeekerStatus,
    TrainingSession,
    Vacancy,
    VacancyReport,
    VacancyStatus,
    ZeroHousehold,
)
from shequ.orgs import access as org_access
from shequ.orgs.apiauth import IdempotencyKey, PageIn, answers, client_key, paginate
from shequ.people import access as people_access

router = Router()
PK = Field(..., ge=1, le=2**63 - 1)


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


@router.post("/reports", response=answers({201: ReportOut}), summary="登记空岗报告")
def create_report(
    request: HttpRequest, payload: ReportIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    """A unit's report of a month's vacancies (none is a report too); one per unit and
    month. A retry with the same ``Idempotency-Key`` returns the first report."""
    ru = people_access.get_resident_unit_for_user(request.user, payload.resident_unit_id)
    report = actions.do_report_vacancies(
        org_access.acting_user(request),
        resident_unit=ru,
        month=payload.month,
        vacancies=[v.dict() for v in payload.vacancies],
        channel="api",
        note=payload.note,
        client_token=client_key(idempotency_key, payload.client_token),
    )
    return Status(201, _report_out(report))


@router.get("/reports/{report_id}", response=answers({200: ReportOut}), summary="空岗报告")
def get_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return _report_out(access.get_report_for_user(request.user, report_id))


class VacancyParams(PageIn):
    status: str = Field("", max_length=10)
    community: int | None = Field(None, ge=1, le=2**63 - 1)


class VacancyPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[VacancyOut]


@router.get("/vacancies", response=answers({200: VacancyPage}), summary="岗位列表")
def list_vacancies(request: HttpRequest, params: Query[VacancyParams]) -> dict[str, Any]:
    """Newest opened first, then id."""
    qs = access.vacancies_for_user(request.user).prefetch_related("target_groups")
    if params.status:
        qs = qs.filter(status=params.status)
    if params.community:
        qs = qs.filter(community_id=params.community)
    return paginate(qs.order_by("-opened_on", "pk"), params, _vacancy_out)


@router.get("/vacancies/{vacancy_id}", response=answers({200: VacancyOut}), summary="岗位")
def get_vacancy(request: HttpRequest, vacancy_id: int) -> dict[str, Any]:
    return _vacancy_out(access.get_vacancy_for_user(request.user, vacancy_id))


class SuggestionOut(Schema):
    seeker_id: int
    name: str = Field(description="full within the user's scope, else the surname only")
    community_id: int
    tier: int = Field(description="0 own community, 1 township, 2 county")
    score: int
    reasons: list[str]


class SuggestionPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[SuggestionOut]


@router.get(
    "/vacancies/{vacancy_id}/suggestions",
    response=answers({200: SuggestionPage}),
    summary="推荐人选(本社区居民优先)",
)
def suggestions(request: HttpRequest, vacancy_id: int, params: Query[PageIn]) -> dict[str, Any]:
    """The matching's shortlist in its order: own community, township, county; within
    each the best fit first. Empty once the post is filled or closed."""
    vacancy = access.get_vacancy_for_user(request.user, vacancy_id)
    ranked = matching.suggest(vacancy) if vacancy.status == VacancyStatus.OPEN else []
    mine = set(
        access.seekers_for_user(request.user)
        .filter(pk__in=[s.seeker.pk for s in ranked])
        .values_list("pk", flat=True)
    )

    def render(s: matching.Suggestion) -> dict[str, Any]:
        name = s.seeker.resident.name
        return {
            "seeker_id": s.seeker.pk,
            "name": name if s.seeker.pk in mine else name[:1] + "*" * (len(name) - 1),
            "community_id": s.seeker.community_id,
            "tier": s.tier,
            "score": s.score,
            "reasons": s.reasons,
        }

    return paginate(ranked, params, render)


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
    response=answers({201: ReferralOut}),
    summary="推荐求职人员",
)
def refer(
    request: HttpRequest,
    vacancy_id: int,
    payload: ReferralIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[dict[str, Any]]:
    """A retry with the same ``Idempotency-Key`` returns the first referral."""
    vacancy = access.get_vacancy_for_user(request.user, vacancy_id)
    key = client_key(idempotency_key, payload.client_token)
    referral = access.referral_made_with_key(request.user, vacancy, key)
    if referral is None:
        seeker = access.get_referable_seeker(request.user, vacancy, payload.seeker_id)
        referral = actions.do_refer(
            org_access.acting_user(request),
            vacancy,
            seeker=seeker,
            referred_on=payload.referred_on,
            client_token=key,
        )
    return Status(201, _referral_out(referral))


@router.post(
    "/referrals/{referral_id}/outcome",
    response=answers({200: ReferralOut}),
    summary="登记单位确认的推荐结果",
)
def outcome(request: HttpRequest, referral_id: int, payload: OutcomeIn) -> dict[str, Any]:
    referral = access.get_referral_for_user(request.user, referral_id)
    concluded = actions.do_conclude_referral(
        org_access.acting_user(request),
        referral,
        outcome=payload.outcome,
        on=payload.on,
        confirmed_by_name=payload.confirmed_by_name,
        channel="api",
    )
    return _referral_out(concluded)


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


class SeekerParams(PageIn):
    status: str = Field(SeekerStatus.ACTIVE, max_length=10)


class SeekerPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[SeekerOut]


@router.get("/seekers", response=answers({200: SeekerPage}), summary="求职人员列表")
def list_seekers(request: HttpRequest, params: Query[SeekerParams]) -> dict[str, Any]:
    """Active ones by default (``status=`` for all); newest registered first, then id."""
    qs = access.seekers_for_user(request.user).prefetch_related("categories")
    if params.status:
        qs = qs.filter(status=params.status)
    return paginate(qs.order_by("-registered_on", "pk"), params, _seeker_out)


@router.post("/seekers", response=answers({201: SeekerOut}), summary="求职登记")
def create_seeker(
    request: HttpRequest, payload: SeekerIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    """A retry with the same ``Idempotency-Key`` returns the first registration."""
    resident = people_access.get_resident_for_user(request.user, payload.resident_id)
    seeker = actions.do_register_seeker(
        org_access.acting_user(request),
        resident=resident,
        kind=payload.kind,
        registered_on=payload.registered_on,
        skills=payload.skills,
        wishes=payload.wishes,
        wished_trades=payload.wished_trades,
        availability=payload.availability,
        categories=payload.categories,
        client_token=client_key(idempotency_key, payload.client_token),
    )
    return Status(201, _seeker_out(seeker))


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


class ZeroParams(PageIn):
    on: dt.date | None = None
    status: str = Field("", max_length=10)


class ZeroHouseholdPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ZeroOut]


@router.get(
    "/zero-households",
    response=answers({200: ZeroHouseholdPage}),
    summary="零就业家庭(及逾期情况)",
)
def list_zero(request: HttpRequest, params: Query[ZeroParams]) -> dict[str, Any]:
    """Newest identified first, then id; overdue as of ``on`` (default today)."""
    on = params.on or timezone.localdate()
    qs = access.zero_households_for_user(request.user)
    if params.status:
        qs = qs.filter(status=params.status)
    pledge = set(actions.pledge_overdue(qs, on).values_list("pk", flat=True))
    quarter = set(actions.quarter_overdue(qs, on).values_list("pk", flat=True))

    def render(s: ZeroHousehold) -> dict[str, Any]:
        return {
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

    return paginate(qs.order_by("-identified_on", "pk"), params, render)


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


class TrainingPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[TrainingOut]


def _training_out(s: TrainingSession) -> dict[str, Any]:
    return {
        "id": s.pk,
        "unit_id": s.unit_id,
        "skill": s.skill,
        "provider": s.provider,
        "starts_on": s.starts_on,
        "ends_on": s.ends_on,
        "place": s.place,
        "capacity": s.capacity,
        "enrolled": s.n_enrolled,  # type: ignore[attr-defined]
        "completed": s.n_completed,  # type: ignore[attr-defined]
    }


@router.get("/trainings", response=answers({200: TrainingPage}), summary="培训班")
def list_trainings(request: HttpRequest, params: Query[PageIn]) -> dict[str, Any]:
    """Those held in scope and those its job seekers attend; latest start first, then id."""
    rows = access.trainings_for_user(request.user).annotate(
        n_enrolled=Count("enrolments", distinct=True),
        n_completed=Count(
            "enrolments",
            filter=Q(enrolments__status=EnrolmentStatus.COMPLETED),
            distinct=True,
        ),
    )
    return paginate(rows.order_by("-starts_on", "pk"), params, _training_out)


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


@router.post("/activities", response=answers({201: ActivityOut}), summary="登记流动人口服务活动")
def create_activity(
    request: HttpRequest, payload: ActivityIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    """``reached``: the residents (ids in scope) the activity served. A retry with the
    same ``Idempotency-Key`` returns the first activity."""
    unit = org_access.get_unit_for_user(request.user, payload.unit_id)
    kind = ActivityType.objects.filter(code=payload.kind).first()
    if kind is None:
        raise ValidationError({"kind": [_("服务类型有误。")]})
    people = list(
        people_access.residents_for_user(request.user).filter(
            pk__in=[p for p in payload.reached if 0 < p < 2**63]
        )
    )
    if len(people) != len(set(payload.reached)):
        raise ValidationError({"reached": [_("服务对象有误。")]})
    activity = actions.do_record_activity(
        org_access.acting_user(request),
        unit=unit,
        kind=kind,
        title=payload.title,
        held_on=payload.held_on,
        place=payload.place,
        provider=payload.provider,
        reached=people,
        others_reached=payload.others_reached,
        client_token=client_key(idempotency_key, payload.client_token),
    )
    return Status(201, _activity_out(activity))


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


@router.get("/figures", response=answers({200: JobsFiguresOut}), summary="就业服务统计")
def figures(request: HttpRequest, params: Query[FiguresParams]) -> dict[str, Any]:
    """Of ``unit`` (default the top of the caller's scope), from ``first`` (default 1
    January) to ``last`` (default today), at most three years."""
    today = timezone.localdate()
    first = params.first or dt.date(today.year, 1, 1)
    last = params.last or today
    if last < first or (last - first).days > 3 * 366:
        raise ValidationError({"last": [_("统计期应在三年以内。")]})
    unit = (
        org_access.get_unit_for_user(request.user, params.unit)
        if params.unit
        else org_access.scope_roots(request.user).first()
    )
    if unit is None:
        raise ValidationError(_("没有可统计的单位。"))
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
