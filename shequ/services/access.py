"""Who may see what in the services app. The catalogue is public information: everyone
sees the prefecture's items; staff also see items published by units on the way down to
their posts and below them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from shequ.orgs import access
from shequ.orgs.access import AnyUser
from shequ.orgs.models import OrgUnit, Post, Role, UnitKind
from shequ.people.models import Resident
from shequ.services.models import (
    Case,
    CaseQuerySet,
    HallWindow,
    Rating,
    RatingAppeal,
    Rectification,
    RectificationQuerySet,
    ServiceHall,
    ServiceItem,
    Ticket,
    WindowType,
)

# --- roles: who does what in the services app (the one place they are named) -----------

# Who works cases at the front line: the community's staff.
FRONT_LINE_ROLES = access.COMMUNITY_LEAD_ROLES | frozenset(
    {Role.CLERK, Role.AGENT, Role.GRID_WORKER}
)
# Who works cases: the front line, and the officers above (for cases sent up).
CASE_ROLES = FRONT_LINE_ROLES | access.OFFICER_ROLES
# Who completes a case sent up: the officers of the unit it was sent to.
SENT_UP_ROLES = access.OFFICER_ROLES
# Who hears of a quarter-hour breach or an overdue case: the community's leads.
SUPERVISOR_ROLES = access.COMMUNITY_LEAD_ROLES
# Who approves an extension or decides an appeal against a rating.
APPROVER_ROLES = SUPERVISOR_ROLES | access.OFFICER_ROLES
APPEAL_DECIDER_ROLES = APPROVER_ROLES
# Who rectifies a bad rating: whoever works the unit's cases.
RECTIFY_ROLES = CASE_ROLES
# Who sets up a hall and issues its device key: the community's leads and officers above.
HALL_ADMIN_ROLES = access.COMMUNITY_LEAD_ROLES | access.OFFICER_ROLES
# Where cases are received.
CASE_UNIT_KINDS = frozenset({UnitKind.COMMUNITY, UnitKind.VILLAGE, UnitKind.GRID})


def supervisors(unit: OrgUnit) -> list[str]:
    """Usernames of the community leads over ``unit`` (its community's secretary, director)."""
    step = OrgUnit.steplen
    ancestors = [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]
    posts = Post.objects.active().filter(role__in=SUPERVISOR_ROLES, unit__path__in=ancestors)
    return sorted(set(posts.values_list("user__username", flat=True)))


def officers_on(unit: OrgUnit) -> list[str]:
    """Usernames of the officers posted on ``unit`` itself (a township, a county)."""
    posts = Post.objects.active().filter(unit=unit, role__in=access.OFFICER_ROLES)
    return sorted(set(posts.values_list("user__username", flat=True)))


# --- the catalogue ---------------------------------------------------------------------


def _publisher_q(user: AnyUser) -> Q:
    paths = access.scope_paths(user)
    if paths is None:
        return Q()
    if not paths:
        return Q(unit__depth=1)
    step = OrgUnit.steplen
    above = {path[:i] for path in paths for i in range(step, len(path) + 1, step)}
    return Q(unit__path__in=sorted(above)) | access.scope_q(user)


def window_types_for_user(user: AnyUser) -> QuerySet[WindowType]:
    return WindowType.objects.filter(_publisher_q(user), active=True)


def items_for_user(user: AnyUser) -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(_publisher_q(user), active=True)


def get_item_for_user(user: AnyUser, code: Any) -> ServiceItem:
    try:
        return (
            items_for_user(user)
            .select_related("window_type", "unit")
            .prefetch_related("materials")
            .get(code=str(code))
        )
    except ServiceItem.DoesNotExist:
        raise Http404 from None


def cases_for_user(user: AnyUser) -> CaseQuerySet:
    """Cases received in the user's scope; a case sent up stays visible to its community
    and is in scope of the township or county it was sent to (they are above it)."""
    return Case.objects.filter(access.scope_q(user))


def open_cases_like(
    user: AnyUser, resident: Resident, item: ServiceItem, *, client_token: str = ""
) -> CaseQuerySet:
    """The resident's open cases of the item that the user sees: registering another one
    asks the clerk to confirm first. None when ``client_token`` already made a case: a
    retried submission gets its first result back, not a warning about it."""
    cases = cases_for_user(user).open().filter(resident=resident, item=item)
    if client_token and Case.objects.filter(client_token=client_token).exists():
        return cases.none()
    return cases.order_by("received_at")


def get_case_for_user(user: AnyUser, case_id: Any) -> Case:
    try:
        return (
            cases_for_user(user)
            .select_related("unit", "handling_unit", "item", "resident")
            .get(pk=access.parse_pk(case_id))
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def case_in_scope(user: AnyUser, case: Case) -> bool:
    """``cases_for_user``'s rule for one case already loaded with its unit: received in the
    user's scope (a case sent up is received below the unit it was sent to)."""
    return access.in_scope(user, case.unit)


# What an answer showing a case reads: the columns the answer shows and its steps depend
# on, and of the rows around it the unit's path (the scope and the steps), the item's
# code, kind and level, and the applicant's name.
_SHOWN = (
    *("number", "channel", "status", "applicant_kind", "org_name", "contact_name"),
    *("unit", "handling_unit", "item", "resident", "result"),
    *("received_at", "accepted_at", "reply_due_at", "due_at", "completed_at"),
    *("quarter_hour_due_at", "quarter_hour_met", "deadline_provisional"),
    *("unit__path", "item__code", "item__kind", "item__handling_level", "resident__name"),
)


def get_case_to_show(user: AnyUser, case_id: Any) -> Case:
    """``get_case_for_user`` for an answer that only shows the case (the API's read), in
    one narrower query: by primary key, with only what the answer and its steps read, the
    scope checked on the row (``case_in_scope``, the rule of ``cases_for_user``) rather
    than compiled into the query. The handling unit is the unit unless the case was sent
    up; whether an extension is pending is asked (``lifecycle``) only of a case whose
    steps depend on it. Not for a case about to change: it lacks the other columns."""
    try:
        case = (
            Case.objects.select_related("unit", "item", "resident")
            .only(*_SHOWN)
            .get(pk=access.parse_pk(case_id))
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not case_in_scope(user, case):
        raise Http404
    if case.handling_unit_id == case.unit_id:
        case.handling_unit = case.unit
    return case


def receiving_units(user: AnyUser) -> QuerySet[OrgUnit]:
    """The communities (villages, grids) where the user registers cases: those of its own
    front-line posts."""
    ids = {
        post.unit_id
        for post in access.active_posts(user)
        if post.role in FRONT_LINE_ROLES and post.unit.kind in CASE_UNIT_KINDS
    }
    return OrgUnit.objects.filter(pk__in=ids).order_by("path")


def receiving_unit(user: AnyUser, unit_id: int) -> OrgUnit | None:
    """The unit ``unit_id`` if the user registers cases there (one of ``receiving_units``),
    from the user's posts already loaded: no query."""
    for post in access.active_posts(user):
        if (
            post.unit_id == unit_id
            and post.role in FRONT_LINE_ROLES
            and post.unit.kind in CASE_UNIT_KINDS
        ):
            return post.unit
    return None


def may_receive_case(user: AnyUser, unit: OrgUnit) -> bool:
    """Whether ``user`` registers cases at ``unit``: the one rule of the case page's form
    and the API's create (officers above work cases sent up to them; they do not register
    a community's cases, from the page or the API)."""
    return receiving_units(user).filter(pk=unit.pk).exists()


def send_up_units(case: Case) -> QuerySet[OrgUnit]:
    """The township and county above the case's unit."""
    step = OrgUnit.steplen
    above = [case.unit.path[:i] for i in range(step, len(case.unit.path), step)]
    return OrgUnit.objects.filter(path__in=above, kind__in=["township", "county"]).order_by("path")


# --- halls, ratings, rectification ------------------------------------------------------


def halls_for_user(user: AnyUser) -> QuerySet[ServiceHall]:
    return ServiceHall.objects.filter(access.scope_q(user))


def get_hall_for_user(user: AnyUser, hall_id: Any) -> ServiceHall:
    try:
        return halls_for_user(user).select_related("unit").get(pk=access.parse_pk(hall_id))
    except (ServiceHall.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_window_for_user(user: AnyUser, hall_id: Any, window_id: Any) -> HallWindow:
    hall = get_hall_for_user(user, hall_id)
    try:
        window = hall.windows.select_related("window_type").get(pk=access.parse_pk(window_id))
    except (HallWindow.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    window.hall = hall
    return window


def get_ticket_for_user(user: AnyUser, ticket_id: Any) -> Ticket:
    try:
        return (
            Ticket.objects.filter(access.scope_q(user))
            .select_related("unit", "hall", "window", "resident")
            .get(pk=access.parse_pk(ticket_id))
        )
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_hall_for_device(device_key: str) -> ServiceHall:
    """A hall device (kiosk, screen, pad) is bound to its hall by the key in its URL; a
    rotated or unknown key is a 404, like anything out of scope."""
    if not device_key or len(device_key) > 64:
        raise Http404
    try:
        return ServiceHall.objects.select_related("unit").get(device_key=device_key)
    except ServiceHall.DoesNotExist:
        raise Http404 from None


def ratings_for_user(user: AnyUser) -> QuerySet[Rating]:
    return Rating.objects.filter(access.scope_q(user))


def rectifications_for_user(user: AnyUser) -> RectificationQuerySet:
    """Rectifications of units in scope (the unit that handled the case rectifies), and
    those of cases received in scope."""
    return Rectification.objects.filter(access.scope_q(user) | access.scope_q(user, "rating__unit"))


def get_rectification_for_user(user: AnyUser, rect_id: Any) -> Rectification:
    try:
        return (
            rectifications_for_user(user)
            .select_related("unit", "rating__case__item", "rating__unit")
            .get(pk=access.parse_pk(rect_id))
        )
    except (Rectification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- for the residents' portal (appended for issue 19) -------------------------------------


def items_for_unit(unit: OrgUnit) -> QuerySet[ServiceItem]:
    """The catalogue a resident of ``unit`` sees: the active items published on the unit
    or on a unit above it (the prefecture's, the county's, the township's, its own)."""
    step = OrgUnit.steplen
    above = [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]
    return ServiceItem.objects.filter(unit__path__in=above, active=True)


def get_rating_for_user(user: AnyUser, rating_id: Any) -> Rating:
    try:
        return (
            ratings_for_user(user)
            .select_related("case__item", "unit", "handling_unit")
            .get(pk=access.parse_pk(rating_id))
        )
    except (Rating.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_appeal_for_user(user: AnyUser, appeal_id: Any) -> RatingAppeal:
    """An appeal against a rating in the user's scope."""
    try:
        return (
            RatingAppeal.objects.filter(access.scope_q(user, "rating__unit"))
            .select_related("rating__case", "rating__handling_unit", "rating__unit")
            .get(pk=access.parse_pk(appeal_id))
        )
    except (RatingAppeal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
