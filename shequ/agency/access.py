"""Scope for agency and village points: querysets filtered by ``orgs.access.scope_q`` and
``get_*_for_user`` helpers that answer 404 out of scope."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from shequ.agency.models import (
    AgencyCase,
    AgencyStation,
    Authorization,
    Handover,
    RemoteMatter,
    VillagePoint,
)
from shequ.orgs import access
from shequ.orgs.access import AnyUser, parse_pk
from shequ.orgs.models import Role
from shequ.people.models import CategoryMembership, Resident, ResidentStatus
from shequ.people.search import search_residents

# Who runs agency: the community's leads, clerks and agents (and officers above).
AGENCY_ROLES = access.COMMUNITY_LEAD_ROLES | frozenset({Role.CLERK, Role.AGENT})
AGENCY_ADMIN_ROLES = access.COMMUNITY_LEAD_ROLES | access.OFFICER_ROLES
# Who works a village point: its operator's post (a clerk or agent) and the leads.
POINT_ROLES = AGENCY_ROLES
POINT_ADMIN_ROLES = access.OFFICER_ROLES | access.COMMUNITY_LEAD_ROLES


def agency_residents_for_user(user: AnyUser) -> QuerySet[Resident]:
    """Who may give an authorisation at the user's stations: living residents of their
    communities in an agency help category (特困、残疾、孤寡), that category prefetched."""
    units = [s.unit_id for s in stations_for_user(user).filter(active=True)]
    codes = settings.SHEQU_AGENCY_CATEGORIES
    return (
        Resident.objects.filter(access.scope_q(user), community_id__in=units)
        .filter(status=ResidentStatus.LIVING, categories__category__code__in=codes)
        .distinct()
        .order_by("name", "pk")
        .prefetch_related(
            Prefetch(
                "categories",
                queryset=CategoryMembership.objects.valid_on()
                .filter(category__code__in=codes)
                .select_related("category"),
            )
        )
    )


def find_agency_residents(user: AnyUser, q: str, limit: int = 10) -> list[Resident]:
    """The registry's search (name, pinyin initials, exact ID number: logged and
    throttled) within who may give an authorisation. Raises ``RateLimited``."""
    residents = agency_residents_for_user(user)
    if q.strip():
        residents = residents.filter(pk__in=search_residents(user, q=q).values("pk"))
    return list(residents[:limit])


def stations_for_user(user: AnyUser) -> QuerySet[AgencyStation]:
    return AgencyStation.objects.filter(access.scope_q(user)).select_related("unit")


def get_station_for_user(user: AnyUser, station_id: Any) -> AgencyStation:
    try:
        return stations_for_user(user).get(pk=parse_pk(station_id))
    except AgencyStation.DoesNotExist:
        raise Http404 from None


def authorizations_for_user(user: AnyUser) -> QuerySet[Authorization]:
    return Authorization.objects.filter(access.scope_q(user)).select_related(
        "resident", "station", "agent"
    )


def get_authorization_for_user(user: AnyUser, auth_id: Any) -> Authorization:
    try:
        return authorizations_for_user(user).get(pk=parse_pk(auth_id))
    except Authorization.DoesNotExist:
        raise Http404 from None


def agency_cases_for_user(user: AnyUser) -> QuerySet[AgencyCase]:
    return AgencyCase.objects.filter(access.scope_q(user)).select_related(
        "authorization__resident", "agent", "unit"
    )


def get_agency_case_for_user(user: AnyUser, case_id: Any) -> AgencyCase:
    try:
        return agency_cases_for_user(user).get(pk=parse_pk(case_id))
    except AgencyCase.DoesNotExist:
        raise Http404 from None


def points_for_user(user: AnyUser) -> QuerySet[VillagePoint]:
    return VillagePoint.objects.filter(access.scope_q(user)).select_related("unit")


def get_point_for_user(user: AnyUser, point_id: Any) -> VillagePoint:
    try:
        return points_for_user(user).get(pk=parse_pk(point_id))
    except VillagePoint.DoesNotExist:
        raise Http404 from None


def get_matter_for_user(user: AnyUser, matter_id: Any) -> RemoteMatter:
    try:
        return (
            RemoteMatter.objects.filter(access.scope_q(user, "point__unit"))
            .select_related("point", "case")
            .get(pk=parse_pk(matter_id))
        )
    except RemoteMatter.DoesNotExist:
        raise Http404 from None


def get_handover_for_user(user: AnyUser, handover_id: Any) -> Handover:
    try:
        return (
            Handover.objects.filter(access.scope_q(user))
            .select_related("agency_case__authorization__resident", "case__item", "unit")
            .get(pk=parse_pk(handover_id))
        )
    except Handover.DoesNotExist:
        raise Http404 from None
