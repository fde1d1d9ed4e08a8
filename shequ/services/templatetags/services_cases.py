"""Case facts for templates, from the same rules the queries use."""

from __future__ import annotations

import datetime as dt

from django import template

from shequ.services.models import Case

register = template.Library()


@register.filter
def overdue_at(case: Case, now: dt.datetime) -> bool:
    return case.is_overdue(now)
