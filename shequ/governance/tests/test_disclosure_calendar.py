"""The disclosure calendar: monthly and quarterly due days across year ends, weekends,
holidays and adjusted working days (调休); on time, late and overdue derived at chosen
dates, nothing flipped when a day passes."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from shequ.governance import disclosure_calendar as cal
from shequ.governance.disclosure_calendar import DueState, Period, due_on, period_of, periods
from shequ.governance.models import DisclosureDue
from shequ.governance.tests.conftest import Village
from shequ.governance.tests.disclosure_helpers import (
    at,
    finance_due,
    on_calendar,
    publish,
    supervision,
)


def _month(y: int, m: int) -> Period:
    return period_of("monthly", dt.date(y, m, 1))


def test_a_quarter_is_due_on_the_20th_of_the_next_quarters_first_month(db: None) -> None:
    q4 = period_of("quarterly", dt.date(2025, 11, 5))
    assert (q4.key, q4.start, q4.end) == ("2025Q4", dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert due_on(q4, due_day=20) == dt.date(2026, 1, 20)  # across the year end, a Tuesday
    q1 = period_of("quarterly", dt.date(2025, 2, 1))
    assert due_on(q1, due_day=20) == dt.date(2025, 4, 21)  # the 20th is a Sunday: Monday
    assert due_on(q1, due_day=20, roll_to_workday=False) == dt.date(2025, 4, 20)


def test_a_month_is_due_in_the_next_month_and_holidays_move_it(db: None) -> None:
    assert due_on(_month(2025, 12), due_day=20) == dt.date(2026, 1, 20)
    # Spring Festival 2026 (Feb 15–23 off): January's finances are due on the 24th.
    assert due_on(_month(2026, 1), due_day=20) == dt.date(2026, 2, 24)
    # National Day 2025 (Oct 1–8 off): due on the 5th means the 9th.
    assert due_on(_month(2025, 9), due_day=5) == dt.date(2025, 10, 9)
    # New Year 2026 (Jan 1–3 off) then Sunday Jan 4, a working day (调休).
    assert due_on(_month(2025, 12), due_day=1) == dt.date(2026, 1, 4)
    # The 31st in a 28-day month is its last day (Saturday 2026-02-28 is a 调休 working day).
    assert due_on(_month(2026, 1), due_day=31) == dt.date(2026, 2, 28)


def test_a_plan_is_due_in_its_own_first_month(db: None) -> None:
    year = period_of("yearly", dt.date(2026, 6, 1))
    assert year.key == "2026"
    assert due_on(year, due_day=20, in_period=True) == dt.date(2026, 1, 20)
    assert due_on(year, due_day=20) == dt.date(2027, 1, 20)


def test_periods_run_across_the_year_end() -> None:
    keys = [p.key for p in periods("monthly", dt.date(2025, 11, 15), dt.date(2026, 2, 1))]
    assert keys == ["2025-11", "2025-12", "2026-01", "2026-02"]
    keys = [p.key for p in periods("quarterly", dt.date(2025, 8, 1), dt.date(2026, 1, 1))]
    assert keys == ["2025Q3", "2025Q4", "2026Q1"]
    assert periods("event", dt.date(2025, 1, 1), dt.date(2026, 1, 1)) == []


def test_frequent_finances_are_monthly(village: Village) -> None:
    on_calendar(village, frequent_finance=True)
    keys = set(
        DisclosureDue.objects.filter(unit=village.unit, item__code="v-finance").values_list(
            "key", flat=True
        )
    )
    assert "2025-01" in keys and "2025Q1" not in keys


def _states(village: Village, day: dt.date) -> dict[str, str]:
    noon = at(day, 12)
    with time_machine.travel(noon, tick=False):
        today = timezone.localdate()
        rows = cal.dues_at(
            DisclosureDue.objects.filter(unit=village.unit, item__code="v-finance"), today
        )
        return dict(rows.values_list("key", "state"))


def test_on_time_late_and_overdue_are_derived_at_any_date(village: Village) -> None:
    reviewer = supervision(village)
    on_calendar(village)
    q1, q2 = finance_due(village, "2025Q1"), finance_due(village, "2025Q2")
    assert q1.due_on == dt.date(2025, 4, 21) and q2.due_on == dt.date(2025, 7, 21)
    publish(q1, reviewer, dt.date(2025, 4, 18))  # before the due day
    publish(q2, reviewer, dt.date(2025, 7, 25))  # four days late
    # Q3 (due 2025-10-20) is never published.

    assert _states(village, dt.date(2025, 4, 10))["2025Q1"] == DueState.OPEN
    assert _states(village, dt.date(2025, 4, 19))["2025Q1"] == DueState.ON_TIME
    on_due_day = _states(village, dt.date(2025, 7, 21))
    assert on_due_day["2025Q2"] == DueState.OPEN  # still publishable that day
    assert _states(village, dt.date(2025, 7, 22))["2025Q2"] == DueState.OVERDUE
    later = _states(village, dt.date(2025, 10, 21))
    assert later["2025Q1"] == DueState.ON_TIME
    assert later["2025Q2"] == DueState.LATE  # published late: no longer overdue
    assert later["2025Q3"] == DueState.OVERDUE
    # Looking back is the same query: on 2025-07-23 Q2 was overdue, whatever came after.
    assert _states(village, dt.date(2025, 7, 23))["2025Q2"] == DueState.OVERDUE
