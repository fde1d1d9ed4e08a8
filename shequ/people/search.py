"""Finding residents: by name, pinyin initials, exact ID number or phone, category, unit."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from shequ.lib.idcard import IdNumberError, parse_id_number
from shequ.lib.phone import normalise_mobile
from shequ.orgs.access import AnyUser
from shequ.orgs.models import OrgUnit
from shequ.people.access import resident_units_for_user, residents_for_user
from shequ.people.crypto import id_number_index, phone_index
from shequ.people.models import Category, CategoryMembership, Resident, ResidentUnit

_ID_LIKE = re.compile(r"^(\d{15}|\d{17}[\dXx])$")
_PHONE_LIKE = re.compile(r"^\+?[\d\s\-]{11,16}$")
_INITIALS = re.compile(r"^[A-Za-z]{1,20}$")


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
            return qs.none()
        qs = qs.filter(id_number_index=id_number_index(number))
    elif compact and _PHONE_LIKE.match(q):
        try:
            qs = qs.filter(phone_index=phone_index(normalise_mobile(q)))
        except ValueError:
            return qs.none()
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
            return qs.none()
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
