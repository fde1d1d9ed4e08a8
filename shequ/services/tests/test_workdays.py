"""The Django-free working-day arithmetic (shequ.lib.workdays)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shequ.lib.workdays import Pause, WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date

# The 2025 National Day and Mid-autumn holiday: 1-8 October off, Sunday 28 September and
# Saturday 11 October worked.
NATIONAL_DAY_2025 = WorkCalendar(
    days_off=frozenset(D(2025, 10, d) for d in range(1, 9)),
    extra_working_days=frozenset({D(2025, 9, 28), D(2025, 10, 11)}),
)
PLAIN = WorkCalendar()


def at(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=SHANGHAI)


def test_weekdays_work_and_weekends_rest() -> None:
    assert PLAIN.is_working_day(D(2025, 9, 26))  # Friday
    assert not PLAIN.is_working_day(D(2025, 9, 27))  # Saturday
    assert not PLAIN.is_working_day(D(2025, 9, 28))  # Sunday


def test_a_limit_skips_the_weekend() -> None:
    # Friday + 1 working day = Monday, at the end of the day.
    assert PLAIN.due_at(at(2025, 9, 19), 1) == dt.datetime(2025, 9, 22, 23, 59, 59, tzinfo=SHANGHAI)
    assert PLAIN.due_at(at(2025, 9, 19), 5).date() == D(2025, 9, 26)


def test_the_national_day_holiday_is_skipped() -> None:
    # Tuesday 30 September + 3 working days: 9, 10 and (the worked Saturday) 11 October.
    assert NATIONAL_DAY_2025.due_at(at(2025, 9, 30), 3).date() == D(2025, 10, 11)
    assert NATIONAL_DAY_2025.due_at(at(2025, 9, 30), 1).date() == D(2025, 10, 9)


def test_an_adjusted_working_sunday_counts() -> None:
    # Friday 26 September + 1 working day is Sunday 28 September, a working day.
    assert NATIONAL_DAY_2025.is_working_day(D(2025, 9, 28))
    assert NATIONAL_DAY_2025.due_at(at(2025, 9, 26), 1).date() == D(2025, 9, 28)
    assert NATIONAL_DAY_2025.due_at(at(2025, 9, 26), 2).date() == D(2025, 9, 29)


def test_zero_days_means_today_or_the_next_working_day() -> None:
    assert NATIONAL_DAY_2025.add_working_days(D(2025, 9, 30), 0) == D(2025, 9, 30)
    assert NATIONAL_DAY_2025.add_working_days(D(2025, 10, 3), 0) == D(2025, 10, 9)


def test_a_closed_pause_adds_back_the_working_days_it_covered() -> None:
    start = at(2025, 9, 15)  # Monday; 5 working days → Monday 22
    assert PLAIN.due_at(start, 5).date() == D(2025, 9, 22)
    # Returned for correction on Tuesday, corrected on Thursday: Wednesday and Thursday
    # do not count, so the limit ends two working days later.
    pause = Pause(at(2025, 9, 16, 9), at(2025, 9, 18, 16))
    assert PLAIN.due_at(start, 5, [pause]).date() == D(2025, 9, 24)


def test_a_pause_over_a_weekend_adds_only_working_days() -> None:
    pause = Pause(at(2025, 9, 19, 9), at(2025, 9, 22, 9))  # Friday → Monday: Monday only
    assert PLAIN.due_at(at(2025, 9, 15), 5, [pause]).date() == D(2025, 9, 23)


def test_an_open_pause_counts_until_now() -> None:
    pause = Pause(at(2025, 9, 16, 9))
    due = PLAIN.due_at(at(2025, 9, 15), 5, [pause], now=at(2025, 9, 17, 12))
    assert due.date() == D(2025, 9, 23)
    with pytest.raises(ValueError):
        PLAIN.due_at(at(2025, 9, 15), 5, [pause])


def test_naive_datetimes_and_contradictions_are_refused() -> None:
    with pytest.raises(ValueError):
        PLAIN.due_at(dt.datetime(2025, 9, 15, 10), 1)  # noqa: DTZ001
    with pytest.raises(ValueError):
        WorkCalendar(
            days_off=frozenset({D(2025, 1, 1)}), extra_working_days=frozenset({D(2025, 1, 1)})
        )
    with pytest.raises(ValueError):
        PLAIN.add_working_days(D(2025, 1, 1), -1)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)), st.integers(0, 60))
def test_the_due_day_is_a_working_day_with_exactly_n_before_it(day: dt.date, n: int) -> None:
    due = NATIONAL_DAY_2025.add_working_days(day, n)
    assert NATIONAL_DAY_2025.is_working_day(due)
    if n:
        assert NATIONAL_DAY_2025.working_days_between(day, due) == n
