"""Who may see and do what in community building: role sets and ``get_*_for_user``
helpers (querysets filtered by ``orgs.access.scope_q``; out of scope is a 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from shequ.building.models import (
    FacilityEvidence,
    FacilityItem,
    GroupMember,
    LeadingGroup,
    LedgerEntry,
    Pledge,
    PledgeProgress,
    PolicyDocument,
    Project,
    ProjectProgress,
)
from shequ.orgs import access
from shequ.orgs.access import AnyUser, parse_pk
from shequ.orgs.models import Role

PREFECTURE_COUNTY = frozenset({Role.PREFECTURE_OFFICER, Role.COUNTY_OFFICER})
# County and prefecture bureaus enter funds, documents, leading groups and pledges.
LEDGER_ROLES = PREFECTURE_COUNTY
DOCUMENT_ROLES = PREFECTURE_COUNTY
GROUP_ROLES = PREFECTURE_COUNTY
PLEDGE_ROLES = PREFECTURE_COUNTY
# A community's own working committee is kept by its leads.
COMMITTEE_ROLES = access.COMMUNITY_LEAD_ROLES | PREFECTURE_COUNTY | {Role.TOWNSHIP_OFFICER}
# Townships check standards (the county and prefecture may too); communities upload evidence.
CHECK_ROLES = access.OFFICER_ROLES
EVIDENCE_ROLES = access.COMMUNITY_LEAD_ROLES | frozenset({Role.CLERK})
# Projects: the community proposes and applies, the township reviews, the county approves.
PROJECT_ROLES = access.COMMUNITY_LEAD_ROLES | access.OFFICER_ROLES
APPLY_ROLES = access.COMMUNITY_LEAD_ROLES | frozenset({Role.TOWNSHIP_OFFICER})
REVIEW_ROLES = frozenset({Role.TOWNSHIP_OFFICER})
APPROVE_ROLES = frozenset({Role.COUNTY_OFFICER})
# Who reads the building pages: officers and community leads, in their scope.
READ_ROLES = access.OFFICER_ROLES | access.COMMUNITY_LEAD_ROLES | frozenset({Role.CLERK})


def _get[M: Model](qs: QuerySet[M], pk: Any) -> M:
    try:
        return qs.get(pk=parse_pk(pk))
    except qs.model.DoesNotExist:  # type: ignore[attr-defined]
        raise Http404 from None


def entries_for_user(user: AnyUser) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(access.scope_q(user)).select_related(
        "unit", "project", "reverses"
    )


def get_entry_for_user(user: AnyUser, entry_id: Any) -> LedgerEntry:
    return _get(entries_for_user(user), entry_id)


def projects_for_user(user: AnyUser) -> QuerySet[Project]:
    return Project.objects.filter(access.scope_q(user)).select_related("unit")


def get_project_for_user(user: AnyUser, project_id: Any) -> Project:
    return _get(projects_for_user(user), project_id)


def groups_for_user(user: AnyUser) -> QuerySet[LeadingGroup]:
    return LeadingGroup.objects.filter(access.scope_q(user)).select_related("unit", "document")


def get_group_for_user(user: AnyUser, group_id: Any) -> LeadingGroup:
    return _get(groups_for_user(user), group_id)


def get_member_for_user(user: AnyUser, member_id: Any) -> GroupMember:
    qs = GroupMember.objects.filter(access.scope_q(user, "group__unit")).select_related("group")
    return _get(qs, member_id)


def _here_or_above(user: AnyUser, unit_field: str = "unit") -> Q:
    """Rows of a unit in the user's scope or above it: public acts of higher governments
    (documents, pledges) are read by the units they cover."""
    paths = access.scope_paths(user) or []
    above = {path[:n] for path in paths for n in range(4, len(path) + 1, 4)}
    return access.scope_q(user, unit_field) | Q(**{f"{unit_field}__path__in": above})


def documents_for_user(user: AnyUser) -> QuerySet[PolicyDocument]:
    """Documents are public acts: a user sees those issued in its scope or above it."""
    if not user.is_authenticated:
        return PolicyDocument.objects.none()
    if user.is_superuser:
        return PolicyDocument.objects.all()
    return PolicyDocument.objects.filter(_here_or_above(user)).select_related("unit")


def get_document_for_user(user: AnyUser, document_id: Any) -> PolicyDocument:
    return _get(documents_for_user(user), document_id)


def pledges_for_user(user: AnyUser) -> QuerySet[Pledge]:
    """A government's pledges (十件实事) are read by the units they cover: a county officer
    sees the prefecture's pledges as well as its own (read-only: changing one still needs
    ``PLEDGE_ROLES`` over the pledging government)."""
    if not user.is_authenticated:
        return Pledge.objects.none()
    if user.is_superuser:
        return Pledge.objects.select_related("unit")
    return Pledge.objects.filter(_here_or_above(user)).select_related("unit")


def get_pledge_for_user(user: AnyUser, pledge_id: Any) -> Pledge:
    return _get(pledges_for_user(user), pledge_id)


# --- files: whoever may see the record may open its file -------------------------------------


def get_evidence_for_user(user: AnyUser, evidence_id: Any) -> FacilityEvidence:
    """A community's facility evidence: for those who see the community's checklist."""
    return _get(FacilityEvidence.objects.filter(access.scope_q(user)), evidence_id)


def get_project_report_for_user(user: AnyUser, report_id: Any) -> ProjectProgress:
    qs = ProjectProgress.objects.filter(access.scope_q(user, "project__unit"))
    return _get(qs, report_id)


def get_pledge_report_for_user(user: AnyUser, report_id: Any) -> PledgeProgress:
    qs = PledgeProgress.objects.filter(pledge__in=pledges_for_user(user))
    return _get(qs, report_id)


def get_item(item_id: Any) -> FacilityItem:
    """The catalogue is the same for everyone."""
    return _get(FacilityItem.objects.filter(active=True), item_id)
