"""Scope for self-governance: querysets filtered by ``orgs.access.scope_q`` and
``get_*_for_user`` helpers that answer 404 out of scope.

- community records (meetings, requests, representatives, committees, charters,
  evaluations) are written by ``GOVERNANCE_ROLES``: the community's party secretary,
  director and clerks (officers above them too);
- the township confirms a dismissal after two 不称职 ratings: ``TOWNSHIP_ROLES``;
- the county view lists the counties in a user's scope (county and prefecture officers);
- anyone with a post in scope reads.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from shequ.governance.models import (
    Charter,
    Committee,
    ConveneRequest,
    Evaluation,
    Meeting,
    Recall,
    Resolution,
)
from shequ.orgs import access
from shequ.orgs.access import AnyUser, parse_pk
from shequ.orgs.models import OrgUnit, Role, UnitKind

GOVERNANCE_ROLES = access.COMMUNITY_LEAD_ROLES | access.OFFICER_ROLES | frozenset({Role.CLERK})
TOWNSHIP_ROLES = access.OFFICER_ROLES


def may_write(user: AnyUser, unit: OrgUnit) -> bool:
    return access.in_scope(user, unit) and access.may(user, GOVERNANCE_ROLES, unit)


def may_confirm(user: AnyUser, unit: OrgUnit) -> bool:
    return access.in_scope(user, unit) and access.may(user, TOWNSHIP_ROLES, unit)


def meetings_for_user(user: AnyUser) -> QuerySet[Meeting]:
    return Meeting.objects.filter(access.scope_q(user)).select_related("unit", "group")


def requests_for_user(user: AnyUser) -> QuerySet[ConveneRequest]:
    return ConveneRequest.objects.filter(access.scope_q(user)).select_related("unit", "meeting")


def resolutions_for_user(user: AnyUser) -> QuerySet[Resolution]:
    return Resolution.objects.filter(access.scope_q(user)).select_related("unit", "meeting", "item")


def committees_for_user(user: AnyUser) -> QuerySet[Committee]:
    return Committee.objects.filter(access.scope_q(user)).select_related("unit")


def charters_for_user(user: AnyUser) -> QuerySet[Charter]:
    return Charter.objects.filter(access.scope_q(user)).select_related("unit")


def evaluations_for_user(user: AnyUser) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(access.scope_q(user)).select_related(
        "unit", "committee", "meeting", "chair__resident"
    )


def _get[M: Model](rows: QuerySet[M], pk: Any, user: AnyUser, write: bool) -> M:
    try:
        obj = rows.get(pk=parse_pk(pk))
    except ObjectDoesNotExist:
        raise Http404 from None
    if write and not may_write(user, obj.unit):  # type: ignore[attr-defined]
        raise Http404
    return obj


def get_meeting_for_user(user: AnyUser, pk: Any, *, write: bool = False) -> Meeting:
    return _get(meetings_for_user(user), pk, user, write)


def get_request_for_user(user: AnyUser, pk: Any, *, write: bool = False) -> ConveneRequest:
    return _get(requests_for_user(user), pk, user, write)


def get_resolution_for_user(user: AnyUser, pk: Any) -> Resolution:
    return _get(resolutions_for_user(user), pk, user, False)


def get_committee_for_user(user: AnyUser, pk: Any, *, write: bool = False) -> Committee:
    return _get(committees_for_user(user), pk, user, write)


def get_charter_for_user(user: AnyUser, pk: Any, *, write: bool = False) -> Charter:
    return _get(charters_for_user(user), pk, user, write)


def get_evaluation_for_user(user: AnyUser, pk: Any, *, write: bool = False) -> Evaluation:
    return _get(evaluations_for_user(user), pk, user, write)


def communities_for_user(user: AnyUser) -> QuerySet[OrgUnit]:
    return access.units_for_user(user).filter(kind="community")


def get_community_for_user(user: AnyUser, pk: Any) -> OrgUnit:
    try:
        return communities_for_user(user).get(pk=parse_pk(pk))
    except OrgUnit.DoesNotExist:
        raise Http404 from None


def counties_for_user(user: AnyUser) -> QuerySet[OrgUnit]:
    """The counties a user oversees whole: county officers', or all for the prefecture's."""
    return access.units_for_user(user).filter(kind=UnitKind.COUNTY).order_by("path")


def get_county_for_user(user: AnyUser, pk: Any) -> OrgUnit:
    try:
        return counties_for_user(user).get(pk=parse_pk(pk))
    except OrgUnit.DoesNotExist:
        raise Http404 from None


def recalls_for_committee(committee: Committee) -> QuerySet[Recall]:
    """A committee's recalls (the committee is fetched through ``get_committee_for_user``)."""
    return Recall.objects.filter(member__committee=committee).select_related("member__resident")


# --- affairs disclosure (居务公开) ------------------------------------------------------------


def disclosures_for_user(user: AnyUser) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(access.scope_q(user)).select_related("unit", "item", "due")


def get_disclosure_for_user(user: AnyUser, pk: Any, *, write: bool = False) -> Disclosure:
    return _get(disclosures_for_user(user), pk, user, write)


def disclosure_questions_for_user(user: AnyUser) -> QuerySet[DisclosureQuestion]:
    return DisclosureQuestion.objects.filter(access.scope_q(user)).select_related(
        "unit", "disclosure"
    )


def get_disclosure_question_for_user(
    user: AnyUser, pk: Any, *, write: bool = False
) -> DisclosureQuestion:
    return _get(disclosure_questions_for_user(user), pk, user, write)


def disclosure_dues_for_user(user: AnyUser) -> QuerySet[DisclosureDue]:
    return DisclosureDue.objects.filter(access.scope_q(user)).select_related("unit", "item")


def disclosure_complaints_for_user(user: AnyUser) -> QuerySet[DisclosureComplaint]:
    return DisclosureComplaint.objects.filter(access.scope_q(user)).select_related(
        "unit", "township", "due__item", "question"
    )


def get_disclosure_complaint_for_user(user: AnyUser, pk: Any) -> DisclosureComplaint:
    return _get(disclosure_complaints_for_user(user), pk, user, False)


def get_disclosure_file_for_user(user: AnyUser, pk: Any) -> DisclosureFile:
    try:
        return DisclosureFile.objects.filter(
            disclosure__in=disclosures_for_user(user).values("pk")
        ).get(pk=parse_pk(pk))
    except DisclosureFile.DoesNotExist:
        raise Http404 from None


# Imported here, at the end, to keep the disclosure block in one place.
from shequ.governance.models import (  # noqa: E402
    Disclosure,
    DisclosureComplaint,
    DisclosureDue,
    DisclosureFile,
    DisclosureQuestion,
)
