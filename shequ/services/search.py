"""Finding cases: by case number, the applicant's name (or its pinyin initials), or the
resident's exact ID number or phone. An exact ID or phone search is the registry's
lookup (``people.search``): throttled, written down as an event, sent in a POST body."""

from __future__ import annotations

import re

from django.db.models import Q

from shequ.orgs.access import AnyUser
from shequ.people.search import exact_kind, search_residents
from shequ.services.models import CaseQuerySet

_DIGITS = re.compile(r"^\d{4,20}$")
_INITIALS = re.compile(r"^[A-Za-z]{1,20}$")


def is_case_number(cases: CaseQuerySet, q: str) -> bool:
    """A 15-digit case number looks like an old ID number: a number of a case in scope
    is a case number (no registry lookup, nothing to log)."""
    compact = q.replace(" ", "")
    return bool(_DIGITS.match(compact)) and cases.filter(number=compact).exists()


def search_cases(user: AnyUser, cases: CaseQuerySet, q: str) -> CaseQuerySet:
    """``cases`` narrowed by what the clerk typed. Raises ``RateLimited`` past the
    lookup rate for an exact ID or phone search."""
    q = " ".join((q or "").split())
    compact = q.replace(" ", "")
    if not compact:
        return cases
    if is_case_number(cases, compact):
        return cases.filter(number=compact)
    if exact_kind(q):
        residents = search_residents(user, q=q)
        return cases.filter(resident__in=residents.values("pk"))
    if _DIGITS.match(compact):
        return cases.filter(number__startswith=compact)
    if _INITIALS.match(compact):
        return cases.filter(resident__name_initials__startswith=compact.lower())
    return cases.filter(
        Q(resident__name__contains=q) | Q(contact_name__contains=q) | Q(org_name__contains=q)
    )
