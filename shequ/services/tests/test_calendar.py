"""The calendar table: seeded from chinese-calendar, editable by an admin, used for due dates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from shequ.lib.workdays import Pause
from shequ.orgs import calendar
from shequ.orgs.models import CalendarDay, CalendarSource, Event

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_the_migration_seeded_the_holidays_and_adjusted_days() -> None:
    national = CalendarDay.objects.get(date=D(2025, 10, 1))
    assert not national.is_working_day
    assert national.note == "国庆节"
    sunday = CalendarDay.objects.get(date=D(2025, 9, 28))
    assert sunday.is_working_day
    assert "调休" in sunday.note
    assert sunday.source == CalendarSource.PACKAGE
    assert calendar.seed_calendar() == 0  # idempotent


@pytest.mark.django_db
def test_due_dates_across_national_day_and_a_working_sunday() -> None:
    assert calendar.due_at(local(2025, 9, 30), 3) == dt.datetime(
        2025, 10, 11, 23, 59, 59, tzinfo=SHANGHAI
    )
    assert calendar.due_at(local(2025, 9, 26), 1).date() == D(2025, 9, 28)
    # 20 working days from 2025-09-30 cross the whole holiday week.
    assert calendar.due_at(local(2025, 9, 30), 20).date() == D(2025, 11, 4)


@pytest.mark.django_db
def test_due_dates_use_local_dates() -> None:
    # 17:00 UTC on 30 September is 01:00 on 1 October in Enshi: a holiday.
    late = dt.datetime(2025, 9, 30, 17, 0, tzinfo=dt.UTC)
    assert calendar.due_at(late, 1).date() == D(2025, 10, 9)


@pytest.mark.django_db
def test_the_clock_pauses_in_the_database_calendar() -> None:
    assert calendar.due_at(local(2025, 9, 29), 3).date() == D(2025, 10, 10)
    # Returned on 30 September, corrected on 9 October: of the days in between only
    # 9 October was a working day, so the limit moves to the worked Saturday 11 October.
    pause = Pause(local(2025, 9, 30, 11), local(2025, 10, 9, 9))
    assert calendar.due_at(local(2025, 9, 29), 3, [pause]).date() == D(2025, 10, 11)


@pytest.mark.django_db
def test_an_admin_edit_changes_due_dates_and_is_logged() -> None:
    admin = get_user_model().objects.create_superuser("root", password="correct-horse-battery")
    client = Client()
    client.force_login(admin)
    # The county declares Monday 2025-11-03 a day off (e.g. a local festival).
    response = client.post(
        "/admin/orgs/calendarday/add/",
        {"date": "2025-11-03", "is_working_day": "", "note": "地方节日"},
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=D(2025, 11, 3))
    assert day.source == CalendarSource.ADMIN
    assert Event.objects.filter(verb="admin.added", object_type="orgs.calendarday").exists()
    assert calendar.due_at(local(2025, 10, 31), 1).date() == D(2025, 11, 4)
    assert calendar.seed_calendar() == 0
    assert calendar.known_until() is not None
