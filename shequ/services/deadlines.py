"""A case's deadlines, in one function: used by the actions, the worker and the demo
loaders alike, so a demo case's due date is the one real work would have.

- reply (答复时间): when the applicant hears back. For an immediate item (即办件) that
  cannot be done at once it is the formal reply time, by default the end of the quarter
  hour; for a commitment item it is the promised date.
- promised (承诺时限): the item's promised limit plus approved extensions, in working
  days from acceptance; legal (法定时限): the statutory limit. Pauses for corrections
  (补正) do not count.
- provisional: a deadline falls past the last year whose holiday arrangement is loaded,
  so it may move when that year's notice comes (the worker recomputes it then).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from shequ.lib.workdays import Pause, WorkCalendar
from shequ.orgs import calendar
from shequ.services.models import ItemKind, ServiceItem


def quarter_hour() -> dt.timedelta:
    return dt.timedelta(minutes=settings.SHEQU_QUARTER_HOUR_MINUTES)


@dataclass(frozen=True)
class Deadlines:
    reply_due_at: dt.datetime
    due_at: dt.datetime
    legal_due_at: dt.datetime
    provisional: bool


def compute(
    item: ServiceItem,
    *,
    accepted_at: dt.datetime,
    quarter_hour_due_at: dt.datetime,
    pauses: Iterable[Pause] = (),
    extension_days: int = 0,
    reply_due_at: dt.datetime | None = None,
    resumed_at: dt.datetime | None = None,
    previous_due_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    work_calendar: WorkCalendar | None = None,
    known_until: dt.date | None = None,
) -> Deadlines:
    """The deadlines of a case of ``item`` accepted at ``accepted_at``.

    ``reply_due_at`` is the clerk's formal reply time for an immediate item; an
    immediate item taken back after a correction (``resumed_at``) gets at least a new
    quarter hour. ``work_calendar`` (with ``known_until``) lets a bulk loader pass the
    calendar it has loaded once, instead of a query per case."""
    now = now or timezone.now()
    pauses = list(pauses)
    if item.kind == ItemKind.IMMEDIATE:
        if resumed_at is not None:
            due = max(previous_due_at or resumed_at, resumed_at + quarter_hour())
        else:
            due = reply_due_at or quarter_hour_due_at
        return Deadlines(due, due, due, provisional=False)

    def limit(days: int) -> dt.datetime:
        if work_calendar is not None:
            return work_calendar.due_at(timezone.localtime(accepted_at), days, pauses, now=now)
        return calendar.due_at(accepted_at, days, pauses, now=now)

    due = limit(item.promised_limit_days + extension_days)
    legal = limit(item.legal_limit_days)
    until = known_until if work_calendar is not None else calendar.known_until()
    provisional = calendar.is_provisional(max(due, legal), until)
    return Deadlines(due, due, legal, provisional)
