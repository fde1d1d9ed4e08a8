"""Who may see, change and reveal residents: the single place where that is decided.

Built on ``shequ.orgs.access``: a staff user sees the residents and households of the
units in its scope (a grid worker: its grid); anything else is a 404.

Roles (held on the resident's unit or any unit above it):
- **see** (masked): every active post in scope.
- **change** (register, edit, households, categories, floating data, import):
  ``EDIT_ROLES`` — community clerks, agents, grid workers, the party secretary and the
  director, and township officers. County and prefecture officers read and export.
- **reveal** a full ID number or phone (with a reason, logged): ``REVEAL_ROLES`` —
  officers of the prefecture, county and township, the community party secretary and
  the director. Not clerks, agents or grid workers: they work with the masked value and
  ask a lead when the full number is really needed.
- **define categories** (the prefecture may add groups): prefecture officers.
- **read the registry** at all: ``REGISTRY_ROLES`` — the edit and reveal roles. Mediators,
  legal advisors and volunteers do not (need to know, issue 11): they see the residents
  their own work touches through their app's helpers (a mediator the parties of their
  disputes, an advisor the people who consulted them), and no help categories.
- **export** the registry: ``EXPORT_ROLES`` — community leads and officers; every export is
  an event (who, which unit, how many rows, revealed or not).

Resident units (驻区单位) follow the same rules: seen masked by every post in scope,
changed by ``EDIT_ROLES``, their contact's full mobile revealed by ``REVEAL_ROLES``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from shequ.orgs import access as org_access
from shequ.orgs.access import AnyUser, parse_pk
from shequ.orgs.models import OrgUnit, Role, UnitKind
from shequ.people.models import Household, ImportBatch, Resident, ResidentUnit

REVEAL_ROLES = org_access.OFFICER_ROLES | org_access.COMMUNITY_LEAD_ROLES
EDIT_ROLES = org_access.COMMUNITY_LEAD_ROLES | frozenset(
    {Role.TOWNSHIP_OFFICER, Role.CLERK, Role.AGENT, Role.GRID_WORKER}
)
CATEGORY_ADMIN_ROLES = frozenset({Role.PREFECTURE_OFFICER})
REGISTRY_ROLES = REVEAL_ROLES | EDIT_ROLES
EXPORT_ROLES = org_access.OFFICER_ROLES | org_access.COMMUNITY_LEAD_ROLES
RESIDENT_UNIT_KINDS = frozenset({UnitKind.COMMUNITY, UnitKind.VILLAGE, UnitKind.GRID})


def registry_q(user: AnyUser, unit_field: str = "unit") -> Q:
    """Rows below the units where the user holds a registry role (a mediator's or a
    volunteer's post opens nothing here)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    paths = sorted({p.unit.path for p in org_access.active_posts(user) if p.role in REGISTRY_ROLES})
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{unit_field}__path__startswith": path})
    return q


def residents_for_user(user: AnyUser) -> QuerySet[Resident]:
    return Resident.objects.filter(registry_q(user))


def may_read_registry(user: AnyUser) -> bool:
    return user.is_authenticated and (
        user.is_superuser or any(p.role in REGISTRY_ROLES for p in org_access.active_posts(user))
    )


def may_export(user: AnyUser, unit: OrgUnit) -> bool:
    return org_access.in_scope(user, unit) and org_access.may(user, EXPORT_ROLES, unit)


def get_resident_for_user(user: AnyUser, resident_id: Any, *, write: bool = False) -> Resident:
    try:
        resident = (
            residents_for_user(user)
            .select_related("unit", "community")
            .get(pk=parse_pk(resident_id))
        )
    except (Resident.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not may_edit(user, resident.unit):
        raise PermissionDenied(_("您的岗位无权修改居民信息。"))
    return resident


def households_for_user(user: AnyUser) -> QuerySet[Household]:
    return Household.objects.filter(registry_q(user))


def get_household_for_user(user: AnyUser, household_id: Any, *, write: bool = False) -> Household:
    try:
        household = (
            households_for_user(user)
            .select_related("unit", "community")
            .get(pk=parse_pk(household_id))
        )
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not may_edit(user, household.unit):
        raise PermissionDenied(_("您的岗位无权修改户信息。"))
    return household


def import_batches_for_user(user: AnyUser) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(registry_q(user))


def get_import_batch_for_user(user: AnyUser, batch_id: Any) -> ImportBatch:
    try:
        return import_batches_for_user(user).select_related("unit").get(pk=parse_pk(batch_id))
    except (ImportBatch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_edit(user: AnyUser, unit: OrgUnit) -> bool:
    return org_access.in_scope(user, unit) and org_access.may(user, EDIT_ROLES, unit)


def may_reveal(user: AnyUser, resident: Resident) -> bool:
    return org_access.in_scope(user, resident.unit) and org_access.may(
        user, REVEAL_ROLES, resident.unit
    )


def may_reveal_in(user: AnyUser, unit: OrgUnit) -> bool:
    """May the user reveal numbers of every resident below ``unit`` (for exports)?"""
    return org_access.in_scope(user, unit) and org_access.may(user, REVEAL_ROLES, unit)


def may_define_categories(user: AnyUser) -> bool:
    root = OrgUnit.objects.filter(kind=UnitKind.PREFECTURE).order_by("path").first()
    return root is not None and org_access.may(user, CATEGORY_ADMIN_ROLES, root)


def editable_units(user: AnyUser) -> QuerySet[OrgUnit]:
    """Communities, villages and grids in scope where the user may register residents."""
    units = org_access.units_for_user(user).filter(kind__in=RESIDENT_UNIT_KINDS)
    if user.is_authenticated and user.is_superuser:
        return units
    paths = sorted({p.unit.path for p in org_access.active_posts(user) if p.role in EDIT_ROLES})
    if not paths:
        return units.none()
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return units.filter(q)


def get_target_unit_for_user(user: AnyUser, unit_id: Any) -> OrgUnit:
    """A community, village or grid the user may register residents in, or 404."""
    try:
        return editable_units(user).get(pk=parse_pk(unit_id))
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def community_of(unit: OrgUnit) -> OrgUnit:
    """The community a community, village or grid belongs to."""
    if unit.kind == UnitKind.COMMUNITY:
        return unit
    step = OrgUnit.steplen
    prefixes = [unit.path[:n] for n in range(step, len(unit.path), step)]
    community = OrgUnit.objects.filter(path__in=prefixes, kind=UnitKind.COMMUNITY).first()
    if community is None:
        raise ValueError(f"{unit} is not inside a community")
    return community


def resident_units_for_user(user: AnyUser) -> QuerySet[ResidentUnit]:
    return ResidentUnit.objects.filter(org_access.scope_q(user))


def get_resident_unit_for_user(
    user: AnyUser, resident_unit_id: Any, *, write: bool = False
) -> ResidentUnit:
    try:
        found = (
            resident_units_for_user(user)
            .select_related("unit", "community")
            .get(pk=parse_pk(resident_unit_id))
        )
    except (ResidentUnit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not may_edit(user, found.unit):
        raise PermissionDenied(_("您的岗位无权修改驻区单位信息。"))
    return found


def find_resident_unit(user: AnyUser, credit_code: str) -> ResidentUnit | None:
    """The resident unit with this credit code in the user's scope, for the apps that
    point at units (services' applicants, mediation's third parties, jobs)."""
    code = "".join((credit_code or "").split()).upper()
    if len(code) != 18:
        return None
    return resident_units_for_user(user).filter(credit_code=code).first()
