"""Who may see and do what: the single place where org scope is decided.

A staff user sees the union of the subtrees of the units of its active posts.
Views and APIs fetch objects only through the ``get_*_for_user`` helpers here (and
their counterparts in other apps' ``access.py``); anything out of scope is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from shequ.orgs.models import ApiToken, Event, OrgUnit, Post, Role, User

AnyUser = User | AnonymousUser

OFFICER_ROLES = frozenset({Role.PREFECTURE_OFFICER, Role.COUNTY_OFFICER, Role.TOWNSHIP_OFFICER})
COMMUNITY_LEAD_ROLES = frozenset({Role.PARTY_SECRETARY, Role.DIRECTOR})
# Roles that may read the event log of the units in their scope.
AUDIT_ROLES = OFFICER_ROLES | COMMUNITY_LEAD_ROLES
# Roles that may add units or assign and end posts below their own unit.
MANAGE_POST_ROLES = OFFICER_ROLES | COMMUNITY_LEAD_ROLES
MANAGE_UNIT_ROLES = frozenset({Role.PREFECTURE_OFFICER, Role.COUNTY_OFFICER})


# The largest primary key a BIGINT column holds; larger ids from URLs are simply not found.
MAX_PK = 2**63 - 1


def parse_pk(value: Any) -> int:
    """An id from user input, or 404: text, junk and numbers past BIGINT never reach the DB."""
    try:
        pk = int(value)
    except (ValueError, TypeError):
        raise Http404 from None
    if not 0 < pk <= MAX_PK:
        raise Http404
    return pk


def acting_user(request: HttpRequest) -> User:
    """The signed-in user of a view already behind login_required, typed for actions."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def active_posts(user: AnyUser) -> list[Post]:
    """The user's active posts with their units, memoised on the user object."""
    if not user.is_authenticated:
        return []
    cached: list[Post] | None = getattr(user, "_shequ_active_posts", None)
    if cached is None:
        cached = list(Post.objects.active().filter(user=user).select_related("unit"))
        user._shequ_active_posts = cached  # type: ignore[attr-defined]
    return cached


def scope_paths(user: AnyUser) -> list[str] | None:
    """Tree paths of the subtrees the user may see; ``None`` means everything."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    paths = sorted({post.unit.path for post in active_posts(user)})
    roots: list[str] = []
    for path in paths:  # sorted, so an ancestor comes before its descendants
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    return roots


def scope_q(user: AnyUser, unit_field: str = "unit") -> Q:
    """A filter for rows whose ``unit_field`` lies inside the user's scope."""
    paths = scope_paths(user)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    prefix = f"{unit_field}__path__startswith" if unit_field else "path__startswith"
    q = Q()
    for path in paths:
        q |= Q(**{prefix: path})
    return q


def in_scope(user: AnyUser, unit: OrgUnit) -> bool:
    paths = scope_paths(user)
    if paths is None:
        return True
    return any(unit.path.startswith(path) for path in paths)


def roles_over(user: AnyUser, unit: OrgUnit) -> set[str]:
    """The roles the user holds on ``unit`` or on any unit above it."""
    return {post.role for post in active_posts(user) if unit.path.startswith(post.unit.path)}


def may(user: AnyUser, roles: frozenset[str], unit: OrgUnit) -> bool:
    """True when the user holds one of ``roles`` over ``unit`` (superusers always)."""
    if user.is_authenticated and user.is_superuser:
        return True
    return bool(roles_over(user, unit) & roles)


def may_manage_posts(user: AnyUser, unit: OrgUnit) -> bool:
    """Who gives and ends posts on ``unit``: the tree page and the API ask the same."""
    return may(user, MANAGE_POST_ROLES, unit)


def units_for_user(user: AnyUser) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(scope_q(user, unit_field=""))


def scope_roots(user: AnyUser) -> QuerySet[OrgUnit]:
    """The top units of the user's scope, for the tree browser's first page."""
    paths = scope_paths(user)
    if paths is None:
        return OrgUnit.objects.filter(depth=1)
    return OrgUnit.objects.filter(path__in=paths).order_by("path")


def get_unit_for_user(user: AnyUser, unit_id: Any) -> OrgUnit:
    try:
        return units_for_user(user).get(pk=parse_pk(unit_id))
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def staff_for_user(user: AnyUser) -> QuerySet[User]:
    """Staff with at least one post (current or past) inside the user's scope."""
    visible_posts = Post.objects.filter(scope_q(user))
    return User.objects.filter(pk__in=visible_posts.values("user_id"))


def get_staff_for_user(user: AnyUser, staff_id: Any) -> User:
    try:
        return staff_for_user(user).get(pk=parse_pk(staff_id))
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_post_for_user(user: AnyUser, post_id: Any) -> Post:
    try:
        return (
            Post.objects.filter(scope_q(user))
            .select_related("unit", "user")
            .get(pk=parse_pk(post_id))
        )
    except (Post.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def events_for_user(user: AnyUser) -> QuerySet[Event]:
    """Events of units where the user holds an audit role (the units below included)."""
    if not user.is_authenticated:
        return Event.objects.none()
    if user.is_superuser:
        return Event.objects.all()
    paths = sorted({post.unit.path for post in active_posts(user) if post.role in AUDIT_ROLES})
    if not paths:
        return Event.objects.none()
    q = Q()
    for path in paths:
        q |= Q(unit__path__startswith=path)
    return Event.objects.filter(q)


def get_event_for_user(user: AnyUser, event_id: Any) -> Event:
    try:
        return events_for_user(user).select_related("actor", "unit").get(pk=parse_pk(event_id))
    except (Event.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def api_tokens_for_user(user: AnyUser) -> QuerySet[ApiToken]:
    """A user's own tokens; nobody lists another person's."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def get_api_token_for_user(user: AnyUser, token_id: Any) -> ApiToken:
    try:
        return api_tokens_for_user(user).get(pk=parse_pk(token_id))
    except (ApiToken.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
