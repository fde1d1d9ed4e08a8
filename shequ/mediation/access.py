"""Who sees and does what in mediation: the single place where that is decided.

Built on ``shequ.orgs.access``. Disputes are seen by
- mediators: the disputes of their committee's unit and below (a community mediator its
  community, a township mediator the township) and any dispute they handle;
- legal advisors: the disputes of the villages and communities they hold a post on, and
  those they take part in;
- township, county and prefecture officers and the community's leads: their subtree;
- grid workers: the disputes they reported.
Anything else is a 404. Parties' numbers are masked; the full value is revealed only to
the registry's reveal roles (``people.access.REVEAL_ROLES``), with a reason, logged.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from shequ.mediation.models import (
    AdvisorAssignment,
    Committee,
    Dispute,
    ThirdParty,
)
from shequ.orgs import access
from shequ.orgs.access import AnyUser, parse_pk
from shequ.orgs.models import OrgUnit, Role
from shequ.people.access import REVEAL_ROLES as PEOPLE_REVEAL_ROLES

# Who sees the disputes of a subtree.
VIEW_ROLES = (
    access.OFFICER_ROLES
    | access.COMMUNITY_LEAD_ROLES
    | frozenset({Role.MEDIATOR, Role.LEGAL_ADVISOR})
)
# Who registers a dispute: the front line (a grid worker from a phone, the hall's clerk
# taking a call) and everyone who mediates.
REGISTER_ROLES = VIEW_ROLES | frozenset({Role.GRID_WORKER, Role.CLERK})
# Who accepts, mediates, records agreements, transfers, closes and archives.
MEDIATE_ROLES = (
    frozenset({Role.MEDIATOR}) | access.COMMUNITY_LEAD_ROLES | frozenset({Role.TOWNSHIP_OFFICER})
)
# Who records a follow-up visit or a session a legal advisor took part in.
FOLLOW_UP_ROLES = MEDIATE_ROLES | frozenset({Role.LEGAL_ADVISOR, Role.GRID_WORKER})
# Who sets up committees, appoints advisors and registers third-party bodies.
ADMIN_ROLES = access.OFFICER_ROLES | access.COMMUNITY_LEAD_ROLES
# Who logs an advisor's work: the advisor and those who administer advisors.
ADVISOR_LOG_ROLES = ADMIN_ROLES | frozenset({Role.LEGAL_ADVISOR})
REVEAL_ROLES = PEOPLE_REVEAL_ROLES
# Who reads and exports the figures.
FIGURES_ROLES = access.OFFICER_ROLES | access.COMMUNITY_LEAD_ROLES


def _paths_with(user: AnyUser, roles: frozenset[str]) -> list[str]:
    return sorted({p.unit.path for p in access.active_posts(user) if p.role in roles})


def _subtrees(paths: list[str], field: str) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__path__startswith": path})
    return q


def disputes_for_user(user: AnyUser) -> QuerySet[Dispute]:
    if not user.is_authenticated:
        return Dispute.objects.none()
    if user.is_superuser:
        return Dispute.objects.all()
    q = _subtrees(_paths_with(user, VIEW_ROLES), "unit")
    q |= Q(reported_by=user) | Q(mediator=user) | Q(advisor__user=user)
    return Dispute.objects.filter(q)


def get_dispute_for_user(user: AnyUser, dispute_id: Any) -> Dispute:
    try:
        return (
            disputes_for_user(user)
            .select_related("unit", "committee__unit", "mediator", "advisor", "third_party")
            .get(pk=parse_pk(dispute_id))
        )
    except (Dispute.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may(user: AnyUser, roles: frozenset[str], unit: OrgUnit) -> bool:
    return access.in_scope(user, unit) and access.may(user, roles, unit)


def may_mediate(user: AnyUser, dispute: Dispute) -> bool:
    """Mediators of the committee handling it, its leads and the township above; the
    mediator named on it wherever their post is."""
    if dispute.mediator_id is not None and dispute.mediator_id == getattr(user, "pk", None):
        return True
    return may(user, MEDIATE_ROLES, dispute.committee.unit)


def may_follow_up(user: AnyUser, dispute: Dispute) -> bool:
    return may_mediate(user, dispute) or may(user, FOLLOW_UP_ROLES, dispute.unit)


def may_reveal(user: AnyUser, dispute: Dispute) -> bool:
    return may(user, REVEAL_ROLES, dispute.unit)


def committees_for_user(user: AnyUser) -> QuerySet[Committee]:
    return Committee.objects.filter(access.scope_q(user)).select_related("unit")


def get_committee_for_user(user: AnyUser, committee_id: Any) -> Committee:
    try:
        return committees_for_user(user).get(pk=parse_pk(committee_id))
    except (Committee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def committees_for_dispute_unit(unit: OrgUnit) -> QuerySet[Committee]:
    """Active committees at or above ``unit`` (where a dispute there may be mediated)."""
    step = OrgUnit.steplen
    prefixes = [unit.path[:n] for n in range(step, len(unit.path) + 1, step)]
    return Committee.objects.filter(unit__path__in=prefixes, active=True).select_related("unit")


def advisors_for_user(user: AnyUser) -> QuerySet[AdvisorAssignment]:
    return AdvisorAssignment.objects.filter(
        access.scope_q(user) | Q(user_id=getattr(user, "pk", None))
    ).select_related("unit")


def get_advisor_for_user(user: AnyUser, assignment_id: Any) -> AdvisorAssignment:
    try:
        return advisors_for_user(user).get(pk=parse_pk(assignment_id))
    except (AdvisorAssignment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def third_parties_for_user(user: AnyUser) -> QuerySet[ThirdParty]:
    """Bodies of the user's subtree and of the units above it (a county's bar association
    serves every community of the county)."""
    if not user.is_authenticated:
        return ThirdParty.objects.none()
    if user.is_superuser:
        return ThirdParty.objects.all().select_related("unit", "resident_unit")
    step = OrgUnit.steplen
    above: set[str] = set()
    for post in access.active_posts(user):
        path = post.unit.path
        above.update(path[:n] for n in range(step, len(path), step))
    q = access.scope_q(user) | Q(unit__path__in=sorted(above))
    return ThirdParty.objects.filter(q).select_related("unit", "resident_unit")


def get_third_party_for_user(user: AnyUser, body_id: Any) -> ThirdParty:
    try:
        return third_parties_for_user(user).get(pk=parse_pk(body_id))
    except (ThirdParty.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
