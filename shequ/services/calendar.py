"""The working-day calendar in the database, and due dates computed from it.

Arithmetic lives in ``shequ.lib.workdays``; this module only loads the exceptions for
the dates a computation needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import chinese_calendar
from django.db.models import Max
from django.utils import timezone

from shequ.lib.workdays import Pause, WorkCalendar
from shequ.services.models import CalendarDay, CalendarSource


def package_days() -> list[tuple[dt.date, bool, str]]:
    """(date, is_working_day, note) for every exception the chinese-calendar package knows."""

    def chinese(name: str) -> str:
        try:
            return str(chinese_calendar.Holiday(name).chinese)
        except ValueError:
            return name

    days = [(day, False, chinese(name)) for day, name in chinese_calendar.holidays.items()]
    days += [
        (day, True, f"{chinese(name)}调休上班") for day, name in chinese_calendar.workdays.items()
    ]
    return sorted(days)


def seed_calendar(model: Any = None) -> int:
    """Add the package's days that are not in the table yet; rows already there (maybe
    edited by an admin) are kept. Returns how many were added. ``model`` lets a data
    migration pass its historical model."""
    model = model or CalendarDay
    known = set(model.objects.values_list("date", flat=True))
    rows = [
        model(date=day, is_working_day=working, note=note[:100], source=CalendarSource.PACKAGE)
        for day, working, note in package_days()
        if day not in known
    ]
    model.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def calendar_between(first: dt.date, last: dt.date) -> WorkCalendar:
    rows = CalendarDay.objects.filter(date__gte=first, date__lte=last).values_list(
        "date", "is_working_day"
    )
    off = frozenset(day for day, working in rows if not working)
    on = frozenset(day for day, working in rows if working)
    return WorkCalendar(days_off=off, extra_working_days=on)


def known_until() -> dt.date | None:
    """The last date with an exception in the table: beyond it, only weekends are known."""
    last: dt.date | None = CalendarDay.objects.aggregate(last=Max("date"))["last"]
    return last


def due_at(
    start: dt.datetime,
    working_days: int,
    pauses: Iterable[Pause] = (),
    *,
    now: dt.datetime | None = None,
) -> dt.datetime:
    """The deadline of a limit of ``working_days`` starting at ``start``, in local time."""
    start = timezone.localtime(start)
    pauses = list(pauses)
    now = now or timezone.now()
    first = min([start.date()] + [timezone.localtime(p.start).date() for p in pauses])
    span = (
        2 * working_days
        + 40
        + sum(((p.end or now) - p.start).days + 1 for p in pauses if (p.end or now) > p.start)
    )
    while True:
        last = start.date() + dt.timedelta(days=span)
        result = calendar_between(first, last).due_at(start, working_days, pauses, now=now)
        if result.date() <= last:
            return result
        span *= 2
