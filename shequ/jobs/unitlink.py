"""A resident unit's own link (until the resident portal exists): a signed token naming
the unit, sent in the worker's reminders and referral messages, that opens the unit's
page to report vacancies and confirm referral outcomes without an account."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from shequ.people.models import ResidentUnit, ResidentUnitStatus

SALT = "shequ.jobs.unit-link"


def token(ru: ResidentUnit) -> str:
    return signing.dumps(ru.pk, salt=SALT, compress=True)


def path(ru: ResidentUnit) -> str:
    return reverse("jobs:unit_desk", args=[token(ru)])


def absolute(ru: ResidentUnit) -> str:
    """The full link, or "" when SHEQU_PUBLIC_URL does not say where the site is."""
    base = settings.SHEQU_PUBLIC_URL
    return base.rstrip("/") + path(ru) if base else ""


def unit_from(value: str) -> ResidentUnit | None:
    """The active unit a token names, if the token is genuine and not too old."""
    try:
        pk = signing.loads(value, salt=SALT, max_age=settings.SHEQU_JOBS_UNIT_LINK_DAYS * 86400)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(pk, int):
        return None
    return (
        ResidentUnit.objects.filter(pk=pk, status=ResidentUnitStatus.ACTIVE)
        .select_related("unit", "community")
        .first()
    )
