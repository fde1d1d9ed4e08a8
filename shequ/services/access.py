"""Who may see what in the services app. The catalogue is public information: everyone
sees the prefecture's items; staff also see items published by units on the way down to
their posts and below them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from shequ.orgs import access
from shequ.orgs.access import AnyUser
from shequ.orgs.models import OrgUnit
from shequ.services.models import Case, ServiceItem, WindowType


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


def cases_for_user(user: AnyUser) -> QuerySet[Case]:
    """Cases received in the user's scope; a case sent up stays visible to its community
    and is in scope of the township or county it was sent to (they are above it)."""
    return Case.objects.filter(access.scope_q(user))


def get_case_for_user(user: AnyUser, case_id: Any) -> Case:
    try:
        return (
            cases_for_user(user)
            .select_related("unit", "handling_unit", "item", "resident")
            .get(pk=int(case_id))
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
