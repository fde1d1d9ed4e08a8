"""Case facts for templates, from the same rules the queries use."""

from __future__ import annotations

import datetime as dt

from django import template

from shequ.lib.masking import mask_name
from shequ.services.models import Case

register = template.Library()


@register.filter
def overdue_at(case: Case, now: dt.datetime) -> bool:
    return case.is_overdue(now)


@register.filter
def masked_name(name: str) -> str:
    """邓德明 → 邓**: what a public screen or the kiosk may show of a name (issue 11)."""
    return mask_name(name)
