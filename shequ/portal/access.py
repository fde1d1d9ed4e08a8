"""Who sees what on the portal. A resident (a portal account) sees their own online
requests and, when the number matched the registry, the cases of their household's
members; nothing else, and anything else answers 404. Staff see the portal's rows of
the units in their scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from shequ.orgs import access
from shequ.orgs.access import AnyUser
from shequ.orgs.models import OrgUnit, Post, Role, UnitKind
from shequ.people.models import HouseholdMember
from shequ.portal.models import Account, CallbackRequest, OnlineRequest, RequestPhoto
from shequ.services.access import FRONT_LINE_ROLES, items_for_unit
from shequ.services.models import Case, ServiceItem

SESSION_KEY = "portal_account"

# Who answers online requests and callbacks: the community's front line (clerks, agents,
# leads). Who handles an agency callback: the agency station's roles.
REQUEST_ROLES = FRONT_LINE_ROLES | access.OFFICER_ROLES
CALLBACK_ROLES = access.COMMUNITY_LEAD_ROLES | frozenset({Role.CLERK, Role.AGENT})
# Who calls back about a dispute: the community's mediators, legal advisor and leads.
MEDIATION_CALLBACK_ROLES = access.COMMUNITY_LEAD_ROLES | frozenset(
    {Role.MEDIATOR, Role.LEGAL_ADVISOR}
)


def callback_roles(kind: str) -> frozenset[str]:
    return MEDIATION_CALLBACK_ROLES if kind == "mediation" else CALLBACK_ROLES


# Where a resident may say they live (the units that receive cases).
COMMUNITY_KINDS = (UnitKind.COMMUNITY, UnitKind.VILLAGE)


def current_account(request: HttpRequest) -> Account | None:
    pk = request.session.get(SESSION_KEY)
    if not isinstance(pk, int):
        return None
    return Account.objects.select_related("resident", "unit").filter(pk=pk).first()


def household_resident_ids(account: Account) -> list[int]:
    """The registered resident and the members of their household (none when limited)."""
    if account.resident_id is None:
        return []
    household = (
        HouseholdMember.objects.filter(resident_id=account.resident_id)
        .values_list("household_id", flat=True)
        .first()
    )
    if household is None:
        return [account.resident_id]
    return list(
        HouseholdMember.objects.filter(household_id=household).values_list("resident_id", flat=True)
    )


def cases_for_account(account: Account) -> QuerySet[Case]:
    q = Q(online_request__account=account)
    ids = household_resident_ids(account)
    if ids:
        q |= Q(resident_id__in=ids)
    return Case.objects.filter(q)


def get_case_for_account(account: Account, case_id: Any) -> Case:
    try:
        return (
            cases_for_account(account)
            .select_related("unit", "handling_unit", "item", "resident")
            .get(pk=access.parse_pk(case_id))
        )
    except Case.DoesNotExist:
        raise Http404 from None


def get_photo_for_account(account: Account, photo_id: Any) -> RequestPhoto:
    try:
        return RequestPhoto.objects.select_related("request").get(
            pk=access.parse_pk(photo_id), request__case__in=cases_for_account(account)
        )
    except RequestPhoto.DoesNotExist:
        raise Http404 from None


def items_for_account(account: Account) -> QuerySet[ServiceItem]:
    return items_for_unit(account.unit)


def public_items(unit: OrgUnit | None) -> QuerySet[ServiceItem]:
    """The catalogue before sign-in: a community's when one is known, else the
    prefecture's and counties' common items."""
    if unit is not None:
        return items_for_unit(unit)
    return ServiceItem.objects.filter(active=True, unit__depth__lte=2)


def get_item_for_account(account: Account | None, code: Any) -> ServiceItem:
    items = items_for_account(account) if account else public_items(None)
    try:
        return items.select_related("window_type", "unit").get(code=str(code))
    except ServiceItem.DoesNotExist:
        raise Http404 from None


def communities_matching(text: str, limit: int = 20) -> QuerySet[OrgUnit]:
    text = text.strip()
    if not text:
        return OrgUnit.objects.none()
    return (
        OrgUnit.objects.filter(kind__in=COMMUNITY_KINDS, active_to__isnull=True)
        .filter(Q(name__contains=text) | Q(official_name__contains=text))
        .order_by("path")[:limit]
    )


def get_community(unit_id: Any) -> OrgUnit:
    try:
        return OrgUnit.objects.get(
            pk=access.parse_pk(unit_id), kind__in=COMMUNITY_KINDS, active_to__isnull=True
        )
    except OrgUnit.DoesNotExist:
        raise Http404 from None


# --- staff ---------------------------------------------------------------------------------


def online_requests_for_user(user: AnyUser) -> QuerySet[OnlineRequest]:
    return OnlineRequest.objects.filter(access.scope_q(user))


def get_photo_for_user(user: AnyUser, photo_id: Any) -> RequestPhoto:
    try:
        return RequestPhoto.objects.filter(access.scope_q(user)).get(pk=access.parse_pk(photo_id))
    except RequestPhoto.DoesNotExist:
        raise Http404 from None


def callbacks_for_user(user: AnyUser) -> QuerySet[CallbackRequest]:
    return CallbackRequest.objects.filter(access.scope_q(user))


def get_callback_for_user(user: AnyUser, callback_id: Any) -> CallbackRequest:
    try:
        return callbacks_for_user(user).select_related("unit").get(pk=access.parse_pk(callback_id))
    except CallbackRequest.DoesNotExist:
        raise Http404 from None


def front_line_usernames(unit: OrgUnit, roles: frozenset[str]) -> list[str]:
    posts = Post.objects.active().filter(unit=unit, role__in=roles)
    return sorted(set(posts.values_list("user__username", flat=True)))


def place_of(unit: OrgUnit) -> str:
    """The county and township a community lies in, for telling namesakes apart."""
    step = OrgUnit.steplen
    paths = [unit.path[:i] for i in range(2 * step, len(unit.path), step)]
    names = dict(OrgUnit.objects.filter(path__in=paths).values_list("path", "name"))
    return " ".join(names[p] for p in paths if p in names)
