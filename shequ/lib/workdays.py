"""Working-day arithmetic, free of Django: the rules of legal time limits (时限).

A day is a working day when it is Monday to Friday and not a holiday, or when it is a
weekend day made a working day by an adjustment (调休). A limit of N working days that
starts on a given moment ends at the close of the N-th working day *after* that day (the
day of receipt is not counted). Time the applicant holds the file (e.g. while correcting
materials, 补正) does not count: every working day after a pause began, up to and
including the day it ended, is added back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

# The end of a working day, as a deadline: the last moment of the date.
END_OF_DAY = dt.time(23, 59, 59)


@dataclass(frozen=True)
class Pause:
    """The applicant held the file from ``start`` until ``end`` (``None``: still holds it)."""

    start: dt.datetime
    end: dt.datetime | None = None


@dataclass(frozen=True)
class WorkCalendar:
    """Exceptions to the Monday-to-Friday rule: ``days_off`` (holidays, any weekday) and
    ``extra_working_days`` (adjusted working weekend days)."""

    days_off: frozenset[dt.date] = field(default_factory=frozenset)
    extra_working_days: frozenset[dt.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        both = self.days_off & self.extra_working_days
        if both:
            raise ValueError(f"days both off and working: {sorted(both)}")

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.days_off:
            return False
        if day in self.extra_working_days:
            return True
        return day.weekday() < 5

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day``; for n = 0, ``day`` itself if it is a working
        day, otherwise the next one."""
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return day if self.is_working_day(day) else self.next_working_day(day)
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d <= end (0 when end <= start)."""
        count = 0
        day = start + dt.timedelta(days=1)
        while day <= end:
            count += self.is_working_day(day)
            day += dt.timedelta(days=1)
        return count

    def due_at(
        self,
        start: dt.datetime,
        n: int,
        pauses: Iterable[Pause] = (),
        *,
        now: dt.datetime | None = None,
    ) -> dt.datetime:
        """The deadline of an n-working-day limit that started at ``start`` (aware).

        Each pause adds the working days it covered; an open pause counts up to ``now``.
        The result is in ``start``'s time zone, at the end of the day.
        """
        if start.tzinfo is None:
            raise ValueError("start must be an aware datetime")
        tz = start.tzinfo
        extra = 0
        for pause in pauses:
            end = pause.end if pause.end is not None else now
            if end is None:
                raise ValueError("an open pause needs now")
            extra += self.working_days_between(
                pause.start.astimezone(tz).date(), end.astimezone(tz).date()
            )
        last_day = self.add_working_days(start.date(), n + extra)
        return dt.datetime.combine(last_day, END_OF_DAY, tzinfo=tz)
