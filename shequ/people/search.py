"""Finding residents: by name, pinyin initials, exact ID number or phone, category, unit;
and resident units: by name, credit code or their contact's mobile.

An exact lookup by ID number or phone is an oracle (does this number live here?), so it
is throttled per user (``SHEQU_LOOKUP_RATE_PER_MINUTE``, ``RateLimited`` past it; one
budget for residents and resident units) and every one writes an event
(``resident.looked_up``, ``resident_unit.looked_up``): who found whom, or that nothing
matched. Pages send such a query in a POST body, so full numbers never reach a URL or a log.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from shequ.lib.idcard import IdNumberError, parse_id_number
from shequ.lib.phone import normalise_mobile
from shequ.orgs import ratelimit
from shequ.orgs.access import AnyUser
from shequ.orgs.models import OrgUnit, User
from shequ.people.access import resident_units_for_user, residents_for_user
from shequ.people.crypto import id_number_index, phone_index
from shequ.people.models import Category, CategoryMembership, Resident, ResidentUnit

_ID_LIKE = re.compile(r"^(\d{15}|\d{17}[\dXx])$")
_PHONE_LIKE = re.compile(r"^\+?[\d\s\-]{11,16}$")
_INITIALS = re.compile(r"^[A-Za-z]{1,20}$")


def exact_kind(q: str) -> str:
    """``"id_number"`` or ``"phone"`` when ``q`` is an exact lookup, else ``""``."""
    q = " ".join((q or "").split())
    compact = q.replace(" ", "")
    if compact and _ID_LIKE.match(compact):
        return "id_number"
    if compact and _PHONE_LIKE.match(q):
        return "phone"
    return ""


def _throttled(user: AnyUser) -> User | None:
    """Count one exact lookup against ``user``'s limit (``RateLimited`` past it); the
    user to log it for, None when nobody is signed in."""
    if not isinstance(user, User):
        return None
    ratelimit.check(f"lookup:{user.pk}", settings.SHEQU_LOOKUP_RATE_PER_MINUTE)
    return user


def _throttle_and_log(user: AnyUser, field: str, qs: QuerySet[Resident]) -> None:
    from shequ.people.actions import do_record_lookup

    actor = _throttled(user)
    if actor is None:
        return
    found = list(qs.select_related("unit")[:20])
    do_record_lookup(actor, field=field, found=found)


def search_residents(
    user: AnyUser,
    *,
    q: str = "",
    category: Category | None = None,
    unit: OrgUnit | None = None,
    status: str = "",
    registration_type: str = "",
) -> QuerySet[Resident]:
    """Residents in the user's scope matching every given filter, newest first."""
    qs = residents_for_user(user)
    q = " ".join((q or "").split())
    compact = q.replace(" ", "")
    if compact and _ID_LIKE.match(compact):
        try:
            number = parse_id_number(compact).number
        except IdNumberError:
            number = ""
        qs = qs.filter(id_number_index=id_number_index(number)) if number else qs.none()
        _throttle_and_log(user, "id_number", qs)
    elif compact and _PHONE_LIKE.match(q):
        try:
            qs = qs.filter(phone_index=phone_index(normalise_mobile(q)))
        except ValueError:
            qs = qs.none()
        _throttle_and_log(user, "phone", qs)
    elif compact and _INITIALS.match(compact):
        qs = qs.filter(name_initials__startswith=compact.lower())
    elif q:
        qs = qs.filter(name__contains=q)
    if category is not None:
        members = CategoryMembership.objects.valid_on(timezone.localdate()).filter(
            category=category
        )
        qs = qs.filter(pk__in=members.values("resident_id"))
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if status:
        qs = qs.filter(status=status)
    if registration_type:
        qs = qs.filter(registration_type=registration_type)
    return qs.order_by("-pk")


def filters_from(params: Any) -> dict[str, str]:
    """The search parameters worth keeping in pagination and export links."""
    keys = ("q", "category", "unit", "status", "registration_type")
    return {k: str(params.get(k, "")).strip() for k in keys if params.get(k)}


_CODE_LIKE = re.compile(r"^[0-9A-HJ-NP-RTUW-Y]{18}$")


def unit_exact_kind(q: str) -> str:
    """``"phone"`` when ``q`` is a resident unit's contact mobile, else ``""``. A credit
    code is public (printed on the licence, shown in full in the list), so it is not."""
    q = " ".join((q or "").split())
    compact = q.replace(" ", "").upper()
    if compact and not _CODE_LIKE.match(compact) and _PHONE_LIKE.match(q):
        return "phone"
    return ""


def search_resident_units(
    user: AnyUser,
    *,
    q: str = "",
    unit: OrgUnit | None = None,
    trade: str = "",
    status: str = "",
    co_building: bool = False,
) -> QuerySet[ResidentUnit]:
    """Resident units in the user's scope: by name, exact credit code or contact mobile."""
    qs = resident_units_for_user(user)
    q = " ".join((q or "").split())
    compact = q.replace(" ", "").upper()
    if compact and _CODE_LIKE.match(compact):
        qs = qs.filter(credit_code=compact)
    elif compact and _PHONE_LIKE.match(q):
        try:
            qs = qs.filter(contact_phone_index=phone_index(normalise_mobile(q)))
        except ValueError:
            qs = qs.none()
        actor = _throttled(user)
        if actor is not None:
            from shequ.people.actions import do_record_resident_unit_lookup

            do_record_resident_unit_lookup(actor, found=list(qs.select_related("unit")[:20]))
    elif q:
        qs = qs.filter(name__contains=q)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if trade:
        qs = qs.filter(trade=trade)
    if status:
        qs = qs.filter(status=status)
    if co_building:
        qs = qs.filter(co_building=True)
    return qs.order_by("community__path", "name", "pk")
