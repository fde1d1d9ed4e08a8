"""Who may see and do what in the jobs app: querysets filtered by ``orgs.access.scope_q``
and ``get_*_for_user`` helpers that answer 404 out of scope.

Roles (held on the row's unit or above it):
- **see**: every active post in scope;
- **work** (enter reports, register job seekers, refer, record outcomes, run training
  and floating-population activities): ``WORK_ROLES`` — the community's leads and
  clerks, grid workers, township officers (the subdistrict's employment station);
- county and prefecture officers read the figures and export them.

A referral is seen both where the vacancy is and where the job seeker lives.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from shequ.jobs.matching import level_path
from shequ.jobs.models import (
    Enrolment,
    FloatingActivity,
    JobSeeker,
    Referral,
    SchoolHelp,
    SeekerStatus,
    TrainingSession,
    Vacancy,
    VacancyReport,
    ZeroHousehold,
)
from shequ.orgs import access
from shequ.orgs.access import AnyUser, parse_pk
from shequ.orgs.models import OrgUnit, Role, UnitKind

WORK_ROLES = access.COMMUNITY_LEAD_ROLES | frozenset(
    {Role.CLERK, Role.GRID_WORKER, Role.TOWNSHIP_OFFICER}
)


def may_work(user: AnyUser, unit: OrgUnit) -> bool:
    return access.in_scope(user, unit) and access.may(user, WORK_ROLES, unit)


def _get[M: Model](qs: QuerySet[M], pk: Any) -> M:
    try:
        return qs.get(pk=parse_pk(pk))
    except ObjectDoesNotExist:
        raise Http404 from None


def reports_for_user(user: AnyUser) -> QuerySet[VacancyReport]:
    return VacancyReport.objects.filter(access.scope_q(user)).select_related(
        "resident_unit", "community"
    )


def get_report_for_user(user: AnyUser, report_id: Any) -> VacancyReport:
    return _get(reports_for_user(user), report_id)


def vacancies_for_user(user: AnyUser) -> QuerySet[Vacancy]:
    return Vacancy.objects.filter(access.scope_q(user)).select_related(
        "resident_unit", "community", "report"
    )


def get_vacancy_for_user(user: AnyUser, vacancy_id: Any) -> Vacancy:
    return _get(vacancies_for_user(user), vacancy_id)


def seekers_for_user(user: AnyUser) -> QuerySet[JobSeeker]:
    return JobSeeker.objects.filter(access.scope_q(user)).select_related("resident", "community")


def get_seeker_for_user(user: AnyUser, seeker_id: Any) -> JobSeeker:
    return _get(seekers_for_user(user), seeker_id)


def referrals_for_user(user: AnyUser) -> QuerySet[Referral]:
    return Referral.objects.filter(
        access.scope_q(user) | access.scope_q(user, "seeker__unit")
    ).select_related("vacancy__resident_unit", "seeker__resident", "seeker__community")


def get_referral_for_user(user: AnyUser, referral_id: Any) -> Referral:
    return _get(referrals_for_user(user), referral_id)


def referral_made_with_key(user: AnyUser, vacancy: Vacancy, key: str | None) -> Referral | None:
    """The referral a first request with this client key made for ``vacancy``: its retry
    answers it even once the person is placed and no longer referable."""
    if not key:
        return None
    return referrals_for_user(user).filter(vacancy=vacancy, client_token=key).first()


def zero_households_for_user(user: AnyUser) -> QuerySet[ZeroHousehold]:
    return ZeroHousehold.objects.filter(access.scope_q(user)).select_related(
        "household", "community", "rule"
    )


def get_zero_household_for_user(user: AnyUser, zero_id: Any) -> ZeroHousehold:
    return _get(zero_households_for_user(user), zero_id)


def trainings_for_user(user: AnyUser) -> QuerySet[TrainingSession]:
    """Sessions held in the user's scope, and those its job seekers attend."""
    mine = Enrolment.objects.filter(access.scope_q(user)).values("session_id")
    return TrainingSession.objects.filter(access.scope_q(user)) | TrainingSession.objects.filter(
        pk__in=mine
    )


def get_training_for_user(user: AnyUser, session_id: Any) -> TrainingSession:
    return _get(trainings_for_user(user).distinct(), session_id)


def enrolments_for_user(user: AnyUser) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(
        access.scope_q(user) | access.scope_q(user, "session__unit")
    ).select_related("session", "seeker__resident")


def get_enrolment_for_user(user: AnyUser, enrolment_id: Any) -> Enrolment:
    return _get(enrolments_for_user(user), enrolment_id)


def activities_for_user(user: AnyUser) -> QuerySet[FloatingActivity]:
    return FloatingActivity.objects.filter(access.scope_q(user)).select_related("kind", "unit")


def get_activity_for_user(user: AnyUser, activity_id: Any) -> FloatingActivity:
    return _get(activities_for_user(user), activity_id)


def school_helps_for_user(user: AnyUser) -> QuerySet[SchoolHelp]:
    return SchoolHelp.objects.filter(access.scope_q(user)).select_related("resident", "case")


def get_referable_seeker(user: AnyUser, vacancy: Vacancy, seeker_id: Any) -> JobSeeker:
    """A job seeker a vacancy's staff may refer: an active one of the vacancy's county
    (the matching's pool, beyond the user's own scope on purpose), or 404."""
    if not may_work(user, vacancy.unit):
        raise Http404
    county = level_path(vacancy.community, UnitKind.COUNTY)
    pool = JobSeeker.objects.filter(
        status=SeekerStatus.ACTIVE, community__path__startswith=county
    ).select_related("resident", "community")
    return _get(pool, seeker_id)
